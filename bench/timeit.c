/* timeit: time commands against each other, interleaved, for otpvault's benchmarks.
 *
 * usage: timeit [-n RUNS] [-w WARMUP] [--stdin FILE] --
 *               LABEL CMD [ARG...] [';' LABEL CMD [ARG...]]...
 *
 *   -n RUNS       measured runs per command (default 10, 1..100000)
 *   -w WARMUP     unmeasured runs per command first, to warm caches (default 1, 0..10000)
 *   --stdin FILE  every run reads FILE on stdin, from its start (default /dev/null)
 *
 * Commands are separated by a lone ';' argument (quote it from the shell: ';' or \;), as
 * find -exec does. CMD is looked up in PATH; there is no shell, so wrap pipelines in
 * sh -c '...' yourself.
 *
 * Rounds are interleaved, A B A B ..., so that noise on a shared machine (another job, a
 * frequency change) falls on every command alike instead of on whichever ran during it.
 * Each run is spawned with stdout and stderr on /dev/null. Wall time is CLOCK_MONOTONIC from
 * just before the spawn to wait4's return; peak memory is ru_maxrss from wait4.
 *
 * Output, on stdout and nothing else, one tab-separated line per command in the order given:
 *
 *   LABEL  MEDIAN_MS  P10_MS  P90_MS  MAXRSS_KIB  RUNS
 *
 * Percentiles interpolate linearly between the nearest ranks; MAXRSS_KIB is the largest
 * ru_maxrss seen over the measured runs. On Linux a child's ru_maxrss also counts the memory
 * it had before exec, i.e. this small program's own footprint (about 1-2 MiB), so compare
 * against a baseline such as `true` rather than reading small values absolutely.
 *
 * Any run that exits non-zero or dies from a signal stops everything: the command and its
 * status go to stderr and timeit exits 1, since a timing of a failing command means nothing.
 * Usage errors exit 2. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct command {
    const char *label;
    char **argv;          /* NULL-terminated, points into main's argv */
    double *ms;           /* one wall time per measured run */
    long maxrss_kib;
};

static void usage(FILE *out)
{
    fputs("usage: timeit [-n RUNS] [-w WARMUP] [--stdin FILE] -- "
          "LABEL CMD [ARG...] [';' LABEL CMD [ARG...]]...\n", out);
}

static void die_usage(const char *msg, const char *arg)
{
    fprintf(stderr, "timeit: %s%s%s\n", msg, arg != NULL ? ": " : "", arg != NULL ? arg : "");
    usage(stderr);
    exit(2);
}

static long parse_count(const char *opt, const char *s, long min, long max)
{
    char *end;
    long v;

    if (s == NULL)
        die_usage("missing number after", opt);
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max) {
        fprintf(stderr, "timeit: %s wants a whole number from %ld to %ld, got \"%s\"\n", opt,
                min, max, s);
        exit(2);
    }
    return v;
}

/* The command as a shell would show it, for error messages. */
static void print_command(FILE *out, char **argv)
{
    for (size_t i = 0; argv[i] != NULL; i++) {
        const char *a = argv[i];
        fputs(i > 0 ? " " : "", out);
        if (a[0] != '\0' && strpbrk(a, " \t\n'\"\\$`;&|<>()*?[]#~") == NULL) {
            fputs(a, out);
            continue;
        }
        fputc('\'', out);
        for (; *a != '\0'; a++) {
            if (*a == '\'')
                fputs("'\\''", out);
            else
                fputc(*a, out);
        }
        fputc('\'', out);
    }
}

static double now_ms(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
        perror("timeit: clock_gettime");
        exit(1);
    }
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Runs cmd once; returns its wall time in ms and raises cmd->maxrss_kib when measured. */
static double run_once(struct command *cmd, const posix_spawn_file_actions_t *fa, long round,
                       int measured)
{
    struct rusage ru;
    double start, elapsed;
    pid_t pid;
    int status, rc;

    start = now_ms();
    rc = posix_spawnp(&pid, cmd->argv[0], fa, NULL, cmd->argv, environ);
    if (rc != 0) {
        fprintf(stderr, "timeit: %s: cannot run ", cmd->label);
        print_command(stderr, cmd->argv);
        fprintf(stderr, ": %s\n", strerror(rc));
        exit(1);
    }
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("timeit: wait4");
            exit(1);
        }
    }
    elapsed = now_ms() - start;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "timeit: %s: run %ld%s: ", cmd->label, round + 1,
                measured ? "" : " (warm-up)");
        print_command(stderr, cmd->argv);
        if (WIFEXITED(status))
            fprintf(stderr, " exited with status %d\n", WEXITSTATUS(status));
        else if (WIFSIGNALED(status))
            fprintf(stderr, " was killed by signal %d (%s)\n", WTERMSIG(status),
                    strsignal(WTERMSIG(status)));
        else
            fprintf(stderr, " ended with wait status 0x%x\n", (unsigned)status);
        exit(1);
    }
    if (measured && ru.ru_maxrss > cmd->maxrss_kib)
        cmd->maxrss_kib = ru.ru_maxrss;   /* Linux reports KiB */
    return elapsed;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* p in [0, 1] over sorted values, interpolating between the nearest ranks. */
static double percentile(const double *sorted, long n, double p)
{
    double pos = p * (double)(n - 1);
    long lo = (long)pos;
    double frac = pos - (double)lo;

    if (lo + 1 >= n)
        return sorted[n - 1];
    return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

/* Splits argv[first..argc) at ';' arguments into commands; returns how many. */
static size_t split_commands(int argc, char **argv, int first, struct command *cmds)
{
    size_t n = 0;
    int i = first;

    while (i < argc) {
        int start = i;
        while (i < argc && strcmp(argv[i], ";") != 0)
            i++;
        if (i - start < 2)
            die_usage("each command needs a LABEL and a program",
                      start < argc ? argv[start] : NULL);
        if (argv[start][0] == '\0' || strpbrk(argv[start], "\t\n") != NULL)
            die_usage("a label must be non-empty, without tabs or newlines", NULL);
        cmds[n].label = argv[start];
        cmds[n].argv = &argv[start + 1];
        cmds[n].maxrss_kib = 0;
        n++;
        if (i < argc) {
            argv[i] = NULL;   /* terminates this command's argv in place */
            i++;
            if (i == argc)
                die_usage("nothing after the last ';'", NULL);
        }
    }
    return n;
}

int main(int argc, char **argv)
{
    long runs = 10, warmup = 1;
    const char *stdin_path = "/dev/null";
    posix_spawn_file_actions_t fa;
    struct command *cmds;
    size_t ncmds;
    int i, fd;

    for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "-n") == 0) {
            runs = parse_count("-n", argv[++i], 1, 100000);
        } else if (strcmp(argv[i], "-w") == 0) {
            warmup = parse_count("-w", argv[++i], 0, 10000);
        } else if (strcmp(argv[i], "--stdin") == 0) {
            if ((stdin_path = argv[++i]) == NULL)
                die_usage("missing file after", "--stdin");
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else {
            die_usage("unknown option (commands go after --)", argv[i]);
        }
    }
    if (i >= argc || i + 1 >= argc)
        die_usage("no commands given after --", NULL);

    /* Fail before the first run, not halfway, when the input file is unreadable. */
    if ((fd = open(stdin_path, O_RDONLY)) < 0) {
        fprintf(stderr, "timeit: %s: %s\n", stdin_path, strerror(errno));
        return 1;
    }
    close(fd);

    cmds = calloc((size_t)argc, sizeof *cmds);
    if (cmds == NULL) {
        perror("timeit");
        return 1;
    }
    ncmds = split_commands(argc, argv, i + 1, cmds);
    for (size_t c = 0; c < ncmds; c++) {
        if ((cmds[c].ms = calloc((size_t)runs, sizeof *cmds[c].ms)) == NULL) {
            perror("timeit");
            return 1;
        }
    }

    /* The child opens the files itself, so every run reads --stdin from its start. */
    if (posix_spawn_file_actions_init(&fa) != 0 ||
        posix_spawn_file_actions_addopen(&fa, 0, stdin_path, O_RDONLY, 0) != 0 ||
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0) != 0 ||
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0) != 0) {
        perror("timeit: posix_spawn_file_actions");
        return 1;
    }

    for (long r = 0; r < warmup + runs; r++) {
        for (size_t c = 0; c < ncmds; c++) {
            int measured = r >= warmup;
            double ms = run_once(&cmds[c], &fa, measured ? r - warmup : r, measured);
            if (measured)
                cmds[c].ms[r - warmup] = ms;
        }
    }

    for (size_t c = 0; c < ncmds; c++) {
        qsort(cmds[c].ms, (size_t)runs, sizeof *cmds[c].ms, cmp_double);
        printf("%s\t%.3f\t%.3f\t%.3f\t%ld\t%ld\n", cmds[c].label,
               percentile(cmds[c].ms, runs, 0.5), percentile(cmds[c].ms, runs, 0.1),
               percentile(cmds[c].ms, runs, 0.9), cmds[c].maxrss_kib, runs);
        free(cmds[c].ms);
    }
    posix_spawn_file_actions_destroy(&fa);
    free(cmds);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("timeit: stdout");
        return 1;
    }
    return 0;
}
