/* Shared between the CLI's files: the parsed command line and small I/O helpers.
 * Nothing here is part of the core. */
#ifndef OTPVAULT_CLI_INTERNAL_H
#define OTPVAULT_CLI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/cli.h"
#include "otpvault/config.h"
#include "otpvault/error.h"
#include "otpvault/vault.h"

#define CLI_MAX_POSITIONAL 64

/* Everything the command line said, after parsing. Option values point into argv. */
struct cli {
    const char *command;
    const char *positional[CLI_MAX_POSITIONAL];
    size_t npositional;

    const char *vault_opt;
    const char *passphrase_file;
    const char *new_passphrase_file;
    const char *config_opt;
    bool json;
    bool yes;
    bool force;
    bool next;            /* code --next: advance an HOTP counter */
    bool has_at;
    int64_t at;
    const char *uri;
    const char *kdf_memory;
    const char *kdf_time;
    /* edit / add overrides */
    const char *issuer;
    const char *name;
    const char *group;
    const char *note;
    const char *type;
    const char *algorithm;
    const char *digits;
    const char *period;
    const char *counter;
    /* import */
    bool dry_run;
    bool allow_partial;
    const char *format;
    const char *import_password_file;
    /* export, qr, backup, drill */
    const char *output;
    const char *export_password_file;
    bool migration;
    const char *png;
    const char *backup_passphrase_file;
    bool other_passphrase;
    bool replace;
    const char *other_passphrase_file;   /* merge */

    struct ov_config config;
    char *vault_path;
};

/* Prints "otpvault: <message>" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* printf to out, the whole text in its display form (display.h) but for one final newline:
 * for lines that quote untrusted text (names, file names). */
void cli_out(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes the display form (display.h) of untrusted text: names, issuers, file names. */
void cli_print_shown(FILE *out, const char *untrusted);
/* Prints err's message and returns the exit status its code maps to. */
int cli_fail(const struct ov_error *err);
int cli_exit_status(int ov_status);

/* Passphrases: from a file (first line) or the terminal with echo off. The result is in
 * secure memory; free with ov_secure_free_str. NULL on failure (message already printed). */
char *cli_read_passphrase_file(const char *path);
/* file_option names the option that avoids the prompt, for the message when there is no
 * terminal ("--passphrase-file"); NULL if there is none. */
char *cli_prompt_secret(const char *prompt, const char *file_option);

/* A line of input for interactive prompts: from the terminal when there is one, else from
 * stdin (so scripts and tests can answer). Returns malloc'd text without the newline, or
 * NULL at end of input. def is shown in brackets and returned for an empty answer. */
char *cli_prompt_line(const char *prompt, const char *def);
/* A hidden answer (echo off on a terminal; a plain line from stdin otherwise), in secure
 * memory. */
char *cli_prompt_hidden(const char *prompt);
bool cli_confirm(const char *question);
/* One line of stdin in secure memory (for URIs holding secrets); NULL at end of input. */
char *cli_read_stdin_line_secure(void);
bool cli_have_tty(void);

/* Opens the vault at c->vault_path, asking for the passphrase. Returns an exit status. */
int cli_open_vault(const struct cli *c, struct ov_vault *v);
/* The same for the vault file at path; keep_pass (may be NULL) receives the passphrase
 * (secure memory, ov_secure_free_str) when it opened, to try it on other copies. */
int cli_open_vault_at(const struct cli *c, const char *path, struct ov_vault *v,
                      char **keep_pass);
/* Saves and reports; returns an exit status. */
int cli_save_vault(struct ov_vault *v);
/* Takes the writer lock for a read-modify-write (ov_vault_begin_write): other writers wait
 * their turn instead of failing. *reloaded (may be NULL) says the vault was read again
 * because another process saved it since it was opened. Prompts come before, never after:
 * the lock is not held while a person types. */
int cli_begin_write(struct ov_vault *v, bool *reloaded);
/* The same, saying how many conflict copies were beside the vault (merged or not). */
int cli_begin_write_found(struct ov_vault *v, bool *reloaded, size_t *conflicts_found);

/* Commands, each returning an exit status. */
int cmd_init(struct cli *c);
int cmd_passwd(struct cli *c);
int cmd_list(struct cli *c);
int cmd_code(struct cli *c);
/* code --next QUERY (cli_edit.c): the next HOTP code, its counter saved first. */
int cli_code_next(struct cli *c);
int cmd_add(struct cli *c);
int cmd_rm(struct cli *c);
int cmd_edit(struct cli *c);
int cmd_formats(struct cli *c);
int cmd_import(struct cli *c);
int cmd_export(struct cli *c);
int cmd_qr(struct cli *c);
int cmd_backup(struct cli *c);
int cmd_drill(struct cli *c);
/* backup restore FILE where no vault exists yet (cli_restore.c). */
int cli_restore_new_machine(struct cli *c, const char *path);
int cmd_merge(struct cli *c);
int cmd_merge_driver(struct cli *c);
int cmd_sync(struct cli *c);
/* Merges the conflict copies beside v (merge.h) and says what came in; an exit status.
 * *found (may be NULL): how many there were. Run by cli_begin_write, with the lock held. */
int cli_merge_conflict_copies(struct ov_vault *v, size_t *found);

/* After a command: says on stderr when the automatic backup could not be made. */
void cli_report_auto_backup(void);
/* A new secret typed twice on the terminal (or read from file): NULL after a message when
 * it is missing, empty or the two differ. what: "export password". */
char *cli_new_secret(const char *file, const char *what, const char *file_option);

/* JSON output of accounts per the contract (design.md section 4). */
enum cli_json_secret { CLI_JSON_NO_SECRET = 0, CLI_JSON_WITH_SECRET = 1 };
struct json_t;
void *cli_json_account(const struct ov_account *a, enum cli_json_secret with_secret);
void cli_json_print_array(void *array);

/* Parses "64M", "1G", "512K" (KiB, MiB, GiB; a bare number is MiB) into KiB. */
int cli_parse_size_kib(const char *text, uint32_t *kib);
int cli_parse_uint(const char *text, uint64_t max, uint64_t *out);
int cli_parse_int64(const char *text, int64_t *out);

#endif
