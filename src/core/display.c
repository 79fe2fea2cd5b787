/* The display form of untrusted text (display.h): one decoder, one table of what is
 * escaped, used by the CLI, the app and JSON output alike. */
#include <stdio.h>
#include <string.h>

#include "otpvault/display.h"
#include "otpvault/mem.h"

#define ESCAPE_MAX OV_DISPLAY_ESCAPE_MAX

/* Whether a code point is shown escaped (and escaped in JSON output). */
static bool cp_unsafe(uint32_t cp)
{
    /* Controls: C0, DEL, C1. */
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
        return true;
    if (cp < 0xad)
        return false;
    /* Bidi controls: embeddings and overrides, isolates, and the marks. */
    if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
        cp == 0x200e || cp == 0x200f || cp == 0x061c)
        return true;
    /* Invisible formatting: soft hyphen, Mongolian vowel separator, zero-width space, line
     * and paragraph separators, word joiner and invisible operators, deprecated format
     * characters, BOM, interlinear annotations, musical format controls, tags, and the
     * Hangul fillers that render as nothing. (Zero-width joiner and non-joiner stay: they
     * shape ordinary Persian and Indic text and emoji sequences.) */
    if (cp == 0x00ad || cp == 0x180e || cp == 0x200b || cp == 0x2028 || cp == 0x2029 ||
        (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x206a && cp <= 0x206f) || cp == 0xfeff ||
        (cp >= 0xfff9 && cp <= 0xfffb) || (cp >= 0x1d173 && cp <= 0x1d17a) ||
        (cp >= 0xe0000 && cp <= 0xe007f) || cp == 0x115f || cp == 0x1160 || cp == 0x3164 ||
        cp == 0xffa0)
        return true;
    /* Noncharacters. */
    if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe)
        return true;
    return false;
}

/* Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. */
void ov_display_next(const char *s, size_t len, struct ov_display_unit *u)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned char b = p[0];
    size_t need;
    uint32_t cp, min;

    u->len = 1;
    u->cp = b;
    u->valid = false;
    u->unsafe = true;
    if (b < 0x80) {
        u->valid = true;
        u->unsafe = cp_unsafe(b);
        return;
    }
    if (b >= 0xc2 && b <= 0xdf)
        need = 1, cp = b & 0x1fu, min = 0x80;
    else if (b >= 0xe0 && b <= 0xef)
        need = 2, cp = b & 0x0fu, min = 0x800;
    else if (b >= 0xf0 && b <= 0xf4)
        need = 3, cp = b & 0x07u, min = 0x10000;
    else
        return;
    if (len < need + 1)
        return;
    for (size_t i = 1; i <= need; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return;
        cp = (cp << 6) | (p[i] & 0x3fu);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return;
    u->len = need + 1;
    u->cp = cp;
    u->valid = true;
    u->unsafe = cp_unsafe(cp);
}


/* The visible form of one unsafe unit into buf (ESCAPE_MAX bytes); returns its length. */
static size_t escape_unit(const struct ov_display_unit *u, char *buf)
{
    int n;

    if (!u->valid || u->cp < 0x80)
        n = snprintf(buf, ESCAPE_MAX, "\\x%02x", (unsigned)u->cp);
    else if (u->cp <= 0xffff)
        n = snprintf(buf, ESCAPE_MAX, "\\u%04x", (unsigned)u->cp);
    else
        n = snprintf(buf, ESCAPE_MAX, "\\U%08x", (unsigned)u->cp);
    return (size_t)n;
}

size_t ov_display_step(const char *s, size_t len, char esc[OV_DISPLAY_ESCAPE_MAX],
                       const char **piece, size_t *piece_len)
{
    struct ov_display_unit u;

    ov_display_next(s, len, &u);
    if (u.unsafe) {
        *piece = esc;
        *piece_len = escape_unit(&u, esc);
    } else {
        *piece = s;
        *piece_len = u.len;
    }
    return u.len;
}

/* Writes the display form of s through emit; stops when emit returns false. */
typedef bool (*emit_fn)(const char *piece, size_t n, void *ctx);

static void display_walk(const char *s, emit_fn emit, void *ctx)
{
    size_t len = strlen(s);

    while (len > 0) {
        char esc[ESCAPE_MAX];
        const char *piece;
        size_t piece_len, used = ov_display_step(s, len, esc, &piece, &piece_len);

        if (!emit(piece, piece_len, ctx))
            return;
        s += used;
        len -= used;
    }
}

struct growing {
    char *buf;
    size_t len, cap;
};

static void grow_append(struct growing *g, const char *piece, size_t n)
{
    if (g->len + n + 1 > g->cap) {
        while (g->len + n + 1 > g->cap)
            g->cap = g->cap * 2 + 16;
        g->buf = ov_xrealloc(g->buf, g->cap);
    }
    memcpy(g->buf + g->len, piece, n);
    g->len += n;
    g->buf[g->len] = '\0';
}

static bool emit_growing(const char *piece, size_t n, void *ctx)
{
    grow_append(ctx, piece, n);
    return true;
}

char *ov_display_dup(const char *s)
{
    struct growing g = { NULL, 0, 0 };

    if (s == NULL)
        s = "";
    g.cap = strlen(s) + 1;
    g.buf = ov_xmalloc(g.cap);
    g.buf[0] = '\0';
    display_walk(s, emit_growing, &g);
    return g.buf;
}

struct fixed {
    char *out;
    size_t used, size;
};

static bool emit_fixed(const char *piece, size_t n, void *ctx)
{
    struct fixed *f = ctx;
    if (f->used + n + 1 > f->size)
        return false; /* whole units only */
    memcpy(f->out + f->used, piece, n);
    f->used += n;
    f->out[f->used] = '\0';
    return true;
}

const char *ov_display_into(const char *s, char *out, size_t out_size)
{
    struct fixed f = { out, 0, out_size };

    out[0] = '\0';
    if (s != NULL)
        display_walk(s, emit_fixed, &f);
    return out;
}

bool ov_display_is_plain(const char *s)
{
    size_t len = strlen(s);

    while (len > 0) {
        struct ov_display_unit u;
        ov_display_next(s, len, &u);
        if (u.unsafe)
            return false;
        s += u.len;
        len -= u.len;
    }
    return true;
}

/* The \uXXXX form of a code point JSON output escapes (a surrogate pair above U+FFFF). */
static size_t json_escape(uint32_t cp, char *esc, size_t size)
{
    int n;

    if (cp <= 0xffff) {
        n = snprintf(esc, size, "\\u%04X", (unsigned)cp);
    } else {
        uint32_t v = cp - 0x10000;
        n = snprintf(esc, size, "\\u%04X\\u%04X", (unsigned)(0xd800 + (v >> 10)),
                     (unsigned)(0xdc00 + (v & 0x3ff)));
    }
    return (size_t)n;
}

/* Two passes (measure, then write) so the result is one secure allocation: the JSON may
 * hold secrets. */
static size_t json_safe_pass(const char *json, char *out)
{
    size_t len = strlen(json), used = 0;

    while (len > 0) {
        struct ov_display_unit u;
        char esc[16];
        const char *piece = json;
        size_t n;

        ov_display_next(json, len, &u);
        n = u.len;
        /* Raw controls below 0x20 cannot occur in valid JSON (jansson escapes them), nor
         * can stray bytes (jansson writes UTF-8): those are kept rather than guessed at. */
        if (u.valid && u.unsafe && u.cp >= 0x20) {
            n = json_escape(u.cp, esc, sizeof esc);
            piece = esc;
        }
        if (out != NULL)
            memcpy(out + used, piece, n);
        used += n;
        json += u.len;
        len -= u.len;
    }
    return used;
}

char *ov_json_safe(const char *json)
{
    size_t n = json_safe_pass(json, NULL);
    char *out = ov_secure_alloc(n + 1);

    json_safe_pass(json, out);
    out[n] = '\0';
    return out;
}
