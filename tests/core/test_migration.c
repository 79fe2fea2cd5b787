/* Google Authenticator migration payloads built by hand: every enum value, HOTP counters,
 * versions, batch fields, unknown fields of every wire type, the issuer/name rule, and
 * per-entry issues that do not stop the other entries. */
#include <criterion/criterion.h>
#include <gcrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/account.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/importer.h"
#include "otpvault/mem.h"
#include "otpvault/migration.h"

#include "tests/lib/migration_build.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(migration, .init = setup);

Test(migration, a_minimal_entry_gets_the_defaults)
{
    struct pb e, p = {0};
    struct decoded d;
    char b32[64];

    mig_entry(&e, "alice", NULL, NONE, NONE, NONE);
    pb_msg(&p, 1, &e);
    mig_decode(&p, &d);
    mig_expect_ok(&d, 1, 0);
    const struct ov_account *a = &d.list.items[0];
    cr_assert_eq(a->type, OV_TOTP);
    cr_assert_eq(a->algo, OV_SHA1);
    cr_assert_eq(a->digits, 6);
    cr_assert_eq(a->period, 30);
    cr_assert_eq(a->counter, 0);
    cr_assert_str_eq(a->issuer, "");
    cr_assert_str_eq(a->name, "alice");
    cr_assert(gcry_is_secure(a->secret), "the secret must be in secure memory");
    ov_base32_encode(a->secret, a->secret_len, b32);
    cr_assert_str_eq(b32, "JBSWY3DPEHPK3PXP");
    /* Missing batch fields are tolerated and read as 0. */
    cr_assert_eq(d.batch.version, 0);
    cr_assert_eq(d.batch.batch_size, 0);
    cr_assert_not(d.batch.has_batch_index);
    cr_assert_eq(d.batch.batch_id, 0);
    mig_decoded_free(&d);
}

Test(migration, every_algorithm_value)
{
    static const struct { int64_t wire; enum ov_algo algo; } ok[] = {
        { 0, OV_SHA1 }, { 1, OV_SHA1 }, { 2, OV_SHA256 }, { 3, OV_SHA512 }, { 4, OV_MD5 },
    };
    struct decoded d;

    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        mig_decode_one(ok[i].wire, 1, 2, &d);
        mig_expect_ok(&d, 1, 0);
        cr_assert_eq(d.list.items[0].algo, ok[i].algo, "algorithm %lld", (long long)ok[i].wire);
        mig_decoded_free(&d);
    }
    for (int64_t bad = 5; bad <= 300; bad += 295) {
        mig_decode_one(bad, 1, 2, &d);
        mig_expect_ok(&d, 0, 1);
        mig_expect_issue(&d, 0, 1, "unknown algorithm value");
        mig_decoded_free(&d);
    }
    mig_decode_one(-1, 1, 2, &d); /* negative enum: a 10-byte varint */
    mig_expect_ok(&d, 0, 1);
    mig_expect_issue(&d, 0, 1, "unknown algorithm value -1");
    mig_expect_issue(&d, 0, 1, "entry 1 (Example: alice)");
    mig_decoded_free(&d);
}

Test(migration, every_digits_value)
{
    static const struct { int64_t wire; unsigned digits; } ok[] = { { 0, 6 }, { 1, 6 },
                                                                    { 2, 8 } };
    struct decoded d;

    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        mig_decode_one(1, ok[i].wire, 2, &d);
        mig_expect_ok(&d, 1, 0);
        cr_assert_eq(d.list.items[0].digits, ok[i].digits);
        mig_decoded_free(&d);
    }
    /* Some schemas call digits an int32: a literal 6 or 8 is not what Google writes. */
    for (int64_t bad = 3; bad <= 8; bad += 5) {
        mig_decode_one(1, bad, 2, &d);
        mig_expect_ok(&d, 0, 1);
        mig_expect_issue(&d, 0, 1, "unknown digits value");
        mig_decoded_free(&d);
    }
}

Test(migration, every_type_value_and_the_hotp_counter)
{
    struct pb e, p;
    struct decoded d;

    mig_decode_one(1, 1, 0, &d);
    mig_expect_ok(&d, 1, 0);
    cr_assert_eq(d.list.items[0].type, OV_TOTP);
    cr_assert_eq(d.list.items[0].period, 30);
    mig_decoded_free(&d);
    mig_decode_one(1, 1, 2, &d);
    mig_expect_ok(&d, 1, 0);
    cr_assert_eq(d.list.items[0].type, OV_TOTP);
    mig_decoded_free(&d);
    mig_decode_one(1, 1, 3, &d);
    mig_expect_ok(&d, 0, 1);
    mig_expect_issue(&d, 0, 1, "unknown OTP type value 3");
    mig_decoded_free(&d);

    /* HOTP without a counter field: counter 0. */
    mig_decode_one(1, 1, 1, &d);
    mig_expect_ok(&d, 1, 0);
    cr_assert_eq(d.list.items[0].type, OV_HOTP);
    cr_assert_eq(d.list.items[0].counter, 0);
    mig_decoded_free(&d);

    /* HOTP counters: small, large (int64), and the counter field before the type field. */
    const uint64_t counters[] = { 10, 1ull << 40, (1ull << 63) - 1 };
    for (size_t i = 0; i < 3; i++) {
        memset(&e, 0, sizeof e);
        pb_uint(&e, 7, counters[i]);
        pb_bytes(&e, 1, mig_key10, 10);
        pb_uint(&e, 6, 1);
        mig_payload(&p, &e, 1);
        mig_decode(&p, &d);
        mig_expect_ok(&d, 1, 0);
        cr_assert_eq(d.list.items[0].type, OV_HOTP);
        cr_assert_eq(d.list.items[0].counter, counters[i]);
        mig_decoded_free(&d);
    }

    /* A counter on a TOTP entry means nothing and is dropped. */
    mig_entry(&e, "t", "", 1, 1, 2);
    pb_uint(&e, 7, 99);
    mig_payload(&p, &e, 1);
    mig_decode(&p, &d);
    mig_expect_ok(&d, 1, 0);
    cr_assert_eq(d.list.items[0].counter, 0);
    mig_decoded_free(&d);

    /* int64 -1 is not a counter. */
    mig_entry(&e, "h", "", 1, 1, 1);
    pb_uint(&e, 7, UINT64_MAX);
    mig_payload(&p, &e, 1);
    mig_decode(&p, &d);
    mig_expect_ok(&d, 0, 1);
    mig_expect_issue(&d, 0, 1, "negative");
    mig_decoded_free(&d);
}

Test(migration, versions_one_and_two_are_read_newer_ones_with_a_warning)
{
    struct pb e, p;
    struct decoded d;

    for (uint64_t v = 1; v <= 3; v++) {
        mig_entry(&e, "alice", "Example", 1, 1, 2);
        memset(&p, 0, sizeof p);
        pb_msg(&p, 1, &e);
        pb_uint(&p, 2, v);
        mig_decode(&p, &d);
        mig_expect_ok(&d, 1, v == 3 ? 1 : 0);
        cr_assert_eq(d.batch.version, (int32_t)v);
        if (v == 3)
            mig_expect_issue(&d, 0, 0, "version 3");
        mig_decoded_free(&d);
    }
}

Test(migration, batch_fields_and_a_negative_batch_id)
{
    struct pb e, p;
    struct decoded d;

    mig_entry(&e, "alice", "Example", 1, 1, 2);
    memset(&p, 0, sizeof p);
    /* Fields in an order no encoder uses: order must not matter. */
    pb_uint(&p, 5, (uint64_t)(int64_t)-1234567890); /* 10-byte sign-extended varint */
    pb_uint(&p, 4, 2);
    pb_msg(&p, 1, &e);
    pb_uint(&p, 3, 3);
    pb_uint(&p, 2, 1);
    pb_msg(&p, 1, &e);
    cr_assert_eq(p.b[0], 0x28);
    cr_assert_eq(p.b[10], 0x01, "the batch_id varint must be 10 bytes long");
    mig_decode(&p, &d);
    mig_expect_ok(&d, 2, 0);
    cr_assert_eq(d.batch.batch_id, -1234567890);
    cr_assert_eq(d.batch.batch_index, 2);
    cr_assert(d.batch.has_batch_index);
    cr_assert_eq(d.batch.batch_size, 3);
    cr_assert_eq(d.batch.version, 1);
    mig_decoded_free(&d);

    /* The same id written as a 5-byte uint32 varint: int32 truncation gives the same. */
    memset(&p, 0, sizeof p);
    pb_msg(&p, 1, &e);
    pb_uint(&p, 5, (uint32_t)-1234567890);
    pb_uint(&p, 4, 0);
    mig_decode(&p, &d);
    mig_expect_ok(&d, 1, 0);
    cr_assert_eq(d.batch.batch_id, -1234567890);
    cr_assert(d.batch.has_batch_index, "an explicit batch_index 0 counts as present");
    cr_assert_eq(d.batch.batch_index, 0);
    mig_decoded_free(&d);
}

/* Unknown fields of every wire type, at both levels, are skipped. */
static void add_unknown_fields(struct pb *m, uint64_t base)
{
    static const uint8_t eight[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    pb_uint(m, base, 12345);
    pb_tag(m, base + 1, 1);
    pb_raw(m, eight, 8);
    pb_str(m, base + 2, "some future field");
    pb_tag(m, base + 3, 5);
    pb_raw(m, eight, 4);
    pb_uint(m, 536870911, 1); /* the largest field number */
}

Test(migration, unknown_fields_of_every_wire_type_are_skipped)
{
    struct pb e, p = {0};
    struct decoded d;

    memset(&e, 0, sizeof e);
    add_unknown_fields(&e, 8);
    pb_bytes(&e, 1, mig_key10, 10);
    add_unknown_fields(&e, 100);
    pb_str(&e, 2, "alice");
    pb_str(&e, 3, "Example");
    pb_uint(&e, 4, 2);
    add_unknown_fields(&e, 20000);
    add_unknown_fields(&p, 6);
    pb_msg(&p, 1, &e);
    add_unknown_fields(&p, 1000);
    pb_uint(&p, 2, 1);
    mig_decode(&p, &d);
    mig_expect_ok(&d, 1, 0);
    cr_assert_str_eq(d.list.items[0].name, "alice");
    cr_assert_str_eq(d.list.items[0].issuer, "Example");
    cr_assert_eq(d.list.items[0].algo, OV_SHA256);
    cr_assert_eq(d.list.items[0].secret_len, 10);
    cr_assert_eq(d.batch.version, 1);
    mig_decoded_free(&d);
}

/* Deterministic mutations of a valid payload: whatever comes out, no crash, no leak, and an
 * error always says something. */
Test(migration, an_empty_secret_is_an_entry_error_and_the_rest_import)
{
    struct pb e[3], p;
    struct decoded d;

    mig_entry(&e[0], "one", "A", 1, 1, 2);
    memset(&e[1], 0, sizeof e[1]);
    pb_str(&e[1], 2, "two");
    pb_str(&e[1], 3, "B");
    mig_entry(&e[2], "three", "C", 1, 1, 2);
    mig_payload(&p, e, 3);
    mig_decode(&p, &d);
    mig_expect_ok(&d, 2, 1);
    mig_expect_issue(&d, 0, 2, "entry 2 (B: two): the secret is empty");
    mig_decoded_free(&d);

    /* A secret present but zero bytes long is just as empty. */
    memset(&e[1], 0, sizeof e[1]);
    pb_bytes(&e[1], 1, "", 0);
    mig_payload(&p, e, 3);
    mig_decode(&p, &d);
    mig_expect_ok(&d, 2, 1);
    mig_expect_issue(&d, 0, 2, "the secret is empty");
    mig_decoded_free(&d);

    /* Longer than any real key. */
    static uint8_t big[OV_SECRET_MAX + 1];
    memset(&e[1], 0, sizeof e[1]);
    pb_bytes(&e[1], 1, big, sizeof big);
    mig_payload(&p, e, 3);
    mig_decode(&p, &d);
    mig_expect_ok(&d, 2, 1);
    mig_expect_issue(&d, 0, 2, "more than");
    mig_decoded_free(&d);
}

Test(migration, several_bad_entries_are_each_reported_by_position)
{
    struct pb e[5], p;
    struct decoded d;

    mig_entry(&e[0], "ok1", "A", 1, 1, 2);
    mig_entry(&e[1], "badalgo", "B", 9, 1, 2);
    mig_entry(&e[2], "ok2", "C", 1, 1, 2);
    mig_entry(&e[3], "baddigits", "D", 1, 7, 2);
    mig_entry(&e[4], "badtype", "E", 1, 1, 5);
    mig_payload(&p, e, 5);
    mig_decode(&p, &d);
    mig_expect_ok(&d, 2, 3);
    mig_expect_issue(&d, 0, 2, "algorithm");
    mig_expect_issue(&d, 1, 4, "digits");
    mig_expect_issue(&d, 2, 5, "type");
    cr_assert_str_eq(d.list.items[0].name, "ok1");
    cr_assert_str_eq(d.list.items[1].name, "ok2");
    mig_decoded_free(&d);
}

Test(migration, the_last_of_repeated_fields_wins)
{
    struct pb e, p;
    struct decoded d;

    mig_entry(&e, "first", "Example", 1, 1, 2);
    pb_str(&e, 2, "second");
    pb_uint(&e, 4, 3);
    mig_payload(&p, &e, 1);
    mig_decode(&p, &d);
    mig_expect_ok(&d, 1, 0);
    cr_assert_str_eq(d.list.items[0].name, "second");
    cr_assert_eq(d.list.items[0].algo, OV_SHA512);
    mig_decoded_free(&d);
}

/* design.md 4.1 for fields that arrive separately. */
Test(migration, the_issuer_and_name_rule)
{
    static const struct { const char *name, *issuer, *want_issuer, *want_name; } cases[] = {
        { "Test1:test1@example1.com", "Test1", "Test1", "test1@example1.com" },
        { "Test1:  spaced", "Test1", "Test1", "spaced" },
        { "encoding: \xc2\xbf\xc3\xa4 (demo)", "", "encoding", "\xc2\xbf\xc3\xa4 (demo)" },
        { "Other:alice", "Example", "Example", "Other:alice" },
        { "test1:alice", "Test1", "Test1", "test1:alice" }, /* case is never changed */
        { "pi@raspberrypi", "raspberrypi", "raspberrypi", "pi@raspberrypi" },
        { "a:b:c", "", "a", "b:c" },
        { "", "Only issuer", "Only issuer", "" },
        { "Inner  spaces ", "", "", "Inner  spaces " },
    };
    struct decoded d;
    struct pb e, p;

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        mig_entry(&e, cases[i].name, cases[i].issuer, 1, 1, 2);
        mig_payload(&p, &e, 1);
        mig_decode(&p, &d);
        mig_expect_ok(&d, 1, 0);
        cr_assert_str_eq(d.list.items[0].issuer, cases[i].want_issuer, "case %zu", i);
        cr_assert_str_eq(d.list.items[0].name, cases[i].want_name, "case %zu", i);
        mig_decoded_free(&d);
    }
}

Test(migration, names_with_nul_or_invalid_utf8)
{
    struct pb e[2], p;
    struct decoded d;

    memset(&e[0], 0, sizeof e[0]);
    pb_bytes(&e[0], 1, mig_key10, 10);
    pb_bytes(&e[0], 2, "al\0ice", 6);
    mig_entry(&e[1], "bad \xff byte", "Caf\xc3", 1, 1, 2);
    mig_payload(&p, e, 2);
    mig_decode(&p, &d);
    /* NUL: the entry is lost. Invalid UTF-8: replaced, kept, and noted twice. */
    mig_expect_ok(&d, 1, 3);
    mig_expect_issue(&d, 0, 1, "the name contains a NUL byte");
    mig_expect_issue(&d, 1, 2, "the name is not valid UTF-8");
    mig_expect_issue(&d, 2, 2, "the issuer is not valid UTF-8");
    cr_assert_str_eq(d.list.items[0].name, "bad \xef\xbf\xbd byte");
    cr_assert_str_eq(d.list.items[0].issuer, "Caf\xef\xbf\xbd");
    mig_decoded_free(&d);
}

/* extract_otp_secrets' test_export_wrong_data.txt: data=XXXX. */
