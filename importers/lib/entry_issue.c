/* See entry_issue.h. */
#include <stdio.h>
#include <string.h>

#include "entry_issue.h"
#include "otpvault/codec.h"

#define SHOWN_CHARS 40

void ov_entry_issue(struct ov_import_opts *opts, size_t position, const char *issuer,
                    const char *name, const char *reason)
{
    char is[SHOWN_CHARS * 4 + 8] = "", nm[SHOWN_CHARS * 4 + 8] = "", who[sizeof is * 2 + 8] = "";
    bool has_issuer = issuer != NULL && issuer[0] != '\0';
    bool has_name = name != NULL && name[0] != '\0';

    if (has_issuer)
        ov_text_excerpt(issuer, strlen(issuer), SHOWN_CHARS, is, sizeof is);
    if (has_name)
        ov_text_excerpt(name, strlen(name), SHOWN_CHARS, nm, sizeof nm);
    if (has_issuer || has_name)
        snprintf(who, sizeof who, " (%s%s%s)", is, has_issuer && has_name ? ": " : "", nm);
    ov_import_issue_add(opts, position, "entry %zu%s: %s", position, who, reason);
}
