/* See json_entries.h. */
#include <stdint.h>
#include <stdio.h>

#include "account_build.h"
#include "json_entries.h"
#include "json_fields.h"

int ov_json_parse_object(const struct ov_blob *in, const char *what, json_t **root,
                         struct ov_error *err)
{
    int rc = jf_parse(in->data, in->len, root, err);

    if (rc != OV_OK)
        return rc;
    if (json_is_object(*root))
        return OV_OK;
    rc = ov_error_set(err, OV_ERR_INVALID, "not %s: the file is %s, expected an object", what,
                      jf_type_name(*root));
    json_decref(*root);
    *root = NULL;
    return rc;
}

int ov_json_version(json_t *obj, const char *key, const char *what, const char *what_version,
                    int max, int64_t *version, struct ov_error *err)
{
    int rc = jf_int(obj, key, -1, INT32_MIN, INT32_MAX, version, err);

    if (rc != OV_OK)
        return rc;
    if (*version == -1)
        return ov_error_set(err, OV_ERR_INVALID, "%s: no '%s'", what, key);
    if (*version < 1 || *version > max) {
        char range[32];
        if (max == 1)
            snprintf(range, sizeof range, "only 1 is");
        else
            snprintf(range, sizeof range, "1 to %d are", max);
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "%s %lld is not supported (%s)",
                            what_version, (long long)*version, range);
    }
    return OV_OK;
}

void ov_json_read_entries(json_t *entries, ov_json_entry_reader read, void *ctx,
                          struct ov_import_opts *opts, struct ov_account_list *out)
{
    json_t *e;
    size_t i;

    json_array_foreach(entries, i, e) {
        struct ov_account a;
        struct ov_error eerr = { 0 };
        int rc;

        ov_account_init(&a);
        rc = read(e, ctx, &a, &eerr);
        if (rc == OV_ENTRY_SKIPPED)
            ab_skip(&a, opts, i + 1, eerr.msg);
        else if (rc != OV_OK)
            ab_reject(&a, opts, i + 1, eerr.msg);
        else
            ab_add(&a, opts, i + 1, out);
    }
}

int ov_json_read_list(const struct ov_blob *in, const char *what, const char *key,
                      ov_json_entry_reader read, struct ov_import_opts *opts,
                      struct ov_account_list *out, struct ov_error *err)
{
    json_t *root = NULL, *entries = NULL;
    int rc;

    if (key != NULL)
        rc = ov_json_parse_object(in, what, &root, err);
    else if ((rc = jf_parse(in->data, in->len, &root, err)) == OV_OK && !json_is_array(root))
        rc = ov_error_set(err, OV_ERR_INVALID, "not %s: the file is %s, expected an array",
                          what, jf_type_name(root));
    if (rc != OV_OK) {
        json_decref(root);
        return rc;
    }
    if (key == NULL)
        entries = root;
    else
        rc = jf_get(root, key, JSON_ARRAY, true, &entries, err);
    if (rc == OV_OK)
        ov_json_read_entries(entries, read, NULL, opts, out);
    json_decref(root);
    return rc;
}

int ov_json_otp_fields(json_t *obj, const struct ov_json_otp_keys *keys, struct ov_account *a,
                       struct ov_error *err)
{
    const char *secret, *algo;
    int64_t digits = 6, period = 30, counter = 0;
    int rc;

    if (keys->secret != NULL) {
        if ((secret = jf_string_req(obj, keys->secret, err)) == NULL)
            return OV_ERR_INVALID;
        if ((rc = ov_secret_text_set(a, secret, OV_SECRET_BASE32, err)) != OV_OK)
            return rc;
    }
    if ((algo = jf_string(obj, keys->algorithm, "SHA1", err)) == NULL)
        return OV_ERR_INVALID;
    if ((rc = ab_algo(a, algo, false, err)) != OV_OK)
        return rc;
    if ((rc = jf_int(obj, keys->digits, 6, OV_DIGITS_MIN, OV_DIGITS_MAX, &digits, err)) !=
            OV_OK ||
        (rc = jf_int(obj, keys->period, 30, 1, OV_PERIOD_MAX, &period, err)) != OV_OK ||
        (keys->counter != NULL &&
         (rc = jf_int(obj, keys->counter, 0, 0, INT64_MAX, &counter, err)) != OV_OK))
        return rc;
    a->digits = (unsigned)digits;
    a->period = (unsigned)period;
    a->counter = a->type == OV_HOTP ? (uint64_t)counter : 0;
    ov_account_type_fixed(a);
    return OV_OK;
}
