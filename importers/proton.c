/* Proton Authenticator JSON export (formats.md 18): {"version": 1, "entries": [{"content":
 * {"uri": "otpauth://...", "entry_type": "Totp", "name": "..."}, "note": ...}]}. Each entry is
 * its URI, with the name the user gave it in the app. */
#include <string.h>

#include "lib/account_build.h"
#include "lib/json_entries.h"
#include "lib/json_fields.h"
#include "lib/json_sniff.h"

static int proton_sniff(const struct ov_blob *in)
{
    struct js_probe p[] = { { "entries", 1, false, 0 }, { "content", 3, false, 0 },
                            { "uri", 4, false, 0 }, { "version", 1, false, 0 } };

    if (js_scan(in, p, 4) != '{')
        return 0;
    return p[0].found && p[1].found && p[2].found ? 90 : 0;
}

static int read_entry(json_t *e, void *ctx, struct ov_account *a, struct ov_error *err)
{
    const char *uri, *name, *note;
    json_t *content;
    int rc;

    if (!json_is_object(e))
        return ov_error_set(err, OV_ERR_INVALID, "is %s, expected an object", jf_type_name(e));
    if ((rc = jf_get(e, "content", JSON_OBJECT, true, &content, err)) != OV_OK)
        return rc;
    if ((uri = jf_string_req(content, "uri", err)) == NULL ||
        (name = jf_string(content, "name", "", err)) == NULL ||
        (note = jf_string(e, "note", "", err)) == NULL)
        return OV_ERR_INVALID;
    ov_account_set_text(&a->name, name); /* names the entry if the URI is bad */
    if ((rc = ab_from_uri(a, uri, err)) != OV_OK) {
        ov_error_prefix(err, "the URI");
        return rc;
    }
    if (name[0] != '\0')
        ov_account_set_text(&a->name, name);
    if (note[0] != '\0')
        ov_account_set_text(&a->note, note);
    return OV_OK;
}

static int proton_load(const struct ov_blob *in, struct ov_import_opts *opts,
                       struct ov_account_list *out, struct ov_error *err)
{
    return ov_json_read_list(in, "a Proton Authenticator export", "entries", read_entry, opts,
                             out, err);
}

const struct ov_importer ov_importer_proton = {
    .name = "proton", .label = "Proton Authenticator JSON export", .sniff = proton_sniff,
    .load = proton_load,
};
