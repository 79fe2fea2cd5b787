/* WinAuth export (formats.md 13): a text list of otpauth:// URIs, or that list zipped, often
 * with a password. WinAuth writes each entry's own name as the URI label, so, as Aegis'
 * WinAuth importer does, the parsed name becomes the issuer and the name is "WinAuth".
 *
 * Only chosen with --format winauth: by content, a WinAuth text file is a plain URI list
 * (otpauth.c) and its zip a plain archive of one (otpauth_zip.c), which keep the labels
 * as they are. */
#include "otpvault/importer.h"
#include "lib/uri_list.h"
#include "lib/uri_zip.h"
#include "lib/zip_archive.h"

static int winauth_sniff(const struct ov_blob *in)
{
    return 0;
}

static int winauth_load(const struct ov_blob *in, struct ov_import_opts *opts,
                        struct ov_account_list *out, struct ov_error *err)
{
    size_t first = out->len;
    int rc = ov_zip_magic(in) ? ov_zip_uri_lists_load(in, NULL, opts, out, err)
                              : ov_uri_list_load(in, opts, out, err);

    if (rc != OV_OK)
        return rc;
    for (size_t i = first; i < out->len; i++) {
        struct ov_account *a = &out->items[i];
        ov_account_set_text(&a->issuer, a->name);
        ov_account_set_text(&a->name, "WinAuth");
    }
    return OV_OK;
}

const struct ov_importer ov_importer_winauth = {
    .name = "winauth",
    .label = "WinAuth export, text or zip (issuer := entry name, name := WinAuth; "
             "--format only)",
    .sniff = winauth_sniff, .load = winauth_load, .needs_password = true,
    .is_encrypted = ov_zip_has_encrypted,
};
