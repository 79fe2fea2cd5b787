/* What the app shows before an import and after it: counts and parameters in words, the
 * message afterwards. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "otpvault/crypto.h"
#include "otpvault/uri.h"
#include "tui/model/import_preview.h"

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
