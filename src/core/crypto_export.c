/* Primitives for other apps' export files: KDFs with bounds for untrusted parameters, hashes,
 * HMAC, HKDF, AES-GCM with detached tags and AES-CBC with PKCS#7. All through libgcrypt. */
#include <gcrypt.h>
#include <string.h>

#include "otpvault/crypto.h"
#include "otpvault/mem.h"

static int md_algo(enum ov_algo hash)
{
    switch (hash) {
    case OV_SHA1: return GCRY_MD_SHA1;
    case OV_SHA256: return GCRY_MD_SHA256;
    case OV_SHA512: return GCRY_MD_SHA512;
    case OV_MD5: return GCRY_MD_MD5;
    }
    return GCRY_MD_NONE;
}

static int ov_kdf_limit_scrypt(uint64_t n, uint32_t r, uint32_t p, struct ov_error *err)
{
    if (n < 2 || (n & (n - 1)) != 0)
        return ov_error_set(err, OV_ERR_INVALID, "scrypt N=%llu is not a power of two",
                            (unsigned long long)n);
    if (n > OV_UNTRUSTED_SCRYPT_MAX_N)
        return ov_error_set(err, OV_ERR_LIMIT, "the file asks for scrypt N=%llu, more than the "
                            "%llu allowed (a crafted file could exhaust memory)",
                            (unsigned long long)n, OV_UNTRUSTED_SCRYPT_MAX_N);
    if (r == 0 || r > 64 || p == 0 || p > 16)
        return ov_error_set(err, OV_ERR_LIMIT, "the file asks for scrypt r=%u p=%u, outside "
                            "r 1..64, p 1..16", r, p);
    /* p runs the whole N-sized mix p times: bound the work, not only the memory. */
    if (n * p > OV_UNTRUSTED_SCRYPT_MAX_N)
        return ov_error_set(err, OV_ERR_LIMIT, "the file asks for scrypt N=%llu with p=%u, "
                            "more work than N*p = %llu allowed (a crafted file could take "
                            "minutes)", (unsigned long long)n, p, OV_UNTRUSTED_SCRYPT_MAX_N);
    return OV_OK;
}

int ov_kdf_limit_argon2(uint32_t memory_kib, uint32_t time_cost, uint32_t lanes,
                        struct ov_error *err)
{
    if (memory_kib > OV_UNTRUSTED_ARGON2_MAX_KIB)
        return ov_error_set(err, OV_ERR_LIMIT, "the file asks for Argon2 with %u MiB, more than "
                            "the 1024 MiB allowed (a crafted file could exhaust memory)",
                            memory_kib / 1024);
    if (time_cost == 0 || time_cost > OV_UNTRUSTED_ARGON2_MAX_TIME)
        return ov_error_set(err, OV_ERR_LIMIT, "the file asks for Argon2 with %u passes, "
                            "outside 1..%u", time_cost, OV_UNTRUSTED_ARGON2_MAX_TIME);
    if (lanes == 0 || lanes > OV_UNTRUSTED_ARGON2_MAX_LANES || memory_kib < 8 * lanes)
        return ov_error_set(err, OV_ERR_LIMIT, "the file asks for Argon2 with %u lanes and "
                            "%u KiB, which is not valid", lanes, memory_kib);
    return OV_OK;
}

int ov_kdf_limit_pbkdf2(uint64_t iterations, struct ov_error *err)
{
    if (iterations == 0 || iterations > OV_UNTRUSTED_PBKDF2_MAX_ITER)
        return ov_error_set(err, OV_ERR_LIMIT, "the file asks for %llu PBKDF2 iterations, "
                            "outside 1..%llu", (unsigned long long)iterations,
                            OV_UNTRUSTED_PBKDF2_MAX_ITER);
    return OV_OK;
}

int ov_kdf_pbkdf2(enum ov_algo hash, const void *pass, size_t pass_len, const uint8_t *salt,
                  size_t salt_len, uint64_t iterations, uint8_t *out, size_t out_len,
                  struct ov_error *err)
{
    gcry_error_t ge;
    int rc = ov_kdf_limit_pbkdf2(iterations, err);

    if (rc != OV_OK)
        return rc;
    /* libgcrypt rejects an empty passphrase; PBKDF2 itself does not mind. */
    ge = gcry_kdf_derive(pass_len > 0 ? pass : "", pass_len, GCRY_KDF_PBKDF2, md_algo(hash),
                         salt, salt_len, (unsigned long)iterations, out_len, out);
    if (ge != 0)
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "PBKDF2: %s", gcry_strerror(ge));
    return OV_OK;
}

int ov_kdf_scrypt(const void *pass, size_t pass_len, const uint8_t *salt, size_t salt_len,
                  uint64_t n, uint32_t r, uint32_t p, uint8_t *out, size_t out_len,
                  struct ov_error *err)
{
    gcry_error_t ge;
    int rc = ov_kdf_limit_scrypt(n, r, p, err);

    if (rc != OV_OK)
        return rc;
    if (r != 8)
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "scrypt with r=%u (only r=8 is supported)",
                            r);
    ge = gcry_kdf_derive(pass, pass_len, GCRY_KDF_SCRYPT, (int)n, salt, salt_len, p, out_len,
                         out);
    if (ge != 0 && gcry_err_code(ge) == GPG_ERR_ENOMEM)
        return ov_error_set(err, OV_ERR_NOMEM, "scrypt with N=%llu needs %llu MiB of memory, "
                            "which could not be had", (unsigned long long)n,
                            (unsigned long long)(128u * r * n >> 20));
    if (ge != 0)
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "scrypt: %s", gcry_strerror(ge));
    return OV_OK;
}

static size_t ov_hash_len(enum ov_algo hash)
{
    return gcry_md_get_algo_dlen(md_algo(hash));
}

void ov_hash(enum ov_algo hash, const void *data, size_t len, uint8_t *out)
{
    gcry_md_hash_buffer(md_algo(hash), out, data, len);
}

int ov_hmac(enum ov_algo hash, const void *key, size_t key_len, const void *data, size_t len,
            uint8_t *out, struct ov_error *err)
{
    gcry_md_hd_t hd;
    gcry_error_t ge = gcry_md_open(&hd, md_algo(hash), GCRY_MD_FLAG_HMAC | GCRY_MD_FLAG_SECURE);

    if (ge == 0)
        ge = gcry_md_setkey(hd, key, key_len);
    if (ge != 0) {
        if (hd != NULL)
            gcry_md_close(hd);
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "HMAC: %s", gcry_strerror(ge));
    }
    gcry_md_write(hd, data, len);
    memcpy(out, gcry_md_read(hd, 0), ov_hash_len(hash));
    gcry_md_close(hd);
    return OV_OK;
}

int ov_hkdf_expand_sha256(const uint8_t *prk, size_t prk_len, const void *info,
                          size_t info_len, uint8_t *out, size_t out_len, struct ov_error *err)
{
    uint8_t t[32];
    uint8_t *block;
    size_t done = 0, tlen = 0;
    uint8_t counter = 1;

    if (out_len > 255 * 32)
        return ov_error_set(err, OV_ERR_INVALID, "HKDF output too long");
    block = ov_secure_alloc(32 + info_len + 1);
    while (done < out_len) {
        size_t n = 0;
        memcpy(block, t, tlen);
        n += tlen;
        memcpy(block + n, info, info_len);
        n += info_len;
        block[n++] = counter++;
        if (ov_hmac(OV_SHA256, prk, prk_len, block, n, t, err) != OV_OK) {
            ov_secure_free(block, 32 + info_len + 1);
            return OV_ERR_UNSUPPORTED;
        }
        tlen = 32;
        memcpy(out + done, t, out_len - done < 32 ? out_len - done : 32);
        done += out_len - done < 32 ? out_len - done : 32;
    }
    ov_wipe(t, sizeof t);
    ov_secure_free(block, 32 + info_len + 1);
    return OV_OK;
}

static int aes_algo(size_t key_len)
{
    return key_len == 16 ? GCRY_CIPHER_AES128
           : key_len == 24 ? GCRY_CIPHER_AES192
           : key_len == 32 ? GCRY_CIPHER_AES256
                           : 0;
}

static int open_cipher(gcry_cipher_hd_t *hd, int mode, const uint8_t *key, size_t key_len,
                       const uint8_t *iv, size_t iv_len, struct ov_error *err)
{
    gcry_error_t ge;

    if (aes_algo(key_len) == 0)
        return ov_error_set(err, OV_ERR_INVALID, "AES key of %zu bytes", key_len);
    ge = gcry_cipher_open(hd, aes_algo(key_len), mode, GCRY_CIPHER_SECURE);
    if (ge == 0)
        ge = gcry_cipher_setkey(*hd, key, key_len);
    if (ge == 0)
        ge = gcry_cipher_setiv(*hd, iv, iv_len);
    if (ge != 0) {
        gcry_cipher_close(*hd);
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "AES: %s", gcry_strerror(ge));
    }
    return OV_OK;
}

/* Both directions of AES-GCM: the tag is checked on decryption, made on encryption. */
static gcry_error_t gcm(bool encrypt, gcry_cipher_hd_t hd, const uint8_t *aad, size_t aad_len,
                        const uint8_t *in, size_t len, uint8_t *out, uint8_t tag[16])
{
    gcry_error_t ge = 0;

    if (aad_len > 0)
        ge = gcry_cipher_authenticate(hd, aad, aad_len);
    gcry_cipher_final(hd);
    if (ge == 0)
        ge = encrypt ? gcry_cipher_encrypt(hd, out, len, in, len)
                     : gcry_cipher_decrypt(hd, out, len, in, len);
    if (ge == 0)
        ge = encrypt ? gcry_cipher_gettag(hd, tag, 16) : gcry_cipher_checktag(hd, tag, 16);
    gcry_cipher_close(hd);
    return ge;
}

int ov_aes_gcm_decrypt(const uint8_t *key, size_t key_len, const uint8_t *nonce,
                       size_t nonce_len, const uint8_t *aad, size_t aad_len,
                       const uint8_t *in, size_t len, const uint8_t tag[16], uint8_t *out,
                       struct ov_error *err)
{
    gcry_cipher_hd_t hd;
    int rc = open_cipher(&hd, GCRY_CIPHER_MODE_GCM, key, key_len, nonce, nonce_len, err);

    if (rc != OV_OK)
        return rc;
    if (gcm(false, hd, aad, aad_len, in, len, out, (uint8_t *)tag) != 0) {
        ov_wipe(out, len);
        return ov_error_set(err, OV_ERR_AUTH, "wrong password or damaged file");
    }
    return OV_OK;
}

int ov_aes_gcm_encrypt(const uint8_t *key, size_t key_len, const uint8_t *nonce,
                       size_t nonce_len, const uint8_t *aad, size_t aad_len,
                       const uint8_t *in, size_t len, uint8_t *out, uint8_t tag[16],
                       struct ov_error *err)
{
    gcry_cipher_hd_t hd;
    gcry_error_t ge;
    int rc = open_cipher(&hd, GCRY_CIPHER_MODE_GCM, key, key_len, nonce, nonce_len, err);

    if (rc != OV_OK)
        return rc;
    if ((ge = gcm(true, hd, aad, aad_len, in, len, out, tag)) != 0)
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "AES-GCM: %s", gcry_strerror(ge));
    return OV_OK;
}

int ov_aes_cbc_decrypt(const uint8_t *key, size_t key_len, const uint8_t iv[16],
                       const uint8_t *in, size_t len, uint8_t *out, size_t *out_len,
                       struct ov_error *err)
{
    gcry_cipher_hd_t hd;
    gcry_error_t ge;
    uint8_t pad;
    int rc;

    if (len == 0 || len % 16 != 0)
        return ov_error_set(err, OV_ERR_AUTH, "wrong password or damaged file (the encrypted "
                            "data is %zu bytes, not a whole number of AES blocks)", len);
    rc = open_cipher(&hd, GCRY_CIPHER_MODE_CBC, key, key_len, iv, 16, err);
    if (rc != OV_OK)
        return rc;
    ge = gcry_cipher_decrypt(hd, out, len, in, len);
    gcry_cipher_close(hd);
    if (ge != 0)
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "AES-CBC: %s", gcry_strerror(ge));
    pad = out[len - 1];
    bool bad = pad == 0 || pad > 16;
    for (size_t i = 0; !bad && i < pad; i++)
        bad = out[len - 1 - i] != pad;
    if (bad) {
        ov_wipe(out, len);
        return ov_error_set(err, OV_ERR_AUTH, "wrong password or damaged file");
    }
    *out_len = len - pad;
    return OV_OK;
}
