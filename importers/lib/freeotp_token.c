/* See freeotp_token.h. */
#include <string.h>
#include <strings.h>

#include "freeotp_token.h"
#include "json_fields.h"
#include "otpvault/mem.h"
#include "otpvault/uri.h"

int ov_freeotp_bytes(json_t *obj, const char *key, size_t max, uint8_t **out, size_t *len,
                     struct ov_error *err)
{
    json_t *arr = json_object_get(obj, key), *v;
    size_t n, i;
    uint8_t *buf;

    if (arr == NULL || json_is_null(arr))
        return ov_error_set(err, OV_ERR_INVALID, "'%s' is missing", key);
    if (!json_is_array(arr))
        return ov_error_set(err, OV_ERR_INVALID, "'%s' is not an array of bytes", key);
    n = json_array_size(arr);
    if (n == 0)
        return ov_error_set(err, OV_ERR_INVALID, "'%s' is empty", key);
    if (n > max)
        return ov_error_set(err, OV_ERR_INVALID, "'%s' has %zu bytes, more than %zu", key, n,
                            max);
    buf = ov_secure_alloc(n);
    json_array_foreach(arr, i, v) {
        json_int_t b = json_is_integer(v) ? json_integer_value(v) : 1000;
        /* Java bytes are signed; an unsigned spelling does no harm. */
        if (b < -128 || b > 255) {
            ov_secure_free(buf, n);
            return ov_error_set(err, OV_ERR_INVALID, "'%s' element %zu is not a byte", key,
                                i + 1);
        }
        buf[i] = (uint8_t)b;
    }
    *out = buf;
    *len = n;
    return OV_OK;
}

static int read_type(json_t *token, struct ov_account *a, struct ov_error *err)
{
    const char *type = jf_string(token, "type", "TOTP", err);
    const char *algo = jf_string(token, "algo", "SHA1", err);

    if (type == NULL || algo == NULL)
        return OV_ERR_INVALID;
    if (strcasecmp(type, "TOTP") == 0)
        a->type = OV_TOTP;
    else if (strcasecmp(type, "HOTP") == 0)
        a->type = OV_HOTP;
    else
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "unknown token type \"%.20s\"", type);
    if (ov_algo_parse(algo, &a->algo) != 0)
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "unknown algorithm \"%.20s\"", algo);
    return OV_OK;
}

static int read_numbers(json_t *token, struct ov_account *a, struct ov_error *err)
{
    int64_t digits, period, counter;
    int rc;

    if ((rc = jf_int(token, "digits", 6, OV_DIGITS_MIN, OV_DIGITS_MAX, &digits, err)) != 0 ||
        (rc = jf_int(token, "period", 30, 1, OV_PERIOD_MAX, &period, err)) != 0 ||
        (rc = jf_int(token, "counter", 0, 0, INT64_MAX, &counter, err)) != 0)
        return rc;
    a->digits = (unsigned)digits;
    a->period = (unsigned)period;
    a->counter = (uint64_t)counter; /* FreeOTP 1 stores the URI counter - 1: kept as is */
    return OV_OK;
}

static int read_label(json_t *token, struct ov_account *a, struct ov_error *err)
{
    /* issuerExt is the issuer from the URI; older tokens may only have issuerInt (from
     * the label); tokens without an issuer have neither. */
    const char *issuer_int = jf_string(token, "issuerInt", "", err);
    const char *issuer = issuer_int != NULL ? jf_string(token, "issuerExt", issuer_int, err)
                                            : NULL;
    const char *label = jf_string(token, "label", "", err);

    if (issuer == NULL || label == NULL)
        return OV_ERR_INVALID;
    ov_account_set_text(&a->issuer, issuer);
    ov_account_set_text(&a->name, label);
    return OV_OK;
}

int ov_freeotp_token(json_t *token, const uint8_t *secret, size_t secret_len,
                     struct ov_account *a, struct ov_error *err)
{
    uint8_t *own = NULL;
    size_t own_len = 0;
    int rc;

    if (!json_is_object(token))
        return ov_error_set(err, OV_ERR_INVALID, "the token is not a JSON object");
    if ((rc = read_type(token, a, err)) != OV_OK || (rc = read_numbers(token, a, err)) != 0 ||
        (rc = read_label(token, a, err)) != OV_OK)
        return rc;
    /* FreeOTP has no Steam type: Aegis' rule is a TOTP token issued by "Steam". */
    if (a->type == OV_TOTP && strcmp(a->issuer, "Steam") == 0) {
        a->type = OV_STEAM;
        a->digits = 5;
    }
    if (secret == NULL) {
        rc = ov_freeotp_bytes(token, "secret", OV_SECRET_MAX, &own, &own_len, err);
        if (rc != OV_OK)
            return rc;
        secret = own;
        secret_len = own_len;
    }
    ov_account_set_secret(a, secret, secret_len);
    ov_secure_free(own, own_len);
    ov_account_normalise_label(a);
    return ov_account_validate(a, err);
}
