/* LastPass Authenticator export (formats.md 23): {"version": 3, "localDeviceId", "deviceName",
 * "folders": [{"id", "name"}], "accounts": [{"issuerName", "userName", "secret" (Base32),
 * "timeStep", "digits", "algorithm", "folderData": {"folderId"}}]}. LastPass has TOTP only.
 * Folders become groups, except the built-in "Other accounts" (id 0), which is no group. */
#include "lib/account_build.h"
#include "lib/json_entries.h"
#include "lib/json_fields.h"
#include "lib/json_sniff.h"

#define FOLDER_NONE 0

static int lastpass_sniff(const struct ov_blob *in)
{
    struct js_probe p[] = { { "accounts", 1, false, 0 }, { "localDeviceId", 1, false, 0 },
                            { "deviceName", 1, false, 0 }, { "issuerName", 3, false, 0 },
                            { "userName", 3, false, 0 } };

    if (js_scan(in, p, 5) != '{' || !p[0].found || p[0].value_start != '[')
        return 0;
    if (p[1].found || p[2].found)
        return 90;
    return p[3].found && p[4].found ? 80 : 0;
}

static const char *folder_name(json_t *folders, json_t *account)
{
    json_t *data = json_object_get(account, "folderData"), *f;
    int64_t id, fid;
    size_t i;

    if (jf_int(data, "folderId", FOLDER_NONE, INT64_MIN, INT64_MAX, &id, NULL) != OV_OK ||
        id == FOLDER_NONE)
        return NULL;
    json_array_foreach(folders, i, f) {
        const char *name = jf_string(f, "name", NULL, NULL);
        if (jf_int(f, "id", -1, INT64_MIN, INT64_MAX, &fid, NULL) == OV_OK && fid == id &&
            name != NULL && name[0] != '\0')
            return name;
    }
    return NULL;
}

static int read_account(json_t *e, void *folders_json, struct ov_account *a,
                        struct ov_error *err)
{
    json_t *folders = folders_json;
    const char *issuer, *user, *group;
    int rc;

    if (!json_is_object(e))
        return ov_error_set(err, OV_ERR_INVALID, "is %s, expected an object", jf_type_name(e));
    if ((issuer = jf_string(e, "issuerName", "", err)) == NULL ||
        (user = jf_string(e, "userName", "", err)) == NULL)
        return OV_ERR_INVALID;
    ov_account_set_text(&a->issuer, issuer);
    ov_account_set_text(&a->name, user);
    if ((rc = ov_json_otp_fields(e, &(struct ov_json_otp_keys){ "secret", "algorithm", "digits",
                                                              "timeStep", NULL },
                                 a, err)) != OV_OK)
        return rc;
    if ((group = folder_name(folders, e)) != NULL)
        ov_account_set_text(&a->group, group);
    return OV_OK;
}

static int lastpass_load(const struct ov_blob *in, struct ov_import_opts *opts,
                         struct ov_account_list *out, struct ov_error *err)
{
    json_t *root, *accounts = NULL, *folders = NULL;
    int rc;

    if ((rc = ov_json_parse_object(in, "a LastPass Authenticator export", &root, err)) != OV_OK)
        return rc;
    if ((rc = jf_get(root, "accounts", JSON_ARRAY, true, &accounts, err)) == OV_OK &&
        (rc = jf_get(root, "folders", JSON_ARRAY, false, &folders, err)) == OV_OK)
        ov_json_read_entries(accounts, read_account, folders, opts, out);
    json_decref(root);
    return rc;
}

const struct ov_importer ov_importer_lastpass = {
    .name = "lastpass", .label = "LastPass Authenticator JSON export", .sniff = lastpass_sniff,
    .load = lastpass_load,
};
