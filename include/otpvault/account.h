/* The account: everything needed to generate one code, plus how the user labels it.
 * Secret bytes (and the mOTP/Yandex PIN) live in secure memory owned by the account. */
#ifndef OTPVAULT_ACCOUNT_H
#define OTPVAULT_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "otpvault/error.h"

enum ov_otp_type { OV_TOTP = 0, OV_HOTP, OV_STEAM, OV_MOTP, OV_YANDEX };
enum ov_algo { OV_SHA1 = 0, OV_SHA256, OV_SHA512, OV_MD5 };

#define OV_DIGITS_MIN 1
#define OV_DIGITS_MAX 10
#define OV_PERIOD_MAX 2147483 /* 2^31 / 1000: what other apps accept, see formats.md 22.3 */
#define OV_SECRET_MAX 1024    /* bytes; real keys are 10 to 64 */
#define OV_ACCOUNT_ID_LEN 16  /* bytes of the stable identity (sync.h) */

struct ov_account {
    enum ov_otp_type type;
    enum ov_algo algo;
    char *issuer;        /* UTF-8, never NULL once initialised ("" when absent) */
    char *name;          /* UTF-8, never NULL once initialised */
    uint8_t *secret;     /* secure memory */
    size_t secret_len;
    char *pin;           /* secure memory, mOTP / Yandex only, else NULL */
    unsigned digits;     /* 1..10; Steam: 5 */
    unsigned period;     /* seconds, time-based types */
    uint64_t counter;    /* HOTP */
    char *group;         /* optional, NULL when none */
    char *note;          /* optional, NULL when none */
    int64_t created;     /* unix seconds, 0 when unknown */
    int64_t last_used;   /* unix seconds, 0 when never; for "recent" sorting */
    /* For merging copies of a vault (sync.h): a random identity kept for the account's
     * life (all zero until the first save gives it one), and when its settings or labels
     * last changed (unix milliseconds; 0 unknown). HOTP counters and last_used are not
     * changes: merges take the larger. */
    uint8_t id[OV_ACCOUNT_ID_LEN];
    int64_t modified;
};

struct ov_account_list {
    struct ov_account *items;
    size_t len;
    size_t cap;
};

/* A fresh TOTP/SHA1/6/30 account with empty issuer and name and no secret. */
void ov_account_init(struct ov_account *a);
void ov_account_free(struct ov_account *a);
/* Deep copy (secret and PIN copied into new secure memory). */
void ov_account_copy(struct ov_account *dst, const struct ov_account *src);
/* Replaces the secret with a secure copy of the given bytes. */
void ov_account_set_secret(struct ov_account *a, const uint8_t *secret, size_t len);
void ov_account_set_text(char **field, const char *value);

/* Checks ranges and consistency (digits, period, secret present, Steam is SHA1/5/30, ...).
 * The message names the field and the value seen. */
int ov_account_validate(const struct ov_account *a, struct ov_error *err);

/* Same secret, type, issuer and name: the duplicate rule used by imports. */
bool ov_account_same(const struct ov_account *a, const struct ov_account *b);
/* Whether the list holds an account ov_account_same as a. */
bool ov_account_list_has(const struct ov_account_list *l, const struct ov_account *a);

/* "Issuer: name", or whichever of the two is set: how messages and titles name an account.
 * Returns out. */
const char *ov_account_label(const struct ov_account *a, char *out, size_t n);

/* Case-insensitive substring match over issuer and name (and "issuer:name"). An empty or
 * NULL query matches everything. */
bool ov_account_matches(const struct ov_account *a, const char *query);

const char *ov_otp_type_name(enum ov_otp_type t);   /* "totp", "hotp", ... */
const char *ov_algo_name(enum ov_algo a);           /* "SHA1", ... */
/* Lenient parsers: case-insensitive, "SHA-256", "HmacSHA1" accepted. Return 0 or -1. */
int ov_otp_type_parse(const char *s, enum ov_otp_type *out);
int ov_algo_parse(const char *s, enum ov_algo *out);

/* What a type always is, whatever a file or URI says: Steam SHA1 with 5 characters, mOTP
 * MD5 with 6 digits every 10 s, Yandex SHA256 with 8. Periods of Steam and Yandex are kept. */
void ov_account_type_fixed(struct ov_account *a);

void ov_account_list_init(struct ov_account_list *l);
void ov_account_list_free(struct ov_account_list *l);
/* Appends a shallow move of *a: the list takes ownership and *a is zeroed (freeing it
 * afterwards is a harmless no-op). */
void ov_account_list_push(struct ov_account_list *l, struct ov_account *a);
/* The same move, to position index (the end when index >= len): what ov_account_list_remove
 * took out goes back where it was. */
void ov_account_list_insert(struct ov_account_list *l, struct ov_account *a, size_t index);
void ov_account_list_remove(struct ov_account_list *l, size_t index);

#endif
