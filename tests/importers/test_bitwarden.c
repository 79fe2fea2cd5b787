/* Bitwarden importer: JSON items (every TOTP form), CSV, password-protected exports built
 * here (PBKDF2 and Argon2id with small costs), refused KDF costs, account-restricted
 * exports, and damaged input of every kind. */
#include <criterion/criterion.h>
#include <gcrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/import.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(bitwarden, .init = setup);

static const char vault[] =
    "{\"encrypted\":false,\"folders\":[{\"id\":\"f1\",\"name\":\"Work\"}],\"items\":["
    "{\"type\":1,\"name\":\"Deno\",\"folderId\":\"f1\",\"login\":{\"username\":\"x\",\"totp\":"
    "\"otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno\"}},"
    "{\"type\":1,\"name\":\"Valve\",\"login\":{\"username\":\"gabe\",\"totp\":"
    "\"steam://JRZCL47CMXVOQMNPZR2F7J4RGI\"}},"
    "{\"type\":1,\"name\":\"Test Steam\",\"login\":{\"username\":null,\"totp\":"
    "\"steam://GJD4ZX3RQMLCAXKCT7GGQ4U27VN4FPK6\"}},"
    "{\"type\":1,\"name\":\"Secret\",\"login\":{\"username\":\"Only\",\"totp\":"
    "\" jor2 vzxm nhac fnlr aoac ffrd ryao fmlb \"}},"
    "{\"type\":1,\"name\":\"GitHub\",\"login\":{\"username\":\"alice\",\"totp\":"
    "\"otpauth://totp/?secret=KRSXG5A\"}},"
    "{\"type\":3,\"name\":\"Card\",\"card\":{\"number\":\"4024007137334933\"}},"
    "{\"type\":1,\"name\":\"No TOTP\",\"login\":{\"username\":\"bob\",\"totp\":null}},"
    "{\"type\":1,\"name\":\"Empty TOTP\",\"login\":{\"totp\":\"\"}},"
    "{\"type\":1,\"name\":\"No login\",\"login\":null}]}";

Test(bitwarden, items_of_every_form)
{
    struct import_result r;
    const struct ov_account *a;

    import_str("bitwarden", vault, NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.opts.nissues, 0, "%s", r.opts.nissues ? r.opts.issues[0].message : "");
    cr_assert_eq(r.accounts.len, 5);
    a = import_find(&r, "Deno", "Mason");
    cr_assert(a != NULL && a->type == OV_TOTP);
    cr_assert_str_eq(a->group, "Work");
    a = import_find(&r, "Steam", "gabe");      /* steam://: issuer Steam, the login's user */
    cr_assert(a != NULL && a->type == OV_STEAM && a->digits == 5);
    a = import_find(&r, "Steam", "Steam account"); /* ... or Aegis' name without one */
    cr_assert(a != NULL && a->type == OV_STEAM);
    a = import_find(&r, "Secret", "Only");     /* a bare key: the item's name and user */
    cr_assert(a != NULL && a->type == OV_TOTP && a->secret_len == 20 && a->period == 30);
    cr_assert_not_null(import_find(&r, "GitHub", "alice")); /* a URI without labels */
    import_result_free(&r);
}

Test(bitwarden, detected_by_content)
{
    static const char *const yes[] = {
        "{\"encrypted\":false,\"items\":[]}",
        "{\"encrypted\":true,\"passwordProtected\":true,\"salt\":\"x\"}",
        "{\"encrypted\":true,\"encKeyValidation_DO_NOT_EDIT\":\"2.a|b|c\",\"items\":[]}",
        ("folder,favorite,type,name,notes,fields,login_uri,login_username,login_password,"
         "login_totp\n"),
    };
    static const char *const no[] = { "{\"Authenticators\":[]}", "{\"db\":{},\"header\":{}}",
                                      "name,password\nx,y\n", "[{\"items\":1}]" };

    for (size_t i = 0; i < 4; i++) {
        struct ov_blob b = { (const uint8_t *)yes[i], strlen(yes[i]), "f" };
        const struct ov_importer *imp = ov_import_pick(&b, NULL);
        cr_assert(imp != NULL && strcmp(imp->name, "bitwarden") == 0, "%s", yes[i]);
        cr_assert_eq(imp->is_encrypted(&b), i == 1, "%s", yes[i]);
        b = (struct ov_blob){ (const uint8_t *)no[i], strlen(no[i]), "f" };
        imp = ov_import_pick(&b, NULL);
        cr_assert(imp == NULL || strcmp(imp->name, "bitwarden") != 0, "%s", no[i]);
    }
}

struct item_case {
    const char *item;
    const char *issue;
};

static const struct item_case item_cases[] = {
    { "7", "entry 1: not an object" },
    { "{\"type\":\"login\",\"login\":{\"totp\":\"KRSXG5A\"}}", "'type' is not a number" },
    { "{\"type\":1,\"login\":[]}", "'login' is not an object" },
    { "{\"type\":1,\"login\":{\"totp\":5}}", "'totp' is not a string" },
    { "{\"type\":1,\"name\":{},\"login\":{\"totp\":\"KRSXG5A\"}}", "'name' is not a string" },
    { "{\"type\":1,\"login\":{\"username\":1,\"totp\":\"KRSXG5A\"}}",
      "'username' is not a string" },
    { "{\"type\":1,\"name\":\"X\",\"login\":{\"totp\":\"KRS\"}}", "entry 1 (X): the secret (Base32)" },
    { "{\"type\":1,\"login\":{\"totp\":\"otpauth://totp/A?secret=\"}}", "entry 1:" },
    { "{\"type\":1,\"login\":{\"totp\":\"otpauth://hotp/A?secret=KRSXG5A&digits=12\"}}",
      "digits" },
    { "{\"type\":1,\"login\":{\"totp\":\"steam://\"}}", "missing secret" },
    { "{\"type\":1,\"login\":{\"totp\":\"ftp://x\"}}", "entry 1:" },
    { "{\"type\":2,\"login\":{\"totp\":\"garbage that is skipped\"}}", NULL },
    { "{\"login\":{\"totp\":\"KRSXG5B\"}}", NULL }, /* no type: a login */
    { "{\"type\":1,\"name\":null,\"folderId\":\"nowhere\",\"login\":{\"totp\":\"KRSXG5B\","
      "\"username\":null}}", NULL },
};

Test(bitwarden, every_field_checked_per_item)
{
    for (size_t i = 0; i < sizeof item_cases / sizeof *item_cases; i++) {
        const struct item_case *c = &item_cases[i];
        char json[512];
        struct import_result r;

        snprintf(json, sizeof json, "{\"items\":[%s,{\"type\":1,\"name\":\"Ok\",\"login\":"
                 "{\"totp\":\"KRSXG5A\"}}]}", c->item);
        import_str("bitwarden", json, NULL, &r);
        cr_assert_eq(r.rc, OV_OK, "%s: %s", c->item, r.err.msg);
        cr_assert_not_null(import_find(&r, "Ok", ""), "%s", c->item);
        if (c->issue != NULL) {
            cr_assert_eq(r.opts.nissues, 1, "%s", c->item);
            cr_assert(import_issue_at(&r, 0, c->issue), "%s: got \"%s\"", c->item,
                      r.opts.issues[0].message);
        } else {
            cr_assert_eq(r.opts.nissues, 0, "%s: %s", c->item,
                         r.opts.nissues ? r.opts.issues[0].message : "");
        }
        import_result_free(&r);
    }
}

Test(bitwarden, malformed_documents)
{
    static const struct { const char *json, *error; int rc; } cases[] = {
        { "{", "not valid JSON", OV_ERR_INVALID },
        { "{\"encrypted\":false}", "no 'items' list", OV_ERR_INVALID },
        { "{\"items\":null}", "no 'items' list", OV_ERR_INVALID },
        { "{\"items\":{}}", "'items' is not a list", OV_ERR_INVALID },
        { "{\"items\":[]} x", "not valid JSON", OV_ERR_INVALID },
        { "", "empty file", OV_ERR_INVALID },
        { "name,notes\nx,y\n", "no 'login_totp' column", OV_ERR_INVALID },
        { "a\0b", "binary data", OV_ERR_INVALID },
    };

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct import_result r;
        import_with("bitwarden", cases[i].json, i == 7 ? 3 : strlen(cases[i].json), NULL, &r);
        cr_assert_eq(r.rc, cases[i].rc, "%s: %s", cases[i].json, r.err.msg);
        cr_assert(import_error_has(&r, cases[i].error), "%s: %s", cases[i].json, r.err.msg);
        import_result_free(&r);
    }
}

Test(bitwarden, csv_quoting_and_columns)
{
    /* BOM, CRLF, columns in another order (plus reprompt), quotes, a note over two lines. */
    const char *csv =
        "\xEF\xBB\xBF" "login_totp,reprompt,name,notes,login_username,folder\r\n"
        "\"otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno\",0,"
        "\"Deno, Inc\",\"two\r\nlines, \"\"quoted\"\"\",x,Work\r\n"
        ",0,No TOTP,,,\r\n"
        "KRSXG5A,0,\"Bare \"\"key\"\"\",,alice,\r\n"
        "\r\n"
        "steam://JRZCL47CMXVOQMNPZR2F7J4RGI,0,Steam,,,\r\n"
        "x1!\r\n";
    struct import_result r;
    const struct ov_account *a;

    import_str("bitwarden", csv, NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 3);
    a = import_find(&r, "Deno", "Mason");
    cr_assert(a != NULL && a->group != NULL && strcmp(a->group, "Work") == 0);
    cr_assert_not_null(import_find(&r, "Bare \"key\"", "alice"));
    cr_assert_not_null(import_find(&r, "Steam", "Steam account"));
    /* The last row's TOTP is no key. */
    cr_assert_eq(r.opts.nissues, 1);
    cr_assert(import_issue_at(&r, 0, "line 8"), "%s", r.opts.issues[0].message);
    import_result_free(&r);
}

Test(bitwarden, csv_damage)
{
    struct import_result r;

    import_str("bitwarden", "name,login_username,login_totp\nA,a,KRSXG5A\nB,b,\"KRSX\nC,c,x\n",
                NULL, &r);
    cr_assert_eq(r.rc, OV_OK);
    cr_assert_eq(r.accounts.len, 1); /* the row before the open quote */
    cr_assert(import_issue_at(&r, 0, "line 3: a quoted field is not closed"), "%s",
              r.opts.nissues ? r.opts.issues[0].message : "");
    import_result_free(&r);
    import_str("bitwarden", "name,login_totp\nA\n", NULL, &r);
    cr_assert(import_issue_at(&r, 0, "too few"));
    import_result_free(&r);
}

Test(bitwarden, every_truncation_of_the_fixtures)
{
    static const char *const files[] = { "aegis-importers/bitwarden.json",
                                         "aegis-importers/bitwarden.csv",
                                         "stratum-test-data/bitwarden.unencrypted.json",
                                         "stratum-test-data/bitwarden.encrypted.pbkdf2.json" };

    for (size_t f = 0; f < 4; f++) {
        size_t len, errors, step = f == 3 ? 13 : 1;
        char *data;

        SKIP_WITHOUT_FIXTURE(files[f]);
        data = fixture_read(files[f], &len);
        errors = import_cuts_clear("bitwarden", data, len, "rud9^5S6$^Ewmr%d", 0, step);
        /* JSON: every prefix is broken (bar dropping a final line end); CSV prefixes can be
         * whole files with fewer rows. */
        if (f != 1)
            cr_assert_geq(errors, (len + step - 1) / step - 2, "%s", files[f]);
        free(data);
    }
}

Test(bitwarden, garbage)
{
    uint64_t seed = 0xb17;
    uint8_t buf[300];

    for (int i = 0; i < 200; i++) {
        size_t len = (size_t)(i * 7) % sizeof buf;
        struct import_result r;

        import_random_bytes(&seed, buf, len);
        if (i % 2 && len > 0)
            buf[0] = '{';
        import_with("bitwarden", buf, len, "pw", &r);
        cr_assert(r.rc != OV_OK || r.accounts.len == 0, "garbage %d gave accounts", i);
        if (r.rc != OV_OK)
            cr_assert_neq(r.err.msg[0], '\0');
        import_result_free(&r);
    }
}

/* --- Password-protected exports built here -------------------------------------------- */

static char *b64(const uint8_t *d, size_t n)
{
    char *out = malloc(ov_base64_encoded_len(n) + 1);
    ov_base64_encode(d, n, out, 0);
    return out;
}

/* "2.<iv>|<ct>|<mac>" of text under keys (encryption key, then MAC key). */
static char *enc_string(const uint8_t keys[64], const char *text, uint8_t seed)
{
    size_t n = strlen(text), padded = (n / 16 + 1) * 16;
    uint8_t iv[16], *ct = malloc(padded), *msg = malloc(16 + padded), mac[32];
    gcry_cipher_hd_t hd;
    char *s_iv, *s_ct, *s_mac, *out;

    for (int i = 0; i < 16; i++)
        iv[i] = (uint8_t)(seed + i * 3);
    memcpy(ct, text, n);
    memset(ct + n, (int)(padded - n), padded - n);
    gcry_cipher_open(&hd, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_CBC, 0);
    gcry_cipher_setkey(hd, keys, 32);
    gcry_cipher_setiv(hd, iv, 16);
    gcry_cipher_encrypt(hd, ct, padded, NULL, 0);
    gcry_cipher_close(hd);
    memcpy(msg, iv, 16);
    memcpy(msg + 16, ct, padded);
    cr_assert_eq(ov_hmac(OV_SHA256, keys + 32, 32, msg, 16 + padded, mac, NULL), OV_OK);
    s_iv = b64(iv, 16);
    s_ct = b64(ct, padded);
    s_mac = b64(mac, 32);
    out = malloc(strlen(s_iv) + strlen(s_ct) + strlen(s_mac) + 8);
    sprintf(out, "2.%s|%s|%s", s_iv, s_ct, s_mac);
    free(s_iv);
    free(s_ct);
    free(s_mac);
    free(ct);
    free(msg);
    return out;
}

/* The JSON values of an export's fields (raw JSON text); NULL leaves the field out. */
struct bw_export {
    const char *salt, *kdf_type, *iterations, *memory, *parallelism, *check, *data;
};

static char *export_json(const struct bw_export *x)
{
    const char *names[] = { "salt", "kdfType", "kdfIterations", "kdfMemory", "kdfParallelism",
                            "encKeyValidation_DO_NOT_EDIT", "data" };
    const char *values[] = { x->salt, x->kdf_type, x->iterations, x->memory, x->parallelism,
                             x->check, x->data };
    char *out = malloc(16384);

    strcpy(out, "{\"encrypted\":true,\"passwordProtected\":true");
    for (int i = 0; i < 7; i++)
        if (values[i] != NULL)
            sprintf(out + strlen(out), ",\"%s\":%s", names[i], values[i]);
    strcat(out, "}");
    return out;
}

/* Strings of a good PBKDF2 (or Argon2id) export of `vault` under "pw". */
struct good_export {
    char check[512], data[8192];
};

static void make_good(bool argon2, struct good_export *g)
{
    const char *salt = "c2FsdHNhbHRzYWx0";
    uint8_t master[32], keys[64], salt_hash[32];
    char *s;

    if (argon2) {
        struct ov_kdf_params p = { 1024, 1, 2 };
        ov_hash(OV_SHA256, salt, strlen(salt), salt_hash);
        cr_assert_eq(ov_kdf_argon2id("pw", 2, salt_hash, 32, &p, master, 32, NULL), OV_OK);
    } else {
        cr_assert_eq(ov_kdf_pbkdf2(OV_SHA256, "pw", 2, (const uint8_t *)salt, strlen(salt),
                                   1000, master, 32, NULL), OV_OK);
    }
    ov_hkdf_expand_sha256(master, 32, "enc", 3, keys, 32, NULL);
    ov_hkdf_expand_sha256(master, 32, "mac", 3, keys + 32, 32, NULL);
    s = enc_string(keys, "dc1aa77d-c2ce-4f24-8ace-ed4e1b14cd76", 1);
    snprintf(g->check, sizeof g->check, "\"%s\"", s);
    free(s);
    s = enc_string(keys, vault, 2);
    snprintf(g->data, sizeof g->data, "\"%s\"", s);
    free(s);
}

static void expect(const struct bw_export *x, const char *pw, int rc, const char *needle)
{
    char *json = export_json(x);
    struct import_result r;

    import_str("bitwarden", json, pw, &r);
    cr_assert_eq(r.rc, rc, "%s -> %d %s", json, r.rc, r.err.msg);
    if (rc == OV_OK)
        cr_assert_eq(r.accounts.len, 5);
    else
        cr_assert(import_error_has(&r, needle), "wanted \"%s\", got \"%s\"", needle, r.err.msg);
    import_result_free(&r);
    free(json);
}

Test(bitwarden, password_protected_pbkdf2)
{
    struct good_export g;
    struct bw_export x;
    char tampered[8192];

    make_good(false, &g);
    x = (struct bw_export){ "\"c2FsdHNhbHRzYWx0\"", "0", "1000", "null", "null", g.check, g.data };
    expect(&x, "pw", OV_OK, NULL);
    expect(&x, "PW", OV_ERR_AUTH, "wrong password or damaged file");
    expect(&x, NULL, OV_ERR_AUTH, "a password is needed");
    /* A damaged 'data' with the password proven right by the validation string. */
    strcpy(tampered, g.data);
    tampered[40] = tampered[40] == 'A' ? 'B' : 'A';
    x.data = tampered;
    expect(&x, "pw", OV_ERR_INVALID, "the password is right");
    x.check = NULL; /* without it, the two cannot be told apart */
    expect(&x, "pw", OV_ERR_AUTH, "wrong password or damaged file");
    x.data = g.data;
    expect(&x, "pw", OV_OK, NULL);
}

Test(bitwarden, password_protected_argon2id)
{
    struct good_export g;
    struct bw_export x;

    make_good(true, &g);
    x = (struct bw_export){ "\"c2FsdHNhbHRzYWx0\"", "1", "1", "1", "2", g.check, g.data };
    expect(&x, "pw", OV_OK, NULL);
    expect(&x, "pW", OV_ERR_AUTH, "wrong password");
}

Test(bitwarden, kdf_costs_past_the_bounds_are_refused)
{
    struct good_export g;
    struct bw_export x;

    make_good(false, &g);
    x = (struct bw_export){ "\"s\"", "0", "20000000", NULL, NULL, g.check, g.data };
    expect(&x, "pw", OV_ERR_LIMIT, "PBKDF2 iterations");
    expect(&x, NULL, OV_ERR_LIMIT, "PBKDF2 iterations"); /* before asking for a password */
    x.iterations = "0";
    expect(&x, "pw", OV_ERR_LIMIT, "PBKDF2 iterations");
    x = (struct bw_export){ "\"s\"", "1", "3", "2048", "4", g.check, g.data };
    expect(&x, "pw", OV_ERR_LIMIT, "2048 MiB");
    x.memory = "99999999999";
    expect(&x, "pw", OV_ERR_LIMIT, "MiB");
    x.memory = "64";
    x.parallelism = "0";
    expect(&x, "pw", OV_ERR_LIMIT, "lanes");
    x.parallelism = "65";
    expect(&x, "pw", OV_ERR_LIMIT, "lanes");
    x.parallelism = "4";
    x.iterations = "1000";
    expect(&x, "pw", OV_ERR_LIMIT, "passes");
}

Test(bitwarden, envelope_fields)
{
    struct good_export g;
    struct bw_export base, x;

    make_good(false, &g);
    base = (struct bw_export){ "\"c2FsdHNhbHRzYWx0\"", "0", "1000", NULL, NULL, g.check, g.data };
    x = base, x.salt = NULL;
    expect(&x, "pw", OV_ERR_INVALID, "'salt' is missing");
    x = base, x.salt = "null";
    expect(&x, "pw", OV_ERR_INVALID, "'salt' is missing");
    x = base, x.salt = "5";
    expect(&x, "pw", OV_ERR_INVALID, "'salt' is not a string");
    x = base, x.kdf_type = NULL;
    expect(&x, "pw", OV_ERR_INVALID, "'kdfType' is missing");
    x = base, x.kdf_type = "7";
    expect(&x, "pw", OV_ERR_UNSUPPORTED, "'kdfType' 7");
    x = base, x.kdf_type = "\"argon\"";
    expect(&x, "pw", OV_ERR_INVALID, "'kdfType' is not a number");
    x = base, x.iterations = NULL;
    expect(&x, "pw", OV_ERR_INVALID, "'kdfIterations' is missing");
    x = base, x.iterations = "-5";
    expect(&x, "pw", OV_ERR_INVALID, "'kdfIterations' is -5");
    x = base, x.kdf_type = "1", x.memory = NULL, x.parallelism = "1";
    expect(&x, "pw", OV_ERR_INVALID, "'kdfMemory' is missing");
    x = base, x.data = NULL;
    expect(&x, "pw", OV_ERR_INVALID, "'data' is missing");
    x = base, x.data = "[]";
    expect(&x, "pw", OV_ERR_INVALID, "'data' is not a string");
    x = base, x.data = "\"0.abc|def\"";
    expect(&x, "pw", OV_ERR_UNSUPPORTED, "encryption type 0");
    x = base, x.data = "\"plain text\"";
    expect(&x, "pw", OV_ERR_INVALID, "not an encrypted string");
    x = base, x.data = "\"2.AAAA|BBBB\"";
    expect(&x, "pw", OV_ERR_INVALID, "three parts");
    x = base, x.data = "\"2.AAAA|AAAAAAAAAAAAAAAAAAAAAA==|AAAA\"";
    expect(&x, "pw", OV_ERR_INVALID, "the IV is 3 bytes");
    x = base, x.data = "\"2.AAAAAAAAAAAAAAAAAAAAAA==|AAAA|AAAA\"";
    expect(&x, "pw", OV_ERR_INVALID, "not a whole number of AES blocks");
    x = base, x.data = "\"2.AAAAAAAAAAAAAAAAAAAAAA==|AAAAAAAAAAAAAAAAAAAAAA==|AAAA\"";
    expect(&x, "pw", OV_ERR_INVALID, "the MAC is 3 bytes");
    x = base, x.data = "\"2.A!AA|AAAA|AAAA\"";
    expect(&x, "pw", OV_ERR_INVALID, "invalid character");
    x = base, x.check = "\"2.AAAA\"";
    expect(&x, "pw", OV_ERR_INVALID, "'encKeyValidation_DO_NOT_EDIT'");
}

Test(bitwarden, every_truncation_of_an_encrypted_export)
{
    struct good_export g;
    struct bw_export x;
    char *json;

    make_good(false, &g);
    x = (struct bw_export){ "\"c2FsdHNhbHRzYWx0\"", "0", "1000", NULL, NULL, g.check, g.data };
    json = export_json(&x);
    cr_assert_eq(import_cuts_clear("bitwarden", json, strlen(json), "pw", 0, 1), strlen(json));
    free(json);
}

Test(bitwarden, account_restricted_export_is_refused_without_a_password)
{
    const char *file = "stratum-test-data/bitwarden.encrypted.accountrestricted.json";
    struct ov_blob b;
    struct import_result r;
    size_t len;
    char *data;

    SKIP_WITHOUT_FIXTURE(file);
    data = fixture_read(file, &len);
    b = (struct ov_blob){ (const uint8_t *)data, len, file };
    cr_assert_str_eq(ov_import_pick(&b, NULL)->name, "bitwarden");
    cr_assert(!ov_import_pick(&b, NULL)->is_encrypted(&b)); /* so nobody asks for one */
    for (int pw = 0; pw < 2; pw++) {
        import_with("bitwarden", data, len, pw ? "rud9^5S6$^Ewmr%d" : NULL, &r);
        cr_assert_eq(r.rc, OV_ERR_UNSUPPORTED);
        cr_assert(import_error_has(&r, "account-restricted export cannot be decrypted; export as "
                                   "password-protected or unencrypted JSON"), "%s", r.err.msg);
        import_result_free(&r);
    }
    free(data);
}
