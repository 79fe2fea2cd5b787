/* QR pages for moving accounts to a phone (see qrplan.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/mem.h"
#include "otpvault/migration.h"
#include "otpvault/qrplan.h"
#include "otpvault/uri.h"

int ov_qr_plan_account(const struct ov_account *a, struct ov_qr_plan *plan,
                       struct ov_error *err)
{
    memset(plan, 0, sizeof *plan);
    if (a->type == OV_MOTP)
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "an mOTP account's QR code would lack "
                            "its PIN; type the PIN on the phone, or use export --format aegis");
    plan->pages = ov_xcalloc(1, sizeof *plan->pages);
    plan->npages = 1;
    plan->pages[0].text = ov_uri_format(a);
    plan->pages[0].count = 1;
    ov_account_label(a, plan->pages[0].title, sizeof plan->pages[0].title);
    plan->accounts = 1;
    return OV_OK;
}

int ov_qr_plan_migration(const struct ov_account *const *accounts, size_t n, size_t per_qr,
                         struct ov_qr_plan *plan, struct ov_error *err)
{
    struct ov_account *ok;
    size_t *pos, nok = 0;
    char **uris;
    size_t count;
    int rc;

    memset(plan, 0, sizeof *plan);
    if (per_qr == 0)
        per_qr = OV_MIGRATION_PER_QR;
    /* Shallow copies of the accounts that fit: the encoder only reads them. */
    ok = ov_xcalloc(n > 0 ? n : 1, sizeof *ok);
    pos = ov_xcalloc(n > 0 ? n : 1, sizeof *pos);
    for (size_t i = 0; i < n; i++) {
        struct ov_error why = { 0 };
        if (ov_migration_check_account(accounts[i], &why) != OV_OK) {
            ov_export_skip(&plan->skipped, i, NULL, "%s", why.msg);
            continue;
        }
        ok[nok] = *accounts[i];
        pos[nok++] = i;
    }
    if (nok == 0) {
        rc = ov_error_set(err, OV_ERR_INVALID, n == 0 ? "no accounts to transfer"
                          : "none of the %zu accounts can be carried by Google "
                            "Authenticator's transfer codes", n);
        goto out;
    }
    rc = ov_migration_encode_uris(ok, nok, per_qr, &uris, &count, err);
    if (rc != OV_OK)
        goto out;
    plan->pages = ov_xcalloc(count, sizeof *plan->pages);
    plan->npages = count;
    for (size_t i = 0; i < count; i++) {
        struct ov_qr_page *p = &plan->pages[i];
        size_t first = i * per_qr, k = nok - first < per_qr ? nok - first : per_qr;
        p->text = uris[i];
        p->first = pos[first];
        p->count = k;
        if (count == 1)
            snprintf(p->title, sizeof p->title, "Google Authenticator transfer code "
                     "(%zu account%s)", k, k == 1 ? "" : "s");
        else
            snprintf(p->title, sizeof p->title, "transfer code %zu of %zu (accounts %zu-%zu "
                     "of %zu)", i + 1, count, first + 1, first + k, nok);
    }
    free(uris);   /* the strings now belong to the pages */
    plan->accounts = nok;
out:
    free(ok);
    free(pos);
    return rc;
}

void ov_qr_plan_free(struct ov_qr_plan *plan)
{
    for (size_t i = 0; i < plan->npages; i++)
        ov_secure_free_str(plan->pages[i].text);
    free(plan->pages);
    ov_export_out_free(&plan->skipped);
    memset(plan, 0, sizeof *plan);
}
