/* The shape most JSON exports share: a document that must be an object, holding a list of
 * entries, each read into an account or reported on its own. */
#ifndef IMPORTERS_JSON_ENTRIES_H
#define IMPORTERS_JSON_ENTRIES_H

#include <jansson.h>

#include "otpvault/account.h"
#include "otpvault/importer.h"

/* Parses in (jf_parse) as the top-level object of `what` ("a FreeOTP+ export"): otherwise
 * OV_ERR_INVALID "not a FreeOTP+ export: the file is an array, expected an object". On OV_OK
 * the caller owns *root. */
int ov_json_parse_object(const struct ov_blob *in, const char *what, json_t **root,
                         struct ov_error *err);

/* The format version at key of obj, which must be there (else OV_ERR_INVALID "not <what>:
 * no '<key>'") and within 1..max (else OV_ERR_UNSUPPORTED "<what_version> 7 is not supported
 * (1 to 4 are)"). */
int ov_json_version(json_t *obj, const char *key, const char *what, const char *what_version,
                    int max, int64_t *version, struct ov_error *err);

/* A reader's status for an entry skipped on purpose (nothing importable, e.g. a kind of
 * entry the source app exports incompletely), err saying why: a note, not a failure. */
#define OV_ENTRY_SKIPPED 1

/* Reads one entry into a (initialised). ctx is the importer's (groups, folders, version).
 * OV_OK, OV_ENTRY_SKIPPED, or an error (the entry failed, err saying why). */
typedef int (*ov_json_entry_reader)(json_t *entry, void *ctx, struct ov_account *a,
                                    struct ov_error *err);

/* Every element of the array entries through read, numbered from 1: the account into out
 * (issuer/name rule and validation of ab_add), or an issue for that entry. */
void ov_json_read_entries(json_t *entries, ov_json_entry_reader read, void *ctx,
                          struct ov_import_opts *opts, struct ov_account_list *out);

/* The key names of the OTP fields an export keeps side by side in one object; NULL where
 * the format has no such field (its default holds). */
struct ov_json_otp_keys {
    const char *secret;      /* Base32, required */
    const char *algorithm;   /* default SHA1; never MD5 */
    const char *digits;      /* default 6 */
    const char *period;      /* default 30 */
    const char *counter;     /* default 0; kept for HOTP accounts only */
};

/* Reads those fields of obj into a, whose type is known already, in that order (the first
 * problem is the one reported), then fixes what Steam, mOTP and Yandex always are. */
int ov_json_otp_fields(json_t *obj, const struct ov_json_otp_keys *keys, struct ov_account *a,
                       struct ov_error *err);

/* The whole of the simplest exports: the entries are the required array member key of an
 * object, or with key NULL the document itself, an array ("not a Duo account list: the
 * file is an object, expected an array"); each read as ov_json_read_entries does. */
int ov_json_read_list(const struct ov_blob *in, const char *what, const char *key,
                      ov_json_entry_reader read, struct ov_import_opts *opts,
                      struct ov_account_list *out, struct ov_error *err);

#endif
