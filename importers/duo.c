/* Duo Mobile's account list (formats.md 16), files/duokit/accounts.json from the phone: an
 * array of {"name", "otpGenerator": {"otpSecret": Base32, "counter": n?}, ...}. With a
 * counter the account is HOTP, else TOTP; both SHA1 with 6 digits. Duo Push accounts have no
 * OTP secret and are skipped with a note. */
#include "lib/account_build.h"
#include "lib/json_entries.h"
#include "lib/json_fields.h"
#include "lib/json_sniff.h"

static int duo_sniff(const struct ov_blob *in)
{
    struct js_probe p[] = { { "otpGenerator", 2, false, 0 } };

    if (js_kind(in) != '[')
        return 0; /* an object: not worth a scan */
    return js_scan(in, p, 1) == '[' && p[0].found ? 90 : 0;
}

/* OV_ENTRY_SKIPPED: nothing to import (a push-only account). */
static int read_account(json_t *e, void *ctx, struct ov_account *a, struct ov_error *err)
{
    const char *name, *secret;
    json_t *gen, *counter;
    int64_t n;
    int rc;

    if (!json_is_object(e))
        return ov_error_set(err, OV_ERR_INVALID, "is %s, expected an object", jf_type_name(e));
    if ((name = jf_string(e, "name", "", err)) == NULL)
        return OV_ERR_INVALID;
    ov_account_set_text(&a->name, name);
    if ((rc = jf_get(e, "otpGenerator", JSON_OBJECT, false, &gen, err)) != OV_OK)
        return rc;
    if (gen == NULL)
        return ov_error_set(err, OV_ENTRY_SKIPPED, "no OTP secret (a Duo Push account): "
                            "nothing to import");
    if ((secret = jf_string_req(gen, "otpSecret", err)) == NULL)
        return OV_ERR_INVALID;
    if ((rc = ov_secret_text_set(a, secret, OV_SECRET_BASE32, err)) != OV_OK)
        return rc;
    counter = json_object_get(gen, "counter");
    if (counter != NULL && !json_is_null(counter)) {
        if ((rc = jf_int(gen, "counter", 0, 0, INT64_MAX, &n, err)) != OV_OK)
            return rc;
        a->type = OV_HOTP;
        a->counter = (uint64_t)n;
    }
    return OV_OK;
}

static int duo_load(const struct ov_blob *in, struct ov_import_opts *opts,
                    struct ov_account_list *out, struct ov_error *err)
{
    return ov_json_read_list(in, "a Duo account list", NULL, read_account, opts, out, err);
}

const struct ov_importer ov_importer_duo = {
    .name = "duo", .label = "Duo Mobile accounts.json (from the phone's app data)",
    .sniff = duo_sniff, .load = duo_load,
};
