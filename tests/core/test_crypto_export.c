/* Primitives for other apps' exports: published vectors, and the bounds on untrusted KDF
 * parameters. */
#include <criterion/criterion.h>
#include <gcrypt.h>
#include <string.h>

#include "otpvault/codec.h"
#include "otpvault/crypto.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(crypto_export, .init = setup);

static void assert_hex(const uint8_t *got, size_t len, const char *hex)
{
    char buf[300];
    ov_hex_encode(got, len, buf);
    cr_assert_str_eq(buf, hex);
}

Test(crypto_export, pbkdf2_rfc6070)
{
    uint8_t out[20];
    cr_assert_eq(ov_kdf_pbkdf2(OV_SHA1, "password", 8, (const uint8_t *)"salt", 4, 4096, out,
                               20, NULL), OV_OK);
    assert_hex(out, 20, "4b007901b765489abead49d926f721d065a429c1");
}

Test(crypto_export, scrypt_rfc7914)
{
    uint8_t out[64];
    cr_assert_eq(ov_kdf_scrypt("password", 8, (const uint8_t *)"NaCl", 4, 1024, 8, 16, out, 64,
                               NULL), OV_OK);
    assert_hex(out, 64, "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
                        "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
}

Test(crypto_export, hkdf_rfc5869_case1)
{
    uint8_t prk[32], info[10], out[42];
    size_t n;
    ov_hex_decode("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5", 64, prk,
                  &n, NULL);
    for (int i = 0; i < 10; i++)
        info[i] = (uint8_t)(0xf0 + i);
    cr_assert_eq(ov_hkdf_expand_sha256(prk, 32, info, 10, out, 42, NULL), OV_OK);
    assert_hex(out, 42, "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                        "34007208d5b887185865");
}

Test(crypto_export, untrusted_kdf_parameters_are_bounded)
{
    struct ov_error err = { 0 };
    uint8_t out[32];
    cr_assert_eq(ov_kdf_scrypt("p", 1, (const uint8_t *)"s", 1, 1ull << 22, 8, 1, out, 32, &err),
                 OV_ERR_LIMIT);
    cr_assert(strstr(err.msg, "4194304") != NULL, "%s", err.msg);
    cr_assert_eq(ov_kdf_limit_argon2(2u * 1024 * 1024, 3, 4, &err), OV_ERR_LIMIT);
    cr_assert(strstr(err.msg, "2048 MiB") != NULL, "%s", err.msg);
    cr_assert_eq(ov_kdf_limit_argon2(1024 * 1024, 3, 4, &err), OV_OK);
    cr_assert_eq(ov_kdf_pbkdf2(OV_SHA256, "p", 1, (const uint8_t *)"s", 1, 20000000, out, 32,
                               &err), OV_ERR_LIMIT);
}

Test(crypto_export, cbc_round_trip_and_bad_padding)
{
    uint8_t key[32] = { 1 }, iv[16] = { 2 }, buf[32], out[32];
    size_t len;
    gcry_cipher_hd_t hd;

    memcpy(buf, "sixteen byte msg", 16);
    memset(buf + 16, 16, 16); /* a whole block of padding */
    gcry_cipher_open(&hd, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_CBC, 0);
    gcry_cipher_setkey(hd, key, 32);
    gcry_cipher_setiv(hd, iv, 16);
    gcry_cipher_encrypt(hd, buf, 32, NULL, 0);
    gcry_cipher_close(hd);
    cr_assert_eq(ov_aes_cbc_decrypt(key, 32, iv, buf, 32, out, &len, NULL), OV_OK);
    cr_assert_eq(len, 16);
    cr_assert(memcmp(out, "sixteen byte msg", 16) == 0);
    key[0] ^= 1;
    cr_assert_eq(ov_aes_cbc_decrypt(key, 32, iv, buf, 32, out, &len, NULL), OV_ERR_AUTH);
}

Test(crypto_export, gcm_detached_tag_round_trip)
{
    uint8_t key[32] = { 7 }, nonce[12] = { 9 }, ct[5], tag[16], out[5];
    cr_assert_eq(ov_aes_gcm_encrypt(key, 32, nonce, 12, (const uint8_t *)"hdr", 3,
                                    (const uint8_t *)"hello", 5, ct, tag, NULL), OV_OK);
    cr_assert_eq(ov_aes_gcm_decrypt(key, 32, nonce, 12, (const uint8_t *)"hdr", 3, ct, 5, tag,
                                    out, NULL), OV_OK);
    cr_assert(memcmp(out, "hello", 5) == 0);
    tag[0] ^= 1;
    cr_assert_eq(ov_aes_gcm_decrypt(key, 32, nonce, 12, (const uint8_t *)"hdr", 3, ct, 5, tag,
                                    out, NULL), OV_ERR_AUTH);
}
