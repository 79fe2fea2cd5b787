/* What the app shows before an import and after it: counts and parameters in words, the
 * message afterwards. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "otpvault/crypto.h"
#include "otpvault/uri.h"
#include "tui/model/import_preview.h"
#include "tests/lib/import_harness.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(import_preview, .init = setup);

Test(import_preview, summary_counts)
{
    struct ov_import_report r;
    char s[200];

    report_of_three(&r);
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

    report_of_three(&r);
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
