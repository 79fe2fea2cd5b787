/* Shared by the importers whose entries are QR payload texts (URI lists, QR images): parse one
 * payload, record its batch mark, and word its issues with where it came from. */
#ifndef IMPORTERS_PAYLOAD_H
#define IMPORTERS_PAYLOAD_H

#include <stddef.h>
#include "otpvault/importer.h"

/* Parses one payload (a text line or a QR code's bytes) found at `position` (1-based) of the
 * input; `unit` names what position counts ("line", "QR"). Accounts go to out, per-entry
 * problems to opts->issues, migration batches to opts->marks. Returns OV_OK, or the parse
 * error (nothing added), whose message the caller places ("line 3: ..."). */
int ov_import_payload(const void *data, size_t len, const char *unit, size_t position,
                      struct ov_import_opts *opts, struct ov_account_list *out,
                      struct ov_error *err);

#endif
