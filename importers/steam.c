/* Steam Guard secrets (formats.md 11): the Steam app's Steamguard-<steamid> file (new layout
 * {"accounts": {"<id>": {...}}}, old layout the account object itself) and Steam Desktop
 * Authenticator .maFile files, which have the old layout. shared_secret is Base64; every
 * account is a Steam token named by account_name, issuer "Steam". Encrypted maFiles are not
 * JSON and are not read. */
#include "lib/account_build.h"
#include "lib/json_entries.h"
#include "lib/json_fields.h"
#include "lib/json_sniff.h"

static int steam_sniff(const struct ov_blob *in)
{
    struct js_probe p[] = { { "shared_secret", 1, false, 0 }, { "accounts", 1, false, 0 },
                            { "shared_secret", 3, false, 0 } };

    if (js_scan(in, p, 3) != '{')
        return 0;
    return p[0].found || (p[1].found && p[2].found) ? 90 : 0;
}

static int read_account(json_t *acc, struct ov_account *a, struct ov_error *err)
{
    const char *name, *secret;
    int rc;

    if (!json_is_object(acc))
        return ov_error_set(err, OV_ERR_INVALID, "is %s, expected an object",
                            jf_type_name(acc));
    if ((name = jf_string(acc, "account_name", "", err)) == NULL)
        return OV_ERR_INVALID;
    ov_account_set_text(&a->name, name);
    ov_account_set_text(&a->issuer, "Steam");
    if ((secret = jf_string_req(acc, "shared_secret", err)) == NULL)
        return OV_ERR_INVALID;
    if ((rc = ov_secret_text_set(a, secret, OV_SECRET_BASE64, err)) != OV_OK)
        return rc;
    a->type = OV_STEAM;
    ov_account_type_fixed(a);
    return OV_OK;
}

static void add_account(json_t *acc, size_t position, struct ov_import_opts *opts,
                        struct ov_account_list *out)
{
    struct ov_account a;
    struct ov_error eerr = { 0 };

    ov_account_init(&a);
    if (read_account(acc, &a, &eerr) != OV_OK)
        ab_reject(&a, opts, position, eerr.msg);
    else
        ab_add(&a, opts, position, out);
}

static int steam_load(const struct ov_blob *in, struct ov_import_opts *opts,
                      struct ov_account_list *out, struct ov_error *err)
{
    json_t *root, *accounts, *acc;
    const char *key;
    size_t i = 0;
    int rc;

    if ((rc = ov_json_parse_object(in, "a Steam Guard file", &root, err)) != OV_OK)
        return rc;
    if (json_object_get(root, "shared_secret") != NULL) {
        add_account(root, 1, opts, out);
    } else if ((rc = jf_get(root, "accounts", JSON_OBJECT, true, &accounts, err)) == OV_OK) {
        json_object_foreach(accounts, key, acc)
            add_account(acc, ++i, opts, out);
    }
    json_decref(root);
    return rc;
}

const struct ov_importer ov_importer_steam = {
    .name = "steam",
    .label = "Steam Guard file (Steam app Steamguard-*, Steam Desktop Authenticator .maFile)",
    .sniff = steam_sniff, .load = steam_load,
};
