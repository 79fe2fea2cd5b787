/* See import_check.h. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "import_check.h"

void load_run(const char *format, const void *data, size_t len, const char *password,
              struct load_result *r)
{
    const struct ov_importer *imp = ov_importer_find(format);
    struct ov_blob in = { data, len, "test-input" };

    cr_assert_not_null(imp, "no importer named %s", format);
    memset(r, 0, sizeof *r);
    ov_account_list_init(&r->accounts);
    r->opts.password = password;
    r->opts.password_len = password != NULL ? strlen(password) : 0;
    r->rc = imp->load(&in, &r->opts, &r->accounts, &r->err);
}

void load_free(struct load_result *r)
{
    ov_account_list_free(&r->accounts);
    ov_import_opts_free(&r->opts);
}

bool load_has_issue(const struct load_result *r, size_t position, const char *needle)
{
    for (size_t i = 0; i < r->opts.nissues; i++)
        if ((position == 0 || r->opts.issues[i].position == position) &&
            strstr(r->opts.issues[i].message, needle) != NULL)
            return true;
    return false;
}

const struct ov_account *load_find(const struct load_result *r, const char *issuer,
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

void load_every_cut(const char *format, const void *data, size_t len, const char *password,
                    size_t step)
{
    const uint8_t *p = data;

    for (size_t cut = 0; cut < len; cut += step) {
        struct load_result r;
        /* A private copy, so ASan sees any read past the cut. */
        uint8_t *copy = malloc(cut > 0 ? cut : 1);

        memcpy(copy, p, cut);
        load_run(format, copy, cut, password, &r);
        if (!only_blanks(p + cut, len - cut)) {
            cr_assert_neq(r.rc, OV_OK, "%s: the first %zu of %zu bytes imported", format, cut,
                          len);
            cr_assert_neq(r.err.msg[0], '\0', "%s: cut at %zu: no message", format, cut);
        }
        load_free(&r);
        free(copy);
    }
}

static uint32_t next(uint32_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    return *state;
}

void load_mutations(const char *format, const void *data, size_t len, const char *password,
                    unsigned rounds, uint32_t seed)
{
    uint32_t s = seed != 0 ? seed : 1;

    for (unsigned round = 0; round < rounds; round++) {
        uint8_t *m = malloc(len + 16);
        size_t n = len;
        unsigned edits = 1 + next(&s) % 4;
        struct load_result r;

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
        load_run(format, m, n, password, &r);
        if (r.rc != OV_OK)
            cr_assert_neq(r.err.msg[0], '\0', "%s: mutation %u: no message", format, round);
        for (size_t i = 0; i < r.accounts.len; i++)
            cr_assert_eq(ov_account_validate(&r.accounts.items[i], NULL), OV_OK);
        for (size_t i = 0; i < r.opts.nissues; i++)
            cr_assert_neq(r.opts.issues[i].message[0], '\0');
        load_free(&r);
        free(m);
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
