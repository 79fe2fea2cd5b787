/* Aegis Authenticator vault files (formats.md 1), plain or encrypted, content versions 1 to
 * 3: TOTP, HOTP, Steam, mOTP and Yandex entries with their note and group. Icons are not
 * kept. Aegis' own import rules are followed (MD5 on a non-mOTP entry means SHA1). */
#include <string.h>

#include "lib/account_build.h"
#include "lib/json_entries.h"
#include "lib/aegis_decrypt.h"
#include "lib/json_fields.h"
#include "lib/json_sniff.h"
#include "otpvault/mem.h"

#define FILE_VERSION_MAX 1
#define CONTENT_VERSION_MAX 3

static int aegis_sniff(const struct ov_blob *in)
{
    return js_object_with(in, "header", "db") ? 95 : 0;
}

/* The encrypted vault keeps its content ("db") as Base64 text. */
static bool aegis_is_encrypted(const struct ov_blob *in)
{
    return js_top_string(in, "db");
}

/* The name of the group an entry belongs to: v2 stores it, v3 links group UUIDs. */
static const char *entry_group(json_t *entry, json_t *groups, int version)
{
    json_t *ids, *id, *g;
    size_t i, k;

    if (version < 3) {
        const char *name = jf_string(entry, "group", NULL, NULL);
        return name != NULL && name[0] != '\0' ? name : NULL;
    }
    ids = json_object_get(entry, "groups");
    json_array_foreach(ids, i, id) {
        if (!json_is_string(id))
            continue;
        /* An entry may list a UUID whose group was deleted: skip it, as Aegis does. */
        json_array_foreach(groups, k, g) {
            const char *uuid = jf_string(g, "uuid", NULL, NULL);
            const char *name = jf_string(g, "name", NULL, NULL);
            if (uuid != NULL && name != NULL && name[0] != '\0' &&
                strcmp(uuid, json_string_value(id)) == 0)
                return name;
        }
    }
    return NULL;
}

/* The "info" object: secret and OTP parameters. */
static int read_info(json_t *info, struct ov_account *a, struct ov_error *err)
{
    const char *secret, *algo;
    int64_t digits, period, counter;
    int rc;

    if ((secret = jf_string_req(info, "secret", err)) == NULL)
        return OV_ERR_INVALID;
    if ((rc = ov_secret_text_set(a, secret, OV_SECRET_BASE32, err)) != OV_OK)
        return rc;
    if ((algo = jf_string(info, "algo", "SHA1", err)) == NULL)
        return OV_ERR_INVALID;
    if ((rc = ab_algo(a, algo, true, err)) != OV_OK)
        return rc;
    /* Old Aegis versions wrote MD5 for entries that were not mOTP; Aegis reads it as SHA1. */
    if (a->algo == OV_MD5 && a->type != OV_MOTP)
        a->algo = OV_SHA1;
    if ((rc = jf_int(info, "digits", 6, OV_DIGITS_MIN, OV_DIGITS_MAX, &digits, err)) != OV_OK)
        return rc;
    a->digits = (unsigned)digits;
    if (a->type == OV_HOTP) {
        if ((rc = jf_int(info, "counter", 0, 0, INT64_MAX, &counter, err)) != OV_OK)
            return rc;
        a->counter = (uint64_t)counter;
    } else {
        if ((rc = jf_int(info, "period", 30, 1, OV_PERIOD_MAX, &period, err)) != OV_OK)
            return rc;
        a->period = (unsigned)period;
    }
    if (a->type == OV_MOTP || a->type == OV_YANDEX) {
        json_t *pin;
        if ((rc = jf_get(info, "pin", JSON_STRING, false, &pin, err)) != OV_OK)
            return rc;
        if (pin != NULL && json_string_length(pin) > 0)
            a->pin = ov_secure_strdup(json_string_value(pin));
    }
    ov_account_type_fixed(a);
    return OV_OK;
}

/* What an entry's group is looked up in. */
struct content {
    json_t *groups;
    int version;
};

static int read_entry(json_t *e, void *content, struct ov_account *a, struct ov_error *err)
{
    const struct content *c = content;
    const char *type, *text;
    json_t *info;
    int rc;

    if (!json_is_object(e))
        return ov_error_set(err, OV_ERR_INVALID, "is %s, expected an object", jf_type_name(e));
    /* Names first, so that a later problem can name the entry. */
    if ((text = jf_string(e, "issuer", "", err)) == NULL)
        return OV_ERR_INVALID;
    ov_account_set_text(&a->issuer, text);
    if ((text = jf_string(e, "name", "", err)) == NULL)
        return OV_ERR_INVALID;
    ov_account_set_text(&a->name, text);
    if ((type = jf_string_req(e, "type", err)) == NULL)
        return OV_ERR_INVALID;
    if (ov_otp_type_parse(type, &a->type) != 0)
        return ab_unknown(err, OV_ERR_UNSUPPORTED, "OTP type", type);
    if ((rc = jf_get(e, "info", JSON_OBJECT, true, &info, err)) != OV_OK)
        return rc;
    if ((rc = read_info(info, a, err)) != OV_OK)
        return rc;
    if ((text = jf_string(e, "note", NULL, NULL)) != NULL && text[0] != '\0')
        ov_account_set_text(&a->note, text);
    if ((text = entry_group(e, c->groups, c->version)) != NULL)
        ov_account_set_text(&a->group, text);
    return OV_OK;
}

/* The vault content ("db"): version, entries, groups. */
static int read_content(json_t *db, struct ov_import_opts *opts, struct ov_account_list *out,
                        struct ov_error *err)
{
    json_t *entries, *groups;
    int64_t version;
    int rc;

    if (!json_is_object(db))
        return ov_error_set(err, OV_ERR_INVALID, "the vault content is %s, expected an object",
                            jf_type_name(db));
    if ((rc = ov_json_version(db, "version", "the vault content", "vault content version",
                              CONTENT_VERSION_MAX, &version, err)) != OV_OK)
        return rc;
    if ((rc = jf_get(db, "entries", JSON_ARRAY, true, &entries, err)) != OV_OK ||
        (rc = jf_get(db, "groups", JSON_ARRAY, false, &groups, err)) != OV_OK)
        return rc;
    ov_json_read_entries(entries, read_entry, &(struct content){ groups, (int)version }, opts,
                         out);
    return OV_OK;
}

static int aegis_load(const struct ov_blob *in, struct ov_import_opts *opts,
                      struct ov_account_list *out, struct ov_error *err)
{
    json_t *root, *header, *db;
    int64_t version;
    int rc;

    if ((rc = ov_json_parse_object(in, "an Aegis vault", &root, err)) != OV_OK)
        return rc;
    if ((rc = ov_json_version(root, "version", "not an Aegis vault", "Aegis vault file version",
                              FILE_VERSION_MAX, &version, err)) != OV_OK ||
        (rc = jf_get(root, "header", JSON_OBJECT, true, &header, err)) != OV_OK)
        goto done;
    db = json_object_get(root, "db");
    /* Plain exactly when the header has neither slots nor parameters (Header.isEmpty). */
    if (json_is_null(json_object_get(header, "slots")) &&
        json_is_null(json_object_get(header, "params"))) {
        rc = db == NULL ? ov_error_set(err, OV_ERR_INVALID, "'db' is missing")
                        : read_content(db, opts, out, err);
    } else {
        uint8_t *plain;
        size_t plain_len;
        json_t *content = NULL;

        rc = aegis_decrypt(root, opts, &plain, &plain_len, err);
        if (rc == OV_OK) {
            rc = jf_parse(plain, plain_len, &content, err);
            ov_secure_free(plain, plain_len + 1);
            if (rc != OV_OK)
                ov_error_prefix(err, "the decrypted vault content");
        }
        if (rc == OV_OK)
            rc = read_content(content, opts, out, err);
        json_decref(content);
    }
done:
    json_decref(root);
    return rc;
}

const struct ov_importer ov_importer_aegis = {
    .name = "aegis", .label = "Aegis Authenticator vault export (plain or encrypted JSON)",
    .sniff = aegis_sniff, .load = aegis_load, .needs_password = true,
    .is_encrypted = aegis_is_encrypted,
};
