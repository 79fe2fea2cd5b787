/* Adding an import to the vault's list (ov_import_commit) and taking it back after a
 * failed save (ov_import_uncommit), as the CLI and the app both do. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "otpvault/crypto.h"
#include "otpvault/uri.h"
#include "tui/model/import_preview.h"
#include "tests/lib/import_harness.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(import_commit, .init = setup);

Test(import_commit, commit_moves_the_chosen_and_uncommit_puts_them_back)
{
    struct ov_import_report r;
    struct ov_account_list vault;
    bool skip[3] = { false, true, false };
    size_t mark;

    report_of_three(&r);
    ov_account_list_init(&vault);
    list_push_uri(&vault, "otpauth://totp/V:old?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=V");
    mark = vault.len;
    cr_assert_eq(ov_import_commit(&r, skip, false, &vault, 1234), 2);
    cr_assert_eq(vault.len, 3);
    cr_assert_str_eq(vault.items[1].issuer, "A");
    cr_assert_str_eq(vault.items[2].issuer, "C");
    cr_assert_eq(vault.items[1].created, 1234, "created is stamped where unknown");
    cr_assert_null(r.accounts.items[0].secret, "moved, not copied");
    cr_assert_not_null(r.accounts.items[1].secret, "left out: stays in the report");

    ov_import_uncommit(&r, skip, &vault, mark);
    cr_assert_eq(vault.len, 1);
    cr_assert_str_eq(vault.items[0].issuer, "V");
    cr_assert_str_eq(r.accounts.items[0].issuer, "A");
    cr_assert_str_eq(r.accounts.items[1].issuer, "B");
    cr_assert_str_eq(r.accounts.items[2].issuer, "C");
    cr_assert_not_null(r.accounts.items[2].secret);

    /* No skip list: everything. */
    cr_assert_eq(ov_import_commit(&r, NULL, false, &vault, 1), 3);
    cr_assert_eq(vault.len, 4);
    ov_import_report_free(&r);   /* frees only empty slots now */
    ov_account_list_free(&vault);
}

Test(import_commit, commit_after_a_reload_leaves_what_the_vault_holds_already)
{
    struct ov_import_report r;
    struct ov_account_list vault;
    bool skip[3] = { false, false, false };
    struct ov_account copy;
    size_t mark;

    report_of_three(&r);
    ov_account_list_init(&vault);
    /* Another writer added B meanwhile. */
    ov_account_copy(&copy, &r.accounts.items[1]);
    ov_account_list_push(&vault, &copy);
    mark = vault.len;
    cr_assert_eq(ov_import_commit(&r, skip, true, &vault, 5), 2);
    cr_assert_eq(r.present, 1);
    cr_assert(skip[1], "flagged, so that uncommit leaves it alone");
    cr_assert_eq(vault.len, 3);
    cr_assert_str_eq(vault.items[1].issuer, "A");
    cr_assert_str_eq(vault.items[2].issuer, "C");
    ov_import_uncommit(&r, skip, &vault, mark);
    cr_assert_eq(vault.len, 1);
    cr_assert_str_eq(r.accounts.items[0].issuer, "A");
    cr_assert_str_eq(r.accounts.items[2].issuer, "C");
    /* Without the recheck the same account goes in twice: the flag is what prevents it. */
    skip[1] = false;
    cr_assert_eq(ov_import_commit(&r, skip, false, &vault, 5), 3);
    ov_import_report_free(&r);
    ov_account_list_free(&vault);
}
