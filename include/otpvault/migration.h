/* Google Authenticator's "Transfer accounts" format (formats.md 2.1): the MigrationPayload
 * protobuf, and the otpauth-migration://offline?data=<Base64> URI that carries it in a QR.
 * Both directions: decoding what a phone shows, encoding what a phone can scan.
 *
 * Decoding never trusts the input: every length is checked against the bytes that remain,
 * one bad entry becomes a per-entry issue while the others still import, and a payload that
 * cannot be read as a whole is an error saying at which byte it broke. Secrets (and every
 * buffer that holds them: the URI's data, the payload) live in secure memory. */
#ifndef OTPVAULT_MIGRATION_H
#define OTPVAULT_MIGRATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "otpvault/account.h"
#include "otpvault/error.h"
#include "otpvault/importer.h"

/* Accounts per QR code in Google Authenticator's own exports. */
#define OV_MIGRATION_PER_QR 10
/* Payloads larger than this are refused (OV_ERR_LIMIT); a QR code holds under 3 KB. */
#define OV_MIGRATION_MAX_PAYLOAD (1024 * 1024)

/* The batch fields of one payload, as read (0 when absent). A multi-QR export is complete
 * when every batch_index in 0..batch_size-1 has been seen for one batch_id. */
struct ov_migration_batch {
    int32_t version;     /* 1 from Android, 2 from iOS; newer ones are read with a warning */
    int32_t batch_size;  /* number of QR codes in the export */
    int32_t batch_index; /* 0-based index of this QR code */
    bool has_batch_index;
    int32_t batch_id;    /* random, the same in every QR of one export; often negative */
};

/* --- decoding ------------------------------------------------------------------------ */

/* Decodes a raw MigrationPayload (protobuf bytes) and appends its accounts to out, in payload
 * order, with the issuer/name rule of design.md 4.1 applied. batch (may be NULL) receives the
 * batch fields.
 * Per-entry problems (unknown algorithm, empty secret, a damaged entry, ...) are added to
 * issues (may be NULL) with the entry's 1-based position in the payload; that entry is
 * skipped, the rest still import. Notes about the payload as a whole (a newer version) use
 * position 0.
 * A payload that cannot be read as a whole fails with OV_ERR_INVALID ("the migration data is
 * damaged at byte N: ...", or it holds no accounts at all); then nothing is appended to out,
 * no issue is added, and *batch is zeroed. */
int ov_migration_decode(const uint8_t *data, size_t len, struct ov_account_list *out,
                        struct ov_migration_batch *batch, struct ov_import_opts *issues,
                        struct ov_error *err);

/* Extracts and Base64-decodes the data= parameter of an otpauth-migration:// URI (scheme in
 * any case; surrounding white space and a BOM ignored; other parameters ignored). The value is
 * taken raw and percent-decoded without turning '+' into a space; spaces (left by readers
 * that did) become '+' again; missing '=' padding and the URL-safe alphabet are accepted.
 * *data (secure memory, free with ov_secure_free(*data, *len)) receives the payload bytes.
 * Errors name what was wrong: no data= parameter, an invalid percent escape, "data= is not
 * valid Base64 at position N" (N counts characters of the data= value as written); a data=
 * value too long for any payload this program reads is OV_ERR_LIMIT, refused uncopied. */
int ov_migration_uri_data(const char *uri, uint8_t **data, size_t *len, struct ov_error *err);

/* ov_migration_uri_data followed by ov_migration_decode. */
int ov_migration_parse_uri(const char *uri, struct ov_account_list *out,
                           struct ov_migration_batch *batch, struct ov_import_opts *issues,
                           struct ov_error *err);

/* --- encoding ------------------------------------------------------------------------ */

/* Whether the format can carry the account: TOTP with a 30-second period or HOTP (counter up
 * to 2^63-1); SHA1, SHA256, SHA512 or MD5; 6 or 8 digits; a non-empty secret. Steam, mOTP and
 * Yandex cannot be carried. OV_ERR_UNSUPPORTED otherwise, with a message naming the account
 * and what the format lacks, so a caller can leave it out and say why. */
int ov_migration_check_account(const struct ov_account *a, struct ov_error *err);

/* Encodes n accounts and the batch fields as a MigrationPayload. batch NULL means a single
 * QR: version 1, batch_size 1, batch_index 0 and a random batch_id. version, batch_size and
 * batch_index are always written, as Google does (has_batch_index is ignored); batch_id only
 * when it is not 0. Names and issuers are written as they are (no "Issuer:" prefix added).
 * Fails (nothing returned) when an account cannot be carried (see above) or the batch fields
 * are inconsistent. *out is in secure memory: free it with ov_secure_free(*out, *out_len). */
int ov_migration_encode(const struct ov_account *accounts, size_t n,
                        const struct ov_migration_batch *batch, uint8_t **out, size_t *out_len,
                        struct ov_error *err);

/* The same payload as otpauth-migration://offline?data=<percent-encoded standard Base64>,
 * what Google Authenticator shows in its QR codes. *uri is in secure memory: free it with
 * ov_secure_free_str. */
int ov_migration_encode_uri(const struct ov_account *accounts, size_t n,
                            const struct ov_migration_batch *batch, char **uri,
                            struct ov_error *err);

/* Splits n accounts into ceil(n / per_qr) URIs (per_qr 0 means OV_MIGRATION_PER_QR) that form
 * one batch: one random batch_id, batch_size = the number of URIs, batch_index 0, 1, ...
 * All or nothing: if any account cannot be carried, the error names it and nothing is
 * returned. Free the result with ov_migration_uris_free. */
int ov_migration_encode_uris(const struct ov_account *accounts, size_t n, size_t per_qr,
                             char ***uris, size_t *count, struct ov_error *err);
void ov_migration_uris_free(char **uris, size_t count);

/* A random non-zero batch_id, for callers that build batches themselves. */
int32_t ov_migration_new_batch_id(void);

#endif
