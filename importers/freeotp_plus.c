/* FreeOTP+ JSON export (formats.md 6): {"tokenOrder": [...], "tokens": [FreeOTP token
 * JSON, formats.md 5.1]}. Secrets are arrays of signed Java bytes. HOTP counters are kept as
 * stored (FreeOTP+ stores the URI counter minus one; Aegis imports it unchanged, and so does
 * the reference data). Tokens are read in file order; tokenOrder is display order only.
 * (The token reading here mirrors FreeOTP 1.x tokens.xml; once both live on one branch it
 * can share one helper.) */
#include <string.h>
#include <strings.h>

#include "lib/account_build.h"
#include "lib/freeotp_token.h"
#include "lib/json_entries.h"
#include "lib/json_fields.h"
#include "lib/json_sniff.h"
#include "otpvault/mem.h"

static int freeotp_plus_sniff(const struct ov_blob *in)
{
    struct js_probe p[] = { { "tokens", 1, false, 0 }, { "tokenOrder", 1, false, 0 },
                            { "secret", 3, false, 0 }, { "issuerExt", 3, false, 0 },
                            { "label", 3, false, 0 } };

    if (js_scan(in, p, 5) != '{' || !p[0].found || p[0].value_start != '[')
        return 0;
    if (p[1].found)
        return 90;
    return p[2].found && (p[3].found || p[4].found) ? 70 : 0;
}

/* The secret: a JSON array of Java bytes, read as FreeOTP's own tokens are. */
static int read_secret(json_t *token, struct ov_account *a, struct ov_error *err)
{
    uint8_t *buf;
    size_t n;
    int rc = ov_freeotp_bytes(token, "secret", OV_SECRET_MAX, &buf, &n, err);

    if (rc != OV_OK)
        return rc;
    ov_account_set_secret(a, buf, n);
    ov_secure_free(buf, n);
    return OV_OK;
}

static int read_token(json_t *t, void *ctx, struct ov_account *a, struct ov_error *err)
{
    const char *issuer, *label, *type;
    int rc;

    if (!json_is_object(t))
        return ov_error_set(err, OV_ERR_INVALID, "is %s, expected an object", jf_type_name(t));
    /* issuerExt is what FreeOTP shows; issuerInt came from the URI. Tokens without an issuer
     * have neither. */
    if ((issuer = jf_string(t, "issuerExt", NULL, err)) == NULL &&
        (err->code != OV_OK || (issuer = jf_string(t, "issuerInt", "", err)) == NULL))
        return OV_ERR_INVALID;
    if ((label = jf_string(t, "label", "", err)) == NULL)
        return OV_ERR_INVALID;
    ov_account_set_text(&a->issuer, issuer);
    ov_account_set_text(&a->name, label);
    if ((type = jf_string(t, "type", "TOTP", err)) == NULL)
        return OV_ERR_INVALID;
    if (strcasecmp(type, "TOTP") == 0)
        a->type = strcmp(issuer, "Steam") == 0 ? OV_STEAM : OV_TOTP;
    else if (strcasecmp(type, "HOTP") == 0)
        a->type = OV_HOTP;
    else
        return ab_unknown(err, OV_ERR_INVALID, "OTP type", type);
    if ((rc = read_secret(t, a, err)) != OV_OK)
        return rc;
    if ((rc = ov_json_otp_fields(t, &(struct ov_json_otp_keys){ NULL, "algo", "digits",
                                                              "period", "counter" },
                                 a, err)) != OV_OK)
        return rc;
    return OV_OK;
}

static int freeotp_plus_load(const struct ov_blob *in, struct ov_import_opts *opts,
                             struct ov_account_list *out, struct ov_error *err)
{
    return ov_json_read_list(in, "a FreeOTP+ export", "tokens", read_token, opts, out, err);
}

const struct ov_importer ov_importer_freeotp_plus = {
    .name = "freeotp-plus", .label = "FreeOTP+ JSON export", .sniff = freeotp_plus_sniff,
    .load = freeotp_plus_load,
};
