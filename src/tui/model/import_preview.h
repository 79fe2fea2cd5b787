/* An import as the app shows it before anything is added (a one-line count, each account's
 * OTP parameters in words, the message afterwards), and adding it: the chosen accounts are
 * moved into the vault's list, and moved back if the save fails, so the vault in memory
 * never holds what is not on disk. */
#ifndef OTPVAULT_IMPORT_PREVIEW_H
#define OTPVAULT_IMPORT_PREVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "otpvault/import.h"

/* "12 new, 2 already in the vault, 1 failed", then ", 1 twice in the inputs" and
 * "; 1 input could not be read" when there are such. brief, for narrow screens:
 * "12 new, 2 present, 1 failed, 1 twice; 1 input unread". */
void ov_import_summary(const struct ov_import_report *r, bool brief, char *out, size_t n);

/* "TOTP SHA1, 6 digits, 30 s" or "HOTP SHA1, 6 digits, counter 5": never the secret. */
void ov_import_account_params(const struct ov_account *a, char *out, size_t n);

/* Moves the report's accounts whose skip flag is unset (skip may be NULL: all of them) to
 * the end of into, in report order, stamping created with now where it is unknown.
 * Returns how many were moved; their slots in the report are left empty. */
size_t ov_import_commit(struct ov_import_report *r, const bool *skip,
                        struct ov_account_list *into, int64_t now);

/* Undoes ov_import_commit (same skip) after a failed save: the accounts from index mark of
 * into on (mark = into->len before the commit) go back to their slots in the report. */
void ov_import_uncommit(struct ov_import_report *r, const bool *skip,
                        struct ov_account_list *into, size_t mark);

/* The status after adding: "imported 12 accounts from shot.png (2 already present)".
 * Inputs are named by their base names, two at most ("from 3 files" beyond). */
void ov_import_done_message(size_t added, size_t present, const char *const *names,
                            size_t nnames, char *out, size_t n);

#endif
