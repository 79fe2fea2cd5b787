/* Terminal display width of UTF-8 text, and truncation by width. Both work on the display
 * form (display.h): what a face actually shows, escapes included, cut at whole units. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "otpvault/display.h"
#include "otpvault/textwidth.h"

/* Column width of one piece of the display form: an escape (ASCII), or one character. */
static int piece_width(const char *piece, size_t n, bool escaped)
{
    mbstate_t st;
    wchar_t wc;
    size_t got;
    int w;

    if (escaped)
        return (int)n;
    memset(&st, 0, sizeof st);
    got = mbrtowc(&wc, piece, n, &st);
    if (got == (size_t)-1 || got == (size_t)-2 || got == 0)
        return 1; /* valid UTF-8 the locale cannot decode: shown as one cell */
    w = wcwidth(wc);
    return w < 0 ? 1 : w;
}

/* Walks the display form of s one unit at a time. */
struct walker {
    const char *s;
    size_t len;
    char esc[OV_DISPLAY_ESCAPE_MAX];
    const char *piece;
    size_t piece_len;
    int width;
};

static bool walk_next(struct walker *w)
{
    size_t used;

    if (w->len == 0)
        return false;
    used = ov_display_step(w->s, w->len, w->esc, &w->piece, &w->piece_len);
    w->width = piece_width(w->piece, w->piece_len, w->piece == w->esc);
    w->s += used;
    w->len -= used;
    return true;
}

int ov_text_width(const char *s)
{
    struct walker w = { .s = s, .len = strlen(s) };
    int total = 0;

    while (walk_next(&w))
        total += w.width;
    return total;
}

int ov_text_fit(const char *s, int max_cols, char *out, size_t out_size)
{
    bool utf8 = MB_CUR_MAX > 1;
    const char *ellipsis = utf8 ? "\xe2\x80\xa6" : "~";
    size_t ell_len = strlen(ellipsis), used = 0, cut = 0;
    int width = 0, cut_width = 0;
    struct walker w = { .s = s, .len = strlen(s) };

    out[0] = '\0';
    if (max_cols <= 0 || out_size < 2)
        return 0;
    /* Copy whole pieces; remember the last point that leaves room for the ellipsis. */
    while (walk_next(&w)) {
        if (width + w.width > max_cols || used + w.piece_len + 1 > out_size)
            goto truncate;
        memcpy(out + used, w.piece, w.piece_len);
        used += w.piece_len;
        width += w.width;
        if (width <= max_cols - 1 && used + ell_len + 1 <= out_size) {
            cut = used;
            cut_width = width;
        }
    }
    out[used] = '\0';
    return width;

truncate:
    memcpy(out + cut, ellipsis, ell_len + 1);
    return cut_width + 1;
}
