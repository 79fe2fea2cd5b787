/* The list model without curses: filter, sort, groups, selection and scrolling, code
 * formatting, countdowns and column layout. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "tui/model/listview.h"
#include "otpvault/mem.h"

static struct ov_account_list list;
static struct ov_listview lv;

static void add(const char *issuer, const char *name, const char *group, int64_t last_used)
{
    struct ov_account a;
    ov_account_init(&a);
    ov_account_set_text(&a.issuer, issuer);
    ov_account_set_text(&a.name, name);
    if (group != NULL)
        ov_account_set_text(&a.group, group);
    a.last_used = last_used;
    ov_account_list_push(&list, &a);
}

static void setup(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    ov_account_list_init(&list);
    ov_listview_init(&lv);
}

static void teardown(void)
{
    ov_listview_free(&lv);
    ov_account_list_free(&list);
}

TestSuite(listview, .init = setup, .fini = teardown);

/* The issuers of the account rows, joined with ",". */
static const char *shown(void)
{
    static char buf[512];
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < lv.nrows; i++) {
        const struct ov_lv_row *r = &lv.rows[i];
        if (r->kind == OV_ROW_GROUP)
            o += (size_t)snprintf(buf + o, sizeof buf - o, "%s[%s]", o ? "," : "",
                                  r->group ? r->group : "-");
        else
            o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", o ? "," : "",
                                  list.items[r->account].issuer);
    }
    return buf;
}

static void sample(void)
{
    add("GitHub", "alice@example.com", NULL, 100);
    add("amazon", "bob", NULL, 300);
    add("Dropbox", "carol", NULL, 0);
    add("Étoile", "Zoë", NULL, 200);
    ov_listview_attach(&lv, &list);
}

Test(listview, sorts_by_issuer_ignoring_case)
{
    sample();
    cr_assert_str_eq(shown(), "amazon,Dropbox,GitHub,Étoile");
    cr_assert_eq(ov_listview_selected_account(&lv), 1);
}

Test(listview, sorts_by_name_and_recent_use)
{
    sample();
    ov_listview_set_sort(&lv, OV_SORT_NAME);
    cr_assert_str_eq(shown(), "GitHub,amazon,Dropbox,Étoile");
    ov_listview_set_sort(&lv, OV_SORT_RECENT);
    cr_assert_str_eq(shown(), "amazon,Étoile,GitHub,Dropbox");
    cr_assert_str_eq(ov_sort_name(OV_SORT_RECENT), "recent");
}

Test(listview, filter_is_case_insensitive_over_issuer_and_name)
{
    sample();
    cr_assert(ov_listview_set_filter(&lv, "GIT"));
    cr_assert_str_eq(shown(), "GitHub");
    ov_listview_set_filter(&lv, "o");    /* widening again */
    cr_assert_str_eq(shown(), "amazon,Dropbox,GitHub,Étoile");
    ov_listview_set_filter(&lv, "CAROL");
    cr_assert_str_eq(shown(), "Dropbox");
    ov_listview_set_filter(&lv, "ZOË");  /* non-ASCII folds too */
    cr_assert_str_eq(shown(), "Étoile");
    ov_listview_set_filter(&lv, "étoi");
    cr_assert_str_eq(shown(), "Étoile");
    ov_listview_set_filter(&lv, "github:ALI");
    cr_assert_str_eq(shown(), "GitHub");
    ov_listview_set_filter(&lv, "nothing");
    cr_assert_str_eq(shown(), "");
    cr_assert_eq(ov_listview_selected_account(&lv), OV_NO_ROW);
    ov_listview_set_filter(&lv, "");
    cr_assert_str_eq(shown(), "amazon,Dropbox,GitHub,Étoile");
}

Test(listview, narrowing_filter_matches_full_refilter)
{
    char q[8] = "";
    for (int i = 0; i < 200; i++) {
        char is[32], nm[32];
        snprintf(is, sizeof is, "Issuer%03d", i);
        snprintf(nm, sizeof nm, "user%d@x", i * 7);
        add(is, nm, NULL, 0);
    }
    ov_listview_attach(&lv, &list);
    const char *typed = "er1";
    for (size_t k = 0; k < strlen(typed); k++) {
        size_t n;
        q[k] = typed[k];
        ov_listview_set_filter(&lv, q);
        n = lv.nrows;
        struct ov_listview fresh;
        ov_listview_init(&fresh);
        ov_listview_set_filter(&fresh, q);
        ov_listview_attach(&fresh, &list);
        cr_assert_eq(fresh.nrows, n, "filter %s", q);
        for (size_t r = 0; r < n; r++)
            cr_assert_eq(fresh.rows[r].account, lv.rows[r].account);
        ov_listview_free(&fresh);
    }
}

Test(listview, selection_survives_filtering_when_still_shown)
{
    sample();
    ov_listview_move(&lv, 2);   /* GitHub */
    cr_assert_str_eq(list.items[ov_listview_selected_account(&lv)].issuer, "GitHub");
    ov_listview_set_filter(&lv, "i");
    cr_assert_str_eq(list.items[ov_listview_selected_account(&lv)].issuer, "GitHub");
    ov_listview_set_filter(&lv, "drop");
    cr_assert_str_eq(list.items[ov_listview_selected_account(&lv)].issuer, "Dropbox");
}

Test(listview, groups_get_headers_and_selection_skips_them)
{
    add("B", "b", "work", 0);
    add("A", "a", NULL, 0);
    add("C", "c", "home", 0);
    add("D", "d", "work", 0);
    ov_listview_attach(&lv, &list);
    cr_assert(lv.grouped);
    cr_assert_str_eq(shown(), "[home],C,[work],B,D,[-],A");
    cr_assert_eq(lv.selected, 1);
    ov_listview_move(&lv, 1);
    cr_assert_eq(lv.selected, 3);
    ov_listview_move(&lv, -1);
    cr_assert_eq(lv.selected, 1);
    ov_listview_move(&lv, -5);  /* stops at the first account */
    cr_assert_eq(lv.selected, 1);
    ov_listview_last(&lv);
    cr_assert_str_eq(list.items[ov_listview_selected_account(&lv)].issuer, "A");
    ov_listview_set_filter(&lv, "d");
    cr_assert_str_eq(shown(), "[work],D");
}

Test(listview, scrolling_keeps_the_selection_visible)
{
    for (int i = 0; i < 50; i++) {
        char is[16];
        snprintf(is, sizeof is, "I%02d", i);
        add(is, "n", NULL, 0);
    }
    ov_listview_attach(&lv, &list);
    ov_listview_set_page(&lv, 10);
    ov_listview_move(&lv, 12);
    cr_assert_eq(lv.selected, 12);
    cr_assert_eq(lv.top, 3);
    ov_listview_page_down(&lv);
    cr_assert_eq(lv.selected, 21);
    cr_assert_eq(lv.top, 12);
    ov_listview_page_up(&lv);
    cr_assert_eq(lv.selected, 12);
    cr_assert_eq(lv.top, 12);
    ov_listview_last(&lv);
    cr_assert_eq(lv.selected, 49);
    cr_assert_eq(lv.top, 40);
    ov_listview_first(&lv);
    cr_assert_eq(lv.top, 0);
    ov_listview_set_page(&lv, 100);  /* a taller terminal: no scrolling */
    ov_listview_last(&lv);
    cr_assert_eq(lv.top, 0);
    cr_assert(ov_listview_select_account(&lv, 30));
    cr_assert_eq(lv.selected, 30);
}

Test(listview, empty_list)
{
    ov_listview_attach(&lv, &list);
    cr_assert_eq(lv.nrows, 0);
    ov_listview_move(&lv, 1);
    ov_listview_page_down(&lv);
    ov_listview_last(&lv);
    cr_assert_eq(ov_listview_selected_account(&lv), OV_NO_ROW);
}

Test(listview, codes_are_grouped_for_reading)
{
    char out[32];
    struct { const char *in, *want; } cases[] = {
        { "123456", "123 456" }, { "12345678", "1234 5678" }, { "12345", "12 345" },
        { "1234567", "123 4567" }, { "1234567890", "12345 67890" }, { "1234", "1234" },
        { "5KX7Q", "5KX7Q" }, { "", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ov_code_format(cases[i].in, out, sizeof out);
        cr_assert_str_eq(out, cases[i].want, "%s", cases[i].in);
    }
}

Test(listview, seconds_left_and_countdown)
{
    cr_assert_eq(ov_seconds_left(1700000000, 30), 10);   /* 1700000000 % 30 == 20 */
    cr_assert_eq(ov_seconds_left(30, 30), 30);
    cr_assert_eq(ov_seconds_left(59, 30), 1);
    cr_assert_eq(ov_seconds_left(-1, 30), 1);
    cr_assert_eq(ov_seconds_left(-30, 30), 30);
    cr_assert_eq(ov_countdown_cells(30, 30, 10), 10);
    cr_assert_eq(ov_countdown_cells(15, 30, 10), 5);
    cr_assert_eq(ov_countdown_cells(1, 30, 10), 1);
    cr_assert_eq(ov_countdown_cells(29, 30, 10), 10);
    cr_assert_eq(ov_countdown_cells(0, 30, 10), 0);
    cr_assert(ov_code_expiring(5, 30));
    cr_assert_not(ov_code_expiring(6, 30));
    cr_assert(ov_code_expiring(10, 60));
    cr_assert_not(ov_code_expiring(11, 60));
    cr_assert_not(ov_code_expiring(1, 3));   /* a 3 s period would always stand out */
    cr_assert(ov_next_code_shown(4, 30, false));
    cr_assert_not(ov_next_code_shown(20, 30, false));
    cr_assert(ov_next_code_shown(20, 30, true));
}

Test(listview, layout_fits_and_drops_columns_when_narrow)
{
    struct ov_lv_layout l;
    int widths[] = { 200, 120, 80, 60, 50, 40, 30 };
    for (size_t i = 0; i < sizeof widths / sizeof *widths; i++) {
        int cols = widths[i];
        ov_listview_layout(cols, 7, &l);
        int right = l.left_w > 0 ? l.left_x + l.left_w
                  : l.next_w > 0 ? l.next_x + l.next_w : l.code_x + l.code_w;
        cr_assert_leq(right, cols, "cols %d: right edge %d", cols, right);
        cr_assert_geq(l.issuer_w, 4);
        cr_assert_gt(l.code_x, l.issuer_x + l.issuer_w - 1);
        if (l.name_w > 0) {
            cr_assert_geq(l.name_x, l.issuer_x + l.issuer_w);
            cr_assert_leq(l.name_x + l.name_w, l.code_x);
        }
        if (l.next_w > 0)
            cr_assert_geq(l.next_x, l.code_x + l.code_w);
    }
    ov_listview_layout(80, 7, &l);
    cr_assert_gt(l.name_w, 0);
    cr_assert_gt(l.next_w, 0);
    cr_assert_gt(l.left_w, 0);
    ov_listview_layout(40, 7, &l);
    cr_assert_eq(l.name_w, 0);
    cr_assert_eq(l.next_w, 0);
}

Test(listview, reattach_after_the_list_grew_and_shrank)
{
    sample();
    ov_listview_move(&lv, 3);   /* Étoile, account 3 */
    add("Zeta", "z", NULL, 0);
    ov_listview_attach(&lv, &list);
    cr_assert_str_eq(shown(), "amazon,Dropbox,GitHub,Zeta,Étoile");  /* code point order */
    cr_assert_eq(ov_listview_selected_account(&lv), 3);
    ov_account_list_remove(&list, 4);
    ov_account_list_remove(&list, 3);
    ov_listview_attach(&lv, &list);
    cr_assert_str_eq(shown(), "amazon,Dropbox,GitHub");
    cr_assert_neq(ov_listview_selected_account(&lv), OV_NO_ROW);
}
