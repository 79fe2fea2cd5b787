/* Building accounts from the separate fields of export files: secrets decoded straight into
 * secure memory, the fixed parameters of Steam/mOTP/Yandex, and the last step every importer
 * shares (issuer/name rule of design.md 4.1, validation, per-entry issue on failure). */
#ifndef IMPORTERS_ACCOUNT_BUILD_H
#define IMPORTERS_ACCOUNT_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "otpvault/account.h"
#include "otpvault/importer.h"
#include "otpvault/secret_text.h" /* ov_secret_text_set, which the importers decode with */

/* Replaces *a (initialised) with the account an otpauth://, motp:// or steam:// URI
 * describes; on error *a is left as it was. */
int ab_from_uri(struct ov_account *a, const char *uri, struct ov_error *err);

/* code with "unknown <what> '<value>'", the value cut short and made printable (it comes
 * from the file and ends up on a terminal). */
int ab_unknown(struct ov_error *err, int code, const char *what, const char *value);
/* Parses an algorithm name into a->algo; MD5 only when allow_md5 (mOTP). */
int ab_algo(struct ov_account *a, const char *text, bool allow_md5, struct ov_error *err);

/* "TOTP", "HOTP" or "STEAM" in any case into a->type; else OV_ERR_INVALID "unknown <what>
 * '<text>'". */
int ab_type_name(struct ov_account *a, const char *text, const char *what,
                 struct ov_error *err);


/* Applies the issuer/name rule, validates and moves a into out. On failure records an issue
 * "entry N (issuer: name): reason" and frees a. Returns whether the account was added. */
bool ab_add(struct ov_account *a, struct ov_import_opts *opts, size_t position,
            struct ov_account_list *out);
/* Records an issue for entry `position` (naming the account when issuer or name is known)
 * and frees a. */
void ab_reject(struct ov_account *a, struct ov_import_opts *opts, size_t position,
               const char *reason);
/* The same for an entry skipped on purpose (nothing importable, e.g. a kind of entry the
 * source app exports incompletely): a note that is not counted as a failure. */
void ab_skip(struct ov_account *a, struct ov_import_opts *opts, size_t position,
             const char *reason);

#endif
