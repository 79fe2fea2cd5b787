/* Bitwarden Authenticator (the separate 2FA app) JSON export (formats.md 8): the Bitwarden
 * JSON shape, {"encrypted": false, "items": [{"name", "login": {"totp": ...}}]}, with only the
 * TOTP key filled. The key is an otpauth:// or steam:// URI or a bare Base32 secret (TOTP,
 * SHA1, 6 digits, 30 s); where it names no issuer or account, the item's name and login
 * username fill in. Detected more specifically than a password manager export (no folders,
 * logins without username or password), so that this importer reads it. */
#include <strings.h>

#include "lib/account_build.h"
#include "lib/json_entries.h"
#include "lib/json_fields.h"
#include "lib/json_sniff.h"

static int bitwarden_authenticator_sniff(const struct ov_blob *in)
{
    struct js_probe p[] = { { "items", 1, false, 0 }, { "totp", 4, false, 0 },
                            { "folders", 1, false, 0 }, { "username", 4, false, 0 },
                            { "password", 4, false, 0 }, { "passwordProtected", 1, false, 0 } };

    if (js_scan(in, p, 6) != '{' || !p[0].found || !p[1].found)
        return 0;
    return p[2].found || p[3].found || p[4].found || p[5].found ? 0 : 92;
}

static bool is_uri(const char *s)
{
    return strncasecmp(s, "otpauth://", 10) == 0 || strncasecmp(s, "steam://", 8) == 0 ||
           strncasecmp(s, "motp://", 7) == 0;
}

/* OV_ENTRY_SKIPPED: the item has no TOTP key (nothing to import). */
static int read_item(json_t *item, void *ctx, struct ov_account *a, struct ov_error *err)
{
    const char *title, *user, *totp;
    json_t *login;
    int rc;

    if (!json_is_object(item))
        return ov_error_set(err, OV_ERR_INVALID, "is %s, expected an object",
                            jf_type_name(item));
    if ((rc = jf_get(item, "login", JSON_OBJECT, false, &login, err)) != OV_OK ||
        (title = jf_string(item, "name", "", err)) == NULL ||
        (user = jf_string(login, "username", "", err)) == NULL ||
        (totp = jf_string(login, "totp", "", err)) == NULL)
        return OV_ERR_INVALID;
    ov_account_set_text(&a->issuer, title);
    ov_account_set_text(&a->name, user);
    if (totp[0] == '\0')
        return ov_error_set(err, OV_ENTRY_SKIPPED, "no TOTP key: nothing to import");
    if (is_uri(totp)) {
        if ((rc = ab_from_uri(a, totp, err)) != OV_OK) {
            ov_error_prefix(err, "the URI");
            return rc;
        }
        if (a->issuer[0] == '\0')
            ov_account_set_text(&a->issuer, title);
        if (a->name[0] == '\0')
            ov_account_set_text(&a->name, user);
        return OV_OK;
    }
    return ov_secret_text_set(a, totp, OV_SECRET_BASE32, err);
}

static int bitwarden_authenticator_load(const struct ov_blob *in, struct ov_import_opts *opts,
                                        struct ov_account_list *out, struct ov_error *err)
{
    json_t *root, *items;
    int rc;

    if ((rc = ov_json_parse_object(in, "a Bitwarden Authenticator export", &root, err)) !=
        OV_OK)
        return rc;
    if (jf_bool(root, "encrypted", false))
        rc = ov_error_set(err, OV_ERR_UNSUPPORTED, "an encrypted Bitwarden export, not a "
                          "Bitwarden Authenticator one");
    else if ((rc = jf_get(root, "items", JSON_ARRAY, true, &items, err)) == OV_OK)
        ov_json_read_entries(items, read_item, NULL, opts, out);
    json_decref(root);
    return rc;
}

const struct ov_importer ov_importer_bitwarden_authenticator = {
    .name = "bitwarden-authenticator", .label = "Bitwarden Authenticator JSON export",
    .sniff = bitwarden_authenticator_sniff, .load = bitwarden_authenticator_load,
};
