/* ZIP archives holding otpauth:// lists (importers/lib/zip_archive, uri_zip): encrypted
 * or not, several members, lying sizes, bombs, too many members, wrong passwords. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "otpvault/crypto.h"
#include "otpvault/import.h"
#include "tests/lib/zip_build.h"
#include "tests/lib/import_harness.h"
#include "tests/lib/fixtures.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(otpauth_zip, .init = setup, .timeout = 120);

#define AUTHPLUS "aegis-importers/authenticator_plus.zip"

#define WINAUTH "stratum-test-data/winauth.zip"

static const char uri_a[] = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP\n";

static const char uri_b[] = "otpauth://totp/Slack:bob?secret=JBSWY3DPEHPK3PXQ\r\n"
                            "otpauth://totp/Bad?secret=123\r\n"
                            "otpauth://hotp/Issuu:carol?secret=JBSWY3DPEHPK3PXA&counter=4\r\n";

/* Sets every uncompressed-size field (local header offset 22, central offset 24) to size. */
static void patch_sizes(uint8_t *zip, size_t len, uint32_t size)
{
    for (size_t i = 0; i + 46 <= len; i++) {
        size_t at;
        if (memcmp(zip + i, "PK\003\004", 4) == 0)
            at = i + 22;
        else if (memcmp(zip + i, "PK\001\002", 4) == 0)
            at = i + 24;
        else
            continue;
        for (int b = 0; b < 4; b++)
            zip[at + b] = (uint8_t)(size >> (8 * b));
    }
}

Test(otpauth_zip, encrypted_lists_bad_lines_and_other_members)
{
    struct zip_member m[] = { { "export/", NULL, 0, ZIP_EM_NONE },
                          { "export/first.txt", uri_a, 0, ZIP_EM_TRAD_PKWARE },
                          { "export/notes.json", "{\"a\": 1}", 0, ZIP_EM_TRAD_PKWARE },
                          { "export/second.txt", uri_b, 0, ZIP_EM_TRAD_PKWARE } };
    size_t len;
    uint8_t *zip = zip_make(m, 4, "s3cret", &len);
    struct ov_blob in = { zip, len, "x" };
    struct ov_import_report r;

    cr_assert_not_null(zip);
    cr_assert_str_eq(import_picked(zip, len), "otpauth-zip");
    cr_assert(ov_importer_find("otpauth-zip")->is_encrypted(&in));
    cr_assert_eq(import_pipeline(NULL, zip, len, "s3cret", "test.zip", &r), OV_OK);
    cr_assert_eq(r.accounts.len, 3);
    cr_assert_eq(r.entries_failed, 1);
    cr_assert(report_has_note(&r, "test.zip: export/second.txt: line 2: "), "%s", r.notes[0].text);
    cr_assert_eq(r.accounts.items[2].type, OV_HOTP);
    cr_assert_eq(r.accounts.items[2].counter, 4);
    ov_import_report_free(&r);

    cr_assert_eq(import_pipeline(NULL, zip, len, NULL, "test.zip", &r), OV_ERR_AUTH);
    cr_assert(report_has_note(&r, "is encrypted: a password is needed"));
    ov_import_report_free(&r);
    cr_assert_eq(import_pipeline(NULL, zip, len, "S3cret", "test.zip", &r), OV_ERR_AUTH);
    cr_assert(report_has_note(&r, "wrong password or damaged file"));
    ov_import_report_free(&r);
    free(zip);
}

Test(otpauth_zip, winzip_aes_members_read_too)
{
    struct zip_member m[] = { { "Accounts.txt", uri_b, 0, ZIP_EM_AES_256 } };
    size_t len;
    uint8_t *zip = zip_make(m, 1, "pw", &len);
    struct ov_import_report r;

    if (zip == NULL) {
        fprintf(stderr, "SKIP: this libzip cannot write WinZip AES\n");
        return;
    }
    cr_assert_eq(import_pipeline(NULL, zip, len, "pw", "test.zip", &r), OV_OK);
    cr_assert_eq(r.accounts.len, 2);
    ov_import_report_free(&r);
    cr_assert_eq(import_pipeline(NULL, zip, len, "wrong", "test.zip", &r), OV_ERR_AUTH);
    ov_import_report_free(&r);
    free(zip);
}

Test(otpauth_zip, archives_without_a_list_say_what_they_hold)
{
    struct zip_member m[] = { { "backup.json", "{\"db\": 1}", 0, ZIP_EM_NONE },
                          { "icon.png", "\x89PNG\r\n\x1a\n\0\0", 10, ZIP_EM_NONE } };
    static const uint8_t empty[22] = { 'P', 'K', 5, 6 };
    size_t len;
    uint8_t *zip = zip_make(m, 2, NULL, &len);
    struct ov_import_report r;

    cr_assert_eq(import_pipeline(NULL, zip, len, NULL, "test.zip", &r), OV_ERR_INVALID);
    cr_assert(report_has_note(&r, "no otpauth:// URI list in the archive (it holds backup.json, "
                           "icon.png)"));
    ov_import_report_free(&r);
    cr_assert_eq(import_pipeline("authplus", zip, len, NULL, "test.zip", &r), OV_ERR_INVALID);
    cr_assert(report_has_note(&r, "no Accounts.txt in the archive"));
    ov_import_report_free(&r);
    free(zip);

    cr_assert_str_eq(import_picked(empty, sizeof empty), "otpauth-zip");
    static const char *const formats[] = { NULL, "authplus", "winauth", "otpauth-zip" };
    for (size_t f = 0; f < 4; f++) {
        cr_assert_eq(import_pipeline(formats[f], empty, sizeof empty, "test", "test.zip", &r), OV_ERR_INVALID);
        cr_assert(report_has_note(&r, "the archive contains no files"));
        ov_import_report_free(&r);
    }
}

/* Past the secure pool's size: a long member still reads (comment lines make it long
 * without making the import itself slow). */
Test(otpauth_zip, large_member_reads)
{
    size_t n = 300000, len;
    char *text = malloc(n + sizeof uri_a);
    memset(text, 'x', n);
    for (size_t i = 0; i < n; i += 100) {
        text[i] = '#';
        text[i + 99] = '\n';
    }
    memcpy(text + n, uri_a, sizeof uri_a);
    struct zip_member m[] = { { "Accounts.txt", text, 0, ZIP_EM_TRAD_PKWARE } };
    uint8_t *zip = zip_make(m, 1, "pw", &len);
    struct ov_import_report r;

    cr_assert_eq(import_pipeline(NULL, zip, len, "pw", "test.zip", &r), OV_OK);
    cr_assert_eq(r.accounts.len, 1);
    ov_import_report_free(&r);
    free(zip);
    free(text);
}

/* Member names come from the file: messages never carry their control characters (libzip
 * reads unflagged names as code page 437, where they are symbols; we escape the rest). */
Test(otpauth_zip, hostile_member_names_reach_no_message_raw)
{
    struct zip_member m[] = { { "\033[2J\033]0;pwned\007.txt", "otpauth://totp/x?secret=1\n", 0,
                            ZIP_EM_NONE } };
    size_t len;
    uint8_t *zip = zip_make(m, 1, NULL, &len);
    struct ov_import_report r;

    cr_assert_eq(import_pipeline(NULL, zip, len, NULL, "test.zip", &r), OV_ERR_INVALID);
    cr_assert(report_has_note(&r, "pwned"));
    for (size_t i = 0; i < r.nnotes; i++)
        cr_assert_null(strpbrk(r.notes[i].text, "\033\007\n"), "%s", r.notes[i].text);
    ov_import_report_free(&r);
    free(zip);
}

Test(otpauth_zip, too_many_members_is_a_limit)
{
    static struct zip_member m[1001];
    char names[1001][16];
    size_t len;
    uint8_t *zip;
    struct ov_import_report r;

    for (size_t i = 0; i < 1001; i++) {
        snprintf(names[i], sizeof names[i], "m%zu.txt", i);
        m[i] = (struct zip_member){ names[i], "x", 0, ZIP_EM_NONE };
    }
    zip = zip_make(m, 1001, NULL, &len);
    cr_assert_eq(import_pipeline(NULL, zip, len, NULL, "test.zip", &r), OV_ERR_LIMIT);
    cr_assert(report_has_note(&r, "1001 members"));
    ov_import_report_free(&r);
    free(zip);
}

/* A member that inflates past the bound: refused from its header, before any inflating. */
Test(otpauth_zip, zip_bomb_member_is_a_limit)
{
    size_t big = 17u * 1024u * 1024u, len;
    char *zeros = calloc(1, big);
    struct zip_member m[] = { { "Accounts.txt", zeros, big, ZIP_EM_NONE } };
    uint8_t *zip = zip_make(m, 1, NULL, &len);
    struct ov_import_report r;

    cr_assert_lt(len, 100000);
    cr_assert_eq(import_pipeline(NULL, zip, len, NULL, "test.zip", &r), OV_ERR_LIMIT);
    cr_assert(report_has_note(&r, "Accounts.txt is 17825792 bytes uncompressed"));
    ov_import_report_free(&r);
    free(zip);
    free(zeros);
}

/* A header that understates the size (a bomb in disguise) or overstates it: counted bytes
 * disagree, and the member is refused. */
Test(otpauth_zip, lying_sizes_are_refused)
{
    static char text[4096];
    struct zip_member m[] = { { "Accounts.txt", text, 0, ZIP_EM_NONE } };
    uint32_t sizes[] = { 10, 300, 5000, 100000 };

    for (size_t i = 0; i + 1 < sizeof text; i += strlen(uri_a))
        if (i + strlen(uri_a) < sizeof text)
            memcpy(text + i, uri_a, strlen(uri_a));
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t len;
        uint8_t *zip = zip_make(m, 1, NULL, &len);
        struct ov_import_report r;
        patch_sizes(zip, len, sizes[s]);
        cr_assert_neq(import_pipeline(NULL, zip, len, NULL, "test.zip", &r), OV_OK, "size %u", sizes[s]);
        cr_assert_gt(r.nnotes, 0);
        ov_import_report_free(&r);
        free(zip);
    }
}

Test(otpauth_zip, garbage_after_the_magic)
{
    uint8_t buf[4096];
    unsigned seed = 99;

    for (int round = 0; round < 300; round++) {
        size_t len = 4 + (size_t)round * 13 % (sizeof buf - 4);
        for (size_t i = 0; i < len; i++)
            buf[i] = (uint8_t)((seed = seed * 1103515245u + 12345u) >> 16);
        memcpy(buf, round % 3 == 0 ? "PK\005\006" : "PK\003\004", 4);
        static const char *const formats[] = { NULL, "authplus", "winauth", "otpauth-zip" };
        for (size_t f = 0; f < 4; f++) {
            struct ov_import_report r;
            cr_assert_neq(import_pipeline(formats[f], buf, len, "pw", "test.zip", &r), OV_OK);
            cr_assert_gt(r.nnotes, 0);
            cr_assert(strncmp(r.notes[r.nnotes - 1].text, "test.zip: ", 10) == 0);
            ov_import_report_free(&r);
        }
    }
}

/* ZipCrypto lets about 1 wrong password in 256 past its check byte: those must fail as
 * wrong passwords too, never as damaged files or, worse, succeed. */
Test(otpauth_zip, many_wrong_passwords_are_all_auth_errors)
{
    static const char *const files[] = { AUTHPLUS, WINAUTH };

    for (size_t f = 0; f < 2; f++) {
        size_t len;
        char *data;
        if (!fixture_exists(files[f])) {
            fprintf(stderr, "SKIP: %s not found under %s\n", files[f], fixtures_dir());
            continue;
        }
        data = fixture_read(files[f], &len);
        for (int i = 0; i < 1000; i++) {
            char pw[32];
            struct ov_import_report r;
            snprintf(pw, sizeof pw, "wrong-%d", i);
            cr_assert_eq(import_pipeline(NULL, data, len, pw, "test.zip", &r), OV_ERR_AUTH, "%s with %s", files[f], pw);
            ov_import_report_free(&r);
        }
        free(data);
    }
}
