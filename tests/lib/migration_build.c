/* Test helpers: see migration_build.h. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/migration_build.h"

void pb_raw(struct pb *p, const void *data, size_t n)
{
    cr_assert_leq(p->n + n, sizeof p->b);
    memcpy(p->b + p->n, data, n);
    p->n += n;
}

void pb_varint(struct pb *p, uint64_t v)
{
    while (v >= 0x80) {
        uint8_t c = (uint8_t)(v | 0x80);
        pb_raw(p, &c, 1);
        v >>= 7;
    }
    uint8_t c = (uint8_t)v;
    pb_raw(p, &c, 1);
}

void pb_tag(struct pb *p, uint64_t field, unsigned wire)
{
    pb_varint(p, field << 3 | wire);
}

void pb_uint(struct pb *p, uint64_t field, uint64_t v)
{
    pb_tag(p, field, 0);
    pb_varint(p, v);
}

void pb_bytes(struct pb *p, uint64_t field, const void *data, size_t n)
{
    pb_tag(p, field, 2);
    pb_varint(p, n);
    pb_raw(p, data, n);
}

void pb_str(struct pb *p, uint64_t field, const char *s)
{
    pb_bytes(p, field, s, strlen(s));
}

void pb_msg(struct pb *p, uint64_t field, const struct pb *m)
{
    pb_bytes(p, field, m->b, m->n);
}

const uint8_t mig_key10[10] = "Hello!\xde\xad\xbe\xef";

void mig_entry(struct pb *e, const char *name, const char *issuer, int64_t algo,
               int64_t digits, int64_t type)
{
    memset(e, 0, sizeof *e);
    pb_bytes(e, 1, mig_key10, 10);
    if (name != NULL)
        pb_str(e, 2, name);
    if (issuer != NULL)
        pb_str(e, 3, issuer);
    if (algo >= -100)
        pb_uint(e, 4, (uint64_t)algo);
    if (digits >= -100)
        pb_uint(e, 5, (uint64_t)digits);
    if (type >= -100)
        pb_uint(e, 6, (uint64_t)type);
}

void mig_decode(const struct pb *p, struct decoded *d)
{
    uint8_t *copy = malloc(p->n > 0 ? p->n : 1);

    memset(d, 0, sizeof *d);
    ov_account_list_init(&d->list);
    memcpy(copy, p->b, p->n);
    d->rc = ov_migration_decode(copy, p->n, &d->list, &d->batch, &d->issues, &d->err);
    free(copy);
}

void mig_decoded_free(struct decoded *d)
{
    ov_account_list_free(&d->list);
    ov_import_opts_free(&d->issues);
}

void mig_expect_ok(const struct decoded *d, size_t accounts, size_t issues)
{
    cr_assert_eq(d->rc, OV_OK, "decode failed: %s", d->err.msg);
    cr_assert_eq(d->list.len, accounts, "expected %zu accounts, got %zu", accounts,
                 d->list.len);
    if (d->issues.nissues != issues) {
        for (size_t i = 0; i < d->issues.nissues; i++)
            cr_log_error("issue %zu: %s", d->issues.issues[i].position,
                         d->issues.issues[i].message);
        cr_assert_fail("expected %zu issues, got %zu", issues, d->issues.nissues);
    }
}

void mig_expect_damaged(const struct decoded *d, const char *want)
{
    cr_assert_eq(d->rc, OV_ERR_INVALID, "should fail");
    cr_assert_eq(d->list.len, 0, "nothing may be added on failure");
    cr_assert_eq(d->issues.nissues, 0, "no issues may be left on failure");
    cr_assert(strstr(d->err.msg, want) != NULL, "message \"%s\" lacks \"%s\"", d->err.msg,
              want);
}

void mig_expect_issue(const struct decoded *d, size_t i, size_t position, const char *want)
{
    cr_assert_lt(i, d->issues.nissues);
    cr_assert_eq(d->issues.issues[i].position, position, "issue \"%s\" has position %zu",
                 d->issues.issues[i].message, d->issues.issues[i].position);
    cr_assert(strstr(d->issues.issues[i].message, want) != NULL, "issue \"%s\" lacks \"%s\"",
              d->issues.issues[i].message, want);
}

/* A payload of the given entries followed by version 1, batch 1/1 index 0. */
void mig_payload(struct pb *p, const struct pb *entries, size_t n)
{
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < n; i++)
        pb_msg(p, 1, &entries[i]);
    pb_uint(p, 2, 1);
    pb_uint(p, 3, 1);
    pb_uint(p, 4, 0);
}

void mig_decode_one(int64_t algo, int64_t digits, int64_t type, struct decoded *d)
{
    struct pb e, p;
    mig_entry(&e, "alice", "Example", algo, digits, type);
    mig_payload(&p, &e, 1);
    mig_decode(&p, d);
}
