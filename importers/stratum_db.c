/* Stratum (Authenticator Pro) internal database (formats.md 7.6):
 * /data/data/com.stratumauth.app/databases/authenticator.db3, table authenticator. Each row
 * is the record a Stratum backup holds, read by stratum_entry.c. */
#include <stdint.h>

#include "otpvault/importer.h"
#include "lib/sqlite_db.h"
#include "lib/stratum_entry.h"

static const char *const sniff_columns[] = { "secret", "issuer", "username", "algorithm",
                                             NULL };

enum { C_TYPE, C_ISSUER, C_USERNAME, C_SECRET, C_PIN, C_ALGO, C_DIGITS, C_PERIOD, C_COUNTER };

static const struct ov_sqlite_column columns[] = {
    [C_TYPE] = { "type", false }, [C_ISSUER] = { "issuer", false },
    [C_USERNAME] = { "username", true }, [C_SECRET] = { "secret", false },
    [C_PIN] = { "pin", true }, [C_ALGO] = { "algorithm", true }, [C_DIGITS] = { "digits", true },
    [C_PERIOD] = { "period", true }, [C_COUNTER] = { "counter", true },
};

static int stratum_db_sniff(const struct ov_blob *in)
{
    return ov_sqlite_sniff_table(in, "authenticator", sniff_columns);
}

/* Reads the record of the current row; numbers that are NULL take the type's default. */
static int read_record(sqlite3_stmt *st, struct ov_stratum_record *r, struct ov_error *err)
{
    int rc;

    if ((rc = ov_sqlite_text(st, C_ISSUER, "issuer", &r->issuer, err)) != OV_OK ||
        (rc = ov_sqlite_text(st, C_USERNAME, "username", &r->username, err)) != OV_OK ||
        (rc = ov_sqlite_text(st, C_SECRET, "secret", &r->secret, err)) != OV_OK ||
        (rc = ov_sqlite_text(st, C_PIN, "pin", &r->pin, err)) != OV_OK)
        return rc;
    if ((rc = ov_sqlite_int(st, C_TYPE, "type", 2, 0, INT32_MAX, &r->type, err)) != OV_OK ||
        (rc = ov_sqlite_int(st, C_ALGO, "algorithm", 0, 0, INT32_MAX, &r->algorithm, err)) !=
            OV_OK ||
        (rc = ov_sqlite_int(st, C_DIGITS, "digits", OV_STRATUM_DEFAULT, 0, INT32_MAX,
                            &r->digits, err)) != OV_OK ||
        (rc = ov_sqlite_int(st, C_PERIOD, "period", OV_STRATUM_DEFAULT, 0, INT32_MAX,
                            &r->period, err)) != OV_OK ||
        (rc = ov_sqlite_int(st, C_COUNTER, "counter", OV_STRATUM_DEFAULT, 0, INT64_MAX,
                            &r->counter, err)) != OV_OK)
        return rc;
    return OV_OK;
}

/* The row's record as an account; the record's texts name the entry on failure. */
static int read_row(sqlite3_stmt *st, struct ov_account *a, const char **issuer,
                    const char **name, struct ov_error *err)
{
    struct ov_stratum_record r = { 0 };
    int rc = read_record(st, &r, err);

    *issuer = r.issuer;
    *name = r.username;
    return rc == OV_OK ? ov_stratum_record_to_account(&r, a, err) : rc;
}

OV_SQLITE_IMPORTER(stratum_db, "stratum-db",
                   "Stratum / Authenticator Pro internal database (authenticator.db3, "
                   "rooted phone)",
                   "authenticator", "a Stratum database", NULL);
