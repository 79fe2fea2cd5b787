/* One-time password generation: HOTP (RFC 4226), TOTP (RFC 6238), Steam Guard, mOTP and
 * Yandex, with SHA1, SHA256, SHA512 and MD5. */
#ifndef OTPVAULT_OTP_H
#define OTPVAULT_OTP_H

#include <stddef.h>
#include <stdint.h>
#include "otpvault/account.h"
#include "otpvault/error.h"

#define OV_CODE_MAX 16 /* longest code plus NUL */

/* The raw 31-bit dynamically truncated HMAC value (RFC 4226 section 5.3). */
int ov_hotp_value(enum ov_algo algo, const uint8_t *key, size_t key_len, uint64_t counter,
                  uint32_t *value, struct ov_error *err);

/* HOTP code of `digits` decimal digits (1..10), left-padded with zeros. */
int ov_hotp_code(enum ov_algo algo, const uint8_t *key, size_t key_len, uint64_t counter,
                 unsigned digits, char out[OV_CODE_MAX], struct ov_error *err);

/* The code an account shows at unix time t (clock offset already applied by the caller).
 * HOTP uses the stored counter. remaining, if not NULL, receives the seconds left in the
 * current period (0 for HOTP). */
int ov_otp_code_at(const struct ov_account *a, int64_t t, char out[OV_CODE_MAX],
                   unsigned *remaining, struct ov_error *err);

/* The TOTP time step for t (floor division, correct for negative t). */
uint64_t ov_totp_counter(int64_t t, unsigned period);

/* Seconds since the epoch, plus the configured clock offset. */
int64_t ov_now(void);
/* The same clock in milliseconds (for change times, sync.h). */
int64_t ov_now_ms(void);
void ov_set_clock_offset(int64_t seconds);

#endif
