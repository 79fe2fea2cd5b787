/* Damaged migration payloads: wrong wire types, groups, lengths past the end, huge varints,
 * truncation at every byte, random mutations. Never a crash; a whole-payload problem is one
 * clear error and leaves nothing behind; a damaged entry costs only that entry. */
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

TestSuite(migration_damage, .init = setup);

Test(migration_damage, groups_and_invalid_wire_types_are_damage)
{
    struct pb e, p;
    struct decoded d;

    for (unsigned wire = 3; wire <= 7; wire++) {
        if (wire == 5)
            continue;
        mig_entry(&e, "alice", "Example", 1, 1, 2);
        mig_payload(&p, &e, 1);
        size_t at = p.n;
        pb_tag(&p, 9, wire);
        pb_raw(&p, "\0\0\0\0\0\0\0\0", 8);
        mig_decode(&p, &d);
        char want[64];
        snprintf(want, sizeof want, "damaged at byte %zu", at + 1);
        mig_expect_damaged(&d, want);
        mig_expect_damaged(&d, wire <= 4 ? "group" : "invalid wire type");
        mig_decoded_free(&d);
    }
    /* Field number 0 does not exist. */
    memset(&p, 0, sizeof p);
    pb_uint(&p, 0, 1);
    mig_decode(&p, &d);
    mig_expect_damaged(&d, "damaged at byte 1: invalid field number 0");
    mig_decoded_free(&d);
}

Test(migration_damage, a_group_inside_an_entry_costs_only_that_entry)
{
    struct pb e[3], p;
    struct decoded d;

    mig_entry(&e[0], "one", "A", 1, 1, 2);
    mig_entry(&e[1], "two", "B", 1, 1, 2);
    pb_tag(&e[1], 15, 3);
    mig_entry(&e[2], "three", "C", 1, 1, 2);
    mig_payload(&p, e, 3);
    mig_decode(&p, &d);
    mig_expect_ok(&d, 2, 1);
    mig_expect_issue(&d, 0, 2, "entry 2: damaged at byte");
    mig_expect_issue(&d, 0, 2, "group");
    cr_assert_str_eq(d.list.items[0].name, "one");
    cr_assert_str_eq(d.list.items[1].name, "three");
    mig_decoded_free(&d);
}

Test(migration_damage, lengths_past_the_end)
{
    struct pb e[2], p;
    struct decoded d;

    /* The outer length claims more than there is. */
    memset(&p, 0, sizeof p);
    pb_tag(&p, 1, 2);
    pb_varint(&p, 200);
    pb_raw(&p, "\x0a\x01x", 3);
    mig_decode(&p, &d);
    mig_expect_damaged(&d, "damaged at byte 1: field 1 says 200 bytes follow, but only 3 remain");
    mig_decoded_free(&d);

    /* A length beyond any buffer (2^63) must not wrap. */
    memset(&p, 0, sizeof p);
    pb_tag(&p, 3, 2);
    pb_varint(&p, 1ull << 63);
    mig_decode(&p, &d);
    mig_expect_damaged(&d, "damaged at byte 1");
    mig_decoded_free(&d);

    /* Inside an entry: the secret's length runs past the entry (though not past the
     * payload). Only that entry is lost. */
    memset(&e[0], 0, sizeof e[0]);
    pb_tag(&e[0], 1, 2);
    pb_varint(&e[0], 30);
    pb_raw(&e[0], "short", 5);
    mig_entry(&e[1], "fine", "B", 1, 1, 2);
    mig_payload(&p, e, 2);
    mig_decode(&p, &d);
    mig_expect_ok(&d, 1, 1);
    mig_expect_issue(&d, 0, 1, "damaged at byte 3: field 1 says 30 bytes follow, but only 5 remain");
    cr_assert_str_eq(d.list.items[0].name, "fine");
    mig_decoded_free(&d);

    /* Fixed-width values cut short. */
    memset(&p, 0, sizeof p);
    pb_tag(&p, 9, 1);
    pb_raw(&p, "1234", 4);
    mig_decode(&p, &d);
    mig_expect_damaged(&d, "field 9 needs 8 bytes, only 4 remain");
    mig_decoded_free(&d);
}

Test(migration_damage, huge_varints)
{
    struct pb e, p;
    struct decoded d;

    /* 11 bytes: not protobuf. */
    mig_entry(&e, "alice", "Example", 1, 1, 2);
    mig_payload(&p, &e, 1);
    size_t at = p.n;
    pb_tag(&p, 5, 0);
    pb_raw(&p, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11);
    mig_decode(&p, &d);
    char want[80];
    snprintf(want, sizeof want, "damaged at byte %zu: a number is longer than", at + 2);
    mig_expect_damaged(&d, want);
    mig_decoded_free(&d);

    /* 10 bytes with junk in the top bits of the last: accepted, truncated to int32. */
    mig_payload(&p, &e, 1);
    pb_tag(&p, 5, 0);
    pb_raw(&p, "\xfe\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 10);
    mig_decode(&p, &d);
    mig_expect_ok(&d, 1, 0);
    cr_assert_eq(d.batch.batch_id, -2);
    mig_decoded_free(&d);

    /* A varint cut off by the end of the data. */
    mig_payload(&p, &e, 1);
    pb_tag(&p, 5, 0);
    pb_raw(&p, "\xff\xff", 2);
    mig_decode(&p, &d);
    mig_expect_damaged(&d, "a number runs past the end of the data");
    mig_decoded_free(&d);

    /* A tag beyond the largest field number. */
    memset(&p, 0, sizeof p);
    pb_varint(&p, (1ull << 32) << 3);
    mig_decode(&p, &d);
    mig_expect_damaged(&d, "invalid field number");
    mig_decoded_free(&d);
}

Test(migration_damage, truncated_at_every_byte_never_crashes)
{
    struct pb e[3], p, cut;
    struct decoded d;

    mig_entry(&e[0], "Example:alice", "Example", 2, 2, 2);
    mig_entry(&e[1], "bob", "", 3, 1, 1);
    pb_uint(&e[1], 7, 300);
    mig_entry(&e[2], "Ünïcødé", "Ïssuer", 4, 1, 2);
    mig_payload(&p, e, 3);
    pb_uint(&p, 5, (uint64_t)(int64_t)-5);
    mig_decode(&p, &d);
    mig_expect_ok(&d, 3, 0);
    mig_decoded_free(&d);
    for (size_t n = 0; n < p.n; n++) {
        memcpy(&cut, &p, sizeof cut);
        cut.n = n;
        mig_decode(&cut, &d);
        if (d.rc == OV_OK) {
            /* Cut at a field boundary after at least one entry: a shorter valid payload. */
            cr_assert_leq(d.list.len, 3);
        } else {
            cr_assert(strstr(d.err.msg, "the migration data is damaged at byte ") != NULL ||
                          strstr(d.err.msg, "the migration data is empty") != NULL ||
                          strstr(d.err.msg, "holds no accounts") != NULL,
                      "cut at %zu: unclear message \"%s\"", n, d.err.msg);
            cr_assert_eq(d.list.len, 0);
            cr_assert_eq(d.issues.nissues, 0);
        }
        mig_decoded_free(&d);
    }
}

Test(migration_damage, random_damage_never_crashes)
{
    struct pb e[2], p, m;
    struct decoded d;
    uint32_t state = 12345;

    mig_entry(&e[0], "alice", "Example", 1, 1, 2);
    mig_entry(&e[1], "bob", "Other", 2, 2, 1);
    pb_uint(&e[1], 7, 7);
    mig_payload(&p, e, 2);
    for (int round = 0; round < 5000; round++) {
        memcpy(&m, &p, sizeof m);
        for (int k = 0; k < 1 + round % 4; k++) {
            state = state * 1103515245u + 12345u;
            m.b[(state >> 8) % m.n] = (uint8_t)(state >> 20);
        }
        mig_decode(&m, &d);
        if (d.rc != OV_OK)
            cr_assert_neq(d.err.msg[0], '\0');
        for (size_t i = 0; i < d.list.len; i++)
            cr_assert_gt(d.list.items[i].secret_len, 0);
        mig_decoded_free(&d);
    }
}

Test(migration_damage, a_known_field_with_the_wrong_wire_type)
{
    struct pb e[2], p;
    struct decoded d;

    memset(&e[0], 0, sizeof e[0]);
    pb_bytes(&e[0], 1, mig_key10, 10);
    pb_str(&e[0], 4, "SHA256"); /* algorithm as a string */
    mig_entry(&e[1], "fine", "B", 1, 1, 2);
    mig_payload(&p, e, 2);
    mig_decode(&p, &d);
    mig_expect_ok(&d, 1, 1);
    mig_expect_issue(&d, 0, 1, "field 4 (algorithm) is a length-delimited field, expected a number");
    mig_decoded_free(&d);

    memset(&p, 0, sizeof p);
    pb_uint(&p, 1, 5);
    mig_decode(&p, &d);
    mig_expect_damaged(&d, "field 1 (an account) is a number");
    mig_decoded_free(&d);

    memset(&p, 0, sizeof p);
    pb_msg(&p, 1, &e[1]);
    pb_str(&p, 2, "1");
    mig_decode(&p, &d);
    mig_expect_damaged(&d, "field 2 (version)");
    mig_decoded_free(&d);
}

Test(migration_damage, empty_and_account_less_payloads)
{
    struct pb p = {0};
    struct decoded d;

    mig_decode(&p, &d);
    mig_expect_damaged(&d, "the migration data is empty");
    mig_decoded_free(&d);
    pb_uint(&p, 2, 1);
    pb_uint(&p, 3, 1);
    mig_decode(&p, &d);
    mig_expect_damaged(&d, "the migration data holds no accounts");
    mig_decoded_free(&d);
}

Test(migration_damage, three_bytes_of_base64_junk)
{
    struct ov_account_list l;
    struct ov_error err = {0};
    int rc;

    ov_account_list_init(&l);
    rc = ov_migration_parse_uri("otpauth-migration://offline?data=XXXX", &l, NULL, NULL, &err);
    cr_assert_eq(rc, OV_ERR_INVALID);
    cr_assert_str_eq(err.msg, "the migration data is damaged at byte 1: field 11 needs 4 "
                              "bytes, only 2 remain");
    ov_account_list_free(&l);
}

Test(migration_damage, a_failure_leaves_the_callers_list_and_issues_alone)
{
    struct ov_account_list l;
    struct ov_import_opts issues = {0};
    struct ov_migration_batch batch;
    struct ov_account a;
    struct ov_error err = {0};
    struct pb e[2], p;

    ov_account_list_init(&l);
    ov_account_init(&a);
    ov_account_list_push(&l, &a);
    ov_import_issue_add(&issues, 7, "an earlier issue");
    mig_entry(&e[0], "bad", "A", 9, 1, 2); /* an entry issue ... */
    mig_entry(&e[1], "good", "B", 1, 1, 2);
    mig_payload(&p, e, 2);
    pb_raw(&p, "\x2a\x05", 2); /* ... then damage */
    cr_assert_eq(ov_migration_decode(p.b, p.n, &l, &batch, &issues, &err), OV_ERR_INVALID);
    cr_assert_eq(l.len, 1);
    cr_assert_eq(issues.nissues, 1);
    cr_assert_str_eq(issues.issues[0].message, "an earlier issue");
    cr_assert_eq(batch.version, 0);
    /* And a NULL issue list is allowed. */
    p.n -= 2;
    cr_assert_eq(ov_migration_decode(p.b, p.n, &l, NULL, NULL, &err), OV_OK);
    cr_assert_eq(l.len, 2);
    ov_account_list_free(&l);
    ov_import_opts_free(&issues);
}

Test(migration_damage, oversized_payloads_are_refused)
{
    size_t n = OV_MIGRATION_MAX_PAYLOAD + 1;
    uint8_t *big = calloc(n, 1);
    struct ov_account_list l;
    struct ov_error err = {0};

    ov_account_list_init(&l);
    cr_assert_eq(ov_migration_decode(big, n, &l, NULL, NULL, &err), OV_ERR_LIMIT);
    cr_assert(strstr(err.msg, "more than") != NULL);
    free(big);
    ov_account_list_free(&l);
}
