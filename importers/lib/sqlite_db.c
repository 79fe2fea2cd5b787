/* See sqlite_db.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "otpvault/codec.h"
#include "otpvault/mem.h"
#include "account_build.h"
#include "entry_issue.h"
#include "sensitive_buf.h"
#include "sqlite_db.h"

struct ov_sqlite {
    sqlite3 *db;
    struct ov_sensitive_buf image; /* the copy of the file the in-memory database reads */
    unsigned long steps; /* progress-handler calls so far: the work bound */
    const char *name;   /* the input's name, for messages */
    bool wal;           /* the file is a WAL-mode database: recent rows may be in its -wal */
};

static const char sqlite_magic[16] = "SQLite format 3";   /* with its NUL: 16 bytes */

/* The progress handler runs every PROGRESS_OPS virtual machine instructions; past
 * PROGRESS_MAX calls (about 10^8 instructions, a second or so) a statement is interrupted.
 * Reading thousands of accounts takes a few hundred calls. */
#define PROGRESS_OPS 1000
#define PROGRESS_MAX 100000ul
/* No value we read is longer; a crafted row cannot make SQLite build a huge string. */
#define VALUE_MAX (4 * 1024 * 1024)

bool ov_sqlite_magic(const struct ov_blob *in)
{
    return in->len >= sizeof sqlite_magic &&
           memcmp(in->data, sqlite_magic, sizeof sqlite_magic) == 0;
}

static int progress(void *ctx)
{
    struct ov_sqlite *s = ctx;
    return ++s->steps > PROGRESS_MAX;
}

static int db_error(struct ov_sqlite *s, int rc, struct ov_error *err)
{
    if (rc == SQLITE_INTERRUPT)
        return ov_error_set(err, OV_ERR_LIMIT, "%s: reading the database takes too much work; "
                            "it is damaged or crafted", s->name);
    return ov_error_set(err, OV_ERR_INVALID, "%s: damaged SQLite database (%s)", s->name,
                        s->db != NULL ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
}

/* The page size the header declares (bytes 16-17, big-endian; 1 means 65536), 0 if invalid. */
static size_t page_size(const uint8_t *h)
{
    size_t n = (size_t)h[16] << 8 | h[17];
    if (n == 1)
        return 65536;
    return n >= 512 && (n & (n - 1)) == 0 ? n : 0;
}

/* Settings from SQLite's "Defense Against The Dark Arts" for databases of unknown origin. */
static void harden(sqlite3 *db, struct ov_sqlite *s)
{
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)NULL);
#ifdef SQLITE_DBCONFIG_TRUSTED_SCHEMA
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
#endif
#ifdef SQLITE_DBCONFIG_ENABLE_VIEW
    /* Our tables are tables: a view by that name could hide any amount of work. */
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, (int *)NULL);
#endif
    sqlite3_limit(db, SQLITE_LIMIT_LENGTH, VALUE_MAX);
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_progress_handler(db, PROGRESS_OPS, progress, s);
}

/* Runs one statement that returns nothing we need; OV_OK or a damaged-database error. */
static int exec(struct ov_sqlite *s, const char *sql, struct ov_error *err)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

    if (rc == SQLITE_OK) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            ;
        if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? OV_OK : db_error(s, rc, err);
}

/* Opens in as a read-only database. Errors: OV_ERR_INVALID (not SQLite, damaged),
 * OV_ERR_LIMIT (too large). Always call ov_sqlite_close, even after an error. */
static int ov_sqlite_open(const struct ov_blob *in, struct ov_sqlite *s, struct ov_error *err)
{
    uint8_t *image;
    size_t psize;
    int rc;

    memset(s, 0, sizeof *s);
    s->name = in->name;
    if (!ov_sqlite_magic(in))
        return ov_error_set(err, OV_ERR_INVALID, "%s: not a SQLite database", in->name);
    if (in->len < 100)
        return ov_error_set(err, OV_ERR_INVALID, "%s: truncated SQLite database (%zu bytes, "
                            "the header alone is 100)", in->name, in->len);
    if (in->len > OV_SQLITE_MAX_BYTES)
        return ov_error_set(err, OV_ERR_LIMIT, "%s: the database is %zu MiB, more than the %u "
                            "MiB an authenticator's database could need", in->name,
                            in->len >> 20, OV_SQLITE_MAX_BYTES >> 20);
    psize = page_size(in->data);
    if (psize == 0)
        return ov_error_set(err, OV_ERR_INVALID, "%s: damaged SQLite database (page size %u "
                            "in the header)", in->name, (unsigned)in->data[16] << 8 |
                            in->data[17]);
    if (in->len % psize != 0)
        return ov_error_set(err, OV_ERR_INVALID, "%s: truncated SQLite database (%zu bytes "
                            "is not a whole number of %zu-byte pages)", in->name, in->len,
                            psize);

    image = ov_sensitive_alloc(&s->image, in->len);
    memcpy(image, in->data, in->len);
    /* Bytes 18-19 are 2 in a WAL-mode database (Android's default). The copy comes without
     * its -wal and -shm files, which an in-memory database cannot have anyway: read it as
     * a rollback-journal database, which it is as far as the main file goes. */
    s->wal = image[18] == 2 || image[19] == 2;
    if (image[18] == 2)
        image[18] = 1;
    if (image[19] == 2)
        image[19] = 1;

    rc = sqlite3_open_v2(":memory:", &s->db, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK)
        return ov_error_set(err, OV_ERR_NOMEM, "%s: cannot start SQLite (%s)", in->name,
                            sqlite3_errstr(rc));
    harden(s->db, s);
    /* No FREEONCLOSE: the image stays ours, to wipe. */
    rc = sqlite3_deserialize(s->db, "main", image, (sqlite3_int64)in->len,
                             (sqlite3_int64)in->len, SQLITE_DESERIALIZE_READONLY);
    if (rc != SQLITE_OK)
        return db_error(s, rc, err);
    if ((rc = exec(s, "PRAGMA cell_size_check = ON", err)) != OV_OK)
        return rc;
    /* Reading the schema now makes a damaged first page an error here, not later. */
    return exec(s, "SELECT count(*) FROM sqlite_master", err);
}

static void ov_sqlite_close(struct ov_sqlite *s)
{
    if (s->db != NULL)
        sqlite3_close(s->db);
    ov_sensitive_free(&s->image);
    s->db = NULL;
}

/* Whether the query (one or two text parameters; b may be NULL) returns a row; sets *found,
 * returns a SQLite status. */
static int query_finds(struct ov_sqlite *s, const char *sql, const char *a, const char *b,
                       bool *found)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

    *found = false;
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
        if (b != NULL)
            sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        *found = rc == SQLITE_ROW;
        if (rc == SQLITE_ROW || rc == SQLITE_DONE)
            rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/* Whether table exists as a table. */
static int table_exists(struct ov_sqlite *s, const char *table, bool *exists)
{
    return query_finds(s, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1 "
                       "COLLATE NOCASE", table, NULL, exists);
}

/* Whether table has column; the table must exist. */
static int has_column(struct ov_sqlite *s, const char *table, const char *column, bool *found)
{
    return query_finds(s, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2 COLLATE NOCASE",
                       table, column, found);
}

/* Whether table exists (as a table) and has every column of the NULL-terminated list. */
static bool ov_sqlite_has_columns(struct ov_sqlite *s, const char *table, const char *const *columns)
{
    bool ok;

    if (table_exists(s, table, &ok) != SQLITE_OK || !ok)
        return false;
    for (size_t i = 0; columns[i] != NULL; i++)
        if (has_column(s, table, columns[i], &ok) != SQLITE_OK || !ok)
            return false;
    return true;
}

int ov_sqlite_sniff_table(const struct ov_blob *in, const char *table,
                          const char *const *columns)
{
    struct ov_sqlite s;
    int score = 0;

    if (!ov_sqlite_magic(in))
        return 0;
    /* The schema is stored as SQL text: a name missing from the bytes is missing from the
     * database, which spares opening it for every other database. */
    if (memmem(in->data, in->len, table, strlen(table)) == NULL)
        return 0;
    for (size_t i = 0; columns[i] != NULL; i++)
        if (memmem(in->data, in->len, columns[i], strlen(columns[i])) == NULL)
            return 0;
    if (ov_sqlite_open(in, &s, NULL) == OV_OK && ov_sqlite_has_columns(&s, table, columns))
        score = 95;
    ov_sqlite_close(&s);
    return score;
}

/* "a, b, c": the database's table names, for messages ("(none)" when there are none). */
static void ov_sqlite_tables(struct ov_sqlite *s, char *buf, size_t size)
{
    sqlite3_stmt *st;
    size_t used = 0;

    buf[0] = '\0';
    if (sqlite3_prepare_v2(s->db, "SELECT name FROM sqlite_master WHERE type = 'table' AND "
                           "name NOT LIKE 'sqlite!_%' ESCAPE '!'", -1, &st, NULL) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW && used + 1 < size) {
            const char *name = (const char *)sqlite3_column_text(st, 0);
            char shown[80];
            ov_text_excerpt(name != NULL ? name : "", name != NULL ?
                            (size_t)sqlite3_column_bytes(st, 0) : 0, 32, shown, sizeof shown);
            int n = snprintf(buf + used, size - used, "%s%s", used > 0 ? ", " : "", shown);
            if (n < 0)
                break;
            used += (size_t)n;
        }
    }
    sqlite3_finalize(st);
    if (used >= size && size > 4)
        memcpy(buf + size - 4, "...", 4);
    if (buf[0] == '\0')
        snprintf(buf, size, "(none)");
}

/* OV_OK when table exists; else OV_ERR_INVALID "<input>: not <what>: it has no table '<table>'
 * (its tables: ...)" followed by hint when not NULL. */
static int ov_sqlite_require_table(struct ov_sqlite *s, const char *table, const char *what,
                            const char *hint, struct ov_error *err)
{
    char tables[200];
    bool exists;
    int rc = table_exists(s, table, &exists);

    if (rc != SQLITE_OK)
        return db_error(s, rc, err);
    if (exists)
        return OV_OK;
    ov_sqlite_tables(s, tables, sizeof tables);
    return ov_error_set(err, OV_ERR_INVALID, "%s: not %s: it has no table '%s' (its tables: "
                        "%s)%s", s->name, what, table, tables, hint != NULL ? hint : "");
}

/* Prepares SELECT of the n columns from table, in the table's own order. A required column
 * that is missing is OV_ERR_INVALID naming it. */
static int ov_sqlite_select(struct ov_sqlite *s, const char *table, const struct ov_sqlite_column *cols,
                     size_t n, sqlite3_stmt **stmt, struct ov_error *err)
{
    char sql[1024];
    size_t used;
    bool exists;
    int rc;

    *stmt = NULL;
    if ((rc = table_exists(s, table, &exists)) != SQLITE_OK)
        return db_error(s, rc, err);
    if (!exists)
        return ov_error_set(err, OV_ERR_INVALID, "%s: the database has no table '%s'", s->name,
                            table);
    used = (size_t)snprintf(sql, sizeof sql, "SELECT ");
    for (size_t i = 0; i < n; i++) {
        if ((rc = has_column(s, table, cols[i].name, &exists)) != SQLITE_OK)
            return db_error(s, rc, err);
        if (!exists && !cols[i].optional)
            return ov_error_set(err, OV_ERR_INVALID, "%s: table '%s' has no column '%s'",
                                s->name, table, cols[i].name);
        /* Names are our own constants: quoting them is enough. */
        used += (size_t)snprintf(sql + used, sizeof sql - used, "%s%s%s%s", i > 0 ? ", " : "",
                                 exists ? "\"" : "NULL", exists ? cols[i].name : "",
                                 exists ? "\"" : "");
    }
    snprintf(sql + used, sizeof sql - used, " FROM \"%s\"", table);
    rc = sqlite3_prepare_v2(s->db, sql, -1, stmt, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(*stmt);
        *stmt = NULL;
        return db_error(s, rc, err);
    }
    return OV_OK;
}

/* 1 when a row is ready, 0 when there are no more, or a negative status (damaged database,
 * work bound reached) with a message naming the input. */
static int ov_sqlite_step(struct ov_sqlite *s, sqlite3_stmt *stmt, struct ov_error *err)
{
    int rc = sqlite3_step(stmt);

    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    return db_error(s, rc, err);
}

int ov_sqlite_text(sqlite3_stmt *stmt, int col, const char *what, const char **out,
                   struct ov_error *err)
{
    const char *text;
    size_t len;

    *out = NULL;
    if (sqlite3_column_type(stmt, col) == SQLITE_NULL)
        return OV_OK;
    text = (const char *)sqlite3_column_text(stmt, col);
    len = (size_t)sqlite3_column_bytes(stmt, col);
    if (text == NULL)
        return ov_error_set(err, OV_ERR_NOMEM, "column %s: out of memory", what);
    if (memchr(text, '\0', len) != NULL)
        return ov_error_set(err, OV_ERR_INVALID, "column %s holds a NUL byte", what);
    for (size_t i = 0; i < len;) {
        size_t n = ov_utf8_char_len(text + i, len - i);
        if (n == 0)
            return ov_error_set(err, OV_ERR_INVALID, "column %s is not valid UTF-8 (byte %zu)",
                                what, i + 1);
        i += n;
    }
    *out = text;
    return OV_OK;
}

/* Strict decimal integer text: optional sign, digits, nothing else. */
static bool parse_int(const char *text, int64_t *out)
{
    char *end;
    long long v;

    if (text == NULL || text[0] == '\0' || !(text[0] == '-' || (text[0] >= '0' &&
                                                                 text[0] <= '9')))
        return false;
    errno = 0;
    v = strtoll(text, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
    *out = v;
    return true;
}

int ov_sqlite_int(sqlite3_stmt *stmt, int col, const char *what, int64_t def, int64_t min,
                  int64_t max, int64_t *out, struct ov_error *err)
{
    int64_t v;

    switch (sqlite3_column_type(stmt, col)) {
    case SQLITE_NULL:
        *out = def;
        return OV_OK;
    case SQLITE_INTEGER:
        v = sqlite3_column_int64(stmt, col);
        break;
    case SQLITE_FLOAT: {
        double d = sqlite3_column_double(stmt, col);
        if (!(d >= -9.2e18 && d <= 9.2e18) || d != (double)(int64_t)d)
            return ov_error_set(err, OV_ERR_INVALID, "column %s is not a whole number", what);
        v = (int64_t)d;
        break;
    }
    case SQLITE_TEXT: {
        const char *text = (const char *)sqlite3_column_text(stmt, col);
        char shown[40];
        if (!parse_int(text, &v)) {
            ov_text_excerpt(text != NULL ? text : "", text != NULL ?
                            (size_t)sqlite3_column_bytes(stmt, col) : 0, 12, shown,
                            sizeof shown);
            return ov_error_set(err, OV_ERR_INVALID, "column %s is not a number: \"%s\"", what,
                                shown);
        }
        break;
    }
    default:
        return ov_error_set(err, OV_ERR_INVALID, "column %s is binary data, not a number",
                            what);
    }
    if (v < min || v > max)
        return ov_error_set(err, OV_ERR_INVALID, "column %s is %lld, outside %lld to %lld",
                            what, (long long)v, (long long)min, (long long)max);
    *out = v;
    return OV_OK;
}

int ov_sqlite_read_accounts(const struct ov_blob *in, const struct ov_sqlite_accounts *spec,
                            struct ov_import_opts *opts, struct ov_account_list *out,
                            struct ov_error *err)
{
    struct ov_sqlite s;
    sqlite3_stmt *st = NULL;
    size_t row = 0;
    int rc;

    if ((rc = ov_sqlite_open(in, &s, err)) != OV_OK)
        goto done;
    if ((rc = ov_sqlite_require_table(&s, spec->table, spec->what,
                                      s.wal ? spec->wal_hint : NULL, err)) != OV_OK ||
        (rc = ov_sqlite_select(&s, spec->table, spec->columns, spec->ncolumns, &st, err)) !=
            OV_OK)
        goto done;
    while ((rc = ov_sqlite_step(&s, st, err)) == 1) {
        const char *issuer = NULL, *name = NULL;
        struct ov_account a;
        struct ov_error e = { 0 };

        row++;
        ov_account_init(&a);
        if (spec->read_row(st, &a, &issuer, &name, &e) == OV_OK) {
            ov_account_set_text(&a.issuer, issuer != NULL ? issuer : "");
            ov_account_set_text(&a.name, name != NULL ? name : "");
            ab_add(&a, opts, row, out);
        } else
            ov_entry_issue(opts, row, issuer, name, e.msg);
        ov_account_free(&a);
    }
    if (rc == 0 && row == 0 && spec->wal_hint != NULL)
        rc = ov_error_set(err, OV_ERR_INVALID, "%s: the %s table is empty%s", in->name,
                          spec->table, s.wal ? spec->wal_hint : "");
done:
    sqlite3_finalize(st);
    ov_sqlite_close(&s);
    return rc < 0 ? rc : OV_OK;
}
