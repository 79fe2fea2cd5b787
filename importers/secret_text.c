/* See secret_text.h. */
#include <string.h>

#include "otpvault/codec.h"
#include "otpvault/mem.h"
#include "secret_text.h"

/* Hex is the widest encoding of a key we accept. */
#define TEXT_MAX (OV_SECRET_MAX * 2 + 64)

static int set_secret(struct ov_account *a, const char *text, bool hex, struct ov_error *err)
{
    size_t text_len = strlen(text), cap, len = 0;
    uint8_t *buf;
    int rc;

    if (text_len > TEXT_MAX)
        return ov_error_set(err, OV_ERR_INVALID, "the secret is %zu characters, too long for "
                            "a key", text_len);
    cap = hex ? text_len / 2 + 1 : ov_base32_decoded_max(text_len);
    buf = ov_secure_alloc(cap);
    rc = hex ? ov_hex_decode(text, text_len, buf, &len, err)
             : ov_base32_decode(text, buf, &len, err);
    if (rc != OV_OK)
        ov_error_prefix(err, "the secret");
    else if (len == 0)
        rc = ov_error_set(err, OV_ERR_INVALID, "the secret is empty");
    else
        ov_account_set_secret(a, buf, len);
    ov_secure_free(buf, cap);
    return rc;
}

int st_set_base32(struct ov_account *a, const char *text, struct ov_error *err)
{
    return set_secret(a, text, false, err);
}

int st_set_hex(struct ov_account *a, const char *text, struct ov_error *err)
{
    return set_secret(a, text, true, err);
}
