/* The display form of untrusted text (display.h), class by class, and the JSON escaping that
 * keeps data exact while making it safe to print. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <locale.h>
#include <string.h>

#include "otpvault/crypto.h"
#include "otpvault/display.h"
#include "otpvault/mem.h"
#include "otpvault/textwidth.h"

static void setup(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    cr_assert_eq(ov_crypto_init(), 0);
}

TestSuite(display, .init = setup);

struct display_case {
    const char *what;
    const char *in;
    const char *shown;
};

/* Every class the display form escapes, and what it keeps. */
static const struct display_case cases[] = {
    /* C0 controls, DEL */
    { "NUL-free ESC", "a\x1b" "b", "a\\x1bb" },
    { "clipboard OSC 52", "\x1b]52;c;Y3VybA==\x07", "\\x1b]52;c;Y3VybA==\\x07" },
    { "clear screen", "\x1b[2J", "\\x1b[2J" },
    { "BEL", "ding\x07", "ding\\x07" },
    { "CR", "good\rbad", "good\\x0dbad" },
    { "LF", "two\nlines", "two\\x0alines" },
    { "TAB", "a\tb", "a\\x09b" },
    { "backspace", "ab\x08" "c", "ab\\x08c" },
    { "DEL", "x\x7fy", "x\\x7fy" },
    /* C1 controls: as characters and as bare bytes */
    { "CSI as U+009B", "\xc2\x9b" "2J", "\\u009b2J" },
    { "NEL U+0085", "\xc2\x85", "\\u0085" },
    { "bare 0x9b byte", "\x9b" "2J", "\\x9b2J" },
    /* bidi */
    { "RLO U+202E", "Bidi\xe2\x80\xae" "moc.elgoog", "Bidi\\u202emoc.elgoog" },
    { "LRE U+202A", "\xe2\x80\xaa", "\\u202a" },
    { "PDF U+202C", "\xe2\x80\xac", "\\u202c" },
    { "LRI U+2066", "\xe2\x81\xa6", "\\u2066" },
    { "PDI U+2069", "\xe2\x81\xa9", "\\u2069" },
    { "RLM U+200F", "\xe2\x80\x8f", "\\u200f" },
    { "ALM U+061C", "\xd8\x9c", "\\u061c" },
    /* invisible formatting */
    { "zero-width space", "pay\xe2\x80\x8bpal", "pay\\u200bpal" },
    { "soft hyphen", "pay\xc2\xadpal", "pay\\u00adpal" },
    { "word joiner", "\xe2\x81\xa0", "\\u2060" },
    { "BOM", "\xef\xbb\xbf" "x", "\\ufeffx" },
    { "line separator", "\xe2\x80\xa8", "\\u2028" },
    { "tag character", "\xf3\xa0\x81\x81", "\\U000e0041" },
    { "Hangul filler", "\xe3\x85\xa4", "\\u3164" },
    { "noncharacter U+FFFF", "\xef\xbf\xbf", "\\uffff" },
    /* invalid UTF-8 */
    { "stray continuation", "a\x80" "b", "a\\x80b" },
    { "truncated sequence", "caf\xc3", "caf\\xc3" },
    { "overlong slash", "\xc0\xaf", "\\xc0\\xaf" },
    { "UTF-16 surrogate", "\xed\xa0\x80", "\\xed\\xa0\\x80" },
    { "above U+10FFFF", "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80" },
    { "0xff", "\xff", "\\xff" },
    /* kept exactly */
    { "ASCII", "GitHub: alice@example.com", "GitHub: alice@example.com" },
    { "backslash stays", "C:\\x1b", "C:\\x1b" },
    { "CJK (wide)", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e" },
    { "combining acute", "e\xcc\x81", "e\xcc\x81" },
    { "Arabic", "\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85", "\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85" },
    { "Persian with ZWNJ", "\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xb4\xd9\x88\xd8\xaf",
      "\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xb4\xd9\x88\xd8\xaf" },
    { "emoji ZWJ sequence", "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb",
      "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb" },
    { "variation selector", "\xe2\x9d\xa4\xef\xb8\x8f", "\xe2\x9d\xa4\xef\xb8\x8f" },
    { "NBSP", "a\xc2\xa0" "b", "a\xc2\xa0" "b" },
    { "empty", "", "" },
};

Test(display, every_class_is_shown_visibly_and_the_rest_kept)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *shown = ov_display_dup(cases[i].in);
        char fixed[256];

        cr_assert_str_eq(shown, cases[i].shown, "%s", cases[i].what);
        cr_assert_str_eq(ov_display_into(cases[i].in, fixed, sizeof fixed), cases[i].shown,
                         "%s (fixed buffer)", cases[i].what);
        cr_assert_eq(ov_display_is_plain(cases[i].in),
                     strcmp(cases[i].in, cases[i].shown) == 0, "%s", cases[i].what);
        /* Nothing the terminal acts on survives. */
        for (const unsigned char *p = (const unsigned char *)shown; *p != '\0'; p++)
            cr_assert(*p >= 0x20 && *p != 0x7f, "%s: byte 0x%02x left", cases[i].what, *p);
        free(shown);
    }
}

Test(display, null_is_empty)
{
    char *s = ov_display_dup(NULL);
    cr_assert_str_eq(s, "");
    free(s);
}

/* A fixed buffer never ends in half an escape or half a character. */
Test(display, a_fixed_buffer_cuts_at_whole_units)
{
    char out[8];

    cr_assert_str_eq(ov_display_into("ab\x1b" "cd", out, 5), "ab");
    cr_assert_str_eq(ov_display_into("ab\x1b" "cd", out, 7), "ab\\x1b");
    cr_assert_str_eq(ov_display_into("\xe6\x97\xa5\xe6\x9c\xac", out, 6), "\xe6\x97\xa5");
    cr_assert_str_eq(ov_display_into("x", out, 1), "");
}

/* Alignment uses the display form: widths of what is shown. */
Test(display, widths_are_those_of_the_display_form)
{
    cr_assert_eq(ov_text_width("\xe6\x97\xa5\xe6\x9c\xac"), 4);
    cr_assert_eq(ov_text_width("e\xcc\x81"), 1);
    cr_assert_eq(ov_text_width("a\x1b"), 5);
    cr_assert_eq(ov_text_width("\xe2\x80\xae"), 6);
}

/* The stored text is data: ov_json_safe keeps it exact while escaping what the display form
 * escapes, so printing the JSON is safe and parsing it gives the original back. */
Test(display, json_keeps_the_data_and_escapes_every_unsafe_character)
{
    static const char *const names[] = {
        "\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07", "\xc2\x9b" "2J", "Bidi\xe2\x80\xae" "moc",
        "x\x7fy", "\xf3\xa0\x81\x81tag", "\xe2\x81\xa6iso\xe2\x81\xa9", "pay\xe2\x80\x8bpal",
        "\xe6\x97\xa5\xe6\x9c\xac e\xcc\x81", "\xef\xbf\xbe", "quote\" back\\slash",
    };

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        json_t *obj = json_pack("{s:s}", "name", names[i]), *back;
        json_error_t jerr;
        char *raw = json_dumps(obj, JSON_COMPACT), *safe = ov_json_safe(raw);

        cr_assert_not_null(safe);
        /* Printing it is as safe as printing a display form: nothing left to escape. */
        cr_assert(ov_display_is_plain(safe), "%zu: %s", i, safe);
        back = json_loads(safe, 0, &jerr);
        cr_assert_not_null(back, "%zu: %s", i, jerr.text);
        cr_assert_str_eq(json_string_value(json_object_get(back, "name")), names[i],
                         "the data changed in case %zu", i);
        json_decref(back);
        json_decref(obj);
        free(raw);
        ov_secure_free_str(safe);
    }
}

Test(display, json_escapes_are_exact_code_points)
{
    char *safe = ov_json_safe("{\"a\":\"x\xe2\x80\xae\xc2\x9b\x7f\xf3\xa0\x81\x81\"}");

    cr_assert_str_eq(safe, "{\"a\":\"x\\u202E\\u009B\\u007F\\uDB40\\uDC41\"}");
    ov_secure_free_str(safe);
    /* Plain JSON, wide characters included, passes through unchanged. */
    safe = ov_json_safe("{\"a\":\"\xe6\x97\xa5\"}");
    cr_assert_str_eq(safe, "{\"a\":\"\xe6\x97\xa5\"}");
    ov_secure_free_str(safe);
}
