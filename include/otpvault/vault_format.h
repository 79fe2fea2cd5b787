/* The vault file's fixed header (layout documented in src/core/vault_format.c). Used by the vault
 * and by tools that inspect vault files (backups, peek). The plaintext serialization lives in
 * the same file and is declared in vault.h (ov_vault_serialize / ov_vault_deserialize). */
#ifndef OTPVAULT_VAULT_FORMAT_H
#define OTPVAULT_VAULT_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include "otpvault/crypto.h"
#include "otpvault/error.h"

#define OV_VAULT_MAGIC "OTPVAULT"
#define OV_VAULT_FORMAT_VERSION 1u
#define OV_VAULT_AEAD_AES256GCM 1u
#define OV_VAULT_KDF_ARGON2ID 1u
#define OV_VAULT_HEADER_LEN 64u
#define OV_VAULT_SALT_LEN 16u
#define OV_VAULT_NONCE_LEN 12u
#define OV_VAULT_TAG_LEN 16u
#define OV_VAULT_KEY_LEN 32u
/* Bounds against crafted input: a vault of 100 000 accounts is well under 32 MiB. */
#define OV_VAULT_MAX_FILE (32u * 1024u * 1024u)
#define OV_VAULT_MAX_ACCOUNTS 100000u
#define OV_VAULT_MAX_TEXT 65535u   /* issuer, name, group, note: bytes */
#define OV_VAULT_MAX_PIN 256u

struct ov_vault_header {
    uint16_t version;
    uint8_t aead_id;
    uint8_t kdf_id;
    struct ov_kdf_params kdf;
    uint8_t salt[OV_VAULT_SALT_LEN];
    uint8_t nonce[OV_VAULT_NONCE_LEN];
    uint64_t generation;
};

/* Writes the OV_VAULT_HEADER_LEN bytes of h (magic and zeroed reserved bytes included). */
void ov_vault_header_encode(const struct ov_vault_header *h, uint8_t *out);

/* Parses and checks a header from the start of a file of len bytes: magic, version, ids,
 * reserved bytes, KDF bounds, and room for at least a tag after it. Runs no KDF. Every
 * failure is OV_ERR_AUTH (a damaged vault) with a short detail in err. */
int ov_vault_header_decode(const uint8_t *file, size_t len, struct ov_vault_header *h,
                           struct ov_error *err);

/* Checks Argon2id parameters against OV_KDF_MIN/MAX_* (vault.h). OV_ERR_INVALID with the
 * offending value and the accepted range. */
int ov_vault_kdf_check(const struct ov_kdf_params *kdf, struct ov_error *err);

#endif
