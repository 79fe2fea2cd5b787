/* See import_helpers.h. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "import_helpers.h"

void th_load(const char *importer, const void *data, size_t len, const char *password,
             struct th_result *r)
{
    const struct ov_importer *imp = ov_importer_find(importer);
    uint8_t *copy = malloc(len > 0 ? len : 1);

    cr_assert_not_null(imp, "no importer named %s", importer);
    memset(r, 0, sizeof *r);
    memcpy(copy, data, len);
    ov_account_list_init(&r->accounts);
    r->opts.password = password;
    r->opts.password_len = password != NULL ? strlen(password) : 0;
    r->rc = imp->load(&(struct ov_blob){ copy, len, "input" }, &r->opts, &r->accounts, &r->err);
    free(copy);
}

void th_load_str(const char *importer, const char *text, const char *password,
                 struct th_result *r)
{
    th_load(importer, text, strlen(text), password, r);
}

void th_free(struct th_result *r)
{
    ov_account_list_free(&r->accounts);
    ov_import_opts_free(&r->opts);
}

bool th_issue_has(const struct th_result *r, const char *needle)
{
    for (size_t i = 0; i < r->opts.nissues; i++)
        if (strstr(r->opts.issues[i].message, needle) != NULL)
            return true;
    return false;
}

bool th_error_has(const struct th_result *r, const char *needle)
{
    return r->rc != OV_OK && strstr(r->err.msg, needle) != NULL;
}

size_t th_each_cut(const char *importer, const void *data, size_t len, size_t from,
                   size_t step, const char *password)
{
    size_t errors = 0;

    for (size_t cut = from; cut < len; cut += step) {
        struct th_result r;
        th_load(importer, data, cut, password, &r);
        if (r.rc != OV_OK) {
            cr_assert(r.rc < 0 && r.err.msg[0] != '\0', "cut at %zu: error %d without a message",
                      cut, r.rc);
            errors++;
        } else {
            for (size_t i = 0; i < r.opts.nissues; i++)
                cr_assert(r.opts.issues[i].message[0] != '\0', "cut at %zu: empty issue", cut);
        }
        th_free(&r);
    }
    return errors;
}

void th_random(uint64_t *state, void *buf, size_t n)
{
    uint8_t *p = buf;

    for (size_t i = 0; i < n; i++) {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        p[i] = (uint8_t)(*state >> 24);
    }
}

const struct ov_account *th_find(const struct th_result *r, const char *issuer,
                                 const char *name)
{
    for (size_t i = 0; i < r->accounts.len; i++)
        if (strcmp(r->accounts.items[i].issuer, issuer) == 0 &&
            strcmp(r->accounts.items[i].name, name) == 0)
            return &r->accounts.items[i];
    return NULL;
}
