/* The reader of text URI lists: the "otpauth" format (importers/otpauth.c), and importers
 * whose files hold such a list inside something else (a ZIP archive: Authenticator Plus,
 * WinAuth). */
#ifndef IMPORTERS_URI_LIST_H
#define IMPORTERS_URI_LIST_H

#include "otpvault/importer.h"

/* 90 when the first meaningful line of in is an otpauth://, otpauth-migration://, motp:// or
 * steam:// URI, else 0. */
int ov_uri_list_sniff(const struct ov_blob *in);

/* Imports every line of in (formats.md 19): accounts to out, bad lines to opts->issues as
 * "line N: ...", migration batches to opts->marks. Fails (naming in->name) on binary data or
 * when no line is a URI at all. */
int ov_uri_list_load(const struct ov_blob *in, struct ov_import_opts *opts,
                     struct ov_account_list *out, struct ov_error *err);

#endif
