/* TOTP Authenticator (com.authenticator.authservice2; formats.md 12), two containers for the
 * same entry list:
 * - the backup file: Base64 text of AES-256-CBC (zero IV, PKCS#7) under SHA-256(password);
 *   the plaintext is a JSON object whose first key is the entry array serialised as a
 *   string. Users who never set a password get the app's built-in "TotpAuthenticator".
 * - the internal TOTP_Authenticator_Preferences.xml, whose STATIC_TOTP_CODES_LIST string is
 *   that array.
 * Entries: {"issuer", "name", "key", "base": 16|32|64, "digits", "period", ...}. Like Aegis
 * (and the expected results) digits and period are ignored: TOTP SHA1, 6 digits, 30 s. CBC
 * has no MAC: bad padding or a plaintext that is not the expected JSON means a wrong
 * password (or a damaged file). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "lib/android_prefs.h"
#include "lib/json_fields.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/importer.h"
#include "otpvault/mem.h"
#include "otpvault/secret_text.h"
#include "otpvault/uri.h"

#define PREF_KEY "STATIC_TOTP_CODES_LIST"
#define DEFAULT_PASSWORD "TotpAuthenticator"
#define MAX_BACKUP (64u * 1024u * 1024u)

/* Only Base64 characters and blanks, and enough of them for a few AES blocks. */
static bool is_base64_text(const struct ov_blob *in)
{
    size_t significant = 0;

    for (size_t i = 0; i < in->len; i++) {
        unsigned char c = in->data[i];
        if (isalnum(c) || c == '+' || c == '/' || c == '=')
            significant++;
        else if (c != '\n' && c != '\r' && c != ' ' && c != '\t')
            return false;
    }
    return significant >= 44 && significant % 4 == 0;
}

static int totpauth_sniff(const struct ov_blob *in)
{
    if (ov_prefs_has_key(in, PREF_KEY))
        return 95;
    /* Base64-only text is this app's signature among the formats we read (22.1), but it
     * is a weak one: leave room for anything with a real magic. */
    return in->len <= MAX_BACKUP && is_base64_text(in) ? 50 : 0;
}

static bool totpauth_is_encrypted(const struct ov_blob *in)
{
    return !ov_prefs_looks_like(in);
}

static int parse_list(const char *text, size_t len, json_t **out, struct ov_error *err)
{
    int rc = jf_parse(text, len, out, err);

    if (rc == OV_OK && !json_is_array(*out)) {
        json_decref(*out);
        rc = ov_error_set(err, OV_ERR_INVALID, "the entry list is not a JSON array");
    }
    return rc;
}

static int read_internal(const struct ov_blob *in, json_t **out, struct ov_error *err)
{
    struct ov_prefs prefs;
    const struct ov_prefs_string *s;
    int rc = ov_prefs_parse(in, &prefs, err);

    if (rc != OV_OK)
        return rc;
    s = ov_prefs_get(&prefs, PREF_KEY);
    if (s == NULL)
        rc = ov_error_set(err, OV_ERR_INVALID, "no %s entry in these preferences", PREF_KEY);
    else if ((rc = parse_list(s->value, s->value_len, out, err)) != OV_OK)
        ov_error_prefix(err, PREF_KEY);
    ov_prefs_free(&prefs);
    return rc;
}

/* Decrypts ct with SHA-256(password) and finds the entry array in the plaintext. Any
 * failure is OV_ERR_AUTH: nothing else tells a wrong password from a damaged file. */
static int open_backup(const uint8_t *ct, size_t ct_len, const char *password,
                       size_t password_len, json_t **out, struct ov_error *err)
{
    static const uint8_t zero_iv[16];
    uint8_t *key = ov_secure_alloc(32);
    uint8_t *plain = ov_secure_alloc(ct_len);
    size_t plain_len = 0;
    json_t *obj = NULL;
    int rc;

    ov_hash(OV_SHA256, password, password_len, key);
    rc = ov_aes_cbc_decrypt(key, 32, zero_iv, ct, ct_len, plain, &plain_len, err);
    ov_secure_free(key, 32);
    if (rc == OV_OK && jf_parse(plain, plain_len, &obj, err) != OV_OK)
        rc = OV_ERR_AUTH;
    ov_secure_free(plain, ct_len);
    if (rc == OV_OK) {
        const char *k;
        json_t *v;
        rc = OV_ERR_AUTH;
        /* Aegis takes the first key; any key that is the array will do. */
        if (json_is_object(obj)) {
            json_object_foreach(obj, k, v) {
                if (parse_list(k, strlen(k), out, err) == OV_OK) {
                    rc = OV_OK;
                    break;
                }
            }
        }
        json_decref(obj);
    }
    if (rc != OV_OK)
        rc = ov_error_set(err, OV_ERR_AUTH, "wrong password or damaged file");
    return rc;
}

static int read_backup(const struct ov_blob *in, const struct ov_import_opts *opts,
                       json_t **out, struct ov_error *err)
{
    size_t max = ov_base64_decoded_max(in->len), ct_len = 0;
    uint8_t *ct;
    int rc;

    if (in->len > MAX_BACKUP)
        return ov_error_set(err, OV_ERR_LIMIT, "%zu bytes, more than the %u MiB accepted for "
                            "a TOTP Authenticator backup", in->len, MAX_BACKUP >> 20);
    ct = ov_xmalloc(max + 1);
    rc = ov_base64_decode((const char *)in->data, in->len, ct, &ct_len, err);
    if (rc != OV_OK)
        ov_error_prefix(err, "not a TOTP Authenticator backup (Base64 text)");
    else if (ct_len == 0 || ct_len % 16 != 0)
        rc = ov_error_set(err, OV_ERR_INVALID, "the encrypted data is %zu bytes, not whole "
                          "16-byte AES blocks (cut short?)", ct_len);
    else if (opts->password == NULL)
        rc = ov_error_set(err, OV_ERR_AUTH, "a password is needed (if none was set in TOTP "
                          "Authenticator, give an empty one: the app's built-in default is "
                          "tried then)");
    if (rc == OV_OK) {
        rc = open_backup(ct, ct_len, opts->password, opts->password_len, out, err);
        /* Users who never chose a password have the built-in one. */
        if (rc == OV_ERR_AUTH &&
            (opts->password_len != strlen(DEFAULT_PASSWORD) ||
             memcmp(opts->password, DEFAULT_PASSWORD, opts->password_len) != 0))
            rc = open_backup(ct, ct_len, DEFAULT_PASSWORD, strlen(DEFAULT_PASSWORD), out, err);
    }
    free(ct);
    return rc;
}

/* The key in its base into a's secret (secure memory). */
static int read_secret(json_t *entry, struct ov_account *a, struct ov_error *err)
{
    json_t *key = json_object_get(entry, "key"), *b = json_object_get(entry, "base");
    int64_t base;
    int rc;

    if (b == NULL || json_is_null(b))
        return ov_error_set(err, OV_ERR_INVALID, "'base' is missing");
    if ((rc = jf_int(entry, "base", 0, 0, 1024, &base, err)) != OV_OK)
        return rc;
    if (base != 16 && base != 32 && base != 64)
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "secret in base %lld (16, 32 or 64 "
                            "expected)", (long long)base);
    if (!json_is_string(key))
        return ov_error_set(err, OV_ERR_INVALID, key == NULL || json_is_null(key)
                                                     ? "'key' is missing"
                                                     : "'key' is not a string");
    rc = ov_secret_text_set(a, json_string_value(key), base == 16   ? OV_SECRET_HEX
                                                       : base == 32 ? OV_SECRET_BASE32
                                                                    : OV_SECRET_BASE64,
                            err);
    if (rc != OV_OK)
        ov_error_prefix(err, "'key'");
    return rc;
}

static int read_entry(json_t *entry, struct ov_account *a, struct ov_error *err)
{
    json_t *issuer, *name;
    int rc;

    if (!json_is_object(entry))
        return ov_error_set(err, OV_ERR_INVALID, "not a JSON object");
    if ((rc = read_secret(entry, a, err)) != OV_OK)
        return rc;
    issuer = json_object_get(entry, "issuer");
    name = json_object_get(entry, "name");
    ov_account_set_text(&a->issuer, json_is_string(issuer) ? json_string_value(issuer) : "");
    ov_account_set_text(&a->name, json_is_string(name) ? json_string_value(name) : "");
    a->type = OV_TOTP; /* digits and period in the file are ignored, as Aegis does */
    ov_account_normalise_label(a);
    return ov_account_validate(a, err);
}

static int totpauth_load(const struct ov_blob *in, struct ov_import_opts *opts,
                         struct ov_account_list *out, struct ov_error *err)
{
    json_t *list, *entry;
    size_t i;
    int rc = ov_prefs_looks_like(in) ? read_internal(in, &list, err)
                                     : read_backup(in, opts, &list, err);

    if (rc != OV_OK)
        return rc;
    json_array_foreach(list, i, entry) {
        struct ov_account a;
        struct ov_error e = { 0 };
        const char *issuer = json_string_value(json_object_get(entry, "issuer"));
        char what[64];

        ov_account_init(&a);
        if (read_entry(entry, &a, &e) == OV_OK) {
            ov_account_list_push(out, &a);
        } else {
            ov_text_excerpt(issuer != NULL ? issuer : "", issuer != NULL ? strlen(issuer) : 0,
                            40, what, sizeof what);
            ov_import_issue_add(opts, i + 1, "entry %zu (\"%s\"): %s", i + 1, what, e.msg);
        }
        ov_account_free(&a);
    }
    json_decref(list);
    return OV_OK;
}

const struct ov_importer ov_importer_totpauth = {
    .name = "totpauth",
    .label = "TOTP Authenticator backup (encrypted) or internal preferences XML",
    .sniff = totpauth_sniff, .load = totpauth_load, .needs_password = true,
    .is_encrypted = totpauth_is_encrypted,
};
