/* QR pages on a terminal: the code centred, black on white with its quiet zone (ST_QR),
 * re-encoded at the highest error correction that fits whenever the page or the terminal
 * size changes; a title above, the keys below. Also the small full-screen loop behind
 * `otpvault qr` on a terminal: the alternate screen, so no code stays in the scrollback. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "otpvault/mem.h"
#include "tui.h"

#define RESERVE_ROWS 1   /* the keys below (and the title above when a row is spare) */

void qrview_open(struct qrview *v, const struct ov_qr_plan *plan)
{
    memset(v, 0, sizeof *v);
    v->plan = plan;
    /* What cannot go comes first: the user learns it before scanning, not after. */
    v->listing = plan->skipped.nskipped > 0;
}

void qrview_close(struct qrview *v)
{
    if (v->drawn)
        ov_qrdraw_free(&v->q);   /* the rows hold the secret */
    memset(v, 0, sizeof *v);
}

static void forget_drawing(struct qrview *v)
{
    if (v->drawn)
        ov_qrdraw_free(&v->q);
    v->drawn = false;
}

/* The accounts left out, one a row with the reason, then how many go in how many codes. */
static void draw_left_out(const struct qrview *v, struct frame *f, int rows, int cols)
{
    const struct ov_export_out *sk = &v->plan->skipped;
    char line[400];
    int room = rows - 5, y = 2;   /* title, blank, ..., blank, summary, keys */
    size_t shown;

    snprintf(line, sizeof line, "Left out of the transfer codes: %zu account%s",
             sk->nskipped, sk->nskipped == 1 ? "" : "s");
    frame_text(f, 0, 1, cols - 2, line, ST_TITLE);
    shown = room < 1 ? 0 : (size_t)room;
    if (shown < sk->nskipped && shown > 0)
        shown--;   /* a row for "and N more" */
    for (size_t i = 0; i < sk->nskipped && i < shown; i++)
        frame_text(f, y++, 3, cols - 4, sk->skipped[i].reason, ST_ERROR);
    if (shown < sk->nskipped) {
        snprintf(line, sizeof line, "\xe2\x80\xa6 and %zu more (otpvault qr --migration names "
                 "them all)", sk->nskipped - shown);
        frame_text(f, y++, 3, cols - 4, line, ST_ERROR);
    }
    snprintf(line, sizeof line, "The other %zu account%s go%s in %zu code%s; move the ones "
             "above by hand (otpvault show, or otpvault qr QUERY).", v->plan->accounts,
             v->plan->accounts == 1 ? "" : "s", v->plan->accounts == 1 ? "es" : "",
             v->plan->npages, v->plan->npages == 1 ? "" : "s");
    frame_text(f, y + 1 < rows - 1 ? y + 1 : rows - 2, 1, cols - 2, line, ST_NORMAL);
    frame_text(f, rows - 1, 1, cols - 2, "Enter or n: show the codes   q: close", ST_DIM);
}

void qrview_draw(struct qrview *v, struct frame *f, int rows, int cols)
{
    const struct ov_qr_page *p = &v->plan->pages[v->page];
    struct ov_error err = { 0 };
    char title[400], keys[128], line[600], left_out[48];
    bool title_row;
    int x, y;

    for (int r = 0; r < rows; r++)
        frame_fill(f, r, 0, cols, L' ', ST_NORMAL);
    if (v->listing) {
        draw_left_out(v, f, rows, cols);
        return;
    }
    if (!v->drawn || v->rows != rows || v->cols != cols) {
        forget_drawing(v);
        if (ov_qrdraw_text_fit(p->text, cols, rows, RESERVE_ROWS, &v->q, NULL, &err) != OV_OK) {
            frame_text(f, 0, 1, cols - 2, err.msg, ST_ERROR);
            return;
        }
        v->drawn = true;
        v->rows = rows;
        v->cols = cols;
    }
    if (v->plan->npages > 1)
        snprintf(title, sizeof title, "QR %zu of %zu: %s", v->page + 1, v->plan->npages,
                 p->title);
    else
        snprintf(title, sizeof title, "%s", p->title);
    if (v->plan->skipped.nskipped > 0)
        snprintf(left_out, sizeof left_out, "   l: %zu left out", v->plan->skipped.nskipped);
    else
        left_out[0] = '\0';
    if (v->plan->npages > 1)
        snprintf(keys, sizeof keys, "n: next   p: previous   q: done%s", left_out);
    else
        snprintf(keys, sizeof keys, "scan it with the phone   q: done%s", left_out);
    if (!ov_qrdraw_fits(&v->q, cols, rows, RESERVE_ROWS)) {
        frame_text(f, 0, 1, cols - 2, title, ST_TITLE);
        snprintf(line, sizeof line, "This QR code needs a terminal of at least %dx%d; this "
                 "one is %dx%d. Enlarge it or zoom out.", v->q.cols,
                 v->q.rows + RESERVE_ROWS, cols, rows);
        frame_text(f, 2, 1, cols - 2, line, ST_ERROR);
        frame_text(f, rows - 1, 1, cols - 2, keys, ST_DIM);
        return;
    }
    /* The title gets its own row when there is one to spare (an 80x24 terminal holds a
     * one-account code only with the bottom row shared). */
    title_row = rows - RESERVE_ROWS - v->q.rows >= 1;
    x = (cols - v->q.cols) / 2;
    y = title_row ? 1 + (rows - RESERVE_ROWS - 1 - v->q.rows) / 2 : 0;
    if (title_row)
        frame_text(f, 0, 1, cols - 2, title, ST_TITLE);
    for (int r = 0; r < v->q.rows; r++)
        frame_text(f, y + r, x, v->q.cols, v->q.lines[r], ST_QR);
    if (title_row) {
        frame_text(f, rows - 1, 1, cols - 2, keys, ST_DIM);
    } else {
        snprintf(line, sizeof line, "%s   %s", title, keys);
        frame_text(f, rows - 1, 1, cols - 2, line, ST_DIM);
    }
}

bool qrview_key(struct qrview *v, int key)
{
    size_t n = v->plan->npages;

    if (v->listing) {
        switch (key) {
        case 'q': case 'Q': case OV_KEY_ESC: case 3:
            return false;
        case 'n': case ' ': case OV_KEY_RIGHT: case OV_KEY_PGDN: case OV_KEY_ENTER:
            v->listing = false;
            return true;
        default:
            return true;
        }
    }
    switch (key) {
    case 'l': case 'L':
        v->listing = v->plan->skipped.nskipped > 0;
        return true;
    case 'n': case ' ': case OV_KEY_RIGHT: case OV_KEY_PGDN: case OV_KEY_DOWN: case 'j':
        if (v->page + 1 < n) {
            v->page++;
            forget_drawing(v);   /* the next code replaces this one whole */
        }
        return true;
    case 'p': case OV_KEY_LEFT: case OV_KEY_PGUP: case OV_KEY_BACKSPACE: case OV_KEY_UP:
    case 'k':
        if (v->page > 0) {
            v->page--;
            forget_drawing(v);
        }
        return true;
    case OV_KEY_ENTER:
        if (v->page + 1 < n) {
            v->page++;
            forget_drawing(v);
            return true;
        }
        return false;
    case 'q': case 'Q': case OV_KEY_ESC: case 3:
        return false;
    default:
        return true;
    }
}

/* ---- `otpvault qr` on a terminal ---- */

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
    stop_signal = sig;
}

int ov_tui_show_qr(const struct ov_qr_plan *plan)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
    struct sigaction sa, old[sizeof sigs / sizeof *sigs];
    struct qrview v;
    struct frame f;
    bool done = false;
    int status = 0;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;   /* no SA_RESTART: poll returns, the loop cleans up */
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaction(sigs[i], &sa, &old[i]);
    stop_signal = 0;
    if (term_start(false) != 0) {
        fprintf(stderr, "otpvault: cannot use this terminal; redirect the output to print "
                "the codes, or use --png\n");
        status = 1;
        goto out;
    }
    raw();   /* Ctrl-C arrives as a key, like q */
    frame_init(&f);
    frame_resize(&f, LINES, COLS);
    qrview_open(&v, plan);
    while (!done && stop_signal == 0) {
        struct pollfd pfd = { STDIN_FILENO, POLLIN, 0 };
        frame_clear(&f);
        qrview_draw(&v, &f, f.rows, f.cols);
        frame_flush(&f);
        if (poll(&pfd, 1, 1000) < 0 && errno != EINTR)
            break;
        if (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) {
            status = 129;
            break;
        }
        for (int k = 0; k < 256 && !done; k++) {
            int key = term_read_key();
            if (key <= 0) {
                done = key < 0;
                break;
            }
            if (key == OV_KEY_RESIZE) {
                frame_resize(&f, LINES, COLS);
                clearok(curscr, TRUE);
                continue;
            }
            done = !qrview_key(&v, key);
        }
    }
    if (stop_signal != 0)
        status = 128 + stop_signal;
    qrview_close(&v);
    frame_free(&f);   /* wipes the cells that held the code */
    term_stop();
out:
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaction(sigs[i], &old[i], NULL);
    return status;
}
