/* One filter keystroke over 10,000 accounts: the time ov_listview_set_filter takes for each
 * key of a typed query, then for backspacing it away (which widens the filter and cannot
 * reuse the previous matches). Prints the median and the worst keystroke in milliseconds.
 *
 *   filter_time [ACCOUNTS] */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_clock.h"

#include "tui/model/listview.h"

static const char *const issuers[] = { "GitHub", "Google", "Amazon Web Services", "Dropbox",
                                       "Microsoft", "Proton", "Bitwarden", "Cloudflare",
                                       "日本銀行", "Société Générale" };

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)atol(argv[1]) : 10000;
    const char *query = "amazon web";
    struct ov_account_list list;
    struct ov_listview lv;
    double times[64];
    size_t nt = 0, qlen = strlen(query);
    char typed[64];

    setlocale(LC_ALL, "C.UTF-8");
    ov_account_list_init(&list);
    for (size_t i = 0; i < n; i++) {
        struct ov_account a;
        char name[64];
        ov_account_init(&a);
        ov_account_set_text(&a.issuer, issuers[i % 10]);
        snprintf(name, sizeof name, "user%zu@example.com", i);
        ov_account_set_text(&a.name, name);
        ov_account_list_push(&list, &a);
    }
    ov_listview_init(&lv);
    ov_listview_attach(&lv, &list);
    ov_listview_set_page(&lv, 30);
    /* Typing the query, then deleting it a key at a time. */
    for (size_t k = 1; k <= qlen; k++) {
        double t0;
        memcpy(typed, query, k);
        typed[k] = '\0';
        t0 = now_ms();
        ov_listview_set_filter(&lv, typed);
        times[nt++] = now_ms() - t0;
    }
    for (size_t k = qlen; k-- > 0;) {
        double t0;
        typed[k] = '\0';
        t0 = now_ms();
        ov_listview_set_filter(&lv, typed);
        times[nt++] = now_ms() - t0;
    }
    qsort(times, nt, sizeof *times, cmp);
    printf("accounts %zu\nkeystrokes %zu\nfilter_ms_median %.3f\nfilter_ms_max %.3f\n", n, nt,
           times[nt / 2], times[nt - 1]);
    ov_listview_free(&lv);
    ov_account_list_free(&list);
    return 0;
}
