/* The account list of the full-screen app as a model, without curses: rows from the vault,
 * filter as you type (case-insensitive over issuer and name), sorting, group headers,
 * selection and scrolling, and how codes, countdowns and columns are laid out. The TUI
 * draws what this says; the tests check it without a terminal. */
#ifndef OTPVAULT_LISTVIEW_H
#define OTPVAULT_LISTVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "otpvault/account.h"

#define OV_FILTER_MAX 128 /* bytes of filter text */
#define OV_NO_ROW ((size_t)-1)

enum ov_sort { OV_SORT_ISSUER = 0, OV_SORT_NAME, OV_SORT_RECENT, OV_SORT_COUNT };
enum ov_row_kind { OV_ROW_ACCOUNT = 0, OV_ROW_GROUP };

struct ov_lv_row {
    enum ov_row_kind kind;
    size_t account;      /* index into the account list (account rows) */
    const char *group;   /* the group's name (group rows; NULL: "no group") */
};

struct ov_lv_folded;      /* case-folded issuer and name, per account */

struct ov_listview {
    const struct ov_account_list *accounts; /* borrowed; re-attach after it changes */
    struct ov_lv_folded *folded;
    size_t nfolded;       /* accounts folded at the last attach (the list may have changed) */
    size_t *order;        /* account indices in sort order */
    size_t *match;        /* the ones matching the filter, in order */
    size_t nmatch;
    struct ov_lv_row *rows;
    size_t nrows;
    char filter[OV_FILTER_MAX];
    char filter_folded[OV_FILTER_MAX * 4];
    enum ov_sort sort;
    bool grouped;         /* some account has a group: rows carry group headers */
    size_t selected;      /* row index of the selected account, OV_NO_ROW when none shown */
    size_t top;           /* first row on screen */
    size_t page;          /* rows that fit on screen, at least 1 */
};

void ov_listview_init(struct ov_listview *lv);
void ov_listview_free(struct ov_listview *lv);
/* (Re)builds everything from the list: folding, sort, filter. The selection stays on the
 * same account index when it is still shown (callers that delete or insert fix it up with
 * ov_listview_select_account). */
void ov_listview_attach(struct ov_listview *lv, const struct ov_account_list *accounts);
/* Refilters; returns true when the rows changed. Typing more of the same filter only looks
 * at the rows that matched before. */
bool ov_listview_set_filter(struct ov_listview *lv, const char *filter);
void ov_listview_set_sort(struct ov_listview *lv, enum ov_sort sort);
const char *ov_sort_name(enum ov_sort sort);   /* "issuer", "name", "recent" */
void ov_listview_set_page(struct ov_listview *lv, size_t rows);

/* Moves the selection over account rows (group headers are skipped) and scrolls. */
void ov_listview_move(struct ov_listview *lv, long delta);
void ov_listview_first(struct ov_listview *lv);
void ov_listview_last(struct ov_listview *lv);
void ov_listview_page_up(struct ov_listview *lv);
void ov_listview_page_down(struct ov_listview *lv);
/* Account index under the selection, or OV_NO_ROW. */
size_t ov_listview_selected_account(const struct ov_listview *lv);
/* Selects the row of that account if it is shown (returns false otherwise). */
bool ov_listview_select_account(struct ov_listview *lv, size_t account);

/* Codes grouped for reading: "123 456", "1234 5678", "12 345"; non-digit codes (Steam) and
 * codes of 4 characters or fewer as they are. */
void ov_code_format(const char *code, char *out, size_t out_size);
/* Seconds left in the period at t (1..period), correct for negative t. */
unsigned ov_seconds_left(int64_t t, unsigned period);
/* Filled cells of a countdown bar of width cells (time left, rounded up). */
int ov_countdown_cells(unsigned left, unsigned period, int width);
/* A code about to expire stands out: the last 5 seconds, or the last sixth of a long period. */
bool ov_code_expiring(unsigned left, unsigned period);
/* Whether the next code is shown: near rollover (as expiring), or always when asked. */
bool ov_next_code_shown(unsigned left, unsigned period, bool always);

/* Columns of the list for a terminal cols wide. Narrow terminals drop the next-code column,
 * then the name column (the issuer column then shows "issuer: name"). x = -1: not shown. */
struct ov_lv_layout {
    int issuer_x, issuer_w;
    int name_x, name_w;
    int code_x, code_w;
    int next_x, next_w;
    int left_x, left_w;   /* seconds left (other periods) or the HOTP counter */
};
/* code_w: the widest formatted code shown. */
void ov_listview_layout(int cols, int code_w, struct ov_lv_layout *out);

#endif
