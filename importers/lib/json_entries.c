/* See json_entries.h. */
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
