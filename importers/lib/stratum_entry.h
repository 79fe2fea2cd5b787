/* One Stratum (Authenticator Pro) authenticator record, as its backups and its internal
 * database both store it (formats.md 7.1 and 7.6), turned into an account. Shared so the
 * JSON backup and the database give the same account for the same record. */
#ifndef IMPORTERS_STRATUM_ENTRY_H
#define IMPORTERS_STRATUM_ENTRY_H

#include <stdint.h>
#include "otpvault/account.h"
#include "otpvault/error.h"

#define OV_STRATUM_DEFAULT (-1) /* an absent number: the type's default */

struct ov_stratum_record {
    int64_t type;           /* 1 HOTP, 2 TOTP, 3 mOTP, 4 Steam, 5 Yandex */
    const char *issuer;     /* NULL when absent */
    const char *username;
    const char *secret;     /* Base32; mOTP: lower-case hex */
    const char *pin;        /* mOTP and Yandex */
    int64_t algorithm;      /* 0 SHA1, 1 SHA256, 2 SHA512 (HOTP and TOTP only) */
    int64_t digits, period, counter; /* or OV_STRATUM_DEFAULT */
};

/* Fills a (initialised with ov_account_init; the caller frees it, also after an error) and
 * validates it; the issuer/name rule of design.md 4.1 is applied. Errors name the field. */
int ov_stratum_record_to_account(const struct ov_stratum_record *r, struct ov_account *a,
                                 struct ov_error *err);

#endif
