/* Running the otpvault binary on a pseudo-terminal, for the tests of what reaches a terminal:
 * stdin, stdout and stderr are all the terminal (as for a person at a shell), and every byte
 * the terminal receives is captured exactly (no output processing, no echo). The child gets
 * the environment cli_run gives (cli_run.h). */
#ifndef TESTS_CLI_PTY_H
#define TESTS_CLI_PTY_H

#include <stdbool.h>
#include <stddef.h>

#include "tests/lib/cli_run.h"

struct cli_pty_result {
    int status;     /* exit status, or 128 + signal */
    char *bytes;    /* everything written to the terminal, NUL-terminated */
    size_t len;
};

/* Runs `otpvault --vault V --passphrase-file P <args...>`, typing `typed` (may be NULL) once
 * the program has started; gives up (and kills it) after 20 s. */
void cli_run_pty(struct cli_pty_result *r, const struct cli_env *e, const char *typed,
                 const char *const *args);
void cli_pty_result_free(struct cli_pty_result *r);

/* Whether bytes are safe for a terminal: valid UTF-8 holding no control character but
 * newline (no ESC, BEL, CR, DEL, C1) and nothing else the display form escapes (bidi,
 * invisible formatting). On failure, *where is the offset of the first bad byte. */
bool cli_terminal_safe(const char *bytes, size_t len, size_t *where);

#endif
