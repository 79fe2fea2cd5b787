/* Stratum HTML backups. */
#include <criterion/criterion.h>
#include <gcrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/import.h"
#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(stratum_html, .init = setup);

static const char html[] =
    "<!DOCTYPE html>\n<html><body><table>\n"
    "<tr><td>Deno</td><td>Mason</td>"
    "<td><code>otpauth://totp/Deno%3AMason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno"
    "</code></td><td><img src=\"data:image/png;base64,iVBO\"></td></tr>\n"
    "<tr><td>WWE</td><td></td><td><CODE>otpauth://hotp/WWE?secret=5VAML3X35THCEBVRLV24CGBKOY"
    "&amp;issuer=WWE&amp;counter=7</CODE></td></tr>\n"
    "<tr><td>x</td><td>y</td><td><code>otpauth://totp/Bad?secret=1</code></td></tr>\n"
    "</table></body></html>\n";

Test(stratum_html, html_backup)
{
    struct ov_blob b = { (const uint8_t *)html, strlen(html), "backup.html" };
    struct import_result r;
    const struct ov_account *a;

    cr_assert_str_eq(ov_import_pick(&b, NULL)->name, "stratum-html");
    import_str("stratum-html", html, NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 2);
    cr_assert_not_null(import_find(&r, "Deno", "Mason"));
    a = import_find(&r, "WWE", "WWE");
    cr_assert(a != NULL && a->type == OV_HOTP && a->counter == 7); /* &amp; decoded */
    cr_assert_eq(r.opts.nissues, 1);
    cr_assert(import_issue_at(&r, 0, "row 3:"), "%s", r.opts.issues[0].message);
    import_result_free(&r);
}

Test(stratum_html, html_damage)
{
    size_t big = 100000;
    char *doc = malloc(big + 64);
    struct import_result r;

    import_cuts_clear("stratum-html", html, strlen(html), NULL, 0, 1);
    import_str("stratum-html", "<html><code>otpauth://totp/A?secret=JBSWY3DP", NULL, &r);
    cr_assert_eq(r.rc, OV_OK);
    cr_assert(import_issue_at(&r, 0, "not closed"));
    import_result_free(&r);
    import_str("stratum-html", "<html><p>no codes</p></html>", NULL, &r);
    cr_assert_eq(r.rc, OV_ERR_INVALID);
    import_result_free(&r);
    /* Far longer than any URI: refused per row, not an abort in secure memory. */
    strcpy(doc, "<html><code>otpauth://totp/A?secret=");
    memset(doc + strlen(doc), 'A', big);
    strcpy(doc + 36 + big, "</code>");
    import_str("stratum-html", doc, NULL, &r);
    cr_assert_eq(r.rc, OV_OK);
    cr_assert(import_issue_at(&r, 0, "too long"), "%s", r.opts.nissues ? r.opts.issues[0].message : "");
    import_result_free(&r);
    free(doc);
}
