/* The app's entry and event loop. One thread, one poll: on the terminal and on a self-pipe
 * that signal handlers write to. The poll times out at the next whole second, the tick at
 * which codes and countdowns move; between ticks and keys nothing runs at all.
 *
 * Every exit path (q, Ctrl-C, SIGTERM, SIGHUP, the terminal going away) comes back here
 * through the loop, so the same clean-up runs: the clipboard cleared if it still holds our
 * code, secrets wiped, curses ended (which leaves the alternate screen). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "otpvault/atomic_file.h"
#include "otpvault/display.h"
#include "otpvault/mem.h"
#include "tui.h"

static int sig_pipe[2] = { -1, -1 };
static volatile sig_atomic_t fatal_signal, got_winch;

static void on_signal(int sig)
{
    int saved = errno;
    char c = (char)sig;

    if (sig == SIGWINCH)
        got_winch = 1;
    else
        fatal_signal = sig;
    if (write(sig_pipe[1], &c, 1) < 0) {
        /* the pipe is full: a wake-up is already pending */
    }
    errno = saved;
}

static int install_signals(void)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH };
    struct sigaction sa;

    if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return -1;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaction(sigs[i], &sa, NULL);
    /* A terminal that went away gives EPIPE/EIO on write, which we notice; not a kill. */
    signal(SIGPIPE, SIG_IGN);
    return 0;
}

int64_t tui_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec;
}

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void tui_status(struct tui *t, enum tui_msg kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->status, sizeof t->status, fmt, ap);
    va_end(ap);
    t->status_kind = kind;
    t->status_until = kind == MSG_ERROR ? 0 : tui_mono() + 8;
}

/* Milliseconds until the next whole second of the wall clock, when codes roll over. */
static int ms_to_next_second(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int)((1000000000L - ts.tv_nsec) / 1000000L) + 1;
}

static void resize(struct tui *t)
{
    struct winsize ws;

    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
        resize_term(ws.ws_row, ws.ws_col);
    t->rows = LINES;
    t->cols = COLS;
    frame_resize(&t->frame, t->rows, t->cols);
    clearok(curscr, TRUE);   /* the terminal may have reflowed: repaint everything once */
}

static void trace_frame(struct tui *t)
{
    FILE *f;

    if (t->trace_path == NULL || t->trace_unlocked_ns == 0 || t->screen != SCR_LIST)
        return;
    if ((f = fopen(t->trace_path, "a")) != NULL) {
        fprintf(f, "unlock_to_frame_ns %lld accounts %zu\n",
                (long long)(mono_ns() - t->trace_unlocked_ns), t->vault.accounts.len);
        fclose(f);
    }
    t->trace_unlocked_ns = 0;
}

void tui_mark_unlocked(struct tui *t)
{
    if (t->trace_path != NULL)
        t->trace_unlocked_ns = mono_ns();
}

static void draw(struct tui *t)
{
    frame_clear(&t->frame);
    if (t->screen == SCR_LIST)
        list_draw(t, ov_now());
    else
        unlock_draw(t);
    if (t->screen == SCR_LIST && t->overlay == OVL_FORM)
        form_draw(t);
    else if (t->screen == SCR_LIST && t->overlay == OVL_IMPORT)
        import_draw(t);
    else if (t->screen == SCR_LIST && t->overlay != OVL_NONE)
        overlay_draw(t);
    frame_flush(&t->frame);
    trace_frame(t);
}

void tui_redraw_now(struct tui *t)
{
    draw(t);
}

static void handle_key(struct tui *t, int key)
{
    t->last_input = tui_mono();
    if (key == OV_KEY_RESIZE) {
        resize(t);
        return;
    }
    if (t->screen != SCR_LIST)
        unlock_key(t, key);
    else if (t->overlay == OVL_FORM)
        form_key(t, key);
    else if (t->overlay == OVL_IMPORT)
        import_key(t, key);
    else if (t->overlay != OVL_NONE)
        overlay_key(t, key);
    else
        actions_key(t, key);
}

/* Reads every key curses has (it reads the terminal a byte at a time, so after this the
 * poll on the descriptor is accurate again). Returns false when the terminal is gone. */
static bool read_keys(struct tui *t)
{
    for (int n = 0; n < 4096 && !t->quit; n++) {
        int key = term_read_key();
        if (key < 0)
            return false;
        if (key == 0)
            break;
        handle_key(t, key);
    }
    return true;
}

static void loop(struct tui *t)
{
    while (!t->quit) {
        struct pollfd fds[2] = { { STDIN_FILENO, POLLIN, 0 }, { sig_pipe[0], POLLIN, 0 } };
        int rc;

        draw(t);
        rc = poll(fds, 2, ms_to_next_second());
        if (rc < 0 && errno != EINTR) {
            t->quit = true;
            t->exit_status = 1;
            break;
        }
        if (fds[1].revents & POLLIN) {
            char buf[64];
            while (read(sig_pipe[0], buf, sizeof buf) > 0)
                ;
        }
        if (fatal_signal != 0) {
            t->exit_status = 128 + fatal_signal;
            t->quit = true;
            break;
        }
        if (got_winch) {
            got_winch = 0;
            resize(t);
        }
        if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
            /* The terminal (an SSH link, a closed window) is gone. */
            t->exit_status = 129;
            t->quit = true;
            break;
        }
        if ((fds[0].revents & POLLIN) && !read_keys(t)) {
            t->exit_status = 129;
            t->quit = true;
            break;
        }
        actions_tick(t);
    }
}

static bool color_wanted(const struct ov_config *c)
{
    const char *no_color = getenv("NO_COLOR");

    if (c->color == OV_COLOR_NEVER)
        return false;
    if (c->color == OV_COLOR_ALWAYS)
        return true;
    return no_color == NULL || no_color[0] == '\0';
}

static void init_state(struct tui *t, const struct ov_tui_opts *opts)
{
    struct ov_clip_env env;

    memset(t, 0, sizeof *t);
    t->opts = opts;
    ov_keymap_defaults(&t->keys);
    ov_keymap_apply(&t->keys, opts->config->bindings, opts->config->nbindings);
    frame_init(&t->frame);
    ov_listview_init(&t->lv);
    edit_init(&t->pass, MASK_HIDDEN);
    edit_init(&t->pass2, MASK_HIDDEN);
    edit_init(&t->restore_path, MASK_NONE);
    edit_init(&t->filter, MASK_NONE);
    import_init(t);
    ov_clip_env_from_process(&env);
    ov_clipboard_choose(opts->config->clipboard, &env, &t->clip);
    /* Only an OSC 52 copy cares how tmux is set up: ask it then, not for every start. */
    if (t->clip.method == OV_CLIP_OSC52 && env.tmux != NULL) {
        ov_clip_env_ask_tmux(&env);
        ov_clipboard_choose(opts->config->clipboard, &env, &t->clip);
    }
    t->last_input = tui_mono();
    t->trace_path = getenv("OTPVAULT_TRACE_FRAME");
}

static void free_state(struct tui *t)
{
    actions_lock(t, NULL);          /* wipes the vault, codes, undo, overlays */
    clipboard_clear_now(t);
    edit_free(&t->pass);
    edit_free(&t->pass2);
    edit_free(&t->restore_path);
    edit_free(&t->filter);
    import_free(t);
    ov_listview_free(&t->lv);
    frame_free(&t->frame);
}

int ov_tui_main(const struct ov_tui_opts *opts)
{
    struct ov_error path_err = { 0 };
    struct tui t;
    int status;

    if (install_signals() != 0) {
        fprintf(stderr, "otpvault: cannot set up signals: %s\n", strerror(errno));
        return 1;
    }
    /* A FIFO would hang the read, a directory or a device is no vault: say so before the
     * screen is taken over or a passphrase asked for. */
    if (access(opts->vault_path, F_OK) == 0 &&
        ov_regular_file_check(opts->vault_path, &path_err) == OV_ERR_INVALID) {
        char *shown = ov_display_dup(path_err.msg);
        fprintf(stderr, "otpvault: %s; give the vault's path with --vault\n", shown);
        free(shown);
        return 1;
    }
    init_state(&t, opts);
    if (term_start(color_wanted(opts->config)) != 0) {
        char *term = ov_display_dup(getenv("TERM"));
        fprintf(stderr, "otpvault: cannot use this terminal (TERM=%s)\n", term);
        free(term);
        free_state(&t);
        return 1;
    }
    t.rows = LINES;
    t.cols = COLS;
    frame_resize(&t.frame, t.rows, t.cols);
    /* First run only when there is nothing there; any other problem (permissions, a
     * directory) is for the unlock screen to report when it tries to open the file. */
    if (access(opts->vault_path, F_OK) != 0 && errno == ENOENT) {
        t.screen = SCR_CREATE;
    } else {
        unlock_enter(&t, NULL, MSG_INFO);
        if (opts->passphrase_file != NULL)
            unlock_try_file(&t);
    }
    loop(&t);
    free_state(&t);
    term_stop();
    status = t.exit_status;
    if (t.exit_message[0] != '\0') {
        char *shown = ov_display_dup(t.exit_message); /* it quotes the vault's path */
        fprintf(stderr, "otpvault: %s\n", shown);
        free(shown);
    }
    close(sig_pipe[0]);
    close(sig_pipe[1]);
    return status;
}
