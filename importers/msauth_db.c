/* Microsoft Authenticator's database (formats.md 10): /data/data/com.azure.authenticator/
 * databases/PhoneFactor, table accounts. The app has no export, so this file (from a rooted
 * phone, see docs/microsoft-authenticator.md) is the only way to move its accounts.
 *
 * account_type 0 (other accounts) holds a Base32 TOTP secret, 1 (personal Microsoft account) a
 * Base64 one with 8-digit codes; both SHA1, 30 s. Other types (work or school accounts) and
 * secrets that newer versions encrypt with the phone's Keystore cannot be imported: each is
 * reported with the reason, where Aegis skips them silently. */
#include <stdint.h>
#include <string.h>

#include "otpvault/importer.h"
#include "otpvault/uri.h"
#include "otpvault/secret_text.h"
#include "lib/sqlite_db.h"

#define TYPE_OTHER 0
#define TYPE_MICROSOFT 1
#define TYPE_WORK 2

static const char *const sniff_columns[] = { "oath_secret_key", "account_type", NULL };

enum { C_ISSUER, C_NAME, C_SECRET, C_TYPE, C_ENCRYPTED };

static const struct ov_sqlite_column columns[] = {
    [C_ISSUER] = { "name", false }, [C_NAME] = { "username", false },
    [C_SECRET] = { "oath_secret_key", false }, [C_TYPE] = { "account_type", false },
    [C_ENCRYPTED] = { "encrypted_oath_secret_key", true },
};

/* WAL-mode databases keep recent changes in the -wal file next to them, which the user
 * may not have copied. */
static const char wal_hint[] =
    "; recent changes may still be in PhoneFactor-wal: see docs/microsoft-authenticator.md";

static int msauth_db_sniff(const struct ov_blob *in)
{
    if (ov_sqlite_sniff_table(in, "accounts", sniff_columns) > 0)
        return 95;
    /* Any other SQLite database: the lowest score, so that a database nobody reads gets a
     * message that names its tables rather than "unknown format". */
    return ov_sqlite_magic(in) ? 1 : 0;
}

/* Converts the current row; fills *issuer and *name (for messages) as soon as they are read. */
static int read_row(sqlite3_stmt *st, struct ov_account *a, const char **issuer,
                    const char **name, struct ov_error *err)
{
    const char *secret, *encrypted;
    int64_t type;
    int rc;

    if ((rc = ov_sqlite_text(st, C_ISSUER, "name", issuer, err)) != OV_OK ||
        (rc = ov_sqlite_text(st, C_NAME, "username", name, err)) != OV_OK ||
        (rc = ov_sqlite_int(st, C_TYPE, "account_type", 0, INT32_MIN, INT32_MAX, &type,
                            err)) != OV_OK ||
        (rc = ov_sqlite_text(st, C_SECRET, "oath_secret_key", &secret, err)) != OV_OK ||
        (rc = ov_sqlite_text(st, C_ENCRYPTED, "encrypted_oath_secret_key", &encrypted, err)) !=
            OV_OK)
        return rc;
    if (type != TYPE_OTHER && type != TYPE_MICROSOFT)
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "account_type %lld (%s) is not imported: "
                            "only type 0 (other accounts) and 1 (personal Microsoft account) "
                            "keep a standard TOTP secret", (long long)type,
                            type == TYPE_WORK ? "a work or school account" : "unknown");
    if (secret == NULL || secret[0] == '\0') {
        if (encrypted != NULL && encrypted[0] != '\0')
            return ov_error_set(err, OV_ERR_UNSUPPORTED, "the secret is encrypted with a key "
                                "that never leaves the phone (Android Keystore), as newer "
                                "versions of the app store it: it cannot be imported");
        return ov_error_set(err, OV_ERR_INVALID, "no secret (oath_secret_key is empty)");
    }
    if ((rc = ov_secret_text_set(a, secret, type == TYPE_MICROSOFT ? OV_SECRET_BASE64 :
                                  OV_SECRET_BASE32, err)) != OV_OK)
        return rc;
    a->type = OV_TOTP;
    a->algo = OV_SHA1;
    a->digits = type == TYPE_MICROSOFT ? 8 : 6;
    a->period = 30;
    return OV_OK;
}

OV_SQLITE_IMPORTER(msauth_db, "msauth-db",
                   "Microsoft Authenticator database (PhoneFactor, rooted Android phone)",
                   "accounts", "a Microsoft Authenticator database", wal_hint);
