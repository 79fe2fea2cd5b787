/* The "otpauth-zip" format: any ZIP archive holding URI lists, read with plain URI
 * semantics (design.md 4.1). That is what a WinAuth zip export gets when detected by
 * content; `--format winauth` applies WinAuth's own labelling instead (winauth.c). */
#include "otpvault/importer.h"
#include "lib/uri_zip.h"
#include "lib/zip_archive.h"

static int otpauth_zip_sniff(const struct ov_blob *in)
{
    /* Any archive, empty ones too: a clear "no URI list in it" beats "unknown format".
     * Archives of a known app (Authenticator Plus) score higher in their importer. */
    return ov_zip_magic(in) ? 40 : 0;
}

static int otpauth_zip_load(const struct ov_blob *in, struct ov_import_opts *opts,
                            struct ov_account_list *out, struct ov_error *err)
{
    return ov_zip_uri_lists_load(in, NULL, opts, out, err);
}

const struct ov_importer ov_importer_otpauth_zip = {
    .name = "otpauth-zip",
    .label = "ZIP archive of otpauth:// URI lists, password or not (WinAuth zip export, ...)",
    .sniff = otpauth_zip_sniff, .load = otpauth_zip_load, .needs_password = true,
    .is_encrypted = ov_zip_has_encrypted,
};
