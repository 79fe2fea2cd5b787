/* Fields fed to a libgcrypt hash so that different field lists never hash alike: every
 * field is length-prefixed, and a missing text differs from an empty one. Shared by the
 * digests of backups (backup_check.c) and of accounts for syncing (sync.c). */
#ifndef OTPVAULT_CORE_MD_FIELDS_INTERNAL_H
#define OTPVAULT_CORE_MD_FIELDS_INTERNAL_H

#include <gcrypt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/account.h"

/* A SHA-256 in secure memory (the state sees secrets); aborts when there is none. */
static inline gcry_md_hd_t md_open(void)
{
    gcry_md_hd_t h;

    if (gcry_md_open(&h, GCRY_MD_SHA256, GCRY_MD_FLAG_SECURE) != 0) {
        fprintf(stderr, "otpvault: SHA-256 is not available\n");
        abort();
    }
    return h;
}

static inline void md_field(gcry_md_hd_t h, const void *data, size_t len)
{
    uint8_t n[8];
    for (int i = 0; i < 8; i++)
        n[i] = (uint8_t)((uint64_t)len >> (8 * i));
    gcry_md_write(h, n, sizeof n);   /* length first: "ab"+"c" differs from "a"+"bc" */
    if (len > 0)
        gcry_md_write(h, data, len);
}

static inline void md_text(gcry_md_hd_t h, const char *s)
{
    /* NULL and "" differ (a group set to "" is not no group). */
    if (s == NULL)
        md_field(h, "\xff", 1);
    else
        md_field(h, s, strlen(s) + 1);
}

static inline void md_uint(gcry_md_hd_t h, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    md_field(h, b, sizeof b);
}

/* What both account digests start with: type, algorithm, labels, secret, PIN, digits. */
static inline void md_account_head(gcry_md_hd_t h, const struct ov_account *a)
{
    md_uint(h, (uint64_t)a->type);
    md_uint(h, (uint64_t)a->algo);
    md_text(h, a->issuer);
    md_text(h, a->name);
    md_field(h, a->secret, a->secret_len);
    md_text(h, a->pin);
    md_uint(h, a->digits);
}

#endif
