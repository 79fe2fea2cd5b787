/* Measures the full-screen app through a pseudo-terminal we own (forkpty), so every byte it
 * writes to the terminal is counted and nothing is drawn anywhere.
 *
 *   tui_pty idle  BIN VAULT PASSFILE [SECONDS]  bytes written and CPU time while idle,
 *                                               scaled to one minute
 *   tui_pty frame BIN VAULT PASSFILE [RUNS]     unlock (after the KDF) to the first full
 *                                               frame, from OTPVAULT_TRACE_FRAME; median
 *
 * idle: the app is unlocked with 100x40 cells (room for 30 rows of accounts) and left alone
 * for SETTLE seconds (the "unlocked" status message expires), then measured for SECONDS
 * (default 30: one whole 30-second period, so the rollover, the "about to expire" highlight
 * and the next code each happen exactly once per window, then doubled to a minute). CPU time
 * is the main thread's from /proc/PID/schedstat (nanoseconds), else /proc/PID/stat ticks. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SETTLE_S 9.5

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static pid_t start(const char *bin, const char *vault, const char *pass, const char *trace,
                   int *master)
{
    struct winsize ws = { .ws_row = 40, .ws_col = 100 };
    pid_t pid = forkpty(master, NULL, NULL, &ws);

    if (pid < 0) {
        perror("forkpty");
        exit(1);
    }
    if (pid == 0) {
        setenv("TERM", "xterm-256color", 1);
        setenv("LANG", "C.UTF-8", 1);
        unsetenv("LC_ALL");
        unsetenv("SSH_CONNECTION");
        unsetenv("SSH_TTY");
        unsetenv("TMUX");
        unsetenv("NO_COLOR");
        if (trace != NULL)
            setenv("OTPVAULT_TRACE_FRAME", trace, 1);
        execl(bin, bin, "--vault", vault, "--passphrase-file", pass, (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* Reads whatever the app wrote for up to seconds; returns the byte count. */
static long drain(int master, double seconds)
{
    double end = now_s() + seconds;
    long total = 0;
    char buf[65536];

    for (;;) {
        double left = end - now_s();
        struct pollfd p = { master, POLLIN, 0 };
        if (left <= 0)
            break;
        if (poll(&p, 1, (int)(left * 1000) + 1) <= 0)
            continue;
        ssize_t n = read(master, buf, sizeof buf);
        if (n <= 0)
            break;
        total += n;
    }
    return total;
}

static double cpu_seconds(pid_t pid)
{
    char path[64];
    FILE *f;
    unsigned long long ns, ut, st;

    snprintf(path, sizeof path, "/proc/%d/schedstat", (int)pid);
    if ((f = fopen(path, "r")) != NULL) {
        int ok = fscanf(f, "%llu", &ns) == 1;
        fclose(f);
        if (ok)
            return (double)ns / 1e9;
    }
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    if ((f = fopen(path, "r")) == NULL)
        return -1;
    /* Fields 14 and 15 (utime, stime) follow the ")" closing the command name. */
    char line[1024], *p;
    if (fgets(line, sizeof line, f) == NULL || (p = strrchr(line, ')')) == NULL ||
        sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2) {
        fclose(f);
        return -1;
    }
    fclose(f);
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static void stop(pid_t pid, int master)
{
    int status;
    kill(pid, SIGTERM);
    drain(master, 0.3);
    waitpid(pid, &status, 0);
    close(master);
}

static int idle(const char *bin, const char *vault, const char *pass, double seconds)
{
    int master;
    pid_t pid = start(bin, vault, pass, NULL, &master);
    long bytes;
    double cpu0, cpu1, scale = 60.0 / seconds;

    drain(master, SETTLE_S);
    cpu0 = cpu_seconds(pid);
    bytes = drain(master, seconds);
    cpu1 = cpu_seconds(pid);
    stop(pid, master);
    printf("idle_seconds %.0f\nbytes_per_min %.0f\ncpu_s_per_min %.4f\n", seconds,
           (double)bytes * scale, (cpu1 - cpu0) * scale);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int frame(const char *bin, const char *vault, const char *pass, int runs)
{
    char trace[] = "/tmp/otpvault-trace-XXXXXX";
    double *ms = calloc((size_t)runs, sizeof *ms);
    int fd = mkstemp(trace);
    size_t accounts = 0;

    if (fd < 0) {
        perror("mkstemp");
        return 1;
    }
    close(fd);
    for (int r = 0; r < runs; r++) {
        int master;
        long long ns = -1;
        double deadline;
        pid_t pid;

        truncate(trace, 0);
        pid = start(bin, vault, pass, trace, &master);
        deadline = now_s() + 10;
        while (ns < 0 && now_s() < deadline) {
            FILE *f;
            drain(master, 0.02);   /* keep the pty from filling up */
            if ((f = fopen(trace, "r")) != NULL) {
                if (fscanf(f, "unlock_to_frame_ns %lld accounts %zu", &ns, &accounts) != 2)
                    ns = -1;
                fclose(f);
            }
        }
        stop(pid, master);
        if (ns < 0) {
            fprintf(stderr, "tui_pty: no frame trace within 10 s\n");
            unlink(trace);
            return 1;
        }
        ms[r] = (double)ns / 1e6;
    }
    unlink(trace);
    qsort(ms, (size_t)runs, sizeof *ms, cmp_double);
    printf("accounts %zu\nunlock_to_frame_ms_median %.2f\nunlock_to_frame_ms_max %.2f\n",
           accounts, ms[runs / 2], ms[runs - 1]);
    free(ms);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 5 && strcmp(argv[1], "idle") == 0)
        return idle(argv[2], argv[3], argv[4], argc > 5 ? atof(argv[5]) : 30.0);
    if (argc >= 5 && strcmp(argv[1], "frame") == 0)
        return frame(argv[2], argv[3], argv[4], argc > 5 ? atoi(argv[5]) : 9);
    fprintf(stderr, "usage: tui_pty idle|frame BIN VAULT PASSFILE [SECONDS|RUNS]\n");
    return 2;
}
