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

#endif
