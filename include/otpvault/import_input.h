/* Import inputs read into memory: a file, or standard input for "-", as a struct ov_blob for
 * ov_import_run. Shared by the CLI and the full-screen app so both apply the same size bound
 * and the same rule for where the bytes live. */
#ifndef OTPVAULT_IMPORT_INPUT_H
#define OTPVAULT_IMPORT_INPUT_H

#include "otpvault/error.h"
#include "otpvault/importer.h"

/* Plain exports hold secrets, so inputs up to this size are read into secure memory. Larger
 * ones are pictures (secure memory cannot hold a 100-megapixel PNG): they stay in the
 * ordinary heap and are wiped before they are freed, like everything else. */
#define OV_IMPORT_SECURE_MAX (8u * 1024u * 1024u)

/* Reads path whole ("-": standard input) into *out, whose name is set to name (not copied:
 * the caller keeps it alive; it starts every message about this input). Errors start with
 * name: OV_ERR_NOT_FOUND / OV_ERR_IO with the system's reason, "is a directory", OV_ERR_LIMIT
 * past OV_IMPORT_MAX_INPUT. On failure *out is empty (data NULL). */
int ov_import_input_read(const char *path, const char *name, struct ov_blob *out,
                         struct ov_error *err);

/* Wipes and frees what ov_import_input_read allocated; out->data is NULL afterwards. */
void ov_import_input_free(struct ov_blob *in);

#endif
