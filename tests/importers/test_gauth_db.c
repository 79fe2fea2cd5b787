/* Google Authenticator's legacy database. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/import.h"
#include "tests/lib/cli_run.h"
#include "tests/lib/fixtures.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(gauth_db, .init = setup, .timeout = 120);

/* A database made by running sql, as the bytes of its file (malloc'd). */
static uint8_t *make_db(const char *sql, size_t *len)
{
    sqlite3 *db;
    char *msg = NULL;
    sqlite3_int64 n;
    unsigned char *image;
    uint8_t *copy;

    cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &msg), SQLITE_OK, "%s", msg);
    image = sqlite3_serialize(db, "main", &n, 0);
    cr_assert_not_null(image);
    copy = malloc((size_t)n);
    memcpy(copy, image, (size_t)n);
    *len = (size_t)n;
    sqlite3_free(image);
    sqlite3_close(db);
    return copy;
}

static int run(const char *format, const void *data, size_t len, struct ov_import_report *r)
{
    struct ov_import_options o = { .format = format };
    struct ov_blob in = { data, len, "test.db" };
    return ov_import_run(&in, 1, &o, NULL, r);
}

static bool has_note(const struct ov_import_report *r, const char *needle)
{
    for (size_t i = 0; i < r->nnotes; i++)
        if (strstr(r->notes[i].text, needle) != NULL)
            return true;
    return false;
}

static const char ga_schema[] =
    "CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT NOT NULL, secret TEXT NOT "
    "NULL, counter INTEGER DEFAULT 0, type INTEGER, provider INTEGER DEFAULT 0, issuer TEXT "
    "DEFAULT NULL, original_name TEXT DEFAULT NULL);";

/* Every length of a real database: an error or a subset of its accounts, never a crash. */
static void cut_everywhere(const char *rel, const char *format, size_t full)
{
    size_t len;
    char *data = fixture_read(rel, &len);
    size_t ok = 0;

    if (data == NULL)
        return;
    for (size_t cut = 0; cut < len; cut++) {
        struct ov_import_report r;
        int rc = run(format, data, cut, &r);
        if (rc == OV_OK) {
            ok++;
            cr_assert_leq(r.accounts.len, full, "cut %zu", cut);
        } else {
            cr_assert_gt(r.nnotes, 0, "cut %zu", cut);
        }
        ov_import_report_free(&r);
        /* The same cut, detected by content. */
        rc = run(NULL, data, cut, &r);
        ov_import_report_free(&r);
    }
    cr_assert_lt(ok, len);
    free(data);
}

Test(gauth_db, gauth_labels_types_and_encrypted_rows)
{
    char sql[2048];
    snprintf(sql, sizeof sql, "%s"
             "INSERT INTO accounts VALUES (1, 'GitHub:alice', 'JBSWY3DPEHPK3PXP', 0, 0, 0, "
             "'GitHub', NULL);"
             "INSERT INTO accounts VALUES (2, 'Slack:bob', 'JBSWY3DPEHPK3PXQ', 0, 0, 0, NULL, "
             "NULL);"
             "INSERT INTO accounts VALUES (3, 'a:b:c', 'JBSWY3DPEHPK3PXA', 7, 1, 0, '', NULL);"
             "INSERT INTO accounts VALUES (4, 'plain', 'JBSWY3DPEHPK3PXB', NULL, NULL, 0, NULL, "
             "NULL);"
             "INSERT INTO accounts VALUES (5, 'x', 'JBSWY3DPEHPK3PXC', 0, 5, 0, NULL, NULL);"
             "INSERT INTO accounts VALUES (6, 'y', 'JBSWY3DPEHPK3PXD', -3, 1, 0, NULL, NULL);",
             ga_schema);
    size_t len;
    uint8_t *db = make_db(sql, &len);
    struct ov_import_report r;

    cr_assert_eq(run(NULL, db, len, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 4);
    const struct ov_account *a = r.accounts.items;
    cr_assert_str_eq(a[0].issuer, "GitHub");
    cr_assert_str_eq(a[0].name, "alice");
    cr_assert_str_eq(a[1].issuer, "Slack");
    cr_assert_str_eq(a[1].name, "bob");
    cr_assert_eq(a[2].type, OV_HOTP);
    cr_assert_eq(a[2].counter, 7);
    cr_assert_str_eq(a[2].issuer, "a");
    cr_assert_str_eq(a[2].name, "b:c");
    cr_assert_eq(a[3].type, OV_TOTP);
    cr_assert_str_eq(a[3].name, "plain");
    cr_assert(has_note(&r, "entry 5 (x): unknown type 5"));
    cr_assert(has_note(&r, "entry 6 (y): column counter is -3"));
    ov_import_report_free(&r);
    free(db);

    db = make_db("CREATE TABLE accounts (email TEXT, secret TEXT, type INTEGER, "
                 "isencrypted INTEGER);"
                 "INSERT INTO accounts VALUES ('k', 'AQIDBAUGBwgJ', 0, 1);", &len);
    cr_assert_eq(run(NULL, db, len, &r), OV_ERR_INVALID);
    cr_assert(has_note(&r, "Transfer accounts"));
    ov_import_report_free(&r);
    free(db);
}

Test(gauth_db, truncated_google_database)
{
    SKIP_WITHOUT_FIXTURE("aegis-importers/google_authenticator.sqlite");
    cut_everywhere("aegis-importers/google_authenticator.sqlite", "gauth-db", 6);
}
