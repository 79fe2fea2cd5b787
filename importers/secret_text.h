/* Secrets that export files store as text (Base32, hex), decoded through secure memory
 * straight into an account. */
#ifndef IMPORTERS_SECRET_TEXT_H
#define IMPORTERS_SECRET_TEXT_H

#include "otpvault/account.h"
#include "otpvault/error.h"

/* Base32 with the lenient rules of codec.h (any case, spaces, dashes and padding ignored;
 * lengths no byte string encodes to refused). Errors name the problem, never the secret. */
int st_set_base32(struct ov_account *a, const char *text, struct ov_error *err);
/* Hex, either case (mOTP secrets). */
int st_set_hex(struct ov_account *a, const char *text, struct ov_error *err);

#endif
