/* Overlays on the list: the help (every key, from the keymap in force), the QR code of an
 * account, and yes/no questions. */
#include <stdio.h>
#include <string.h>

#include "otpvault/mem.h"
#include "otpvault/uri.h"
#include "tui.h"

void overlay_close(struct tui *t)
{
    if (t->qr_ok)
        ov_qrdraw_free(&t->qr);   /* the drawing holds the secret */
    t->qr_ok = false;
    backup_overlay_close(t);
    if (t->overlay != OVL_FORM)
        t->overlay = OVL_NONE;
}

void overlay_confirm(struct tui *t, enum tui_confirm kind, size_t account, const char *text)
{
    t->confirm = kind;
    t->confirm_account = account;
    snprintf(t->confirm_text, sizeof t->confirm_text, "%s", text);
    t->overlay = OVL_CONFIRM;
}

void overlay_open_qr(struct tui *t, size_t account)
{
    const struct ov_account *a = &t->vault.accounts.items[account];
    struct ov_error err = { 0 };
    char *uri = ov_uri_format(a);
    int rc = ov_qrdraw_text(uri, &t->qr, &err);

    ov_secure_free_str(uri);
    if (rc != OV_OK) {
        tui_status(t, MSG_ERROR, "no QR code: %s", err.msg);
        return;
    }
    t->qr_ok = true;
    ov_account_label(a, t->qr_label, sizeof t->qr_label);
    t->overlay = OVL_QR;
}

static void blank(struct tui *t)
{
    for (int y = 0; y < t->rows; y++)
        frame_fill(&t->frame, y, 0, t->cols, L' ', ST_NORMAL);
}

static void draw_qr(struct tui *t)
{
    struct frame *f = &t->frame;
    char msg[512];
    int x, y;

    blank(t);
    /* One row below the symbol for what it is and how to leave. */
    if (!ov_qrdraw_fits(&t->qr, t->cols, t->rows, 1)) {
        frame_text(f, 0, 1, t->cols - 2, t->qr_label, ST_TITLE);
        snprintf(msg, sizeof msg, "The QR code needs %dx%d cells; this terminal is %dx%d. "
                 "Enlarge it or zoom out.", t->qr.cols, t->qr.rows + 1, t->cols, t->rows);
        frame_text(f, 2, 1, t->cols - 2, msg, ST_ERROR);
        frame_text(f, t->rows - 1, 1, t->cols - 2, "any key: back", ST_DIM);
        return;
    }
    x = (t->cols - t->qr.cols) / 2;
    y = (t->rows - t->qr.rows - 1) / 2;
    for (int r = 0; r < t->qr.rows; r++)
        frame_text(f, y + r, x, t->qr.cols, t->qr.lines[r], ST_QR);
    snprintf(msg, sizeof msg, "%s: scan it with the phone. Any key: back", t->qr_label);
    frame_text(f, y + t->qr.rows, 1, t->cols - 2, msg, ST_DIM);
}

static const char *const extra_help[][2] = {
    { "Esc", "clear the filter" },
    { "in the filter", "type to narrow; Enter keeps it, Esc clears it" },
    { "in forms", "Tab/Down next field, Up previous, Enter save, Esc cancel" },
    { "import: paths", "separated by spaces; quote or \\ spaces in names" },
    { "", "~ is the home directory; Tab completes a file name" },
    { "import: preview", "Enter/y add, Space leave one out, Esc/n/q cancel" },
    { "", "p: import what was read of an incomplete set" },
    { "Ctrl-C", "quit" },
};

/* Breaks text at spaces into lines of at most w columns (bytes are columns here: the
 * question's own words are ASCII; a label wider than a line is cut by frame_text). */
static int wrap(const char *text, int w, char lines[][256], int max_lines)
{
    int n = 0;

    while (*text != '\0' && n < max_lines) {
        int len = (int)strlen(text), cut = len;
        if (len > w) {
            cut = w;
            while (cut > 0 && text[cut] != ' ')
                cut--;
            if (cut == 0)
                cut = w;
        }
        if (n == max_lines - 1)
            cut = len;   /* the last line takes the rest (and is cut with an ellipsis) */
        snprintf(lines[n++], 256, "%.*s", cut, text);
        text += cut;
        while (*text == ' ')
            text++;
    }
    return n;
}

/* The help's entries, in order: key names and what they do (an action's, then the extra). */
static int help_entry(const struct tui *t, int i, char keys[64], const char **what)
{
    if (i < OV_ACT_COUNT - 1) {
        ov_keymap_describe(&t->keys, (enum ov_action)(i + 1), keys, 64);
        *what = ov_action_help((enum ov_action)(i + 1));
        return 1;
    }
    i -= OV_ACT_COUNT - 1;
    if (i >= (int)(sizeof extra_help / sizeof *extra_help))
        return 0;
    snprintf(keys, 64, "%s", extra_help[i][0]);
    *what = extra_help[i][1];
    return 1;
}

/* An entry's text in lines of w columns: at least one, so the key always shows. */
static int help_wrap(const char *what, int w, char lines[4][256])
{
    int n = wrap(what, w, lines, 4);

    if (n == 0)
        lines[n++][0] = '\0';
    return n;
}

static void draw_help(struct tui *t)
{
    struct frame *f = &t->frame;
    int w = t->cols - 2 > 100 ? 100 : t->cols - 2, x = (t->cols - w) / 2;
    int keys_w = w >= 60 ? 18 : 12, room = t->rows - 3, total = 0, line = 0;
    char keys[64], lines[4][256];
    const char *what;

    blank(t);
    frame_text(f, 0, x, w, "otpvault keys", ST_TITLE);
    /* What does not fit beside the key goes on the next lines, never cut off. */
    for (int i = 0; help_entry(t, i, keys, &what); i++)
        total += help_wrap(what, w - keys_w, lines);
    if (t->help_top > total - room)
        t->help_top = total - room > 0 ? total - room : 0;
    for (int i = 0; help_entry(t, i, keys, &what); i++) {
        int n = help_wrap(what, w - keys_w, lines);
        for (int k = 0; k < n; k++, line++) {
            int y = 1 + line - t->help_top;
            if (y < 1 || y > room)
                continue;
            if (k == 0)
                frame_text(f, y, x, keys_w - 1, keys, ST_TITLE);
            frame_text(f, y, x + keys_w, w - keys_w, lines[k], ST_NORMAL);
        }
    }
    frame_text(f, t->rows - 1, x, w, total > room ? "j/k: scroll   any other key: back"
                                                   : "any key: back", ST_DIM);
}


static void draw_confirm(struct tui *t)
{
    struct frame *f = &t->frame;
    int w = t->cols - 4 > 70 ? 70 : t->cols - 4, x = (t->cols - w) / 2;
    char lines[3][256];
    int n = wrap(t->confirm_text, w, lines, 3);
    int y = t->rows / 2 - 2 > 0 ? t->rows / 2 - 2 : 0;

    for (int r = y; r < y + n + 3 && r < t->rows; r++)
        frame_fill(f, r, x - 1, w + 2, L' ', ST_HEADER);
    for (int i = 0; i < n; i++)
        frame_text(f, y + 1 + i, x, w, lines[i], ST_HEADER);
    frame_text(f, y + 1 + n, x, w, "y: yes   any other key: no", ST_HEADER);
}

void overlay_draw(struct tui *t)
{
    switch (t->overlay) {
    case OVL_HELP: draw_help(t); break;
    case OVL_QR: draw_qr(t); break;
    case OVL_CONFIRM: draw_confirm(t); break;
    case OVL_TRANSFER: case OVL_DRILL: backup_overlay_draw(t); break;
    default: break;
    }
}

void overlay_key(struct tui *t, int key)
{
    enum tui_overlay was = t->overlay;

    if (was == OVL_TRANSFER || was == OVL_DRILL) {
        backup_overlay_key(t, key);
        return;
    }

    if (was == OVL_HELP && (key == 'j' || key == OV_KEY_DOWN)) {
        t->help_top++;
        return;
    }
    if (was == OVL_HELP && (key == 'k' || key == OV_KEY_UP)) {
        if (t->help_top > 0)
            t->help_top--;
        return;
    }
    overlay_close(t);
    if (was == OVL_CONFIRM) {
        if (key == 'y' || key == 'Y')
            actions_confirmed(t);
        else
            tui_status(t, MSG_INFO, "nothing done");
    }
}
