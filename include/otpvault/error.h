/* Status codes and error reports shared by every core module.
 *
 * Core functions return 0 on success or a negative enum ov_status, and fill an optional
 * struct ov_error with the same code and a message that names the input and what was wrong.
 * The core never prints: the CLI and the TUI decide how to show the message. */
#ifndef OTPVAULT_ERROR_H
#define OTPVAULT_ERROR_H

#include <stddef.h>

enum ov_status {
    OV_OK = 0,
    OV_ERR_INVALID = -1,     /* malformed input: bad Base32, bad URI, bad field */
    OV_ERR_IO = -2,          /* a file could not be read or written */
    OV_ERR_AUTH = -3,        /* wrong passphrase or damaged vault / export */
    OV_ERR_NOMEM = -4,       /* secure memory exhausted */
    OV_ERR_UNSUPPORTED = -5, /* valid but unsupported (version, algorithm, format) */
    OV_ERR_CONFLICT = -6,    /* the vault changed on disk since it was opened */
    OV_ERR_LOCKED = -7,      /* another process is writing the vault */
    OV_ERR_NOT_FOUND = -8,   /* no such file, account or key */
    OV_ERR_EXISTS = -9,      /* refusing to overwrite */
    OV_ERR_LIMIT = -10,      /* input exceeds a safety bound (size, KDF cost) */
};

#define OV_ERROR_MSG_MAX 512

struct ov_error {
    int code;
    char msg[OV_ERROR_MSG_MAX];
};

/* Records code and a printf-style message in err (when err is not NULL); returns code so
 * callers can write `return ov_error_set(err, OV_ERR_INVALID, "...")`. */
int ov_error_set(struct ov_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prepends "prefix: " to an already set message (e.g. the file name an inner call lacked). */
void ov_error_prefix(struct ov_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A short generic description of a status code, for when no message was set. */
const char *ov_status_str(int code);

#endif
