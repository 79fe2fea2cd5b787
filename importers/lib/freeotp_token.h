/* FreeOTP's token JSON (formats.md 5.1), shared by FreeOTP 1.x / FreeOTP+ tokens.xml (secret
 * inside, as an array of signed Java bytes) and FreeOTP 2.x backups (secret encrypted
 * elsewhere), plus the signed-byte arrays both use. */
#ifndef IMPORTERS_FREEOTP_TOKEN_H
#define IMPORTERS_FREEOTP_TOKEN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "otpvault/account.h"
#include "otpvault/error.h"

/* Decodes the JSON array at key `key` of obj, whose elements are Java bytes (-128..127;
 * 0..255 also accepted), into a new secure buffer of *len bytes (at least 1 element, at
 * most max). Errors name the key and the element. */
int ov_freeotp_bytes(json_t *obj, const char *key, size_t max, uint8_t **out, size_t *len,
                     struct ov_error *err);

/* Fills a (initialised by the caller) from token: type (TOTP, HOTP; TOTP with issuer
 * "Steam" is a Steam token), algo, digits, period, counter (kept as stored), issuerExt and
 * label (absent: ""), then the issuer/name rule of design.md 4.1. The secret is `secret`
 * when given, else the token's own "secret" array. The account is validated. */
int ov_freeotp_token(json_t *token, const uint8_t *secret, size_t secret_len,
                     struct ov_account *a, struct ov_error *err);

#endif
