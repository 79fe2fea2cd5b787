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
    const char *issuer, *user, *secret, *algo, *group;
    int64_t digits, period;
    int rc;

    if (!json_is_object(e))
        return ov_error_set(err, OV_ERR_INVALID, "is %s, expected an object", jf_type_name(e));
    if ((issuer = jf_string(e, "issuerName", "", err)) == NULL ||
        (user = jf_string(e, "userName", "", err)) == NULL)
        return OV_ERR_INVALID;
    ov_account_set_text(&a->issuer, issuer);
    ov_account_set_text(&a->name, user);
    if ((secret = jf_string_req(e, "secret", err)) == NULL)
        return OV_ERR_INVALID;
    if ((rc = ov_secret_text_set(a, secret, OV_SECRET_BASE32, err)) != OV_OK)
        return rc;
    if ((algo = jf_string(e, "algorithm", "SHA1", err)) == NULL)
        return OV_ERR_INVALID;
    if ((rc = ab_algo(a, algo, false, err)) != OV_OK)
        return rc;
    if ((rc = jf_int(e, "digits", 6, OV_DIGITS_MIN, OV_DIGITS_MAX, &digits, err)) != OV_OK ||
        (rc = jf_int(e, "timeStep", 30, 1, OV_PERIOD_MAX, &period, err)) != OV_OK)
        return rc;
    a->digits = (unsigned)digits;
    a->period = (unsigned)period;
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
    .name = "lastpass",
    .label = "LastPass Authenticator JSON export",
    .sniff = lastpass_sniff,
    .load = lastpass_load,
    .needs_password = false,
};
