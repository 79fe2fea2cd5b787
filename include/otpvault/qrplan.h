/* The QR codes that move accounts to a phone: one account's otpauth:// code, or Google
 * Authenticator "Transfer accounts" codes (formats.md 2.1) of at most 10 accounts each, one
 * batch (same batch id, batch size = number of codes, index 0, 1, ...). Accounts the transfer
 * format cannot carry are left out and listed with the reason. The faces draw the pages
 * (terminal, PNG); nothing here prints. */
#ifndef OTPVAULT_QRPLAN_H
#define OTPVAULT_QRPLAN_H

#include <stddef.h>
#include "otpvault/account.h"
#include "otpvault/error.h"
#include "otpvault/export.h"

struct ov_qr_page {
    char *text;            /* what the QR code holds (secure memory: it holds secrets) */
    char title[320];       /* "GitHub: alice" or "transfer code 2 of 3 (accounts 11-20 of 25)" */
    size_t first, count;   /* the accounts it carries: positions in the planned list */
};

struct ov_qr_plan {
    struct ov_qr_page *pages;
    size_t npages;
    struct ov_export_out skipped; /* only skipped / nskipped are used */
    size_t accounts;              /* accounts carried by all pages together */
};

/* One page: the account's otpauth:// (or motp://) URI. */
int ov_qr_plan_account(const struct ov_account *a, struct ov_qr_plan *plan,
                       struct ov_error *err);

/* Transfer codes for the n accounts (per_qr 0: OV_MIGRATION_PER_QR). Accounts that cannot be
 * carried are listed in plan->skipped (index into accounts[]); OV_ERR_INVALID when none can.
 * Free the plan with ov_qr_plan_free after an error too: the skipped list says why. */
int ov_qr_plan_migration(const struct ov_account *const *accounts, size_t n, size_t per_qr,
                         struct ov_qr_plan *plan, struct ov_error *err);

void ov_qr_plan_free(struct ov_qr_plan *plan);

#endif
