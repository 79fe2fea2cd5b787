/* See import_check.h. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "import_json_check.h"

void import_with(const char *importer, const void *data, size_t len, const char *password,
                 struct import_result *r)
{
    const struct ov_importer *imp = ov_importer_find(importer);
    /* A private copy, so that ASan sees any read past the end. */
    uint8_t *copy = malloc(len > 0 ? len : 1);
    struct ov_blob in = { copy, len, "test" };

    cr_assert_not_null(imp, "no importer named %s", importer);
    memcpy(copy, data, len);
    memset(r, 0, sizeof *r);
    ov_account_list_init(&r->accounts);
    r->opts.password = password;
    r->opts.password_len = password != NULL ? strlen(password) : 0;
    r->rc = imp->load(&in, &r->opts, &r->accounts, &r->err);
    free(copy);
}

void import_str(const char *importer, const char *text, const char *password,
                struct import_result *r)
{
    import_with(importer, text, strlen(text), password, r);
}

void import_json(const char *importer, json_t *doc, const char *password,
                 struct import_result *r)
{
    char *text = json_dumps(doc, JSON_COMPACT);

    cr_assert_not_null(text);
    import_with(importer, text, strlen(text), password, r);
    free(text);
}

void import_result_free(struct import_result *r)
{
    ov_account_list_free(&r->accounts);
    ov_import_opts_free(&r->opts);
}

static size_t count_issues(const struct import_result *r, bool info)
{
    size_t n = 0;
    for (size_t i = 0; i < r->opts.nissues; i++)
        n += r->opts.issues[i].warning == info;
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

bool import_said(const struct import_result *r, const char *needle)
{
    if (strstr(r->err.msg, needle) != NULL)
        return true;
    for (size_t i = 0; i < r->opts.nissues; i++)
        if (strstr(r->opts.issues[i].message, needle) != NULL)
            return true;
    return false;
}

const char *import_first_issue(const struct import_result *r)
{
    return r->opts.nissues > 0 ? r->opts.issues[0].message : "(no issue)";
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

static bool only_space(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\n' && p[i] != '\r' && p[i] != '\t')
            return false;
    return true;
}

size_t sweep_truncations(const char *importer, const void *data, size_t len,
                         const char *password, size_t from, size_t step)
{
    size_t tried = 0;

    for (size_t n = from; n < len; n += step) {
        struct import_result r;

        import_with(importer, data, n, password, &r);
        if (r.rc == OV_OK) {
            cr_assert(only_space((const uint8_t *)data + n, len - n),
                      "%s: cut at %zu of %zu bytes, but it imported", importer, n, len);
        } else {
            cr_assert_eq(r.err.code, r.rc, "%s: cut at %zu: status %d, message code %d",
                         importer, n, r.rc, r.err.code);
            cr_assert(r.err.msg[0] != '\0', "%s: cut at %zu: no message", importer, n);
            cr_assert_eq(r.accounts.len, 0, "%s: cut at %zu: failed but gave accounts",
                         importer, n);
        }
        import_result_free(&r);
        tried++;
    }
    return tried;
}
