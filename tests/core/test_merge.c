/* Merging copies of a vault (merge.h): each rule on its own, then a property test of two
 * and three copies going through random adds, deletes, edits, renames and HOTP use, merged
 * in random orders: every copy ends with the same accounts, every account whose latest
 * event is not a deletion is there in its latest version, and no HOTP counter goes back.
 * The copies live in memory; a "save" is what a save does first (ov_sync_stamp) and last
 * (ov_sync_mark_all), at a clock the test moves. MERGE_SEED=N (MERGE_COPIES=3) replays one
 * history; MERGE_DEBUG=1 prints its operations and merges. */
#include "otpvault/merge.h"
#include "otpvault/sync.h"
#include "tests/lib/vault_helpers.h"

TestSuite(merge, .init = vt_setup, .fini = vt_teardown);

static int64_t clock_ms = 1800000000000;

static void save(struct ov_vault *v)
{
    clock_ms += 1000;
    ov_sync_stamp(v, clock_ms);
    ov_sync_mark_all(v);
}

static void clone(struct ov_vault *dst, const struct ov_vault *src)
{
    memset(dst, 0, sizeof *dst);
    ov_sync_copy(dst, src);
    ov_sync_mark_all(dst);
}

static void drop(struct ov_vault *v)
{
    ov_account_list_free(&v->accounts);
    ov_sync_free(v);
}

/* A base of n accounts (saved) and two copies of it. */
static void two_copies(unsigned n, struct ov_vault *base, struct ov_vault *a, struct ov_vault *b)
{
    memset(base, 0, sizeof *base);
    for (unsigned i = 0; i < n; i++) {
        struct ov_account acc;
        vt_make_account(&acc, i);
        ov_account_list_push(&base->accounts, &acc);
    }
    save(base);
    clone(a, base);
    clone(b, base);
}

static void merge_into(struct ov_vault *ours, const struct ov_vault *theirs,
                       const struct ov_vault *base, struct ov_merge_report *rep)
{
    struct ov_error err = { 0 };
    cr_assert_eq(ov_merge(ours, theirs, base, rep, &err), 0, "%s", err.msg);
}

static const struct ov_merge_change *find_change(const struct ov_merge_report *rep,
                                                 enum ov_merge_what what)
{
    for (size_t i = 0; i < rep->len; i++)
        if (rep->items[i].what == what)
            return &rep->items[i];
    return NULL;
}

static size_t find_name(const struct ov_vault *v, const char *name)
{
    for (size_t i = 0; i < v->accounts.len; i++)
        if (strcmp(v->accounts.items[i].name, name) == 0)
            return i;
    return (size_t)-1;
}

/* Same ids, the same settings and labels, the same counters, in any order. */
static bool same_accounts(const struct ov_vault *x, const struct ov_vault *y, char *why, size_t n)
{
    if (x->accounts.len != y->accounts.len) {
        snprintf(why, n, "%zu accounts against %zu", x->accounts.len, y->accounts.len);
        return false;
    }
    for (size_t i = 0; i < x->accounts.len; i++) {
        const struct ov_account *a = &x->accounts.items[i];
        size_t j = ov_sync_find(&y->accounts, a->id);
        uint8_t da[32], db[32];
        if (j == (size_t)-1) {
            snprintf(why, n, "%s is in one copy only", a->name);
            return false;
        }
        ov_account_content_digest(a, da);
        ov_account_content_digest(&y->accounts.items[j], db);
        if (memcmp(da, db, 32) != 0 || a->counter != y->accounts.items[j].counter) {
            snprintf(why, n, "%s differs (%s / %s, counter %llu / %llu)", a->name, a->name,
                     y->accounts.items[j].name, (unsigned long long)a->counter,
                     (unsigned long long)y->accounts.items[j].counter);
            return false;
        }
    }
    return true;
}

Test(merge, an_account_added_on_either_side_is_kept)
{
    struct ov_vault base, a, b;
    struct ov_merge_report rep;
    struct ov_account x, y;

    two_copies(2, &base, &a, &b);
    vt_make_account(&x, 10);
    ov_account_list_push(&a.accounts, &x);
    save(&a);
    vt_make_account(&y, 11);
    ov_account_list_push(&b.accounts, &y);
    save(&b);
    merge_into(&a, &b, NULL, &rep);
    cr_assert_eq(a.accounts.len, 4);
    cr_assert_neq(find_name(&a, "user10@example.com"), (size_t)-1);
    cr_assert_neq(find_name(&a, "user11@example.com"), (size_t)-1);
    cr_assert_eq(rep.count[OV_MERGE_ADDED], 1);
    cr_assert_str_eq(find_change(&rep, OV_MERGE_ADDED)->label, "Issuer 11: user11@example.com");
    ov_merge_report_free(&rep);
    drop(&base); drop(&a); drop(&b);
}

Test(merge, a_deletion_removes_the_account_in_the_other_copy)
{
    struct ov_vault base, a, b;
    struct ov_merge_report rep;

    two_copies(3, &base, &a, &b);
    ov_account_list_remove(&a.accounts, 1);
    save(&a);
    merge_into(&b, &a, NULL, &rep);
    cr_assert_eq(b.accounts.len, 2);
    cr_assert_eq(find_name(&b, "user1@example.com"), (size_t)-1);
    cr_assert_eq(rep.count[OV_MERGE_REMOVED], 1);
    /* The save after the merge keeps the other copy's tombstone, not one of its own. */
    cr_assert_eq(b.ntombstones, 1);
    cr_assert_eq(b.tombstones[0].deleted, a.tombstones[0].deleted);
    save(&b);
    cr_assert_eq(b.tombstones[0].deleted, a.tombstones[0].deleted);
    ov_merge_report_free(&rep);
    drop(&base); drop(&a); drop(&b);
}

Test(merge, a_deletion_loses_to_a_later_change_in_the_other_copy)
{
    struct ov_vault base, a, b, a2;
    struct ov_merge_report rep;
    size_t i;

    two_copies(3, &base, &a, &b);
    ov_account_list_remove(&a.accounts, 1);
    save(&a);
    i = find_name(&b, "user1@example.com");
    ov_account_set_text(&b.accounts.items[i].note, "changed after the deletion");
    save(&b);
    clone(&a2, &a);
    /* Into the copy that kept it: kept, and said so. */
    merge_into(&b, &a, NULL, &rep);
    cr_assert_eq(b.accounts.len, 3);
    cr_assert_eq(rep.count[OV_MERGE_KEPT_DELETED], 1);
    ov_merge_report_free(&rep);
    /* Into the copy that deleted it: back, and said so. */
    merge_into(&a2, &b, NULL, &rep);
    cr_assert_eq(a2.accounts.len, 3);
    cr_assert_eq(rep.count[OV_MERGE_RESTORED], 1);
    cr_assert_eq(a2.ntombstones, 0);
    cr_assert_str_eq(a2.accounts.items[find_name(&a2, "user1@example.com")].note,
                     "changed after the deletion");
    ov_merge_report_free(&rep);
    drop(&base); drop(&a); drop(&b); drop(&a2);
}

Test(merge, two_edits_keep_the_later_and_name_the_other)
{
    struct ov_vault base, a, b, b2;
    struct ov_merge_report rep;

    two_copies(2, &base, &a, &b);
    ov_account_set_text(&a.accounts.items[0].name, "earlier@example.com");
    save(&a);
    ov_account_set_text(&b.accounts.items[0].name, "later@example.com");
    save(&b);
    clone(&b2, &b);
    merge_into(&b, &a, NULL, &rep);
    cr_assert_str_eq(b.accounts.items[0].name, "later@example.com");
    cr_assert_eq(rep.count[OV_MERGE_KEPT_LATER], 1);
    cr_assert(strstr(find_change(&rep, OV_MERGE_KEPT_LATER)->detail,
                     "name \"earlier@example.com\"") != NULL, "%s",
              find_change(&rep, OV_MERGE_KEPT_LATER)->detail);
    ov_merge_report_free(&rep);
    merge_into(&a, &b2, NULL, &rep);
    cr_assert_str_eq(a.accounts.items[0].name, "later@example.com");
    cr_assert_eq(rep.count[OV_MERGE_UPDATED], 1);
    cr_assert(strstr(find_change(&rep, OV_MERGE_UPDATED)->detail, "earlier@example.com") != NULL);
    /* The taken version keeps the other copy's time through the save. */
    save(&a);
    cr_assert_eq(a.accounts.items[0].modified, b2.accounts.items[0].modified);
    ov_merge_report_free(&rep);
    drop(&base); drop(&a); drop(&b); drop(&b2);
}

Test(merge, an_hotp_counter_is_the_larger_of_the_two)
{
    struct ov_vault base, a, b;
    struct ov_merge_report rep;
    uint64_t start;

    two_copies(2, &base, &a, &b);   /* account 1 is HOTP */
    start = base.accounts.items[1].counter;
    a.accounts.items[1].counter = start + 9;
    save(&a);
    /* b renames it later, but used it less: the name is b's, the counter a's. */
    b.accounts.items[1].counter = start + 2;
    ov_account_set_text(&b.accounts.items[1].issuer, "Bank (renamed)");
    save(&b);
    merge_into(&a, &b, NULL, &rep);
    cr_assert_str_eq(a.accounts.items[1].issuer, "Bank (renamed)");
    cr_assert_eq(a.accounts.items[1].counter, start + 9);
    ov_merge_report_free(&rep);
    merge_into(&b, &a, NULL, &rep);
    cr_assert_eq(b.accounts.items[1].counter, start + 9);
    cr_assert_eq(rep.count[OV_MERGE_COUNTER], 1);
    ov_merge_report_free(&rep);
    drop(&base); drop(&a); drop(&b);
}

Test(merge, with_the_ancestor_a_change_on_both_sides_is_a_conflict)
{
    struct ov_vault base, a, b;
    struct ov_merge_report rep;

    two_copies(2, &base, &a, &b);
    ov_account_set_text(&a.accounts.items[0].group, "Work");
    ov_account_set_text(&a.accounts.items[1].group, "Only here");
    save(&a);
    ov_account_set_text(&b.accounts.items[0].group, "Personal");
    save(&b);
    merge_into(&a, &b, &base, &rep);
    cr_assert_str_eq(a.accounts.items[0].group, "Personal");
    cr_assert_str_eq(a.accounts.items[1].group, "Only here", "changed on one side only");
    cr_assert_eq(rep.count[OV_MERGE_CONFLICT], 1);
    cr_assert(strstr(find_change(&rep, OV_MERGE_CONFLICT)->detail, "group \"Work\"") != NULL);
    cr_assert_eq(rep.len, 1, "the one-sided change is no conflict");
    ov_merge_report_free(&rep);
    drop(&base); drop(&a); drop(&b);
}

Test(merge, the_same_account_added_on_both_sides_is_kept_once)
{
    struct ov_vault base, a, b;
    struct ov_merge_report rep;
    struct ov_account x, y;

    two_copies(1, &base, &a, &b);
    vt_make_account(&x, 7);
    ov_account_list_push(&a.accounts, &x);
    save(&a);
    vt_make_account(&y, 7);   /* the same export imported on both machines */
    ov_account_list_push(&b.accounts, &y);
    save(&b);
    cr_assert_neq(memcmp(a.accounts.items[1].id, b.accounts.items[1].id, OV_ACCOUNT_ID_LEN), 0);
    {
        struct ov_vault a2;
        clone(&a2, &a);
        merge_into(&a, &b, NULL, &rep);
        ov_merge_report_free(&rep);
        merge_into(&b, &a2, NULL, &rep);
        drop(&a2);
    }
    cr_assert_eq(a.accounts.len, 2);
    cr_assert_eq(rep.count[OV_MERGE_SAME_ACCOUNT], 1);
    cr_assert_eq(memcmp(a.accounts.items[1].id, b.accounts.items[1].id, OV_ACCOUNT_ID_LEN), 0,
                 "both copies settle on one id");
    ov_merge_report_free(&rep);
    drop(&base); drop(&a); drop(&b);
}

Test(merge, nothing_to_merge_changes_nothing)
{
    struct ov_vault base, a, b;
    struct ov_merge_report rep;

    two_copies(5, &base, &a, &b);
    merge_into(&a, &b, NULL, &rep);
    cr_assert(!rep.changed);
    cr_assert_eq(rep.len, 0);
    ov_merge_report_free(&rep);
    drop(&base); drop(&a); drop(&b);
}

/* ---- the property test ---- */

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)((rng_state >> 33) % n);
}

/* The truth, kept beside the copies: per id, the latest version written anywhere (by
 * time), the latest deletion, and the largest counter used. */
struct truth {
    uint8_t id[OV_ACCOUNT_ID_LEN];
    int64_t changed, deleted;
    uint8_t digest[32];
    uint64_t counter;
};

struct world {
    struct truth *t;
    size_t n;
    unsigned next_account;
};

static struct truth *truth_of(struct world *w, const uint8_t *id)
{
    for (size_t i = 0; i < w->n; i++)
        if (memcmp(w->t[i].id, id, OV_ACCOUNT_ID_LEN) == 0)
            return &w->t[i];
    w->t = realloc(w->t, (w->n + 1) * sizeof *w->t);
    memset(&w->t[w->n], 0, sizeof *w->t);
    memcpy(w->t[w->n].id, id, OV_ACCOUNT_ID_LEN);
    return &w->t[w->n++];
}

static void note_all(struct world *w, const struct ov_vault *v)
{
    for (size_t i = 0; i < v->accounts.len; i++) {
        const struct ov_account *a = &v->accounts.items[i];
        struct truth *t = truth_of(w, a->id);
        if (a->modified > t->changed) {
            t->changed = a->modified;
            ov_account_content_digest(a, t->digest);
        }
        if (a->counter > t->counter)
            t->counter = a->counter;
    }
}

/* One random operation on v, saved. */
static void random_op(struct world *w, struct ov_vault *v)
{
    size_t n = v->accounts.len, i = n > 0 ? rnd((uint32_t)n) : 0;
    char text[64];
    struct ov_account a;

    int op = n == 0 ? 0 : (int)rnd(5);
    if (getenv("MERGE_DEBUG"))
        fprintf(stderr, "copy %p op %d on %zu of %zu at %lld\n", (void *)v, op, i, n, (long long)clock_ms + 1000);
    switch (op) {
    case 0:   /* add */
        vt_make_account(&a, 1000 + w->next_account++);
        ov_account_list_push(&v->accounts, &a);
        break;
    case 1: { /* delete */
        struct truth *t = truth_of(w, v->accounts.items[i].id);
        ov_account_list_remove(&v->accounts, i);
        save(v);
        t->deleted = clock_ms;
        return;
    }
    case 2:   /* edit */
        snprintf(text, sizeof text, "note %u", rnd(1000));
        ov_account_set_text(&v->accounts.items[i].note, text);
        break;
    case 3:   /* rename */
        snprintf(text, sizeof text, "renamed %u", rnd(1000));
        ov_account_set_text(&v->accounts.items[i].name, text);
        break;
    default:  /* HOTP use (or a code copied: the time of last use) */
        v->accounts.items[i].counter += 1 + rnd(3);
        v->accounts.items[i].last_used = clock_ms / 1000;
        break;
    }
    save(v);
    note_all(w, v);
}

static void check_world(const struct world *w, const struct ov_vault *v, uint64_t seed)
{
    for (size_t i = 0; i < w->n; i++) {
        const struct truth *t = &w->t[i];
        size_t j = ov_sync_find(&v->accounts, t->id);
        bool expected = t->changed > t->deleted;
        uint8_t d[32];
        cr_assert_eq(j != (size_t)-1, expected, "seed %llu: account %zu should %sbe there "
                     "(changed %lld, deleted %lld)", (unsigned long long)seed, i,
                     expected ? "" : "not ", (long long)t->changed, (long long)t->deleted);
        if (!expected)
            continue;
        ov_account_content_digest(&v->accounts.items[j], d);
        cr_assert_eq(memcmp(d, t->digest, 32), 0, "seed %llu: not the latest version",
                     (unsigned long long)seed);
        cr_assert_geq(v->accounts.items[j].counter, t->counter,
                      "seed %llu: a counter went back", (unsigned long long)seed);
    }
}

static void merge_saved(struct ov_vault *ours, const struct ov_vault *theirs)
{
    struct ov_merge_report rep;

    merge_into(ours, theirs, NULL, &rep);
    if (getenv("MERGE_DEBUG"))
        for (size_t i = 0; i < rep.len; i++)
            fprintf(stderr, "merge %p <- %p: %s %s %s\n", (void *)ours, (void *)theirs,
                    ov_merge_what_name(rep.items[i].what), rep.items[i].label, rep.items[i].detail);
    ov_merge_report_free(&rep);
    save(ours);   /* must keep every time the merge took */
}

static void one_sequence(uint64_t seed, unsigned ncopies)
{
    struct ov_vault base, c[3];
    struct world w = { NULL, 0, 0 };
    char why[256];
    unsigned ops;

    rng_state = seed;
    memset(&base, 0, sizeof base);
    for (unsigned i = 0, n = rnd(5); i < n; i++) {
        struct ov_account a;
        vt_make_account(&a, i);
        ov_account_list_push(&base.accounts, &a);
    }
    save(&base);
    note_all(&w, &base);
    for (unsigned k = 0; k < ncopies; k++)
        clone(&c[k], &base);
    /* Changes on every copy, interleaved, with merges now and then in between. */
    ops = 2 + rnd(12);
    for (unsigned o = 0; o < ops; o++) {
        unsigned k = rnd(ncopies);
        if (rnd(6) == 0) {
            unsigned j = rnd(ncopies);
            if (j != k)
                merge_saved(&c[k], &c[j]);
        } else {
            random_op(&w, &c[k]);
        }
    }
    /* Then everything meets: all into the first, the first into the others; one such
     * round is enough. */
    for (unsigned k = 1; k < ncopies; k++)
        merge_saved(&c[0], &c[k]);
    for (unsigned k = 1; k < ncopies; k++)
        merge_saved(&c[k], &c[0]);
    for (unsigned k = 1; k < ncopies; k++)
        cr_assert(same_accounts(&c[0], &c[k], why, sizeof why), "seed %llu, %u copies: copy "
                  "%u differs from copy 0: %s", (unsigned long long)seed, ncopies, k, why);
    check_world(&w, &c[0], seed);
    for (unsigned k = 0; k < ncopies; k++)
        drop(&c[k]);
    drop(&base);
    free(w.t);
}

Test(merge, a_thousand_random_histories_of_two_copies_converge, .timeout = 120)
{
    const char *only = getenv("MERGE_SEED");
    if (only != NULL) {
        one_sequence(strtoull(only, NULL, 10), getenv("MERGE_COPIES") ? 3 : 2);
        return;
    }
    for (uint64_t seed = 1; seed <= 1000; seed++)
        one_sequence(seed, 2);
}

Test(merge, a_thousand_random_histories_of_three_copies_converge, .timeout = 120)
{
    for (uint64_t seed = 5001; seed <= 6000; seed++)
        one_sequence(seed, 3);
}

/* A into B and B into A give the same accounts, whatever the histories were. */
Test(merge, the_direction_of_a_merge_does_not_matter)
{
    char why[256];

    for (uint64_t seed = 9001; seed <= 9300; seed++) {
        struct ov_vault base, a, b, a2, b2;
        struct world w = { NULL, 0, 0 };
        struct ov_merge_report rep;
        rng_state = seed;
        two_copies(rnd(4), &base, &a, &b);
        for (unsigned o = 0, n = rnd(8); o < n; o++)
            random_op(&w, rnd(2) ? &a : &b);
        clone(&a2, &a);
        clone(&b2, &b);
        merge_into(&a2, &b, NULL, &rep);
        ov_merge_report_free(&rep);
        merge_into(&b2, &a, NULL, &rep);
        ov_merge_report_free(&rep);
        cr_assert(same_accounts(&a2, &b2, why, sizeof why), "seed %llu: %s",
                  (unsigned long long)seed, why);
        drop(&base); drop(&a); drop(&b); drop(&a2); drop(&b2);
        free(w.t);
    }
}
