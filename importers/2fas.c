/* 2FAS Authenticator backups (formats.md 4), schema versions 1 to 4, plain or with the
 * services encrypted (PBKDF2-SHA256 + AES-GCM). Fields a schema lacks, and explicit JSON
 * nulls, take the usual defaults (TOTP, SHA1, 6 digits, 30 s, counter 0). */
#include <string.h>
#include <strings.h>

#include "lib/account_build.h"
#include "lib/json_entries.h"
#include "lib/json_fields.h"
#include "lib/json_sniff.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/mem.h"

#define SCHEMA_MAX 4
#define KDF_ITERATIONS 10000 /* fixed by 2FAS, not stored in the file */
#define KEY_LEN 32
#define TAG_LEN 16
#define SALT_MAX 1024
#define IV_MIN 8
#define IV_MAX 64

static int twofas_sniff(const struct ov_blob *in)
{
    return js_object_with(in, "schemaVersion", "services") ? 95 : 0;
}

static bool twofas_is_encrypted(const struct ov_blob *in)
{
    return js_top_string(in, "servicesEncrypted");
}

/* The group a service links to by id, if it exists. */
static const char *group_name(json_t *groups, const char *id)
{
    json_t *g;
    size_t i;

    json_array_foreach(groups, i, g) {
        const char *gid = jf_string(g, "id", NULL, NULL);
        const char *name = jf_string(g, "name", NULL, NULL);
        if (gid != NULL && name != NULL && name[0] != '\0' && strcmp(gid, id) == 0)
            return name;
    }
    return NULL;
}

static int read_type(json_t *otp, struct ov_account *a, struct ov_error *err)
{
    const char *type = jf_string(otp, "tokenType", "TOTP", err);

    /* Schema 2 has no tokenType: its HOTP services were exported as TOTP (and stay so). */
    if (type == NULL)
        return OV_ERR_INVALID;
    return ab_type_name(a, type, "token type", err);
}

static int read_service(json_t *s, void *groups_json, struct ov_account *a, struct ov_error *err)
{
    json_t *groups = groups_json;
    const char *name, *issuer, *account, *secret, *group;
    json_t *otp;
    int rc;

    if (!json_is_object(s))
        return ov_error_set(err, OV_ERR_INVALID, "is %s, expected an object", jf_type_name(s));
    if ((rc = jf_get(s, "otp", JSON_OBJECT, false, &otp, err)) != OV_OK ||
        (name = jf_string(s, "name", "", err)) == NULL ||
        (issuer = jf_string(otp, "issuer", "", err)) == NULL ||
        (account = jf_string(otp, "account", "", err)) == NULL)
        return OV_ERR_INVALID;
    /* The service name is what the user sees (and may have edited). */
    ov_account_set_text(&a->issuer, name[0] != '\0' ? name : issuer);
    ov_account_set_text(&a->name, account);
    if ((rc = read_type(otp, a, err)) != OV_OK)
        return rc;
    if ((secret = jf_string_req(s, "secret", err)) == NULL)
        return OV_ERR_INVALID;
    if ((rc = ov_secret_text_set(a, secret, OV_SECRET_BASE32, err)) != OV_OK)
        return rc;
    if ((rc = ov_json_otp_fields(otp, &(struct ov_json_otp_keys){ NULL, "algorithm", "digits",
                                                                "period", "counter" },
                                 a, err)) != OV_OK)
        return rc;
    if ((group = jf_string(s, "groupId", NULL, NULL)) != NULL &&
        (group = group_name(groups, group)) != NULL)
        ov_account_set_text(&a->group, group);
    return OV_OK;
}

static int read_services(json_t *services, json_t *groups, struct ov_import_opts *opts,
                         struct ov_account_list *out, struct ov_error *err)
{
    if (!json_is_array(services))
        return ov_error_set(err, OV_ERR_INVALID, "the services are %s, expected an array",
                            jf_type_name(services));
    ov_json_read_entries(services, read_service, groups, opts, out);
    return OV_OK;
}

/* One Base64 part of "servicesEncrypted" into a fresh buffer of *len bytes. */
static uint8_t *b64_part(const char *text, size_t text_len, const char *what, size_t *len,
                         struct ov_error *err)
{
    uint8_t *buf = ov_xmalloc(ov_base64_decoded_max(text_len) + 1);

    if (ov_base64_decode(text, text_len, buf, len, err) != OV_OK) {
        ov_error_prefix(err, "'servicesEncrypted': the %s", what);
        free(buf);
        return NULL;
    }
    return buf;
}

/* "<Base64 ciphertext+tag>:<Base64 salt>:<Base64 IV>" -> the services JSON text. */
static int decrypt(const char *blob, const struct ov_import_opts *opts, uint8_t **plain,
                   size_t *plain_len, struct ov_error *err)
{
    const char *c1 = strchr(blob, ':'), *c2 = c1 != NULL ? strchr(c1 + 1, ':') : NULL, *end;
    uint8_t *ct = NULL, *salt = NULL, *iv = NULL, *key = NULL;
    size_t ct_len = 0, salt_len = 0, iv_len = 0;
    int rc = OV_ERR_INVALID;

    *plain = NULL;
    if (c2 == NULL)
        return ov_error_set(err, OV_ERR_INVALID, "'servicesEncrypted' is not "
                            "ciphertext:salt:IV");
    end = strchr(c2 + 1, ':');
    if (end == NULL)
        end = c2 + 1 + strlen(c2 + 1);
    if ((ct = b64_part(blob, (size_t)(c1 - blob), "ciphertext", &ct_len, err)) == NULL ||
        (salt = b64_part(c1 + 1, (size_t)(c2 - c1 - 1), "salt", &salt_len, err)) == NULL ||
        (iv = b64_part(c2 + 1, (size_t)(end - c2 - 1), "IV", &iv_len, err)) == NULL)
        goto done;
    if (ct_len < TAG_LEN || salt_len == 0 || salt_len > SALT_MAX || iv_len < IV_MIN ||
        iv_len > IV_MAX) {
        ov_error_set(err, OV_ERR_INVALID, "'servicesEncrypted' has a %zu-byte ciphertext, "
                     "%zu-byte salt and %zu-byte IV: damaged", ct_len, salt_len, iv_len);
        goto done;
    }
    key = ov_secure_alloc(KEY_LEN);
    rc = ov_kdf_pbkdf2(OV_SHA256, opts->password_len > 0 ? opts->password : "",
                       opts->password_len, salt, salt_len, KDF_ITERATIONS, key, KEY_LEN, err);
    if (rc != OV_OK)
        goto done;
    *plain = ov_secure_alloc(ct_len - TAG_LEN + 1);
    rc = ov_aes_gcm_decrypt(key, KEY_LEN, iv, iv_len, NULL, 0, ct, ct_len - TAG_LEN,
                            ct + ct_len - TAG_LEN, *plain, err);
    if (rc != OV_OK) {
        ov_secure_free(*plain, ct_len - TAG_LEN + 1);
        *plain = NULL;
    } else {
        *plain_len = ct_len - TAG_LEN;
    }
done:
    ov_secure_free(key, KEY_LEN);
    free(ct);
    free(salt);
    free(iv);
    return rc;
}

static int read_encrypted(json_t *enc, json_t *groups, struct ov_import_opts *opts,
                          struct ov_account_list *out, struct ov_error *err)
{
    uint8_t *plain;
    size_t plain_len = 0;
    json_t *services;
    int rc;

    if (opts->password == NULL)
        return ov_error_set(err, OV_ERR_AUTH, "the 2FAS backup is encrypted: a password is "
                            "needed");
    if ((rc = decrypt(json_string_value(enc), opts, &plain, &plain_len, err)) != OV_OK)
        return rc;
    rc = jf_parse(plain, plain_len, &services, err);
    ov_secure_free(plain, plain_len + 1);
    if (rc != OV_OK) {
        ov_error_prefix(err, "the decrypted services");
        return rc;
    }
    rc = read_services(services, groups, opts, out, err);
    json_decref(services);
    return rc;
}

static int twofas_load(const struct ov_blob *in, struct ov_import_opts *opts,
                       struct ov_account_list *out, struct ov_error *err)
{
    json_t *root, *services, *groups, *enc;
    int64_t schema;
    int rc;

    if ((rc = ov_json_parse_object(in, "a 2FAS backup", &root, err)) != OV_OK)
        return rc;
    if ((rc = ov_json_version(root, "schemaVersion", "not a 2FAS backup", "2FAS schema version",
                              SCHEMA_MAX, &schema, err)) != OV_OK ||
        (rc = jf_get(root, "groups", JSON_ARRAY, false, &groups, err)) != OV_OK ||
        (rc = jf_get(root, "servicesEncrypted", JSON_STRING, false, &enc, err)) != OV_OK ||
        (rc = jf_get(root, "services", JSON_ARRAY, enc == NULL, &services, err)) != OV_OK)
        goto done;
    /* An encrypted backup keeps "services": [] next to the real ones. */
    if (enc != NULL && json_string_length(enc) > 0)
        rc = read_encrypted(enc, groups, opts, out, err);
    else
        rc = read_services(services, groups, opts, out, err);
done:
    json_decref(root);
    return rc;
}

const struct ov_importer ov_importer_2fas = {
    .name = "2fas", .label = "2FAS Authenticator backup (schema 1 to 4, plain or encrypted)",
    .sniff = twofas_sniff, .load = twofas_load, .needs_password = true,
    .is_encrypted = twofas_is_encrypted,
};
