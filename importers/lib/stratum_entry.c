/* See stratum_entry.h. Types, enums and defaults: Stratum.Core/src/AuthenticatorType.cs and
 * Entity/Authenticator.cs. */
#include <string.h>

#include "otpvault/mem.h"
#include "otpvault/uri.h"
#include "otpvault/secret_text.h"
#include "stratum_entry.h"

/* Stratum allows 4 (mOTP) to 16 (Yandex) characters. */
#define PIN_MAX 64

enum { ST_HOTP = 1, ST_TOTP = 2, ST_MOTP = 3, ST_STEAM = 4, ST_YANDEX = 5 };

/* mOTP codes hash the secret as text. We keep bytes and hash their lower-case hex, so only a
 * secret written that way gives the codes Stratum gives. */
static int check_motp_secret(const char *text, struct ov_error *err)
{
    for (const char *p = text; *p != '\0'; p++)
        if (*p >= 'A' && *p <= 'F')
            return ov_error_set(err, OV_ERR_UNSUPPORTED, "mOTP secret in upper-case hex: "
                                "its codes depend on the letter case, which otpvault keeps "
                                "only for lower-case secrets");
    return OV_OK;
}

static int set_type(const struct ov_stratum_record *r, struct ov_account *a,
                    struct ov_error *err)
{
    static const enum ov_algo algos[] = { OV_SHA1, OV_SHA256, OV_SHA512 };

    switch (r->type) {
    case ST_HOTP:
    case ST_TOTP:
        a->type = r->type == ST_HOTP ? OV_HOTP : OV_TOTP;
        if (r->algorithm < 0 || r->algorithm > 2)
            return ov_error_set(err, OV_ERR_INVALID, "unknown algorithm %lld (0 SHA1, 1 SHA256, "
                                "2 SHA512)", (long long)r->algorithm);
        a->algo = algos[r->algorithm];
        if (r->digits != OV_STRATUM_DEFAULT && (r->digits < OV_DIGITS_MIN ||
                                                r->digits > OV_DIGITS_MAX))
            return ov_error_set(err, OV_ERR_INVALID, "digits must be %d to %d, not %lld",
                                OV_DIGITS_MIN, OV_DIGITS_MAX, (long long)r->digits);
        if (r->period != OV_STRATUM_DEFAULT && (r->period < 1 || r->period > OV_PERIOD_MAX))
            return ov_error_set(err, OV_ERR_INVALID, "period must be 1 to %d seconds, not %lld",
                                OV_PERIOD_MAX, (long long)r->period);
        if (r->counter != OV_STRATUM_DEFAULT && r->counter < 0)
            return ov_error_set(err, OV_ERR_INVALID, "negative counter %lld",
                                (long long)r->counter);
        a->digits = r->digits == OV_STRATUM_DEFAULT ? 6 : (unsigned)r->digits;
        a->period = r->period == OV_STRATUM_DEFAULT ? 30 : (unsigned)r->period;
        a->counter = r->counter == OV_STRATUM_DEFAULT ? 0 : (uint64_t)r->counter;
        return OV_OK;
    /* Stratum ignores the stored algorithm, digits and period of the other types (its
     * generators are fixed); the standard values are what the servers expect. */
    case ST_MOTP:
        a->type = OV_MOTP;
        a->algo = OV_MD5;
        a->digits = 6;
        a->period = 10;
        return OV_OK;
    case ST_STEAM:
        a->type = OV_STEAM;
        a->digits = 5;
        return OV_OK;
    case ST_YANDEX:
        a->type = OV_YANDEX;
        a->algo = OV_SHA256;
        a->digits = 8;
        return OV_OK;
    default:
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "unknown type %lld (1 HOTP, 2 TOTP, "
                            "3 mOTP, 4 Steam, 5 Yandex)", (long long)r->type);
    }
}

int ov_stratum_record_to_account(const struct ov_stratum_record *r, struct ov_account *a,
                                 struct ov_error *err)
{
    int rc;

    if ((rc = set_type(r, a, err)) != OV_OK)
        return rc;
    if (r->secret == NULL || r->secret[0] == '\0')
        return ov_error_set(err, OV_ERR_INVALID, "no secret");
    if (a->type == OV_MOTP && (rc = check_motp_secret(r->secret, err)) != OV_OK)
        return rc;
    if ((rc = ov_secret_text_set(a, r->secret, a->type == OV_MOTP ? OV_SECRET_HEX :
                                  OV_SECRET_BASE32, err)) != OV_OK)
        return rc;
    if (r->pin != NULL && strlen(r->pin) > PIN_MAX)
        return ov_error_set(err, OV_ERR_INVALID, "the PIN is longer than %d characters",
                            PIN_MAX);
    if ((a->type == OV_MOTP || a->type == OV_YANDEX) && r->pin != NULL && r->pin[0] != '\0') {
        ov_secure_free_str(a->pin);
        a->pin = ov_secure_strdup(r->pin);
    }
    ov_account_set_text(&a->issuer, r->issuer != NULL ? r->issuer : "");
    ov_account_set_text(&a->name, r->username != NULL ? r->username : "");
    ov_account_normalise_label(a);
    return ov_account_validate(a, err);
}
