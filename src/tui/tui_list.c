/* The account list screen: header with one countdown per period, the rows, the status line.
 * Codes are computed only for rows on screen and only when their time step changes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/mem.h"
#include "otpvault/textwidth.h"
#include "tui.h"

#define BAR_MAX 10

void list_forget_codes(struct tui *t)
{
    if (t->codes != NULL) {
        ov_wipe(t->codes, t->ncodes * sizeof *t->codes);
        free(t->codes);
    }
    t->codes = NULL;
    t->ncodes = 0;
}

/* The distinct periods of time-based accounts, most used first (at most 3 shown). */
static void find_periods(struct tui *t)
{
    unsigned per[8] = { 0 }, count[8] = { 0 };
    int n = 0;

    for (size_t i = 0; i < t->vault.accounts.len; i++) {
        const struct ov_account *a = &t->vault.accounts.items[i];
        int k;
        if (a->type == OV_HOTP)
            continue;
        for (k = 0; k < n && per[k] != a->period; k++)
            ;
        if (k == n && n < 8)
            per[n++] = a->period;
        if (k < n)
            count[k]++;
    }
    t->nperiods = 0;
    while (t->nperiods < 3) {
        int best = -1;
        for (int k = 0; k < n; k++)
            if (count[k] > 0 && (best < 0 || count[k] > count[best]))
                best = k;
        if (best < 0)
            break;
        t->periods[t->nperiods++] = per[best];
        count[best] = 0;
    }
}

void list_attach(struct tui *t)
{
    list_forget_codes(t);
    t->ncodes = t->vault.accounts.len;
    t->codes = ov_xcalloc(t->ncodes > 0 ? t->ncodes : 1, sizeof *t->codes);
    ov_listview_attach(&t->lv, &t->vault.accounts);
    find_periods(t);
}

static bool time_based(const struct ov_account *a)
{
    return a->type != OV_HOTP;
}

const char *list_code(struct tui *t, size_t account, int64_t now, bool next)
{
    const struct ov_account *a = &t->vault.accounts.items[account];
    struct code_slot *s = &t->codes[account];
    uint64_t step;
    int64_t at = now;

    if (!time_based(a)) {
        if (!s->revealed || next)
            return NULL;
        step = a->counter;
    } else {
        if (next)
            at += a->period;
        step = ov_totp_counter(at, a->period);
    }
    if (next ? s->next_valid && s->next_step == step : s->valid && s->step == step)
        return next ? s->next : s->code;
    char *out = next ? s->next : s->code;
    if (ov_otp_code_at(a, at, out, NULL, NULL) != OV_OK)
        snprintf(out, OV_CODE_MAX, "error");
    if (next) {
        s->next_step = step;
        s->next_valid = true;
    } else {
        s->step = step;
        s->valid = true;
    }
    return out;
}

static int code_width(const struct tui *t)
{
    int w = 6;  /* "CODE" title and a 6-digit code */
    for (size_t i = 0; i < t->vault.accounts.len; i++) {
        const struct ov_account *a = &t->vault.accounts.items[i];
        int cw = (int)a->digits + (a->digits > 4 && a->type != OV_STEAM ? 1 : 0);
        if (cw > w)
            w = cw;
    }
    return w > 11 ? 11 : w;
}

static const char *bar_full(void)
{
    return MB_CUR_MAX > 1 ? "\xe2\x96\x88" : "#";   /* █ */
}

static const char *bar_empty(void)
{
    return MB_CUR_MAX > 1 ? "\xe2\x96\x91" : "-";   /* ░ */
}

/* The period whose countdown must stay when the header is narrow: the selected account's
 * (when it counts time), else the most common one; 0 when no account counts time. */
static unsigned first_period(const struct tui *t)
{
    size_t i = ov_listview_selected_account(&t->lv);

    if (i != OV_NO_ROW && i < t->vault.accounts.len &&
        t->vault.accounts.items[i].type != OV_HOTP)
        return t->vault.accounts.items[i].period;
    return t->nperiods > 0 ? t->periods[0] : 0;
}

/* "30s ██████░░░░ 12", or without the bar "30s 12" where there is no room for it. */
static int countdown_width(unsigned period, bool with_bar)
{
    char label[16];
    int bar = period < BAR_MAX ? (int)period : BAR_MAX;

    snprintf(label, sizeof label, "%us", period);
    return (int)strlen(label) + 1 + (with_bar ? bar + 1 : 0) + 2;
}

static void draw_countdown(struct tui *t, int x, unsigned period, bool with_bar, int64_t now)
{
    unsigned left = ov_seconds_left(now, period);
    int bar = period < BAR_MAX ? (int)period : BAR_MAX;
    int filled = ov_countdown_cells(left, period, bar);
    enum tui_style st = ov_code_expiring(left, period) ? ST_EXPIRING : ST_NORMAL;
    char label[16], secs[8];
    int lw;

    snprintf(label, sizeof label, "%us", period);
    snprintf(secs, sizeof secs, "%2u", left);
    lw = (int)strlen(label);
    frame_text(&t->frame, 0, x, lw, label, ST_DIM);
    if (with_bar)
        for (int k = 0; k < bar; k++)
            frame_text(&t->frame, 0, x + lw + 1 + k, 1, k < filled ? bar_full() : bar_empty(),
                       st);
    frame_text(&t->frame, 0, x + lw + 1 + (with_bar ? bar + 1 : 0), 2, secs, st);
}

/* The countdowns, right-aligned: the one that must stay rightmost (without its bar if even
 * that does not fit right of must_x), then the other periods, most used first, while they
 * fit right of may_x. Notes which are shown, for the rows. Returns the column left of them. */
static int draw_countdowns(struct tui *t, int64_t now, int must_x, int may_x)
{
    unsigned first = first_period(t);
    int x = t->cols - 1;
    bool with_bar;

    t->nshown_periods = 0;
    if (first == 0)
        return x;
    with_bar = x - countdown_width(first, true) >= must_x;
    if (x - countdown_width(first, with_bar) < 0)
        return x;
    x -= countdown_width(first, with_bar);
    draw_countdown(t, x, first, with_bar, now);
    t->shown_periods[t->nshown_periods++] = first;
    for (int i = 0; i < t->nperiods && with_bar; i++) {
        unsigned period = t->periods[i];
        int w = countdown_width(period, true) + 2;
        if (period == first)
            continue;
        if (x - w < may_x)
            break;
        x -= w;
        draw_countdown(t, x, period, true, now);
        t->shown_periods[t->nshown_periods++] = period;
    }
    return x;
}

static void draw_header(struct tui *t, int64_t now)
{
    char text[OV_FILTER_MAX + 96];
    size_t n = t->vault.accounts.len;
    int x, title_end, room;

    title_end = 1 + frame_text(&t->frame, 0, 1, t->cols - 1, "otpvault", ST_TITLE);
    /* Under a filter, also while it is typed, the count is of what is shown. */
    if (t->lv.filter[0] != '\0' && t->filtering)
        snprintf(text, sizeof text, "  %zu of %zu", t->lv.nmatch, n);
    else if (t->lv.filter[0] != '\0')
        snprintf(text, sizeof text, "  %zu of %zu  filter: %s", t->lv.nmatch, n, t->lv.filter);
    else
        snprintf(text, sizeof text, "  %zu account%s  by %s", n, n == 1 ? "" : "s",
                 ov_sort_name(t->lv.sort));
    /* A list longer than the window says what is out of sight (after an import, say). */
    size_t above = t->lv.top, after = t->lv.nrows > above ? t->lv.nrows - above : 0;
    size_t below = after > t->lv.page ? after - t->lv.page : 0;
    size_t used = strlen(text);
    if (above > 0 && below > 0)
        snprintf(text + used, sizeof text - used, "  %zu above, %zu below", above, below);
    else if (above > 0)
        snprintf(text + used, sizeof text - used, "  %zu above", above);
    else if (below > 0)
        snprintf(text + used, sizeof text - used, "  %zu below", below);
    /* The countdowns first: the count and the filter are cut for them, never the other way. */
    x = draw_countdowns(t, now, title_end + 1, title_end + 1 + (int)strlen(text));
    room = x - 1 - title_end;
    if (room > 0)
        frame_text(&t->frame, 0, title_end, room, text, ST_DIM);
}

static void draw_titles(struct tui *t, int y, const struct ov_lv_layout *l)
{
    frame_text(&t->frame, y, l->issuer_x, l->issuer_w, l->name_w > 0 ? "ISSUER" : "ACCOUNT",
               ST_DIM);
    if (l->name_w > 0)
        frame_text(&t->frame, y, l->name_x, l->name_w, "NAME", ST_DIM);
    frame_text(&t->frame, y, l->code_x, l->code_w, "CODE", ST_DIM);
    if (l->next_w > 0)
        frame_text(&t->frame, y, l->next_x, l->next_w, "NEXT", ST_DIM);
}

static void draw_account(struct tui *t, int y, size_t account, bool selected,
                         const struct ov_lv_layout *l, int64_t now)
{
    const struct ov_account *a = &t->vault.accounts.items[account];
    enum tui_style base = selected ? ST_SELECTED : ST_NORMAL;
    char label[512], shown[32], extra[32] = "";
    const char *code;

    frame_fill(&t->frame, y, 0, t->cols, L' ', base);
    if (l->name_w > 0) {
        frame_text(&t->frame, y, l->issuer_x, l->issuer_w, a->issuer, base);
        frame_text(&t->frame, y, l->name_x, l->name_w, a->name, base);
    } else {
        frame_text(&t->frame, y, l->issuer_x, l->issuer_w,
                   ov_account_label(a, label, sizeof label), base);
    }
    code = list_code(t, account, now, false);
    if (!time_based(a)) {
        snprintf(extra, sizeof extra, "#%llu", (unsigned long long)a->counter);
        if (code == NULL) {
            char dashes[OV_CODE_MAX];
            memset(dashes, '-', a->digits);
            dashes[a->digits] = '\0';
            frame_text(&t->frame, y, l->code_x, l->code_w, dashes, selected ? base : ST_DIM);
        } else {
            ov_code_format(code, shown, sizeof shown);
            frame_text(&t->frame, y, l->code_x, l->code_w, shown, base);
        }
    } else {
        unsigned left = ov_seconds_left(now, a->period);
        bool expiring = ov_code_expiring(left, a->period);
        ov_code_format(code, shown, sizeof shown);
        frame_text(&t->frame, y, l->code_x, l->code_w, shown,
                   expiring ? (selected ? ST_EXPIRING_SELECTED : ST_EXPIRING) : base);
        if (l->next_w > 0 && ov_next_code_shown(left, a->period, t->show_next)) {
            ov_code_format(list_code(t, account, now, true), shown, sizeof shown);
            frame_text(&t->frame, y, l->next_x, l->next_w, shown, selected ? base : ST_NEXT);
        }
        /* The header counts down the main periods; others count down on their row. */
        bool in_header = false;
        for (int i = 0; i < t->nshown_periods; i++)
            in_header |= t->shown_periods[i] == a->period;
        if (!in_header)
            snprintf(extra, sizeof extra, "%us", left);
    }
    if (l->left_w > 0 && extra[0] != '\0')
        frame_text(&t->frame, y, l->left_x, l->left_w, extra, selected ? base : ST_DIM);
}

static void draw_empty(struct tui *t, int y)
{
    char text[OV_FILTER_MAX + 96], key[64], import_key[64];

    if (t->vault.accounts.len == 0) {
        ov_keymap_describe(&t->keys, OV_ACT_ADD, key, sizeof key);
        ov_keymap_describe(&t->keys, OV_ACT_IMPORT, import_key, sizeof import_key);
        snprintf(text, sizeof text, "No accounts yet. Press %s to add one, %s to import.", key,
                 import_key);
    } else {
        snprintf(text, sizeof text, "No account matches \"%s\". Esc clears the filter.",
                 t->lv.filter);
    }
    frame_text(&t->frame, y, 1, t->cols - 2, text, ST_DIM);
}

static void draw_status(struct tui *t)
{
    struct frame *f = &t->frame;
    int y = t->rows - 1, right_x;
    char right[96], clip[48], lock[32] = "", help[32];
    unsigned timeout = t->opts->config->lock_timeout;

    ov_clipboard_describe(&t->clip, clip, sizeof clip);
    if (timeout > 0) {
        int64_t left = (int64_t)timeout - (tui_mono() - t->last_input);
        if (left < 0)
            left = 0;
        if (left > 60)
            snprintf(lock, sizeof lock, "  lock %lldm", (long long)((left + 59) / 60));
        else
            snprintf(lock, sizeof lock, "  lock %llds", (long long)left);
    }
    snprintf(right, sizeof right, "%s%s", clip, lock);
    right_x = t->cols - 1 - ov_text_width(right);
    if (t->filtering) {
        frame_text(f, y, 0, 1, "/", ST_TITLE);
        edit_draw(&t->filter, f, y, 1, t->cols - 1, true);
        return;
    }
    bool status_shown = t->status[0] != '\0' &&
                        (t->status_until == 0 || tui_mono() < t->status_until);
    /* A message that needs the whole line gets it while it is shown. */
    if (right_x > t->cols / 2 && !(status_shown && ov_text_width(t->status) > right_x - 2))
        frame_text(f, y, right_x, t->cols - right_x, right, ST_DIM);
    else
        right_x = t->cols;
    if (status_shown) {
        frame_text(f, y, 1, right_x - 2, t->status,
                   t->status_kind == MSG_ERROR ? ST_ERROR
                   : t->status_kind == MSG_OK ? ST_OK : ST_NORMAL);
    } else {
        char idle[2 * OV_ERROR_MSG_MAX + 700], backup[OV_ERROR_MSG_MAX], merged[600];
        bool warn;
        ov_keymap_describe(&t->keys, OV_ACT_HELP, help, sizeof help);
        backup_status_text(t, backup, sizeof backup, &warn);
        sync_status_text(t, merged, sizeof merged);
        if (warn)   /* a warning comes first: it may be all that fits */
            snprintf(idle, sizeof idle, "%s   %s: help%s%s", backup, help,
                     merged[0] != '\0' ? "   " : "", merged);
        else
            snprintf(idle, sizeof idle, "%s: help   %s%s%s", help, backup,
                     merged[0] != '\0' ? "   " : "", merged);
        frame_text(f, y, 1, right_x - 2, idle, warn ? ST_ERROR : ST_DIM);
    }
}

void list_draw(struct tui *t, int64_t now)
{
    struct ov_lv_layout l;
    int top = 1, bottom = t->rows - 1;   /* body rows: [top, bottom) */
    size_t page;

    ov_listview_layout(t->cols, code_width(t), &l);
    if (t->rows >= 12) {
        draw_titles(t, 1, &l);
        top = 2;
    }
    page = bottom > top ? (size_t)(bottom - top) : 1;
    if (page != t->lv.page)
        ov_listview_set_page(&t->lv, page);
    draw_header(t, now);

    if (t->lv.nrows == 0)
        draw_empty(t, top);
    for (size_t r = t->lv.top; r < t->lv.nrows && top + (int)(r - t->lv.top) < bottom; r++) {
        const struct ov_lv_row *row = &t->lv.rows[r];
        int y = top + (int)(r - t->lv.top);
        if (row->kind == OV_ROW_GROUP) {
            char g[256];
            snprintf(g, sizeof g, "%s", row->group != NULL ? row->group : "(no group)");
            frame_text(&t->frame, y, 1, t->cols - 2, g, ST_GROUP);
        } else {
            draw_account(t, y, row->account, r == t->lv.selected, &l, now);
        }
    }
    draw_status(t);
}
