/* otpauth-migration:// URIs both ways: robust data= decoding ('+', '%2B', ' ', padding,
 * URL-safe Base64, other parameters), error messages, encoding round trips over several
 * batches, and refusing accounts the format cannot carry. */
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

static void setup(void) { ov_crypto_init(); }

TestSuite(migration_uri, .init = setup);

/* The synthetic vector (gauth-migration-synthetic): its Base64 holds '+' and '/'. */
#define SYNTH_B64 "CiUKEOSScPDSHzZchAj4tHXFJnwSBU1hc29uGgREZW5vIAEoATACCigKEMOcxF7S6ZvozC+hS2VO3WcSBUphbWVzGgVJc3N1dSABKAEwATgBEAEYASAAKK76p7P7/////wE="

static void uri_data_ok(const char *uri, uint8_t **data, size_t *len)
{
    struct ov_error err = {0};
    int rc = ov_migration_uri_data(uri, data, len, &err);
    cr_assert_eq(rc, OV_OK, "%s: %s", uri, err.msg);
    cr_assert(gcry_is_secure(*data), "the payload must be in secure memory");
}

static void uri_data_fails(const char *uri, const char *want)
{
    struct ov_error err = {0};
    uint8_t *data = (uint8_t *)"x";
    size_t len = 1;
    int rc = ov_migration_uri_data(uri, &data, &len, &err);

    cr_assert_neq(rc, OV_OK, "%s should fail", uri);
    cr_assert_null(data);
    cr_assert_eq(len, 0);
    cr_assert(strstr(err.msg, want) != NULL, "%s: message \"%s\" lacks \"%s\"", uri, err.msg,
              want);
}

/* Replaces every '+' in SYNTH_B64 with plus, every '/' with slash, and '=' with pad. */
static void synth_variant(char *out, size_t out_size, const char *prefix, const char *plus,
                          const char *slash, const char *pad)
{
    size_t n = (size_t)snprintf(out, out_size, "%s", prefix);
    for (const char *c = SYNTH_B64; *c != '\0'; c++) {
        const char *rep = *c == '+' ? plus : *c == '/' ? slash : *c == '=' ? pad : NULL;
        if (rep != NULL)
            n += (size_t)snprintf(out + n, out_size - n, "%s", rep);
        else
            out[n++] = *c;
        out[n] = '\0';
    }
}

Test(migration_uri, plus_percent_2b_and_space_all_mean_plus)
{
    static const char *const pluses[] = { "+", "%2B", "%2b", " ", "%20" };
    static const char *const slashes[] = { "/", "%2F" };
    static const char *const pads[] = { "=", "%3D", "" };
    uint8_t *ref, *data;
    size_t ref_len, len;
    char uri[512];

    synth_variant(uri, sizeof uri, "otpauth-migration://offline?data=", "%2B", "%2F", "%3D");
    uri_data_ok(uri, &ref, &ref_len);
    cr_assert_eq(ref_len, 98);
    for (size_t i = 0; i < 5; i++)
        for (size_t j = 0; j < 2; j++)
            for (size_t k = 0; k < 3; k++) {
                synth_variant(uri, sizeof uri, "otpauth-migration://offline?data=", pluses[i],
                              slashes[j], pads[k]);
                uri_data_ok(uri, &data, &len);
                cr_assert_eq(len, ref_len, "%s", uri);
                cr_assert_eq(memcmp(data, ref, len), 0, "%s", uri);
                ov_secure_free(data, len);
            }
    /* URL-safe Base64 as well. */
    synth_variant(uri, sizeof uri, "otpauth-migration://offline?data=", "-", "_", "");
    uri_data_ok(uri, &data, &len);
    cr_assert_eq(len, ref_len);
    cr_assert_eq(memcmp(data, ref, len), 0);
    ov_secure_free(data, len);
    ov_secure_free(ref, ref_len);
}

Test(migration_uri, scheme_case_white_space_bom_and_other_parameters)
{
    static const char *const uris[] = {
        "OTPAUTH-MIGRATION://OFFLINE?data=" SYNTH_B64,
        "Otpauth-Migration://offline?DATA=" SYNTH_B64,
        "\xEF\xBB\xBF  otpauth-migration://offline?data=" SYNTH_B64 " \r\n",
        "otpauth-migration://offline?foo=bar&data=" SYNTH_B64 "&x=%ZZ",
        "otpauth-migration://offline?data=" SYNTH_B64 "&data=AAAA",
        "otpauth-migration://offline?data=" SYNTH_B64 "#fragment",
        "otpauth-migration://offline?data=CiUKEOSScPDSHzZchAj4tHXFJnwSBU1hc29uGgREZW5vIAEoATAC\n"
        "CigKEMOcxF7S6ZvozC+hS2VO3WcSBUphbWVzGgVJc3N1dSABKAEwATgBEAEYASAAKK76p7P7/////wE=",
    };
    for (size_t i = 0; i < sizeof uris / sizeof *uris; i++) {
        struct ov_account_list l;
        struct ov_migration_batch b;
        struct ov_error err = {0};
        ov_account_list_init(&l);
        cr_assert_eq(ov_migration_parse_uri(uris[i], &l, &b, NULL, &err), OV_OK, "%zu: %s", i,
                     err.msg);
        cr_assert_eq(l.len, 2, "%zu", i);
        cr_assert_str_eq(l.items[0].issuer, "Deno");
        cr_assert_str_eq(l.items[1].name, "James");
        cr_assert_eq(b.batch_id, -1234567890);
        ov_account_list_free(&l);
    }
}

Test(migration_uri, errors_name_what_was_wrong)
{
    uri_data_fails("otpauth://totp/x?secret=AAAA", "not an otpauth-migration:// URI");
    uri_data_fails("otpauth-migration://offline", "has no data= parameter");
    uri_data_fails("otpauth-migration://offline?secret=abc", "has no data= parameter");
    uri_data_fails("otpauth-migration://offline?metadata=abc", "has no data= parameter");
    uri_data_fails("otpauth-migration://offline?data=", "empty data= parameter");
    uri_data_fails("otpauth-migration://offline?data=&x=1", "empty data= parameter");
    uri_data_fails("otpauth-migration://offline?data=%3D%3D", "empty data= parameter");
    uri_data_fails("otpauth-migration://offline?data=ABC!DEFG",
                   "data= is not valid Base64 at position 4 ('!')");
    /* Positions count the value as written: "%2B" is three characters. */
    uri_data_fails("otpauth-migration://offline?data=%2BAB*DEFG",
                   "data= is not valid Base64 at position 6 ('*')");
    uri_data_fails("otpauth-migration://offline?data=AB==CDEF",
                   "data= is not valid Base64 at position 5 ('C' after '=' padding)");
    uri_data_fails("otpauth-migration://offline?data=AB%ZZ",
                   "data= is not valid: invalid percent escape '%ZZ' at position 3");
    uri_data_fails("otpauth-migration://offline?data=AB%00CD",
                   "data= is not valid Base64 at position 3 ('\\x00')");
    uri_data_fails("otpauth-migration://offline?data=ABCDE", "data= is not valid Base64");
    uri_data_fails("otpauth-migration://offline?data=ABC===", "data= is not valid Base64");
}

/* ---- encoding ------------------------------------------------------------------------ */

static void make_account(struct ov_account *a, enum ov_otp_type type, enum ov_algo algo,
                         unsigned digits, uint64_t counter, const char *issuer,
                         const char *name, uint8_t seed)
{
    uint8_t key[20];
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (uint8_t)(seed * 31 + i * 7);
    ov_account_init(a);
    a->type = type;
    a->algo = algo;
    a->digits = digits;
    a->counter = type == OV_HOTP ? counter : 0;
    ov_account_set_text(&a->issuer, issuer);
    ov_account_set_text(&a->name, name);
    ov_account_set_secret(a, key, (size_t)(10 + seed % 11));
}

static void expect_same_account(const struct ov_account *got, const struct ov_account *want)
{
    cr_assert_eq(got->type, want->type);
    cr_assert_eq(got->algo, want->algo);
    cr_assert_eq(got->digits, want->digits);
    cr_assert_eq(got->period, 30);
    cr_assert_eq(got->counter, want->counter);
    cr_assert_str_eq(got->issuer, want->issuer);
    cr_assert_str_eq(got->name, want->name);
    cr_assert_eq(got->secret_len, want->secret_len);
    cr_assert_eq(memcmp(got->secret, want->secret, got->secret_len), 0);
    cr_assert(gcry_is_secure(got->secret));
}

Test(migration_uri, every_carried_setting_round_trips)
{
    static const enum ov_algo algos[] = { OV_SHA1, OV_SHA256, OV_SHA512, OV_MD5 };
    struct ov_account acc[16];
    struct ov_migration_batch in = { 2, 3, 1, true, -7 }, out;
    struct ov_account_list l;
    struct ov_error err = {0};
    size_t n = 0;
    char *uri;

    for (size_t i = 0; i < 4; i++) {
        make_account(&acc[n], OV_TOTP, algos[i], 6, 0, "Example", "alice@example.com",
                     (uint8_t)n);
        n++;
        make_account(&acc[n], OV_HOTP, algos[i], 8, i == 0 ? 0 : 1ull << (20 * i), "",
                     "Ünïcødé name", (uint8_t)n);
        n++;
    }
    make_account(&acc[n], OV_TOTP, OV_SHA1, 8, 0, "Only issuer", "", 40);
    n++;
    cr_assert_eq(ov_migration_encode_uri(acc, n, &in, &uri, &err), OV_OK, "%s", err.msg);
    cr_assert(gcry_is_secure(uri), "the URI holds the secrets: secure memory");
    cr_assert_eq(strncmp(uri, "otpauth-migration://offline?data=", 33), 0);
    cr_assert_eq(strspn(uri + 33, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                  "0123456789%"), strlen(uri + 33),
                 "data= must be percent-encoded standard Base64: %s", uri);
    ov_account_list_init(&l);
    cr_assert_eq(ov_migration_parse_uri(uri, &l, &out, NULL, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(l.len, n);
    for (size_t i = 0; i < n; i++)
        expect_same_account(&l.items[i], &acc[i]);
    cr_assert_eq(out.version, 2);
    cr_assert_eq(out.batch_size, 3);
    cr_assert_eq(out.batch_index, 1);
    cr_assert(out.has_batch_index);
    cr_assert_eq(out.batch_id, -7);
    ov_secure_free_str(uri);
    ov_account_list_free(&l);
    for (size_t i = 0; i < n; i++)
        ov_account_free(&acc[i]);
}

Test(migration_uri, the_payload_bytes_are_what_google_writes)
{
    struct ov_account a;
    struct ov_migration_batch b = { 1, 1, 0, true, 0 };
    struct ov_error err = {0};
    uint8_t *out;
    size_t len;
    /* Lengths worked out by hand from formats.md 2.1: entry, then version, size, index
     * (written even when 0), and no batch_id when it is 0. */
    static const uint8_t want[] = {
        0x0a, 0x18, 0x0a, 0x0a, 'H', 'e', 'l', 'l', 'o', '!', 0xde, 0xad, 0xbe, 0xef,
        0x12, 0x01, 'a', 0x1a, 0x01, 'B', 0x20, 0x01, 0x28, 0x01, 0x30, 0x02,
        0x10, 0x01, 0x18, 0x01, 0x20, 0x00,
    };

    ov_account_init(&a);
    ov_account_set_text(&a.issuer, "B");
    ov_account_set_text(&a.name, "a");
    ov_account_set_secret(&a, (const uint8_t *)"Hello!\xde\xad\xbe\xef", 10);
    cr_assert_eq(ov_migration_encode(&a, 1, &b, &out, &len, &err), OV_OK, "%s", err.msg);
    cr_assert(gcry_is_secure(out));
    cr_assert_eq(len, sizeof want);
    cr_assert_eq(memcmp(out, want, len), 0);
    ov_secure_free(out, len);

    /* A negative batch_id takes ten bytes; a NULL batch means one QR with a random id. */
    b.batch_id = -1;
    cr_assert_eq(ov_migration_encode(&a, 1, &b, &out, &len, &err), OV_OK);
    cr_assert_eq(len, sizeof want + 11);
    cr_assert_eq(out[sizeof want], 0x28);
    cr_assert_eq(out[len - 1], 0x01);
    ov_secure_free(out, len);
    cr_assert_eq(ov_migration_encode(&a, 1, NULL, &out, &len, &err), OV_OK);
    struct ov_account_list l;
    struct ov_migration_batch got;
    ov_account_list_init(&l);
    cr_assert_eq(ov_migration_decode(out, len, &l, &got, NULL, &err), OV_OK);
    cr_assert_eq(got.version, 1);
    cr_assert_eq(got.batch_size, 1);
    cr_assert_eq(got.batch_index, 0);
    cr_assert(got.has_batch_index);
    cr_assert_neq(got.batch_id, 0);
    ov_secure_free(out, len);
    ov_account_list_free(&l);
    ov_account_free(&a);
}

Test(migration_uri, several_batches_of_up_to_ten_round_trip)
{
    static const size_t totals[] = { 1, 10, 11, 25, 30 };

    for (size_t t = 0; t < sizeof totals / sizeof *totals; t++) {
        size_t n = totals[t], count;
        struct ov_account *acc = calloc(n, sizeof *acc);
        struct ov_error err = {0};
        int32_t id = 0;
        char **uris;

        for (size_t i = 0; i < n; i++) {
            char name[32];
            snprintf(name, sizeof name, "user%zu", i);
            make_account(&acc[i], i % 3 == 0 ? OV_HOTP : OV_TOTP, (enum ov_algo)(i % 4),
                         i % 2 ? 8 : 6, i, i % 5 ? "Issuer" : "", name, (uint8_t)i);
        }
        cr_assert_eq(ov_migration_encode_uris(acc, n, 0, &uris, &count, &err), OV_OK, "%s",
                     err.msg);
        cr_assert_eq(count, (n + 9) / 10);
        for (size_t q = 0; q < count; q++) {
            struct ov_account_list l;
            struct ov_migration_batch b;
            ov_account_list_init(&l);
            cr_assert(gcry_is_secure(uris[q]));
            cr_assert_eq(ov_migration_parse_uri(uris[q], &l, &b, NULL, &err), OV_OK, "%s",
                         err.msg);
            cr_assert_eq(b.batch_size, (int32_t)count);
            cr_assert_eq(b.batch_index, (int32_t)q);
            cr_assert_eq(b.version, 1);
            if (q == 0)
                id = b.batch_id;
            cr_assert_neq(b.batch_id, 0);
            cr_assert_eq(b.batch_id, id, "one batch_id across the batch");
            cr_assert_eq(l.len, q + 1 < count ? 10 : n - 10 * q);
            for (size_t i = 0; i < l.len; i++)
                expect_same_account(&l.items[i], &acc[10 * q + i]);
            ov_account_list_free(&l);
        }
        ov_migration_uris_free(uris, count);
        for (size_t i = 0; i < n; i++)
            ov_account_free(&acc[i]);
        free(acc);
    }
}

Test(migration_uri, smaller_batches_on_request)
{
    struct ov_account acc[7];
    struct ov_error err = {0};
    char **uris;
    size_t count;

    for (size_t i = 0; i < 7; i++)
        make_account(&acc[i], OV_TOTP, OV_SHA1, 6, 0, "I", "n", (uint8_t)i);
    cr_assert_eq(ov_migration_encode_uris(acc, 7, 3, &uris, &count, &err), OV_OK);
    cr_assert_eq(count, 3);
    ov_migration_uris_free(uris, count);
    for (size_t i = 0; i < 7; i++)
        ov_account_free(&acc[i]);
}

static void encode_refused(struct ov_account *a, const char *want)
{
    struct ov_account ok[2];
    struct ov_error err = {0};
    char *uri = (char *)"x";
    char **uris = (char **)&uri;
    size_t count = 5;

    make_account(&ok[0], OV_TOTP, OV_SHA1, 6, 0, "Fine", "one", 1);
    ov_account_copy(&ok[1], a);
    cr_assert_eq(ov_migration_check_account(a, &err), OV_ERR_UNSUPPORTED);
    cr_assert(strstr(err.msg, want) != NULL, "message \"%s\" lacks \"%s\"", err.msg, want);
    memset(&err, 0, sizeof err);
    cr_assert_eq(ov_migration_encode_uri(ok, 2, NULL, &uri, &err), OV_ERR_UNSUPPORTED);
    cr_assert_null(uri);
    cr_assert(strstr(err.msg, want) != NULL, "message \"%s\" lacks \"%s\"", err.msg, want);
    cr_assert_eq(ov_migration_encode_uris(ok, 2, 1, &uris, &count, &err), OV_ERR_UNSUPPORTED);
    cr_assert_null(uris);
    cr_assert_eq(count, 0);
    ov_account_free(&ok[0]);
    ov_account_free(&ok[1]);
    ov_account_free(a);
}

Test(migration_uri, accounts_the_format_cannot_carry_are_named)
{
    struct ov_account a;

    make_account(&a, OV_TOTP, OV_SHA1, 6, 0, "GitHub", "alice", 1);
    a.period = 60;
    encode_refused(&a, "GitHub: alice: a 60-second period cannot be moved");
    make_account(&a, OV_TOTP, OV_SHA256, 7, 0, "Bank", "bob", 1);
    encode_refused(&a, "Bank: bob: 7-digit codes");
    make_account(&a, OV_STEAM, OV_SHA1, 5, 0, "Steam", "gamer", 1);
    encode_refused(&a, "Steam: gamer: steam accounts cannot be moved");
    make_account(&a, OV_MOTP, OV_MD5, 6, 0, "", "motp-user", 1);
    a.period = 10;
    encode_refused(&a, "motp-user: motp accounts");
    make_account(&a, OV_YANDEX, OV_SHA256, 8, 0, "Yandex", "", 1);
    encode_refused(&a, "Yandex: yandex accounts");
    make_account(&a, OV_TOTP, OV_SHA1, 6, 0, "Empty", "key", 1);
    ov_secure_free(a.secret, a.secret_len);
    a.secret = NULL;
    a.secret_len = 0;
    encode_refused(&a, "Empty: key: the secret is empty");
    make_account(&a, OV_HOTP, OV_SHA1, 6, UINT64_MAX, "Big", "counter", 1);
    encode_refused(&a, "too large");
}

Test(migration_uri, inconsistent_batch_fields_are_refused)
{
    struct ov_account a;
    struct ov_migration_batch b = { 1, 2, 2, true, 5 };
    struct ov_error err = {0};
    uint8_t *out;
    size_t len;

    make_account(&a, OV_TOTP, OV_SHA1, 6, 0, "I", "n", 1);
    cr_assert_eq(ov_migration_encode(&a, 1, &b, &out, &len, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "batch index 2") != NULL, "%s", err.msg);
    cr_assert_eq(ov_migration_encode(&a, 0, NULL, &out, &len, &err), OV_ERR_INVALID);
    ov_account_free(&a);
}
