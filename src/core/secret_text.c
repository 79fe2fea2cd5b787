/* See secret_text.h. */
#include <string.h>

#include "otpvault/codec.h"
#include "otpvault/mem.h"
#include "otpvault/secret_text.h"

static const char *const names[] = { "Base32", "Base64", "hex" };

/* The codecs say "invalid character 'x' at position N": N counts in the secret's text. */
static void name_the_secret(struct ov_error *err, int rc, const char *encoding)
{
    char inner[OV_ERROR_MSG_MAX];

    if (err == NULL)
        return;
    memcpy(inner, err->msg, sizeof inner);
    if (strstr(inner, " at position ") != NULL)
        ov_error_set(err, rc, "%s of the secret (%s)", inner, encoding);
    else
        ov_error_set(err, rc, "the secret (%s): %s", encoding, inner);
}

int ov_secret_text_set(struct ov_account *a, const char *text, enum ov_secret_encoding enc,
                       struct ov_error *err)
{
    size_t text_len = strlen(text), cap, len = 0;
    uint8_t *buf;
    int rc;

    if (text_len > OV_SECRET_TEXT_MAX)
        return ov_error_set(err, OV_ERR_LIMIT,
                            "the secret (%s): %zu characters, too long for a key", names[enc],
                            text_len);
    cap = 1 + (enc == OV_SECRET_BASE32   ? ov_base32_decoded_max(text_len)
               : enc == OV_SECRET_BASE64 ? ov_base64_decoded_max(text_len)
                                         : text_len / 2 + 1);
    buf = ov_secure_alloc(cap);
    rc = enc == OV_SECRET_BASE32   ? ov_base32_decode(text, buf, &len, err)
         : enc == OV_SECRET_BASE64 ? ov_base64_decode(text, text_len, buf, &len, err)
                                   : ov_hex_decode(text, text_len, buf, &len, err);
    if (rc != OV_OK)
        name_the_secret(err, rc, names[enc]);
    else if (len == 0)
        rc = ov_error_set(err, OV_ERR_INVALID, "the secret is empty");
    else if (len > OV_SECRET_MAX)
        rc = ov_error_set(err, OV_ERR_LIMIT, "the secret is %zu bytes, more than %d", len,
                          OV_SECRET_MAX);
    if (rc != OV_OK) {
        ov_secure_free(buf, cap);
        return rc;
    }
    /* The account takes the buffer as it is: a copy would cost a second secure allocation,
     * and libgcrypt's secure allocator gets slow with thousands of live blocks (a large
     * vault). The bytes past len are still zero, and freeing wipes the whole block. */
    ov_secure_free(a->secret, a->secret_len);
    a->secret = buf;
    a->secret_len = len;
    return OV_OK;
}
