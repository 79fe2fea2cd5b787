/* libgcrypt set-up and the primitives the vault (and later the importers) are built on. */
#ifndef OTPVAULT_CRYPTO_H
#define OTPVAULT_CRYPTO_H

#include <stddef.h>
#include <stdint.h>
#include "otpvault/error.h"

/* Initialises libgcrypt once: version check, secure memory pool (grows on demand),
 * initialisation finished. Safe to call more than once. Returns 0 or OV_ERR_UNSUPPORTED. */
int ov_crypto_init(void);

/* Process hardening for a program holding secrets: no core dumps (RLIMIT_CORE = 0 and
 * PR_SET_DUMPABLE = 0, so no ptrace by other users either). */
void ov_crypto_harden_process(void);

/* Fills buf with n bytes from libgcrypt's strong random generator. */
void ov_random(void *buf, size_t n);

/* Argon2id parameters; memory in KiB. */
struct ov_kdf_params {
    uint32_t memory_kib;
    uint32_t time_cost;
    uint32_t lanes;
};

/* Derives out_len bytes with Argon2id, computing lanes in parallel threads. */
int ov_kdf_argon2id(const char *pass, size_t pass_len, const uint8_t *salt, size_t salt_len,
                    const struct ov_kdf_params *params, uint8_t *out, size_t out_len,
                    struct ov_error *err);

/* AES-256-GCM with a 12-byte nonce and a 16-byte tag appended to / expected after the
 * ciphertext. Decryption returns OV_ERR_AUTH when the tag does not verify. */
int ov_aead_encrypt(const uint8_t key[32], const uint8_t nonce[12], const uint8_t *aad,
                    size_t aad_len, const uint8_t *plain, size_t plain_len, uint8_t *out,
                    struct ov_error *err);
int ov_aead_decrypt(const uint8_t key[32], const uint8_t nonce[12], const uint8_t *aad,
                    size_t aad_len, const uint8_t *in, size_t in_len, uint8_t *plain_out,
                    struct ov_error *err);

#endif
