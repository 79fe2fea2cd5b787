/* See secret_text.h. */
#include <string.h>

#include "otpvault/codec.h"
#include "otpvault/mem.h"
#include "secret_text.h"

/* Hex is the widest encoding: a key of OV_SECRET_MAX bytes, plus room for separators. Also
 * what keeps the secure buffer below small: the pool aborts on large requests. */
#define SECRET_TEXT_MAX (OV_SECRET_MAX * 2 + 64)

static const char *const names[] = { "Base32", "Base64", "hex" };

int ov_secret_text_set(struct ov_account *a, const char *text, enum ov_secret_encoding enc,
                       struct ov_error *err)
{
    size_t text_len = strlen(text), cap, len = 0;
    uint8_t *buf;
    int rc;

    if (text_len > SECRET_TEXT_MAX)
        return ov_error_set(err, OV_ERR_LIMIT, "secret (%s): %zu characters, too long for a key",
                            names[enc], text_len);
    cap = enc == OV_SECRET_BASE32   ? ov_base32_decoded_max(text_len)
          : enc == OV_SECRET_BASE64 ? ov_base64_decoded_max(text_len)
                                    : text_len / 2 + 1;
    buf = ov_secure_alloc(cap + 1);
    rc = enc == OV_SECRET_BASE32   ? ov_base32_decode(text, buf, &len, err)
         : enc == OV_SECRET_BASE64 ? ov_base64_decode(text, text_len, buf, &len, err)
                                   : ov_hex_decode(text, text_len, buf, &len, err);
    if (rc == OV_OK && len == 0)
        rc = ov_error_set(err, OV_ERR_INVALID, "empty");
    if (rc == OV_OK && len > OV_SECRET_MAX)
        rc = ov_error_set(err, OV_ERR_LIMIT, "%zu bytes, more than %d", len, OV_SECRET_MAX);
    if (rc == OV_OK)
        ov_account_set_secret(a, buf, len);
    else
        ov_error_prefix(err, "secret (%s)", names[enc]);
    ov_secure_free(buf, cap + 1);
    return rc;
}

int st_set_base32(struct ov_account *a, const char *text, struct ov_error *err)
{
    return ov_secret_text_set(a, text, OV_SECRET_BASE32, err);
}

int st_set_hex(struct ov_account *a, const char *text, struct ov_error *err)
{
    return ov_secret_text_set(a, text, OV_SECRET_HEX, err);
}
