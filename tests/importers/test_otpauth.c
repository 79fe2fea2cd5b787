/* Text lists of URIs (the "otpauth" format, importers/lib/uri_list): blanks, comments, a
 * BOM and CRLF tolerated; a bad line is an issue naming its line, the rest imports; no URI
 * at all, or binary data, fails as a whole. */
#include <criterion/criterion.h>
#include <string.h>

#include "otpvault/crypto.h"
#include "tests/lib/import_harness.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(otpauth, .init = setup);

Test(otpauth, blanks_comments_bom_and_crlf_are_tolerated)
{
    struct import_result r;

    import_str("otpauth", "\xEF\xBB\xBF# exported\r\n\r\n  otpauth://totp/GitHub:alice?secret="
               "JBSWY3DPEHPK3PXP  \r\notpauth://hotp/Bank:bob?secret=GEZDGNBV&counter=7\n",
               NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 2);
    cr_assert_eq(r.opts.nissues, 0, "%s", import_first_issue(&r));
    cr_assert_not_null(import_find(&r, "GitHub", "alice"));
    cr_assert_eq(import_find(&r, "Bank", "bob")->counter, 7);
    import_result_free(&r);
}

Test(otpauth, a_bad_line_is_an_issue_and_the_rest_imports)
{
    struct import_result r;

    import_str("otpauth", "otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP\n"
               "otpauth://totp/B:b?secret=NOT!BASE32\n"
               "otpauth://totp/C:c?secret=GEZDGNBV\n", NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 2);
    cr_assert_eq(import_failures(&r), 1);
    cr_assert(import_issue_at(&r, 2, "line 2"), "%s", import_first_issue(&r));
    cr_assert(import_issue_at(&r, 2, "of the secret (Base32)"), "%s", import_first_issue(&r));
    import_result_free(&r);
}

Test(otpauth, no_uri_at_all_or_binary_data_fails_as_a_whole)
{
    static const char binary[] = "otpauth://totp/A:a?secret=JBSWY3DP\n\x01\x02\x00\x03";
    struct import_result r;

    import_str("otpauth", "just some text\nand more\n", NULL, &r);
    cr_assert_neq(r.rc, OV_OK);
    cr_assert_eq(r.accounts.len, 0);
    cr_assert_neq(r.err.msg[0], '\0');
    import_result_free(&r);
    import_with("otpauth", binary, sizeof binary - 1, NULL, &r);
    cr_assert_neq(r.rc, OV_OK);
    cr_assert_eq(r.accounts.len, 0);
    import_result_free(&r);
}

Test(otpauth, every_cut_of_a_list_is_clear)
{
    static const char list[] = "otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP&issuer=A\n"
                               "otpauth://hotp/B:b?secret=GEZDGNBV&counter=3\n";

    import_cuts_clear("otpauth", list, sizeof list - 1, NULL, 0, 1);
    import_mutations("otpauth", list, sizeof list - 1, NULL, 300, 11);
}
