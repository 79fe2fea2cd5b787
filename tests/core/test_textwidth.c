/* Display width and truncation with wide, combining and invalid characters. */
#include <criterion/criterion.h>
#include <locale.h>
#include <string.h>

#include "otpvault/textwidth.h"

static void setup(void)
{
    setlocale(LC_ALL, "C.UTF-8");
}

TestSuite(textwidth, .init = setup);

Test(textwidth, counts_columns)
{
    cr_assert_eq(ov_text_width("GitHub"), 6);
    cr_assert_eq(ov_text_width("日本語"), 6);
    cr_assert_eq(ov_text_width("e\xcc\x81t\xc3\xa9"), 3);   /* e + combining acute, t, é */
    cr_assert_eq(ov_text_width("\xf0\x9f\x94\x91 key"), 6);  /* emoji is 2 wide */
    /* Widths are of the display form: an invalid byte or a control shows as \xNN. */
    cr_assert_eq(ov_text_width("a\xff" "b"), 6);
    cr_assert_eq(ov_text_width("a\033b"), 6);
    cr_assert_eq(ov_text_width("a\xe2\x80\xae" "b"), 8);     /* U+202E shown as \u202e */
}

Test(textwidth, fits_by_width_with_ellipsis)
{
    char out[64];
    cr_assert_eq(ov_text_fit("GitHub", 10, out, sizeof out), 6);
    cr_assert_str_eq(out, "GitHub");
    cr_assert_eq(ov_text_fit("GitHub", 4, out, sizeof out), 4);
    cr_assert_str_eq(out, "Git…");
    /* A wide character never straddles the edge. */
    cr_assert_eq(ov_text_fit("日本語", 4, out, sizeof out), 3);
    cr_assert_str_eq(out, "日…");
    /* Combining marks stay with their base. */
    cr_assert_eq(ov_text_fit("e\xcc\x81" "abc", 2, out, sizeof out), 2);
    cr_assert_str_eq(out, "e\xcc\x81…");
    cr_assert_eq(ov_text_fit("abc", 0, out, sizeof out), 0);
    cr_assert_str_eq(out, "");
    /* Bounded by the buffer as well as the width. */
    cr_assert_leq(ov_text_fit("abcdefghijkl", 50, out, 8), 7);
    cr_assert_lt(strlen(out), 8);
    /* An escape is never cut in half: it goes whole or not at all. */
    cr_assert_eq(ov_text_fit("ab\033cd", 4, out, sizeof out), 3);
    cr_assert_str_eq(out, "ab…");
}
