/* QR reading on the shared fixtures ($FIXTURES_DIR, default ../shared/fixtures): every
 * picture decodes to the texts its folder's expected.json / EXPECTED.json / .txt lists, read
 * at test time. Rungs measured with zbar 0.23.92 are noted per file; only the decoded
 * payloads are asserted, so another zbar may use other rungs. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/crypto.h"
#include "otpvault/qrscan.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(qrscan_fixtures, .init = setup);

#define MAX_WANT 8

struct want {
    size_t n;
    uint8_t *data[MAX_WANT];
    size_t len[MAX_WANT];
};

static const char *fixtures_dir(void)
{
    const char *dir = getenv("FIXTURES_DIR");
    return dir != NULL && dir[0] != '\0' ? dir : "../shared/fixtures";
}

/* Reads a fixture file, or skips the test when the fixtures are not there. */
static uint8_t *read_fixture(const char *rel, size_t *len)
{
    char path[1024];
    FILE *f;
    uint8_t *buf;
    long size;

    snprintf(path, sizeof path, "%s/%s", fixtures_dir(), rel);
    f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "SKIP: %s not found (set FIXTURES_DIR)\n", path);
        cr_skip_test("SKIP: fixtures not found");
    }
    cr_assert_eq(fseek(f, 0, SEEK_END), 0);
    size = ftell(f);
    cr_assert_geq(size, 0);
    rewind(f);
    buf = malloc((size_t)size + 1);
    cr_assert_eq(fread(buf, 1, (size_t)size, f), (size_t)size);
    buf[size] = '\0';
    fclose(f);
    *len = (size_t)size;
    return buf;
}

static json_t *read_json(const char *rel)
{
    size_t len;
    char *text = (char *)read_fixture(rel, &len);
    json_error_t jerr;
    json_t *j = json_loadb(text, len, 0, &jerr);

    cr_assert_not_null(j, "%s: %s at line %d", rel, jerr.text, jerr.line);
    free(text);
    return j;
}

static void want_add(struct want *w, const void *data, size_t len)
{
    cr_assert_lt(w->n, MAX_WANT);
    w->data[w->n] = malloc(len + 1);
    memcpy(w->data[w->n], data, len);
    w->len[w->n++] = len;
}

static void want_free(struct want *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->data[i]);
    w->n = 0;
}

static void want_hex(struct want *w, const char *hex)
{
    uint8_t bytes[512];
    size_t n = strlen(hex) / 2;

    cr_assert_leq(n, sizeof bytes);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        cr_assert_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
        bytes[i] = (uint8_t)v;
    }
    want_add(w, bytes, n);
}

/* The payloads an expected.json entry promises: qr_raw_hex (the bytes, when zbar's default
 * text is a charset guess) wins over qr_text; expected_payloads_same_as points at another
 * entry; expected_qr_text is the Aegis fixtures' spelling. None: no QR expected. */
static void want_from_entry(struct want *w, json_t *root, json_t *entry)
{
    json_t *hex = json_object_get(entry, "qr_raw_hex");
    json_t *texts = json_object_get(entry, "qr_text");
    json_t *same = json_object_get(entry, "expected_payloads_same_as");
    json_t *one = json_object_get(entry, "expected_qr_text");
    size_t i;
    json_t *t;

    if (json_is_string(hex) && json_array_size(texts) <= 1) {
        want_hex(w, json_string_value(hex));
    } else if (json_is_array(texts)) {
        json_array_foreach(texts, i, t)
            want_add(w, json_string_value(t), strlen(json_string_value(t)));
    } else if (json_is_string(same)) {
        want_from_entry(w, root, json_object_get(root, json_string_value(same)));
    } else if (json_is_string(one)) {
        want_add(w, json_string_value(one), strlen(json_string_value(one)));
    }
}

/* Scans rel and compares with w as a multiset: a payload shown twice comes back once with
 * seen == 2. Returns the rung used. */
static enum ov_qr_pass expect_fixture(const char *rel, const struct want *w)
{
    size_t len, total = 0;
    uint8_t *data = read_fixture(rel, &len);
    const char *name = strrchr(rel, '/') != NULL ? strrchr(rel, '/') + 1 : rel;
    struct ov_qr_list list;
    struct ov_error err = { 0 };
    int rc = ov_qr_scan_file_data(data, len, name, &list, &err);
    enum ov_qr_pass pass = list.pass;

    free(data);
    if (w->n == 0) {
        cr_assert_eq(rc, OV_ERR_NOT_FOUND, "%s: status %d (%s)", rel, rc, err.msg);
        cr_assert(strstr(err.msg, "no QR code found in ") != NULL, "%s", err.msg);
        cr_assert(strstr(err.msg, name) != NULL, "%s", err.msg);
        cr_log_info("%s: no QR code, as expected", rel);
        return pass;
    }
    cr_assert_eq(rc, OV_OK, "%s: %s", rel, err.msg);
    cr_log_info("%s: %zu code(s), read by rung \"%s\"", rel, list.count,
                ov_qr_pass_name(pass));
    for (size_t k = 0; k < list.count; k++) {
        size_t matches = 0;
        for (size_t i = 0; i < w->n; i++)
            matches += w->len[i] == list.codes[k].len &&
                       memcmp(w->data[i], list.codes[k].data, w->len[i]) == 0;
        cr_assert_eq(matches, list.codes[k].seen, "%s: code %zu (%zu bytes, \"%.40s\") seen "
                     "%u times, expected %zu times", rel, k, list.codes[k].len,
                     (const char *)list.codes[k].data, list.codes[k].seen, matches);
        total += list.codes[k].seen;
    }
    cr_assert_eq(total, w->n, "%s: %zu symbols, expected %zu", rel, total, w->n);
    ov_qr_list_free(&list);
    return pass;
}

/* Looks a json key up as a file in the folder or its tests-data/ and docs/ subfolders. */
static void check_json_folder(const char *folder, const char *json_name, const char *const *keys,
                              size_t nkeys, const enum ov_qr_pass *passes)
{
    char rel[512];
    json_t *doc, *root;

    snprintf(rel, sizeof rel, "%s/%s", folder, json_name);
    doc = read_json(rel);
    /* Aegis' EXPECTED.json keeps the per-file entries under "files". */
    root = json_incref(json_object_get(doc, "files") != NULL ? json_object_get(doc, "files")
                                                              : doc);
    json_decref(doc);
    for (size_t i = 0; i < nkeys; i++) {
        static const char *const subdirs[] = { "", "tests-data/", "docs/" };
        json_t *entry = json_object_get(root, keys[i]);
        struct want w = { 0 };
        enum ov_qr_pass pass;
        FILE *f = NULL;

        cr_assert_not_null(entry, "%s has no entry for %s", json_name, keys[i]);
        for (size_t s = 0; s < 3 && f == NULL; s++) {
            char path[1024];
            snprintf(rel, sizeof rel, "%s/%s%s", folder, subdirs[s], keys[i]);
            snprintf(path, sizeof path, "%s/%s", fixtures_dir(), rel);
            f = fopen(path, "rb");
        }
        cr_assert_not_null(f, "%s/%s: no such file", folder, keys[i]);
        fclose(f);
        want_from_entry(&w, root, entry);
        pass = expect_fixture(rel, &w);
        if (passes != NULL)
            cr_expect_eq(pass, passes[i], "%s: read by \"%s\", measured \"%s\"", keys[i],
                         ov_qr_pass_name(pass), ov_qr_pass_name(passes[i]));
        want_free(&w);
    }
    json_decref(root);
}

Test(qrscan_fixtures, extract_otp_secrets)
{
    static const char *const keys[] = {
        "example_export.png",            /* photo of a phone, 523x942: as is, 14 ms */
        "qr_but_without_otp.png",        /* 1-bit palette 300x300: as is */
        "Exported-QR-codes.webp",        /* two codes in one lossy WebP: as is */
        "Exported-QR-codes_300px.webp",  /* ~2 px/module, zbarimg reads nothing: 2x upscale +
                                          * threshold (binarised), both codes, 28 ms */
    };
    static const enum ov_qr_pass passes[] = { OV_QR_PASS_PLAIN, OV_QR_PASS_PLAIN,
                                              OV_QR_PASS_PLAIN, OV_QR_PASS_BINARISED };
    check_json_folder("extract-otp-secrets", "expected.json", keys, 4, passes);
}

Test(qrscan_fixtures, lennyerik_google_authenticator_export)
{
    static const char *const keys[] = {
        "demo_export.png",          /* 1668x2224 16-bit RGB iPad screenshot: half size */
        "non_utf8_qr_code.jpg",     /* bytes DE AD BE EF, not zbar's charset guess: as is */
        "not_a_qr_code.jpg",        /* geese, progressive JPEG: every rung, 42 ms, none */
        "simple_text_qr_code.gif",  /* "test": as is */
        "two_qr_codes.gif",         /* "test" twice: one payload, seen twice, as is */
    };
    static const enum ov_qr_pass passes[] = { OV_QR_PASS_HALF, OV_QR_PASS_PLAIN,
                                              OV_QR_PASS_NONE, OV_QR_PASS_PLAIN,
                                              OV_QR_PASS_PLAIN };
    check_json_folder("lennyerik-google-authenticator-export", "expected.json", keys, 5,
                      passes);
}

Test(qrscan_fixtures, junedkhatri31_ga_export_decoder)
{
    static const char *const keys[] = { "qr-code.jpg" };   /* 900x600 JPEG: as is */
    static const enum ov_qr_pass passes[] = { OV_QR_PASS_PLAIN };
    check_json_folder("junedkhatri31-ga-export-decoder", "expected.json", keys, 1, passes);
}

Test(qrscan_fixtures, aegis_camera_photo)
{
    static const char *const keys[] = { "qr_camera_photo.png" };  /* 1600x1200 grey: as is */
    static const enum ov_qr_pass passes[] = { OV_QR_PASS_PLAIN };
    check_json_folder("aegis-importers", "EXPECTED.json", keys, 1, passes);
}

/* EXPECTED.md says the PNG is the .txt's one line as a QR code (1-bit palette): as is. */
Test(qrscan_fixtures, gauth_migration_synthetic)
{
    size_t len;
    char *text = (char *)read_fixture("gauth-migration-synthetic/aegis_vectors_synthetic.txt",
                                      &len);
    struct want w = { 0 };

    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        len--;
    want_add(&w, text, len);
    free(text);
    cr_expect_eq(expect_fixture("gauth-migration-synthetic/aegis_vectors_synthetic.png", &w),
                 OV_QR_PASS_PLAIN);
    want_free(&w);
}
