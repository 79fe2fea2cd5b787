/* See import.h. Each input is read by one importer into its own list; batch marks are then
 * gathered across inputs, so a Google Authenticator export spread over several screenshots
 * (or several codes in one) is put together by batch id and index, never by scan order. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/import.h"
#include "otpvault/mem.h"

#define ISSUES_SHOWN_FOR_FAILED_INPUT 3
/* A batch's size comes from the QR code itself: a crafted one said 2^31 - 1, and checking
 * it allocated 2 GiB and wrote a note per missing code. Exports hold about ten accounts per
 * code, so no real one comes near this; missing codes past the first few are counted. */
#define BATCH_SIZE_MAX 1000
#define MISSING_SHOWN 5

/* What one input gave. */
struct input_result {
    const char *name;
    struct ov_account_list accounts;
    struct ov_import_batch_mark *marks;
    size_t nmarks;
    bool failed;
};

/* One QR code of a batch, wherever it was found. */
struct part {
    size_t input;
    const struct ov_import_batch_mark *mark;
};

static void note(struct ov_import_report *r, enum ov_import_note_kind kind, const char *fmt,
                 ...) __attribute__((format(printf, 3, 4)));

static void note(struct ov_import_report *r, enum ov_import_note_kind kind, const char *fmt,
                 ...)
{
    struct ov_import_note *n;
    va_list ap;

    r->notes = ov_xrealloc(r->notes, (r->nnotes + 1) * sizeof *r->notes);
    n = &r->notes[r->nnotes++];
    n->kind = kind;
    va_start(ap, fmt);
    vsnprintf(n->text, sizeof n->text, fmt, ap);
    va_end(ap);
}

const struct ov_importer *ov_import_pick(const struct ov_blob *in, const char *format)
{
    return format != NULL ? ov_importer_find(format) : ov_importer_detect(in);
}

bool ov_import_wants_password(const struct ov_importer *imp, const struct ov_blob *in)
{
    return imp != NULL && imp->needs_password &&
           (imp->is_encrypted == NULL || imp->is_encrypted(in));
}

static int read_input(const struct ov_blob *in, const struct ov_importer *imp,
                      const struct ov_import_options *opts, struct input_result *res,
                      struct ov_import_report *r)
{
    struct ov_import_opts io = { .password = opts->password,
                                 .password_len = opts->password_len };
    struct ov_error err = { 0 };
    int rc;

    res->name = in->name;
    ov_account_list_init(&res->accounts);
    if (in->len == 0) {
        rc = ov_error_set(&err, OV_ERR_INVALID, "%s: the file is empty", in->name);
    } else if (imp == NULL) {
        if (opts->format != NULL)
            rc = ov_error_set(&err, OV_ERR_UNSUPPORTED, "%s: no import format named '%s' "
                              "(see otpvault formats)", in->name, opts->format);
        else
            rc = ov_error_set(&err, OV_ERR_UNSUPPORTED, "%s: not a supported picture (PNG, "
                              "JPEG, WebP, GIF) or export file (see otpvault formats)",
                              in->name);
    } else {
        rc = imp->load(in, &io, &res->accounts, &err);
    }
    size_t failures = 0;
    for (size_t i = 0; i < io.nissues; i++)
        failures += !io.issues[i].warning;
    if (rc == OV_OK && res->accounts.len == 0 && io.nmarks == 0 && failures > 0) {
        /* Every entry failed: nothing of this input can be imported. */
        rc = ov_error_set(&err, OV_ERR_INVALID, "%s: no account could be read from it",
                          in->name);
    } else if (rc == OV_OK && res->accounts.len == 0 && io.nmarks == 0) {
        note(r, OV_NOTE_INFO, "%s: holds no accounts", in->name);
    }
    for (size_t i = 0; i < io.nissues; i++) {
        /* An input that failed as a whole: a few of its reasons are enough. */
        if (rc != OV_OK && i == ISSUES_SHOWN_FOR_FAILED_INPUT) {
            note(r, OV_NOTE_INFO, "%s: (%zu more like these)", in->name, io.nissues - i);
            break;
        }
        bool failed = rc == OV_OK && !io.issues[i].warning;
        note(r, failed ? OV_NOTE_ENTRY_FAILED : OV_NOTE_INFO, "%s: %s", in->name,
             io.issues[i].message);
        r->entries_failed += failed;
    }
    if (rc != OV_OK) {
        /* Messages from importers usually start with the input's name already. */
        if (strncmp(err.msg, in->name, strlen(in->name)) == 0)
            note(r, OV_NOTE_INPUT_FAILED, "%s", err.msg);
        else
            note(r, OV_NOTE_INPUT_FAILED, "%s: %s", in->name, err.msg);
        res->failed = true;
        ov_account_list_free(&res->accounts);
        io.nmarks = 0;
    }
    res->marks = io.marks;
    res->nmarks = io.nmarks;
    io.marks = NULL;
    ov_import_opts_free(&io);
    return rc;
}

static bool in_list(const struct ov_account_list *l, const struct ov_account *a)
{
    for (size_t i = 0; l != NULL && i < l->len; i++)
        if (ov_account_same(&l->items[i], a))
            return true;
    return false;
}

/* Duplicate checks against thousands of accounts must not compare every pair: a set of
 * fingerprints over what ov_account_same compares answers "certainly new" at once; only a
 * hit (a real duplicate, or a rare collision) is confirmed by comparing accounts. */
struct fingerprints {
    uint64_t *slots; /* 0 = empty */
    size_t cap, len;
};

static uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
    const uint8_t *p = data;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

static uint64_t fingerprint(const struct ov_account *a)
{
    uint8_t type = (uint8_t)a->type;
    uint64_t h = fnv1a(0xcbf29ce484222325ull, &type, 1);

    h = fnv1a(h, a->secret, a->secret_len);
    h = fnv1a(h, a->issuer, strlen(a->issuer) + 1);
    h = fnv1a(h, a->name, strlen(a->name) + 1);
    return h != 0 ? h : 1;
}

static bool fp_contains(const struct fingerprints *f, uint64_t h)
{
    for (size_t i = f->cap > 0 ? h % f->cap : 0; f->cap > 0 && f->slots[i] != 0;
         i = (i + 1) % f->cap)
        if (f->slots[i] == h)
            return true;
    return false;
}

static void fp_add(struct fingerprints *f, uint64_t h)
{
    if (2 * (f->len + 1) > f->cap) {
        struct fingerprints bigger = { ov_xcalloc(f->cap * 2 + 64, sizeof *f->slots),
                                       f->cap * 2 + 64, 0 };
        for (size_t i = 0; i < f->cap; i++)
            if (f->slots[i] != 0)
                fp_add(&bigger, f->slots[i]);
        free(f->slots);
        *f = bigger;
    }
    size_t i = h % f->cap;
    while (f->slots[i] != 0)
        i = (i + 1) % f->cap;
    f->slots[i] = h;
    f->len++;
}

struct dedupe {
    const struct ov_account_list *existing;
    struct fingerprints in_vault, taken;
};

static void dedupe_init(struct dedupe *d, const struct ov_account_list *existing)
{
    memset(d, 0, sizeof *d);
    d->existing = existing;
    for (size_t i = 0; existing != NULL && i < existing->len; i++)
        fp_add(&d->in_vault, fingerprint(&existing->items[i]));
}

static void dedupe_free(struct dedupe *d)
{
    free(d->in_vault.slots);
    free(d->taken.slots);
}

/* Moves one account into the report unless it is a duplicate. */
static void take(struct ov_import_report *r, const char *input, struct ov_account *a,
                 struct dedupe *d)
{
    const char *sep = a->issuer[0] != '\0' && a->name[0] != '\0' ? ": " : "";
    uint64_t h = fingerprint(a);

    if (fp_contains(&d->in_vault, h) && in_list(d->existing, a)) {
        r->present++;
        note(r, OV_NOTE_PRESENT, "%s: already in the vault, skipped: %s%s%s", input, a->issuer,
             sep, a->name);
    } else if (fp_contains(&d->taken, h) && in_list(&r->accounts, a)) {
        r->duplicates++;
        note(r, OV_NOTE_PRESENT, "%s: appears twice in the inputs, read once: %s%s%s", input,
             a->issuer, sep, a->name);
    } else {
        fp_add(&d->taken, h);
        ov_account_list_push(&r->accounts, a);
    }
}

/* A single-QR export needs no grouping; its accounts are taken where they stand (and a
 * repeated one is caught as a duplicate account). */
static bool is_multi(const struct ov_import_batch_mark *m)
{
    return m->batch_size > 1;
}

static int compare_parts(const void *pa, const void *pb)
{
    const struct part *a = pa, *b = pb;
    return (a->mark->batch_index > b->mark->batch_index) -
           (a->mark->batch_index < b->mark->batch_index);
}

/* Collects every part of the batch `id` from all inputs, sorted by index. */
static size_t gather_batch(struct input_result *res, size_t n, int32_t id, struct part **out)
{
    size_t count = 0;
    struct part *parts = NULL;

    for (size_t i = 0; i < n; i++) {
        for (size_t m = 0; m < res[i].nmarks; m++) {
            if (!is_multi(&res[i].marks[m]) || res[i].marks[m].batch_id != id)
                continue;
            parts = ov_xrealloc(parts, (count + 1) * sizeof *parts);
            parts[count++] = (struct part){ i, &res[i].marks[m] };
        }
    }
    qsort(parts, count, sizeof *parts, compare_parts);
    *out = parts;
    return count;
}

/* Emits a batch in index order: checks completeness, drops repeated QR codes. Returns false
 * when the batch is incomplete and partial imports are not allowed. */
static bool emit_batch(struct input_result *res, size_t n, int32_t id,
                       const struct ov_import_options *opts,
                       struct dedupe *d, struct ov_import_report *r)
{
    struct part *parts;
    size_t count = gather_batch(res, n, id, &parts);
    int32_t size = parts[0].mark->batch_size > 1 ? parts[0].mark->batch_size : 1;
    const char *where = res[parts[0].input].name;
    enum ov_import_note_kind kind = opts->allow_partial ? OV_NOTE_INFO : OV_NOTE_INPUT_FAILED;
    const char *how = opts->allow_partial_how != NULL ? opts->allow_partial_how
                                                      : "--allow-partial";
    char advice[96];
    bool *seen = ov_xcalloc(size > BATCH_SIZE_MAX ? 1 : (size_t)size, sizeof *seen);

    if (opts->allow_partial)
        snprintf(advice, sizeof advice, " (%s: importing the others)", how);
    else
        snprintf(advice, sizeof advice, "; scan every QR code of the export, or use %s", how);
    size_t missing = 0;
    bool complete;

    if (size > BATCH_SIZE_MAX) {
        note(r, kind, "%s: a QR code says its export has %d codes, more than any export "
             "holds, so it cannot be complete%s", where, size, advice);
        missing = (size_t)size;
    }
    for (size_t p = 0; p < count && missing == 0; p++) {
        int32_t idx = parts[p].mark->batch_index;
        if (idx >= 0 && idx < size)
            seen[idx] = true;
    }
    for (int32_t i = 0; i < size && size <= BATCH_SIZE_MAX; i++) {
        if (!seen[i] && missing++ < MISSING_SHOWN)
            note(r, kind, "%s: QR %d of %d is missing%s", where, i + 1, size, advice);
    }
    if (missing > MISSING_SHOWN && size <= BATCH_SIZE_MAX)
        note(r, kind, "%s: and %zu more QR codes of %d are missing", where,
             missing - MISSING_SHOWN, size);
    complete = missing == 0;
    for (size_t p = 0; p < count && (complete || opts->allow_partial); p++) {
        const struct ov_import_batch_mark *m = parts[p].mark;
        struct input_result *in = &res[parts[p].input];
        if (p > 0 && parts[p - 1].mark->batch_index == m->batch_index) {
            note(r, OV_NOTE_INFO, "%s: QR %d of %d seen twice, read once", in->name,
                 m->batch_index + 1, size);
            continue;
        }
        if (m->batch_index < 0 || m->batch_index >= size) {
            note(r, OV_NOTE_ENTRY_FAILED, "%s: QR index %d is outside its batch of %d, skipped",
                 in->name, m->batch_index + 1, size);
            r->entries_failed += m->count;
            continue;
        }
        for (size_t a = m->first; a < m->first + m->count; a++)
            take(r, in->name, &in->accounts.items[a], d);
    }
    free(seen);
    free(parts);
    return complete || opts->allow_partial;
}

/* The multi-QR batch mark that account index a of an input belongs to, if any. */
static const struct ov_import_batch_mark *mark_of(const struct input_result *in, size_t a)
{
    for (size_t m = 0; m < in->nmarks; m++)
        if (is_multi(&in->marks[m]) && a >= in->marks[m].first &&
            a < in->marks[m].first + in->marks[m].count)
            return &in->marks[m];
    return NULL;
}

static bool batch_done(const int32_t *done, size_t ndone, int32_t id)
{
    for (size_t i = 0; i < ndone; i++)
        if (done[i] == id)
            return true;
    return false;
}

static int start_batch(struct input_result *res, size_t n, int32_t id,
                       const struct ov_import_options *opts,
                       struct dedupe *d, struct ov_import_report *r,
                       int32_t **done, size_t *ndone, int first_rc)
{
    *done = ov_xrealloc(*done, (*ndone + 1) * sizeof **done);
    (*done)[(*ndone)++] = id;
    if (emit_batch(res, n, id, opts, d, r))
        return first_rc;
    r->inputs_failed++;
    return first_rc != OV_OK ? first_rc : OV_ERR_INVALID;
}

int ov_import_run(const struct ov_blob *inputs, size_t ninputs,
                  const struct ov_import_options *opts, const struct ov_account_list *existing,
                  struct ov_import_report *r)
{
    struct input_result *res = ov_xcalloc(ninputs, sizeof *res);
    struct dedupe d;
    int32_t *done = NULL;
    size_t ndone = 0;
    int first_rc = OV_OK;

    dedupe_init(&d, existing);
    memset(r, 0, sizeof *r);
    ov_account_list_init(&r->accounts);
    for (size_t i = 0; i < ninputs; i++) {
        const struct ov_importer *imp = opts->picked != NULL
                                            ? opts->picked[i]
                                            : ov_import_pick(&inputs[i], opts->format);
        int rc = read_input(&inputs[i], imp, opts, &res[i], r);
        if (rc != OV_OK) {
            r->inputs_failed++;
            if (first_rc == OV_OK)
                first_rc = rc;
        }
    }
    /* Walk the inputs in order; a batch is emitted whole where its first part appears.
     * Marks whose entries all failed have no account to be found at, hence the second loop. */
    for (size_t i = 0; i < ninputs; i++) {
        for (size_t a = 0; a < res[i].accounts.len; a++) {
            const struct ov_import_batch_mark *m = mark_of(&res[i], a);
            if (m == NULL)
                take(r, res[i].name, &res[i].accounts.items[a], &d);
            else if (!batch_done(done, ndone, m->batch_id))
                first_rc = start_batch(res, ninputs, m->batch_id, opts, &d, r, &done,
                                       &ndone, first_rc);
        }
        for (size_t m = 0; m < res[i].nmarks; m++)
            if (is_multi(&res[i].marks[m]) && !batch_done(done, ndone, res[i].marks[m].batch_id))
                first_rc = start_batch(res, ninputs, res[i].marks[m].batch_id, opts, &d, r,
                                       &done, &ndone, first_rc);
    }
    for (size_t i = 0; i < ninputs; i++) {
        ov_account_list_free(&res[i].accounts);
        free(res[i].marks);
    }
    free(res);
    free(done);
    dedupe_free(&d);
    return first_rc;
}

void ov_import_report_free(struct ov_import_report *r)
{
    ov_account_list_free(&r->accounts);
    free(r->notes);
    memset(r, 0, sizeof *r);
}
