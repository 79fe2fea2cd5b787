/* otpauth:// URI lists inside a ZIP archive, optionally password-protected: Authenticator
 * Plus' "Export as Text and HTML" (Accounts.txt) and WinAuth's zipped export. */
#ifndef IMPORTERS_URI_ZIP_H
#define IMPORTERS_URI_ZIP_H

#include "otpvault/importer.h"

/* Imports the URI lists of the archive in: with member NULL, every file whose text is such a
 * list (others are passed over); otherwise only the member of that base name (ignoring
 * case), which must be a list. Per-line problems go to opts->issues as "<member>: line N:
 * ...". Errors: no such member or no list at all, an empty archive, OV_ERR_AUTH for a
 * missing or wrong password, damage and bounds as zip_archive.h says. */
int ov_zip_uri_lists_load(const struct ov_blob *in, const char *member,
                          struct ov_import_opts *opts, struct ov_account_list *out,
                          struct ov_error *err);

#endif
