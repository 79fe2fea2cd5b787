/* Merging another copy of the vault into this one (see merge.h for the rules). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/mem.h"
#include "otpvault/merge.h"
#include "otpvault/sync.h"

static const char *const what_names[] = {
    [OV_MERGE_ADDED] = "added",
    [OV_MERGE_UPDATED] = "updated",
    [OV_MERGE_KEPT_LATER] = "kept-later",
    [OV_MERGE_CONFLICT] = "conflict",
    [OV_MERGE_REMOVED] = "removed",
    [OV_MERGE_KEPT_DELETED] = "kept-deleted-elsewhere",
    [OV_MERGE_RESTORED] = "restored",
    [OV_MERGE_COUNTER] = "counter",
    [OV_MERGE_SAME_ACCOUNT] = "same-account",
};

const char *ov_merge_what_name(enum ov_merge_what what)
{
    return (unsigned)what < sizeof what_names / sizeof *what_names ? what_names[what] : "?";
}

void ov_merge_report_free(struct ov_merge_report *rep)
{
    free(rep->items);
    memset(rep, 0, sizeof *rep);
}

static void report(struct ov_merge_report *rep, enum ov_merge_what what,
                   const struct ov_account *a, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void report(struct ov_merge_report *rep, enum ov_merge_what what,
                   const struct ov_account *a, const char *fmt, ...)
{
    struct ov_merge_change *c;
    va_list ap;

    rep->items = ov_xrealloc(rep->items, (rep->len + 1) * sizeof *rep->items);
    c = &rep->items[rep->len++];
    c->what = what;
    ov_account_label(a, c->label, sizeof c->label);
    va_start(ap, fmt);
    vsnprintf(c->detail, sizeof c->detail, fmt, ap);
    va_end(ap);
    rep->count[what]++;
    rep->changed = true;
}

/* ---- lookups by id ---- */

struct entry {
    const uint8_t *id;
    size_t index;
};

struct index {
    struct entry *e;
    size_t n;
};

static int entry_cmp(const void *a, const void *b)
{
    return ov_account_id_cmp(((const struct entry *)a)->id, ((const struct entry *)b)->id);
}

static void index_build(struct index *x, const struct ov_account_list *l)
{
    x->n = l->len;
    x->e = l->len > 0 ? ov_xcalloc(l->len, sizeof *x->e) : NULL;
    for (size_t i = 0; i < l->len; i++) {
        x->e[i].id = l->items[i].id;
        x->e[i].index = i;
    }
    if (x->n > 1)
        qsort(x->e, x->n, sizeof *x->e, entry_cmp);
}

/* The index into the list of the account with this id, or (size_t)-1. */
static size_t index_find(const struct index *x, const uint8_t *id)
{
    struct entry key = { id, 0 };
    const struct entry *e = x->n > 0 ? bsearch(&key, x->e, x->n, sizeof *x->e, entry_cmp) : NULL;

    return e != NULL ? e->index : (size_t)-1;
}

/* ---- comparing versions ---- */

static bool str_differs(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a != b;
    return strcmp(a, b) != 0;
}

static void append(char *out, size_t n, size_t *used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Appends ", " (after the first part) and the formatted part, cut at n. */
static void append(char *out, size_t n, size_t *used, const char *fmt, ...)
{
    va_list ap;
    int w;

    if (*used > 0 && *used + 2 < n) {
        memcpy(out + *used, ", ", 3);
        *used += 2;
    }
    if (*used >= n)
        return;
    va_start(ap, fmt);
    w = vsnprintf(out + *used, n - *used, fmt, ap);
    va_end(ap);
    *used = w < 0 ? n : (*used + (size_t)w < n ? *used + (size_t)w : n);
}

/* What the other version had where it differs from the one kept, for the report. */
static void describe(const struct ov_account *kept, const struct ov_account *other, char *out,
                     size_t n)
{
    size_t used = 0;

    out[0] = '\0';
    if (str_differs(kept->issuer, other->issuer))
        append(out, n, &used, "issuer \"%s\"", other->issuer);
    if (str_differs(kept->name, other->name))
        append(out, n, &used, "name \"%s\"", other->name);
    if (str_differs(kept->group, other->group))
        append(out, n, &used, "group \"%s\"", other->group != NULL ? other->group : "");
    if (str_differs(kept->note, other->note))
        append(out, n, &used, "note \"%s\"", other->note != NULL ? other->note : "");
    if (kept->secret_len != other->secret_len ||
        (kept->secret_len > 0 && memcmp(kept->secret, other->secret, kept->secret_len) != 0))
        append(out, n, &used, "another secret");
    if (kept->type != other->type || kept->algo != other->algo ||
        kept->digits != other->digits || kept->period != other->period ||
        str_differs(kept->pin, other->pin))
        append(out, n, &used, "other OTP settings (%s, %s, %u digits, %u s)",
               ov_otp_type_name(other->type), ov_algo_name(other->algo), other->digits,
               other->period);
}

/* Whether theirs wins over ours when both changed: the later change, and on a tie (two
 * clocks agreeing to the millisecond) the larger digest, so both directions agree. */
static bool theirs_is_later(const struct ov_account *ours, const uint8_t *d_ours,
                            const struct ov_account *theirs, const uint8_t *d_theirs)
{
    if (theirs->modified != ours->modified)
        return theirs->modified > ours->modified;
    return memcmp(d_theirs, d_ours, 32) > 0;
}

/* ours takes theirs' labels and settings (and id); what only grows is merged. */
static void take_version(struct ov_vault *v, size_t i, const struct ov_account *theirs)
{
    struct ov_account *a = &v->accounts.items[i], copy;
    uint64_t counter = a->counter > theirs->counter ? a->counter : theirs->counter;
    int64_t last_used = a->last_used > theirs->last_used ? a->last_used : theirs->last_used;
    int64_t created = a->created;

    if (created == 0 || (theirs->created != 0 && theirs->created < created))
        created = theirs->created;
    ov_account_copy(&copy, theirs);
    ov_account_free(a);
    *a = copy;
    a->counter = counter;
    a->last_used = last_used;
    a->created = created;
    ov_sync_mark_put(v, a);   /* the save keeps theirs' change time */
}

/* The parts that only grow (counter, last use) and the earliest creation. */
static void merge_growing(struct ov_account *a, const struct ov_account *theirs,
                          struct ov_merge_report *rep)
{
    if (theirs->counter > a->counter) {
        if (a->type == OV_HOTP)
            report(rep, OV_MERGE_COUNTER, a, "counter %llu -> %llu",
                   (unsigned long long)a->counter, (unsigned long long)theirs->counter);
        else
            rep->changed = true;
        a->counter = theirs->counter;
    }
    if (theirs->last_used > a->last_used) {
        a->last_used = theirs->last_used;
        rep->changed = true;
    }
    if (theirs->created != 0 && (a->created == 0 || theirs->created < a->created)) {
        a->created = theirs->created;
        rep->changed = true;
    }
}

/* An account in both copies. */
static void merge_both(struct ov_vault *ours, size_t i, const struct ov_account *theirs,
                       const struct ov_account *base, struct ov_merge_report *rep)
{
    struct ov_account *a = &ours->accounts.items[i];
    uint8_t d_ours[32], d_theirs[32], d_base[32];
    char detail[256];

    ov_account_content_digest(a, d_ours);
    ov_account_content_digest(theirs, d_theirs);
    if (memcmp(d_ours, d_theirs, 32) != 0) {
        bool take, both_changed = true;
        if (base != NULL) {
            ov_account_content_digest(base, d_base);
            if (memcmp(d_ours, d_base, 32) == 0) {
                take = true;            /* changed there only */
                both_changed = false;
            } else if (memcmp(d_theirs, d_base, 32) == 0) {
                take = false;           /* changed here only */
                both_changed = false;
            } else {
                take = theirs_is_later(a, d_ours, theirs, d_theirs);
            }
        } else {
            take = theirs_is_later(a, d_ours, theirs, d_theirs);
        }
        if (take) {
            describe(theirs, a, detail, sizeof detail);
            take_version(ours, i, theirs);
            a = &ours->accounts.items[i];
            if (base != NULL && both_changed)
                report(rep, OV_MERGE_CONFLICT, a, "changed in both; this copy's older "
                       "version had %s", detail);
            else
                report(rep, OV_MERGE_UPDATED, a, "this copy had %s", detail);
        } else if (base == NULL || both_changed) {
            describe(a, theirs, detail, sizeof detail);
            report(rep, both_changed && base != NULL ? OV_MERGE_CONFLICT : OV_MERGE_KEPT_LATER,
                   a, "the other copy's older version had %s", detail);
        }
    }
    merge_growing(&ours->accounts.items[i], theirs, rep);
}

/* An account in ours only: deleted in theirs, or new here. Returns whether to remove it. */
static bool merge_ours_only(struct ov_vault *ours, struct ov_account *a,
                            const struct ov_vault *theirs, const struct ov_account *base,
                            struct ov_merge_report *rep)
{
    const struct ov_tombstone *t = ov_sync_tombstone_find(theirs, a->id);
    uint8_t d_ours[32], d_base[32];

    if (t != NULL) {
        if (a->modified > t->deleted) {
            report(rep, OV_MERGE_KEPT_DELETED, a, "deleted in the other copy, but changed "
                   "here afterwards");
            if (t->counter > a->counter)
                a->counter = t->counter;   /* codes used there before the deletion */
            return false;
        }
        report(rep, OV_MERGE_REMOVED, a, "deleted in the other copy");
        /* The tombstone keeps the codes used here too. */
        ov_sync_tombstone_put(ours, a->id, t->deleted,
                              t->counter > a->counter ? t->counter : a->counter);
        return true;
    }
    if (base == NULL)
        return false;   /* new here */
    /* In the ancestor, gone there without a tombstone (pruned, or an older otpvault). */
    ov_account_content_digest(a, d_ours);
    ov_account_content_digest(base, d_base);
    if (memcmp(d_ours, d_base, 32) == 0) {
        report(rep, OV_MERGE_REMOVED, a, "deleted in the other copy");
        ov_sync_tombstone_put(ours, a->id, a->modified + 1, a->counter);
        return true;
    }
    report(rep, OV_MERGE_KEPT_DELETED, a, "deleted in the other copy, but changed here");
    return false;
}

/* Ours' accounts that theirs lacks by id (kept, not removed): the only ones that can be
 * theirs' accounts under another id. Few (what this copy added), so a scan is enough. */
struct orphans {
    size_t *index;
    size_t n;
};

static void orphans_find(struct orphans *o, const struct ov_vault *ours,
                         const struct index *theirs_ids, const bool *removed)
{
    o->index = ours->accounts.len > 0 ? ov_xcalloc(ours->accounts.len, sizeof *o->index) : NULL;
    o->n = 0;
    for (size_t i = 0; i < ours->accounts.len; i++)
        if (!removed[i] && index_find(theirs_ids, ours->accounts.items[i].id) == (size_t)-1)
            o->index[o->n++] = i;
}

/* The one orphan that is theirs' account under another id (the same account added in
 * both), or (size_t)-1. */
static size_t same_account(const struct ov_vault *ours, const struct orphans *o,
                           const struct ov_account *theirs)
{
    size_t found = (size_t)-1;

    for (size_t k = 0; k < o->n; k++) {
        if (!ov_account_same(&ours->accounts.items[o->index[k]], theirs))
            continue;
        if (found != (size_t)-1)
            return (size_t)-1;   /* two candidates: deliberate duplicates, leave them */
        found = o->index[k];
    }
    return found;
}

static void add_copy(struct ov_vault *ours, const struct ov_account *theirs)
{
    struct ov_account copy;

    ov_account_copy(&copy, theirs);
    ov_account_list_push(&ours->accounts, &copy);
    ov_sync_mark_put(ours, &ours->accounts.items[ours->accounts.len - 1]);
}

/* An account in theirs only: new there, or deleted here. */
static void merge_theirs_only(struct ov_vault *ours, const struct orphans *orphans,
                              const struct ov_account *theirs, const struct ov_account *base,
                              struct ov_merge_report *rep)
{
    const struct ov_tombstone *t = ov_sync_tombstone_find(ours, theirs->id);
    uint8_t d_theirs[32], d_base[32];
    size_t twin;

    if (t != NULL) {
        uint64_t counter = t->counter;
        if (theirs->modified <= t->deleted) {
            /* Deleted here after its last change there; codes used there still count if
             * a third copy brings it back. */
            if (theirs->counter > counter) {
                ov_sync_tombstone_put(ours, theirs->id, t->deleted, theirs->counter);
                rep->changed = true;
            }
            return;
        }
        ov_sync_tombstone_drop(ours, theirs->id);
        add_copy(ours, theirs);
        if (counter > ours->accounts.items[ours->accounts.len - 1].counter)
            ours->accounts.items[ours->accounts.len - 1].counter = counter;
        report(rep, OV_MERGE_RESTORED, theirs, "deleted here, but changed in the other copy "
               "afterwards");
        return;
    }
    if (base != NULL) {
        ov_account_content_digest(theirs, d_theirs);
        ov_account_content_digest(base, d_base);
        if (memcmp(d_theirs, d_base, 32) == 0)
            return;   /* deleted here (no tombstone left), unchanged there */
        add_copy(ours, theirs);
        report(rep, OV_MERGE_RESTORED, theirs, "deleted here, but changed in the other copy");
        return;
    }
    twin = same_account(ours, orphans, theirs);
    if (twin != (size_t)-1) {
        struct ov_account *a = &ours->accounts.items[twin];
        /* One id for both copies, the smaller, whichever copy is merged into which. */
        if (ov_account_id_cmp(theirs->id, a->id) < 0) {
            ov_sync_mark_drop(ours, a->id);
            memcpy(a->id, theirs->id, OV_ACCOUNT_ID_LEN);
            ov_sync_mark_put(ours, a);
        }
        report(rep, OV_MERGE_SAME_ACCOUNT, a, "added in both copies under two ids");
        merge_both(ours, twin, theirs, NULL, rep);
        return;
    }
    add_copy(ours, theirs);
    report(rep, OV_MERGE_ADDED, theirs, "%s", "");
}

int ov_merge(struct ov_vault *ours, const struct ov_vault *theirs, const struct ov_vault *base,
             struct ov_merge_report *rep, struct ov_error *err)
{
    struct index t_ids, b_ids = { NULL, 0 }, o_ids;
    struct orphans orphans;
    bool *remove;
    size_t n_ours = ours->accounts.len, kept = 0;

    memset(rep, 0, sizeof *rep);
    /* A result of more than OV_VAULT_MAX_ACCOUNTS is refused by the save, not here. */
    (void)err;
    index_build(&t_ids, &theirs->accounts);
    if (base != NULL)
        index_build(&b_ids, &base->accounts);
    remove = n_ours > 0 ? ov_xcalloc(n_ours, sizeof *remove) : NULL;

    for (size_t i = 0; i < n_ours; i++) {
        struct ov_account *a = &ours->accounts.items[i];
        size_t ti = index_find(&t_ids, a->id), bi = index_find(&b_ids, a->id);
        const struct ov_account *b = bi != (size_t)-1 ? &base->accounts.items[bi] : NULL;
        if (ti != (size_t)-1)
            merge_both(ours, i, &theirs->accounts.items[ti], b, rep);
        else
            remove[i] = merge_ours_only(ours, a, theirs, b, rep);
    }
    index_build(&o_ids, &ours->accounts);
    orphans_find(&orphans, ours, &t_ids, remove);
    for (size_t i = 0; i < theirs->accounts.len; i++) {
        const struct ov_account *t = &theirs->accounts.items[i];
        size_t bi = index_find(&b_ids, t->id);
        if (index_find(&o_ids, t->id) == (size_t)-1)
            merge_theirs_only(ours, &orphans, t,
                              bi != (size_t)-1 ? &base->accounts.items[bi] : NULL, rep);
    }
    free(orphans.index);
    free(o_ids.e);

    /* The removals, with the other copy's tombstones: this save adds none of its own. */
    for (size_t i = 0; i < ours->accounts.len; i++) {
        struct ov_account *a = &ours->accounts.items[i];
        if (i < n_ours && remove[i]) {
            ov_sync_mark_drop(ours, a->id);
            ov_account_free(a);
            continue;
        }
        ours->accounts.items[kept++] = *a;
    }
    ours->accounts.len = kept;
    index_build(&o_ids, &ours->accounts);
    for (size_t i = 0; i < theirs->ntombstones; i++) {
        const struct ov_tombstone *t = &theirs->tombstones[i];
        const struct ov_tombstone *mine = ov_sync_tombstone_find(ours, t->id);
        if (index_find(&o_ids, t->id) != (size_t)-1)
            continue;   /* kept: changed after that deletion */
        if (mine == NULL || mine->deleted < t->deleted || mine->counter < t->counter) {
            ov_sync_tombstone_put(ours, t->id, t->deleted, t->counter);
            rep->changed = true;
        }
    }
    free(o_ids.e);
    free(t_ids.e);
    free(b_ids.e);
    free(remove);
    return OV_OK;
}
