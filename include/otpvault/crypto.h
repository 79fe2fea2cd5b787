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

/* Derives out_len bytes with Argon2id, computing lanes in parallel threads. Memory of
 * OV_ARGON2_MAX_KIB or more is OV_ERR_LIMIT: libgcrypt 1.10 computes the size of its buffer
 * as 1024 * blocks in 32 bits, which fails at 4 GiB and overflows the buffer above. */
#define OV_ARGON2_MAX_KIB (4u * 1024u * 1024u)
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

/* --- Primitives for reading (and writing) other apps' export files -------------------- */

#include "otpvault/account.h" /* enum ov_algo doubles as the hash selector */

/* Bounds on KDF parameters read from untrusted files (design.md 2): past them a crafted
 * file could exhaust memory or time. scrypt is also bounded in work: N * p <= MAX_N. */
#define OV_UNTRUSTED_SCRYPT_MAX_N (1ull << 20)
#define OV_UNTRUSTED_ARGON2_MAX_KIB (1024u * 1024u) /* 1 GiB (Ente uses exactly this) */
#define OV_UNTRUSTED_ARGON2_MAX_TIME 64u
#define OV_UNTRUSTED_ARGON2_MAX_LANES 64u
#define OV_UNTRUSTED_PBKDF2_MAX_ITER 10000000ull

/* OV_ERR_LIMIT with a message naming the parameter, its value and the bound; else OV_OK. */
int ov_kdf_limit_argon2(uint32_t memory_kib, uint32_t time_cost, uint32_t lanes,
                        struct ov_error *err);
int ov_kdf_limit_pbkdf2(uint64_t iterations, struct ov_error *err);

/* PBKDF2-HMAC with SHA1, SHA256 or SHA512; checks ov_kdf_limit_pbkdf2 first. */
int ov_kdf_pbkdf2(enum ov_algo hash, const void *pass, size_t pass_len, const uint8_t *salt,
                  size_t salt_len, uint64_t iterations, uint8_t *out, size_t out_len,
                  struct ov_error *err);
/* scrypt (libgcrypt supports r = 8 only); checks ov_kdf_limit_scrypt first. */
int ov_kdf_scrypt(const void *pass, size_t pass_len, const uint8_t *salt, size_t salt_len,
                  uint64_t n, uint32_t r, uint32_t p, uint8_t *out, size_t out_len,
                  struct ov_error *err);

/* Digest (SHA1, SHA256, SHA512, MD5) and HMAC; out holds the digest length (<= 64). */
void ov_hash(enum ov_algo hash, const void *data, size_t len, uint8_t *out);
int ov_hmac(enum ov_algo hash, const void *key, size_t key_len, const void *data, size_t len,
            uint8_t *out, struct ov_error *err);
/* HKDF-Expand (RFC 5869) with HMAC-SHA256. */
int ov_hkdf_expand_sha256(const uint8_t *prk, size_t prk_len, const void *info,
                          size_t info_len, uint8_t *out, size_t out_len, struct ov_error *err);

/* AES-GCM (128/192/256-bit key, any nonce length, optional AAD) with the 16-byte tag given
 * separately. OV_ERR_AUTH when the tag does not verify (out is wiped). */
int ov_aes_gcm_decrypt(const uint8_t *key, size_t key_len, const uint8_t *nonce,
                       size_t nonce_len, const uint8_t *aad, size_t aad_len,
                       const uint8_t *in, size_t len, const uint8_t tag[16], uint8_t *out,
                       struct ov_error *err);
int ov_aes_gcm_encrypt(const uint8_t *key, size_t key_len, const uint8_t *nonce,
                       size_t nonce_len, const uint8_t *aad, size_t aad_len,
                       const uint8_t *in, size_t len, uint8_t *out, uint8_t tag[16],
                       struct ov_error *err);
/* AES-CBC decryption with PKCS#7 padding removed; *out_len is the unpadded length. Bad
 * padding is OV_ERR_AUTH ("wrong password or damaged file": CBC has no other check). */
int ov_aes_cbc_decrypt(const uint8_t *key, size_t key_len, const uint8_t iv[16],
                       const uint8_t *in, size_t len, uint8_t *out, size_t *out_len,
                       struct ov_error *err);

#endif
