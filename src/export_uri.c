/* Text exports: an otpauth:// URI list (formats.md 19/20, what Aegis' "Text file" export
 * and most apps read) and Google Authenticator transfer URIs (formats.md 2.1), one a line. */
#include <stdlib.h>
#include <string.h>

#include "otpvault/export.h"
#include "otpvault/mem.h"
#include "otpvault/qrplan.h"
#include "otpvault/uri.h"

static int write_otpauth(const struct ov_account_list *in, const struct ov_export_opts *opts,
                         struct ov_export_out *out, struct ov_error *err)
{
    (void)opts;
    (void)err;
    for (size_t i = 0; i < in->len; i++) {
        const struct ov_account *a = &in->items[i];
        char *uri;
        /* motp:// has no PIN parameter (Aegis, Stratum): the account would come back
         * without it, which no importer accepts. */
        if (a->type == OV_MOTP) {
            ov_export_skip(out, i, a, "a motp:// URI cannot carry the PIN; use the aegis "
                           "or json format");
            continue;
        }
        uri = ov_uri_format(a);
        ov_export_append_str(out, uri);
        ov_export_append_str(out, "\n");
        ov_secure_free_str(uri);
        out->count++;
    }
    return OV_OK;
}

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

const struct ov_exporter ov_exporter_otpauth = {
    .name = "otpauth",
    .label = "otpauth:// URI list, one a line (Aegis, 2FAS, Stratum, KeePassXC, ... import it)",
    .write = write_otpauth,
};

const struct ov_exporter ov_exporter_gauth_migration = {
    .name = "gauth-migration",
    .label = "Google Authenticator transfer URIs (otpauth-migration://), one a line, 10 "
             "accounts each",
    .write = write_migration,
};
