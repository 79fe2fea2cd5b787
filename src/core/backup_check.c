/* What a backup holds compared with the vault: digests, differences, merging, the recovery
 * drill, and the "last backup" status the faces show (see backup.h). */
#include <gcrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/backup.h"
#include "otpvault/mem.h"
#include "otpvault/otp.h"
#include "md_fields_internal.h"

void ov_accounts_digest(const struct ov_account_list *l, uint8_t out[32])
{
    gcry_md_hd_t h = md_open();

    md_uint(h, l->len);
    for (size_t i = 0; i < l->len; i++) {
        const struct ov_account *a = &l->items[i];
        md_account_head(h, a);
        md_uint(h, a->type == OV_HOTP ? 0 : a->period);
        md_uint(h, a->type == OV_HOTP ? a->counter : 0);
        md_text(h, a->group);
        md_text(h, a->note);
    }
    memcpy(out, gcry_md_read(h, GCRY_MD_SHA256), 32);
    gcry_md_close(h);
}

static bool str_eq(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

bool ov_account_equivalent(const struct ov_account *a, const struct ov_account *b)
{
    return ov_account_same(a, b) && a->algo == b->algo && a->digits == b->digits &&
           (a->type == OV_HOTP ? a->counter == b->counter : a->period == b->period) &&
           str_eq(a->pin, b->pin) && str_eq(a->group, b->group) && str_eq(a->note, b->note);
}

static size_t find_same(const struct ov_account_list *l, const struct ov_account *a)
{
    for (size_t i = 0; i < l->len; i++)
        if (ov_account_same(&l->items[i], a))
            return i;
    return SIZE_MAX;
}

static void push_index(size_t **v, size_t *n, size_t i)
{
    *v = ov_xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = i;
}

/* Quadratic, but over a few hundred accounts at most; the vault caps at 100 000 and a
 * compare of that size is a one-off command, not a per-frame cost. */
void ov_backup_compare(const struct ov_account_list *vault,
                       const struct ov_account_list *backup, struct ov_backup_diff *d)
{
    memset(d, 0, sizeof *d);
    for (size_t i = 0; i < vault->len; i++) {
        size_t j = find_same(backup, &vault->items[i]);
        if (j == SIZE_MAX)
            push_index(&d->missing, &d->nmissing, i);
        else if (!ov_account_equivalent(&vault->items[i], &backup->items[j]))
            push_index(&d->different, &d->ndifferent, i);
    }
    for (size_t j = 0; j < backup->len; j++)
        if (find_same(vault, &backup->items[j]) == SIZE_MAX)
            push_index(&d->extra, &d->nextra, j);
}

void ov_backup_diff_free(struct ov_backup_diff *d)
{
    free(d->missing);
    free(d->different);
    free(d->extra);
    memset(d, 0, sizeof *d);
}

bool ov_backup_diff_loses(const struct ov_backup_diff *d)
{
    return d->nmissing > 0 || d->ndifferent > 0;
}

bool ov_backup_diff_same(const struct ov_backup_diff *d)
{
    return d->nmissing == 0 && d->ndifferent == 0 && d->nextra == 0;
}

size_t ov_backup_merge(struct ov_account_list *vault, const struct ov_account_list *backup)
{
    size_t added = 0;

    for (size_t j = 0; j < backup->len; j++) {
        struct ov_account copy;
        if (ov_account_list_has(vault, &backup->items[j]))
            continue;   /* also skips a duplicate inside the backup, once added */
        ov_account_copy(&copy, &backup->items[j]);
        ov_account_list_push(vault, &copy);
        added++;
    }
    return added;
}

/* Both accounts give the same code at now (an account whose code cannot be computed
 * counts as differing: a restore would not give a working account). */
static bool same_code(const struct ov_account *a, const struct ov_account *b, int64_t now)
{
    char ca[OV_CODE_MAX], cb[OV_CODE_MAX];
    bool same = ov_otp_code_at(a, now, ca, NULL, NULL) == OV_OK &&
                ov_otp_code_at(b, now, cb, NULL, NULL) == OV_OK && strcmp(ca, cb) == 0;

    ov_wipe(ca, sizeof ca);
    ov_wipe(cb, sizeof cb);
    return same;
}

int ov_backup_drill(struct ov_vault *v, const char *path, const char *pass, size_t pass_len,
                    int64_t now, struct ov_drill_report *rep, struct ov_error *err)
{
    struct ov_vault b;
    int64_t old_drill = v->last_drill;
    int rc;

    memset(rep, 0, sizeof *rep);
    /* The passphrase, through the KDF, into memory only: this is what a recovery does. */
    rc = ov_vault_open(path, pass, pass_len, &b, err);
    if (rc != OV_OK) {
        char *p = strstr(err->msg, "damaged vault");
        if (p != NULL)
            ov_error_set(err, rc, "%s: wrong passphrase or damaged backup", path);
        return rc;
    }
    ov_backup_compare(&v->accounts, &b.accounts, &rep->diff);
    for (size_t i = 0; i < v->accounts.len; i++) {
        size_t j = find_same(&b.accounts, &v->accounts.items[i]);
        if (j != SIZE_MAX && !same_code(&v->accounts.items[i], &b.accounts.items[j], now))
            push_index(&rep->code_differs, &rep->ncode_differs, i);
    }
    rep->checked = v->accounts.len;
    rep->backup_accounts = b.accounts.len;
    rep->passed = rep->diff.nmissing == 0 && rep->ncode_differs == 0;
    ov_vault_close(&b);
    if (!rep->passed)
        return OV_OK;
    v->last_drill = now;
    if ((rc = ov_vault_save_meta(v, err)) != OV_OK) {
        v->last_drill = old_drill;
        ov_error_prefix(err, "the drill passed, but recording it in the vault failed");
    }
    return rc;
}

void ov_drill_report_free(struct ov_drill_report *rep)
{
    ov_backup_diff_free(&rep->diff);
    free(rep->code_differs);
    memset(rep, 0, sizeof *rep);
}

void ov_backup_status(const struct ov_vault *v, unsigned warn_days, int64_t now,
                      struct ov_backup_status *s)
{
    uint8_t digest[32];
    bool empty = v->accounts.len == 0;

    memset(s, 0, sizeof *s);
    s->last_backup = v->last_backup;
    s->last_drill = v->last_drill;
    ov_accounts_digest(&v->accounts, digest);
    /* An empty vault never backed up has nothing to lose. */
    if (v->has_backup_digest)
        s->changed_since = memcmp(digest, v->backup_digest, sizeof digest) != 0;
    else
        s->changed_since = !empty;
    if (warn_days > 0 && !(empty && v->last_backup == 0))
        s->too_old = v->last_backup == 0 || now - v->last_backup > (int64_t)warn_days * 86400;
}

void ov_format_age(int64_t t, int64_t now, char *out, size_t n)
{
    static const struct { int64_t unit, limit; const char *name; } steps[] = {
        { 60, 3600, "minute" }, { 3600, 86400, "hour" }, { 86400, 14 * 86400, "day" },
        { 7 * 86400, 61 * 86400, "week" }, { 30 * 86400, 730 * 86400, "month" },
        { 365 * 86400, INT64_MAX, "year" },
    };
    int64_t d = now - t;

    if (t == 0) {
        snprintf(out, n, "never");
        return;
    }
    if (d < 60) {
        snprintf(out, n, d < -60 ? "in the future (check the clock)" : "just now");
        return;
    }
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        if (d < steps[i].limit) {
            long long k = (long long)(d / steps[i].unit);
            snprintf(out, n, "%lld %s%s ago", k, steps[i].name, k == 1 ? "" : "s");
            return;
        }
    }
}
