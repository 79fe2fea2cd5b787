/* See cli_run.h. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/lib/cli_run.h"

static const char *binary(void)
{
    const char *bin = getenv("OTPVAULT_BIN");
    return bin != NULL ? bin : "build/otpvault";
}

void cli_child_env(const struct cli_env *e, unsigned flags)
{
    char path[300];

    snprintf(path, sizeof path, "%s", e->dir);
    setenv("HOME", path, 1);
    snprintf(path, sizeof path, "%s/data", e->dir);
    setenv("XDG_DATA_HOME", path, 1);
    snprintf(path, sizeof path, "%s/config", e->dir);
    setenv("XDG_CONFIG_HOME", path, 1);
    unsetenv("OTPVAULT_VAULT");
    setenv("LC_ALL", "C.UTF-8", 1);
    /* LeakSanitizer ptrace-attaches at exit, which a traced process cannot allow and a kill
     * interrupts; the other options (make check's report files) stay. */
    if (flags != 0) {
        const char *old = getenv("ASAN_OPTIONS");
        char opts[1024];
        snprintf(opts, sizeof opts, "%s%sdetect_leaks=0", old != NULL ? old : "",
                 old != NULL && old[0] != '\0' ? ":" : "");
        setenv("ASAN_OPTIONS", opts, 1);
    }
}

void cli_argv(const struct cli_env *e, const char *const *args, const char **argv)
{
    size_t n = 0;

    argv[n++] = binary();
    argv[n++] = "--vault";
    argv[n++] = e->vault;
    argv[n++] = "--passphrase-file";
    argv[n++] = e->passfile;
    for (; *args != NULL && n < CLI_ARGV_MAX - 1; args++)
        argv[n++] = *args;
    argv[n] = NULL;
}

void cli_env_setup(struct cli_env *e)
{
    char path[400];
    strcpy(e->dir, "/tmp/otpvault-test-XXXXXX");
    cr_assert_not_null(mkdtemp(e->dir));
    snprintf(e->vault, sizeof e->vault, "%s/vault.otpv", e->dir);
    snprintf(e->passfile, sizeof e->passfile, "%s/pass", e->dir);
    write_file(e->passfile, "correct horse\n", 14);
    snprintf(path, sizeof path, "%s/config", e->dir);
    mkdir(path, 0700);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void cli_env_teardown(struct cli_env *e)
{
    if (e->dir[0] != '\0')
        nftw(e->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len != NULL)
        *len = (size_t)n;
    return buf;
}

void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* Reads both pipes to the end without deadlocking on either. */
static void drain(int out_fd, int err_fd, char **out, char **err)
{
    size_t cap[2] = { 4096, 4096 }, len[2] = { 0, 0 };
    char *buf[2] = { malloc(4096), malloc(4096) };
    struct pollfd p[2] = { { out_fd, POLLIN, 0 }, { err_fd, POLLIN, 0 } };
    int open_count = 2;

    while (open_count > 0) {
        if (poll(p, 2, -1) < 0 && errno == EINTR)
            continue;
        for (int i = 0; i < 2; i++) {
            if (p[i].fd < 0 || p[i].revents == 0)
                continue;
            if (len[i] + 1024 >= cap[i])
                buf[i] = realloc(buf[i], cap[i] *= 2);
            ssize_t n = read(p[i].fd, buf[i] + len[i], cap[i] - len[i] - 1);
            if (n <= 0) {
                close(p[i].fd);
                p[i].fd = -1;
                open_count--;
            } else {
                len[i] += (size_t)n;
            }
        }
    }
    buf[0][len[0]] = '\0';
    buf[1][len[1]] = '\0';
    *out = buf[0];
    *err = buf[1];
}

void cli_run_raw(struct cli_result *r, const struct cli_env *e, const char *stdin_text,
                 const char *const *argv, long fsize_limit)
{
    int in[2], out[2], err[2], wstatus;
    pid_t pid;

    cr_assert_eq(pipe(in), 0);
    cr_assert_eq(pipe(out), 0);
    cr_assert_eq(pipe(err), 0);
    pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        setsid(); /* no controlling terminal: prompts must not find one */
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(err[1], 2);
        close(in[1]);
        close(out[0]);
        close(err[0]);
        cli_child_env(e, 0);
        if (fsize_limit > 0) {
            struct rlimit rl = { (rlim_t)fsize_limit, (rlim_t)fsize_limit };
            signal(SIGXFSZ, SIG_IGN);
            setrlimit(RLIMIT_FSIZE, &rl);
        }
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    close(err[1]);
    if (stdin_text != NULL) {
        size_t n = strlen(stdin_text);
        signal(SIGPIPE, SIG_IGN);
        if (write(in[1], stdin_text, n) != (ssize_t)n) {
            /* the program may not read it all; that is its business */
        }
    }
    close(in[1]);
    drain(out[0], err[0], &r->out, &r->err);
    cr_assert_eq(waitpid(pid, &wstatus, 0), pid);
    r->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
}

void cli_run(struct cli_result *r, const struct cli_env *e, const char *stdin_text,
             const char *const *args)
{
    const char *argv[CLI_ARGV_MAX];

    cli_argv(e, args, argv);
    cli_run_raw(r, e, stdin_text, argv, 0);
}

void cli_result_free(struct cli_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

void cli_init_vault(const struct cli_env *e)
{
    struct cli_result r;
    cli_run(&r, e, NULL, ARGS("init", "--kdf-memory", "1M", "--kdf-time", "1"));
    cr_assert_eq(r.status, 0, "init failed: %s", r.err);
    cli_result_free(&r);
}

void cli_add_uris(const struct cli_env *e, const char *uris)
{
    struct cli_result r;
    cli_run(&r, e, uris, ARGS("add", "--uri", "-"));
    cr_assert_eq(r.status, 0, "add failed: %s", r.err);
    cli_result_free(&r);
}

pid_t cli_spawn(const struct cli_env *e, const char *stdin_text, const char *const *args,
                const char *err_path, unsigned flags)
{
    const char *argv[CLI_ARGV_MAX];
    size_t len = stdin_text != NULL ? strlen(stdin_text) : 0;
    int in[2];
    pid_t pid;

    cr_assert_lt(len, 4096, "stdin text must fit in a pipe");
    cli_argv(e, args, argv);
    cr_assert_eq(pipe(in), 0);
    /* Written before the child runs: small enough never to block, and a child killed early
     * must not leave us blocked on a full pipe. */
    cr_assert_eq(write(in[1], stdin_text != NULL ? stdin_text : "", len), (ssize_t)len);
    close(in[1]);
    pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        int err = err_path != NULL ? open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600) : null;
        setsid();
        cli_child_env(e, flags);
        dup2(in[0], 0);
        dup2(null, 1);
        dup2(err, 2);
        if ((flags & CLI_SPAWN_TRACED) && ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0)
            _exit(126);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(in[0]);
    return pid;
}

int cli_wait(pid_t pid)
{
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        cr_assert_eq(errno, EINTR, "waitpid: %s", strerror(errno));
    return status;
}

long long cli_now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000LL + t.tv_nsec / 1000;
}
