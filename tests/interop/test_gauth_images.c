/* Interop: Google Authenticator export pictures from three other projects, through the same
 * import pipeline as `otpvault import`: every account of every expected migration payload,
 * and the pictures that must be refused, with the reason. Expected results are read from
 * each folder's expected.json at run time. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/fixtures.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/import.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(interop_gauth, .init = setup, .timeout = 120);

static const char *jstr(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : "";
}

static bool is_picture(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot != NULL && (strcmp(dot, ".png") == 0 || strcmp(dot, ".jpg") == 0 ||
                           strcmp(dot, ".jpeg") == 0 || strcmp(dot, ".gif") == 0 ||
                           strcmp(dot, ".webp") == 0);
}

/* design.md 4.1, written out again here so the test does not trust the code under test. */
static void expected_label(const char *issuer_in, const char *name_in, char *issuer,
                           char *name, size_t n)
{
    const char *colon = strchr(name_in, ':');
    size_t il = strlen(issuer_in);

    if (issuer_in[0] == '\0' && colon != NULL) {
        snprintf(issuer, n, "%.*s", (int)(colon - name_in), name_in);
        name_in = colon + 1;
        while (*name_in == ' ')
            name_in++;
        snprintf(name, n, "%s", name_in);
        return;
    }
    snprintf(issuer, n, "%s", issuer_in);
    if (il > 0 && strncmp(name_in, issuer_in, il) == 0 && name_in[il] == ':') {
        name_in += il + 1;
        while (*name_in == ' ')
            name_in++;
    }
    snprintf(name, n, "%s", name_in);
}

static size_t check_payloads(const char *file, json_t *payloads,
                             const struct ov_import_report *r)
{
    size_t k = 0, i, j;
    json_t *p, *e;

    json_array_foreach(payloads, i, p) {
        json_array_foreach(json_object_get(p, "otp_parameters"), j, e) {
            char issuer[256], name[256];
            uint8_t secret[256];
            size_t len;
            const struct ov_account *a;

            cr_assert_lt(k, r->accounts.len, "%s: only %zu accounts", file, r->accounts.len);
            /* Batches come out in index order; expected.json lists payloads by index too,
             * except where zbar's order was kept: match by secret. */
            cr_assert_eq(ov_base32_decode(jstr(e, "secret_b32"), secret, &len, NULL), OV_OK);
            expected_label(jstr(e, "issuer"), jstr(e, "name"), issuer, name, sizeof issuer);
            a = NULL;
            for (size_t m = 0; m < r->accounts.len && a == NULL; m++) {
                const struct ov_account *c = &r->accounts.items[m];
                if (c->secret_len == len && memcmp(c->secret, secret, len) == 0 &&
                    strcmp(c->issuer, issuer) == 0 && strcmp(c->name, name) == 0)
                    a = c;
            }
            cr_assert_not_null(a, "%s: no account '%s' / '%s' with secret %s", file, issuer,
                               name, jstr(e, "secret_b32"));
            cr_assert_str_eq(ov_algo_name(a->algo), jstr(e, "algorithm"), "%s: %s", file, name);
            cr_assert_eq(a->digits, strcmp(jstr(e, "digits"), "EIGHT") == 0 ? 8u : 6u);
            if (strcmp(jstr(e, "type"), "HOTP") == 0) {
                cr_assert_eq(a->type, OV_HOTP, "%s: %s", file, name);
                cr_assert_eq((json_int_t)a->counter,
                             json_integer_value(json_object_get(e, "counter")));
            } else {
                cr_assert_eq(a->type, OV_TOTP, "%s: %s", file, name);
                cr_assert_eq(a->period, 30);
            }
            k++;
        }
    }
    return k;
}

static void check_folder(const char *folder)
{
    char rel[300];
    json_t *root, *entry;
    json_error_t jerr;
    const char *file;
    char *path;

    snprintf(rel, sizeof rel, "%s/expected.json", folder);
    SKIP_WITHOUT_FIXTURE(rel);
    path = fixture_path(rel);
    root = json_load_file(path, 0, &jerr);
    free(path);
    cr_assert_not_null(root, "%s: %s", rel, jerr.text);
    json_object_foreach(root, file, entry) {
        struct ov_import_options o = { 0 };
        struct ov_import_report r;
        json_t *payloads = json_object_get(entry, "migration_payloads");
        const char *same = jstr(entry, "expected_payloads_same_as");
        char *data;
        size_t len;
        int rc;

        if (!is_picture(file))
            continue;
        if (same[0] != '\0')
            payloads = json_object_get(json_object_get(root, same), "migration_payloads");
        snprintf(rel, sizeof rel, "%s/%s", folder, file);
        if (!fixture_exists(rel)) /* some live in docs/ or tests-data/ */
            snprintf(rel, sizeof rel, "%s/docs/%s", folder, file);
        if (!fixture_exists(rel))
            snprintf(rel, sizeof rel, "%s/tests-data/%s", folder, file);
        data = fixture_read(rel, &len);
        cr_assert_not_null(data, "%s missing", rel);
        struct ov_blob in = { (const uint8_t *)data, len, file };
        rc = ov_import_run(&in, 1, &o, NULL, &r);
        if (json_array_size(payloads) > 0) {
            cr_assert_eq(rc, OV_OK, "%s: %s", file, r.nnotes > 0 ? r.notes[0].text : "");
            size_t n = check_payloads(file, payloads, &r);
            cr_assert_eq(n, r.accounts.len, "%s: %zu accounts, expected %zu", file,
                         r.accounts.len, n);
        } else {
            /* Must be refused, saying why. */
            const char *why = r.nnotes > 0 ? r.notes[0].text : "";
            cr_assert_neq(rc, OV_OK, "%s must be refused", file);
            cr_assert(strstr(why, "not an authenticator export") != NULL ||
                          strstr(why, "no QR code found") != NULL ||
                          strstr(why, "not an image") != NULL ||
                          strstr(why, "plain text") != NULL,
                      "%s: unclear reason: %s", file, why);
        }
        ov_import_report_free(&r);
        free(data);
    }
    json_decref(root);
}

Test(interop_gauth, extract_otp_secrets_pictures)
{
    check_folder("extract-otp-secrets");
}

Test(interop_gauth, lennyerik_pictures)
{
    check_folder("lennyerik-google-authenticator-export");
}

Test(interop_gauth, junedkhatri31_pictures)
{
    check_folder("junedkhatri31-ga-export-decoder");
}

Test(interop_gauth, synthetic_vector_picture)
{
    struct ov_import_options o = { 0 };
    struct ov_import_report r;
    size_t len;
    char *data;

    SKIP_WITHOUT_FIXTURE("gauth-migration-synthetic/aegis_vectors_synthetic.png");
    data = fixture_read("gauth-migration-synthetic/aegis_vectors_synthetic.png", &len);
    struct ov_blob in = { (const uint8_t *)data, len, "aegis_vectors_synthetic.png" };
    cr_assert_eq(ov_import_run(&in, 1, &o, NULL, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 2);
    cr_assert_str_eq(r.accounts.items[0].issuer, "Deno");
    cr_assert_eq(r.accounts.items[1].type, OV_HOTP);
    cr_assert_eq(r.accounts.items[1].counter, 1);
    ov_import_report_free(&r);
    free(data);
}

Test(interop_gauth, camera_photo_of_an_otpauth_code)
{
    struct ov_import_options o = { 0 };
    struct ov_import_report r;
    size_t len;
    char *data;

    SKIP_WITHOUT_FIXTURE("aegis-importers/qr_camera_photo.png");
    data = fixture_read("aegis-importers/qr_camera_photo.png", &len);
    struct ov_blob in = { (const uint8_t *)data, len, "qr_camera_photo.png" };
    cr_assert_eq(ov_import_run(&in, 1, &o, NULL, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 1);
    cr_assert_str_eq(r.accounts.items[0].issuer, "neo4j");
    cr_assert_str_eq(r.accounts.items[0].name, "Charlotte");
    ov_import_report_free(&r);
    free(data);
}
