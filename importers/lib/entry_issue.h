/* How importers word a problem with one entry, so that the user can find it in the app they
 * are leaving: "entry 3 (GitHub: alice@example.com): the secret ...". */
#ifndef IMPORTERS_ENTRY_ISSUE_H
#define IMPORTERS_ENTRY_ISSUE_H

#include <stddef.h>
#include "otpvault/importer.h"

/* Records "entry <position> (<issuer>: <name>): <reason>" in opts; issuer and name may be NULL
 * or empty and are shown as short, escaped excerpts (they come from the untrusted file). */
void ov_entry_issue(struct ov_import_opts *opts, size_t position, const char *issuer,
                    const char *name, const char *reason);

#endif
