/* The vault payload (tag-length-value records inside the ciphertext): round trip, unknown
 * and critical tags, strict bounds on garbage, truncation, duplicates and bad lengths. */
#include "otpvault/sync.h"
#include "otpvault/vault_format.h"
#include "tests/lib/vault_helpers.h"

TestSuite(vault_format, .init = vt_setup, .fini = vt_teardown);

/* A hand-built payload, to write what our serializer never would. */
struct tlv {
    uint8_t buf[OV_VAULT_MAX_TEXT + 1024];
    size_t len;
};

/* A record head only: the length may claim more than follows. */
static void tlv_head(struct tlv *t, unsigned tag, uint32_t n)
{
    cr_assert_leq(t->len + 6, sizeof t->buf);
    t->buf[t->len++] = (uint8_t)tag;
    t->buf[t->len++] = (uint8_t)(tag >> 8);
    for (int i = 0; i < 4; i++)
        t->buf[t->len++] = (uint8_t)(n >> (8 * i));
}

static void tlv_add(struct tlv *t, unsigned tag, const void *val, size_t n)
{
    cr_assert_leq(t->len + 6 + n, sizeof t->buf);
    tlv_head(t, tag, (uint32_t)n);
    memcpy(t->buf + t->len, val, n);
    t->len += n;
}

static void tlv_u(struct tlv *t, unsigned tag, uint64_t v, size_t n)
{
    uint8_t b[8];
    for (size_t i = 0; i < n; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    tlv_add(t, tag, b, n);
}

static void tlv_str(struct tlv *t, unsigned tag, const char *s)
{
    tlv_add(t, tag, s, strlen(s));
}

/* A minimal valid account record body. */
static void account_body(struct tlv *a)
{
    a->len = 0;
    tlv_u(a, 0x01, OV_TOTP, 1);
    tlv_str(a, 0x03, "Example");
    tlv_str(a, 0x04, "alice");
    tlv_str(a, 0x05, "12345678901234567890");
}

/* A vault struct that was only parsed: its accounts and what syncing keeps (sync.h). */
static void drop(struct ov_vault *v)
{
    ov_account_list_free(&v->accounts);
    ov_sync_free(v);
}

static int parse(const struct tlv *t, struct ov_vault *v, struct ov_error *err)
{
    return ov_vault_deserialize(t->buf, t->len, v, err);
}

Test(vault_format, serialize_round_trips)
{
    struct ov_vault v = { 0 }, w = { 0 };
    struct ov_error err = { 0 };
    uint8_t *buf;
    size_t len;

    for (unsigned i = 0; i < 25; i++) {
        struct ov_account a;
        vt_make_account(&a, i);
        ov_account_list_push(&v.accounts, &a);
    }
    v.last_backup = 42;
    v.last_drill = -42;
    cr_assert_eq(ov_vault_serialize(&v, &buf, &len, &err), 0, "%s", err.msg);
    cr_assert_eq(ov_vault_deserialize(buf, len, &w, &err), 0, "%s", err.msg);
    vt_assert_lists_eq(&v.accounts, &w.accounts);
    cr_assert_eq(w.last_backup, 42);
    cr_assert_eq(w.last_drill, -42);
    ov_secure_free(buf, len);
    drop(&v);
    drop(&w);
}

Test(vault_format, unknown_tags_are_skipped)
{
    static struct tlv t, a;
    struct ov_vault v = { 0 };
    struct ov_error err = { 0 };

    account_body(&a);
    tlv_str(&a, 0x0070, "a field from the future");
    tlv_u(&a, 0x7fff, 7, 8);
    tlv_u(&t, 0x0001, 1, 2);
    tlv_str(&t, 0x0100, "a top-level record from the future");
    tlv_add(&t, 0x0010, a.buf, a.len);
    tlv_add(&t, 0x0200, "", 0);
    tlv_u(&t, 0x0000, 0, 0);
    cr_assert_eq(parse(&t, &v, &err), 0, "%s", err.msg);
    cr_assert_eq(v.accounts.len, 1);
    cr_assert_str_eq(v.accounts.items[0].issuer, "Example");
    cr_assert_str_eq(v.accounts.items[0].name, "alice");
    cr_assert_eq(v.accounts.items[0].secret_len, 20);
    cr_assert_eq(v.accounts.items[0].digits, 6, "absent fields take the defaults");
    cr_assert_eq(v.accounts.items[0].period, 30);
    drop(&v);
}

Test(vault_format, unknown_critical_tags_are_refused)
{
    static struct tlv t, a;
    struct ov_vault v = { 0 };
    struct ov_error err = { 0 };

    account_body(&a);
    tlv_str(&a, 0x8001, "must be understood");
    tlv_u(&t, 0x0001, 1, 2);
    tlv_add(&t, 0x0010, a.buf, a.len);
    tlv_u(&t, 0x0000, 0, 0);
    cr_assert_eq(parse(&t, &v, &err), OV_ERR_UNSUPPORTED);
    cr_assert(strstr(err.msg, "0x8001") != NULL, "%s", err.msg);
    cr_assert_eq(v.accounts.len, 0);

    t.len = 0;
    tlv_u(&t, 0x0001, 3, 2);
    tlv_u(&t, 0x0000, 0, 0);
    cr_assert_eq(parse(&t, &v, &err), OV_ERR_UNSUPPORTED, "a newer payload version");
}

/* Each case is a complete payload with one defect; all must fail and load nothing. */
Test(vault_format, malformed_payloads_are_rejected)
{
    enum { NO_FORMAT, NO_END, AFTER_END, DUP_FIELD, BAD_INT_LEN, NUL_IN_TEXT, LONG_TEXT,
           LONG_PIN, INVALID_ACCOUNT, EMPTY_SECRET, DUP_FORMAT, DUP_DATE, BAD_DATE_LEN,
           LEN_OVERFLOW, NESTED_OVERFLOW, N_CASES };
    struct ov_vault v = { 0 };
    struct ov_error err = { 0 };
    struct tlv *a = malloc(sizeof *a), *t = malloc(sizeof *t);
    char *long_text = malloc(OV_VAULT_MAX_TEXT + 2);

    memset(long_text, 'x', OV_VAULT_MAX_TEXT + 1);
    long_text[OV_VAULT_MAX_TEXT + 1] = '\0';
    for (int c = 0; c < N_CASES; c++) {
        account_body(a);
        t->len = 0;
        if (c != NO_FORMAT)
            tlv_u(t, 0x0001, 1, 2);
        switch (c) {
        case DUP_FIELD: tlv_str(a, 0x04, "bob"); break;
        case BAD_INT_LEN: tlv_u(a, 0x08, 30, 2); break;
        case NUL_IN_TEXT: tlv_add(a, 0x0b, "a\0b", 3); break;
        case LONG_TEXT: tlv_str(a, 0x0b, long_text); break;
        case LONG_PIN: tlv_add(a, 0x06, long_text, OV_VAULT_MAX_PIN + 1); break;
        case INVALID_ACCOUNT: tlv_u(a, 0x07, 11, 1); break;
        case EMPTY_SECRET: a->len = 0; tlv_add(a, 0x05, "", 0); break;
        case DUP_FORMAT: tlv_u(t, 0x0001, 1, 2); break;
        case DUP_DATE: tlv_u(t, 0x0002, 1, 8); tlv_u(t, 0x0002, 2, 8); break;
        case BAD_DATE_LEN: tlv_u(t, 0x0003, 1, 4); break;
        case NESTED_OVERFLOW: tlv_head(a, 0x0b, 100); break; /* claims more than the account */
        default: break;
        }
        tlv_add(t, 0x0010, a->buf, a->len);
        if (c == LEN_OVERFLOW)
            tlv_head(t, 0x0100, UINT32_MAX);
        if (c != NO_END)
            tlv_u(t, 0x0000, 0, 0);
        if (c == AFTER_END)
            tlv_u(t, 0x0002, 5, 8);
        cr_assert_lt(parse(t, &v, &err), 0, "case %d was accepted", c);
        cr_assert_eq(v.accounts.len, 0, "case %d loaded accounts", c);
        cr_assert_neq(err.msg[0], '\0');
    }
    free(long_text);
    free(a);
    free(t);
}

Test(vault_format, every_truncated_payload_is_rejected)
{
    struct ov_vault v = { 0 }, w = { 0 };
    struct ov_error err = { 0 };
    uint8_t *buf;
    size_t len;

    for (unsigned i = 0; i < 5; i++) {
        struct ov_account a;
        vt_make_account(&a, i);
        ov_account_list_push(&v.accounts, &a);
    }
    cr_assert_eq(ov_vault_serialize(&v, &buf, &len, &err), 0, "%s", err.msg);
    for (size_t n = 0; n < len; n++) {
        /* A private copy of exactly n bytes, so ASan sees any read past the end. */
        uint8_t *cut = malloc(n + 1);
        memcpy(cut, buf, n);
        cr_assert_lt(ov_vault_deserialize(cut, n, &w, &err), 0, "accepted %zu of %zu bytes",
                     n, len);
        cr_assert_eq(w.accounts.len, 0);
        free(cut);
    }
    ov_secure_free(buf, len);
    drop(&v);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint8_t rng_byte(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint8_t)rng_state;
}

Test(vault_format, garbage_is_rejected_without_reading_past_the_end)
{
    struct ov_vault v = { 0 };
    struct ov_error err = { 0 };
    uint8_t *buf;
    size_t len;

    for (int round = 0; round < 2000; round++) {
        size_t n = (size_t)rng_byte() % 200;
        uint8_t *g = malloc(n + 1);
        for (size_t i = 0; i < n; i++)
            g[i] = rng_byte();
        /* Half the time, a valid start so the parser gets past the format record. */
        if (round % 2 == 0 && n >= 8)
            memcpy(g, "\x01\x00\x02\x00\x00\x00\x01\x00", 8);
        cr_assert_lt(ov_vault_deserialize(g, n, &v, &err), 0, "round %d accepted", round);
        free(g);
    }
    cr_assert_eq(v.accounts.len, 0);

    /* Mutations of a real payload: may parse or not, but never crash or overread. */
    for (unsigned i = 0; i < 3; i++) {
        struct ov_account a;
        vt_make_account(&a, i);
        ov_account_list_push(&v.accounts, &a);
    }
    cr_assert_eq(ov_vault_serialize(&v, &buf, &len, &err), 0, "%s", err.msg);
    drop(&v);
    for (int round = 0; round < 3000; round++) {
        struct ov_vault w = { 0 };
        uint8_t *m = malloc(len);
        memcpy(m, buf, len);
        for (int k = 0; k < 1 + round % 4; k++)
            m[((size_t)rng_byte() << 8 | rng_byte()) % len] = rng_byte();
        if (ov_vault_deserialize(m, len, &w, &err) == 0)
            for (size_t i = 0; i < w.accounts.len; i++)
                cr_assert_eq(ov_account_validate(&w.accounts.items[i], NULL), 0);
        drop(&w);
        free(m);
    }
    ov_secure_free(buf, len);
}

Test(vault_format, a_failed_parse_leaves_the_vault_as_it_was)
{
    struct ov_vault v = { 0 };
    struct ov_error err = { 0 };
    struct ov_account a;

    vt_make_account(&a, 1);
    ov_account_list_push(&v.accounts, &a);
    v.last_backup = 99;
    cr_assert_lt(ov_vault_deserialize((const uint8_t *)"junk", 4, &v, &err), 0);
    cr_assert_eq(v.accounts.len, 1);
    cr_assert_eq(v.last_backup, 99);
    drop(&v);
}

Test(vault_format, serializer_refuses_what_the_reader_would_refuse)
{
    struct ov_vault v = { 0 };
    struct ov_error err = { 0 };
    struct ov_account a;
    uint8_t *buf = NULL;
    size_t len = 0;
    char *note = malloc(OV_VAULT_MAX_TEXT + 2);

    vt_make_account(&a, 0);
    memset(note, 'n', OV_VAULT_MAX_TEXT + 1);
    note[OV_VAULT_MAX_TEXT + 1] = '\0';
    a.note = note;
    ov_account_list_push(&v.accounts, &a);
    cr_assert_eq(ov_vault_serialize(&v, &buf, &len, &err), OV_ERR_LIMIT);
    cr_assert(strstr(err.msg, "note") != NULL, "%s", err.msg);
    cr_assert_null(buf);
    note[OV_VAULT_MAX_TEXT] = '\0';
    cr_assert_eq(ov_vault_serialize(&v, &buf, &len, &err), 0, "%s", err.msg);
    ov_secure_free(buf, len);
    v.accounts.items[0].period = 0;
    cr_assert_eq(ov_vault_serialize(&v, &buf, &len, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "period") != NULL, "%s", err.msg);
    drop(&v);
}

/* A payload as otpvault wrote it before syncing (format 1: no ids, no tombstones) opens;
 * its accounts get ids from their content, the same every time, different for twins. */
Test(vault_format, format_1_payloads_open_with_derived_ids)
{
    static struct tlv t, a;
    struct ov_vault v = { 0 }, w = { 0 };
    struct ov_error err = { 0 };

    account_body(&a);
    tlv_u(&t, 0x0001, 1, 2);
    tlv_add(&t, 0x0010, a.buf, a.len);
    tlv_add(&t, 0x0010, a.buf, a.len);   /* the same account twice (add --force) */
    tlv_u(&t, 0x0000, 0, 0);
    cr_assert_eq(parse(&t, &v, &err), 0, "%s", err.msg);
    cr_assert_eq(parse(&t, &w, &err), 0, "%s", err.msg);
    cr_assert_eq(v.accounts.len, 2);
    cr_assert(!ov_account_id_none(v.accounts.items[0].id));
    cr_assert_eq(memcmp(v.accounts.items[0].id, w.accounts.items[0].id, OV_ACCOUNT_ID_LEN), 0,
                 "two old copies of one vault agree on the ids");
    cr_assert_neq(memcmp(v.accounts.items[0].id, v.accounts.items[1].id, OV_ACCOUNT_ID_LEN), 0);
    cr_assert_eq(v.accounts.items[0].modified, 0);
    cr_assert_eq(v.ntombstones, 0);
    drop(&v);
    drop(&w);
}

Test(vault_format, malformed_sync_records_are_rejected)
{
    static struct tlv t, a;
    struct ov_vault v = { 0 };
    struct ov_error err = { 0 };

    account_body(&a);
    tlv_add(&a, 0x0e, "short id", 8);
    tlv_u(&t, 0x0001, 2, 2);
    tlv_add(&t, 0x0010, a.buf, a.len);
    tlv_u(&t, 0x0000, 0, 0);
    cr_assert_eq(parse(&t, &v, &err), OV_ERR_INVALID, "an 8-byte id");
    t.len = 0;
    tlv_u(&t, 0x0001, 2, 2);
    tlv_add(&t, 0x0011, "0123456789abcdef0123456", 23);
    tlv_u(&t, 0x0000, 0, 0);
    cr_assert_eq(parse(&t, &v, &err), OV_ERR_INVALID, "a 23-byte tombstone");
    t.len = 0;
    tlv_u(&t, 0x0001, 2, 2);
    tlv_add(&t, 0x0005, "1234567", 7);
    tlv_u(&t, 0x0000, 0, 0);
    cr_assert_eq(parse(&t, &v, &err), OV_ERR_INVALID, "a merge note without its time");
    cr_assert_eq(v.accounts.len, 0);
}
