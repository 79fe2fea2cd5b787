/* Invariants shared by the importer targets: what an importer hands over must be storable,
 * or the import would fail only when the vault is saved (with nothing imported). */
#ifndef OTPVAULT_TESTS_FUZZ_CHECK_H
#define OTPVAULT_TESTS_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#include "otpvault/account.h"
#include "otpvault/mem.h"
#include "otpvault/vault.h"

/* Aborts (a finding) unless every account validates and the list serializes as a vault. */
static inline void fuzz_check_storable(const struct ov_account_list *l, const char *who)
{
    struct ov_vault v = { 0 };
    struct ov_error err;
    uint8_t *buf;
    size_t len;

    for (size_t i = 0; i < l->len; i++) {
        if (ov_account_validate(&l->items[i], &err) != OV_OK) {
            fprintf(stderr, "%s: account %zu does not validate: %s\n", who, i + 1, err.msg);
            abort();
        }
    }
    v.accounts = *l;
    if (ov_vault_serialize(&v, &buf, &len, &err) != OV_OK) {
        fprintf(stderr, "%s: the accounts cannot be stored: %s\n", who, err.msg);
        abort();
    }
    ov_secure_free(buf, len);
}

#endif
