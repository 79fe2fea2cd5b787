/* The "gauth-migration" export: Google Authenticator transfer URIs (formats.md 2.1), one a
 * line, as `qr --migration` shows them as QR codes. */
#include <stdlib.h>

#include "otpvault/export.h"
#include "otpvault/mem.h"
#include "otpvault/qrplan.h"

static int write_migration(const struct ov_account_list *in, const struct ov_export_opts *opts,
                           struct ov_export_out *out, struct ov_error *err)
{
    const struct ov_account **ptrs = ov_xcalloc(in->len > 0 ? in->len : 1, sizeof *ptrs);
    struct ov_qr_plan plan;
    int rc;

    (void)opts;
    for (size_t i = 0; i < in->len; i++)
        ptrs[i] = &in->items[i];
    rc = ov_qr_plan_migration(ptrs, in->len, 0, &plan, err);
    free(ptrs);
    /* The skipped list moves to out, whether or not anything could be encoded. */
    out->skipped = plan.skipped.skipped;
    out->nskipped = plan.skipped.nskipped;
    plan.skipped.skipped = NULL;
    plan.skipped.nskipped = 0;
    for (size_t i = 0; rc == OV_OK && i < plan.npages; i++) {
        ov_export_append_str(out, plan.pages[i].text);
        ov_export_append_str(out, "\n");
    }
    if (rc == OV_OK)
        out->count = plan.accounts;
    ov_qr_plan_free(&plan);
    return in->len == 0 ? OV_OK : rc;
}

const struct ov_exporter ov_exporter_gauth_migration = {
    .name = "gauth-migration",
    .label = "Google Authenticator transfer URIs (otpauth-migration://), one a line, 10 "
             "accounts each",
    .write = write_migration,
};
