/* Running the otpvault binary from tests: argv, stdin text, captured stdout/stderr, exit
 * status; each test gets its own directory with HOME and XDG_* pointing inside it. */
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
/* init with a small KDF (fast tests); asserts success. */
void cli_init_vault(const struct cli_env *e);
/* Adds accounts from URI lines; asserts success. */
void cli_add_uris(const struct cli_env *e, const char *uris);

/* File helpers. */
char *read_file(const char *path, size_t *len);
void write_file(const char *path, const void *data, size_t len);

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

#endif
