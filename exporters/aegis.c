/* Aegis vault files (formats.md 1), plain and encrypted, as Aegis itself writes them: file
 * version 1, content version 3 with groups, 4-space indent. Encrypted: a fresh 256-bit master
 * key encrypts the content with AES-256-GCM; one password slot wraps the master key under
 * scrypt(N=32768, r=8, p=1, 32-byte salt), "repaired": true - exactly what Aegis writes for a
 * new password, so Aegis opens it like its own export. */
#include <jansson.h>
#include <string.h>

#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/export.h"
#include "otpvault/mem.h"

#define SCRYPT_N 32768u
#define SCRYPT_R 8u
#define SCRYPT_P 1u
#define SALT_LEN 32u
#define KEY_LEN 32u
#define NONCE_LEN 12u
#define TAG_LEN 16u

static json_t *hex(const uint8_t *data, size_t len)
{
    char *s = ov_secure_alloc(2 * len + 1);
    json_t *j;
    ov_hex_encode(data, len, s);
    j = json_string(s);
    ov_secure_free(s, 2 * len + 1);
    return j;
}

static const char *type_name(enum ov_otp_type t)
{
    return ov_otp_type_name(t);   /* totp, hotp, steam, motp, yandex: Aegis' own names */
}

/* The group's UUID, creating the group on first use. */
static const char *group_uuid(json_t *groups, const char *name)
{
    bool created;

    return json_string_value(
        json_object_get(ov_export_json_group(groups, name, "uuid", &created), "uuid"));
}

static json_t *entry(const struct ov_account *a, json_t *groups)
{
    json_t *e = json_object(), *info = json_object(), *gl = json_array();
    char uuid[37], *b32 = ov_secure_alloc(ov_base32_encoded_len(a->secret_len) + 1);

    ov_uuid4(uuid);
    ov_base32_encode(a->secret, a->secret_len, b32);
    json_object_set_new(info, "secret", json_string(b32));
    ov_secure_free_str(b32);
    json_object_set_new(info, "algo", json_string(ov_algo_name(a->algo)));
    json_object_set_new(info, "digits", json_integer(a->digits));
    if (a->type == OV_HOTP)
        json_object_set_new(info, "counter", json_integer((json_int_t)a->counter));
    else
        json_object_set_new(info, "period", json_integer(a->period));
    if ((a->type == OV_MOTP || a->type == OV_YANDEX) && a->pin != NULL)
        json_object_set_new(info, "pin", json_string(a->pin));
    if (a->group != NULL && a->group[0] != '\0')
        json_array_append_new(gl, json_string(group_uuid(groups, a->group)));

    json_object_set_new(e, "type", json_string(type_name(a->type)));
    json_object_set_new(e, "uuid", json_string(uuid));
    json_object_set_new(e, "name", json_string(a->name));
    json_object_set_new(e, "issuer", json_string(a->issuer));
    json_object_set_new(e, "note", json_string(a->note != NULL ? a->note : ""));
    json_object_set_new(e, "favorite", json_false());
    json_object_set_new(e, "icon", json_null());
    json_object_set_new(e, "info", info);
    json_object_set_new(e, "groups", gl);
    return e;
}

/* The vault content (Vault.toJson, version 3). */
static json_t *content(const struct ov_account_list *in, struct ov_export_out *out)
{
    json_t *db = json_object(), *entries = json_array(), *groups = json_array();

    for (size_t i = 0; i < in->len; i++) {
        json_t *e = entry(&in->items[i], groups);
        if (json_object_get(e, "name") == NULL || json_object_get(e, "issuer") == NULL) {
            /* a name that is not UTF-8 cannot be a JSON string */
            json_decref(e);
            ov_export_skip(out, i, &in->items[i], "the name or issuer is not valid UTF-8");
            continue;
        }
        json_array_append_new(entries, e);
        out->count++;
    }
    json_object_set_new(db, "version", json_integer(3));
    json_object_set_new(db, "entries", entries);
    json_object_set_new(db, "groups", groups);
    json_object_set_new(db, "icons_optimized", json_true());
    return db;
}

static int finish(json_t *root, struct ov_export_out *out, struct ov_error *err)
{
    return ov_export_append_json_doc(out, root, 4, "Aegis JSON", err);
}

static json_t *envelope(json_t *slots, json_t *params, json_t *db)
{
    json_t *root = json_object(), *header = json_object();

    json_object_set_new(header, "slots", slots);
    json_object_set_new(header, "params", params);
    json_object_set_new(root, "version", json_integer(1));
    json_object_set_new(root, "header", header);
    json_object_set_new(root, "db", db);
    return root;
}

static int write_plain(const struct ov_account_list *in, const struct ov_export_opts *opts,
                       struct ov_export_out *out, struct ov_error *err)
{
    (void)opts;
    ov_json_use_secure_memory();
    return finish(envelope(json_null(), json_null(), content(in, out)), out, err);
}

/* The password slot: the master key wrapped under scrypt(password). */
static int password_slot(const uint8_t *master, const struct ov_export_opts *opts,
                         json_t **slot_out, struct ov_error *err)
{
    uint8_t salt[SALT_LEN], nonce[NONCE_LEN], tag[TAG_LEN], wrapped[KEY_LEN];
    uint8_t *k = ov_secure_alloc(KEY_LEN);
    json_t *slot, *kp;
    char uuid[37];
    int rc;

    ov_random(salt, sizeof salt);
    ov_random(nonce, sizeof nonce);
    rc = ov_kdf_scrypt(opts->password, opts->password_len, salt, sizeof salt, SCRYPT_N,
                       SCRYPT_R, SCRYPT_P, k, KEY_LEN, err);
    if (rc == OV_OK)
        rc = ov_aes_gcm_encrypt(k, KEY_LEN, nonce, sizeof nonce, NULL, 0, master, KEY_LEN,
                                wrapped, tag, err);
    ov_secure_free(k, KEY_LEN);
    if (rc != OV_OK)
        return rc;
    ov_uuid4(uuid);
    slot = json_object();
    kp = json_object();
    json_object_set_new(kp, "nonce", hex(nonce, sizeof nonce));
    json_object_set_new(kp, "tag", hex(tag, sizeof tag));
    json_object_set_new(slot, "type", json_integer(1));
    json_object_set_new(slot, "uuid", json_string(uuid));
    json_object_set_new(slot, "key", hex(wrapped, sizeof wrapped));
    json_object_set_new(slot, "key_params", kp);
    json_object_set_new(slot, "n", json_integer(SCRYPT_N));
    json_object_set_new(slot, "r", json_integer(SCRYPT_R));
    json_object_set_new(slot, "p", json_integer(SCRYPT_P));
    json_object_set_new(slot, "salt", hex(salt, sizeof salt));
    json_object_set_new(slot, "repaired", json_true());
    json_object_set_new(slot, "is_backup", json_false());
    *slot_out = slot;
    return OV_OK;
}

static int write_encrypted(const struct ov_account_list *in, const struct ov_export_opts *opts,
                           struct ov_export_out *out, struct ov_error *err)
{
    uint8_t nonce[NONCE_LEN], tag[TAG_LEN];
    uint8_t *master = ov_secure_alloc(KEY_LEN), *ct = NULL;
    json_t *db, *slot = NULL, *slots, *params;
    char *plain, *b64 = NULL;
    size_t len = 0, b64_len = 0;
    int rc;

    ov_json_use_secure_memory();
    db = content(in, out);
    /* Aegis encrypts the compact form of the content (JSONObject.toString()). */
    plain = json_dumps(db, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(db);
    if (plain == NULL) {
        ov_secure_free(master, KEY_LEN);
        return ov_error_set(err, OV_ERR_NOMEM, "cannot write the Aegis JSON");
    }
    ov_random(master, KEY_LEN);
    ov_random(nonce, sizeof nonce);
    len = strlen(plain);
    ct = ov_xmalloc(len > 0 ? len : 1);
    rc = ov_aes_gcm_encrypt(master, KEY_LEN, nonce, sizeof nonce, NULL, 0,
                            (const uint8_t *)plain, len, ct, tag, err);
    ov_secure_free_str(plain);
    if (rc == OV_OK)
        rc = password_slot(master, opts, &slot, err);
    ov_secure_free(master, KEY_LEN);
    if (rc == OV_OK) {
        b64_len = ov_base64_encoded_len(len);
        b64 = ov_xmalloc(b64_len + 1);
        ov_base64_encode(ct, len, b64, 0);
        slots = json_array();
        json_array_append_new(slots, slot);
        params = json_object();
        json_object_set_new(params, "nonce", hex(nonce, sizeof nonce));
        json_object_set_new(params, "tag", hex(tag, sizeof tag));
        rc = finish(envelope(slots, params, json_string(b64)), out, err);
    }
    free(ct);
    free(b64);
    return rc;
}

const struct ov_exporter ov_exporter_aegis = {
    .name = "aegis", .label = "Aegis Authenticator vault, plain JSON (groups and notes kept)",
    .keeps = OV_EXPORT_KEEPS_GROUP | OV_EXPORT_KEEPS_NOTE, .write = write_plain,
};

const struct ov_exporter ov_exporter_aegis_encrypted = {
    .name = "aegis-encrypted",
    .label = "Aegis Authenticator vault, encrypted with an export password (scrypt, "
             "AES-256-GCM)",
    .needs_password = true, .encrypted = true, .write = write_encrypted,
    .keeps = OV_EXPORT_KEEPS_GROUP | OV_EXPORT_KEEPS_NOTE,
};
