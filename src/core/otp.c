/* One-time passwords: HOTP (RFC 4226), TOTP (RFC 6238), Steam Guard, mOTP and Yandex
 * (formats.md section 21). Keys only ever touch libgcrypt secure memory and stack buffers
 * that are wiped before returning. */
#include <gcrypt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "otpvault/codec.h"
#include "otpvault/mem.h"
#include "otpvault/otp.h"

#define DIGEST_MAX 64
#define STEAM_CHARS 5
#define YANDEX_SECRET_LEN 16

static const char steam_alphabet[] = "23456789BCDFGHJKMNPQRTVWXY";

static int64_t clock_offset;

static int gcry_algo(enum ov_algo algo)
{
    switch (algo) {
    case OV_SHA1: return GCRY_MD_SHA1;
    case OV_SHA256: return GCRY_MD_SHA256;
    case OV_SHA512: return GCRY_MD_SHA512;
    case OV_MD5: return GCRY_MD_MD5;
    }
    return 0;
}

/* HMAC(key, msg) into out (DIGEST_MAX bytes); *out_len receives the digest size. */
static int hmac(enum ov_algo algo, const uint8_t *key, size_t key_len, const uint8_t *msg,
                size_t msg_len, uint8_t *out, size_t *out_len, struct ov_error *err)
{
    int md = gcry_algo(algo);
    gcry_md_hd_t h;
    unsigned n;

    if (md == 0)
        return ov_error_set(err, OV_ERR_INVALID, "unknown algorithm %d", (int)algo);
    if (key == NULL || key_len == 0)
        return ov_error_set(err, OV_ERR_INVALID, "the secret is empty");
    if (gcry_md_open(&h, md, GCRY_MD_FLAG_HMAC | GCRY_MD_FLAG_SECURE) != 0)
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "HMAC-%s is not available",
                            ov_algo_name(algo));
    if (gcry_md_setkey(h, key, key_len) != 0) {
        gcry_md_close(h);
        return ov_error_set(err, OV_ERR_INVALID, "HMAC-%s rejected the key",
                            ov_algo_name(algo));
    }
    gcry_md_write(h, msg, msg_len);
    n = gcry_md_get_algo_dlen(md);
    memcpy(out, gcry_md_read(h, md), n);
    gcry_md_close(h); /* the handle lives in secure memory and is wiped by libgcrypt */
    *out_len = n;
    return OV_OK;
}

static void counter_bytes(uint64_t counter, uint8_t msg[8])
{
    for (int i = 7; i >= 0; i--) {
        msg[i] = (uint8_t)(counter & 0xff);
        counter >>= 8;
    }
}

int ov_hotp_value(enum ov_algo algo, const uint8_t *key, size_t key_len, uint64_t counter,
                  uint32_t *value, struct ov_error *err)
{
    uint8_t msg[8], digest[DIGEST_MAX];
    size_t len, off;
    int rc;

    counter_bytes(counter, msg);
    rc = hmac(algo, key, key_len, msg, sizeof msg, digest, &len, err);
    if (rc != OV_OK)
        return rc;
    off = digest[len - 1] & 0x0f;
    /* RFC 4226 assumes a digest of at least 20 bytes. With MD5's 16 the offset can point past
     * the end (FreeOTP then crashes); capping keeps every offset that works elsewhere. */
    if (off > len - 4)
        off = len - 4;
    *value = ((uint32_t)(digest[off] & 0x7f) << 24) | ((uint32_t)digest[off + 1] << 16) |
             ((uint32_t)digest[off + 2] << 8) | digest[off + 3];
    ov_wipe(digest, sizeof digest);
    return OV_OK;
}

static uint64_t pow10u(unsigned n)
{
    uint64_t p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

static int check_digits(unsigned digits, struct ov_error *err)
{
    if (digits < OV_DIGITS_MIN || digits > OV_DIGITS_MAX)
        return ov_error_set(err, OV_ERR_INVALID, "digits must be %d to %d, not %u",
                            OV_DIGITS_MIN, OV_DIGITS_MAX, digits);
    return OV_OK;
}

int ov_hotp_code(enum ov_algo algo, const uint8_t *key, size_t key_len, uint64_t counter,
                 unsigned digits, char out[OV_CODE_MAX], struct ov_error *err)
{
    uint32_t v;
    int rc = check_digits(digits, err);

    out[0] = '\0';
    if (rc != OV_OK)
        return rc;
    rc = ov_hotp_value(algo, key, key_len, counter, &v, err);
    if (rc != OV_OK)
        return rc;
    /* With 10 digits the 31-bit value is always smaller than the modulus: only padding. */
    snprintf(out, OV_CODE_MAX, "%0*" PRIu64, (int)digits, (uint64_t)v % pow10u(digits));
    v = 0;
    return OV_OK;
}

/* Floor division, so times before 1970 land in the step that contains them. */
static int64_t floor_div(int64_t t, int64_t d)
{
    int64_t q = t / d;
    if (t % d != 0 && t < 0)
        q--;
    return q;
}

uint64_t ov_totp_counter(int64_t t, unsigned period)
{
    if (period == 0)
        return 0;
    /* Negative steps wrap like Java's long: the HMAC input is the two's complement. */
    return (uint64_t)floor_div(t, (int64_t)period);
}

static unsigned seconds_left(int64_t t, unsigned period)
{
    int64_t step_start = floor_div(t, (int64_t)period) * (int64_t)period;
    return (unsigned)((int64_t)period - (t - step_start));
}

static int steam_code(const struct ov_account *a, int64_t t, char out[OV_CODE_MAX],
                      struct ov_error *err)
{
    uint32_t v;
    int rc = ov_hotp_value(OV_SHA1, a->secret, a->secret_len, ov_totp_counter(t, a->period),
                           &v, err);
    if (rc != OV_OK)
        return rc;
    for (int i = 0; i < STEAM_CHARS; i++) {
        out[i] = steam_alphabet[v % 26];
        v /= 26;
    }
    out[STEAM_CHARS] = '\0';
    return OV_OK;
}

/* mOTP and Yandex codes need both a PIN and a secret. */
static int need_pin_and_secret(const struct ov_account *a, struct ov_error *err)
{
    if (a->pin == NULL || a->pin[0] == '\0')
        return ov_error_set(err, OV_ERR_INVALID, "a %s account needs a PIN",
                            a->type == OV_MOTP ? "mOTP" : "Yandex");
    if (a->secret == NULL || a->secret_len == 0)
        return ov_error_set(err, OV_ERR_INVALID, "the secret is empty");
    return OV_OK;
}

/* mOTP: MD5 over ASCII decimal(step) || hex(secret) || PIN; the code is its first hex digits. */
static int motp_code(const struct ov_account *a, int64_t t, char out[OV_CODE_MAX],
                     struct ov_error *err)
{
    char step[24], hex_digest[33];
    size_t pin_len, msg_len;
    char *msg;
    gcry_md_hd_t h;
    int rc = need_pin_and_secret(a, err);

    if (rc != OV_OK)
        return rc;
    snprintf(step, sizeof step, "%" PRId64, floor_div(t, (int64_t)a->period));
    pin_len = strlen(a->pin);
    msg_len = strlen(step) + 2 * a->secret_len + pin_len;
    msg = ov_secure_alloc(msg_len + 1);
    memcpy(msg, step, strlen(step));
    ov_hex_encode(a->secret, a->secret_len, msg + strlen(step));
    memcpy(msg + strlen(step) + 2 * a->secret_len, a->pin, pin_len);
    if (gcry_md_open(&h, GCRY_MD_MD5, GCRY_MD_FLAG_SECURE) != 0) {
        ov_secure_free(msg, msg_len + 1);
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "MD5 is not available");
    }
    gcry_md_write(h, msg, msg_len);
    ov_hex_encode(gcry_md_read(h, GCRY_MD_MD5), 16, hex_digest);
    gcry_md_close(h);
    ov_secure_free(msg, msg_len + 1);
    memcpy(out, hex_digest, a->digits);
    out[a->digits] = '\0';
    ov_wipe(hex_digest, sizeof hex_digest);
    return OV_OK;
}

/* Yandex: key = SHA-256(PIN || first 16 secret bytes) without a leading zero byte; then a
 * 63-bit HOTP-style value written in base 26 with letters. */
static int yandex_code(const struct ov_account *a, int64_t t, char out[OV_CODE_MAX],
                       struct ov_error *err)
{
    uint8_t key[32], msg[8], digest[DIGEST_MAX];
    size_t secret_len, len, off;
    uint64_t v = 0, mod = 1;
    gcry_md_hd_t h;
    int rc = need_pin_and_secret(a, err);

    if (rc != OV_OK)
        return rc;
    /* 26-byte secrets carry a checksum after the 16 key bytes. */
    secret_len = a->secret_len > YANDEX_SECRET_LEN ? YANDEX_SECRET_LEN : a->secret_len;
    if (gcry_md_open(&h, GCRY_MD_SHA256, GCRY_MD_FLAG_SECURE) != 0)
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "SHA-256 is not available");
    gcry_md_write(h, a->pin, strlen(a->pin));
    gcry_md_write(h, a->secret, secret_len);
    memcpy(key, gcry_md_read(h, GCRY_MD_SHA256), sizeof key);
    gcry_md_close(h);

    counter_bytes(ov_totp_counter(t, a->period), msg);
    if (key[0] == 0)
        rc = hmac(a->algo, key + 1, sizeof key - 1, msg, sizeof msg, digest, &len, err);
    else
        rc = hmac(a->algo, key, sizeof key, msg, sizeof msg, digest, &len, err);
    ov_wipe(key, sizeof key);
    if (rc != OV_OK)
        return rc;
    off = digest[len - 1] & 0x0f;
    if (off > len - 8)
        off = len - 8;
    digest[off] &= 0x7f;
    for (size_t i = 0; i < 8; i++)
        v = (v << 8) | digest[off + i];
    ov_wipe(digest, sizeof digest);
    for (unsigned i = 0; i < a->digits; i++)
        mod *= 26;
    v %= mod;
    for (int i = (int)a->digits - 1; i >= 0; i--) {
        out[i] = (char)('a' + v % 26);
        v /= 26;
    }
    out[a->digits] = '\0';
    return OV_OK;
}

int ov_otp_code_at(const struct ov_account *a, int64_t t, char out[OV_CODE_MAX],
                   unsigned *remaining, struct ov_error *err)
{
    int rc;

    out[0] = '\0';
    if (remaining != NULL)
        *remaining = 0;
    if (a->type == OV_HOTP)
        return ov_hotp_code(a->algo, a->secret, a->secret_len, a->counter, a->digits, out, err);
    if (a->period < 1 || a->period > OV_PERIOD_MAX)
        return ov_error_set(err, OV_ERR_INVALID, "period must be 1 to %d seconds, not %u",
                            OV_PERIOD_MAX, a->period);
    if ((rc = check_digits(a->digits, err)) != OV_OK)
        return rc;
    switch (a->type) {
    case OV_TOTP:
        rc = ov_hotp_code(a->algo, a->secret, a->secret_len, ov_totp_counter(t, a->period),
                          a->digits, out, err);
        break;
    case OV_STEAM:
        rc = steam_code(a, t, out, err);
        break;
    case OV_MOTP:
        rc = motp_code(a, t, out, err);
        break;
    case OV_YANDEX:
        rc = yandex_code(a, t, out, err);
        break;
    default:
        return ov_error_set(err, OV_ERR_INVALID, "unknown OTP type %d", (int)a->type);
    }
    if (rc == OV_OK && remaining != NULL)
        *remaining = seconds_left(t, a->period);
    return rc;
}

int64_t ov_now(void)
{
    return (int64_t)time(NULL) + clock_offset;
}

int64_t ov_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return ((int64_t)ts.tv_sec + clock_offset) * 1000 + ts.tv_nsec / 1000000;
}

void ov_set_clock_offset(int64_t seconds)
{
    clock_offset = seconds;
}
