/* Stratum (Authenticator Pro) internal database (formats.md 7.6):
 * /data/data/com.stratumauth.app/databases/authenticator.db3, table authenticator. Each row
 * is the record a Stratum backup holds, read by stratum_entry.c. */
#include <stdint.h>

#include "lib/entry_issue.h"
#include "otpvault/importer.h"
#include "lib/sqlite_db.h"
#include "lib/stratum_entry.h"

static const char *const sniff_columns[] = { "secret", "issuer", "username", "algorithm",
                                             NULL };

enum { C_TYPE, C_ISSUER, C_USERNAME, C_SECRET, C_PIN, C_ALGO, C_DIGITS, C_PERIOD, C_COUNTER };

static const struct ov_sqlite_column columns[] = {
    [C_TYPE] = { "type", false },
    [C_ISSUER] = { "issuer", false },
    [C_USERNAME] = { "username", true },
    [C_SECRET] = { "secret", false },
    [C_PIN] = { "pin", true },
    [C_ALGO] = { "algorithm", true },
    [C_DIGITS] = { "digits", true },
    [C_PERIOD] = { "period", true },
    [C_COUNTER] = { "counter", true },
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

static int stratum_db_load(const struct ov_blob *in, struct ov_import_opts *opts,
                           struct ov_account_list *out, struct ov_error *err)
{
    struct ov_sqlite s;
    sqlite3_stmt *st = NULL;
    size_t row = 0;
    int rc;

    if ((rc = ov_sqlite_open(in, &s, err)) != OV_OK)
        goto done;
    if ((rc = ov_sqlite_require_table(&s, "authenticator", "a Stratum database", NULL,
                                      err)) != OV_OK ||
        (rc = ov_sqlite_select(&s, "authenticator", columns, sizeof columns / sizeof *columns,
                               &st, err)) != OV_OK)
        goto done;
    while ((rc = ov_sqlite_step(&s, st, err)) == 1) {
        struct ov_stratum_record r = { 0 };
        struct ov_account a;
        struct ov_error e = { 0 };

        row++;
        ov_account_init(&a);
        if (read_record(st, &r, &e) == OV_OK && ov_stratum_record_to_account(&r, &a, &e) ==
                                                    OV_OK)
            ov_account_list_push(out, &a);
        else
            ov_entry_issue(opts, row, r.issuer, r.username, e.msg);
        ov_account_free(&a);
    }
done:
    sqlite3_finalize(st);
    ov_sqlite_close(&s);
    return rc < 0 ? rc : OV_OK;
}

const struct ov_importer ov_importer_stratum_db = {
    .name = "stratum-db",
    .label = "Stratum / Authenticator Pro internal database (authenticator.db3, rooted phone)",
    .sniff = stratum_db_sniff,
    .load = stratum_db_load,
    .needs_password = false,
};
