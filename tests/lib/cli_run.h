/* The tests' one process runner: the otpvault binary with argv, stdin text, captured
 * stdout/stderr and exit status (cli_run); started without waiting, to be killed at chosen
 * moments (cli_spawn); on a pseudo-terminal (cli_pty.h, through the same environment and
 * argv). Each test gets its own directory with HOME and XDG_* pointing inside it. */
#ifndef TESTS_CLI_RUN_H
#define TESTS_CLI_RUN_H

#include <stddef.h>
#include <sys/types.h>

struct cli_result {
    int status;       /* exit status, or 128 + signal */
    char *out;
    char *err;
};

struct cli_env {
    char dir[256];        /* private temp directory */
    char vault[320];      /* dir/vault.otpv */
    char passfile[320];   /* dir/pass, holds "correct horse" */
};

/* Creates the directory and passphrase file; the vault is not created. */
void cli_env_setup(struct cli_env *e);
/* Removes the directory and everything in it. */
void cli_env_teardown(struct cli_env *e);
/* Runs `otpvault --vault V --passphrase-file P <args...>` unless raw, with stdin text (or
 * /dev/null). The child has no controlling terminal. fsize_limit > 0 sets RLIMIT_FSIZE. */
void cli_run(struct cli_result *r, const struct cli_env *e, const char *stdin_text,
             const char *const *args);
void cli_run_raw(struct cli_result *r, const struct cli_env *e, const char *stdin_text,
                 const char *const *argv, long fsize_limit);
void cli_result_free(struct cli_result *r);

/* What every child gets, for cli_pty.c too: the environment of the test's directory (in the
 * child, after fork), and `otpvault --vault V --passphrase-file P <args...>` in argv. */
#define CLI_ARGV_MAX 64
void cli_child_env(const struct cli_env *e, unsigned flags);
void cli_argv(const struct cli_env *e, const char *const *args, const char **argv);

/* ---- started without waiting, for the crash-safety tests: kills at chosen moments (after a
 * delay, or at the Nth system call under ptrace) and several writers at once ---- */
enum {
    CLI_SPAWN_TRACED = 1,   /* stop at the exec under ptrace (PTRACE_TRACEME), for the caller */
    CLI_SPAWN_TO_KILL = 2,  /* will be killed: no LeakSanitizer pass, which a kill can catch
                             * half-way (it then reports a thread it cannot stop) */
};

/* Starts `otpvault --vault V --passphrase-file P <args...>` with stdin_text (at most a pipe's
 * worth) on stdin; stdout goes to /dev/null and stderr to err_path (NULL: /dev/null). */
pid_t cli_spawn(const struct cli_env *e, const char *stdin_text, const char *const *args,
                const char *err_path, unsigned flags);

/* waitpid that retries on EINTR; returns the raw status. */
int cli_wait(pid_t pid);

/* Microseconds since an arbitrary start (CLOCK_MONOTONIC). */
long long cli_now_us(void);

/* init with a small KDF (fast tests); asserts success. */
void cli_init_vault(const struct cli_env *e);
/* Adds accounts from URI lines; asserts success. */
void cli_add_uris(const struct cli_env *e, const char *uris);

/* File helpers. */
char *read_file(const char *path, size_t *len);
void write_file(const char *path, const void *data, size_t len);

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

#endif
