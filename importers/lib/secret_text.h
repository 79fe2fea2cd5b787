/* Secrets that export files store as text (Base32, Base64, hex), decoded straight into the
 * account's secure memory. */
#ifndef IMPORTERS_SECRET_TEXT_H
#define IMPORTERS_SECRET_TEXT_H

#include "otpvault/account.h"
#include "otpvault/error.h"

enum ov_secret_encoding { OV_SECRET_BASE32, OV_SECRET_BASE64, OV_SECRET_HEX };

/* Decodes text (lenient Base32 as codec.h says; Base64 standard or URL-safe; hex in either
 * case) into a's secret. Errors, prefixed "secret (<encoding>)": a bad character or length,
 * an empty result, or text longer than any key (OV_ERR_LIMIT, checked before allocating). */
int ov_secret_text_set(struct ov_account *a, const char *text, enum ov_secret_encoding enc,
                       struct ov_error *err);

/* Shorthands used by the Stratum and Bitwarden importers. */
int st_set_base32(struct ov_account *a, const char *text, struct ov_error *err);
int st_set_hex(struct ov_account *a, const char *text, struct ov_error *err);

#endif
