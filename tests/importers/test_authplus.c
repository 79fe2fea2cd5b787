/* Authenticator Plus backups (ZIP), and the refusal of its SQLCipher database. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "otpvault/crypto.h"
#include "otpvault/import.h"
#include "tests/lib/fixtures.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(authplus, .init = setup, .timeout = 120);

#define AUTHPLUS "aegis-importers/authenticator_plus.zip"

static const char uri_a[] = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP\n";

struct member {
    const char *name;      /* ending in '/': a directory */
    const void *data;
    size_t len;            /* 0: strlen(data) */
    zip_uint16_t method;   /* ZIP_EM_NONE, ZIP_EM_TRAD_PKWARE, ZIP_EM_AES_256 */
};

/* The bytes of an archive holding the members (malloc'd); NULL when libzip cannot write the
 * requested encryption. */
static uint8_t *make_zip(const struct member *m, size_t n, const char *password, size_t *len)
{
    zip_error_t ze;
    zip_source_t *src;
    zip_t *za;
    uint8_t *out;
    zip_int64_t size;

    zip_error_init(&ze);
    src = zip_source_buffer_create(NULL, 0, 0, &ze);
    cr_assert_not_null(src);
    zip_source_keep(src);
    za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    cr_assert_not_null(za, "%s", zip_error_strerror(&ze));
    for (size_t i = 0; i < n; i++) {
        size_t nl = strlen(m[i].name);
        if (m[i].name[nl - 1] == '/') {
            cr_assert_geq(zip_dir_add(za, m[i].name, 0), 0);
            continue;
        }
        size_t dl = m[i].len != 0 ? m[i].len : strlen(m[i].data);
        zip_source_t *s = zip_source_buffer(za, m[i].data, dl, 0);
        zip_int64_t idx = zip_file_add(za, m[i].name, s, 0);
        cr_assert_geq(idx, 0, "%s", zip_strerror(za));
        if (m[i].method != ZIP_EM_NONE &&
            zip_file_set_encryption(za, (zip_uint64_t)idx, m[i].method, password) != 0) {
            zip_discard(za);
            zip_source_free(src);
            return NULL;
        }
    }
    cr_assert_eq(zip_close(za), 0, "%s", zip_strerror(za));
    cr_assert_eq(zip_source_open(src), 0);
    zip_source_seek(src, 0, SEEK_END);
    size = zip_source_tell(src);
    zip_source_seek(src, 0, SEEK_SET);
    out = malloc((size_t)size + 1);
    cr_assert_eq(zip_source_read(src, out, (zip_uint64_t)size), size);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
    *len = (size_t)size;
    return out;
}

static int run(const char *format, const void *data, size_t len, const char *password,
               struct ov_import_report *r)
{
    struct ov_import_options o = { .format = format, .password = password,
                                   .password_len = password != NULL ? strlen(password) : 0 };
    struct ov_blob in = { data, len, "test.zip" };
    return ov_import_run(&in, 1, &o, NULL, r);
}

static bool has_note(const struct ov_import_report *r, const char *needle)
{
    for (size_t i = 0; i < r->nnotes; i++)
        if (strstr(r->notes[i].text, needle) != NULL)
            return true;
    return false;
}

static const char *picked(const void *data, size_t len)
{
    struct ov_blob in = { data, len, "x" };
    const struct ov_importer *imp = ov_import_pick(&in, NULL);
    return imp != NULL ? imp->name : "(none)";
}

Test(authplus, unencrypted_accounts_txt_needs_no_password)
{
    struct member m[] = { { "Accounts.txt", uri_a, 0, ZIP_EM_NONE },
                          { "Accounts.html", "<html></html>", 0, ZIP_EM_NONE } };
    size_t len = 0;
    uint8_t *zip = make_zip(m, 2, NULL, &len);
    struct ov_blob in = { zip, len, "x" };
    struct ov_import_report r;

    cr_assert_str_eq(picked(zip, len), "authplus");
    cr_assert_not(ov_importer_find("authplus")->is_encrypted(&in));
    cr_assert_eq(run(NULL, zip, len, NULL, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 1);
    cr_assert_str_eq(r.accounts.items[0].issuer, "GitHub");
    ov_import_report_free(&r);
    free(zip);
}

Test(authplus, authplus_fixture_every_cut)
{
    size_t len;
    char *data;

    SKIP_WITHOUT_FIXTURE(AUTHPLUS);
    data = fixture_read(AUTHPLUS, &len);
    for (size_t cut = 0; cut < len; cut++) {
        struct ov_import_report r;
        cr_assert_neq(run(cut % 2 ? NULL : "authplus", data, cut, "testtesttest", &r), OV_OK,
                      "cut %zu", cut);
        cr_assert_gt(r.nnotes, 0);
        ov_import_report_free(&r);
    }
    free(data);
}

/* One byte changed anywhere: an error (a wrong-password one inside the encrypted data), or
 * the same accounts when the byte did not matter (a timestamp); never a crash. */
Test(authplus, authplus_fixture_every_byte_flipped)
{
    size_t len;
    char *data;

    SKIP_WITHOUT_FIXTURE(AUTHPLUS);
    data = fixture_read(AUTHPLUS, &len);
    for (size_t i = 0; i < len; i++) {
        struct ov_import_report r;
        char saved = data[i];
        data[i] = (char)(saved ^ 0x21);
        if (run("authplus", data, len, "testtesttest", &r) == OV_OK)
            cr_assert_eq(r.accounts.len, 7, "byte %zu", i);
        else
            cr_assert_gt(r.nnotes, 0);
        ov_import_report_free(&r);
        data[i] = saved;
    }
    free(data);
}

Test(authplus, sqlcipher_database_is_refused_clearly)
{
    const char *rel = "stratum-test-data/authplus.db";
    size_t len;
    char *data;
    struct ov_import_report r;

    SKIP_WITHOUT_FIXTURE(rel);
    data = fixture_read(rel, &len);
    cr_assert_str_eq(picked(data, len), "authplus");
    cr_assert_eq(run(NULL, data, len, "testtesttest", &r), OV_ERR_UNSUPPORTED);
    cr_assert(has_note(&r, "encrypted Authenticator Plus database, SQLCipher"));
    cr_assert(has_note(&r, "Export as Text and HTML"));
    ov_import_report_free(&r);
    free(data);
}

Test(authplus, sqlcipher_guess_spares_structured_files)
{
    static uint8_t buf[4096];
    unsigned seed = 7;

    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)((seed = seed * 1103515245u + 12345u) >> 16);
    buf[0] = 0x80; /* not a plausible andOTP iteration count */
    cr_assert_str_eq(picked(buf, sizeof buf), "authplus");
    /* Not whole pages. */
    cr_assert_str_neq(picked(buf, sizeof buf - 1), "authplus");
    /* andOTP's encrypted backups start with their iteration count. */
    buf[0] = 0x00, buf[1] = 0x02, buf[2] = 0x22, buf[3] = 0xE0;
    cr_assert_str_neq(picked(buf, sizeof buf), "authplus");
    /* Text. */
    memset(buf, 'a', sizeof buf);
    cr_assert_str_neq(picked(buf, sizeof buf), "authplus");
}
