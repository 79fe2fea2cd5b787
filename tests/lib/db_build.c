/* See db_build.h. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/import.h"
#include "tests/lib/db_build.h"
#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"

const char db_ms_schema[] =
    "CREATE TABLE accounts (_id INTEGER PRIMARY KEY, name TEXT, username TEXT, "
    "oath_secret_key TEXT, account_type INTEGER, encrypted_oath_secret_key TEXT);";

const char db_ga_schema[] =
    "CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT NOT NULL, secret TEXT NOT "
    "NULL, counter INTEGER DEFAULT 0, type INTEGER, provider INTEGER DEFAULT 0, issuer TEXT "
    "DEFAULT NULL, original_name TEXT DEFAULT NULL);";

const char db_st_schema[] =
    "CREATE TABLE authenticator (type integer, icon varchar, issuer varchar(32), username "
    "varchar(40), secret varchar primary key not null, pin varchar, algorithm integer, digits "
    "integer, period integer, counter integer, ranking integer);";

uint8_t *db_make(const char *sql, size_t *len)
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

void db_cut_everywhere(const char *rel, const char *format, size_t full)
{
    size_t len;
    char *data = fixture_read(rel, &len);
    size_t ok = 0;

    if (data == NULL)
        return;
    for (size_t cut = 0; cut < len; cut++) {
        struct ov_import_report r;
        int rc = import_pipeline(format, data, cut, NULL, "test.db", &r);
        if (rc == OV_OK) {
            ok++;
            cr_assert_leq(r.accounts.len, full, "cut %zu", cut);
        } else {
            cr_assert_gt(r.nnotes, 0, "cut %zu", cut);
        }
        ov_import_report_free(&r);
        /* The same cut, detected by content. */
        import_pipeline(NULL, data, cut, NULL, "test.db", &r);
        ov_import_report_free(&r);
    }
    cr_assert_lt(ok, len);
    free(data);
}
