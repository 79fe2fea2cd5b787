/* Display width of UTF-8 text in terminal columns (wide CJK counts 2, combining marks 0), and
 * truncation by width with an ellipsis. Uses the C library's wcwidth under the current locale,
 * so callers set the locale first (both faces do, in main). */
#ifndef OTPVAULT_TEXTWIDTH_H
#define OTPVAULT_TEXTWIDTH_H

#include <stddef.h>

/* Columns the display form of s (display.h) takes: controls, bidi characters and invalid
 * bytes count as their visible escapes, so widths stay consistent with what is drawn.
 * Characters the locale cannot print count 1 (the TUI shows them as '?'). */
int ov_text_width(const char *s);

/* Copies the longest prefix of the display form of s (whole characters, combining marks kept with their base)
 * that fits in max_cols columns into out (NUL-terminated, out_size > 0). When s is cut, the
 * last column holds an ellipsis ("…", or "~" in a non-UTF-8 locale). Returns the width of
 * the result. */
int ov_text_fit(const char *s, int max_cols, char *out, size_t out_size);

#endif
