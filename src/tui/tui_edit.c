/* A one-line text field over secure memory: passphrases, secrets, URIs and labels are typed
 * here, so every byte of it is wiped when the field is cleared or freed. */
#include <string.h>

#include "otpvault/mem.h"
#include "otpvault/textwidth.h"
#include "tui.h"

void edit_init(struct edit *e, enum edit_mask mask)
{
    e->buf = ov_secure_alloc(EDIT_CAP);
    e->len = e->cursor = 0;
    e->mask = mask;
}

void edit_clear(struct edit *e)
{
    if (e->buf != NULL)
        ov_wipe(e->buf, EDIT_CAP);
    e->len = e->cursor = 0;
}

void edit_set(struct edit *e, const char *text)
{
    size_t n = strlen(text);
    edit_clear(e);
    if (n >= EDIT_CAP)
        n = EDIT_CAP - 1;
    memcpy(e->buf, text, n);
    e->len = e->cursor = n;
}

void edit_free(struct edit *e)
{
    if (e->buf != NULL)
        ov_secure_free(e->buf, EDIT_CAP);
    e->buf = NULL;
    e->len = e->cursor = 0;
}

static bool is_cont(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

static size_t prev_char(const struct edit *e, size_t i)
{
    while (i > 0 && is_cont(e->buf[--i]))
        ;
    return i;
}

static size_t next_char(const struct edit *e, size_t i)
{
    if (i < e->len)
        i++;
    while (i < e->len && is_cont(e->buf[i]))
        i++;
    return i;
}

static void delete_range(struct edit *e, size_t from, size_t to)
{
    memmove(e->buf + from, e->buf + to, e->len - to);
    e->len -= to - from;
    memset(e->buf + e->len, 0, to - from);
    e->cursor = from;
}

static void insert(struct edit *e, int key)
{
    char mb[8];
    mbstate_t st;
    size_t n;

    memset(&st, 0, sizeof st);
    n = wcrtomb(mb, (wchar_t)key, &st);
    if (n == (size_t)-1 || e->len + n >= EDIT_CAP)
        return;
    memmove(e->buf + e->cursor + n, e->buf + e->cursor, e->len - e->cursor);
    memcpy(e->buf + e->cursor, mb, n);
    e->len += n;
    e->cursor += n;
    e->buf[e->len] = '\0';
    ov_wipe(mb, sizeof mb);
}

void edit_insert(struct edit *e, const char *text)
{
    size_t n = strlen(text);

    if (e->len + n >= EDIT_CAP)
        n = EDIT_CAP - 1 - e->len;
    while (n > 0 && is_cont(text[n]))   /* never half a character */
        n--;
    memmove(e->buf + e->cursor + n, e->buf + e->cursor, e->len - e->cursor);
    memcpy(e->buf + e->cursor, text, n);
    e->len += n;
    e->cursor += n;
    e->buf[e->len] = '\0';
}

bool edit_key(struct edit *e, int key)
{
    switch (key) {
    case OV_KEY_LEFT: e->cursor = prev_char(e, e->cursor); return true;
    case OV_KEY_RIGHT: e->cursor = next_char(e, e->cursor); return true;
    case OV_KEY_HOME: case 1: e->cursor = 0; return true;                 /* C-a */
    case OV_KEY_END: case 5: e->cursor = e->len; return true;              /* C-e */
    case OV_KEY_BACKSPACE:
        if (e->cursor > 0)
            delete_range(e, prev_char(e, e->cursor), e->cursor);
        return true;
    case OV_KEY_DELETE: case 4:                                           /* C-d */
        if (e->cursor < e->len)
            delete_range(e, e->cursor, next_char(e, e->cursor));
        return true;
    case 21: delete_range(e, 0, e->cursor); return true;                   /* C-u */
    case 11: delete_range(e, e->cursor, e->len); return true;              /* C-k */
    case 23: {                                                            /* C-w */
        size_t i = e->cursor;
        while (i > 0 && e->buf[i - 1] == ' ')
            i--;
        while (i > 0 && e->buf[i - 1] != ' ')
            i--;
        delete_range(e, i, e->cursor);
        return true;
    }
    default:
        if (key >= 0x20 && key < OV_KEY_BASE && key != 0x7f) {
            insert(e, key);
            return true;
        }
        return false;
    }
}

/* What the field shows, in secure memory: the text, or the text with its secret masked. */
static char *display_text(const struct edit *e)
{
    char *d = ov_secure_alloc(EDIT_CAP);
    memcpy(d, e->buf, e->len + 1);
    if (e->mask == MASK_STARS) {
        size_t o = 0;
        for (size_t i = 0; i < e->len; i++)
            if (!is_cont(e->buf[i]))
                d[o++] = '*';
        memset(d + o, 0, EDIT_CAP - o);
    } else if (e->mask == MASK_URI_SECRET) {
        for (char *p = d; (p = strstr(p, "secret=")) != NULL;) {
            if (p != d && p[-1] != '?' && p[-1] != '&') {
                p++;
                continue;
            }
            for (p += 7; *p != '\0' && *p != '&'; p++)
                *p = '*';
        }
    }
    return d;
}

void edit_draw(const struct edit *e, struct frame *f, int y, int x, int w, bool focused)
{
    char *shown_text, *shown, saved;
    int cursor_col;
    size_t cursor;

    if (w <= 0)
        return;
    frame_fill(f, y, x, w, L' ', ST_INPUT);
    if (e->mask == MASK_HIDDEN) {
        if (focused) {
            f->cursor_y = y;
            f->cursor_x = x;
        }
        return;
    }
    shown = shown_text = display_text(e);
    /* The cursor's byte offset in the shown text (stars shrink multibyte characters). */
    cursor = e->cursor;
    if (e->mask == MASK_STARS) {
        cursor = 0;
        for (size_t i = 0; i < e->cursor; i++)
            cursor += !is_cont(e->buf[i]);
    }
    saved = shown_text[cursor];
    shown_text[cursor] = '\0';
    cursor_col = ov_text_width(shown_text);
    shown_text[cursor] = saved;
    /* Scroll so that the cursor stays in view: drop characters from the left. */
    while (cursor_col > w - 1 && *shown != '\0') {
        size_t skip = 1;
        while (is_cont(shown[skip]))
            skip++;
        saved = shown[skip];
        shown[skip] = '\0';
        cursor_col -= ov_text_width(shown);
        shown[skip] = saved;
        shown += skip;
    }
    frame_text(f, y, x, w, shown, ST_INPUT);
    ov_secure_free(shown_text, EDIT_CAP);
    if (focused) {
        f->cursor_y = y;
        f->cursor_x = x + cursor_col;
    }
}
