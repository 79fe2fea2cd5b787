/* Real Google Authenticator exports from ../shared/fixtures (FIXTURES_DIR): every migration
 * text is decoded and compared field by field with the expected.json files, read at test
 * time. Expected issuer/name are the raw protobuf fields put through design.md 4.1, written
 * out here independently of ov_account_normalise_label. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <gcrypt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/account.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/importer.h"
#include "otpvault/mem.h"
#include "otpvault/migration.h"
#include "otpvault/qr_payload.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(migration_fixtures, .init = setup);

static void fixture_path(char *out, size_t size, const char *rel)
{
    const char *dir = getenv("FIXTURES_DIR");
    snprintf(out, size, "%s/%s", dir != NULL && dir[0] != '\0' ? dir : "../shared/fixtures",
             rel);
}

/* The whole file, NUL-terminated, or NULL when it is not there. */
static char *read_fixture(const char *rel, size_t *len)
{
    char path[1024];
    FILE *f;
    char *buf;
    long n;

    fixture_path(path, sizeof path, rel);
    if ((f = fopen(path, "rb")) == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len != NULL)
        *len = (size_t)n;
    return buf;
}

static void skip_missing(const void *p, const char *rel)
{
    if (p == NULL) {
        fprintf(stderr, "SKIP: %s not found (set FIXTURES_DIR)\n", rel);
        cr_skip_test("SKIP: fixture %s not found", rel);
    }
}

static json_t *load_json(const char *rel)
{
    char path[1024];
    json_error_t jerr;
    json_t *j;

    fixture_path(path, sizeof path, rel);
    j = json_load_file(path, 0, &jerr);
    skip_missing(j, rel);
    return j;
}

static const char *jstr(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : "";
}

/* design.md 4.1 for separate fields, as the contract words it. */
static void rule_4_1(const char *issuer, const char *name, char *out_issuer, char *out_name,
                     size_t size)
{
    const char *colon = strchr(name, ':');
    size_t ilen = strlen(issuer);

    if (ilen == 0 && colon != NULL) {
        snprintf(out_issuer, size, "%.*s", (int)(colon - name), name);
        name = colon + 1;
    } else {
        snprintf(out_issuer, size, "%s", issuer);
        if (ilen > 0 && strncmp(name, issuer, ilen) == 0 && name[ilen] == ':')
            name += ilen + 1;
        else
            colon = NULL;
    }
    if (colon != NULL)
        while (*name == ' ')
            name++;
    snprintf(out_name, size, "%s", name);
}

static void expect_secret(const struct ov_account *a, const char *b32, const char *hex,
                          const char *where)
{
    char text[2 * OV_SECRET_MAX + 1];

    cr_assert(gcry_is_secure(a->secret), "%s: secret not in secure memory", where);
    if (hex != NULL && hex[0] != '\0') {
        ov_hex_encode(a->secret, a->secret_len, text);
        cr_assert_str_eq(text, hex, "%s", where);
    }
    ov_base32_encode(a->secret, a->secret_len, text);
    cr_assert_str_eq(text, b32, "%s", where);
}

/* One expected "otp_parameters" entry (raw protobuf fields, enums by name). */
static void expect_raw_entry(const json_t *want, const struct ov_account *a, const char *where)
{
    char issuer[512], name[512];
    const char *algo = jstr(want, "algorithm"), *digits = jstr(want, "digits");
    const char *type = jstr(want, "type");
    const json_t *counter = json_object_get(want, "counter");

    expect_secret(a, jstr(want, "secret_b32"), jstr(want, "secret_hex"), where);
    rule_4_1(jstr(want, "issuer"), jstr(want, "name"), issuer, name, sizeof issuer);
    cr_assert_str_eq(a->issuer, issuer, "%s", where);
    cr_assert_str_eq(a->name, name, "%s", where);
    cr_assert_str_eq(ov_algo_name(a->algo), algo, "%s", where);
    cr_assert_eq(a->digits, strcmp(digits, "EIGHT") == 0 ? 8u : 6u, "%s", where);
    cr_assert(strcmp(digits, "SIX") == 0 || strcmp(digits, "EIGHT") == 0, "%s", where);
    cr_assert_eq(a->type, strcmp(type, "HOTP") == 0 ? OV_HOTP : OV_TOTP, "%s", where);
    cr_assert_eq(a->counter, json_is_integer(counter) ? (uint64_t)json_integer_value(counter)
                                                      : 0, "%s", where);
    cr_assert_eq(a->period, 30, "%s", where);
}

/* A whole expected payload against decoded accounts and batch fields. */
static void expect_payload(const json_t *want, const struct ov_account *got, size_t n,
                           const struct ov_migration_batch *b, const char *where)
{
    const json_t *params = json_object_get(want, "otp_parameters");
    const json_t *index = json_object_get(want, "batch_index");
    char at[256];

    cr_assert(json_is_array(params), "%s: no otp_parameters", where);
    cr_assert_eq(n, json_array_size(params), "%s: %zu accounts, expected %zu", where, n,
                 json_array_size(params));
    for (size_t i = 0; i < n; i++) {
        snprintf(at, sizeof at, "%s, entry %zu", where, i + 1);
        expect_raw_entry(json_array_get(params, i), &got[i], at);
    }
    cr_assert_eq(b->version, json_integer_value(json_object_get(want, "version")), "%s", where);
    cr_assert_eq(b->batch_size, json_integer_value(json_object_get(want, "batch_size")), "%s",
                 where);
    cr_assert_eq(b->has_batch_index, index != NULL, "%s", where);
    cr_assert_eq(b->batch_index, json_integer_value(index), "%s", where);
    cr_assert_eq(b->batch_id, json_integer_value(json_object_get(want, "batch_id")), "%s",
                 where);
}

/* Encoding what we decoded gives Google's bytes back, when 4.1 left the labels alone (our
 * encoder writes the fields in Google's order and the same defaults). */
static size_t reencoded; /* how many payloads were compared byte for byte */

static void expect_reencodes(const char *uri, const struct ov_account *got, size_t n,
                             const struct ov_migration_batch *b, const json_t *want)
{
    const json_t *params = json_object_get(want, "otp_parameters");
    struct ov_error err = {0};
    uint8_t *orig, *again;
    size_t orig_len, again_len;

    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(params, i);
        if (strcmp(got[i].name, jstr(e, "name")) != 0 ||
            strcmp(got[i].issuer, jstr(e, "issuer")) != 0)
            return;
    }
    cr_assert_eq(ov_migration_uri_data(uri, &orig, &orig_len, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(ov_migration_encode(got, n, b, &again, &again_len, &err), OV_OK, "%s",
                 err.msg);
    cr_assert_eq(again_len, orig_len, "%s", uri);
    cr_assert_eq(memcmp(again, orig, orig_len), 0, "%s", uri);
    reencoded++;
    ov_secure_free(orig, orig_len);
    ov_secure_free(again, again_len);
}

/* Decodes one QR text through the classifier and compares it with the expected payload. */
static void check_qr_text(const char *text, const json_t *want, const char *where)
{
    struct ov_account_list l;
    struct ov_qr_payload info;
    struct ov_import_opts issues = {0};
    struct ov_error err = {0};

    ov_account_list_init(&l);
    cr_assert_eq(ov_qr_payload_parse(text, strlen(text), &l, &info, &issues, &err), OV_OK,
                 "%s: %s", where, err.msg);
    cr_assert(info.is_migration, "%s", where);
    cr_assert_eq(issues.nissues, 0, "%s: unexpected issue %s", where,
                 issues.nissues > 0 ? issues.issues[0].message : "");
    cr_assert_eq(info.added, l.len);
    expect_payload(want, l.items, l.len, &info.batch, where);
    expect_reencodes(text, l.items, l.len, &info.batch, want);
    ov_account_list_free(&l);
}

/* Every image entry with qr_text and migration_payloads (text i holds payload i). */
static size_t check_image_entries(const json_t *root, const char *fixture)
{
    const char *key;
    json_t *item;
    size_t checked = 0;

    json_object_foreach((json_t *)root, key, item) {
        const json_t *texts = json_object_get(item, "qr_text");
        const json_t *payloads = json_object_get(item, "migration_payloads");
        char where[256];

        if (!json_is_array(texts) || !json_is_array(payloads))
            continue;
        cr_assert_eq(json_array_size(texts), json_array_size(payloads), "%s", key);
        for (size_t i = 0; i < json_array_size(texts); i++) {
            snprintf(where, sizeof where, "%s %s QR %zu", fixture, key, i + 1);
            check_qr_text(json_string_value(json_array_get(texts, i)),
                          json_array_get(payloads, i), where);
            checked++;
        }
    }
    return checked;
}

/* QR texts that are not exports must be rejected as what they are. */
static void expect_rejected_text(const void *text, size_t len, const char *want)
{
    struct ov_account_list l;
    struct ov_error err = {0};

    ov_account_list_init(&l);
    cr_assert_eq(ov_qr_payload_parse(text, len, &l, NULL, NULL, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, want) != NULL, "message \"%s\" lacks \"%s\"", err.msg, want);
    cr_assert_eq(l.len, 0);
    ov_account_list_free(&l);
}

Test(migration_fixtures, extract_otp_secrets_qr_texts)
{
    json_t *root = load_json("extract-otp-secrets/expected.json");

    reencoded = 0;
    cr_assert_eq(check_image_entries(root, "extract-otp-secrets"), 3);
    /* The two batch QR codes; example_export.png's names lose their "Test1:" prefixes. */
    cr_assert_eq(reencoded, 2);
    const json_t *bad = json_object_get(root, "qr_but_without_otp.png");
    const char *text = json_string_value(json_array_get(json_object_get(bad, "qr_text"), 0));
    cr_assert_not_null(text);
    expect_rejected_text(text, strlen(text), "plain text (\"NOT A otpauth-migration:// URL\")");
    json_decref(root);
}

/* ---- text files: one QR text per line, '#' comments and blank lines skipped ---------- */

struct text_result {
    struct ov_account_list accounts;
    struct ov_import_opts issues;
    size_t nlines;             /* meaningful lines */
    size_t ok;                 /* lines that parsed */
    size_t starts[16];         /* first account of each migration line */
    size_t counts[16];
    struct ov_migration_batch batches[16];
    size_t nmigrations;
    char first_error[OV_ERROR_MSG_MAX];
};

static void parse_text(const char *text, size_t len, struct text_result *r)
{
    const char *p = text, *end = text + len;

    memset(r, 0, sizeof *r);
    ov_account_list_init(&r->accounts);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *s = p, *e = nl != NULL ? nl : end;
        struct ov_qr_payload info;
        struct ov_error err = {0};

        p = nl != NULL ? nl + 1 : end;
        while (s < e && (*s == ' ' || *s == '\t' || *s == '\r'))
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            e--;
        if (s == e || *s == '#')
            continue;
        r->nlines++;
        size_t before = r->accounts.len;
        if (ov_qr_payload_parse(s, (size_t)(e - s), &r->accounts, &info, &r->issues, &err) !=
            OV_OK) {
            if (r->first_error[0] == '\0')
                memcpy(r->first_error, err.msg, sizeof r->first_error);
            continue;
        }
        r->ok++;
        if (info.is_migration && r->nmigrations < 16) {
            r->starts[r->nmigrations] = before;
            r->counts[r->nmigrations] = info.added;
            r->batches[r->nmigrations++] = info.batch;
        }
    }
}

static void text_result_free(struct text_result *r)
{
    ov_account_list_free(&r->accounts);
    ov_import_opts_free(&r->issues);
}

static void expect_text_payloads(const struct text_result *r, const json_t *payloads,
                                 const char *file)
{
    char where[256];

    cr_assert_eq(r->nmigrations, json_array_size(payloads), "%s: %zu payloads (%s)", file,
                 r->nmigrations, r->first_error);
    for (size_t i = 0; i < r->nmigrations; i++) {
        snprintf(where, sizeof where, "%s payload %zu", file, i + 1);
        expect_payload(json_array_get(payloads, i), r->accounts.items + r->starts[i],
                       r->counts[i], &r->batches[i], where);
    }
}

Test(migration_fixtures, extract_otp_secrets_text_files)
{
    json_t *root = load_json("extract-otp-secrets/expected.json");
    const json_t *inputs = json_object_get(root, "_text_inputs");
    const char *key;
    json_t *item;
    size_t files = 0;

    json_object_foreach((json_t *)inputs, key, item) {
        char rel[512];
        size_t len;
        struct text_result r;
        const json_t *payloads = json_object_get(item, "migration_payloads");
        const json_t *tolerated = json_object_get(item, "migration_payloads_if_prefix_tolerated");

        snprintf(rel, sizeof rel, "extract-otp-secrets/%s", key);
        char *text = read_fixture(rel, &len);
        skip_missing(text, rel);
        parse_text(text, len, &r);
        files++;
        if (tolerated != NULL) {
            /* Our policy: a reader app's "QR-Code:" prefix is dropped with a note. */
            expect_text_payloads(&r, tolerated, key);
            cr_assert_eq(r.issues.nissues, 1, "%s", key);
            cr_assert_eq(r.issues.issues[0].position, 0);
            cr_assert(strstr(r.issues.issues[0].message, "QR-Code:") != NULL);
        } else if (json_array_size(payloads) > 0) {
            expect_text_payloads(&r, payloads, key);
            cr_assert_eq(r.ok, r.nlines, "%s: %s", key, r.first_error);
            cr_assert_eq(r.issues.nissues, 0, "%s", key);
        } else if (strstr(key, "wrong_data") != NULL) {
            cr_assert_eq(r.nlines, 1);
            cr_assert_eq(r.ok, 0);
            cr_assert(strstr(r.first_error, "the migration data is damaged at byte") != NULL,
                      "%s: %s", key, r.first_error);
        } else if (strstr(key, "wrong_content") != NULL) {
            cr_assert_eq(r.nlines, 1);
            cr_assert_eq(r.ok, 0);
            cr_assert(strstr(r.first_error, "plain text (\"Lorem ipsum") != NULL, "%s: %s", key,
                      r.first_error);
        } else {
            /* empty_file.txt, only_comments.txt: nothing to read, nothing wrong. */
            cr_assert(strstr(key, "empty") != NULL || strstr(key, "comments") != NULL,
                      "%s: no expectation known", key);
            cr_assert_eq(r.nlines, 0, "%s", key);
            cr_assert_eq(r.accounts.len, 0);
        }
        text_result_free(&r);
        free(text);
    }
    cr_assert_geq(files, 8);
    json_decref(root);
}

/* Every line of every text input in the corpus is classified without a crash, and each
 * rejected line gets one of the descriptive messages. */
Test(migration_fixtures, every_line_of_every_text_file_is_classified)
{
    char path[1024];
    DIR *dir;
    struct dirent *de;
    size_t files = 0;

    fixture_path(path, sizeof path, "extract-otp-secrets/tests-data");
    dir = opendir(path);
    skip_missing(dir, "extract-otp-secrets/tests-data");
    while ((de = readdir(dir)) != NULL) {
        char rel[512];
        size_t len, n = strlen(de->d_name);
        struct text_result r;

        if (n < 4 || strcmp(de->d_name + n - 4, ".txt") != 0)
            continue;
        snprintf(rel, sizeof rel, "extract-otp-secrets/tests-data/%s", de->d_name);
        char *text = read_fixture(rel, &len);
        cr_assert_not_null(text);
        parse_text(text, len, &r);
        if (r.ok < r.nlines)
            cr_assert(strstr(r.first_error, "not an authenticator export") != NULL ||
                          strstr(r.first_error, "damaged") != NULL,
                      "%s: %s", de->d_name, r.first_error);
        text_result_free(&r);
        free(text);
        files++;
    }
    closedir(dir);
    cr_assert_geq(files, 8);
}

/* The same accounts, whichever way they arrived: url_list_output.txt holds the otpauth://
 * form of example_export.txt's migration payloads. */
Test(migration_fixtures, otpauth_and_migration_forms_give_the_same_accounts)
{
    size_t len1, len2;
    char *mig = read_fixture("extract-otp-secrets/example_export.txt", &len1);
    skip_missing(mig, "extract-otp-secrets/example_export.txt");
    char *list = read_fixture("extract-otp-secrets/tests-data/url_list_output.txt", &len2);
    skip_missing(list, "extract-otp-secrets/tests-data/url_list_output.txt");
    struct text_result a, b;

    parse_text(mig, len1, &a);
    parse_text(list, len2, &b);
    cr_assert_eq(a.accounts.len, 6);
    cr_assert_eq(b.accounts.len, a.accounts.len);
    for (size_t i = 0; i < a.accounts.len; i++) {
        const struct ov_account *x = &a.accounts.items[i], *y = &b.accounts.items[i];
        cr_assert(ov_account_same(x, y), "account %zu: %s/%s vs %s/%s", i + 1, x->issuer,
                  x->name, y->issuer, y->name);
        cr_assert_eq(x->counter, y->counter);
    }
    cr_assert_str_eq(a.accounts.items[5].issuer, "encoding");
    cr_assert_str_eq(a.accounts.items[5].name, "\xc2\xbf\xc3\xa4\xc3\x84\xc3\xa9\xc3\x89? (demo)");
    text_result_free(&a);
    text_result_free(&b);
    free(mig);
    free(list);
}

Test(migration_fixtures, lennyerik_export_and_raw_payload)
{
    json_t *root = load_json("lennyerik-google-authenticator-export/expected.json");
    const json_t *demo = json_object_get(root, "demo_export.png");
    size_t len;
    char *bin = read_fixture("lennyerik-google-authenticator-export/test_data.bin", &len);
    struct ov_account_list l;
    struct ov_migration_batch b;
    struct ov_error err = {0};

    reencoded = 0;
    cr_assert_eq(check_image_entries(root, "lennyerik"), 1);
    cr_assert_eq(reencoded, 1, "version 2, no batch_id: still Google's bytes");
    skip_missing(bin, "lennyerik-google-authenticator-export/test_data.bin");
    /* test_data.bin is the raw protobuf of the same payload. */
    ov_account_list_init(&l);
    cr_assert_eq(ov_migration_decode((const uint8_t *)bin, len, &l, &b, NULL, &err), OV_OK,
                 "%s", err.msg);
    expect_payload(json_array_get(json_object_get(demo, "migration_payloads"), 0), l.items,
                   l.len, &b, "test_data.bin");
    cr_assert_eq(b.version, 2);
    ov_account_list_free(&l);
    free(bin);

    /* The non-export QR codes of that corpus. */
    const char *key;
    json_t *item;
    json_object_foreach(root, key, item) {
        const json_t *texts = json_object_get(item, "qr_text");
        const char *hex = json_string_value(json_object_get(item, "qr_raw_hex"));
        if (json_object_get(item, "migration_payloads") != NULL || texts == NULL)
            continue;
        for (size_t i = 0; i < json_array_size(texts); i++) {
            const char *t = json_string_value(json_array_get(texts, i));
            expect_rejected_text(t, strlen(t), "plain text (\"");
        }
        if (hex != NULL && strcmp(hex, "deadbeef") == 0)
            expect_rejected_text("\xde\xad\xbe\xef", 4, "binary data (4 bytes)");
    }
    json_decref(root);
}

Test(migration_fixtures, junedkhatri31_exports)
{
    json_t *root = load_json("junedkhatri31-ga-export-decoder/expected.json");
    json_t *uris = load_json("junedkhatri31-ga-export-decoder/test-qr-codes.json");
    const json_t *decoded = json_object_get(json_object_get(root, "test-qr-codes.json"),
                                            "decoded");
    const char *key;
    json_t *want;
    size_t checked = 0;

    reencoded = 0;
    cr_assert_eq(check_image_entries(root, "junedkhatri31"), 1);
    json_object_foreach((json_t *)decoded, key, want) {
        const char *uri = json_string_value(json_object_get(uris, key));
        cr_assert_not_null(uri, "test-qr-codes.json has no %s", key);
        check_qr_text(uri, want, key);
        checked++;
    }
    cr_assert_eq(checked, 4);
    cr_assert_eq(reencoded, 5);
    json_decref(uris);
    json_decref(root);
}

/* EXPECTED.md of the synthetic vector is a Markdown table: | # | name | issuer | `b32` |
 * `hex` | algorithm enum | digits enum | type enum | counter |. */
static size_t split_row(char *line, char **cells, size_t max)
{
    size_t n = 0;
    char *save = NULL;

    for (char *tok = strtok_r(line, "|", &save); tok != NULL && n < max;
         tok = strtok_r(NULL, "|", &save)) {
        while (*tok == ' ' || *tok == '`')
            tok++;
        char *e = tok + strlen(tok);
        while (e > tok && (e[-1] == ' ' || e[-1] == '`' || e[-1] == '\n'))
            *--e = '\0';
        cells[n++] = tok;
    }
    return n;
}

Test(migration_fixtures, synthetic_vector)
{
    char *md = read_fixture("gauth-migration-synthetic/EXPECTED.md", NULL);
    skip_missing(md, "gauth-migration-synthetic/EXPECTED.md");
    char *uri = read_fixture("gauth-migration-synthetic/aegis_vectors_synthetic.txt", NULL);
    skip_missing(uri, "gauth-migration-synthetic/aegis_vectors_synthetic.txt");
    struct ov_account_list l;
    struct ov_migration_batch b;
    struct ov_error err = {0};
    size_t rows = 0;
    char *save = NULL;

    ov_account_list_init(&l);
    cr_assert_eq(ov_migration_parse_uri(uri, &l, &b, NULL, &err), OV_OK, "%s", err.msg);
    /* "batch_id` −1234567890" (U+2212 minus sign in the Markdown). */
    const char *id = strstr(md, "batch_id` ");
    cr_assert_not_null(id);
    id += strlen("batch_id` ");
    long want_id = strncmp(id, "\xe2\x88\x92", 3) == 0 ? -strtol(id + 3, NULL, 10)
                                                       : strtol(id, NULL, 10);
    cr_assert_eq(b.batch_id, want_id);
    cr_assert_eq(b.version, 1);
    cr_assert_eq(b.batch_size, 1);
    cr_assert(b.has_batch_index);
    for (char *line = strtok_r(md, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        char *cells[12];
        if (line[0] != '|' || split_row(line, cells, 12) < 9 || atoi(cells[0]) < 1)
            continue;
        size_t i = (size_t)atoi(cells[0]) - 1;
        cr_assert_lt(i, l.len);
        const struct ov_account *a = &l.items[i];
        cr_assert_str_eq(a->name, cells[1]);
        cr_assert_str_eq(a->issuer, cells[2]);
        expect_secret(a, cells[3], cells[4], cells[1]);
        cr_assert_eq(a->algo, atoi(cells[5]) == 1 ? OV_SHA1 : atoi(cells[5]) == 2 ? OV_SHA256
                                                                                   : OV_SHA512);
        cr_assert_eq(a->digits, atoi(cells[6]) == 2 ? 8u : 6u);
        cr_assert_eq(a->type, atoi(cells[7]) == 1 ? OV_HOTP : OV_TOTP);
        cr_assert_eq(a->counter, a->type == OV_HOTP ? strtoull(cells[8], NULL, 10) : 0);
        rows++;
    }
    cr_assert_eq(rows, l.len);
    cr_assert_eq(rows, 2);

    /* Our encoder reproduces the vector exactly, text and all. */
    char *again;
    char *nl = strchr(uri, '\n');
    if (nl != NULL)
        *nl = '\0';
    cr_assert_eq(ov_migration_encode_uri(l.items, l.len, &b, &again, &err), OV_OK, "%s",
                 err.msg);
    cr_assert_str_eq(again, uri);
    ov_secure_free_str(again);
    ov_account_list_free(&l);
    free(uri);
    free(md);
}

Test(migration_fixtures, stratum_google_authenticator)
{
    json_t *root = load_json("stratum-test-data/EXPECTED.json");
    const json_t *entries = json_object_get(
        json_object_get(json_object_get(root, "files"), "googleauthenticator.txt"), "entries");
    char *text = read_fixture("stratum-test-data/googleauthenticator.txt", NULL);
    skip_missing(text, "stratum-test-data/googleauthenticator.txt");
    struct ov_account_list l;
    struct ov_migration_batch b;
    struct ov_error err = {0};

    ov_account_list_init(&l);
    cr_assert_eq(ov_migration_parse_uri(text, &l, &b, NULL, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(l.len, json_array_size(entries));
    for (size_t i = 0; i < l.len; i++) {
        const json_t *e = json_array_get(entries, i);
        const struct ov_account *a = &l.items[i];
        const json_t *period = json_object_get(e, "period");
        const json_t *counter = json_object_get(e, "counter");

        cr_assert_str_eq(ov_otp_type_name(a->type), jstr(e, "type"));
        cr_assert_str_eq(a->issuer, jstr(e, "issuer"));
        cr_assert_str_eq(a->name, jstr(e, "name"));
        expect_secret(a, jstr(e, "secret"), NULL, jstr(e, "name"));
        cr_assert_str_eq(ov_algo_name(a->algo), jstr(e, "algo"));
        cr_assert_eq(a->digits, (unsigned)json_integer_value(json_object_get(e, "digits")));
        if (period != NULL)
            cr_assert_eq(a->period, (unsigned)json_integer_value(period));
        if (counter != NULL)
            cr_assert_eq(a->counter, (uint64_t)json_integer_value(counter));
    }
    free(text);
    ov_account_list_free(&l);
    json_decref(root);
}
