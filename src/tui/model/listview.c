/* The list model of the full-screen app (see listview.h). Everything the filter and the sort
 * compare is case-folded once per attach, so a keystroke over 10,000 accounts is a pass of
 * substring searches over ready strings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "tui/model/listview.h"
#include "otpvault/mem.h"

struct ov_lv_folded {
    char *issuer;   /* one allocation: "issuer\0name\0group\0" */
    char *name;
    char *group;    /* NULL when the account has none */
};

static const char *const sort_names[] = { "issuer", "name", "recent" };

/* Lower-cases UTF-8 text character by character (towlower under the current locale); bytes
 * that do not decode are kept as they are. */
static size_t fold_into(const char *s, char *out)
{
    size_t len = strlen(s), o = 0;
    mbstate_t st;

    memset(&st, 0, sizeof st);
    while (len > 0) {
        wchar_t wc;
        size_t n = mbrtowc(&wc, s, len, &st);
        if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
            memset(&st, 0, sizeof st);
            out[o++] = (char)((*s >= 'A' && *s <= 'Z') ? *s + 32 : *s);
            s++;
            len--;
            continue;
        }
        mbstate_t ost;
        char mb[16];
        size_t m;
        memset(&ost, 0, sizeof ost);
        m = wcrtomb(mb, (wchar_t)towlower((wint_t)wc), &ost);
        if (m == (size_t)-1 || m > n) { /* never grow: out is sized like the input */
            memcpy(out + o, s, n);
            o += n;
        } else {
            memcpy(out + o, mb, m);
            o += m;
        }
        s += n;
        len -= n;
    }
    out[o] = '\0';
    return o;
}

static void fold_account(struct ov_lv_folded *f, const struct ov_account *a)
{
    size_t il = strlen(a->issuer), nl = strlen(a->name);
    size_t gl = a->group != NULL ? strlen(a->group) : 0;
    char *p = ov_xmalloc(il + nl + gl + 3);

    f->issuer = p;
    p += fold_into(a->issuer, p) + 1;
    f->name = p;
    p += fold_into(a->name, p) + 1;
    f->group = NULL;
    if (a->group != NULL) {
        f->group = p;
        fold_into(a->group, p);
    }
}

void ov_listview_init(struct ov_listview *lv)
{
    memset(lv, 0, sizeof *lv);
    lv->selected = OV_NO_ROW;
    lv->page = 1;
}

static void free_folded(struct ov_listview *lv)
{
    for (size_t i = 0; lv->folded != NULL && i < lv->nfolded; i++)
        free(lv->folded[i].issuer);
    free(lv->folded);
    lv->folded = NULL;
    lv->nfolded = 0;
}

void ov_listview_free(struct ov_listview *lv)
{
    free_folded(lv);
    free(lv->order);
    free(lv->match);
    free(lv->rows);
    ov_listview_init(lv);
}

/* Group order: named groups alphabetically, accounts without a group last. */
static int cmp_group(const struct ov_lv_folded *a, const struct ov_lv_folded *b)
{
    if (a->group == NULL || b->group == NULL)
        return (a->group == NULL) - (b->group == NULL);
    return strcmp(a->group, b->group);
}

static int cmp_accounts(const void *pa, const void *pb, void *ctx)
{
    const struct ov_listview *lv = ctx;
    size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
    const struct ov_lv_folded *a = &lv->folded[ia], *b = &lv->folded[ib];
    int c = lv->grouped ? cmp_group(a, b) : 0;

    if (c == 0 && lv->sort == OV_SORT_RECENT) {
        int64_t ua = lv->accounts->items[ia].last_used, ub = lv->accounts->items[ib].last_used;
        c = ua > ub ? -1 : ua < ub ? 1 : 0;
    }
    if (c == 0 && lv->sort == OV_SORT_NAME)
        c = strcmp(a->name, b->name);
    if (c == 0)
        c = strcmp(a->issuer, b->issuer);
    if (c == 0)
        c = strcmp(a->name, b->name);
    if (c == 0)
        c = ia < ib ? -1 : ia > ib;   /* stable: vault order */
    return c;
}

static bool matches(const struct ov_lv_folded *f, const char *q)
{
    const char *colon;

    if (q[0] == '\0' || strstr(f->issuer, q) != NULL || strstr(f->name, q) != NULL)
        return true;
    /* "github:ali" narrows to issuer and name, as the CLI's queries do. */
    colon = strchr(q, ':');
    if (colon != NULL) {
        size_t il = (size_t)(colon - q);
        return strncmp(f->issuer, q, il) == 0 && strstr(f->name, colon + 1) != NULL;
    }
    return false;
}

/* Rows from match[], with a header before each group when the vault has groups. */
static void build_rows(struct ov_listview *lv, size_t keep_account)
{
    const char *prev_group = NULL;
    bool first = true;

    lv->nrows = 0;
    lv->selected = OV_NO_ROW;
    for (size_t i = 0; i < lv->nmatch; i++) {
        size_t a = lv->match[i];
        const struct ov_lv_folded *f = &lv->folded[a];
        if (lv->grouped && (first || cmp_group(f, &lv->folded[lv->match[i - 1]]) != 0)) {
            const char *g = lv->accounts->items[a].group;
            lv->rows[lv->nrows++] = (struct ov_lv_row){ OV_ROW_GROUP, a, g };
            prev_group = g;
        }
        first = false;
        if (a == keep_account)
            lv->selected = lv->nrows;
        lv->rows[lv->nrows++] = (struct ov_lv_row){ OV_ROW_ACCOUNT, a, prev_group };
    }
    if (lv->selected == OV_NO_ROW)
        ov_listview_first(lv);
    else
        ov_listview_move(lv, 0);
}

static void refilter(struct ov_listview *lv, bool narrowing)
{
    size_t keep = ov_listview_selected_account(lv);
    const size_t *from = narrowing ? lv->match : lv->order;
    size_t n = narrowing ? lv->nmatch : (lv->accounts != NULL ? lv->accounts->len : 0);
    size_t o = 0;

    for (size_t i = 0; i < n; i++)
        if (matches(&lv->folded[from[i]], lv->filter_folded))
            lv->match[o++] = from[i];
    lv->nmatch = o;
    build_rows(lv, keep);
}

void ov_listview_attach(struct ov_listview *lv, const struct ov_account_list *accounts)
{
    size_t n = accounts->len;

    free_folded(lv);
    lv->accounts = accounts;
    lv->folded = ov_xcalloc(n > 0 ? n : 1, sizeof *lv->folded);
    lv->nfolded = n;
    lv->order = ov_xrealloc(lv->order, (n > 0 ? n : 1) * sizeof *lv->order);
    lv->match = ov_xrealloc(lv->match, (n > 0 ? n : 1) * sizeof *lv->match);
    lv->rows = ov_xrealloc(lv->rows, (2 * n + 1) * sizeof *lv->rows);
    lv->grouped = false;
    for (size_t i = 0; i < n; i++) {
        fold_account(&lv->folded[i], &accounts->items[i]);
        lv->grouped |= accounts->items[i].group != NULL;
        lv->order[i] = i;
    }
    qsort_r(lv->order, n, sizeof *lv->order, cmp_accounts, lv);
    /* Keep the selection on the same account index through the rebuild. */
    if (lv->selected != OV_NO_ROW && lv->selected < lv->nrows &&
        lv->rows[lv->selected].account >= n)
        lv->selected = OV_NO_ROW;
    refilter(lv, false);
}

bool ov_listview_set_filter(struct ov_listview *lv, const char *filter)
{
    char folded[sizeof lv->filter_folded];
    size_t old_len = strlen(lv->filter_folded);
    size_t old_rows = lv->nrows;
    bool narrowing;

    if (strlen(filter) >= sizeof lv->filter)
        return false;
    fold_into(filter, folded);
    if (strcmp(folded, lv->filter_folded) == 0) {
        snprintf(lv->filter, sizeof lv->filter, "%s", filter);
        return false;
    }
    /* A longer filter that starts with the old one can only drop rows. */
    narrowing = strncmp(folded, lv->filter_folded, old_len) == 0 && strchr(folded, ':') == NULL;
    snprintf(lv->filter, sizeof lv->filter, "%s", filter);
    memcpy(lv->filter_folded, folded, strlen(folded) + 1);
    refilter(lv, narrowing);
    return narrowing ? lv->nrows != old_rows : true;
}

void ov_listview_set_sort(struct ov_listview *lv, enum ov_sort sort)
{
    size_t n = lv->accounts != NULL ? lv->accounts->len : 0;

    lv->sort = (unsigned)sort < OV_SORT_COUNT ? sort : OV_SORT_ISSUER;
    if (n == 0)
        return;
    qsort_r(lv->order, n, sizeof *lv->order, cmp_accounts, lv);
    refilter(lv, false);
}

const char *ov_sort_name(enum ov_sort sort)
{
    return (unsigned)sort < OV_SORT_COUNT ? sort_names[sort] : "issuer";
}

void ov_listview_set_page(struct ov_listview *lv, size_t rows)
{
    lv->page = rows > 0 ? rows : 1;
    ov_listview_move(lv, 0);
}

/* Keeps the selection on screen, with its group header when that fits. */
static void scroll_to_selection(struct ov_listview *lv)
{
    size_t sel = lv->selected, max_top = lv->nrows > lv->page ? lv->nrows - lv->page : 0;

    if (sel == OV_NO_ROW) {
        lv->top = 0;
        return;
    }
    if (sel > 0 && lv->rows[sel - 1].kind == OV_ROW_GROUP && sel - 1 < lv->top)
        lv->top = sel - 1;
    if (sel < lv->top)
        lv->top = sel;
    if (sel >= lv->top + lv->page)
        lv->top = sel - lv->page + 1;
    if (lv->top > max_top)
        lv->top = max_top;
}

void ov_listview_move(struct ov_listview *lv, long delta)
{
    size_t sel = lv->selected;

    if (sel == OV_NO_ROW || lv->nrows == 0) {
        lv->selected = OV_NO_ROW;
        lv->top = 0;
        return;
    }
    while (delta != 0) {
        size_t next = sel;
        do {
            if (delta > 0 && next + 1 < lv->nrows)
                next++;
            else if (delta < 0 && next > 0)
                next--;
            else
                break;
        } while (lv->rows[next].kind != OV_ROW_ACCOUNT);
        if (lv->rows[next].kind != OV_ROW_ACCOUNT || next == sel)
            break;
        sel = next;
        delta += delta > 0 ? -1 : 1;
    }
    lv->selected = sel;
    scroll_to_selection(lv);
}

void ov_listview_first(struct ov_listview *lv)
{
    lv->selected = OV_NO_ROW;
    for (size_t i = 0; i < lv->nrows; i++) {
        if (lv->rows[i].kind == OV_ROW_ACCOUNT) {
            lv->selected = i;
            break;
        }
    }
    lv->top = 0;
    scroll_to_selection(lv);
}

void ov_listview_last(struct ov_listview *lv)
{
    if (lv->nrows == 0)
        return;
    lv->selected = lv->nrows - 1;   /* the last row is always an account */
    scroll_to_selection(lv);
}

void ov_listview_page_up(struct ov_listview *lv)
{
    ov_listview_move(lv, -(long)(lv->page > 1 ? lv->page - 1 : 1));
}

void ov_listview_page_down(struct ov_listview *lv)
{
    ov_listview_move(lv, (long)(lv->page > 1 ? lv->page - 1 : 1));
}

size_t ov_listview_selected_account(const struct ov_listview *lv)
{
    if (lv->selected == OV_NO_ROW || lv->selected >= lv->nrows)
        return OV_NO_ROW;
    return lv->rows[lv->selected].account;
}

bool ov_listview_select_account(struct ov_listview *lv, size_t account)
{
    for (size_t i = 0; i < lv->nrows; i++) {
        if (lv->rows[i].kind == OV_ROW_ACCOUNT && lv->rows[i].account == account) {
            lv->selected = i;
            scroll_to_selection(lv);
            return true;
        }
    }
    return false;
}

void ov_code_format(const char *code, char *out, size_t out_size)
{
    size_t n = strlen(code), first;
    bool digits = n > 0;

    for (size_t i = 0; i < n; i++)
        digits &= code[i] >= '0' && code[i] <= '9';
    if (!digits || n <= 4 || n + 2 > out_size) {
        snprintf(out, out_size, "%s", code);
        return;
    }
    first = n / 2;   /* odd lengths put the longer group second: "12 345", "123 4567" */
    memcpy(out, code, first);
    out[first] = ' ';
    memcpy(out + first + 1, code + first, n - first + 1);
}

unsigned ov_seconds_left(int64_t t, unsigned period)
{
    int64_t p = period > 0 ? period : 30, r = t % p;
    if (r < 0)
        r += p;
    return (unsigned)(p - r);
}

int ov_countdown_cells(unsigned left, unsigned period, int width)
{
    if (period == 0 || width <= 0)
        return 0;
    if (left > period)
        left = period;
    return (int)(((uint64_t)left * (unsigned)width + period - 1) / period);
}

bool ov_code_expiring(unsigned left, unsigned period)
{
    unsigned threshold = period / 6 > 5 ? period / 6 : 5;
    return left <= threshold && period > threshold;
}

bool ov_next_code_shown(unsigned left, unsigned period, bool always)
{
    return always || ov_code_expiring(left, period);
}

void ov_listview_layout(int cols, int code_w, struct ov_lv_layout *o)
{
    const int gap = 2, left_w = 6;   /* left: "59s" or "#12345" */
    int rest;

    memset(o, 0, sizeof *o);
    o->issuer_x = 1;
    o->name_x = o->next_x = o->left_x = -1;
    o->code_w = code_w;
    o->next_w = code_w;
    /* Fixed columns from the right: code, then next code and the seconds when there is room. */
    rest = cols - 1 - code_w - gap;
    if (rest - (left_w + 1) >= 12) {
        o->left_w = left_w;
        rest -= left_w + 1;
    }
    if (rest - (code_w + gap) >= 30) {
        rest -= code_w + gap;
        o->next_w = code_w;
    } else {
        o->next_w = 0;
    }
    if (rest < 4)
        rest = 4;
    if (rest >= 36) {
        /* Issuer gets 40 %, name the rest; the name column is useful only when wide enough. */
        o->issuer_w = rest * 2 / 5 - 1;
        o->name_x = o->issuer_x + o->issuer_w + 1;
        o->name_w = rest - o->issuer_w - 1;
    } else {
        o->issuer_w = rest;
        o->name_w = 0;
    }
    o->code_x = o->issuer_x + rest + gap - 1;
    if (o->next_w > 0)
        o->next_x = o->code_x + code_w + gap;
    if (o->left_w > 0)
        o->left_x = (o->next_w > 0 ? o->next_x + o->next_w : o->code_x + code_w) + 1;
}
