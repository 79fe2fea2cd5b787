/* What the fuzzers in tests/fuzz (and the hostile-input probes of issue 7) found, each kept
 * as the input that showed it, stored here as a C array or generated: once fixed, it stays
 * fixed. Every test names the target and the invariant that broke. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/account.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/import.h"
#include "otpvault/mem.h"
#include "otpvault/migration.h"
#include "otpvault/qr_payload.h"
#include "otpvault/uri.h"

static void setup(void)
{
    cr_assert_eq(ov_crypto_init(), 0);
}

TestSuite(fuzz_found, .init = setup, .timeout = 60);

/* format -> parse must give the account back (fuzz_uri's invariant). */
static void assert_round_trips(const struct ov_account *a)
{
    struct ov_account back;
    struct ov_error err = { 0 };
    char *uri = ov_uri_format(a);

    cr_assert_eq(ov_uri_parse(uri, &back, NULL, 0, &err), OV_OK, "%s: %s", uri, err.msg);
    cr_assert_str_eq(back.issuer, a->issuer, "%s", uri);
    cr_assert_str_eq(back.name, a->name, "%s", uri);
    cr_assert_eq(back.secret_len, a->secret_len);
    cr_assert_eq(memcmp(back.secret, a->secret, a->secret_len), 0);
    ov_account_free(&back);
    ov_secure_free_str(uri);
}

/* fuzz_uri, crash-18dcbdd8: the label ":al attpauth://totp/Example:a position ..." reads as
 * no issuer and a name holding colons. ov_uri_format wrote the name alone, which read back
 * split at its first colon: an export or a copied URI changed the account. Fixed by writing
 * the empty issuer's colon in front. */
Test(fuzz_found, uri_name_with_a_colon_and_no_issuer_round_trips)
{
    static const uint8_t input[] = {
        0x6f, 0x74, 0x70, 0x61, 0x75, 0x74, 0x68, 0x3a, 0x2f, 0x2f, 0x74, 0x6f, 0x74, 0x70,
        0x2f, 0x3a, 0x61, 0x6c, 0x20, 0x61, 0x74, 0x74, 0x70, 0x61, 0x75, 0x74, 0x68, 0x3a,
        0x2f, 0x2f, 0x74, 0x6f, 0x74, 0x70, 0x2f, 0x45, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65,
        0x3a, 0x61, 0x20, 0x70, 0x6f, 0x73, 0x69, 0x74, 0x69, 0x6f, 0x6e, 0x20, 0x69, 0x63,
        0x65, 0x40, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x63, 0x6f, 0x27, 0x3f,
        0x73, 0x65, 0x63, 0x72, 0x65, 0x74, 0x3d, 0x4a, 0x62, 0x53, 0x57, 0x59, 0x33, 0x44,
        0x50, 0x45, 0x48, 0x50, 0x4b, 0x33, 0x50, 0x58, 0x50, 0x26, 0x69, 0x73, 0x73, 0x75,
        0x3d, 0x72, 0x3d, 0x45, 0x78, 0x61, 0x61, 0x6c, 0x67, 0x00, 0x00, 0x00, 0xf2, 0x6f,
        0x72, 0x69, 0x6d, 0x70, 0x6c, 0x65,
    };
    struct ov_account a;
    struct ov_error err = { 0 };
    char *text = malloc(sizeof input + 1);

    memcpy(text, input, sizeof input);
    text[sizeof input] = '\0';
    cr_assert_eq(ov_uri_parse(text, &a, NULL, 0, &err), OV_OK, "%s", err.msg);
    cr_assert_str_eq(a.issuer, "");
    cr_assert_str_eq(a.name, "al attpauth://totp/Example:a position ice@example.co'");
    assert_round_trips(&a);
    ov_account_free(&a);

    /* The same by hand, with the colon percent-encoded in the original. */
    cr_assert_eq(ov_uri_parse("otpauth://totp/%3AWork%3Aalice?secret=JBSWY3DP", &a, NULL, 0,
                              &err), OV_OK, "%s", err.msg);
    cr_assert_str_eq(a.name, "Work:alice");
    assert_round_trips(&a);
    ov_account_free(&a);
    free(text);
}

/* fuzz_uri, CI rehearsal of issue 7: issuer "Steam" with digits=000...05. The Steam
 * heuristic compared the text "5", so the account read as TOTP with 5 digits; its formatted
 * URI says digits=5 and read back as Steam: the type changed in a round trip. The heuristic
 * now reads digits and period by value, as the parameters themselves are read. */
Test(fuzz_found, steam_heuristic_reads_digits_by_value)
{
    static const char input_b64[] =
        "b3RwYXV0aDovL3RvdHAvU3RlYW06c24BAj9wYXV0aDovL3RvdHAvU3RlYW06c24BAj////8mZGlnaXRzPTAw"
        "MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw"
        "MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDUmc2VjciBhdCBwb3NpdGlv"
        "biAmc2VjcmV0PTRW";
    struct ov_account a, back;
    struct ov_error err = { 0 };
    uint8_t *raw;
    size_t raw_len;
    char *text, *uri;

    raw = malloc(ov_base64_decoded_max(strlen(input_b64)));
    cr_assert_eq(ov_base64_decode(input_b64, strlen(input_b64), raw, &raw_len, &err), OV_OK);
    text = malloc(raw_len + 1);
    memcpy(text, raw, raw_len);
    text[raw_len] = '\0';
    cr_assert_eq(ov_uri_parse(text, &a, NULL, 0, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(a.type, OV_STEAM, "digits=000...05 is 5: a Steam account");
    uri = ov_uri_format(&a);
    cr_assert_eq(ov_uri_parse(uri, &back, NULL, 0, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(back.type, a.type, "%s", uri);
    cr_assert_eq(back.digits, a.digits, "%s", uri);
    assert_round_trips(&a);
    ov_account_free(&back);
    ov_account_free(&a);
    ov_secure_free_str(uri);

    /* Period by value too; and a contradicting value still keeps plain TOTP both ways. */
    cr_assert_eq(ov_uri_parse("otpauth://totp/Steam:me?secret=JBSWY3DP&period=030", &a, NULL,
                              0, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(a.type, OV_STEAM);
    ov_account_free(&a);
    cr_assert_eq(ov_uri_parse("otpauth://totp/Steam:me?secret=JBSWY3DP&digits=06", &a, NULL,
                              0, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(a.type, OV_TOTP);
    cr_assert_eq(a.digits, 6);
    uri = ov_uri_format(&a);
    cr_assert_eq(ov_uri_parse(uri, &back, NULL, 0, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(back.type, OV_TOTP, "%s", uri);
    ov_account_free(&back);
    ov_account_free(&a);
    ov_secure_free_str(uri);
    free(raw);
    free(text);
}

/* A text of n bytes: prefix, then filler up to n, NUL-terminated. */
static char *long_text(const char *prefix, char filler, size_t n)
{
    size_t p = strlen(prefix);
    char *s = malloc(n + 1);
    memcpy(s, prefix, p);
    memset(s + p, filler, n - p);
    s[n] = '\0';
    return s;
}

/* Probe of issue 7: one 17 MB line in a URI list (or one huge QR payload) was copied whole
 * into secure memory, which cannot hand out a block beyond its 16 MiB pool and aborted the
 * program ("out of secure memory"). Now each parser refuses before copying. */
Test(fuzz_found, huge_uris_are_refused_before_any_copy)
{
    struct ov_account_list l;
    struct ov_account a;
    struct ov_error err = { 0 };
    uint8_t *data;
    size_t len;
    char *uri = long_text("otpauth://totp/a?secret=", 'A', 17u * 1000u * 1000u);

    ov_account_list_init(&l);
    cr_assert_eq(ov_qr_payload_parse(uri, strlen(uri), &l, NULL, NULL, &err), OV_ERR_LIMIT);
    cr_assert(strstr(err.msg, "17000000 bytes long") != NULL, "%s", err.msg);
    cr_assert_eq(l.len, 0);
    uri[OV_URI_MAX + 1] = '\0';
    cr_assert_eq(ov_uri_parse(uri, &a, NULL, 0, &err), OV_ERR_LIMIT);
    cr_assert(strstr(err.msg, "more than the 1048576 this program reads") != NULL, "%s",
              err.msg);
    ov_account_free(&a);
    free(uri);

    uri = long_text("otpauth-migration://offline?data=", 'A', 30u * 1000u * 1000u);
    cr_assert_eq(ov_qr_payload_parse(uri, strlen(uri), &l, NULL, NULL, &err), OV_ERR_LIMIT);
    uri[5u * 1000u * 1000u] = '\0';
    cr_assert_eq(ov_migration_uri_data(uri, &data, &len, &err), OV_ERR_LIMIT);
    cr_assert(strstr(err.msg, "data= is 4999967 characters long") != NULL, "%s", err.msg);
    cr_assert_null(data);
    free(uri);
}

/* The same through the import pipeline, as `otpvault import list.txt` runs it: the long
 * line is a per-line failure with a clear message, and the good line still imports. */
Test(fuzz_found, a_huge_line_in_a_uri_list_fails_alone)
{
    const char *good = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP\n";
    size_t n = 17u * 1000u * 1000u, glen = strlen(good);
    char *text = long_text("otpauth://totp/a?secret=", 'B', n);
    struct ov_import_options opts = { 0 };
    struct ov_import_report r;
    struct ov_blob in;
    bool said = false;

    text = realloc(text, n + glen + 2);
    text[n] = '\n';
    memcpy(text + n + 1, good, glen + 1);
    in = (struct ov_blob){ (const uint8_t *)text, n + 1 + glen, "list.txt" };
    cr_assert_eq(ov_import_run(&in, 1, &opts, NULL, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 1);
    cr_assert_eq(r.entries_failed, 1);
    for (size_t i = 0; i < r.nnotes; i++)
        said |= strncmp(r.notes[i].text, "list.txt: line 1: ", 18) == 0 &&
                strstr(r.notes[i].text, " long") != NULL;
    cr_assert(said, "no note names the long line");
    ov_import_report_free(&r);
    free(text);
}

/* fuzz_import, timeout-f0d67fb6: one migration QR text whose batch_size is 2^29 - 1 (the
 * varint at its end). Checking the batch for completeness allocated 512 MiB and wrote one
 * 512-byte note per missing code: minutes, then out of memory. Now a batch larger than any
 * export is refused with one note, and missing codes past the fifth are counted. */
Test(fuzz_found, a_qr_code_claiming_a_batch_of_half_a_billion_codes)
{
    static const char input[] =
        "otpauth-migration://offline?data=CiUKEOSScPDSHzZchAj4tHXFJnwSBU1hc29uGgREZW5vIAEoATAC"
        "CigKEMOcxF7S6ZvozC%2BhS2VO3WcSBUphbWVzGgVJc3N1dSABKAEwATgBEAEY%2F%2F%2F%2F%2FwE%3D\n";
    struct ov_blob in = { (const uint8_t *)input, sizeof input - 1, "crafted.txt" };
    struct ov_import_options opts = { 0 };
    struct ov_import_report r;

    cr_assert_neq(ov_import_run(&in, 1, &opts, NULL, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 0);
    cr_assert_leq(r.nnotes, 3, "%zu notes", r.nnotes);
    cr_assert(strstr(r.notes[0].text, "crafted.txt: a QR code says its export has 536870911 "
                     "codes, more than any export holds") != NULL, "%s", r.notes[0].text);
    ov_import_report_free(&r);
    opts.allow_partial = true;
    cr_assert_eq(ov_import_run(&in, 1, &opts, NULL, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 2, "--allow-partial imports what was read: %s",
                 r.nnotes > 0 ? r.notes[r.nnotes - 1].text : "");
    ov_import_report_free(&r);
}

/* The same rule for an honest but incomplete batch: five codes named, the rest counted. */
Test(fuzz_found, many_missing_codes_are_counted_not_listed)
{
    struct ov_migration_batch b = { 1, 50, 7, true, 4242 };
    struct ov_account a;
    struct ov_error err = { 0 };
    struct ov_import_options opts = { 0 };
    struct ov_import_report r;
    struct ov_blob in;
    uint8_t secret[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    char *uri;

    ov_account_init(&a);
    ov_account_set_secret(&a, secret, sizeof secret);
    ov_account_set_text(&a.name, "alice");
    cr_assert_eq(ov_migration_encode_uri(&a, 1, &b, &uri, &err), OV_OK, "%s", err.msg);
    in = (struct ov_blob){ (const uint8_t *)uri, strlen(uri), "shot.png" };
    cr_assert_neq(ov_import_run(&in, 1, &opts, NULL, &r), OV_OK);
    cr_assert_eq(r.nnotes, 6);
    cr_assert_str_eq(r.notes[0].text, "shot.png: QR 1 of 50 is missing; scan every QR code of "
                     "the export, or use --allow-partial");
    cr_assert_str_eq(r.notes[5].text, "shot.png: and 44 more QR codes of 50 are missing");
    ov_import_report_free(&r);
    ov_secure_free_str(uri);
    ov_account_free(&a);
}
