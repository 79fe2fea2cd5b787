/* See harness.h. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"
#include "otpvault/import.h"
#include "otpvault/importer.h"
#include "otpvault/uri.h"

void import_with(const char *format, const void *data, size_t len, const char *password,
                 struct import_result *r)
{
    const struct ov_importer *imp = ov_importer_find(format);
    /* A private copy, so that ASan sees any read past the end. */
    uint8_t *copy = malloc(len > 0 ? len : 1);
    struct ov_blob in = { copy, len, "test" };

    cr_assert_not_null(imp, "no importer named %s", format);
    memcpy(copy, data, len);
    memset(r, 0, sizeof *r);
    ov_account_list_init(&r->accounts);
    r->opts.password = password;
    r->opts.password_len = password != NULL ? strlen(password) : 0;
    r->rc = imp->load(&in, &r->opts, &r->accounts, &r->err);
    free(copy);
}

void import_str(const char *format, const char *text, const char *password,
                struct import_result *r)
{
    import_with(format, text, strlen(text), password, r);
}

void import_json(const char *format, json_t *doc, const char *password,
                 struct import_result *r)
{
    char *text = json_dumps(doc, JSON_COMPACT);
    json_malloc_t alloc;
    json_free_t release;

    cr_assert_not_null(text);
    import_with(format, text, strlen(text), password, r);
    json_get_alloc_funcs(&alloc, &release);   /* jansson's, secure once the core switched */
    release(text);
}

void import_result_free(struct import_result *r)
{
    ov_account_list_free(&r->accounts);
    ov_import_opts_free(&r->opts);
}

static size_t count_issues(const struct import_result *r, bool warning)
{
    size_t n = 0;
    for (size_t i = 0; i < r->opts.nissues; i++)
        n += r->opts.issues[i].warning == warning;
    return n;
}

size_t import_failures(const struct import_result *r)
{
    return count_issues(r, false);
}

size_t import_infos(const struct import_result *r)
{
    return count_issues(r, true);
}

bool import_issue_at(const struct import_result *r, size_t position, const char *needle)
{
    for (size_t i = 0; i < r->opts.nissues; i++)
        if ((position == 0 || r->opts.issues[i].position == position) &&
            strstr(r->opts.issues[i].message, needle) != NULL)
            return true;
    return false;
}

bool import_error_has(const struct import_result *r, const char *needle)
{
    return r->rc != OV_OK && strstr(r->err.msg, needle) != NULL;
}

bool import_said(const struct import_result *r, const char *needle)
{
    return strstr(r->err.msg, needle) != NULL || import_issue_at(r, 0, needle);
}

const char *import_first_issue(const struct import_result *r)
{
    return r->opts.nissues > 0 ? r->opts.issues[0].message : "(no issue)";
}

const struct ov_account *import_find(const struct import_result *r, const char *issuer,
                                     const char *name)
{
    for (size_t i = 0; i < r->accounts.len; i++)
        if (strcmp(r->accounts.items[i].issuer, issuer) == 0 &&
            strcmp(r->accounts.items[i].name, name) == 0)
            return &r->accounts.items[i];
    return NULL;
}

static bool only_blanks(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\n' && p[i] != '\r' && p[i] != '\t')
            return false;
    return true;
}

size_t import_cuts_fail(const char *format, const void *data, size_t len,
                        const char *password, size_t from, size_t step)
{
    size_t tried = 0;

    for (size_t cut = from; cut < len; cut += step) {
        struct import_result r;

        import_with(format, data, cut, password, &r);
        if (r.rc == OV_OK) {
            cr_assert(only_blanks((const uint8_t *)data + cut, len - cut),
                      "%s: cut at %zu of %zu bytes, but it imported", format, cut, len);
        } else {
            cr_assert_eq(r.err.code, r.rc, "%s: cut at %zu: status %d, message code %d",
                         format, cut, r.rc, r.err.code);
            cr_assert(r.err.msg[0] != '\0', "%s: cut at %zu: no message", format, cut);
            cr_assert_eq(r.accounts.len, 0, "%s: cut at %zu: failed but gave accounts",
                         format, cut);
        }
        import_result_free(&r);
        tried++;
    }
    return tried;
}

size_t import_cuts_clear(const char *format, const void *data, size_t len,
                         const char *password, size_t from, size_t step)
{
    size_t errors = 0;

    for (size_t cut = from; cut < len; cut += step) {
        struct import_result r;

        import_with(format, data, cut, password, &r);
        if (r.rc != OV_OK) {
            cr_assert(r.rc < 0 && r.err.msg[0] != '\0', "%s: cut at %zu: error %d without a "
                      "message", format, cut, r.rc);
            errors++;
        } else {
            for (size_t i = 0; i < r.opts.nissues; i++)
                cr_assert(r.opts.issues[i].message[0] != '\0', "%s: cut at %zu: empty issue",
                          format, cut);
        }
        import_result_free(&r);
    }
    return errors;
}

static uint32_t next(uint32_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    return *state;
}

void import_mutations(const char *format, const void *data, size_t len, const char *password,
                      unsigned rounds, uint32_t seed)
{
    uint32_t s = seed != 0 ? seed : 1;

    for (unsigned round = 0; round < rounds; round++) {
        uint8_t *m = malloc(len + 16);
        size_t n = len;
        unsigned edits = 1 + next(&s) % 4;
        struct import_result r;

        memcpy(m, data, len);
        for (unsigned e = 0; e < edits && n > 0; e++) {
            size_t at = next(&s) % n;
            switch (next(&s) % 3) {
            case 0:
                m[at] = (uint8_t)next(&s);
                break;
            case 1:
                memmove(m + at, m + at + 1, n - at - 1);
                n--;
                break;
            default:
                if (n < len + 16) {
                    memmove(m + at + 1, m + at, n - at);
                    m[at] = (uint8_t)next(&s);
                    n++;
                }
            }
        }
        import_with(format, m, n, password, &r);
        if (r.rc != OV_OK)
            cr_assert_neq(r.err.msg[0], '\0', "%s: mutation %u: no message", format, round);
        for (size_t i = 0; i < r.accounts.len; i++)
            cr_assert_eq(ov_account_validate(&r.accounts.items[i], NULL), OV_OK);
        for (size_t i = 0; i < r.opts.nissues; i++)
            cr_assert_neq(r.opts.issues[i].message[0], '\0');
        import_result_free(&r);
        free(m);
    }
}

void import_random_bytes(uint64_t *state, void *buf, size_t n)
{
    uint8_t *p = buf;

    for (size_t i = 0; i < n; i++) {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        p[i] = (uint8_t)(*state >> 24);
    }
}

char *str_replace1(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    size_t n = strlen(s) - strlen(from) + strlen(to);
    char *out;

    cr_assert_not_null(at, "\"%s\" not found", from);
    out = malloc(n + 1);
    memcpy(out, s, (size_t)(at - s));
    strcpy(out + (at - s), to);
    strcat(out, at + strlen(from));
    return out;
}

json_t *fixture_json(const char *rel)
{
    char *path;
    json_t *j;

    if (!fixture_exists(rel))
        return NULL;
    path = fixture_path(rel);
    j = json_load_file(path, 0, NULL);
    free(path);
    cr_assert_not_null(j, "%s does not parse", rel);
    return j;
}

int import_pipeline(const char *format, const void *data, size_t len, const char *password,
                    const char *name, struct ov_import_report *r)
{
    struct ov_import_options o = { .format = format, .password = password,
                                   .password_len = password != NULL ? strlen(password) : 0 };
    struct ov_blob in = { data, len, name };

    return ov_import_run(&in, 1, &o, NULL, r);
}

bool report_has_note(const struct ov_import_report *r, const char *needle)
{
    for (size_t i = 0; i < r->nnotes; i++)
        if (strstr(r->notes[i].text, needle) != NULL)
            return true;
    return false;
}

const char *import_picked(const void *data, size_t len)
{
    struct ov_blob in = { data, len, "x" };
    const struct ov_importer *imp = ov_import_pick(&in, NULL);

    return imp != NULL ? imp->name : "(none)";
}

void list_push_uri(struct ov_account_list *l, const char *uri)
{
    struct ov_account a;
    struct ov_error err = { 0 };

    cr_assert_eq(ov_uri_parse(uri, &a, NULL, 0, &err), OV_OK, "%s", err.msg);
    ov_account_list_push(l, &a);
}

void report_of_three(struct ov_import_report *r)
{
    memset(r, 0, sizeof *r);
    ov_account_list_init(&r->accounts);
    list_push_uri(&r->accounts, "otpauth://totp/A:one?secret=JBSWY3DPEHPK3PXP&issuer=A");
    list_push_uri(&r->accounts, "otpauth://hotp/B:two?secret=GEZDGNBVGY3TQOJQ&issuer=B&counter=7"
                           "&algorithm=SHA256&digits=8");
    list_push_uri(&r->accounts, "otpauth://totp/C:three?secret=GEZDGNBVGY3TQOJQGEZDGNBV&issuer=C"
                           "&period=60");
}

char *android_prefs_file(const char *fmt, ...)
{
    char body[16384], *out;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    out = malloc(strlen(body) + 100);
    sprintf(out, "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n%s</map>\n",
            body);
    return out;
}
