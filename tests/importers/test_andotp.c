/* andOTP backups, plain and encrypted (new and old format): entries, labels, tags, the
 * password, damage and truncation, and hostile text in messages. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "importers/lib/json_sniff.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/import.h"
#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(andotp, .init = setup);

#define ANDOTP_NEW "aegis-importers/andotp_encrypted.bin"

#define ANDOTP_OLD "aegis-importers/andotp_encrypted_old.bin"

static void write_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* An encrypted backup of our own making around arbitrary plaintext. */
static uint8_t *andotp_seal(const char *plain, const char *pw, uint32_t iterations,
                            size_t *len)
{
    size_t plen = strlen(plain), head = iterations > 0 ? 28 : 12;
    uint8_t *out = calloc(1, head + plen + 16), key[32];
    struct ov_error err;

    if (iterations > 0) {
        write_be32(out, iterations);
        memset(out + 4, 0x11, 12);  /* salt */
        memset(out + 16, 0x22, 12); /* nonce */
        cr_assert_eq(ov_kdf_pbkdf2(OV_SHA1, pw, strlen(pw), out + 4, 12, iterations, key, 32,
                                   &err), OV_OK);
    } else {
        memset(out, 0x33, 12);
        ov_hash(OV_SHA256, pw, strlen(pw), key);
    }
    cr_assert_eq(ov_aes_gcm_encrypt(key, 32, out + head - 12, 12, NULL, 0,
                                    (const uint8_t *)plain, plen, out + head,
                                    out + head + plen, &err), OV_OK);
    *len = head + plen + 16;
    return out;
}

/* Text from the file reaches the terminal in messages: control characters are escaped. */
Test(andotp, untrusted_text_in_messages_is_printable)
{
    const char *doc = "[{\"secret\":\"JBSWY3DPEHPK3PXP\",\"issuer\":\"\\u001b]0;x\\u0007\","
                      "\"label\":\"a\",\"type\":\"\\u001b[31mTOTP\"},"
                      "{\"secret\":\"JBSWY3DPEHPK3PXP\",\"issuer\":\"b\",\"label\":\"b\","
                      "\"digits\":\"\\u001b[2J\"}]";
    struct import_result r;

    import_str("andotp", doc, NULL, &r);
    cr_assert_eq(import_failures(&r), 2);
    for (size_t i = 0; i < r.opts.nissues; i++)
        cr_assert_null(strchr(r.opts.issues[i].message, '\x1b'), "%zu", i);
    cr_assert(import_said(&r, "unknown OTP type '\\x1B[31mTOTP'"), "%s",
              import_first_issue(&r));
    cr_assert(import_said(&r, "(\\x1B]0;x\\x07: a)"), "%s", import_first_issue(&r));
    import_result_free(&r);
    import_str("aegis", "{\"header\":\x1b[1m", NULL, &r);
    cr_assert_eq(r.rc, OV_ERR_INVALID);
    cr_assert_null(strchr(r.err.msg, '\x1b'), "%s", r.err.msg);
    import_result_free(&r);
}

/* The pipeline shows an entry skipped on purpose as a note, not as a failed entry. */
Test(andotp, skipped_entries_are_notes_not_failures)
{
    const char *doc = "[{\"secret\":\"JBSWY3DPEHPK3PXP\",\"issuer\":\"A\",\"label\":\"a\","
                      "\"type\":\"TOTP\"},"
                      "{\"secret\":\"JBSWY3DPEHPK3PXQ\",\"issuer\":\"M\",\"label\":\"m\","
                      "\"type\":\"MOTP\"},"
                      "{\"secret\":\"1\",\"issuer\":\"B\",\"label\":\"b\",\"type\":\"TOTP\"}]";
    struct ov_blob in = { (const uint8_t *)doc, strlen(doc), "backup.json" };
    struct ov_import_options o = { 0 };
    struct ov_import_report r;
    size_t info = 0, failed = 0;

    cr_assert_eq(ov_import_run(&in, 1, &o, NULL, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 1);
    cr_assert_eq(r.entries_failed, 1);
    for (size_t i = 0; i < r.nnotes; i++) {
        info += r.notes[i].kind == OV_NOTE_INFO;
        failed += r.notes[i].kind == OV_NOTE_ENTRY_FAILED;
        cr_assert(strncmp(r.notes[i].text, "backup.json: entry ", 19) == 0, "%s",
                  r.notes[i].text);
    }
    cr_assert_eq(info, 1);
    cr_assert_eq(failed, 1);
    ov_import_report_free(&r);
}

Test(andotp, andotp_entries_labels_tags_and_types)
{
    const char *doc =
        "[{\"secret\":\"JBSWY3DPEHPK3PXP====\",\"label\":\"Acme - alice - home\",\"type\":\"totp\","
        "\"tags\":[\"Work\",\"x\"],\"last_used\":1700000000123},"
        "{\"secret\":\"JBSWY3DPEHPK3PXQ\",\"issuer\":\"Deno\",\"label\":\"Deno:Mason\",\"type\":"
        "\"HOTP\",\"counter\":3,\"digits\":null,\"period\":null,\"algorithm\":null},"
        "{\"secret\":\"JBSWY3DPEHPK3PXR\",\"issuer\":\"V\",\"label\":\"s\",\"type\":\"steam\","
        "\"digits\":5},"
        "{\"secret\":\"JBSWY3DPEHPK3PXS\",\"issuer\":\"M\",\"label\":\"m\",\"type\":\"MOTP\"},"
        "{\"secret\":\"JBSWY3DPEHPK3PXT\",\"issuer\":\"F\",\"label\":\"f\",\"type\":\"FOO\"},"
        "{\"secret\":\"JBSWY3DPEHPK3PXU\",\"issuer\":\"G\",\"label\":\"g\",\"algorithm\":\"MD5\"},"
        "{\"issuer\":\"H\",\"label\":\"h\",\"type\":\"TOTP\"},"
        "{\"secret\":7,\"issuer\":\"J\",\"label\":\"j\"},"
        "{\"secret\":\"JBSWY3DPEHPK3PXV\",\"issuer\":5,\"label\":\"k\"}]";
    struct import_result r;

    import_str("andotp", doc, NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 3, "%s", import_first_issue(&r));
    cr_assert_str_eq(r.accounts.items[0].issuer, "Acme", "old andOTP: 'Issuer - Name'");
    cr_assert_str_eq(r.accounts.items[0].name, "alice - home");
    cr_assert_str_eq(r.accounts.items[0].group, "Work");
    cr_assert_eq(r.accounts.items[0].last_used, 1700000000);
    cr_assert_str_eq(r.accounts.items[1].name, "Mason");
    cr_assert_eq(r.accounts.items[1].type, OV_HOTP);
    cr_assert_eq(r.accounts.items[1].counter, 3);
    cr_assert_eq(r.accounts.items[1].digits, 6);
    cr_assert_eq(r.accounts.items[2].type, OV_STEAM);
    cr_assert_eq(import_infos(&r), 1);
    cr_assert(import_said(&r, "entry 4 (M: m): andOTP does not export the PIN"));
    cr_assert_eq(import_failures(&r), 5);
    cr_assert(import_said(&r, "unknown OTP type 'FOO'"));
    cr_assert(import_said(&r, "unknown algorithm 'MD5'"));
    cr_assert(import_said(&r, "entry 7 (H: h): 'secret' is missing"));
    cr_assert(import_said(&r, "'secret' is a number"));
    cr_assert(import_said(&r, "'issuer' is not a string"));
    import_result_free(&r);
}

Test(andotp, andotp_encrypted_needs_the_password)
{
    static const char *const files[] = { ANDOTP_NEW, ANDOTP_OLD };

    SKIP_WITHOUT_FIXTURE(ANDOTP_NEW);
    for (size_t i = 0; i < 2; i++) {
        size_t len;
        char *data = fixture_read(files[i], &len);
        struct import_result r;

        import_with("andotp", data, len, NULL, &r);
        cr_assert_eq(r.rc, OV_ERR_AUTH);
        cr_assert(import_said(&r, "a password is needed"), "%s", r.err.msg);
        import_result_free(&r);
        import_with("andotp", data, len, "", &r);
        cr_assert_eq(r.rc, OV_ERR_AUTH, "an empty password is a wrong one");
        import_result_free(&r);
        import_with("andotp", data, len, "test", &r);
        cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
        import_result_free(&r);
        free(data);
    }
}

Test(andotp, andotp_truncated_and_damaged_backups)
{
    size_t len, n;
    char *data;

    SKIP_WITHOUT_FIXTURE(ANDOTP_OLD);
    /* Old format: SHA-256 only, so every length. */
    data = fixture_read(ANDOTP_OLD, &len);
    cr_assert_eq(import_cuts_fail("andotp", data, len, "test", 0, 1), len);
    for (size_t i = 0; i < len; i += 37) {
        struct import_result r;
        data[i] ^= 0x40;
        import_with("andotp", data, len, "test", &r);
        cr_assert_eq(r.rc, OV_ERR_AUTH, "flipped byte %zu", i);
        import_result_free(&r);
        data[i] ^= 0x40;
    }
    free(data);
    /* New format: each try runs PBKDF2, so every length of the header, then cut points. */
    data = fixture_read(ANDOTP_NEW, &len);
    n = import_cuts_fail("andotp", data, 64, "test", 0, 1);
    n += import_cuts_fail("andotp", data, len, "test", 64, 149);
    cr_assert_gt(n, 70);
    free(data);
}

Test(andotp, andotp_iteration_count_beyond_the_bound_runs_no_kdf)
{
    size_t len;
    uint8_t *data = (uint8_t *)fixture_read(ANDOTP_NEW, &len);
    struct import_result r;

    if (data == NULL)
        SKIP_WITHOUT_FIXTURE(ANDOTP_NEW);
    write_be32(data, (uint32_t)OV_UNTRUSTED_PBKDF2_MAX_ITER + 1);
    import_with("andotp", data, len, "test", &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH);
    cr_assert(import_said(&r, "10000001 PBKDF2 iterations, more than the 10000000 allowed"),
              "%s", r.err.msg);
    import_result_free(&r);
    /* 4 billion iterations would take hours: the test's timeout shows it never ran. */
    write_be32(data, 0xFFFFFFFFu);
    import_with("andotp", data, len, "test", &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH);
    import_result_free(&r);
    free(data);
}

Test(andotp, andotp_decrypted_content_is_checked)
{
    struct import_result r;
    size_t len;
    uint8_t *box;

    box = andotp_seal("hello", "pw", 0, &len);
    import_with("andotp", box, len, "pw", &r);
    cr_assert_eq(r.rc, OV_ERR_INVALID);
    cr_assert(import_said(&r, "the decrypted backup: not valid JSON"), "%s", r.err.msg);
    import_result_free(&r);
    free(box);
    box = andotp_seal("{\"a\":1}", "pw", 1000, &len);
    import_with("andotp", box, len, "pw", &r);
    cr_assert_eq(r.rc, OV_ERR_INVALID);
    cr_assert(import_said(&r, "expected an array of entries"), "%s", r.err.msg);
    import_result_free(&r);
    free(box);
    box = andotp_seal("[{\"secret\":\"JBSWY3DPEHPK3PXP\",\"issuer\":\"A\",\"label\":\"a\","
                      "\"type\":\"TOTP\"}]", "pw", 1000, &len);
    import_with("andotp", box, len, "pw", &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 1);
    import_result_free(&r);
    free(box);
}

Test(andotp, andotp_sniff_leaves_pages_and_magic_alone)
{
    const struct ov_importer *imp = ov_importer_find("andotp");
    uint8_t buf[2048];
    struct ov_blob in = { buf, sizeof buf, "x" };

    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(i * 7 + 1);
    cr_assert_eq(imp->sniff(&in), 0, "whole 1 KiB pages: SQLCipher");
    in.len = 2000;
    cr_assert_eq(imp->sniff(&in), 10, "other binary: perhaps andOTP, low confidence");
    memcpy(buf, "\x89PNG", 4);
    cr_assert_eq(imp->sniff(&in), 0);
    memcpy(buf, "PK\x03\x04", 4);
    cr_assert_eq(imp->sniff(&in), 0);
    memset(buf, 'A', sizeof buf);
    cr_assert_eq(imp->sniff(&in), 0, "text is never an encrypted backup");
    in.len = 20;
    buf[0] = 1;
    cr_assert_eq(imp->sniff(&in), 0, "too short");
}
