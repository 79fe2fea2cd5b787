/* Google Authenticator's legacy database (formats.md 2.2): versions up to 5.10 kept
 * /data/data/com.google.android.apps.authenticator2/databases/databases, table accounts.
 * type 0 is TOTP, 1 HOTP (counter column); always SHA1, 6 digits, 30 s. Later versions mark
 * Keystore-encrypted secrets with isencrypted; those cannot be read off the phone (the app's
 * "Transfer accounts" QR codes can: otpvault imports their screenshots). */
#include <stdint.h>
#include <string.h>

#include "otpvault/importer.h"
#include "otpvault/uri.h"
#include "otpvault/secret_text.h"
#include "lib/sqlite_db.h"

static const char *const sniff_columns[] = { "email", "secret", NULL };

enum { C_EMAIL, C_SECRET, C_COUNTER, C_TYPE, C_ISSUER, C_ENCRYPTED };

static const struct ov_sqlite_column columns[] = {
    [C_EMAIL] = { "email", false }, [C_SECRET] = { "secret", false },
    [C_COUNTER] = { "counter", true }, [C_TYPE] = { "type", true },
    [C_ISSUER] = { "issuer", true },   /* added in a later version of the app */
    [C_ENCRYPTED] = { "isencrypted", true },
};

static int gauth_db_sniff(const struct ov_blob *in)
{
    return ov_sqlite_sniff_table(in, "accounts", sniff_columns);
}

static int read_row(sqlite3_stmt *st, struct ov_account *a, const char **issuer,
                    const char **email, struct ov_error *err)
{
    const char *secret;
    int64_t type, counter, encrypted;
    int rc;

    if ((rc = ov_sqlite_text(st, C_EMAIL, "email", email, err)) != OV_OK ||
        (rc = ov_sqlite_text(st, C_ISSUER, "issuer", issuer, err)) != OV_OK ||
        (rc = ov_sqlite_text(st, C_SECRET, "secret", &secret, err)) != OV_OK ||
        (rc = ov_sqlite_int(st, C_TYPE, "type", 0, INT32_MIN, INT32_MAX, &type, err)) !=
            OV_OK ||
        (rc = ov_sqlite_int(st, C_COUNTER, "counter", 0, 0, INT64_MAX, &counter, err)) !=
            OV_OK ||
        (rc = ov_sqlite_int(st, C_ENCRYPTED, "isencrypted", 0, INT64_MIN, INT64_MAX,
                            &encrypted, err)) != OV_OK)
        return rc;
    if (encrypted > 0)
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "the secret is encrypted with a key that "
                            "never leaves the phone (Android Keystore); export with the app's "
                            "'Transfer accounts' QR codes and import a screenshot instead");
    if (type != 0 && type != 1)
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "unknown type %lld (0 TOTP, 1 HOTP)",
                            (long long)type);
    if (secret == NULL || secret[0] == '\0')
        return ov_error_set(err, OV_ERR_INVALID, "no secret");
    if ((rc = ov_secret_text_set(a, secret, OV_SECRET_BASE32, err)) != OV_OK)
        return rc;
    a->type = type == 1 ? OV_HOTP : OV_TOTP;
    a->counter = (uint64_t)counter;
    /* The app wrote "Issuer:account" labels into email, which the label rule splits (Aegis
     * keeps the part after the colon only when there is exactly one). */
    return OV_OK;
}

OV_SQLITE_IMPORTER(gauth_db, "gauth-db",
                   "Google Authenticator database up to version 5.10 (databases, rooted phone)",
                   "accounts", "a Google Authenticator database", NULL);
