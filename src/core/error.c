/* Error reports: a status code plus a message that says which input and what was wrong. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "otpvault/error.h"

int ov_error_set(struct ov_error *err, int code, const char *fmt, ...)
{
    if (err != NULL) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

void ov_error_prefix(struct ov_error *err, const char *fmt, ...)
{
    char prefix[OV_ERROR_MSG_MAX];
    char joined[2 * OV_ERROR_MSG_MAX + 2];
    va_list ap;

    if (err == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    snprintf(joined, sizeof joined, "%s: %s", prefix,
             err->msg[0] != '\0' ? err->msg : ov_status_str(err->code));
    memcpy(err->msg, joined, sizeof err->msg - 1);
    err->msg[sizeof err->msg - 1] = '\0';
}

const char *ov_status_str(int code)
{
    switch (code) {
    case OV_OK: return "success";
    case OV_ERR_INVALID: return "invalid input";
    case OV_ERR_IO: return "input/output error";
    case OV_ERR_AUTH: return "wrong passphrase or damaged vault";
    case OV_ERR_NOMEM: return "out of secure memory";
    case OV_ERR_UNSUPPORTED: return "unsupported";
    case OV_ERR_CONFLICT: return "the vault changed on disk since it was opened";
    case OV_ERR_LOCKED: return "another process is changing the vault";
    case OV_ERR_NOT_FOUND: return "not found";
    case OV_ERR_EXISTS: return "already exists";
    case OV_ERR_LIMIT: return "input exceeds a safety limit";
    default: return "unknown error";
    }
}
