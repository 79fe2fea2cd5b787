/* A model of the screen: each redraw composes the whole frame into `want`, then only the
 * cells that differ from `shown` are handed to curses, which turns them into the fewest
 * bytes it can. An idle tick thus touches the few cells whose countdown moved. */
#include <stdlib.h>
#include <string.h>

#include "otpvault/mem.h"
#include "otpvault/textwidth.h"
#include "tui.h"

static const struct cell blank = { { L' ', 0, 0, 0 }, ST_NORMAL };

void frame_init(struct frame *f)
{
    memset(f, 0, sizeof *f);
    f->cursor_y = f->cursor_x = -1;
    f->shown_cursor = -1;
}

static size_t ncells(const struct frame *f)
{
    return (size_t)f->rows * (size_t)f->cols;
}

void frame_wipe(struct frame *f)
{
    if (f->want != NULL)
        ov_wipe(f->want, ncells(f) * sizeof *f->want);
    if (f->shown != NULL)
        ov_wipe(f->shown, ncells(f) * sizeof *f->shown);
    f->all_dirty = true;
}

void frame_free(struct frame *f)
{
    frame_wipe(f);
    free(f->want);
    free(f->shown);
    frame_init(f);
}

void frame_resize(struct frame *f, int rows, int cols)
{
    frame_wipe(f);
    free(f->want);
    free(f->shown);
    f->rows = rows > 0 ? rows : 1;
    f->cols = cols > 0 ? cols : 1;
    f->want = ov_xcalloc(ncells(f), sizeof *f->want);
    f->shown = ov_xcalloc(ncells(f), sizeof *f->shown);
    f->all_dirty = true;
    frame_clear(f);
}

void frame_clear(struct frame *f)
{
    for (size_t i = 0; i < ncells(f); i++)
        f->want[i] = blank;
    f->cursor_y = f->cursor_x = -1;
}

static struct cell *at(struct frame *f, int y, int x)
{
    return &f->want[(size_t)y * (size_t)f->cols + (size_t)x];
}

void frame_fill(struct frame *f, int y, int x, int n, wchar_t ch, enum tui_style style)
{
    if (y < 0 || y >= f->rows)
        return;
    for (int i = 0; i < n; i++) {
        if (x + i < 0 || x + i >= f->cols)
            continue;
        struct cell *c = at(f, y, x + i);
        memset(c->ch, 0, sizeof c->ch);
        c->ch[0] = ch;
        c->style = (unsigned char)style;
    }
}

int frame_text(struct frame *f, int y, int x, int max_cols, const char *text,
               enum tui_style style)
{
    char fitted[1024];
    size_t len;
    mbstate_t st;
    int col = x;

    if (y < 0 || y >= f->rows || x >= f->cols || max_cols <= 0)
        return 0;
    if (x + max_cols > f->cols)
        max_cols = f->cols - x;
    ov_text_fit(text, max_cols, fitted, sizeof fitted);
    len = strlen(fitted);
    memset(&st, 0, sizeof st);
    for (const char *p = fitted; len > 0;) {
        wchar_t wc;
        size_t n = mbrtowc(&wc, p, len, &st);
        int w;
        if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
            memset(&st, 0, sizeof st);
            wc = L'?';
            n = 1;
        }
        p += n;
        len -= n;
        w = wcwidth(wc);
        if (w < 0) {
            wc = L'?'; /* a control character in a name must not reach the terminal */
            w = 1;
        }
        if (w == 0) {
            /* A combining mark joins the character before it. */
            if (col > x) {
                struct cell *base = at(f, y, col - 1);
                if (base->ch[0] == 0 && col - 2 >= x)
                    base = at(f, y, col - 2);
                for (int k = 1; k < CELL_CHARS; k++) {
                    if (base->ch[k] == 0) {
                        base->ch[k] = wc;
                        break;
                    }
                }
            }
            continue;
        }
        if (col + w > x + max_cols)
            break;
        struct cell *c = at(f, y, col);
        memset(c->ch, 0, sizeof c->ch);
        c->ch[0] = wc;
        c->style = (unsigned char)style;
        if (w == 2) {
            struct cell *right = at(f, y, col + 1);
            memset(right->ch, 0, sizeof right->ch);
            right->style = (unsigned char)style;
        }
        col += w;
    }
    return col - x;
}

void frame_text_pad(struct frame *f, int y, int x, int max_cols, const char *text,
                    enum tui_style style)
{
    int used = frame_text(f, y, x, max_cols, text, style);
    frame_fill(f, y, x + used, max_cols - used, L' ', style);
}

static bool same(const struct cell *a, const struct cell *b)
{
    return a->style == b->style && memcmp(a->ch, b->ch, sizeof a->ch) == 0;
}

void frame_flush(struct frame *f)
{
    int cursor = f->cursor_y >= 0 ? 1 : 0;

    for (int y = 0; y < f->rows; y++) {
        for (int x = 0; x < f->cols; x++) {
            size_t i = (size_t)y * (size_t)f->cols + (size_t)x;
            struct cell *c = &f->want[i];
            cchar_t cc;
            attr_t attr;
            short pair;

            if (!f->all_dirty && same(c, &f->shown[i]))
                continue;
            /* The right half of a wide character: redraw its left half instead. */
            if (c->ch[0] == 0) {
                if (x == 0)
                    continue;
                c = &f->want[i - 1];
                if (c->ch[0] == 0)
                    continue;
                attr = term_attr((enum tui_style)c->style, &pair);
                setcchar(&cc, c->ch, attr, pair, NULL);
                mvwadd_wch(stdscr, y, x - 1, &cc);
                continue;
            }
            attr = term_attr((enum tui_style)c->style, &pair);
            setcchar(&cc, c->ch, attr, pair, NULL);
            mvwadd_wch(stdscr, y, x, &cc);
        }
    }
    memcpy(f->shown, f->want, ncells(f) * sizeof *f->want);
    f->all_dirty = false;
    if (cursor != f->shown_cursor) {
        curs_set(cursor);
        f->shown_cursor = cursor;
    }
    leaveok(stdscr, cursor == 0);
    if (cursor)
        wmove(stdscr, f->cursor_y, f->cursor_x);
    wnoutrefresh(stdscr);
    doupdate();
}
