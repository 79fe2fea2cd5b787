/* Android shared-preferences XML (importers/lib/android_prefs): strings, entities,
 * refused DTDs, quiet placed errors, the size bound, sniffing. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importers/lib/android_prefs.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(android_prefs, .init = setup, .timeout = 120);

static int parse(const char *xml, struct ov_prefs *p, struct ov_error *err)
{
    struct ov_blob in = { (const uint8_t *)xml, strlen(xml), "t" };
    memset(err, 0, sizeof *err);
    return ov_prefs_parse(&in, p, err);
}

static void quiet_setup(void)
{
    setup();
    cr_redirect_stderr();
}

Test(android_prefs, prefs_strings_entities_and_duplicates)
{
    char *xml = android_prefs_file("<int name=\"i\" value=\"3\" />\n"
                      "<string name=\"a\">x &amp; y &lt;z&gt; &quot;q&quot; &#x263A;</string>\n"
                      "<boolean name=\"b\" value=\"true\" />\n"
                      "<string name='e'></string><string name=\"e2\" />\n"
                      "<set name=\"s\"><string>in a set</string></set>\n"
                      "<!-- a comment --><string>nameless</string>\n"
                      "<string name=\"c\"><![CDATA[<raw>]]></string>\n"
                      "<string name=\"a\">second</string>\n");
    struct ov_prefs p;
    struct ov_error err;

    cr_assert_eq(parse(xml, &p, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(p.len, 5);
    cr_assert_str_eq(p.items[0].value, "x & y <z> \"q\" \xE2\x98\xBA");
    cr_assert_eq(p.items[0].value_len, strlen(p.items[0].value));
    cr_assert_str_eq(ov_prefs_get(&p, "a")->value, "second"); /* Android keeps the last */
    cr_assert_str_eq(ov_prefs_get(&p, "e")->value, "");
    cr_assert_str_eq(ov_prefs_get(&p, "e2")->value, "");
    cr_assert_str_eq(ov_prefs_get(&p, "c")->value, "<raw>");
    cr_assert_null(ov_prefs_get(&p, "i"));
    ov_prefs_free(&p);
    free(xml);
}

Test(android_prefs, prefs_refuse_dtds_and_entities)
{
    static const char *const docs[] = {
        ("<?xml version=\"1.0\"?><!DOCTYPE map [<!ENTITY a \"aaaaaaaa\"><!ENTITY b "
         "\"&a;&a;&a;&a;&a;&a;\">]><map><string name=\"x\">&b;</string></map>"),
        "<?xml version=\"1.0\"?><!DOCTYPE map SYSTEM \"http://example.com/x.dtd\"><map/>",
        "<?xml version=\"1.0\"?><map><string name=\"x\">&xxe;</string></map>",
    };
    struct ov_prefs p;
    struct ov_error err;

    cr_assert_eq(parse(docs[0], &p, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "DOCTYPE") != NULL, "%s", err.msg);
    cr_assert_eq(parse(docs[1], &p, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "DOCTYPE") != NULL, "%s", err.msg);
    /* An undeclared entity is simply not well-formed. */
    cr_assert_eq(parse(docs[2], &p, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "xxe") != NULL, "%s", err.msg);
}

Test(android_prefs, prefs_errors_are_quiet_and_placed, .init = quiet_setup)
{
    struct ov_prefs p;
    struct ov_error err;

    cr_assert_eq(parse("<?xml version='1.0'?>\n<map>\n<string name='a'>x</map>", &p, &err),
                 OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "line 3") != NULL, "%s", err.msg);
    cr_assert_eq(parse("<?xml version='1.0'?><foo/>", &p, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "not Android preferences") != NULL, "%s", err.msg);
    cr_assert_eq(parse("", &p, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "empty") != NULL, "%s", err.msg);
    cr_assert_eq(parse("<map><string name='\xff'>x</string></map>", &p, &err),
                 OV_ERR_INVALID);
    /* Declared encodings are not converted (libxml2's converters would print): Android
     * writes UTF-8 whatever a damaged declaration says. */
    cr_assert_eq(parse("<?xml version='1.0' encoding='utf-9'?><map/>", &p, &err), OV_OK);
    ov_prefs_free(&p);
    cr_assert_eq(parse("<?xml version='1.0' encoding='UTF-16'?><map><string name='a'>"
                       "\xc3\xa9</string></map>", &p, &err), OV_OK, "%s", err.msg);
    cr_assert_str_eq(p.items[0].value, "\xc3\xa9");
    ov_prefs_free(&p);
    cr_assert_eq(parse("<?xml version='1.0' encoding='ISO-8859-1'?><map><string name='a'>"
                       "\xe9</string></map>", &p, &err), OV_ERR_INVALID);
    fflush(stderr);
    cr_assert_stderr_eq_str(""); /* libxml2 must not print */
}

Test(android_prefs, prefs_size_bound)
{
    size_t n = (size_t)OV_PREFS_MAX_INPUT + 1;
    uint8_t *big = calloc(1, n);
    struct ov_blob in = { big, n, "big" };
    struct ov_prefs p;
    struct ov_error err = { 0 };

    cr_assert_eq(ov_prefs_parse(&in, &p, &err), OV_ERR_LIMIT);
    cr_assert(strstr(err.msg, "MiB") != NULL, "%s", err.msg);
    free(big);
}

Test(android_prefs, prefs_sniffing)
{
    const char *bom = "\xEF\xBB\xBF  \n<?xml version='1.0'?><map><string name='k'>v</string>";
    struct ov_blob a = { (const uint8_t *)bom, strlen(bom), "a" };
    struct ov_blob b = { (const uint8_t *)"<map/>", 6, "b" };
    struct ov_blob c = { (const uint8_t *)"{\"k\": 1}", 8, "c" };

    cr_assert(ov_prefs_looks_like(&a));
    cr_assert(ov_prefs_has_key(&a, "k"));
    cr_assert_not(ov_prefs_has_key(&a, "v"));
    cr_assert(ov_prefs_looks_like(&b));
    cr_assert_not(ov_prefs_looks_like(&c));
}
