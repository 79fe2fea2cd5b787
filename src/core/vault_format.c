/* The vault file format: fixed header and the serialized accounts inside the ciphertext.
 *
 * All integers are little-endian.
 *
 * File
 *   offset size  field
 *        0    8  magic "OTPVAULT"
 *        8    2  format version, 1
 *       10    1  AEAD id: 1 = AES-256-GCM (12-byte nonce, 16-byte tag)
 *       11    1  KDF id: 1 = Argon2id (version 0x13), 32-byte key
 *       12    4  KDF memory, KiB    (OV_KDF_MIN_MEMORY_KIB .. OV_KDF_MAX_MEMORY_KIB)
 *       16    4  KDF time, passes   (1 .. OV_KDF_MAX_TIME)
 *       20    4  KDF lanes          (1 .. OV_KDF_MAX_LANES, and memory >= 8 * lanes)
 *       24   16  salt (random; changes with the passphrase)
 *       40   12  nonce (random; fresh on every save)
 *       52    8  generation (1 for a new vault, +1 on every save)
 *       60    4  reserved, zero
 *       64    n  ciphertext of the payload, then its 16-byte tag
 *
 * The 64 header bytes are the AEAD associated data, so no header field can be changed
 * without the tag failing; the bounds are still checked before the KDF runs, so a crafted
 * header cannot make us allocate or compute without limit.
 *
 * Payload (the plaintext): a sequence of records, each
 *   tag u16 | length u32 | value[length]
 * Top-level tags:
 *   0x0001 FORMAT       u16 payload version, 2 (1 before syncing); must be the first record
 *   0x0002 LAST_BACKUP  i64 unix seconds
 *   0x0003 LAST_DRILL   i64 unix seconds
 *   0x0004 BACKUP_DIGEST 32 bytes: ov_accounts_digest of the accounts at the last backup
 *                       (absent until a backup is made), so "changed since" needs no backup
 *   0x0005 LAST_MERGE   i64 unix seconds, then the UTF-8 text of where the merged copy came
 *                       from (at most 1024 bytes); absent until a merge
 *   0x0010 ACCOUNT      nested records, below; one per account, in list order
 *   0x0011 TOMBSTONE    16-byte account id, i64 unix ms of the deletion, u64 HOTP counter
 *                       at the deletion (sync.h)
 *   0x0000 END          empty; must be the last record (a cut payload is never valid)
 * Account tags:
 *   0x01 TYPE u8 (enum ov_otp_type)   0x02 ALGO u8 (enum ov_algo)
 *   0x03 ISSUER text   0x04 NAME text   0x05 SECRET bytes   0x06 PIN text
 *   0x07 DIGITS u8     0x08 PERIOD u32  0x09 COUNTER u64
 *   0x0a GROUP text    0x0b NOTE text   0x0c CREATED i64    0x0d LAST_USED i64
 *   0x0e ID 16 bytes (random; sync.h)  0x0f MODIFIED i64 unix ms (sync.h)
 * Text is UTF-8 as given, without NUL, at most OV_VAULT_MAX_TEXT bytes (PIN:
 * OV_VAULT_MAX_PIN). GROUP, NOTE and PIN are absent when NULL; absent fields take the
 * defaults of ov_account_init. A known tag appears at most once per level.
 *
 * Format 2 added ID, MODIFIED, LAST_MERGE and TOMBSTONE. A reader of format 1 would skip
 * them and, saving, drop the tombstones a merge needs, so the version went up: format 1
 * payloads are still read, and their accounts get ids derived from their content
 * (ov_sync_legacy_ids), the same on every old copy of one vault.
 *
 * Evolution: unknown tags are skipped, so new optional fields need no version change. Tags
 * with the high bit set (0x8000) are critical: a reader that does not know one refuses the
 * payload instead of silently dropping what it means. */
#include <stdlib.h>
#include <string.h>

#include "otpvault/mem.h"
#include "otpvault/sync.h"
#include "otpvault/vault.h"
#include "otpvault/vault_format.h"

#define PAYLOAD_VERSION 2u
#define PAYLOAD_VERSION_OLDEST 1u
#define MAX_MERGE_FROM 1024u
#define RECORD_HEAD 6u
#define TAG_CRITICAL 0x8000u

enum { T_END = 0x0000, T_FORMAT = 0x0001, T_LAST_BACKUP = 0x0002, T_LAST_DRILL = 0x0003,
       T_BACKUP_DIGEST = 0x0004, T_LAST_MERGE = 0x0005, T_ACCOUNT = 0x0010,
       T_TOMBSTONE = 0x0011 };
enum { A_TYPE = 0x01, A_ALGO, A_ISSUER, A_NAME, A_SECRET, A_PIN, A_DIGITS, A_PERIOD,
       A_COUNTER, A_GROUP, A_NOTE, A_CREATED, A_LAST_USED, A_ID, A_MODIFIED };

_Static_assert(OV_VAULT_HEADER_LEN == 64, "header layout above is 64 bytes");
_Static_assert(OV_KDF_DEFAULT_MEMORY_KIB >= 64u * 1024u, "default KDF memory below 64 MiB");

/* ---- little-endian helpers ---- */

static void le_put(uint8_t *p, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t le_get(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static int64_t to_i64(uint64_t u)
{
    return u > (uint64_t)INT64_MAX ? -(int64_t)(~u) - 1 : (int64_t)u;
}

/* ---- header ---- */

void ov_vault_header_encode(const struct ov_vault_header *h, uint8_t *out)
{
    memset(out, 0, OV_VAULT_HEADER_LEN);
    memcpy(out, OV_VAULT_MAGIC, 8);
    le_put(out + 8, h->version, 2);
    out[10] = h->aead_id;
    out[11] = h->kdf_id;
    le_put(out + 12, h->kdf.memory_kib, 4);
    le_put(out + 16, h->kdf.time_cost, 4);
    le_put(out + 20, h->kdf.lanes, 4);
    memcpy(out + 24, h->salt, OV_VAULT_SALT_LEN);
    memcpy(out + 40, h->nonce, OV_VAULT_NONCE_LEN);
    le_put(out + 52, h->generation, 8);
}

int ov_vault_kdf_check(const struct ov_kdf_params *kdf, struct ov_error *err)
{
    if (kdf->memory_kib < OV_KDF_MIN_MEMORY_KIB || kdf->memory_kib > OV_KDF_MAX_MEMORY_KIB)
        return ov_error_set(err, OV_ERR_INVALID, "Argon2id memory %u KiB is outside %u..%u",
                            kdf->memory_kib, OV_KDF_MIN_MEMORY_KIB, OV_KDF_MAX_MEMORY_KIB);
    if (kdf->time_cost < 1 || kdf->time_cost > OV_KDF_MAX_TIME)
        return ov_error_set(err, OV_ERR_INVALID, "Argon2id time %u is outside 1..%u",
                            kdf->time_cost, OV_KDF_MAX_TIME);
    if (kdf->lanes < 1 || kdf->lanes > OV_KDF_MAX_LANES)
        return ov_error_set(err, OV_ERR_INVALID, "Argon2id lanes %u is outside 1..%u",
                            kdf->lanes, OV_KDF_MAX_LANES);
    if (kdf->memory_kib < 8u * kdf->lanes)
        return ov_error_set(err, OV_ERR_INVALID,
                            "Argon2id memory %u KiB is less than 8 KiB per lane (%u lanes)",
                            kdf->memory_kib, kdf->lanes);
    return OV_OK;
}

int ov_vault_header_decode(const uint8_t *file, size_t len, struct ov_vault_header *h,
                           struct ov_error *err)
{
    struct ov_vault_header out;

    if (len < OV_VAULT_HEADER_LEN + OV_VAULT_TAG_LEN)
        return ov_error_set(err, OV_ERR_AUTH, "%zu bytes is too short for a vault", len);
    if (memcmp(file, OV_VAULT_MAGIC, 8) != 0)
        return ov_error_set(err, OV_ERR_AUTH, "not an otpvault file (bad magic)");
    out.version = (uint16_t)le_get(file + 8, 2);
    out.aead_id = file[10];
    out.kdf_id = file[11];
    if (out.version != OV_VAULT_FORMAT_VERSION)
        return ov_error_set(err, OV_ERR_AUTH, "format version %u (this otpvault reads %u)",
                            out.version, OV_VAULT_FORMAT_VERSION);
    if (out.aead_id != OV_VAULT_AEAD_AES256GCM)
        return ov_error_set(err, OV_ERR_AUTH, "unknown cipher id %u", out.aead_id);
    if (out.kdf_id != OV_VAULT_KDF_ARGON2ID)
        return ov_error_set(err, OV_ERR_AUTH, "unknown KDF id %u", out.kdf_id);
    out.kdf.memory_kib = (uint32_t)le_get(file + 12, 4);
    out.kdf.time_cost = (uint32_t)le_get(file + 16, 4);
    out.kdf.lanes = (uint32_t)le_get(file + 20, 4);
    if (ov_vault_kdf_check(&out.kdf, err) != OV_OK) {
        if (err != NULL)
            err->code = OV_ERR_AUTH; /* keep the message naming the value */
        return OV_ERR_AUTH;
    }
    memcpy(out.salt, file + 24, OV_VAULT_SALT_LEN);
    memcpy(out.nonce, file + 40, OV_VAULT_NONCE_LEN);
    out.generation = le_get(file + 52, 8);
    if (le_get(file + 60, 4) != 0)
        return ov_error_set(err, OV_ERR_AUTH, "reserved header bytes are not zero");
    *h = out;
    return OV_OK;
}

/* ---- payload writer: a NULL buffer only counts, so sizes come from the same code ---- */

struct writer {
    uint8_t *p;
    size_t pos;
};

static void put(struct writer *w, const void *data, size_t n)
{
    if (w->p != NULL && n > 0)
        memcpy(w->p + w->pos, data, n);
    w->pos += n;
}

static void put_head(struct writer *w, unsigned tag, size_t len)
{
    uint8_t head[RECORD_HEAD];
    le_put(head, tag, 2);
    le_put(head + 2, len, 4);
    put(w, head, sizeof head);
}

static void put_bytes_rec(struct writer *w, unsigned tag, const void *data, size_t n)
{
    put_head(w, tag, n);
    put(w, data, n);
}

static void put_int_rec(struct writer *w, unsigned tag, uint64_t v, size_t n)
{
    uint8_t buf[8];
    le_put(buf, v, n);
    put_bytes_rec(w, tag, buf, n);
}

static void put_text_rec(struct writer *w, unsigned tag, const char *s)
{
    if (s != NULL)
        put_bytes_rec(w, tag, s, strlen(s));
}

static void put_account_fields(struct writer *w, const struct ov_account *a)
{
    put_int_rec(w, A_TYPE, (uint64_t)a->type, 1);
    put_int_rec(w, A_ALGO, (uint64_t)a->algo, 1);
    put_text_rec(w, A_ISSUER, a->issuer);
    put_text_rec(w, A_NAME, a->name);
    put_bytes_rec(w, A_SECRET, a->secret, a->secret_len);
    put_text_rec(w, A_PIN, a->pin);
    put_int_rec(w, A_DIGITS, a->digits, 1);
    put_int_rec(w, A_PERIOD, a->period, 4);
    put_int_rec(w, A_COUNTER, a->counter, 8);
    put_text_rec(w, A_GROUP, a->group);
    put_text_rec(w, A_NOTE, a->note);
    put_int_rec(w, A_CREATED, (uint64_t)a->created, 8);
    put_int_rec(w, A_LAST_USED, (uint64_t)a->last_used, 8);
    if (!ov_account_id_none(a->id))
        put_bytes_rec(w, A_ID, a->id, OV_ACCOUNT_ID_LEN);
    put_int_rec(w, A_MODIFIED, (uint64_t)a->modified, 8);
}

static void put_payload(struct writer *w, const struct ov_vault *v)
{
    put_int_rec(w, T_FORMAT, PAYLOAD_VERSION, 2);
    put_int_rec(w, T_LAST_BACKUP, (uint64_t)v->last_backup, 8);
    put_int_rec(w, T_LAST_DRILL, (uint64_t)v->last_drill, 8);
    if (v->has_backup_digest)
        put_bytes_rec(w, T_BACKUP_DIGEST, v->backup_digest, sizeof v->backup_digest);
    for (size_t i = 0; i < v->accounts.len; i++) {
        struct writer sizer = { NULL, 0 };
        put_account_fields(&sizer, &v->accounts.items[i]);
        put_head(w, T_ACCOUNT, sizer.pos);
        put_account_fields(w, &v->accounts.items[i]);
    }
    for (size_t i = 0; i < v->ntombstones; i++) {
        uint8_t rec[OV_ACCOUNT_ID_LEN + 16];
        memcpy(rec, v->tombstones[i].id, OV_ACCOUNT_ID_LEN);
        le_put(rec + OV_ACCOUNT_ID_LEN, (uint64_t)v->tombstones[i].deleted, 8);
        le_put(rec + OV_ACCOUNT_ID_LEN + 8, v->tombstones[i].counter, 8);
        put_bytes_rec(w, T_TOMBSTONE, rec, sizeof rec);
    }
    if (v->last_merge != 0 || v->last_merge_from != NULL) {
        const char *from = v->last_merge_from != NULL ? v->last_merge_from : "";
        size_t n = strlen(from) < MAX_MERGE_FROM ? strlen(from) : MAX_MERGE_FROM;
        uint8_t when[8];
        le_put(when, (uint64_t)v->last_merge, 8);
        put_head(w, T_LAST_MERGE, 8 + n);
        put(w, when, 8);
        put(w, from, n);
    }
    put_head(w, T_END, 0);
}

static int check_text(const char *s, size_t max, const char *field, size_t index,
                      struct ov_error *err)
{
    if (s != NULL && strlen(s) > max)
        return ov_error_set(err, OV_ERR_LIMIT, "account %zu: %s is %zu bytes, more than %zu",
                            index + 1, field, strlen(s), max);
    return OV_OK;
}

/* Refuses to write anything the reader would refuse: a saved vault must always open. */
static int check_writable(const struct ov_vault *v, struct ov_error *err)
{
    if (v->accounts.len > OV_VAULT_MAX_ACCOUNTS)
        return ov_error_set(err, OV_ERR_LIMIT, "%zu accounts, more than %u",
                            v->accounts.len, OV_VAULT_MAX_ACCOUNTS);
    if (v->ntombstones > OV_SYNC_MAX_TOMBSTONES)
        return ov_error_set(err, OV_ERR_LIMIT, "%zu deleted accounts remembered, more than %u",
                            v->ntombstones, OV_SYNC_MAX_TOMBSTONES);
    for (size_t i = 0; i < v->accounts.len; i++) {
        const struct ov_account *a = &v->accounts.items[i];
        if (ov_account_validate(a, err) != OV_OK) {
            ov_error_prefix(err, "account %zu (%s)", i + 1, a->name != NULL ? a->name : "");
            return OV_ERR_INVALID;
        }
        if (check_text(a->issuer, OV_VAULT_MAX_TEXT, "issuer", i, err) != OV_OK ||
            check_text(a->name, OV_VAULT_MAX_TEXT, "name", i, err) != OV_OK ||
            check_text(a->group, OV_VAULT_MAX_TEXT, "group", i, err) != OV_OK ||
            check_text(a->note, OV_VAULT_MAX_TEXT, "note", i, err) != OV_OK ||
            check_text(a->pin, OV_VAULT_MAX_PIN, "PIN", i, err) != OV_OK)
            return OV_ERR_LIMIT;
    }
    return OV_OK;
}

int ov_vault_serialize(const struct ov_vault *v, uint8_t **buf, size_t *len,
                       struct ov_error *err)
{
    struct writer sizer = { NULL, 0 };
    struct writer w;
    int rc = check_writable(v, err);

    if (rc != OV_OK)
        return rc;
    put_payload(&sizer, v);
    if (sizer.pos > OV_VAULT_MAX_FILE - OV_VAULT_HEADER_LEN - OV_VAULT_TAG_LEN)
        return ov_error_set(err, OV_ERR_LIMIT, "the accounts take %zu bytes, more than a "
                            "vault may hold", sizer.pos);
    w.p = ov_secure_alloc(sizer.pos);
    w.pos = 0;
    put_payload(&w, v);
    *buf = w.p;
    *len = w.pos;
    return OV_OK;
}

/* ---- payload reader ---- */

struct reader {
    const uint8_t *p;
    size_t len;
    size_t pos;
};

struct record {
    unsigned tag;
    const uint8_t *val;
    size_t len;
    size_t offset; /* of the record head, for messages */
};

/* 1: a record was read; 0: end of input; negative: malformed. */
static int next_record(struct reader *r, struct record *rec, struct ov_error *err)
{
    size_t left = r->len - r->pos;
    uint32_t vlen;

    if (left == 0)
        return 0;
    if (left < RECORD_HEAD)
        return ov_error_set(err, OV_ERR_INVALID, "truncated record at offset %zu", r->pos);
    rec->tag = (unsigned)le_get(r->p + r->pos, 2);
    vlen = (uint32_t)le_get(r->p + r->pos + 2, 4);
    if (vlen > left - RECORD_HEAD)
        return ov_error_set(err, OV_ERR_INVALID,
                            "record 0x%04x at offset %zu claims %u bytes, %zu are left",
                            rec->tag, r->pos, vlen, left - RECORD_HEAD);
    rec->offset = r->pos;
    rec->val = r->p + r->pos + RECORD_HEAD;
    rec->len = vlen;
    r->pos += RECORD_HEAD + vlen;
    return 1;
}

static int want_len(const struct record *rec, size_t n, struct ov_error *err)
{
    if (rec->len != n)
        return ov_error_set(err, OV_ERR_INVALID, "field 0x%04x is %zu bytes, expected %zu",
                            rec->tag, rec->len, n);
    return OV_OK;
}

static int skip_unknown(const struct record *rec, struct ov_error *err)
{
    if (rec->tag & TAG_CRITICAL)
        return ov_error_set(err, OV_ERR_UNSUPPORTED,
                            "field 0x%04x is required but not known to this otpvault "
                            "(written by a newer version?)", rec->tag);
    return OV_OK;
}

static int read_text(const struct record *rec, size_t max, bool secure, char **out,
                     struct ov_error *err)
{
    char *s;

    if (rec->len > max)
        return ov_error_set(err, OV_ERR_INVALID, "field 0x%04x is %zu bytes, more than %zu",
                            rec->tag, rec->len, max);
    if (memchr(rec->val, '\0', rec->len) != NULL)
        return ov_error_set(err, OV_ERR_INVALID, "field 0x%04x contains a NUL byte",
                            rec->tag);
    s = secure ? ov_secure_strndup((const char *)rec->val, rec->len)
               : ov_xstrndup((const char *)rec->val, rec->len);
    if (secure)
        ov_secure_free_str(*out);
    else
        free(*out);
    *out = s;
    return OV_OK;
}

static int read_account_field(const struct record *rec, struct ov_account *a,
                              struct ov_error *err)
{
    int rc = OV_OK;

    switch (rec->tag) {
    case A_TYPE:
        if ((rc = want_len(rec, 1, err)) == OV_OK)
            a->type = (enum ov_otp_type)rec->val[0];
        break;
    case A_ALGO:
        if ((rc = want_len(rec, 1, err)) == OV_OK)
            a->algo = (enum ov_algo)rec->val[0];
        break;
    case A_ISSUER: rc = read_text(rec, OV_VAULT_MAX_TEXT, false, &a->issuer, err); break;
    case A_NAME: rc = read_text(rec, OV_VAULT_MAX_TEXT, false, &a->name, err); break;
    case A_GROUP: rc = read_text(rec, OV_VAULT_MAX_TEXT, false, &a->group, err); break;
    case A_NOTE: rc = read_text(rec, OV_VAULT_MAX_TEXT, false, &a->note, err); break;
    case A_PIN: rc = read_text(rec, OV_VAULT_MAX_PIN, true, &a->pin, err); break;
    case A_SECRET:
        if (rec->len == 0 || rec->len > OV_SECRET_MAX)
            rc = ov_error_set(err, OV_ERR_INVALID, "secret of %zu bytes", rec->len);
        else
            ov_account_set_secret(a, rec->val, rec->len);
        break;
    case A_DIGITS:
        if ((rc = want_len(rec, 1, err)) == OV_OK)
            a->digits = rec->val[0];
        break;
    case A_PERIOD:
        if ((rc = want_len(rec, 4, err)) == OV_OK)
            a->period = (unsigned)le_get(rec->val, 4);
        break;
    case A_COUNTER:
        if ((rc = want_len(rec, 8, err)) == OV_OK)
            a->counter = le_get(rec->val, 8);
        break;
    case A_CREATED:
        if ((rc = want_len(rec, 8, err)) == OV_OK)
            a->created = to_i64(le_get(rec->val, 8));
        break;
    case A_LAST_USED:
        if ((rc = want_len(rec, 8, err)) == OV_OK)
            a->last_used = to_i64(le_get(rec->val, 8));
        break;
    case A_ID:
        if ((rc = want_len(rec, OV_ACCOUNT_ID_LEN, err)) == OV_OK)
            memcpy(a->id, rec->val, OV_ACCOUNT_ID_LEN);
        break;
    case A_MODIFIED:
        if ((rc = want_len(rec, 8, err)) == OV_OK)
            a->modified = to_i64(le_get(rec->val, 8));
        break;
    default:
        rc = skip_unknown(rec, err);
    }
    return rc;
}

static int read_account(const struct record *outer, struct ov_account *a,
                        struct ov_error *err)
{
    struct reader r = { outer->val, outer->len, 0 };
    struct record rec;
    uint32_t seen = 0;
    int rc;

    ov_account_init(a);
    while ((rc = next_record(&r, &rec, err)) == 1) {
        if (rec.tag >= A_TYPE && rec.tag <= A_MODIFIED) {
            if (seen & (1u << rec.tag)) {
                rc = ov_error_set(err, OV_ERR_INVALID, "field 0x%04x appears twice",
                                  rec.tag);
                break;
            }
            seen |= 1u << rec.tag;
        }
        if ((rc = read_account_field(&rec, a, err)) != OV_OK)
            break;
    }
    if (rc == 0)
        rc = ov_account_validate(a, err);
    if (rc != OV_OK)
        ov_account_free(a);
    return rc;
}

static int read_i64_once(const struct record *rec, bool *seen, int64_t *out,
                         struct ov_error *err)
{
    if (*seen)
        return ov_error_set(err, OV_ERR_INVALID, "record 0x%04x appears twice", rec->tag);
    *seen = true;
    if (want_len(rec, 8, err) != OV_OK)
        return OV_ERR_INVALID;
    *out = to_i64(le_get(rec->val, 8));
    return OV_OK;
}

static int read_digest_once(const struct record *rec, bool *seen, uint8_t *out, size_t n,
                            struct ov_error *err)
{
    if (*seen)
        return ov_error_set(err, OV_ERR_INVALID, "record 0x%04x appears twice", rec->tag);
    *seen = true;
    if (want_len(rec, n, err) != OV_OK)
        return OV_ERR_INVALID;
    memcpy(out, rec->val, n);
    return OV_OK;
}

struct merge_note {
    int64_t when;
    char *from;
    bool seen;
};

static int read_merge_note(const struct record *rec, struct merge_note *m, struct ov_error *err)
{
    if (m->seen)
        return ov_error_set(err, OV_ERR_INVALID, "record 0x%04x appears twice", rec->tag);
    m->seen = true;
    if (rec->len < 8 || rec->len > 8 + MAX_MERGE_FROM)
        return ov_error_set(err, OV_ERR_INVALID, "record 0x%04x is %zu bytes, expected 8 to %u",
                            rec->tag, rec->len, 8 + MAX_MERGE_FROM);
    if (memchr(rec->val + 8, '\0', rec->len - 8) != NULL)
        return ov_error_set(err, OV_ERR_INVALID, "record 0x%04x contains a NUL byte", rec->tag);
    m->when = to_i64(le_get(rec->val, 8));
    m->from = ov_xstrndup((const char *)rec->val + 8, rec->len - 8);
    return OV_OK;
}

struct tombstones {
    struct ov_tombstone *items;
    size_t len;
};

static int read_tombstone(const struct record *rec, struct tombstones *t, struct ov_error *err)
{
    struct ov_tombstone *dst;

    if (want_len(rec, OV_ACCOUNT_ID_LEN + 16, err) != OV_OK)
        return OV_ERR_INVALID;
    if (t->len == OV_SYNC_MAX_TOMBSTONES)
        return ov_error_set(err, OV_ERR_LIMIT, "more than %u tombstones", OV_SYNC_MAX_TOMBSTONES);
    t->items = ov_xrealloc(t->items, (t->len + 1) * sizeof *t->items);
    dst = &t->items[t->len++];
    memcpy(dst->id, rec->val, OV_ACCOUNT_ID_LEN);
    dst->deleted = to_i64(le_get(rec->val + OV_ACCOUNT_ID_LEN, 8));
    dst->counter = le_get(rec->val + OV_ACCOUNT_ID_LEN + 8, 8);
    return OV_OK;
}

static int tombstone_cmp(const void *a, const void *b)
{
    return ov_account_id_cmp(((const struct ov_tombstone *)a)->id,
                             ((const struct ov_tombstone *)b)->id);
}

static int read_format(struct reader *r, unsigned *version_out, struct ov_error *err)
{
    struct record rec;
    unsigned version;
    int rc = next_record(r, &rec, err);

    if (rc < 0)
        return rc;
    if (rc == 0 || rec.tag != T_FORMAT || rec.len != 2)
        return ov_error_set(err, OV_ERR_INVALID, "the contents do not start with a format "
                            "record");
    version = (unsigned)le_get(rec.val, 2);
    *version_out = version;
    if (version < PAYLOAD_VERSION_OLDEST || version > PAYLOAD_VERSION)
        return ov_error_set(err, version > PAYLOAD_VERSION ? OV_ERR_UNSUPPORTED
                                                           : OV_ERR_INVALID,
                            "contents format version %u (this otpvault reads %u to %u)",
                            version, PAYLOAD_VERSION_OLDEST, PAYLOAD_VERSION);
    return OV_OK;
}

/* Parses into locals and only then replaces v's accounts and dates: on failure v is
 * untouched. Malformed input is OV_ERR_INVALID (OV_ERR_UNSUPPORTED for a newer format); the
 * message gives the offset or the account number. */
int ov_vault_deserialize(const uint8_t *buf, size_t len, struct ov_vault *v,
                         struct ov_error *err)
{
    struct reader r = { buf, len, 0 };
    struct ov_account_list list;
    struct record rec;
    int64_t last_backup = 0, last_drill = 0;
    uint8_t digest[sizeof v->backup_digest];
    bool seen_backup = false, seen_drill = false, seen_digest = false, ended = false;
    struct merge_note merge = { 0, NULL, false };
    struct tombstones tombs = { NULL, 0 };
    unsigned version = 0;
    int rc;

    if (buf == NULL && len > 0)
        return ov_error_set(err, OV_ERR_INVALID, "no contents");
    rc = read_format(&r, &version, err);
    if (rc != OV_OK)
        return rc;
    ov_account_list_init(&list);
    while (!ended && (rc = next_record(&r, &rec, err)) == 1) {
        struct ov_account a;
        switch (rec.tag) {
        case T_END:
            ended = true;
            if (rec.len != 0 || r.pos != len)
                rc = ov_error_set(err, OV_ERR_INVALID, "data after the end marker at "
                                  "offset %zu", rec.offset);
            break;
        case T_FORMAT:
            rc = ov_error_set(err, OV_ERR_INVALID, "second format record at offset %zu",
                              rec.offset);
            break;
        case T_LAST_BACKUP: rc = read_i64_once(&rec, &seen_backup, &last_backup, err); break;
        case T_LAST_DRILL: rc = read_i64_once(&rec, &seen_drill, &last_drill, err); break;
        case T_BACKUP_DIGEST:
            rc = read_digest_once(&rec, &seen_digest, digest, sizeof digest, err);
            break;
        case T_LAST_MERGE: rc = read_merge_note(&rec, &merge, err); break;
        case T_TOMBSTONE: rc = read_tombstone(&rec, &tombs, err); break;
        case T_ACCOUNT:
            if (list.len == OV_VAULT_MAX_ACCOUNTS) {
                rc = ov_error_set(err, OV_ERR_LIMIT, "more than %u accounts",
                                  OV_VAULT_MAX_ACCOUNTS);
                break;
            }
            rc = read_account(&rec, &a, err);
            if (rc == OV_OK)
                ov_account_list_push(&list, &a);
            else
                ov_error_prefix(err, "account %zu", list.len + 1);
            break;
        default:
            rc = skip_unknown(&rec, err);
        }
        if (rc < 0)
            break;
    }
    if (rc >= 0 && !ended)
        rc = ov_error_set(err, OV_ERR_INVALID, "the contents end without an end marker "
                          "(truncated)");
    if (rc < 0) {
        ov_account_list_free(&list);
        free(merge.from);
        free(tombs.items);
        return rc;
    }
    (void)version;   /* format 1 and 2 read alike; 1 simply has no ids */
    ov_sync_legacy_ids(&list);
    ov_account_list_free(&v->accounts);
    ov_sync_free(v);
    v->accounts = list;
    v->tombstones = tombs.items;
    v->ntombstones = tombs.len;
    if (v->ntombstones > 1)
        qsort(v->tombstones, v->ntombstones, sizeof *v->tombstones, tombstone_cmp);
    v->last_merge = merge.when;
    v->last_merge_from = merge.from;
    ov_sync_mark_all(v);
    v->last_backup = last_backup;
    v->last_drill = last_drill;
    v->has_backup_digest = seen_digest;
    if (seen_digest)
        memcpy(v->backup_digest, digest, sizeof digest);
    else
        memset(v->backup_digest, 0, sizeof v->backup_digest);
    return OV_OK;
}
