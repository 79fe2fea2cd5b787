/* An import as the app shows it before anything is added: a one-line count, each account's
 * OTP parameters in words, and the message afterwards. (Adding it is ov_import_commit.) */
#ifndef OTPVAULT_IMPORT_PREVIEW_H
#define OTPVAULT_IMPORT_PREVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include "otpvault/import.h"

/* "12 new, 2 already in the vault, 1 failed", then ", 1 twice in the inputs" and
 * "; 1 input could not be read" when there are such. brief, for narrow screens:
 * "12 new, 2 present, 1 failed, 1 twice; 1 input unread". */
void ov_import_summary(const struct ov_import_report *r, bool brief, char *out, size_t n);

/* "TOTP SHA1, 6 digits, 30 s" or "HOTP SHA1, 6 digits, counter 5": never the secret. */
void ov_import_account_params(const struct ov_account *a, char *out, size_t n);

/* The status after adding: "imported 12 accounts from shot.png (2 already present)".
 * Inputs are named by their base names, two at most ("from 3 files" beyond). */
void ov_import_done_message(size_t added, size_t present, const char *const *names,
                            size_t nnames, char *out, size_t n);

#endif
