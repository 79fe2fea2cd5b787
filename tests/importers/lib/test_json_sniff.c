/* The JSON sniffer the importers detect with (importers/lib/json_sniff): depth, strings,
 * unbalanced and deep input. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "importers/lib/json_sniff.h"
#include "otpvault/crypto.h"
#include "otpvault/import.h"
#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(json_sniff, .init = setup);

static char scan(const char *text, struct js_probe *p, size_t n)
{
    struct ov_blob in = { (const uint8_t *)text, strlen(text), "t" };
    return js_scan(&in, p, n);
}

Test(json_sniff, sniff_counts_depth_and_skips_strings)
{
    struct js_probe p[] = { { "a", 1, false, 0 }, { "b", 3, false, 0 }, { "c", 4, false, 0 },
                            { "x", 1, false, 0 } };

    cr_assert_eq(scan("{\"s\": \"{\\\"x\\\": 1}\", \"a\": [{\"b\": {\"c\": null}}]}", p, 4),
                 '{');
    cr_assert(p[0].found && p[0].value_start == '[');
    cr_assert(p[1].found && p[1].value_start == '{');
    cr_assert(p[2].found && p[2].value_start == 'n');
    cr_assert(!p[3].found, "a key inside a string value is no key");
    /* Values are not keys, and a key at another depth does not count. */
    cr_assert_eq(scan("{\"k\": \"a\", \"z\": {\"a\": 1}}", p, 1), '{');
    cr_assert(!p[0].found);
    p[1].depth = 2;
    cr_assert_eq(scan("[{\"b\": 1}]", p + 1, 1), '[');
    cr_assert(p[1].found && p[1].value_start == '1');
}

Test(json_sniff, sniff_survives_unbalanced_and_deep_input)
{
    struct js_probe p[] = { { "a", 1, false, 0 } };
    char *deep = malloc(20001);

    for (size_t i = 0; i < 10000; i++) {
        deep[i] = '[';
        deep[10000 + i] = ']';
    }
    deep[0] = '{';
    deep[20000] = '\0';
    cr_assert_eq(scan(deep, p, 1), '{');
    cr_assert(!p[0].found);
    free(deep);
    cr_assert_eq(scan("}}}]]{\"a\"", p, 1), 0, "not JSON-looking: does not start with { or [");
    cr_assert_eq(scan("{\"a", p, 1), '{');
    cr_assert(!p[0].found);
    cr_assert_eq(scan("{\"a\":", p, 1), '{');
    cr_assert(p[0].found && p[0].value_start == 0);
    cr_assert_eq(scan("\xEF\xBB\xBF \n{\"a\":\"\\\\\"}", p, 1), '{');
    cr_assert(p[0].found && p[0].value_start == '"');
}
