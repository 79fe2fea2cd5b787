/* Drawing the import screen: the path and password prompts as a box over the list, and the
 * preview as a full screen: what would be added (labels and OTP parameters, never a
 * secret), the counts, and the notes. Problems come first, so that "QR 2 of 3 is missing"
 * or a failed entry is on screen without scrolling; notes are wrapped, not cut. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tui/model/import_preview.h"
#include "otpvault/mem.h"
#include "otpvault/textwidth.h"
#include "tui.h"

#define PARAMS_W 34   /* "HOTP SHA256, 8 digits, counter 50" */

size_t import_page(const struct tui *t)
{
    return t->rows > 5 ? (size_t)(t->rows - 4) : 1;
}

static void add_line(struct import_ui *im, enum preview_line_kind kind, size_t index,
                     size_t from, size_t len)
{
    im->lines = ov_xrealloc(im->lines, (im->nlines + 1) * sizeof *im->lines);
    im->lines[im->nlines++] = (struct preview_line){ kind, index, from, len };
}

/* The bytes of s that fit in w columns, broken after a word when one fits; at least one
 * character, so that a word longer than the line is cut instead of looping. *next is where
 * the next line starts. */
static size_t fit(const char *s, int w, size_t *next)
{
    size_t len = strlen(s), i = 0, space = 0;
    mbstate_t st;
    int col = 0;

    memset(&st, 0, sizeof st);
    while (i < len) {
        wchar_t wc;
        size_t n = mbrtowc(&wc, s + i, len - i, &st);
        int cw;
        if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
            memset(&st, 0, sizeof st);
            n = 1;
            cw = 1;
        } else {
            cw = wcwidth(wc) < 0 ? 1 : wcwidth(wc);
        }
        if (col + cw > w && i > 0)
            break;
        if (s[i] == ' ')
            space = i;
        col += cw;
        i += n;
    }
    if (i >= len) {
        *next = len;
        return len;
    }
    if (space > 0) {
        *next = space + 1;
        return space;
    }
    *next = i;
    return i;
}

static void add_note(struct import_ui *im, enum preview_line_kind kind, size_t note, int w)
{
    const char *text = im->report.notes[note].text;
    size_t from = 0, total = strlen(text);

    if (w < 8)
        w = 8;
    do {
        size_t next, len = fit(text + from, w, &next);
        add_line(im, kind, note, from, len);
        from += next;
        while (from < total && text[from] == ' ')
            from++;
    } while (from < total);
}

static bool is_problem(const struct ov_import_note *n)
{
    return n->kind == OV_NOTE_ENTRY_FAILED || n->kind == OV_NOTE_INPUT_FAILED;
}

void import_layout(struct tui *t)
{
    struct import_ui *im = &t->imp;
    const struct ov_import_report *r = &im->report;
    int w = t->cols - 4;   /* notes: x = 1, after a two-column mark */
    size_t problems = 0, others = 0;

    if (!im->has_report || (im->lines != NULL && im->lines_cols == t->cols))
        return;
    free(im->lines);
    im->lines = NULL;
    im->nlines = 0;
    for (size_t i = 0; i < r->nnotes; i++) {
        if (is_problem(&r->notes[i])) {
            add_note(im, PL_PROBLEM, i, w);
            problems++;
        } else {
            others++;
        }
    }
    if (problems > 0 && r->accounts.len > 0)
        add_line(im, PL_BLANK, 0, 0, 0);
    for (size_t i = 0; i < r->accounts.len; i++)
        add_line(im, PL_ACCOUNT, i, 0, 0);
    if (others > 0) {
        if (im->nlines > 0)
            add_line(im, PL_BLANK, 0, 0, 0);
        add_line(im, PL_HEADING, 0, 0, 0);
        for (size_t i = 0; i < r->nnotes; i++)
            if (!is_problem(&r->notes[i]))
                add_note(im, PL_NOTE, i, w);
    }
    im->lines_cols = t->cols;
    if (im->cursor >= im->nlines)
        im->cursor = im->nlines > 0 ? im->nlines - 1 : 0;
}

static void draw_account(struct tui *t, int y, size_t i, bool selected)
{
    const struct ov_account *a = &t->imp.report.accounts.items[i];
    bool skipped = t->imp.skip[i];
    enum tui_style st = selected ? ST_SELECTED : skipped ? ST_DIM : ST_NORMAL;
    int w = t->cols - 2 - 4, params_w = w >= 66 ? PARAMS_W : 0;
    int rest = w - params_w - (params_w > 0 ? 1 : 0);
    int issuer_w = rest * 2 / 5, x = 5;
    char params[96], label[512];

    frame_fill(&t->frame, y, 0, t->cols, L' ', st);
    frame_text(&t->frame, y, 1, 3, skipped ? "[ ]" : "[x]", st);
    if (rest >= 24) {
        frame_text(&t->frame, y, x, issuer_w - 1, a->issuer, st);
        frame_text(&t->frame, y, x + issuer_w, rest - issuer_w, a->name, st);
    } else {
        frame_text(&t->frame, y, x, rest, ov_account_label(a, label, sizeof label), st);
    }
    if (params_w > 0) {
        ov_import_account_params(a, params, sizeof params);
        frame_text(&t->frame, y, x + rest + 1, params_w, params, selected ? st : ST_DIM);
    }
}

static void draw_note_line(struct tui *t, int y, const struct preview_line *l, bool selected)
{
    const char *text = t->imp.report.notes[l->index].text;
    bool problem = l->kind == PL_PROBLEM;
    enum tui_style st = selected ? ST_SELECTED : problem ? ST_ERROR : ST_NORMAL;
    char part[OV_ERROR_MSG_MAX];

    snprintf(part, sizeof part, "%.*s", (int)l->len, text + l->from);
    if (selected)
        frame_fill(&t->frame, y, 0, t->cols, L' ', st);
    if (l->from == 0)
        frame_text(&t->frame, y, 1, 2, problem ? "!" : "-", st);
    frame_text(&t->frame, y, 3, t->cols - 4, part, st);
}

static void preview_title(struct tui *t, char *out, size_t n)
{
    const struct import_ui *im = &t->imp;
    size_t used = 0;

    used = (size_t)snprintf(out, n, " Import from ");
    for (size_t i = 0; i < im->paths.n && used < n; i++)
        used += (size_t)snprintf(out + used, n - used, "%s%s", i > 0 ? ", " : "",
                                 im->paths.words[i]);
}

static void preview_footer(struct tui *t, char *out, size_t n)
{
    const struct import_ui *im = &t->imp;

    if (im->run_status != OV_OK && !im->partial)
        snprintf(out, n, "p: import the codes that were read   Esc/n/q: cancel   j/k: scroll");
    else if (im->report.accounts.len == 0)
        snprintf(out, n, "nothing to add   Esc/n/q: back");
    else
        snprintf(out, n, "Enter/y: add %zu   Space: leave out/take back   Esc/n/q: cancel",
                 im->nchosen);
}

static void draw_preview(struct tui *t)
{
    struct import_ui *im = &t->imp;
    struct frame *f = &t->frame;
    size_t page = import_page(t);
    char text[OV_ERROR_MSG_MAX + 64];
    bool bad = im->run_status != OV_OK || im->report.entries_failed > 0;
    int used;

    import_layout(t);
    for (int y = 0; y < t->rows; y++)
        frame_fill(f, y, 0, t->cols, L' ', ST_NORMAL);
    preview_title(t, text, sizeof text);
    frame_text_pad(f, 0, 0, t->cols, text, ST_HEADER);
    ov_import_summary(&im->report, false, text, sizeof text);
    if (ov_text_width(text) > t->cols - 2)
        ov_import_summary(&im->report, true, text, sizeof text);
    used = frame_text(f, 1, 1, t->cols - 2, text, bad ? ST_ERROR : ST_OK);
    if (im->cursor < im->top)
        im->top = im->cursor;
    if (im->cursor >= im->top + page)
        im->top = im->cursor - page + 1;
    for (size_t r = 0; r < page && im->top + r < im->nlines; r++) {
        const struct preview_line *l = &im->lines[im->top + r];
        int y = 2 + (int)r;
        bool selected = im->top + r == im->cursor;
        switch (l->kind) {
        case PL_ACCOUNT: draw_account(t, y, l->index, selected); break;
        case PL_PROBLEM: case PL_NOTE: draw_note_line(t, y, l, selected); break;
        case PL_HEADING:
            if (selected)
                frame_fill(f, y, 0, t->cols, L' ', ST_SELECTED);
            frame_text(f, y, 1, t->cols - 2, "Notes", selected ? ST_SELECTED : ST_TITLE);
            break;
        case PL_BLANK:
            if (selected)
                frame_fill(f, y, 0, t->cols, L' ', ST_SELECTED);
            break;
        }
    }
    if (im->nlines > page) {   /* where we are, if the summary leaves room for it */
        snprintf(text, sizeof text, "%zu-%zu of %zu", im->top + 1,
                 im->top + page < im->nlines ? im->top + page : im->nlines, im->nlines);
        if (1 + used + 2 + (int)strlen(text) <= t->cols - 1)
            frame_text(f, 1, t->cols - 1 - (int)strlen(text), (int)strlen(text), text, ST_DIM);
    }
    if (im->message[0] != '\0')
        frame_text(f, t->rows - 2, 1, t->cols - 2, im->message,
                   im->message_kind == MSG_ERROR ? ST_ERROR : ST_NORMAL);
    preview_footer(t, text, sizeof text);
    frame_text(f, t->rows - 1, 1, t->cols - 2, text, ST_DIM);
}

/* The prompts: a box in the middle of the screen, over the list. */
static void draw_prompt(struct tui *t)
{
    struct import_ui *im = &t->imp;
    struct frame *f = &t->frame;
    bool pw = im->stage == IMP_PASSWORD;
    int w = t->cols - 2 > 76 ? 76 : t->cols - 2, x = (t->cols - w) / 2, h = 8;
    int y = t->rows > h ? (t->rows - h) / 2 : 0, label_w = pw ? 10 : 6, msg_lines = 0;
    char title[300], hint[300];
    size_t from = 0, total = strlen(im->message);

    if (pw) {
        snprintf(title, sizeof title, " Password of %s", im->password_for);
        snprintf(hint, sizeof hint, "The export is encrypted: type the password it was made "
                 "with.");
    } else if (im->first_run) {
        snprintf(title, sizeof title, " Import accounts now?");
        snprintf(hint, sizeof hint, "Type a path (pictures of QR codes, export files), or "
                 "Enter to skip.");
    } else {
        snprintf(title, sizeof title, " Import accounts");
        snprintf(hint, sizeof hint, "Pictures of QR codes or export files; several paths "
                 "separated by spaces.");
    }
    for (int r = y; r < y + h && r < t->rows; r++)
        frame_fill(f, r, x - 1, w + 2, L' ', ST_NORMAL);
    frame_text_pad(f, y, x - 1, w + 2, title, ST_HEADER);
    frame_text(f, y + 2, x, w, hint, ST_NORMAL);
    frame_text(f, y + 3, x, label_w, pw ? "password" : "path", ST_TITLE);
    edit_draw(pw ? &im->password : &im->line, f, y + 3, x + label_w, w - label_w, true);
    /* The message (an error, the candidates of a Tab) gets two lines, wrapped. */
    while (from < total && msg_lines < 2) {
        char part[OV_ERROR_MSG_MAX];
        size_t next, len = fit(im->message + from, w, &next);
        if (msg_lines == 1)
            len = total - from;   /* the last line takes the rest, cut with an ellipsis */
        snprintf(part, sizeof part, "%.*s", (int)len, im->message + from);
        frame_text(f, y + 4 + msg_lines, x, w, part,
                   im->message_kind == MSG_ERROR ? ST_ERROR : ST_NORMAL);
        from += next;
        msg_lines++;
    }
    frame_text(f, y + 6, x, w, pw ? "Enter: decrypt   Esc: cancel"
                               : im->first_run ? "Enter: read (nothing typed: skip)   "
                                                 "Tab: complete   Esc: skip"
                                               : "Enter: read   Tab: complete a name   "
                                                 "Esc: cancel", ST_DIM);
}

void import_draw(struct tui *t)
{
    if (t->imp.stage == IMP_PREVIEW)
        draw_preview(t);
    else
        draw_prompt(t);
}
