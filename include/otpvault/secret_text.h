/* Secrets stored as text (Base32 in URIs and most exports, Base64, hex), decoded straight
 * into an account's secure memory: the one decoder, with one length limit, for the URI
 * parser, the importers and the faces. */
#ifndef OTPVAULT_SECRET_TEXT_H
#define OTPVAULT_SECRET_TEXT_H

#include "otpvault/account.h"
#include "otpvault/error.h"

enum ov_secret_encoding { OV_SECRET_BASE32, OV_SECRET_BASE64, OV_SECRET_HEX };

/* Hex is the widest encoding: a key of OV_SECRET_MAX bytes plus room for separators. Longer
 * text is refused before anything is allocated (the secure pool aborts on huge requests). */
#define OV_SECRET_TEXT_MAX (OV_SECRET_MAX * 2 + 64)

/* Decodes text (lenient Base32 as codec.h says; Base64 standard or URL-safe; hex in either
 * case) into a's secret, replacing what it held. Errors: "the secret is empty", "invalid
 * character 'x' at position 3 of the secret (Base32)" or "the secret (hex): <what else the
 * codec says>", and OV_ERR_LIMIT for "the secret (hex): N characters,
 * too long for a key" or "the secret is N bytes, more than 1024". */
int ov_secret_text_set(struct ov_account *a, const char *text, enum ov_secret_encoding enc,
                       struct ov_error *err);

#endif
