/* A terminal capture with its colours (tmux capture-pane -e -p: UTF-8 text and SGR
 * sequences) drawn as SVG: each cell on a fixed grid, so the picture in the README is the
 * screen as the app drew it, not a retyped sample. Only SGR is understood; any other escape
 * sequence is dropped, as are control characters. */
#include "ansi_svg.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define MAX_ROWS 200
#define MAX_COLS 400
#define CELL_W 8.4      /* a 14 px monospace font: 0.6 em advance */
#define CELL_H 17
#define FONT_PX 14
#define DEFAULT_FG 0xd0d0d0u
#define DEFAULT_BG 0x1c1c1cu

struct style {
    int fg, bg;          /* -1: default; 0-255: palette; >= 0x1000000: 0x1000000 | rgb */
    bool bold, dim, italic, underline, reverse;
};

struct cell {
    char text[8];        /* one character as UTF-8; "" for the right half of a wide one */
    struct style st;
};

struct grid {
    struct cell cells[MAX_ROWS][MAX_COLS];
    int rows, cols;      /* the extent written to */
};

static const uint32_t base16[16] = {
    0x000000, 0xcd3131, 0x0dbc79, 0xe5e510, 0x2472c8, 0xbc3fbc, 0x11a8cd, 0xe5e5e5,
    0x666666, 0xf14c4c, 0x23d18b, 0xf5f543, 0x3b8eea, 0xd670d6, 0x29b8db, 0xffffff,
};

static uint32_t palette(int n)
{
    static const int steps[6] = { 0, 95, 135, 175, 215, 255 };

    if (n < 16)
        return base16[n];
    if (n < 232) {
        n -= 16;
        return (uint32_t)(steps[n / 36] << 16 | steps[n / 6 % 6] << 8 | steps[n % 6]);
    }
    n = 8 + (n - 232) * 10;
    return (uint32_t)(n << 16 | n << 8 | n);
}

static uint32_t rgb_of(int colour, uint32_t fallback)
{
    if (colour < 0)
        return fallback;
    if (colour >= 0x1000000)
        return (uint32_t)colour & 0xffffffu;
    return palette(colour);
}

/* 38;5;N or 38;2;R;G;B at p[i] (the 38 / 48 itself); advances i past what it used. */
static int extended_colour(const int *p, int n, int *i)
{
    if (*i + 2 < n && p[*i + 1] == 5) {
        *i += 2;
        return p[*i] & 0xff;
    }
    if (*i + 4 < n && p[*i + 1] == 2) {
        int c = 0x1000000 | (p[*i + 2] & 0xff) << 16 | (p[*i + 3] & 0xff) << 8 | (p[*i + 4] & 0xff);
        *i += 4;
        return c;
    }
    *i = n;   /* malformed: ignore the rest */
    return -1;
}

static void apply_sgr(struct style *st, const int *p, int n)
{
    if (n == 0) {
        memset(st, 0, sizeof *st);
        st->fg = st->bg = -1;
        return;
    }
    for (int i = 0; i < n; i++) {
        int v = p[i];
        if (v == 0) {
            memset(st, 0, sizeof *st);
            st->fg = st->bg = -1;
        } else if (v == 1) st->bold = true;
        else if (v == 2) st->dim = true;
        else if (v == 3) st->italic = true;
        else if (v == 4) st->underline = true;
        else if (v == 7) st->reverse = true;
        else if (v == 22) st->bold = st->dim = false;
        else if (v == 23) st->italic = false;
        else if (v == 24) st->underline = false;
        else if (v == 27) st->reverse = false;
        else if (v >= 30 && v <= 37) st->fg = v - 30;
        else if (v == 38) st->fg = extended_colour(p, n, &i);
        else if (v == 39) st->fg = -1;
        else if (v >= 40 && v <= 47) st->bg = v - 40;
        else if (v == 48) st->bg = extended_colour(p, n, &i);
        else if (v == 49) st->bg = -1;
        else if (v >= 90 && v <= 97) st->fg = v - 90 + 8;
        else if (v >= 100 && v <= 107) st->bg = v - 100 + 8;
    }
}

/* The escape sequence at s[0] == ESC: applies it when it is SGR; returns its length. */
static size_t escape(const unsigned char *s, size_t len, struct style *st)
{
    int params[32], n = 0, cur = -1;
    size_t i;

    if (len < 2)
        return len;
    if (s[1] == ']' || s[1] == 'P' || s[1] == '_') {
        /* OSC, DCS, APC: up to BEL or ST, none of it drawn */
        for (i = 2; i < len; i++) {
            if (s[i] == 0x07)
                return i + 1;
            if (s[i] == 0x1b && i + 1 < len && s[i + 1] == '\\')
                return i + 2;
        }
        return len;
    }
    if (s[1] != '[') {
        /* ESC ( B and the like: intermediates, then one final byte */
        for (i = 1; i < len && s[i] >= 0x20 && s[i] <= 0x2f; i++)
            ;
        return i < len ? i + 1 : len;
    }
    for (i = 2; i < len; i++) {
        unsigned char c = s[i];
        if (c >= '0' && c <= '9') {
            cur = (cur < 0 ? 0 : cur) * 10 + (c - '0');
            if (cur > 100000)
                cur = 100000;
        } else if (c == ';' || c == ':') {
            if (n < 32)
                params[n++] = cur < 0 ? 0 : cur;
            cur = -1;
        } else if (c >= 0x40 && c <= 0x7e) {
            if (cur >= 0 && n < 32)
                params[n++] = cur;
            if (c == 'm')
                apply_sgr(st, params, n);
            return i + 1;
        } else if (c < 0x20 || c > 0x7e) {
            return i;   /* not a CSI after all: drop what was read */
        }
    }
    return len;
}

static void put(struct grid *g, int row, int *col, const char *utf8, size_t n, int width,
                const struct style *st)
{
    if (row >= MAX_ROWS || *col + width > MAX_COLS || width <= 0)
        return;
    memcpy(g->cells[row][*col].text, utf8, n);
    g->cells[row][*col].text[n] = '\0';
    g->cells[row][*col].st = *st;
    if (width == 2) {
        g->cells[row][*col + 1].text[0] = '\0';
        g->cells[row][*col + 1].st = *st;
    }
    *col += width;
    if (*col > g->cols)
        g->cols = *col;
    if (row + 1 > g->rows)
        g->rows = row + 1;
}

static void parse(struct grid *g, const unsigned char *s, size_t len)
{
    struct style st = { .fg = -1, .bg = -1 };
    mbstate_t mb;
    int row = 0, col = 0;

    memset(&mb, 0, sizeof mb);
    for (int r = 0; r < MAX_ROWS; r++)
        for (int c = 0; c < MAX_COLS; c++) {
            strcpy(g->cells[r][c].text, " ");
            g->cells[r][c].st = st;
        }
    while (len > 0) {
        wchar_t wc;
        size_t n;
        if (*s == 0x1b) {
            n = escape(s, len, &st);
        } else if (*s == '\n') {
            row++;
            col = 0;
            if (row > g->rows && row <= MAX_ROWS)
                g->rows = row;   /* a blank line is a row too */
            n = 1;
        } else if (*s < 0x20 || *s == 0x7f) {
            n = 1;
        } else {
            n = mbrtowc(&wc, (const char *)s, len, &mb);
            if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
                memset(&mb, 0, sizeof mb);
                put(g, row, &col, "?", 1, 1, &st);
                n = 1;
            } else if (n < 8 && (wc < 0x80 || wc > 0x9f)) {
                int w = wcwidth(wc);
                put(g, row, &col, (const char *)s, n, w < 0 ? 1 : w, &st);
            }
        }
        s += n;
        len -= n;
    }
}

static void xml_text(FILE *out, const char *s)
{
    for (; *s != '\0'; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out);
        }
    }
}

static bool same_style(const struct style *a, const struct style *b)
{
    return a->fg == b->fg && a->bg == b->bg && a->bold == b->bold && a->dim == b->dim &&
           a->italic == b->italic && a->underline == b->underline && a->reverse == b->reverse;
}

static void colours(const struct style *st, uint32_t *fg, uint32_t *bg)
{
    *fg = rgb_of(st->bold && st->fg >= 0 && st->fg < 8 ? st->fg + 8 : st->fg, DEFAULT_FG);
    *bg = rgb_of(st->bg, DEFAULT_BG);
    if (st->reverse) {
        uint32_t t = *fg;
        *fg = *bg;
        *bg = t;
    }
}

static void emit_row(FILE *out, const struct grid *g, int r)
{
    int c = 0;

    while (c < g->cols) {
        const struct style *st = &g->cells[r][c].st;
        uint32_t fg, bg;
        int end = c;
        bool blank = true;

        while (end < g->cols && same_style(&g->cells[r][end].st, st)) {
            if (strcmp(g->cells[r][end].text, " ") != 0)
                blank = false;
            end++;
        }
        colours(st, &fg, &bg);
        if (bg != DEFAULT_BG)
            fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                    "fill=\"#%06x\"/>\n", c * CELL_W, r * CELL_H, (end - c) * CELL_W, CELL_H,
                    (unsigned)bg);
        if (!blank) {
            /* textLength pins the run to its cells, whatever the font's real advance. */
            fprintf(out, "<text x=\"%.1f\" y=\"%d\" textLength=\"%.1f\" "
                    "lengthAdjust=\"spacingAndGlyphs\" fill=\"#%06x\"%s%s%s%s>", c * CELL_W,
                    r * CELL_H + FONT_PX, (end - c) * CELL_W, (unsigned)fg,
                    st->bold ? " font-weight=\"bold\"" : "",
                    st->dim ? " fill-opacity=\"0.6\"" : "",
                    st->italic ? " font-style=\"italic\"" : "",
                    st->underline ? " text-decoration=\"underline\"" : "");
            for (int i = c; i < end; i++)
                xml_text(out, g->cells[r][i].text);
            fputs("</text>\n", out);
        }
        c = end;
    }
}

int ansi_to_svg(const char *in, size_t len, int cols, int rows, const char *title, FILE *out)
{
    struct grid *g = calloc(1, sizeof *g);

    if (g == NULL)
        return -1;
    parse(g, (const unsigned char *)in, len);
    /* capture-pane leaves out trailing blanks: the pane's size, when given, wins. */
    if (cols > g->cols)
        g->cols = cols < MAX_COLS ? cols : MAX_COLS;
    if (rows > g->rows)
        g->rows = rows < MAX_ROWS ? rows : MAX_ROWS;
    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%d\" "
            "viewBox=\"0 0 %.1f %d\" font-family=\"'DejaVu Sans Mono', 'Liberation Mono', "
            "Menlo, Consolas, monospace\" font-size=\"%d\" xml:space=\"preserve\">\n",
            g->cols * CELL_W, g->rows * CELL_H, g->cols * CELL_W, g->rows * CELL_H, FONT_PX);
    fputs("<title>", out);
    xml_text(out, title != NULL ? title : "terminal");
    fputs("</title>\n", out);
    fprintf(out, "<rect width=\"100%%\" height=\"100%%\" fill=\"#%06x\"/>\n",
            (unsigned)DEFAULT_BG);
    for (int r = 0; r < g->rows; r++)
        emit_row(out, g, r);
    fputs("</svg>\n", out);
    free(g);
    return ferror(out) ? -1 : 0;
}
