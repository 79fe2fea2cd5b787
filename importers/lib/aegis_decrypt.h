/* Aegis encrypted vaults (formats.md 1.2): the master key unwrapped from a password slot
 * (scrypt + AES-GCM), then the content decrypted with it. Internal to the Aegis importer. */
#ifndef IMPORTERS_AEGIS_DECRYPT_H
#define IMPORTERS_AEGIS_DECRYPT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "otpvault/error.h"
#include "otpvault/importer.h"

/* Decrypts the "db" string of an encrypted vault file (root = the whole file) with the
 * password in opts, trying every password slot. On success *plain (secure memory, plus a
 * NUL, free with ov_secure_free(*plain, *plain_len + 1)) holds the content JSON.
 * OV_ERR_AUTH: no password given, or no slot accepts it, or the content fails its check;
 * OV_ERR_LIMIT: every password slot asks for more than the scrypt bounds allow;
 * OV_ERR_UNSUPPORTED: no password slot at all (biometric or raw-key slots only). */
int aegis_decrypt(json_t *root, const struct ov_import_opts *opts, uint8_t **plain,
                  size_t *plain_len, struct ov_error *err);

#endif
