/* See import.h: the accounts of an import go into the vault's list, and back out when the
 * save fails, so the vault in memory never holds what is not on disk. The CLI and the app
 * both add an import through here. */
#include <string.h>

#include "otpvault/import.h"

size_t ov_import_commit(struct ov_import_report *r, bool *skip, bool recheck_present,
                        struct ov_account_list *into, int64_t now)
{
    size_t moved = 0;

    for (size_t i = 0; i < r->accounts.len; i++) {
        struct ov_account *a = &r->accounts.items[i];
        if (skip != NULL && skip[i])
            continue;
        if (recheck_present && ov_account_list_has(into, a)) {
            r->present++;
            if (skip != NULL)
                skip[i] = true;
            continue;
        }
        if (a->created == 0)
            a->created = now;
        ov_account_list_push(into, a);   /* zeroes the report's slot */
        moved++;
    }
    return moved;
}

void ov_import_uncommit(struct ov_import_report *r, const bool *skip,
                        struct ov_account_list *into, size_t mark)
{
    size_t k = mark;

    for (size_t i = 0; i < r->accounts.len && k < into->len; i++) {
        if (skip != NULL && skip[i])
            continue;
        r->accounts.items[i] = into->items[k];
        memset(&into->items[k], 0, sizeof into->items[k]);
        k++;
    }
    into->len = mark;
}
