/* See bounded.h. */
#include <criterion/criterion.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/lib/bounded.h"

bool bounded_under_asan(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return true;
#endif
#endif
    return false;
}

/* Virtual and resident size of this process in KiB, from /proc/self/statm. */
static void self_size(long *vm_kib, long *rss_kib)
{
    long pages = 0, resident = 0, kib = sysconf(_SC_PAGESIZE) / 1024;
    FILE *f = fopen("/proc/self/statm", "r");

    if (f != NULL) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            pages = resident = 0;
        fclose(f);
    }
    *vm_kib = pages * kib;
    *rss_kib = resident * kib;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void bounded_run(int (*fn)(void *arg, char *msg, size_t size), void *arg, unsigned cap_mib,
                 unsigned secs, struct bounded *out)
{
    struct rusage ru;
    long vm, rss;
    int fds[2], status = 0;
    size_t got = 0;
    double t0, deadline;
    pid_t pid;

    memset(out, 0, sizeof *out);
    self_size(&vm, &rss);
    cr_assert_eq(pipe(fds), 0);
    t0 = now_s();
    pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        static char msg[sizeof out->msg];
        close(fds[0]);
        if (!bounded_under_asan()) {
            rlim_t cap = ((rlim_t)vm + (rlim_t)cap_mib * 1024) * 1024;
            struct rlimit rl = { cap, cap };
            setrlimit(RLIMIT_AS, &rl);
        }
        int rc = fn(arg, msg, sizeof msg);
        if (write(fds[1], msg, strlen(msg)) < 0)
            rc = 99;
        _exit(rc & 0xff);
    }
    close(fds[1]);
    deadline = t0 + secs;
    for (;;) {
        struct pollfd p = { fds[0], POLLIN, 0 };
        double left = deadline - now_s();
        ssize_t n;
        if (left <= 0) {
            kill(pid, SIGKILL);
            break;
        }
        if (poll(&p, 1, (int)(left * 1000) + 1) <= 0)
            continue;
        n = read(fds[0], out->msg + got, sizeof out->msg - 1 - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fds[0]);
    while (wait4(pid, &status, 0, &ru) < 0)
        cr_assert_eq(errno, EINTR);
    out->seconds = now_s() - t0;
    out->msg[got] = '\0';
    out->exited = WIFEXITED(status);
    out->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    out->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    out->grew_kib = ru.ru_maxrss - rss;
}
