/* Stratum / Authenticator Pro backups (formats.md 7): the plain JSON backup, the strong
 * encryption ("AUTHENTICATORPRO": Argon2id + AES-256-GCM) and the legacy one
 * ("AuthenticatorPro": PBKDF2-SHA1 + AES-256-CBC, no MAC). Categories become groups. */
#include <string.h>

#include "lib/json_fields.h"
#include "lib/json_sniff.h"
#include "otpvault/crypto.h"
#include "otpvault/importer.h"
#include "otpvault/mem.h"
#include "otpvault/uri.h"
#include "lib/secret_buf.h"
#include "otpvault/secret_text.h"

#define MAGIC_LEN 16
static const char strong_magic[MAGIC_LEN] = "AUTHENTICATORPRO";
static const char legacy_magic[MAGIC_LEN] = "AuthenticatorPro";

/* StrongBackupEncryption.cs: fixed parameters, nothing to clamp. */
#define STRONG_SALT 16
#define STRONG_IV 12
#define STRONG_TAG 16
static const struct ov_kdf_params strong_kdf = { .memory_kib = 65536, .time_cost = 3,
                                                 .lanes = 4 };
/* LegacyBackupEncryption.cs */
#define LEGACY_SALT 20
#define LEGACY_IV 16
#define LEGACY_ITERATIONS 64000

#define PIN_MAX 64

enum stratum_type { ST_HOTP = 1, ST_TOTP = 2, ST_MOTP = 3, ST_STEAM = 4, ST_YANDEX = 5 };

static bool has_magic(const struct ov_blob *in, const char *magic)
{
    return in->len >= MAGIC_LEN && memcmp(in->data, magic, MAGIC_LEN) == 0;
}

static int stratum_sniff(const struct ov_blob *in)
{
    static const char *const keys[] = { "Authenticators" };

    if (has_magic(in, strong_magic) || has_magic(in, legacy_magic))
        return 100;
    return js_count_top_keys(in, keys, 1) == 1 ? 95 : 0;
}

static bool stratum_is_encrypted(const struct ov_blob *in)
{
    return has_magic(in, strong_magic) || has_magic(in, legacy_magic);
}

/* --- Decryption -------------------------------------------------------------------- */

static int decrypt_strong(const struct ov_blob *in, const struct ov_import_opts *opts,
                          struct secret_buf *plain, struct ov_error *err)
{
    const uint8_t *salt = in->data + MAGIC_LEN, *iv = salt + STRONG_SALT;
    const uint8_t *ct = iv + STRONG_IV;
    size_t head = MAGIC_LEN + STRONG_SALT + STRONG_IV;
    uint8_t *key;
    size_t ct_len;
    int rc;

    if (in->len < head + STRONG_TAG)
        return ov_error_set(err, OV_ERR_INVALID, "truncated Stratum backup: %zu bytes, the "
                            "header and tag alone take %d", in->len, (int)head + STRONG_TAG);
    ct_len = in->len - head - STRONG_TAG;
    key = ov_secure_alloc(32);
    rc = ov_kdf_argon2id(opts->password, opts->password_len, salt, STRONG_SALT, &strong_kdf,
                         key, 32, err);
    if (rc == OV_OK)
        rc = secret_buf_alloc(plain, ct_len, err);
    if (rc == OV_OK)
        rc = ov_aes_gcm_decrypt(key, 32, iv, STRONG_IV, NULL, 0, ct, ct_len, ct + ct_len,
                                plain->data, err);
    ov_secure_free(key, 32);
    return rc;
}

static int decrypt_legacy(const struct ov_blob *in, const struct ov_import_opts *opts,
                          struct secret_buf *plain, struct ov_error *err)
{
    const uint8_t *salt = in->data + MAGIC_LEN, *iv = salt + LEGACY_SALT;
    const uint8_t *ct = iv + LEGACY_IV;
    size_t head = MAGIC_LEN + LEGACY_SALT + LEGACY_IV, ct_len, len;
    uint8_t *key;
    int rc;

    if (in->len <= head)
        return ov_error_set(err, OV_ERR_INVALID, "truncated Authenticator Pro backup: %zu "
                            "bytes, the header alone takes %zu", in->len, head);
    ct_len = in->len - head;
    key = ov_secure_alloc(32);
    rc = ov_kdf_pbkdf2(OV_SHA1, opts->password, opts->password_len, salt, LEGACY_SALT,
                       LEGACY_ITERATIONS, key, 32, err);
    if (rc == OV_OK)
        rc = secret_buf_alloc(plain, ct_len, err);
    if (rc == OV_OK)
        rc = ov_aes_cbc_decrypt(key, 32, iv, ct, ct_len, plain->data, &len, err);
    if (rc == OV_OK)
        plain->size = len;
    ov_secure_free(key, 32);
    return rc;
}

/* --- Backup content ------------------------------------------------------------------ */

/* The name of the first category the entry (identified by its secret text) belongs to. */
static const char *category_of(json_t *root, const char *secret)
{
    json_t *links = json_object_get(root, "AuthenticatorCategories");
    json_t *cats = json_object_get(root, "Categories");
    json_t *link, *cat;
    size_t i, k;

    json_array_foreach(links, i, link) {
        const char *s = json_string_value(json_object_get(link, "AuthenticatorSecret"));
        const char *id = json_string_value(json_object_get(link, "CategoryId"));
        if (s == NULL || id == NULL || strcmp(s, secret) != 0)
            continue;
        json_array_foreach(cats, k, cat) {
            const char *cid = json_string_value(json_object_get(cat, "Id"));
            const char *name = json_string_value(json_object_get(cat, "Name"));
            if (cid != NULL && name != NULL && strcmp(cid, id) == 0)
                return name;
        }
    }
    return NULL;
}

static int read_pin(json_t *e, struct ov_account *a, struct ov_error *err)
{
    const char *pin = jf_string(e, "Pin", "", err);

    if (pin == NULL)
        return OV_ERR_INVALID;
    if (pin[0] == '\0')
        return ov_error_set(err, OV_ERR_INVALID, "%s account without a PIN ('Pin')",
                            a->type == OV_MOTP ? "an mOTP" : "a Yandex");
    if (strlen(pin) > PIN_MAX)
        return ov_error_set(err, OV_ERR_INVALID, "the PIN is longer than %d characters",
                            PIN_MAX);
    a->pin = ov_secure_strdup(pin);
    return OV_OK;
}

/* The fields every type shares the meaning of; steam, mOTP and Yandex have fixed ones. */
static int read_parameters(json_t *e, int64_t type, struct ov_account *a,
                           struct ov_error *err)
{
    static const enum ov_algo algos[] = { OV_SHA1, OV_SHA256, OV_SHA512 };
    int64_t algo, digits, period, counter;

    if (jf_int(e, "Algorithm", 0, 0, 2, &algo, err) != OV_OK ||
        jf_int(e, "Digits", 6, OV_DIGITS_MIN, OV_DIGITS_MAX, &digits, err) != OV_OK)
        return OV_ERR_INVALID;
    a->algo = algos[algo];
    a->digits = (unsigned)digits;
    if (type == ST_HOTP) {
        if (jf_int(e, "Counter", 0, 0, INT64_MAX, &counter, err) != OV_OK)
            return OV_ERR_INVALID;
        a->counter = (uint64_t)counter;
    } else {
        if (jf_int(e, "Period", 30, 1, OV_PERIOD_MAX, &period, err) != OV_OK)
            return OV_ERR_INVALID;
        a->period = (unsigned)period;
    }
    return OV_OK;
}

static int read_entry(json_t *root, json_t *e, struct ov_account *a, struct ov_error *err)
{
    const char *issuer, *user, *secret, *group;
    int64_t type;
    int rc;

    if (!json_is_object(e))
        return ov_error_set(err, OV_ERR_INVALID, "not an object");
    if (json_object_get(e, "Type") == NULL)
        return ov_error_set(err, OV_ERR_INVALID, "'Type' is missing");
    if (jf_int(e, "Type", 0, 0, INT64_MAX, &type, err) != OV_OK)
        return OV_ERR_INVALID;
    if ((issuer = jf_string(e, "Issuer", "", err)) == NULL ||
        (user = jf_string(e, "Username", "", err)) == NULL ||
        (secret = jf_string(e, "Secret", "", err)) == NULL)
        return OV_ERR_INVALID;
    if (secret[0] == '\0')
        return ov_error_set(err, OV_ERR_INVALID, "'Secret' is missing or empty");
    switch (type) {
    case ST_HOTP: a->type = OV_HOTP; break;
    case ST_TOTP: a->type = OV_TOTP; break;
    case ST_MOTP: a->type = OV_MOTP; a->algo = OV_MD5; a->digits = 6; a->period = 10; break;
    case ST_STEAM: a->type = OV_STEAM; a->digits = 5; break;
    case ST_YANDEX: a->type = OV_YANDEX; a->algo = OV_SHA256; a->digits = 8; break;
    default:
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "unsupported 'Type' %lld (1 HOTP, "
                            "2 TOTP, 3 mOTP, 4 Steam, 5 Yandex)", (long long)type);
    }
    if (type == ST_HOTP || type == ST_TOTP)
        rc = read_parameters(e, type, a, err);
    else if (type == ST_MOTP || type == ST_YANDEX)
        rc = read_pin(e, a, err);
    else
        rc = OV_OK;
    if (rc != OV_OK)
        return rc;
    /* mOTP secrets are hex text (Aegis' reading); Stratum also allows any text, which
     * cannot be stored as key bytes. */
    rc = ov_secret_text_set(a, secret, type == ST_MOTP ? OV_SECRET_HEX : OV_SECRET_BASE32, err);
    if (rc != OV_OK)
        return rc;
    ov_account_set_text(&a->issuer, issuer);
    ov_account_set_text(&a->name, user);
    ov_account_normalise_label(a);
    if ((group = category_of(root, secret)) != NULL)
        ov_account_set_text(&a->group, group);
    return ov_account_validate(a, err);
}

/* unauthenticated: the JSON came out of CBC without a MAC, so garbage there means a wrong
 * password rather than a damaged file. */
static int read_backup(const uint8_t *json, size_t len, bool unauthenticated,
                       struct ov_import_opts *opts, struct ov_account_list *out,
                       struct ov_error *err)
{
    json_t *root, *list, *e;
    size_t i;

    if (jf_parse(json, len, &root, err) != OV_OK) {
        if (unauthenticated)
            return ov_error_set(err, OV_ERR_AUTH, "wrong password or damaged file (the "
                                "decrypted data is not JSON)");
        return OV_ERR_INVALID;
    }
    list = json_object_get(root, "Authenticators");
    if (!json_is_array(list)) {
        int rc;
        if (!json_is_object(root))
            rc = ov_error_set(err, unauthenticated ? OV_ERR_AUTH : OV_ERR_INVALID,
                              "not a Stratum backup: the JSON is not an object");
        else if (list == NULL || json_is_null(list))
            rc = ov_error_set(err, OV_ERR_INVALID, "not a Stratum backup: no 'Authenticators' "
                              "list");
        else
            rc = ov_error_set(err, OV_ERR_INVALID, "'Authenticators' is not a list");
        json_decref(root);
        return rc;
    }
    json_array_foreach(list, i, e) {
        struct ov_account a;
        struct ov_error eerr = { 0 };
        const char *issuer = json_string_value(json_object_get(e, "Issuer"));

        ov_account_init(&a);
        if (read_entry(root, e, &a, &eerr) == OV_OK) {
            ov_account_list_push(out, &a);
        } else if (issuer != NULL && issuer[0] != '\0') {
            ov_import_issue_add(opts, i + 1, "entry %zu (%.60s): %s", i + 1, issuer, eerr.msg);
        } else {
            ov_import_issue_add(opts, i + 1, "entry %zu: %s", i + 1, eerr.msg);
        }
        ov_account_free(&a);
    }
    json_decref(root);
    return OV_OK;
}

static int stratum_load(const struct ov_blob *in, struct ov_import_opts *opts,
                        struct ov_account_list *out, struct ov_error *err)
{
    struct secret_buf plain = { 0 };
    bool strong = has_magic(in, strong_magic);
    int rc;

    if (!strong && !has_magic(in, legacy_magic))
        return read_backup(in->data, in->len, false, opts, out, err);
    if (opts->password == NULL)
        return ov_error_set(err, OV_ERR_AUTH, "this %s backup is encrypted: a password is "
                            "needed", strong ? "Stratum" : "Authenticator Pro");
    rc = strong ? decrypt_strong(in, opts, &plain, err) : decrypt_legacy(in, opts, &plain, err);
    if (rc == OV_OK)
        rc = read_backup(plain.data, plain.size, !strong, opts, out, err);
    secret_buf_free(&plain);
    return rc;
}

const struct ov_importer ov_importer_stratum = {
    .name = "stratum",
    .label = "Stratum / Authenticator Pro backup (plain, or encrypted strong or legacy)",
    .sniff = stratum_sniff, .load = stratum_load, .needs_password = true,
    .is_encrypted = stratum_is_encrypted,
};
