/* See cli_spawn.h. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli_spawn.h"

static void child_env(const struct cli_env *e, bool no_leak_check)
{
    char path[300];

    setsid();
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
    if (no_leak_check) {
        const char *old = getenv("ASAN_OPTIONS");
        char opts[1024];
        snprintf(opts, sizeof opts, "%s%sdetect_leaks=0", old != NULL ? old : "",
                 old != NULL && old[0] != '\0' ? ":" : "");
        setenv("ASAN_OPTIONS", opts, 1);
    }
}

pid_t cli_spawn(const struct cli_env *e, const char *stdin_text, const char *const *args,
                const char *err_path, unsigned flags)
{
    const char *bin = getenv("OTPVAULT_BIN");
    const char *argv[64];
    size_t n = 0, len = stdin_text != NULL ? strlen(stdin_text) : 0;
    int in[2];
    pid_t pid;

    cr_assert_not_null(bin, "OTPVAULT_BIN must be set");
    cr_assert_lt(len, 4096, "stdin text must fit in a pipe");
    argv[n++] = bin;
    argv[n++] = "--vault";
    argv[n++] = e->vault;
    argv[n++] = "--passphrase-file";
    argv[n++] = e->passfile;
    for (; *args != NULL && n < 63; args++)
        argv[n++] = *args;
    argv[n] = NULL;
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
        child_env(e, flags != 0);
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
