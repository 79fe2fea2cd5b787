/* Identities, change times and tombstones, stamped at every save (see sync.h). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "md_fields_internal.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/mem.h"
#include "otpvault/sync.h"

static unsigned tombstone_days = OV_SYNC_TOMBSTONE_DAYS_DEFAULT;

void ov_sync_set_tombstone_days(unsigned days)
{
    tombstone_days = days;
}

void ov_account_content_digest(const struct ov_account *a, uint8_t out[32])
{
    /* One handle per thread, reset after each digest: opening one in secure memory costs
     * more than hashing an account, and a merge of 10,000 accounts takes tens of thousands. */
    static _Thread_local gcry_md_hd_t h;

    if (h == NULL)
        h = md_open();
    md_account_head(h, a);
    md_uint(h, a->period);
    md_text(h, a->group);
    md_text(h, a->note);
    memcpy(out, gcry_md_read(h, GCRY_MD_SHA256), 32);
    gcry_md_reset(h);   /* also wipes what it saw */
}

/* ---- ids ---- */

bool ov_account_id_none(const uint8_t id[OV_ACCOUNT_ID_LEN])
{
    for (size_t i = 0; i < OV_ACCOUNT_ID_LEN; i++)
        if (id[i] != 0)
            return false;
    return true;
}

int ov_account_id_cmp(const uint8_t a[OV_ACCOUNT_ID_LEN], const uint8_t b[OV_ACCOUNT_ID_LEN])
{
    return memcmp(a, b, OV_ACCOUNT_ID_LEN);
}

void ov_account_id_text(const uint8_t id[OV_ACCOUNT_ID_LEN], char out[2 * OV_ACCOUNT_ID_LEN + 1])
{
    ov_hex_encode(id, OV_ACCOUNT_ID_LEN, out);
}

int ov_account_id_parse(const char *s, uint8_t id[OV_ACCOUNT_ID_LEN])
{
    char digits[2 * OV_ACCOUNT_ID_LEN];
    uint8_t out[OV_ACCOUNT_ID_LEN];
    size_t n = 0, len;

    for (; *s != '\0'; s++) {
        if (*s == '-')
            continue;   /* a UUID's dashes */
        if (n == sizeof digits)
            return -1;
        digits[n++] = *s;
    }
    if (n != sizeof digits || ov_hex_decode(digits, n, out, &len, NULL) != OV_OK ||
        ov_account_id_none(out))
        return -1;
    memcpy(id, out, sizeof out);
    return 0;
}

static void derive_id(const struct ov_account *a, uint64_t rank, uint8_t id[OV_ACCOUNT_ID_LEN])
{
    gcry_md_hd_t h = md_open();

    md_text(h, "otpvault legacy account id");
    md_uint(h, (uint64_t)a->type);
    md_field(h, a->secret, a->secret_len);
    md_text(h, a->issuer);
    md_text(h, a->name);
    md_uint(h, rank);
    memcpy(id, gcry_md_read(h, GCRY_MD_SHA256), OV_ACCOUNT_ID_LEN);
    gcry_md_close(h);
}

void ov_sync_legacy_ids(struct ov_account_list *l)
{
    for (size_t i = 0; i < l->len; i++) {
        uint64_t rank = 0;
        if (!ov_account_id_none(l->items[i].id))
            continue;
        /* Quadratic only in the accounts without ids, and only once per old vault. */
        for (size_t j = 0; j < i; j++)
            if (ov_account_same(&l->items[j], &l->items[i]))
                rank++;
        derive_id(&l->items[i], rank, l->items[i].id);
    }
}

/* ---- lookups: marks and tombstones are kept sorted by id ---- */

static int mark_cmp(const void *a, const void *b)
{
    return ov_account_id_cmp(((const struct ov_sync_mark *)a)->id,
                             ((const struct ov_sync_mark *)b)->id);
}

static int tomb_cmp(const void *a, const void *b)
{
    return ov_account_id_cmp(((const struct ov_tombstone *)a)->id,
                             ((const struct ov_tombstone *)b)->id);
}

void ov_sync_mark_all(struct ov_vault *v)
{
    size_t n = v->accounts.len;

    free(v->marks);
    v->marks = n > 0 ? ov_xcalloc(n, sizeof *v->marks) : NULL;
    v->nmarks = n;
    for (size_t i = 0; i < n; i++) {
        memcpy(v->marks[i].id, v->accounts.items[i].id, OV_ACCOUNT_ID_LEN);
        v->marks[i].modified = v->accounts.items[i].modified;
        v->marks[i].counter = v->accounts.items[i].counter;
        ov_account_content_digest(&v->accounts.items[i], v->marks[i].digest);
    }
    if (n > 1)
        qsort(v->marks, n, sizeof *v->marks, mark_cmp);
}

static const struct ov_sync_mark *mark_find(const struct ov_vault *v,
                                            const uint8_t id[OV_ACCOUNT_ID_LEN])
{
    struct ov_sync_mark key;

    if (v->nmarks == 0)
        return NULL;
    memcpy(key.id, id, OV_ACCOUNT_ID_LEN);
    return bsearch(&key, v->marks, v->nmarks, sizeof *v->marks, mark_cmp);
}

_Static_assert(offsetof(struct ov_sync_mark, id) == 0, "marks sort by their leading id");
_Static_assert(offsetof(struct ov_tombstone, id) == 0, "tombstones sort by their leading id");

/* Where key goes in the sorted array at base (n elements of size bytes, the id first). */
static size_t insertion_point(const void *base, size_t n, size_t size, const uint8_t *id)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ov_account_id_cmp((const uint8_t *)base + mid * size, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void ov_sync_mark_put(struct ov_vault *v, const struct ov_account *a)
{
    struct ov_sync_mark *m = (struct ov_sync_mark *)mark_find(v, a->id);

    if (m == NULL) {
        size_t at = insertion_point(v->marks, v->nmarks, sizeof *v->marks, a->id);
        v->marks = ov_xrealloc(v->marks, (v->nmarks + 1) * sizeof *v->marks);
        memmove(&v->marks[at + 1], &v->marks[at], (v->nmarks - at) * sizeof *v->marks);
        v->nmarks++;
        m = &v->marks[at];
        memcpy(m->id, a->id, OV_ACCOUNT_ID_LEN);
    }
    m->modified = a->modified;
    m->counter = a->counter;
    ov_account_content_digest(a, m->digest);
}

/* Removes the element at item (NULL: nothing) from the array at base of *n elements. */
static void drop_element(void *base, size_t *n, size_t size, const void *item)
{
    size_t i;

    if (item == NULL)
        return;
    i = (size_t)((const char *)item - (const char *)base) / size;
    memmove((char *)base + i * size, (char *)base + (i + 1) * size, (*n - i - 1) * size);
    (*n)--;
}

void ov_sync_mark_drop(struct ov_vault *v, const uint8_t id[OV_ACCOUNT_ID_LEN])
{
    drop_element(v->marks, &v->nmarks, sizeof *v->marks, mark_find(v, id));
}

size_t ov_sync_find(const struct ov_account_list *l, const uint8_t id[OV_ACCOUNT_ID_LEN])
{
    for (size_t i = 0; i < l->len; i++)
        if (ov_account_id_cmp(l->items[i].id, id) == 0)
            return i;
    return (size_t)-1;
}

const struct ov_tombstone *ov_sync_tombstone_find(const struct ov_vault *v,
                                                  const uint8_t id[OV_ACCOUNT_ID_LEN])
{
    struct ov_tombstone key;

    if (v->ntombstones == 0)
        return NULL;
    memcpy(key.id, id, OV_ACCOUNT_ID_LEN);
    return bsearch(&key, v->tombstones, v->ntombstones, sizeof *v->tombstones, tomb_cmp);
}

void ov_sync_tombstone_put(struct ov_vault *v, const uint8_t id[OV_ACCOUNT_ID_LEN],
                           int64_t deleted, uint64_t counter)
{
    struct ov_tombstone *t = (struct ov_tombstone *)ov_sync_tombstone_find(v, id);

    if (t != NULL) {
        if (deleted > t->deleted)
            t->deleted = deleted;
        if (counter > t->counter)
            t->counter = counter;
        return;
    }
    {
        size_t at = insertion_point(v->tombstones, v->ntombstones, sizeof *v->tombstones, id);
        v->tombstones = ov_xrealloc(v->tombstones,
                                    (v->ntombstones + 1) * sizeof *v->tombstones);
        memmove(&v->tombstones[at + 1], &v->tombstones[at],
                (v->ntombstones - at) * sizeof *v->tombstones);
        v->ntombstones++;
        t = &v->tombstones[at];
    }
    memcpy(t->id, id, OV_ACCOUNT_ID_LEN);
    t->deleted = deleted;
    t->counter = counter;
}

void ov_sync_tombstone_drop(struct ov_vault *v, const uint8_t id[OV_ACCOUNT_ID_LEN])
{
    drop_element(v->tombstones, &v->ntombstones, sizeof *v->tombstones,
                 ov_sync_tombstone_find(v, id));
}

/* ---- the stamp at every save ---- */

struct id_index {
    uint8_t id[OV_ACCOUNT_ID_LEN];
    size_t index;
};

static int id_index_cmp(const void *a, const void *b)
{
    const struct id_index *x = a, *y = b;
    int c = ov_account_id_cmp(x->id, y->id);
    return c != 0 ? c : (x->index > y->index) - (x->index < y->index);
}

/* Ids of the accounts, sorted; an id held twice (a copied account) is renewed on the later
 * one, so every account keeps its own. */
static struct id_index *unique_ids(struct ov_account_list *l)
{
    struct id_index *ids = l->len > 0 ? ov_xcalloc(l->len, sizeof *ids) : NULL;
    bool renewed;

    do {
        renewed = false;
        for (size_t i = 0; i < l->len; i++) {
            if (ov_account_id_none(l->items[i].id))
                ov_random(l->items[i].id, OV_ACCOUNT_ID_LEN);
            memcpy(ids[i].id, l->items[i].id, OV_ACCOUNT_ID_LEN);
            ids[i].index = i;
        }
        if (l->len > 1)
            qsort(ids, l->len, sizeof *ids, id_index_cmp);
        for (size_t i = 1; i < l->len; i++)
            if (ov_account_id_cmp(ids[i - 1].id, ids[i].id) == 0) {
                memset(l->items[ids[i].index].id, 0, OV_ACCOUNT_ID_LEN);
                renewed = true;
            }
    } while (renewed);
    return ids;
}

static bool has_id(const struct id_index *ids, size_t n, const uint8_t id[OV_ACCOUNT_ID_LEN])
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = ov_account_id_cmp(ids[mid].id, id);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static int tomb_age_cmp(const void *a, const void *b)
{
    const struct ov_tombstone *x = a, *y = b;
    return (x->deleted < y->deleted) - (x->deleted > y->deleted);   /* newest first */
}

static void prune_tombstones(struct ov_vault *v, const struct id_index *ids, size_t nids,
                             int64_t now_ms)
{
    int64_t oldest = tombstone_days == 0 ? INT64_MIN
                                         : now_ms - (int64_t)tombstone_days * 86400000;
    size_t kept = 0;

    for (size_t i = 0; i < v->ntombstones; i++) {
        const struct ov_tombstone *t = &v->tombstones[i];
        /* An account back in the list (an undo, a restore) is no longer deleted. */
        if (t->deleted < oldest || has_id(ids, nids, t->id))
            continue;
        v->tombstones[kept++] = *t;
    }
    v->ntombstones = kept;
    if (kept > OV_SYNC_MAX_TOMBSTONES) {
        qsort(v->tombstones, kept, sizeof *v->tombstones, tomb_age_cmp);
        v->ntombstones = OV_SYNC_MAX_TOMBSTONES;
    }
    if (v->ntombstones > 1)
        qsort(v->tombstones, v->ntombstones, sizeof *v->tombstones, tomb_cmp);
}

void ov_sync_stamp(struct ov_vault *v, int64_t now_ms)
{
    struct ov_account_list *l = &v->accounts;
    struct id_index *ids = unique_ids(l);

    for (size_t i = 0; i < l->len; i++) {
        struct ov_account *a = &l->items[i];
        const struct ov_sync_mark *m = mark_find(v, a->id);
        uint8_t digest[32];
        bool changed;

        if (m == NULL)
            /* New here. One that brings its own time (an otpvault file, a restore) keeps
             * it, unless it comes back after a deletion: that is a change of its own. */
            changed = a->modified == 0 || ov_sync_tombstone_find(v, a->id) != NULL;
        else {
            ov_account_content_digest(a, digest);
            changed = memcmp(digest, m->digest, sizeof digest) != 0;
        }
        if (changed)
            a->modified = now_ms > a->modified ? now_ms : a->modified + 1;
    }
    /* A deletion is later than the version it deleted, whatever this clock says. */
    for (size_t i = 0; i < v->nmarks; i++)
        if (!has_id(ids, l->len, v->marks[i].id))
            ov_sync_tombstone_put(v, v->marks[i].id,
                                  now_ms > v->marks[i].modified ? now_ms
                                                                : v->marks[i].modified + 1,
                                  v->marks[i].counter);
    prune_tombstones(v, ids, l->len, now_ms);
    free(ids);
}

void ov_sync_copy(struct ov_vault *dst, const struct ov_vault *src)
{
    for (size_t i = 0; i < src->accounts.len; i++) {
        struct ov_account a;
        ov_account_copy(&a, &src->accounts.items[i]);
        ov_account_list_push(&dst->accounts, &a);
    }
    free(dst->tombstones);
    dst->tombstones = NULL;
    dst->ntombstones = src->ntombstones;
    if (src->ntombstones > 0) {
        dst->tombstones = ov_xcalloc(src->ntombstones, sizeof *dst->tombstones);
        memcpy(dst->tombstones, src->tombstones, src->ntombstones * sizeof *dst->tombstones);
    }
}

void ov_sync_free(struct ov_vault *v)
{
    free(v->tombstones);
    free(v->marks);
    free(v->last_merge_from);
    v->tombstones = NULL;
    v->marks = NULL;
    v->last_merge_from = NULL;
    v->ntombstones = v->nmarks = 0;
}
