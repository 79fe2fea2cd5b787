/* Starting the otpvault binary without waiting for it, for the crash-safety tests: kills at
 * chosen moments (after a delay, or at the Nth system call under ptrace) and several writers
 * at once. The child gets the environment cli_run gives (cli_run.h). */
#ifndef TESTS_CLI_SPAWN_H
#define TESTS_CLI_SPAWN_H

#include <stdbool.h>
#include <sys/types.h>

#include "cli_run.h"

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

#endif
