/* See cli_pty.h. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "tests/lib/cli_pty.h"
#include "otpvault/display.h"

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Bytes exactly as written (no \n -> \r\n), and typed answers not echoed: set before the
 * child starts, so that nothing typed early is echoed either. */
static void raw_output(int master)
{
    struct termios tio;
    int s = open(ptsname(master), O_RDWR | O_NOCTTY);

    cr_assert_geq(s, 0);
    cr_assert_eq(tcgetattr(s, &tio), 0);
    tio.c_oflag &= ~(tcflag_t)OPOST;
    tio.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
    cr_assert_eq(tcsetattr(s, TCSANOW, &tio), 0);
    close(s);
}

static void child(int master, const struct cli_env *e, const char *const *args)
{
    const char *argv[CLI_ARGV_MAX];
    int s;

    setsid();
    s = open(ptsname(master), O_RDWR); /* the first terminal opened becomes ours */
    if (s < 0)
        _exit(126);
    close(master);
    dup2(s, 0);
    dup2(s, 1);
    dup2(s, 2);
    if (s > 2)
        close(s);
    cli_child_env(e, 0);
    setenv("TERM", "xterm-256color", 1);
    unsetenv("NO_COLOR");
    cli_argv(e, args, argv);
    execv(argv[0], (char *const *)argv);
    _exit(127);
}

void cli_run_pty(struct cli_pty_result *r, const struct cli_env *e, const char *typed,
                 const char *const *args)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY), wstatus;
    size_t cap = 8192;
    long long deadline;
    bool exited = false;
    pid_t pid;

    cr_assert_geq(m, 0);
    cr_assert(grantpt(m) == 0 && unlockpt(m) == 0);
    raw_output(m);
    memset(r, 0, sizeof *r);
    r->bytes = malloc(cap);
    pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0)
        child(m, e, args);
    if (typed != NULL)
        cr_assert_eq(write(m, typed, strlen(typed)), (ssize_t)strlen(typed));
    deadline = now_ms() + 20000;
    for (;;) {
        struct pollfd p = { m, POLLIN, 0 };
        ssize_t n;

        if (now_ms() > deadline) {
            kill(pid, SIGKILL);
            break;
        }
        if (poll(&p, 1, 100) <= 0) {
            if (!exited && waitpid(pid, &wstatus, WNOHANG) == pid)
                exited = true;
            if (exited)
                break; /* exited and nothing more to read */
            continue;
        }
        if (r->len + 4096 >= cap)
            r->bytes = realloc(r->bytes, cap *= 2);
        n = read(m, r->bytes + r->len, cap - r->len - 1);
        if (n > 0) {
            r->len += (size_t)n;
            continue;
        }
        /* EIO: no one holds the terminal: not yet (the child is starting) or no more. */
        if (!exited && waitpid(pid, &wstatus, WNOHANG) == pid)
            exited = true;
        if (exited)
            break;
        usleep(10000);
    }
    r->bytes[r->len] = '\0';
    if (!exited)
        cr_assert_eq(waitpid(pid, &wstatus, 0), pid);
    close(m);
    r->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
}

void cli_pty_result_free(struct cli_pty_result *r)
{
    free(r->bytes);
    r->bytes = NULL;
}

bool cli_terminal_safe(const char *bytes, size_t len, size_t *where)
{
    size_t off = 0;

    while (off < len) {
        struct ov_display_unit u;
        ov_display_next(bytes + off, len - off, &u);
        if (u.unsafe && !(u.valid && u.cp == '\n')) {
            *where = off;
            return false;
        }
        off += u.len;
    }
    return true;
}
