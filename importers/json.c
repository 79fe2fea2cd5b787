/* otpvault's own JSON (design.md 4): what `export --format json` and `import --dry-run
 * --json` print, so that an export comes back whole (group, note and the mOTP / Yandex PIN
 * ride along as extra keys). A bad entry is a per-entry issue; the rest still import. */
#include <jansson.h>
#include <string.h>

#include "lib/json_fields.h"
#include "otpvault/codec.h"
#include "otpvault/export.h"
#include "otpvault/importer.h"
#include "otpvault/mem.h"
#include "otpvault/secret_text.h"
#include "otpvault/sync.h"
#include "otpvault/uri.h"

/* An array whose first element has the contract's keys; andOTP's arrays have "label". */
static int contract_sniff(const struct ov_blob *in)
{
    size_t i = 0;
    const char *p = (const char *)in->data;

    while (i < in->len && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t'))
        i++;
    if (i == in->len || p[i] != '[')
        return 0;
    if (memmem(p, in->len, "\"secret\"", 8) == NULL || memmem(p, in->len, "\"name\"", 6) == NULL ||
        memmem(p, in->len, "\"issuer\"", 8) == NULL || memmem(p, in->len, "\"algorithm\"", 11) == NULL)
        return 0;
    return memmem(p, in->len, "\"label\"", 7) == NULL ? 80 : 10;
}

static int read_entry(json_t *o, struct ov_account *a, struct ov_error *err)
{
    const char *type, *issuer, *name, *secret, *algo, *text;
    int64_t digits, period, counter;
    int rc;

    if (!json_is_object(o))
        return ov_error_set(err, OV_ERR_INVALID, "not an object");
    if ((type = jf_string(o, "type", "totp", err)) == NULL ||
        (issuer = jf_string(o, "issuer", "", err)) == NULL ||
        (name = jf_string(o, "name", "", err)) == NULL ||
        (algo = jf_string(o, "algorithm", "SHA1", err)) == NULL)
        return OV_ERR_INVALID;
    if ((secret = jf_string(o, "secret", NULL, err)) == NULL)
        return ov_error_set(err, OV_ERR_INVALID, "no 'secret'");
    if (ov_otp_type_parse(type, &a->type) != 0)
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "unknown type '%.20s'", type);
    if (ov_algo_parse(algo, &a->algo) != 0)
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "unknown algorithm '%.20s'", algo);
    ov_account_set_text(&a->issuer, issuer);
    ov_account_set_text(&a->name, name);
    ov_account_normalise_label(a);   /* design.md 4.1, as every importer does */
    if ((rc = ov_secret_text_set(a, secret, OV_SECRET_BASE32, err)) != OV_OK)
        return rc;
    if ((rc = jf_int(o, "digits", a->type == OV_STEAM ? 5 : 6, OV_DIGITS_MIN, OV_DIGITS_MAX,
                     &digits, err)) != OV_OK)
        return rc;
    a->digits = (unsigned)digits;
    if (a->type == OV_HOTP) {
        if ((rc = jf_int(o, "counter", 0, 0, INT64_MAX, &counter, err)) != OV_OK)
            return rc;
        a->counter = (uint64_t)counter;
    } else {
        if ((rc = jf_int(o, "period", a->type == OV_MOTP ? 10 : 30, 1, OV_PERIOD_MAX, &period,
                         err)) != OV_OK)
            return rc;
        a->period = (unsigned)period;
    }
    if ((text = jf_string(o, "group", NULL, NULL)) != NULL)
        ov_account_set_text(&a->group, text);
    if ((text = jf_string(o, "note", NULL, NULL)) != NULL && text[0] != '\0')
        ov_account_set_text(&a->note, text);
    if ((text = jf_string(o, "pin", NULL, NULL)) != NULL && text[0] != '\0')
        a->pin = ov_secure_strdup(text);
    /* Our own export keeps the identity and change time (sync.h); a bad one is not fatal. */
    if ((text = jf_string(o, "id", NULL, NULL)) != NULL && ov_account_id_parse(text, a->id) != 0)
        memset(a->id, 0, sizeof a->id);
    if (json_is_integer(json_object_get(o, "modified")) &&
        json_integer_value(json_object_get(o, "modified")) > 0)
        a->modified = (int64_t)json_integer_value(json_object_get(o, "modified"));
    return ov_account_validate(a, err);
}

static int contract_load(const struct ov_blob *in, struct ov_import_opts *opts,
                         struct ov_account_list *out, struct ov_error *err)
{
    json_t *root, *o;
    size_t i;
    int rc;

    ov_json_use_secure_memory();   /* the parsed strings hold the secrets */
    if ((rc = jf_parse(in->data, in->len, &root, err)) != OV_OK)
        return rc;
    if (!json_is_array(root)) {
        json_decref(root);
        return ov_error_set(err, OV_ERR_INVALID, "%s: expected a JSON array of accounts",
                            in->name);
    }
    json_array_foreach(root, i, o) {
        struct ov_account a;
        struct ov_error e = { 0 };
        ov_account_init(&a);
        if (read_entry(o, &a, &e) != OV_OK) {
            ov_import_issue_add(opts, i + 1, "account %zu: %s", i + 1, e.msg);
            ov_account_free(&a);
            continue;
        }
        ov_account_list_push(out, &a);
    }
    json_decref(root);
    return OV_OK;
}

const struct ov_importer ov_importer_json = {
    .name = "json", .label = "otpvault's JSON (export --format json, import --dry-run --json)",
    .sniff = contract_sniff, .load = contract_load,
};
