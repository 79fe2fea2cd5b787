/* Bitwarden's password-protected JSON export (formats.md 8): the envelope around the plain
 * JSON export. */
#ifndef IMPORTERS_BITWARDEN_CRYPTO_H
#define IMPORTERS_BITWARDEN_CRYPTO_H

#include <jansson.h>
#include "otpvault/importer.h"
#include "secret_buf.h"

/* Decrypts the "data" of the export root (already known to be encrypted and password
 * protected) into plain (freed by the caller with secret_buf_free, also on error).
 * OV_ERR_AUTH without a password or with a wrong one; OV_ERR_LIMIT for KDF parameters past
 * the bounds of crypto.h; OV_ERR_INVALID or OV_ERR_UNSUPPORTED for malformed fields. */
int bw_decrypt_export(json_t *root, const struct ov_import_opts *opts, struct secret_buf *plain,
                      struct ov_error *err);

#endif
