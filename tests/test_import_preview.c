/* What the app shows before an import and how it adds one: counts, parameters in words, the
 * move into the vault's list and back after a failed save, the message afterwards. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "otpvault/crypto.h"
#include "tui/model/import_preview.h"
#include "otpvault/uri.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(import_preview, .init = setup);

static void push_uri(struct ov_account_list *l, const char *uri)
{
    struct ov_account a;
    struct ov_error err = { 0 };
    cr_assert_eq(ov_uri_parse(uri, &a, NULL, 0, &err), OV_OK, "%s", err.msg);
    ov_account_list_push(l, &a);
}

static void three(struct ov_import_report *r)
{
    memset(r, 0, sizeof *r);
    ov_account_list_init(&r->accounts);
    push_uri(&r->accounts, "otpauth://totp/A:one?secret=JBSWY3DPEHPK3PXP&issuer=A");
    push_uri(&r->accounts, "otpauth://hotp/B:two?secret=GEZDGNBVGY3TQOJQ&issuer=B&counter=7"
                           "&algorithm=SHA256&digits=8");
    push_uri(&r->accounts, "otpauth://totp/C:three?secret=GEZDGNBVGY3TQOJQGEZDGNBV&issuer=C"
                           "&period=60");
}

Test(import_preview, summary_counts)
{
    struct ov_import_report r;
    char s[200];

    three(&r);
    r.present = 2;
    r.entries_failed = 1;
    ov_import_summary(&r, false, s, sizeof s);
    cr_assert_str_eq(s, "3 new, 2 already in the vault, 1 failed");
    r.duplicates = 1;
    r.inputs_failed = 2;
    ov_import_summary(&r, false, s, sizeof s);
    cr_assert_str_eq(s, "3 new, 2 already in the vault, 1 failed, 1 twice in the inputs; "
                        "2 inputs could not be read");
    ov_import_summary(&r, true, s, sizeof s);
    cr_assert_str_eq(s, "3 new, 2 present, 1 failed, 1 twice; 2 inputs unread");
    ov_import_summary(&r, false, s, 10);
    cr_assert_str_eq(s, "3 new, 2 ");
    ov_import_report_free(&r);
}

Test(import_preview, parameters_in_words_never_the_secret)
{
    struct ov_import_report r;
    char s[100];

    three(&r);
    ov_import_account_params(&r.accounts.items[0], s, sizeof s);
    cr_assert_str_eq(s, "TOTP SHA1, 6 digits, 30 s");
    ov_import_account_params(&r.accounts.items[1], s, sizeof s);
    cr_assert_str_eq(s, "HOTP SHA256, 8 digits, counter 7");
    ov_import_account_params(&r.accounts.items[2], s, sizeof s);
    cr_assert_str_eq(s, "TOTP SHA1, 6 digits, 60 s");
    ov_import_report_free(&r);
}

Test(import_preview, commit_moves_the_chosen_and_uncommit_puts_them_back)
{
    struct ov_import_report r;
    struct ov_account_list vault;
    bool skip[3] = { false, true, false };
    size_t mark;

    three(&r);
    ov_account_list_init(&vault);
    push_uri(&vault, "otpauth://totp/V:old?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=V");
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

Test(import_preview, commit_after_a_reload_leaves_what_the_vault_holds_already)
{
    struct ov_import_report r;
    struct ov_account_list vault;
    bool skip[3] = { false, false, false };
    struct ov_account copy;
    size_t mark;

    three(&r);
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

Test(import_preview, done_message_names_the_inputs)
{
    const char *one[] = { "/home/u/Pictures/shot.png" };
    const char *two[] = { "a.png", "dir/b.png" };
    const char *many[] = { "a", "b", "c" };
    char s[200];

    ov_import_done_message(12, 2, one, 1, s, sizeof s);
    cr_assert_str_eq(s, "imported 12 accounts from shot.png (2 already present)");
    ov_import_done_message(1, 0, two, 2, s, sizeof s);
    cr_assert_str_eq(s, "imported 1 account from a.png and b.png");
    ov_import_done_message(3, 0, many, 3, s, sizeof s);
    cr_assert_str_eq(s, "imported 3 accounts from 3 files");
}
