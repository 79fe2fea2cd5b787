/* Bitwarden exports (formats.md 8): the JSON export (also written by the Bitwarden
 * Authenticator app), its password-protected variant (bitwarden_crypto.c), and the CSV
 * export. Only login items with a TOTP field become accounts; cards, notes and identities are
 * passed over. The field holds an otpauth:// URI, steam://<Base32>, or a bare Base32 secret;
 * like Stratum, missing labels are taken from the item's name and login user name, and a
 * folder becomes the account's group. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "lib/bitwarden_crypto.h"
#include "lib/csv.h"
#include "lib/json_fields.h"
#include "lib/json_sniff.h"
#include "otpvault/importer.h"
#include "otpvault/mem.h"
#include "otpvault/uri.h"
#include "otpvault/secret_text.h"

#define LOGIN_ITEM 1
/* The field is parsed in secure memory, which cannot hold one block past its pool size
 * (256 KiB); a real one is under 1 KiB. */
#define TOTP_MAX (16u * 1024u)

/* What one item (JSON) or row (CSV) says about its TOTP. */
struct bw_item {
    const char *totp, *name, *username, *folder;
};

/* --- Detection ---------------------------------------------------------------------- */

static bool starts_with_brace(const struct ov_blob *in)
{
    size_t i = in->len >= 3 && memcmp(in->data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;

    while (i < in->len && isspace(in->data[i]))
        i++;
    return i < in->len && in->data[i] == '{';
}

/* The CSV header: the first line names the login_totp column. */
static bool csv_header_has_totp(const struct ov_blob *in)
{
    const char *p = (const char *)in->data;
    const char *nl = memchr(p, '\n', in->len);
    size_t len = nl != NULL ? (size_t)(nl - p) : in->len;
    static const char col[] = "login_totp";

    for (size_t i = 0; len >= sizeof col - 1 && i <= len - (sizeof col - 1); i++)
        if (memcmp(p + i, col, sizeof col - 1) == 0)
            return true;
    return false;
}

static int bitwarden_sniff(const struct ov_blob *in)
{
    static const char *const keys[] = { "items", "encrypted", "passwordProtected",
                                        "encKeyValidation_DO_NOT_EDIT", "folders" };
    bool found[5];

    if (!js_top_keys(in, keys, 5, found))
        return memchr(in->data, '\0', in->len) == NULL && csv_header_has_totp(in) ? 90 : 0;
    if (found[3] || (found[1] && found[2]))
        return 95;
    if (found[0] && found[1])
        return 90;
    if (found[0] && found[4])
        return 60;
    return 0;
}

static bool bitwarden_is_encrypted(const struct ov_blob *in)
{
    json_t *root;
    bool yes;

    if (!starts_with_brace(in) || jf_parse(in->data, in->len, &root, NULL) != OV_OK)
        return false;
    /* Account-restricted exports ("passwordProtected" false) cannot use a password. */
    yes = jf_bool(root, "encrypted", false) && jf_bool(root, "passwordProtected", false);
    json_decref(root);
    return yes;
}

/* --- One item ----------------------------------------------------------------------- */

static bool has_scheme(const char *s, const char *scheme)
{
    return strncasecmp(s, scheme, strlen(scheme)) == 0;
}

static int item_account(const struct bw_item *it, struct ov_account *a, struct ov_error *err)
{
    const char *s = it->totp, *end;
    char *text;
    size_t len;
    int rc;

    while (isspace((unsigned char)*s))
        s++;
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        end--;
    len = (size_t)(end - s);
    if (len > TOTP_MAX)
        return ov_error_set(err, OV_ERR_INVALID, "the TOTP field is %zu bytes, too long", len);
    text = ov_secure_strndup(s, len);
    if (has_scheme(text, "otpauth://") || has_scheme(text, "motp://") ||
        has_scheme(text, "steam://")) {
        ov_account_free(a); /* ov_uri_parse initialises it afresh */
        rc = ov_uri_parse(text, a, NULL, 0, err);
        if (rc == OV_OK && has_scheme(text, "steam://"))
            ov_account_set_text(&a->name, it->username[0] != '\0' ? it->username
                                                                  : "Steam account");
    } else {
        /* A bare key: Bitwarden's own default, TOTP/SHA1/6/30 (a is freshly initialised). */
        rc = ov_secret_text_set(a, text, OV_SECRET_BASE32, err);
    }
    ov_secure_free_str(text);
    if (rc != OV_OK)
        return rc;
    if (a->issuer[0] == '\0')
        ov_account_set_text(&a->issuer, it->name);
    if (a->name[0] == '\0')
        ov_account_set_text(&a->name, it->username);
    ov_account_normalise_label(a);
    if (it->folder != NULL)
        ov_account_set_text(&a->group, it->folder);
    return ov_account_validate(a, err);
}

static void add_item(const struct bw_item *it, size_t position, const char *unit,
                     struct ov_import_opts *opts, struct ov_account_list *out)
{
    struct ov_account a;
    struct ov_error err = { 0 };

    ov_account_init(&a);
    if (item_account(it, &a, &err) == OV_OK)
        ov_account_list_push(out, &a);
    else if (it->name[0] != '\0')
        ov_import_issue_add(opts, position, "%s %zu (%.60s): %s", unit, position, it->name,
                            err.msg);
    else
        ov_import_issue_add(opts, position, "%s %zu: %s", unit, position, err.msg);
    ov_account_free(&a);
}

/* --- JSON --------------------------------------------------------------------------- */

static const char *folder_name(json_t *folders, const char *id)
{
    json_t *f;
    size_t i;

    if (id == NULL)
        return NULL;
    json_array_foreach(folders, i, f) {
        const char *fid = json_string_value(json_object_get(f, "id"));
        if (fid != NULL && strcmp(fid, id) == 0)
            return json_string_value(json_object_get(f, "name"));
    }
    return NULL;
}

/* Fills it from one JSON item. Returns 1 when the item has a TOTP to read, 0 when it is
 * passed over (not a login, no TOTP), or an error for a malformed item. */
static int json_item(json_t *item, json_t *folders, struct bw_item *it, struct ov_error *err)
{
    json_t *login = json_object_get(item, "login");
    int64_t type;

    if (!json_is_object(item))
        return ov_error_set(err, OV_ERR_INVALID, "not an object");
    if (jf_int(item, "type", LOGIN_ITEM, INT64_MIN, INT64_MAX, &type, err) != OV_OK)
        return OV_ERR_INVALID;
    if (type != LOGIN_ITEM || login == NULL || json_is_null(login))
        return 0;
    if (!json_is_object(login))
        return ov_error_set(err, OV_ERR_INVALID, "'login' is not an object");
    if ((it->totp = jf_string(login, "totp", "", err)) == NULL ||
        (it->name = jf_string(item, "name", "", err)) == NULL ||
        (it->username = jf_string(login, "username", "", err)) == NULL)
        return OV_ERR_INVALID;
    it->folder = folder_name(folders, json_string_value(json_object_get(item, "folderId")));
    return it->totp[0] != '\0';
}

static int read_vault(json_t *root, struct ov_import_opts *opts, struct ov_account_list *out,
                      struct ov_error *err)
{
    json_t *items = json_object_get(root, "items"), *item;
    json_t *folders = json_object_get(root, "folders");
    size_t i;

    if (items == NULL || json_is_null(items))
        return ov_error_set(err, OV_ERR_INVALID, "not a Bitwarden export: no 'items' list");
    if (!json_is_array(items))
        return ov_error_set(err, OV_ERR_INVALID, "'items' is not a list");
    json_array_foreach(items, i, item) {
        struct bw_item it = { 0 };
        struct ov_error ierr = { 0 };
        int rc = json_item(item, folders, &it, &ierr);

        if (rc < 0)
            ov_import_issue_add(opts, i + 1, "entry %zu: %s", i + 1, ierr.msg);
        else if (rc > 0)
            add_item(&it, i + 1, "entry", opts, out);
    }
    return OV_OK;
}

static int load_json(const struct ov_blob *in, struct ov_import_opts *opts,
                     struct ov_account_list *out, struct ov_error *err)
{
    struct secret_buf plain = { 0 };
    json_t *root;
    int rc;

    if (jf_parse(in->data, in->len, &root, err) != OV_OK)
        return OV_ERR_INVALID;
    if (!json_is_object(root)) {
        json_decref(root);
        return ov_error_set(err, OV_ERR_INVALID, "not a Bitwarden export: the JSON is not an "
                            "object");
    }
    if (!jf_bool(root, "encrypted", false)) {
        rc = read_vault(root, opts, out, err);
        json_decref(root);
        return rc;
    }
    if (!jf_bool(root, "passwordProtected", false)) {
        json_decref(root);
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "account-restricted export cannot be "
                            "decrypted; export as password-protected or unencrypted JSON");
    }
    rc = bw_decrypt_export(root, opts, &plain, err);
    json_decref(root);
    if (rc == OV_OK && jf_parse(plain.data, plain.size, &root, err) != OV_OK)
        rc = OV_ERR_INVALID;
    secret_buf_free(&plain);
    if (rc != OV_OK)
        return rc;
    /* jansson holds the decrypted strings in its own allocations: keep them briefly. */
    rc = json_is_object(root) ? read_vault(root, opts, out, err)
                              : ov_error_set(err, OV_ERR_INVALID, "the decrypted data is not "
                                             "a JSON object");
    json_decref(root);
    return rc;
}

/* --- CSV ---------------------------------------------------------------------------- */

static long column(const struct csv_record *header, const char *name)
{
    for (size_t i = 0; i < header->nfields; i++)
        if (strcmp(header->fields[i], name) == 0)
            return (long)i;
    return -1;
}

static const char *cell(const struct csv_record *rec, long col)
{
    return col >= 0 && (size_t)col < rec->nfields ? rec->fields[col] : "";
}

static int load_csv(const struct ov_blob *in, struct ov_import_opts *opts,
                    struct ov_account_list *out, struct ov_error *err)
{
    struct csv_reader r;
    struct csv_record header, rec;
    long c_totp, c_name, c_user, c_folder;
    int rc;

    if (memchr(in->data, '\0', in->len) != NULL)
        return ov_error_set(err, OV_ERR_INVALID, "binary data, not a Bitwarden export");
    csv_init(&r, in->data, in->len);
    while ((rc = csv_next(&r, &header, err)) == 1 && csv_record_blank(&header))
        csv_record_free(&header);
    if (rc != 1) {
        csv_record_free(&header);
        return rc == 0 ? ov_error_set(err, OV_ERR_INVALID, "empty file") : rc;
    }
    c_totp = column(&header, "login_totp");
    c_name = column(&header, "name");
    c_user = column(&header, "login_username");
    c_folder = column(&header, "folder");
    csv_record_free(&header);
    if (c_totp < 0)
        return ov_error_set(err, OV_ERR_INVALID, "not a Bitwarden CSV export: the first line "
                            "has no 'login_totp' column");
    while ((rc = csv_next(&r, &rec, err)) == 1) {
        struct bw_item it = { cell(&rec, c_totp), cell(&rec, c_name), cell(&rec, c_user),
                              cell(&rec, c_folder) };
        if (it.folder[0] == '\0')
            it.folder = NULL;
        if (!csv_record_blank(&rec) && (size_t)c_totp >= rec.nfields)
            ov_import_issue_add(opts, rec.line, "line %zu: %zu fields, too few for the "
                                "'login_totp' column", rec.line, rec.nfields);
        else if (it.totp[0] != '\0')
            add_item(&it, rec.line, "line", opts, out);
        csv_record_free(&rec);
    }
    csv_record_free(&rec);
    /* A quote left open swallows the rest of the file: what came before still counts. */
    if (rc < 0)
        ov_import_issue_add(opts, r.line, "%s", err->msg);
    return OV_OK;
}

static int bitwarden_load(const struct ov_blob *in, struct ov_import_opts *opts,
                          struct ov_account_list *out, struct ov_error *err)
{
    return starts_with_brace(in) ? load_json(in, opts, out, err) : load_csv(in, opts, out, err);
}

const struct ov_importer ov_importer_bitwarden = {
    .name = "bitwarden",
    .label = "Bitwarden and Bitwarden Authenticator (JSON, password-protected JSON, CSV)",
    .sniff = bitwarden_sniff, .load = bitwarden_load, .needs_password = true,
    .is_encrypted = bitwarden_is_encrypted,
};
