/* otpauth:// Key Uri Format: parsing with every real-world deviation of formats.md 20.3,
 * and formatting that our parser (and other apps) read back identically. */
#ifndef OTPVAULT_URI_H
#define OTPVAULT_URI_H

#include "otpvault/account.h"
#include "otpvault/error.h"

/* Longer URIs are refused (OV_ERR_LIMIT) before they are copied into secure memory: a secret
 * is at most OV_SECRET_MAX bytes, and no label or parameter needs megabytes. */
#define OV_URI_MAX (1024u * 1024u)

/* Parses an otpauth://, motp:// or steam:// URI into *out (initialised by the call; freed by
 * the caller with ov_account_free even on error). Leading/trailing white space and a BOM are
 * ignored. Errors name the problem and where (parameter, or position in the label/secret);
 * a URI over OV_URI_MAX bytes is OV_ERR_LIMIT.
 * warning, if not NULL, receives a short note for accepted oddities (e.g. "hotp without
 * counter, using 0") or "" when there is none. */
int ov_uri_parse(const char *uri, struct ov_account *out, char *warning, size_t warning_len,
                 struct ov_error *err);

/* Formats the account as an otpauth:// URI (motp:// for mOTP). The result holds the secret,
 * so it is returned in secure memory: free it with ov_secure_free_str. */
char *ov_uri_format(const struct ov_account *a);

/* Applies the issuer/name contract (design.md 4.1) to fields that arrived separately:
 * splits "Issuer:name" when issuer is empty, drops a redundant "Issuer:" prefix. */
void ov_account_normalise_label(struct ov_account *a);

#endif
