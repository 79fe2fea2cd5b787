/* Interop: every export file of the Aegis and Stratum corpora (../shared/fixtures, see their
 * EXPECTED.json) through the same import pipeline the CLI uses, compared field by field.
 * One test per corpus; its failure message names every file that does not match, including
 * any file that no importer recognises by its content. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/fixtures.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/import.h"
#include "otpvault/mem.h"

#define REPORT_MAX 16384

struct tally {
    size_t matched, unsupported, mismatched;
    char report[REPORT_MAX];
};

static void complain(struct tally *t, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void complain(struct tally *t, const char *file, const char *fmt, ...)
{
    size_t used = strlen(t->report);
    va_list ap;

    t->mismatched++;
    snprintf(t->report + used, REPORT_MAX - used, "\n  %s: ", file);
    used = strlen(t->report);
    va_start(ap, fmt);
    vsnprintf(t->report + used, REPORT_MAX - used, fmt, ap);
    va_end(ap);
}

static const char *jstr(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Compares one expected entry with one account; returns a description of the first
 * difference or NULL. */
static const char *differs(json_t *e, const struct ov_account *a, char *buf, size_t n)
{
    uint8_t secret[1024];
    size_t len;
    struct ov_error err;
    const char *type = jstr(e, "type"), *algo = jstr(e, "algo");
    const char *issuer = jstr(e, "issuer"), *name = jstr(e, "name");

    if (ov_base32_decode(jstr(e, "secret"), secret, &len, &err) != OV_OK)
        return "expected secret does not decode";
    if (len != a->secret_len || memcmp(secret, a->secret, len) != 0)
        return "secret";
    if (strcmp(type, ov_otp_type_name(a->type)) != 0) {
        snprintf(buf, n, "type %s, expected %s", ov_otp_type_name(a->type), type);
        return buf;
    }
    if (issuer != NULL && strcmp(issuer, a->issuer) != 0) {
        snprintf(buf, n, "issuer '%s', expected '%s'", a->issuer, issuer);
        return buf;
    }
    if (name != NULL && strcmp(name, a->name) != 0) {
        snprintf(buf, n, "name '%s', expected '%s'", a->name, name);
        return buf;
    }
    if (algo != NULL && strcmp(algo, ov_algo_name(a->algo)) != 0) {
        snprintf(buf, n, "algorithm %s, expected %s", ov_algo_name(a->algo), algo);
        return buf;
    }
    if (json_integer_value(json_object_get(e, "digits")) != (json_int_t)a->digits) {
        snprintf(buf, n, "digits %u, expected %lld", a->digits,
                 (long long)json_integer_value(json_object_get(e, "digits")));
        return buf;
    }
    if (json_object_get(e, "period") != NULL &&
        json_integer_value(json_object_get(e, "period")) != (json_int_t)a->period) {
        snprintf(buf, n, "period %u, expected %lld", a->period,
                 (long long)json_integer_value(json_object_get(e, "period")));
        return buf;
    }
    if (json_object_get(e, "counter") != NULL &&
        json_integer_value(json_object_get(e, "counter")) != (json_int_t)a->counter) {
        snprintf(buf, n, "counter %llu, expected %lld", (unsigned long long)a->counter,
                 (long long)json_integer_value(json_object_get(e, "counter")));
        return buf;
    }
    if (jstr(e, "pin") != NULL && (a->pin == NULL || strcmp(a->pin, jstr(e, "pin")) != 0))
        return "pin";
    if (jstr(e, "group(v2)") != NULL &&
        (a->group == NULL || strcmp(a->group, jstr(e, "group(v2)")) != 0))
        return "group";
    return NULL;
}

static int run_file(const char *corpus, const char *file, const char *password,
                    struct ov_import_report *r, bool *supported)
{
    char rel[512];
    size_t len;
    char *data;
    struct ov_import_options o = { 0 };
    struct ov_blob in;
    int rc;

    snprintf(rel, sizeof rel, "%s/%s", corpus, file);
    data = fixture_read(rel, &len);
    cr_assert_not_null(data, "%s listed in EXPECTED.json but missing", rel);
    in = (struct ov_blob){ (const uint8_t *)data, len, file };
    const struct ov_importer *imp = ov_import_pick(&in, NULL);
    *supported = imp != NULL && imp->sniff(&in) > OV_SNIFF_FALLBACK;
    o.password = password;
    o.password_len = password != NULL ? strlen(password) : 0;
    rc = ov_import_run(&in, 1, &o, NULL, r);
    free(data);
    return rc;
}

static void check_entries(struct tally *t, const char *file, json_t *entries,
                          const struct ov_import_report *r)
{
    char buf[256];
    bool *used = calloc(r->accounts.len + 1, sizeof *used);
    size_t i;
    json_t *e;

    if (json_array_size(entries) != r->accounts.len)
        complain(t, file, "%zu accounts, expected %zu", r->accounts.len,
                 json_array_size(entries));
    /* Order follows the file except where the app itself stores a hash map (FreeOTP 2):
     * match each expected entry to the account with the same secret. */
    json_array_foreach(entries, i, e) {
        const char *why = "missing";
        for (size_t k = 0; k < r->accounts.len; k++) {
            if (used[k])
                continue;
            const char *d = differs(e, &r->accounts.items[k], buf, sizeof buf);
            if (d == NULL) {
                used[k] = true;
                why = NULL;
                break;
            }
            if (strcmp(d, "secret") != 0)
                why = d;
        }
        if (why != NULL) {
            complain(t, file, "entry %zu (%s): %s", i + 1, jstr(e, "issuer"), why);
            break;
        }
    }
    free(used);
}

static void check_corpus(const char *corpus)
{
    char rel[256];
    json_t *root, *files, *f;
    json_error_t jerr;
    const char *file;
    struct tally *t = calloc(1, sizeof *t);
    char *path;

    snprintf(rel, sizeof rel, "%s/EXPECTED.json", corpus);
    SKIP_WITHOUT_FIXTURE(rel);
    path = fixture_path(rel);
    root = json_load_file(path, 0, &jerr);
    free(path);
    cr_assert_not_null(root, "%s: %s", rel, jerr.text);
    files = json_object_get(root, "files");
    json_object_foreach(files, file, f) {
        struct ov_import_report r;
        const char *password = jstr(f, "password");
        json_t *entries = json_object_get(f, "entries");
        bool supported;
        size_t mism = t->mismatched;
        int rc = run_file(corpus, file, password, &r, &supported);

        if (!supported) {
            complain(t, file, "no importer recognises it");
            t->unsupported++;
        } else if (json_is_null(entries) || entries == NULL) {
            if (rc == OV_OK)
                complain(t, file, "imported, but it must be rejected (%s)",
                         jstr(f, "expect_error"));
        } else if (rc != OV_OK) {
            complain(t, file, "%s", r.nnotes > 0 ? r.notes[0].text : "failed");
        } else {
            size_t want = json_array_size(json_object_get(f, "entry_errors"));
            check_entries(t, file, entries, &r);
            if (r.entries_failed != want)
                complain(t, file, "%zu entries failed, expected %zu", r.entries_failed, want);
        }
        ov_import_report_free(&r);
        /* A wrong password must be told apart from a damaged file. */
        if (supported && password != NULL && !json_is_null(entries)) {
            if (run_file(corpus, file, "not the password", &r, &supported) != OV_ERR_AUTH)
                complain(t, file, "a wrong password is not reported as one");
            ov_import_report_free(&r);
        }
        if (supported && t->mismatched == mism)
            t->matched++;
    }
    fprintf(stderr, "interop %s: %zu files match, %zu mismatched, %zu without an importer\n",
            corpus, t->matched, t->mismatched, t->unsupported);
    cr_assert_eq(t->mismatched, 0, "files that do not match:%s", t->report);
    json_decref(root);
    free(t);
}

static void setup(void)
{
    ov_crypto_init();
}

TestSuite(interop, .init = setup, .timeout = 120);

Test(interop, aegis_importer_corpus)
{
    check_corpus("aegis-importers");
}

Test(interop, stratum_corpus)
{
    check_corpus("stratum-test-data");
}
