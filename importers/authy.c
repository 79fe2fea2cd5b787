/* Authy's internal preferences (formats.md 15), copied from a rooted phone:
 * com.authy.storage.tokens.authenticator.xml (third-party TOTP tokens) and
 * com.authy.storage.tokens.authy.xml (Authy's own tokens, "secretSeed" in hex, 10 s). A
 * string entry "<file>.key" holds the JSON array of tokens. Third-party secrets are either
 * "decryptedSecret" (Base32) or, once a backup password is set, "encryptedSecret": AES-256-CBC
 * with a zero IV under PBKDF2-HMAC-SHA1(password, salt string, 1000), holding Base32 text.
 * CBC has no MAC, so a wrong password shows only as bad padding or non-Base32 text: when no
 * encrypted entry opens the password is called wrong; when some do, the rest are damaged. */
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

#define PBKDF2_ITERATIONS 1000
#define MAX_ENCRYPTED 4096 /* bytes of one encrypted Base32 secret */

static const char *const list_keys[] = {
    "com.authy.storage.tokens.authenticator.key",
    "com.authy.storage.tokens.authy.key",
};

enum crypt_state { PLAIN, DECRYPTED, UNDECRYPTABLE };

static int authy_sniff(const struct ov_blob *in)
{
    for (size_t i = 0; i < sizeof list_keys / sizeof *list_keys; i++)
        if (ov_prefs_has_key(in, list_keys[i]))
            return 95;
    return 0;
}

/* Every token of the file's list(s), in file order. */
static int read_tokens(const struct ov_blob *in, json_t **out, struct ov_error *err)
{
    struct ov_prefs prefs;
    bool found = false;
    int rc = ov_prefs_parse(in, &prefs, err);

    if (rc != OV_OK)
        return rc;
    *out = json_array();
    for (size_t i = 0; rc == OV_OK && i < sizeof list_keys / sizeof *list_keys; i++) {
        const struct ov_prefs_string *s = ov_prefs_get(&prefs, list_keys[i]);
        json_t *list;

        if (s == NULL)
            continue;
        found = true;
        rc = jf_parse(s->value, s->value_len, &list, err);
        if (rc == OV_OK && !json_is_array(list)) {
            json_decref(list);
            rc = ov_error_set(err, OV_ERR_INVALID, "not a JSON array");
        }
        if (rc == OV_OK) {
            json_array_extend(*out, list);
            json_decref(list);
        } else {
            ov_error_prefix(err, "%s", list_keys[i]);
        }
    }
    ov_prefs_free(&prefs);
    if (rc == OV_OK && !found)
        rc = ov_error_set(err, OV_ERR_INVALID, "no Authy token list (%s) in these "
                          "preferences", list_keys[0]);
    if (rc != OV_OK)
        json_decref(*out);
    return rc;
}

/* Aegis' rule: a token with neither decryptedSecret nor secretSeed needs the password. */
static bool needs_password(json_t *token)
{
    return json_is_object(token) && json_object_get(token, "decryptedSecret") == NULL &&
           json_object_get(token, "secretSeed") == NULL;
}

static size_t count_encrypted(json_t *tokens)
{
    size_t i, n = 0;
    json_t *t;

    json_array_foreach(tokens, i, t)
        n += needs_password(t);
    return n;
}

static bool authy_is_encrypted(const struct ov_blob *in)
{
    struct ov_error err = { 0 };
    json_t *tokens;
    bool encrypted;

    if (read_tokens(in, &tokens, &err) != OV_OK)
        return false; /* load will say what is wrong */
    encrypted = count_encrypted(tokens) > 0;
    json_decref(tokens);
    return encrypted;
}

static const char *opt_string(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Base32 text into a, in secure memory. */
static int set_base32(struct ov_account *a, const char *text, struct ov_error *err)
{
    return ov_secret_text_set(a, text, OV_SECRET_BASE32, err);
}

/* encryptedSecret + salt -> Base32 text -> secret. *state tells a wrong key (or damage)
 * apart from a format problem. */
static int decrypt_secret(json_t *token, const struct ov_import_opts *opts,
                          struct ov_account *a, enum crypt_state *state, struct ov_error *err)
{
    const char *b64 = opt_string(token, "encryptedSecret"), *salt = opt_string(token, "salt");
    static const uint8_t zero_iv[16];
    uint8_t *ct, *key, *plain;
    size_t ct_max, ct_len = 0, plain_len = 0;
    int rc;

    if (b64 == NULL || salt == NULL)
        return ov_error_set(err, OV_ERR_INVALID, "no secret: neither decryptedSecret, "
                            "secretSeed, nor encryptedSecret with salt");
    ct_max = ov_base64_decoded_max(strlen(b64));
    if (ct_max > MAX_ENCRYPTED)
        return ov_error_set(err, OV_ERR_INVALID, "'encryptedSecret' is too long");
    ct = ov_xmalloc(ct_max + 1);
    rc = ov_base64_decode(b64, strlen(b64), ct, &ct_len, err);
    if (rc == OV_OK && (ct_len == 0 || ct_len % 16 != 0))
        rc = ov_error_set(err, OV_ERR_INVALID, "'encryptedSecret' is %zu bytes, not whole "
                          "AES blocks", ct_len);
    if (rc != OV_OK) {
        free(ct);
        return rc;
    }
    key = ov_secure_alloc(32);
    plain = ov_secure_alloc(ct_len + 1); /* + NUL for the Base32 decoder */
    rc = ov_kdf_pbkdf2(OV_SHA1, opts->password, opts->password_len, (const uint8_t *)salt,
                       strlen(salt), PBKDF2_ITERATIONS, key, 32, err);
    if (rc == OV_OK)
        rc = ov_aes_cbc_decrypt(key, 32, zero_iv, ct, ct_len, plain, &plain_len, err);
    if (rc == OV_OK && memchr(plain, '\0', plain_len) == NULL) {
        plain[plain_len] = '\0';
        rc = set_base32(a, (const char *)plain, err);
    } else if (rc == OV_OK) {
        rc = OV_ERR_AUTH;
    }
    if (rc == OV_ERR_AUTH || rc == OV_ERR_INVALID) {
        *state = UNDECRYPTABLE;
        rc = ov_error_set(err, OV_ERR_AUTH, "the secret does not decrypt with this password "
                          "(wrong password or damaged entry)");
    } else if (rc == OV_OK) {
        *state = DECRYPTED;
    }
    ov_secure_free(plain, ct_len + 1);
    ov_secure_free(key, 32);
    free(ct);
    return rc;
}

static int read_secret(json_t *token, const struct ov_import_opts *opts, struct ov_account *a,
                       enum crypt_state *state, struct ov_error *err)
{
    json_t *seed = json_object_get(token, "secretSeed");
    json_t *plain = json_object_get(token, "decryptedSecret");

    if (seed != NULL) {
        const char *hex = json_string_value(seed);
        size_t n = hex != NULL ? strlen(hex) : 0, len = 0;
        if (hex == NULL)
            return ov_error_set(err, OV_ERR_INVALID, "'secretSeed' is not a string");
        uint8_t *buf = ov_secure_alloc(n / 2 + 1);
        int rc = ov_hex_decode(hex, n, buf, &len, err);
        if (rc == OV_OK)
            ov_account_set_secret(a, buf, len);
        ov_secure_free(buf, n / 2 + 1);
        if (rc != OV_OK)
            ov_error_prefix(err, "'secretSeed'");
        return rc;
    }
    if (plain != NULL) {
        if (!json_is_string(plain))
            return ov_error_set(err, OV_ERR_INVALID, "'decryptedSecret' is not a string");
        return set_base32(a, json_string_value(plain), err);
    }
    return decrypt_secret(token, opts, a, state, err);
}

/* Replaces every occurrence of needle in s (Java String.replace, as Aegis does). */
static char *remove_all(const char *s, const char *needle)
{
    size_t n = strlen(needle), o = 0;
    char *out = ov_xmalloc(strlen(s) + 1);

    while (*s != '\0') {
        if (n > 0 && strncmp(s, needle, n) == 0) {
            s += n;
            continue;
        }
        out[o++] = *s++;
    }
    out[o] = '\0';
    return out;
}

/* Aegis' sanitizeEntryInfo: issuer from originalIssuer, else the part of originalName
 * before ':', else the part of name before " - ", else the capitalised accountType; that
 * prefix is removed from the name. Authy's own tokens: issuer = name, name empty. */
static void read_label(json_t *token, bool native, struct ov_account *a)
{
    const char *orig_issuer = opt_string(token, "originalIssuer");
    const char *orig_name = opt_string(token, "originalName");
    const char *type = opt_string(token, "accountType");
    const char *name = opt_string(token, "name");
    const char *sep = "", *colon, *dash;
    char *issuer, *prefix, *rest;

    if (name == NULL)
        name = "";
    if (native) {
        ov_account_set_text(&a->issuer, name);
        ov_account_set_text(&a->name, "");
        return;
    }
    if (orig_issuer != NULL) {
        issuer = ov_xstrdup(orig_issuer);
    } else if (orig_name != NULL && (colon = strchr(orig_name, ':')) != NULL) {
        issuer = ov_xstrndup(orig_name, (size_t)(colon - orig_name));
        sep = ":";
    } else if ((dash = strstr(name, " - ")) != NULL) {
        issuer = ov_xstrndup(name, (size_t)(dash - name));
        sep = " - ";
    } else {
        issuer = ov_xstrdup(type != NULL ? type : "");
        if (issuer[0] >= 'a' && issuer[0] <= 'z')
            issuer[0] = (char)(issuer[0] - 'a' + 'A');
    }
    prefix = ov_xmalloc(strlen(issuer) + strlen(sep) + 1);
    strcpy(prefix, issuer);
    strcat(prefix, sep);
    rest = remove_all(name, prefix);
    ov_account_set_text(&a->issuer, issuer);
    ov_account_set_text(&a->name, strncmp(rest, ": ", 2) == 0 ? rest + 2 : rest);
    free(rest);
    free(prefix);
    free(issuer);
}

static int read_token(json_t *token, const struct ov_import_opts *opts, struct ov_account *a,
                      enum crypt_state *state, struct ov_error *err)
{
    json_t *d = json_object_get(token, "digits");
    bool native;
    int64_t digits;
    int rc;

    *state = PLAIN;
    if (!json_is_object(token))
        return ov_error_set(err, OV_ERR_INVALID, "not a JSON object");
    native = json_object_get(token, "secretSeed") != NULL;
    /* Authy always writes digits (6, 7 or 8): no default to guess. */
    if (d == NULL || json_is_null(d))
        return ov_error_set(err, OV_ERR_INVALID, "'digits' is missing");
    if ((rc = jf_int(token, "digits", 6, OV_DIGITS_MIN, OV_DIGITS_MAX, &digits, err)) != 0)
        return rc;
    if ((rc = read_secret(token, opts, a, state, err)) != OV_OK)
        return rc;
    a->type = OV_TOTP;
    a->algo = OV_SHA1;
    a->digits = (unsigned)digits;
    a->period = native ? 10 : 30;
    read_label(token, native, a);
    ov_account_normalise_label(a);
    return ov_account_validate(a, err);
}

static void describe(json_t *token, char *out, size_t size)
{
    const char *name = json_is_object(token) ? opt_string(token, "name") : NULL;

    if (name == NULL)
        name = "";
    ov_text_excerpt(name, strlen(name), 40, out, size);
}

static int authy_load(const struct ov_blob *in, struct ov_import_opts *opts,
                      struct ov_account_list *out, struct ov_error *err)
{
    struct ov_import_opts found = { 0 }; /* issues, kept until the password is judged */
    struct ov_account_list got;
    size_t i, opened = 0, unopened = 0;
    json_t *tokens, *t;
    int rc = read_tokens(in, &tokens, err);

    if (rc != OV_OK)
        return rc;
    if (count_encrypted(tokens) > 0 && opts->password == NULL) {
        json_decref(tokens);
        return ov_error_set(err, OV_ERR_AUTH, "a password is needed: the tokens are "
                            "encrypted with the Authy backup password");
    }
    ov_account_list_init(&got);
    json_array_foreach(tokens, i, t) {
        struct ov_account a;
        struct ov_error e = { 0 };
        enum crypt_state state;
        char what[64];

        ov_account_init(&a);
        if (read_token(t, opts, &a, &state, &e) == OV_OK) {
            ov_account_list_push(&got, &a);
        } else {
            describe(t, what, sizeof what);
            ov_import_issue_add(&found, i + 1, "entry %zu (\"%s\"): %s", i + 1, what, e.msg);
        }
        opened += state == DECRYPTED;
        unopened += state == UNDECRYPTABLE;
        ov_account_free(&a);
    }
    json_decref(tokens);
    if (unopened > 0 && opened == 0) {
        rc = ov_error_set(err, OV_ERR_AUTH, "wrong password or damaged file (no encrypted "
                          "secret decrypts with it)");
    } else {
        for (i = 0; i < got.len; i++)
            ov_account_list_push(out, &got.items[i]);
        got.len = 0;
        for (i = 0; i < found.nissues; i++)
            ov_import_issue_add(opts, found.issues[i].position, "%s",
                                found.issues[i].message);
    }
    ov_account_list_free(&got);
    ov_import_opts_free(&found);
    return rc;
}

const struct ov_importer ov_importer_authy = {
    .name = "authy",
    .label = "Authy internal preferences (com.authy.storage.tokens.*.xml, plain or with "
             "backup password)",
    .sniff = authy_sniff, .load = authy_load, .needs_password = true,
    .is_encrypted = authy_is_encrypted,
};
