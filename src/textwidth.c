/* Terminal display width of UTF-8 text, and truncation by width. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "otpvault/textwidth.h"

/* Decodes one character at s (len bytes left): bytes used (>= 1) and its column width. */
static size_t next_char(const char *s, size_t len, int *width)
{
    mbstate_t st;
    wchar_t wc;
    size_t n;

    memset(&st, 0, sizeof st);
    n = mbrtowc(&wc, s, len, &st);
    if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
        *width = 1; /* shown as a replacement character */
        return 1;
    }
    *width = wcwidth(wc);
    if (*width < 0)
        *width = 1; /* control character: shown as '?' */
    return n;
}

int ov_text_width(const char *s)
{
    size_t len = strlen(s);
    int total = 0;

    while (len > 0) {
        int w;
        size_t n = next_char(s, len, &w);
        total += w;
        s += n;
        len -= n;
    }
    return total;
}

int ov_text_fit(const char *s, int max_cols, char *out, size_t out_size)
{
    bool utf8 = MB_CUR_MAX > 1;
    const char *ellipsis = utf8 ? "\xe2\x80\xa6" : "~";
    size_t len = strlen(s), used = 0, ell_len = strlen(ellipsis);
    size_t cut = 0;      /* bytes that fit with room left for the ellipsis */
    int width = 0, cut_width = 0;

    out[0] = '\0';
    if (max_cols <= 0 || out_size < 2)
        return 0;
    if (ov_text_width(s) <= max_cols && len < out_size) {
        memcpy(out, s, len + 1);
        return ov_text_width(s);
    }
    /* Too wide (or too long for out): keep what fits in max_cols - 1, then the ellipsis. */
    while (used < len) {
        int w;
        size_t n = next_char(s + used, len - used, &w);
        if (width + w > max_cols - 1 || used + n + ell_len + 1 > out_size)
            break;
        width += w;
        used += n;
        cut = used;
        cut_width = width;
    }
    memcpy(out, s, cut);
    memcpy(out + cut, ellipsis, ell_len + 1);
    return cut_width + 1;
}
