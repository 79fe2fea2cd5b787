/* The "otpauth" export: an otpauth:// URI list, one a line (formats.md 19/20, what Aegis'
 * "Text file" export and most apps read). */
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

const struct ov_exporter ov_exporter_otpauth = {
    .name = "otpauth",
    .label = "otpauth:// URI list, one a line (Aegis, 2FAS, Stratum, KeePassXC, ... import it)",
    .write = write_otpauth,
};
