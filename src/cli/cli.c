/* Command-line entry: option parsing, configuration, dispatch, help. */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_internal.h"
#include "otpvault/backup.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/mem.h"
#include "otpvault/otp.h"
#include "otpvault/sync.h"
#include "tui/app.h"

/* Which commands accept an option: one bit per command in the table below. */
enum {
    C_INIT = 1 << 0, C_LIST = 1 << 1, C_CODE = 1 << 2, C_ADD = 1 << 3, C_RM = 1 << 4,
    C_EDIT = 1 << 5, C_PASSWD = 1 << 6, C_FORMATS = 1 << 7, C_IMPORT = 1 << 8,
    C_EXPORT = 1 << 9, C_QR = 1 << 10, C_BACKUP = 1 << 11, C_DRILL = 1 << 12,
    C_MERGE = 1 << 13, C_MERGE_DRIVER = 1 << 14, C_SYNC = 1 << 15,
    C_ALL = 0x7fffffff,
};

struct command {
    const char *name;
    unsigned bit;
    int (*run)(struct cli *c);
    size_t min_args, max_args;
    const char *usage;     /* every option that applies is in it (tests/cli/test_cli_help.c) */
    const char *summary;   /* what `otpvault COMMAND --help` says under the usage */
};

static const struct command commands[] = {
    { "init", C_INIT, cmd_init, 0, 0, "init [--kdf-memory SIZE] [--kdf-time N]",
      "Creates an empty vault; the passphrase is asked twice (or read from --passphrase-file)." },
    { "list", C_LIST, cmd_list, 0, 1, "list [QUERY] [--json]",
      "Lists the accounts QUERY matches (all without one), never their secrets." },
    { "code", C_CODE, cmd_code, 0, 1, "code [QUERY] [--at UNIX_SECONDS] [--json] [--next]",
      "Prints current codes: only the code when QUERY matches one account, else a line each\n"
      "with the seconds left. HOTP codes are shown at the stored counter; --next QUERY takes\n"
      "the next one, saving the counter first, so that no code is ever given twice." },
    { "add", C_ADD, cmd_add, 0, 0,
      "add [--uri URI|-] [--issuer S] [--name S] [--group S] [--note S] [--force]",
      "Adds accounts from otpauth:// URIs (--uri -: one a line on standard input), or asks\n"
      "for the fields one by one. An account already in the vault is skipped." },
    { "rm", C_RM, cmd_rm, 1, 1, "rm QUERY [--yes]",
      "Removes the one account QUERY designates, after a confirmation (or --yes)." },
    { "edit", C_EDIT, cmd_edit, 1, 1,
      "edit QUERY [--issuer S] [--name S] [--group S] [--note S] [--type T] [--algorithm A] "
      "[--digits N] [--period N] [--counter N]",
      "Changes the one account QUERY designates; without options, issuer, name and group\n"
      "are asked." },
    { "passwd", C_PASSWD, cmd_passwd, 0, 0,
      "passwd [--new-passphrase-file F] [--kdf-memory SIZE] [--kdf-time N]",
      "Re-encrypts the vault under a new passphrase and a new salt." },
    { "import", C_IMPORT, cmd_import, 1, CLI_MAX_POSITIONAL,
      "import [--dry-run] [--json] [--format NAME] [--import-password-file F] "
      "[--allow-partial] FILE|- ...",
      "Imports accounts from pictures of QR codes, URI lists and other apps' export files\n"
      "(otpvault formats lists them), recognised by content. The vault is saved once." },
    { "export", C_EXPORT, cmd_export, 0, 0,
      "export --format NAME [-o FILE] [--force] [--export-password-file F]",
      "Writes every account in another app's format, to FILE (0600, atomically) or to\n"
      "standard output. Accounts the format cannot carry are named and left out." },
    { "qr", C_QR, cmd_qr, 0, 1, "qr [QUERY] [--migration] [--png PATH] [--force]",
      "Shows QR codes for a phone to scan: the otpauth:// code of one account, or Google\n"
      "Authenticator transfer codes (--migration); --png writes them as pictures." },
    { "backup", C_BACKUP, cmd_backup, 1, 2,
      "backup create [DIR] [--other-passphrase|--backup-passphrase-file F] | backup list "
      "[DIR] | backup verify FILE | backup restore FILE [--replace] [--yes] "
      "[--new-passphrase-file F]",
      "Encrypted copies of the vault: create one, list them with their age, verify one\n"
      "against the vault, or restore one (its missing accounts, or all with --replace).\n"
      "Where there is no vault yet, restore creates it from the backup (a new machine)." },
    { "drill", C_DRILL, cmd_drill, 0, 1, "drill [FILE] [--backup-passphrase-file F]",
      "Recovery drill: opens the newest backup (or FILE) in memory and checks that every\n"
      "account of the vault would come back and give the same code." },
    { "merge", C_MERGE, cmd_merge, 1, 1,
      "merge OTHER [--dry-run] [--other-passphrase-file F]",
      "Merges another copy of the vault (another machine's, a USB stick's) into this one:\n"
      "what either added is kept, a deletion goes through unless the account was changed\n"
      "afterwards, of two edits the later wins (the other is named), HOTP counters take\n"
      "the larger. --dry-run shows what would change." },
    { "merge-driver", C_MERGE_DRIVER, cmd_merge_driver, 3, 3,
      "merge-driver BASE OURS THEIRS [--other-passphrase-file F]",
      "The git merge driver (%O %A %B): merges THEIRS into OURS with BASE as the common\n"
      "ancestor and writes the result to OURS. Set up in otpvault(1), \"Several machines\"." },
    { "sync", C_SYNC, cmd_sync, 0, 0, "sync",
      "Merges now the conflict copies a sync tool (Syncthing, Nextcloud, Dropbox) left\n"
      "beside the vault, as any change to the vault does first, and removes them." },
    { "formats", C_FORMATS, cmd_formats, 0, 0, "formats", "Lists the import and export formats." },
};

enum opt_id {
    O_VAULT, O_PASSFILE, O_NEWPASSFILE, O_CONFIG, O_JSON, O_YES, O_FORCE, O_AT, O_URI,
    O_KDF_MEMORY, O_KDF_TIME, O_ISSUER, O_NAME, O_GROUP, O_NOTE, O_TYPE, O_ALGORITHM,
    O_DIGITS, O_PERIOD, O_COUNTER, O_HELP, O_VERSION, O_DRY_RUN, O_ALLOW_PARTIAL, O_FORMAT,
    O_IMPORT_PASSFILE, O_OUTPUT, O_EXPORT_PASSFILE, O_MIGRATION, O_PNG, O_BACKUP_PASSFILE,
    O_OTHER_PASSPHRASE, O_REPLACE, O_NEXT, O_OTHER_PASSFILE,
};

struct option_spec {
    const char *name;
    char short_name;
    bool has_arg;
    enum opt_id id;
    unsigned commands;
};

static const struct option_spec options[] = {
    { "vault", 0, true, O_VAULT, C_ALL },
    { "passphrase-file", 0, true, O_PASSFILE, C_ALL },
    { "config", 0, true, O_CONFIG, C_ALL },
    { "help", 'h', false, O_HELP, C_ALL },
    { "version", 'V', false, O_VERSION, C_ALL },
    { "new-passphrase-file", 0, true, O_NEWPASSFILE, C_PASSWD | C_BACKUP },
    { "json", 0, false, O_JSON, C_LIST | C_CODE | C_IMPORT },
    { "dry-run", 'n', false, O_DRY_RUN, C_IMPORT | C_MERGE },
    { "other-passphrase-file", 0, true, O_OTHER_PASSFILE, C_MERGE | C_MERGE_DRIVER },
    { "allow-partial", 0, false, O_ALLOW_PARTIAL, C_IMPORT },
    { "format", 0, true, O_FORMAT, C_IMPORT | C_EXPORT },
    { "import-password-file", 0, true, O_IMPORT_PASSFILE, C_IMPORT },
    { "yes", 'y', false, O_YES, C_RM | C_BACKUP },
    { "force", 'f', false, O_FORCE, C_ADD | C_EXPORT | C_QR },
    { "output", 'o', true, O_OUTPUT, C_EXPORT },
    { "export-password-file", 0, true, O_EXPORT_PASSFILE, C_EXPORT },
    { "migration", 'm', false, O_MIGRATION, C_QR },
    { "png", 0, true, O_PNG, C_QR },
    { "backup-passphrase-file", 0, true, O_BACKUP_PASSFILE, C_BACKUP | C_DRILL },
    { "other-passphrase", 0, false, O_OTHER_PASSPHRASE, C_BACKUP },
    { "replace", 0, false, O_REPLACE, C_BACKUP },
    { "at", 0, true, O_AT, C_CODE },
    { "next", 0, false, O_NEXT, C_CODE },
    { "uri", 0, true, O_URI, C_ADD },
    { "kdf-memory", 0, true, O_KDF_MEMORY, C_INIT | C_PASSWD },
    { "kdf-time", 0, true, O_KDF_TIME, C_INIT | C_PASSWD },
    { "issuer", 0, true, O_ISSUER, C_ADD | C_EDIT },
    { "name", 0, true, O_NAME, C_ADD | C_EDIT },
    { "group", 0, true, O_GROUP, C_ADD | C_EDIT },
    { "note", 0, true, O_NOTE, C_ADD | C_EDIT },
    { "type", 0, true, O_TYPE, C_EDIT },
    { "algorithm", 0, true, O_ALGORITHM, C_EDIT },
    { "digits", 0, true, O_DIGITS, C_EDIT },
    { "period", 0, true, O_PERIOD, C_EDIT },
    { "counter", 0, true, O_COUNTER, C_EDIT },
};

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* What `otpvault COMMAND --help` says of each option: "ARG  what it does". */
static const char *const option_help[] = {
    [O_VAULT] = "PATH  the vault file",
    [O_PASSFILE] = "F  the vault passphrase from the first line of F",
    [O_CONFIG] = "PATH  the config file",
    [O_HELP] = "this help",
    [O_VERSION] = "the version",
    [O_NEWPASSFILE] = "F  the new passphrase from the first line of F, not asked (restore "
                      "on a new machine: the new vault's)",
    [O_JSON] = "JSON output (the contract in otpvault(1))",
    [O_DRY_RUN] = "show what would be imported or merged; change nothing",
    [O_OTHER_PASSFILE] = "F  the other copy's passphrase from the first line of F (when it "
                         "is not the vault's)",
    [O_ALLOW_PARTIAL] = "import what was read of an incomplete Google Authenticator export",
    [O_FORMAT] = "NAME  the format (see otpvault formats), not recognised by content",
    [O_IMPORT_PASSFILE] = "F  the export file's password from the first line of F",
    [O_YES] = "no confirmation asked",
    [O_FORCE] = "add: what the vault has already too; export, qr: over a file, to a terminal",
    [O_OUTPUT] = "FILE  write to FILE (0600, atomically) instead of standard output",
    [O_EXPORT_PASSFILE] = "F  the password of an encrypted export from the first line of F",
    [O_MIGRATION] = "Google Authenticator \"Transfer accounts\" codes",
    [O_PNG] = "PATH  write PNG pictures into the directory PATH, or to the file PATH",
    [O_BACKUP_PASSFILE] = "F  the backup's own passphrase from the first line of F",
    [O_OTHER_PASSPHRASE] = "encrypt the backup under a passphrase of its own (asked twice)",
    [O_REPLACE] = "restore: the vault becomes the backup (after a backup of the vault)",
    [O_AT] = "UNIX_SECONDS  the codes at that time",
    [O_NEXT] = "HOTP: the next code; the counter goes up and is saved before it shows",
    [O_URI] = "URI|-  the account's otpauth:// URI; - reads one a line from standard input",
    [O_KDF_MEMORY] = "SIZE  Argon2id memory (K, M or G; a bare number is MiB)",
    [O_KDF_TIME] = "N  Argon2id passes",
    [O_ISSUER] = "S  the issuer",
    [O_NAME] = "S  the account name",
    [O_GROUP] = "S  the group",
    [O_NOTE] = "S  the note",
    [O_TYPE] = "T  totp, hotp or steam",
    [O_ALGORITHM] = "A  SHA1, SHA256, SHA512 or MD5",
    [O_DIGITS] = "N  digits of a code",
    [O_PERIOD] = "N  seconds a code lasts",
    [O_COUNTER] = "N  the HOTP counter",
};

static void print_help(FILE *out)
{
    fputs("usage: otpvault [--vault PATH] [--passphrase-file F] [--config PATH] [COMMAND [ARGS]]\n"
          "\n"
          "A terminal authenticator: TOTP/HOTP codes over an encrypted vault.\n"
          "With no command on a terminal, the full-screen app starts (? there lists the keys).\n"
          "\n"
          "commands:\n", out);
    for (size_t i = 0; i < COUNT(commands); i++)
        fprintf(out, "  %s\n", commands[i].usage);
    fputs("\n"
          "global options:\n"
          "  --vault PATH            vault file (default $OTPVAULT_VAULT, the config's\n"
          "                          'vault', else $XDG_DATA_HOME/otpvault/vault.otpv)\n"
          "  --passphrase-file F     read the vault passphrase from the first line of F\n"
          "                          (/dev/fd/N works); otherwise it is asked on the terminal\n"
          "  --config PATH           config file (default $XDG_CONFIG_HOME/otpvault/config.yaml)\n"
          "  -h, --help              this help\n"
          "  -V, --version           the version\n"
          "\n"
          "exit status: 0 ok, 1 an operation failed, 2 usage error,\n"
          "             3 wrong passphrase or damaged vault (nothing was changed)\n"
          "\n"
          "See otpvault(1) for details and examples.\n", out);
}

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < COUNT(commands); i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

/* `otpvault COMMAND --help`: the usage, what it does, and each option it takes, from the
 * same tables the parser reads, so that help and parser cannot disagree. */
static void print_command_help(FILE *out, const struct command *cmd)
{
    fprintf(out, "usage: otpvault %s\n\n%s\n\noptions:\n", cmd->usage, cmd->summary);
    for (size_t i = 0; i < COUNT(options); i++) {
        const struct option_spec *o = &options[i];
        const char *help = option_help[o->id], *gap = strstr(help, "  ");
        char left[40];

        if (o->commands == C_ALL || (o->commands & cmd->bit) == 0)
            continue;
        /* "ARG  what" splits into the option's argument and its description. */
        if (o->has_arg && gap != NULL)
            snprintf(left, sizeof left, "--%s %.*s", o->name, (int)(gap - help), help);
        else
            snprintf(left, sizeof left, "--%s", o->name);
        if (o->short_name != 0)
            fprintf(out, "  -%c, %-24s %s\n", o->short_name, left,
                    o->has_arg && gap != NULL ? gap + 2 : help);
        else
            fprintf(out, "  %-28s %s\n", left, o->has_arg && gap != NULL ? gap + 2 : help);
    }
    fputs("\nglobal options (otpvault --help): --vault PATH, --passphrase-file F, --config PATH\n"
          "See otpvault(1) for details and examples.\n", out);
}

/* Edits (insertions, deletions, substitutions, swaps of neighbours) from a to b, counted
 * up to 3: enough to tell a typo from another word. */
static unsigned edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned d[16][16];

    if (la >= 16 || lb >= 16)
        return 3;
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (unsigned)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            unsigned best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb] < 3 ? d[la][lb] : 3;
}

/* The command a mistyped name most likely meant, or NULL: one edit away (two for longer
 * names), or the only command it is the start of. */
static const struct command *nearest_command(const char *name)
{
    const struct command *best = NULL, *prefixed = NULL;
    unsigned best_d = 3;
    size_t nprefixed = 0, len = strlen(name);

    for (size_t i = 0; i < COUNT(commands); i++) {
        unsigned d = edit_distance(name, commands[i].name);
        unsigned allowed = strlen(commands[i].name) > 4 ? 2 : 1;
        if (d <= allowed && d < best_d) {
            best = &commands[i];
            best_d = d;
        }
        if (len >= 2 && strncmp(commands[i].name, name, len) == 0) {
            prefixed = &commands[i];
            nprefixed++;
        }
    }
    if (best == NULL && nprefixed == 1)
        best = prefixed;
    return best;
}

static const struct option_spec *find_option(const char *name, size_t len, char short_name)
{
    for (size_t i = 0; i < COUNT(options); i++) {
        if (short_name != 0 ? options[i].short_name == short_name
                            : strlen(options[i].name) == len &&
                                  strncmp(options[i].name, name, len) == 0)
            return &options[i];
    }
    return NULL;
}

static void store_option(struct cli *c, enum opt_id id, const char *value)
{
    switch (id) {
    case O_VAULT: c->vault_opt = value; break;
    case O_PASSFILE: c->passphrase_file = value; break;
    case O_NEWPASSFILE: c->new_passphrase_file = value; break;
    case O_CONFIG: c->config_opt = value; break;
    case O_JSON: c->json = true; break;
    case O_YES: c->yes = true; break;
    case O_FORCE: c->force = true; break;
    case O_NEXT: c->next = true; break;
    case O_AT: c->has_at = true; break; /* parsed after dispatch, to report it well */
    case O_URI: c->uri = value; break;
    case O_KDF_MEMORY: c->kdf_memory = value; break;
    case O_KDF_TIME: c->kdf_time = value; break;
    case O_ISSUER: c->issuer = value; break;
    case O_NAME: c->name = value; break;
    case O_GROUP: c->group = value; break;
    case O_NOTE: c->note = value; break;
    case O_TYPE: c->type = value; break;
    case O_ALGORITHM: c->algorithm = value; break;
    case O_DIGITS: c->digits = value; break;
    case O_PERIOD: c->period = value; break;
    case O_COUNTER: c->counter = value; break;
    case O_DRY_RUN: c->dry_run = true; break;
    case O_ALLOW_PARTIAL: c->allow_partial = true; break;
    case O_FORMAT: c->format = value; break;
    case O_IMPORT_PASSFILE: c->import_password_file = value; break;
    case O_OUTPUT: c->output = value; break;
    case O_EXPORT_PASSFILE: c->export_password_file = value; break;
    case O_MIGRATION: c->migration = true; break;
    case O_PNG: c->png = value; break;
    case O_BACKUP_PASSFILE: c->backup_passphrase_file = value; break;
    case O_OTHER_PASSPHRASE: c->other_passphrase = true; break;
    case O_REPLACE: c->replace = true; break;
    case O_OTHER_PASSFILE: c->other_passphrase_file = value; break;
    case O_HELP: case O_VERSION: break;
    }
}

struct seen_option {
    const struct option_spec *spec;
    const char *spelled;
};

/* Options may come before or after the command; which ones a command takes is checked once
 * the command is known. Returns 0, or 2 after printing a usage error. */
static int parse_args(int argc, char **argv, struct cli *c, bool *help, bool *version,
                      const char **at_text)
{
    struct seen_option seen[64];
    size_t nseen = 0;
    bool only_positional = false;

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const struct option_spec *spec = NULL;
        const char *value = NULL;

        if (only_positional || arg[0] != '-' || strcmp(arg, "-") == 0) {
            if (c->command == NULL) {
                c->command = arg;
            } else if (c->npositional < CLI_MAX_POSITIONAL) {
                c->positional[c->npositional++] = arg;
            } else {
                cli_error("too many arguments");
                return OV_EXIT_USAGE;
            }
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_positional = true;
            continue;
        }
        if (arg[1] == '-') {
            const char *eq = strchr(arg + 2, '=');
            size_t len = eq != NULL ? (size_t)(eq - arg - 2) : strlen(arg + 2);
            spec = find_option(arg + 2, len, 0);
            if (eq != NULL)
                value = eq + 1;
        } else if (arg[2] == '\0') {
            spec = find_option(NULL, 0, arg[1]);
        }
        if (spec == NULL) {
            cli_error("unknown option '%s' (see otpvault --help)", arg);
            return OV_EXIT_USAGE;
        }
        if (spec->has_arg && value == NULL) {
            if (i + 1 >= argc) {
                cli_error("option --%s needs a value", spec->name);
                return OV_EXIT_USAGE;
            }
            value = argv[++i];
        } else if (!spec->has_arg && value != NULL) {
            cli_error("option --%s takes no value", spec->name);
            return OV_EXIT_USAGE;
        }
        if (spec->id == O_HELP)
            *help = true;
        else if (spec->id == O_VERSION)
            *version = true;
        else if (spec->id == O_AT)
            *at_text = value;
        store_option(c, spec->id, value);
        if (nseen < COUNT(seen))
            seen[nseen++] = (struct seen_option){ spec, arg };
    }

    if (c->command != NULL) {
        const struct command *cmd = find_command(c->command);
        if (cmd == NULL)
            return OV_EXIT_OK; /* reported by the caller */
        for (size_t i = 0; i < nseen; i++) {
            if ((seen[i].spec->commands & cmd->bit) == 0) {
                cli_error("option --%s does not apply to '%s' (usage: otpvault %s)",
                          seen[i].spec->name, cmd->name, cmd->usage);
                return OV_EXIT_USAGE;
            }
        }
    }
    return OV_EXIT_OK;
}

/* --vault, then $OTPVAULT_VAULT, then the config file, then the XDG default. */
static char *resolve_vault_path(const struct cli *c)
{
    const char *env = getenv("OTPVAULT_VAULT");

    if (c->vault_opt != NULL)
        return ov_xstrdup(c->vault_opt);
    if (env != NULL && env[0] != '\0')
        return ov_xstrdup(env);
    if (c->config.vault_path != NULL)
        return ov_xstrdup(c->config.vault_path);
    return ov_default_vault_path();
}

static int load_config(struct cli *c)
{
    struct ov_error err = { 0 };
    char *path = c->config_opt != NULL ? ov_xstrdup(c->config_opt) : ov_default_config_path();
    int rc;

    ov_config_defaults(&c->config);
    /* An explicit --config must exist; the default location is optional. */
    rc = path != NULL ? ov_config_load(path, c->config_opt == NULL, &c->config, &err) : OV_OK;
    free(path);
    if (rc != OV_OK)
        return cli_fail(&err);
    ov_set_clock_offset(c->config.clock_offset);
    ov_sync_set_tombstone_days(c->config.sync_tombstone_days);
    /* Every save from here on (any command, the app) makes a backup when backup.dir is set. */
    ov_backup_auto_enable(c->config.backup_dir, c->config.backup_keep);
    return OV_EXIT_OK;
}

/* No command on a terminal: the full-screen app, with the same config and vault path. */
static int run_app(struct cli *c)
{
    struct ov_tui_opts opts;
    int status = load_config(c);

    if (status != OV_EXIT_OK)
        return status;
    c->vault_path = resolve_vault_path(c);
    if (c->vault_path == NULL) {
        cli_error("no vault path: set --vault, $OTPVAULT_VAULT or $HOME");
        status = OV_EXIT_USAGE;
    } else {
        opts.vault_path = c->vault_path;
        opts.passphrase_file = c->passphrase_file;
        opts.config = &c->config;
        status = ov_tui_main(&opts);
    }
    free(c->vault_path);
    ov_config_free(&c->config);
    return status;
}

static int unknown_command(const char *name)
{
    const struct command *near = nearest_command(name);
    char shown[64];

    ov_text_excerpt(name, strlen(name), 40, shown, sizeof shown);
    if (near != NULL)
        cli_error("unknown command '%s': did you mean '%s'? (see otpvault --help)", shown,
                  near->name);
    else
        cli_error("unknown command '%s' (see otpvault --help)", shown);
    return OV_EXIT_USAGE;
}

int ov_cli_main(int argc, char **argv)
{
    struct cli c;
    const struct command *cmd;
    const char *at_text = NULL;
    bool help = false, version = false;
    int status;

    setlocale(LC_ALL, "");
    ov_crypto_harden_process();
    if (ov_crypto_init() != OV_OK) {
        cli_error("libgcrypt 1.10 or newer is required");
        return OV_EXIT_FAIL;
    }

    memset(&c, 0, sizeof c);
    status = parse_args(argc, argv, &c, &help, &version, &at_text);
    if (status != OV_EXIT_OK)
        return status;
    if (version) {
        printf("otpvault %s\n", OV_VERSION);
        return OV_EXIT_OK;
    }
    if (help && c.command != NULL && find_command(c.command) != NULL) {
        print_command_help(stdout, find_command(c.command));
        return OV_EXIT_OK;
    }
    if (c.command != NULL && strcmp(c.command, "help") == 0 && c.npositional == 1 &&
        find_command(c.positional[0]) != NULL) {
        print_command_help(stdout, find_command(c.positional[0]));
        return OV_EXIT_OK;
    }
    if (c.command != NULL && strcmp(c.command, "help") != 0 && find_command(c.command) == NULL)
        return unknown_command(c.command);
    if (help || (c.command == NULL && !(isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)))) {
        /* No command and no terminal to draw on (a pipe, a script): the help. */
        print_help(stdout);
        return OV_EXIT_OK;
    }
    if (c.command == NULL)
        return run_app(&c);
    if (strcmp(c.command, "help") == 0) {
        print_help(stdout);
        return OV_EXIT_OK;
    }
    cmd = find_command(c.command);
    if (c.npositional < cmd->min_args || c.npositional > cmd->max_args) {
        cli_error("usage: otpvault %s", cmd->usage);
        return OV_EXIT_USAGE;
    }
    if (at_text != NULL && cli_parse_int64(at_text, &c.at) != 0) {
        cli_error("--at: expected unix seconds (an integer), got '%s'", at_text);
        return OV_EXIT_USAGE;
    }

    status = load_config(&c);
    if (status == OV_EXIT_OK) {
        c.vault_path = resolve_vault_path(&c);
        if (c.vault_path == NULL) {
            cli_error("no vault path: set --vault, $OTPVAULT_VAULT or $HOME");
            status = OV_EXIT_USAGE;
        } else {
            status = cmd->run(&c);
            cli_report_auto_backup();
        }
    }
    free(c.vault_path);
    ov_config_free(&c.config);
    return status;
}
