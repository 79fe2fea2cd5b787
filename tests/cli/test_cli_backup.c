/* backup and drill through the binary: create, list, verify, restore (merge and --replace),
 * damaged and wrong-passphrase backups leaving the vault untouched, the automatic backup
 * with its directory present and absent, and the drill's exit statuses. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "tests/lib/cli_run.h"

static struct cli_env env;

static void setup(void) { cli_env_setup(&env); }
static void teardown(void) { cli_env_teardown(&env); }

TestSuite(cli_backup, .init = setup, .fini = teardown);

#define URIS                                                                                 \
    "otpauth://totp/GitHub:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub\n"         \
    "otpauth://hotp/Bank:carol?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=5&issuer=Bank\n" \
    "otpauth://totp/Example:eight?secret=GEZDGNBVGY3TQOJQ&issuer=Example&digits=8\n"

static char *path_in(const char *name)
{
    static char buf[4][400];
    static int next;
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "%s/%s", env.dir, name);
    return b;
}

static void config(const char *text)
{
    char dir[400];
    snprintf(dir, sizeof dir, "%s/config/otpvault", env.dir);
    mkdir(dir, 0700);
    write_file(path_in("config/otpvault/config.yaml"), text, strlen(text));
}

/* The single backup file in dir (asserts there is exactly n). */
static char *only_backup(const char *dir, size_t n)
{
    static char found[600];
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t count = 0;

    cr_assert_not_null(d, "%s", dir);
    while ((e = readdir(d)) != NULL)
        if (strncmp(e->d_name, "otpvault-", 9) == 0) {
            snprintf(found, sizeof found, "%s/%s", dir, e->d_name);
            count++;
        }
    closedir(d);
    cr_assert_eq(count, n, "%zu backups in %s, expected %zu", count, dir, n);
    return found;
}

static void run_ok(struct cli_result *r, const char *const *args)
{
    cli_run(r, &env, NULL, args);
    cr_assert_eq(r->status, 0, "%s%s", r->out, r->err);
}

static void list_has(const char *what, bool yes)
{
    struct cli_result r;
    run_ok(&r, ARGS("list"));
    cr_assert_eq(strstr(r.out, what) != NULL, yes, "list %s '%s': %s", yes ? "lacks" : "has",
                 what, r.out);
    cli_result_free(&r);
}

Test(cli_backup, create_list_verify_restore)
{
    struct cli_result r;
    struct stat st;
    char *file;

    cli_init_vault(&env);
    cli_add_uris(&env, URIS);
    cr_assert_eq(mkdir(path_in("bk"), 0700), 0);
    run_ok(&r, ARGS("backup", "create", path_in("bk")));
    cr_assert(strstr(r.out, "backed up 3 accounts to") != NULL, "%s", r.out);
    cli_result_free(&r);
    file = strdup(only_backup(path_in("bk"), 1));
    cr_assert_eq(stat(file, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600);

    run_ok(&r, ARGS("backup", "list", path_in("bk")));
    cr_assert(strstr(r.out, "same as the vault") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "last backup: just now") != NULL, "%s", r.out);
    cli_result_free(&r);

    run_ok(&r, ARGS("backup", "verify", file));
    cr_assert(strstr(r.out, "holds every one of the vault's 3 accounts") != NULL, "%s", r.out);
    cli_result_free(&r);

    run_ok(&r, ARGS("rm", "github", "--yes"));
    cli_result_free(&r);
    run_ok(&r, ARGS("backup", "verify", file));   /* more in the backup: nothing lost */
    cr_assert(strstr(r.out, "only in the backup") != NULL, "%s", r.out);
    cli_result_free(&r);

    run_ok(&r, ARGS("backup", "restore", file));
    cr_assert(strstr(r.out, "restored 1 account") != NULL, "%s", r.out);
    cli_result_free(&r);
    list_has("alice@example.com", true);

    /* A change the backup lacks: verify says what would be lost, exit 1. */
    cli_add_uris(&env, "otpauth://totp/New:dave?secret=GEZDGNBVGY3TQOJQGEZA&issuer=New\n");
    cli_run(&r, &env, NULL, ARGS("backup", "verify", file));
    cr_assert_eq(r.status, 1, "%s", r.err);
    cr_assert(strstr(r.out, "missing from the backup") != NULL && strstr(r.out, "New: dave"),
              "%s", r.out);
    cli_result_free(&r);
    free(file);
}

Test(cli_backup, replace_asks_and_backs_up_the_vault_first)
{
    struct cli_result r;
    char *file, *vault_before;
    size_t n1, n2;

    cli_init_vault(&env);
    cli_add_uris(&env, URIS);
    cr_assert_eq(mkdir(path_in("bk"), 0700), 0);
    run_ok(&r, ARGS("backup", "create", path_in("bk")));
    cli_result_free(&r);
    file = strdup(only_backup(path_in("bk"), 1));
    cli_add_uris(&env, "otpauth://totp/New:dave?secret=GEZDGNBVGY3TQOJQGEZA&issuer=New\n");
    vault_before = read_file(env.vault, &n1);

    cli_run(&r, &env, "n\n", ARGS("backup", "restore", file, "--replace"));
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.out, "New: dave") != NULL, "names what would go: %s", r.out);
    cr_assert(strstr(r.err, "nothing was changed") != NULL, "%s", r.err);
    cli_result_free(&r);
    /* No terminal to confirm on: the refusal names the way to go ahead. */
    cli_run(&r, &env, NULL, ARGS("backup", "restore", file, "--replace"));
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "nothing was changed") != NULL && strstr(r.err, "--yes") != NULL,
              "%s", r.err);
    cli_result_free(&r);
    char *now = read_file(env.vault, &n2);
    cr_assert(n1 == n2 && memcmp(now, vault_before, n1) == 0, "the vault changed");
    free(now);

    run_ok(&r, ARGS("backup", "restore", file, "--replace", "--yes"));
    cr_assert(strstr(r.out, "the vault as it was: ") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "before-restore") != NULL, "%s", r.out);
    cli_result_free(&r);
    list_has("dave", false);
    /* The safety copy is there and has dave. */
    run_ok(&r, ARGS("backup", "list", env.dir));
    cr_assert(strstr(r.out, "before-restore") != NULL, "%s", r.out);
    cli_result_free(&r);
    free(vault_before);
    free(file);
}

Test(cli_backup, damaged_and_wrong_passphrase_backups_leave_the_vault_untouched)
{
    struct cli_result r;
    char *file, *data, *before, *after;
    size_t len, n1, n2;

    cli_init_vault(&env);
    cli_add_uris(&env, URIS);
    cr_assert_eq(mkdir(path_in("bk"), 0700), 0);
    write_file(path_in("other"), "another passphrase\n", 19);
    run_ok(&r, ARGS("backup", "create", path_in("bk"), "--backup-passphrase-file",
                    path_in("other")));
    cr_assert(strstr(r.out, "own passphrase") != NULL, "%s", r.out);
    cli_result_free(&r);
    file = strdup(only_backup(path_in("bk"), 1));
    cli_run(&r, &env, NULL, ARGS("rm", "github", "--yes"));
    cli_result_free(&r);
    before = read_file(env.vault, &n1);

    /* Its own passphrase is needed: wrong one -> exit 3, nothing changed. */
    cli_run(&r, &env, NULL, ARGS("backup", "restore", file, "--backup-passphrase-file",
                                 env.passfile));
    cr_assert_eq(r.status, 3, "%s", r.err);
    cr_assert(strstr(r.err, "wrong passphrase or damaged backup; nothing was changed") != NULL,
              "%s", r.err);
    cli_result_free(&r);
    /* No passphrase and no terminal: says how to give it. */
    cli_run(&r, &env, NULL, ARGS("backup", "verify", file));
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "--backup-passphrase-file") != NULL, "%s", r.err);
    cli_result_free(&r);
    /* The right one works. */
    run_ok(&r, ARGS("backup", "verify", file, "--backup-passphrase-file", path_in("other")));
    cli_result_free(&r);

    data = read_file(file, &len);
    data[len - 20] ^= 0x10;
    write_file(path_in("bk/damaged.otpv"), data, len);
    write_file(path_in("bk/cut.otpv"), data, 30);
    cli_run(&r, &env, NULL, ARGS("backup", "restore", path_in("bk/damaged.otpv"),
                                 "--backup-passphrase-file", path_in("other")));
    cr_assert_eq(r.status, 3, "%s", r.err);
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("backup", "verify", path_in("bk/cut.otpv")));
    cr_assert_eq(r.status, 3, "%s", r.err);
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("backup", "restore", path_in("bk/absent.otpv")));
    cr_assert_eq(r.status, 1, "%s", r.err);
    cli_result_free(&r);
    after = read_file(env.vault, &n2);
    cr_assert(n1 == n2 && memcmp(before, after, n1) == 0, "the vault changed");
    free(before);
    free(after);
    free(data);
    free(file);
}

/* A backup under the vault's own passphrase: --passphrase-file, which opens the vault, is
 * the drill's passphrase too, and nothing is asked. One under another passphrase still
 * needs its own. */
Test(cli_backup, drill_takes_the_vault_passphrase_file_for_a_backup_under_it)
{
    struct cli_result r;
    char *file;

    cli_init_vault(&env);
    cli_add_uris(&env, URIS);
    cr_assert_eq(mkdir(path_in("bk"), 0700), 0);
    run_ok(&r, ARGS("backup", "create", path_in("bk")));
    cli_result_free(&r);
    file = strdup(only_backup(path_in("bk"), 1));
    cli_run(&r, &env, NULL, ARGS("drill", file));
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_assert(strstr(r.out, "drill passed") != NULL, "%s", r.out);
    cli_result_free(&r);

    write_file(path_in("other"), "another passphrase\n", 19);
    run_ok(&r, ARGS("backup", "create", path_in("bk"), "--backup-passphrase-file",
                    path_in("other")));
    cli_result_free(&r);
    remove(file);
    free(file);
    file = strdup(only_backup(path_in("bk"), 1));
    cli_run(&r, &env, NULL, ARGS("drill", file));
    cr_assert_neq(r.status, 0, "a backup under another passphrase needs it: %s", r.out);
    cr_assert(strstr(r.err, "--backup-passphrase-file") != NULL, "%s", r.err);
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("drill", file, "--backup-passphrase-file", path_in("other")));
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    cli_result_free(&r);
    free(file);
}

Test(cli_backup, automatic_backup_with_the_directory_present_and_absent)
{
    struct cli_result r;
    char cfg[600];

    cli_init_vault(&env);
    snprintf(cfg, sizeof cfg, "backup:\n  dir: %s\n  keep: 2\n", path_in("usb"));
    config(cfg);
    /* Absent: the change is made, the warning says why there is no backup. */
    cli_run(&r, &env, URIS, ARGS("add", "--uri", "-"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "usb is absent") != NULL, "%s", r.err);
    cli_result_free(&r);
    list_has("alice@example.com", true);
    /* Present: every change makes one, the newest two are kept. */
    cr_assert_eq(mkdir(path_in("usb"), 0700), 0);
    run_ok(&r, ARGS("edit", "github", "--note", "recovery codes in the drawer"));
    cr_assert_eq(r.err[0], '\0', "%s", r.err);
    cli_result_free(&r);
    only_backup(path_in("usb"), 1);
    run_ok(&r, ARGS("rm", "bank", "--yes"));
    cli_result_free(&r);
    run_ok(&r, ARGS("rm", "example", "--yes"));
    cli_result_free(&r);
    only_backup(path_in("usb"), 2);
    /* Reading commands make none. */
    run_ok(&r, ARGS("code", "github"));
    cli_result_free(&r);
    only_backup(path_in("usb"), 2);
    run_ok(&r, ARGS("backup", "list"));
    cr_assert(strstr(r.out, "2 backups in") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "same as the vault") != NULL, "%s", r.out);
    cli_result_free(&r);
}

Test(cli_backup, drill_on_good_and_broken_backups)
{
    struct cli_result r;
    char cfg[600], *file, *data;
    size_t len;

    cli_init_vault(&env);
    cli_add_uris(&env, URIS);
    cr_assert_eq(mkdir(path_in("usb"), 0700), 0);
    snprintf(cfg, sizeof cfg, "backup:\n  dir: %s\n", path_in("usb"));
    config(cfg);
    run_ok(&r, ARGS("backup", "create"));
    cli_result_free(&r);
    file = strdup(only_backup(path_in("usb"), 1));

    run_ok(&r, ARGS("drill", "--backup-passphrase-file", env.passfile));
    cr_assert(strstr(r.out, "all 3 accounts of the vault are in the backup") != NULL, "%s",
              r.out);
    cr_assert(strstr(r.out, "drill passed") != NULL, "%s", r.out);
    cli_result_free(&r);
    run_ok(&r, ARGS("backup", "list"));
    cr_assert(strstr(r.out, "last drill: just now") != NULL, "%s", r.out);
    cli_result_free(&r);

    /* Wrong passphrase: exit 3. */
    write_file(path_in("wrong"), "not it\n", 7);
    cli_run(&r, &env, NULL, ARGS("drill", "--backup-passphrase-file", path_in("wrong")));
    cr_assert_eq(r.status, 3, "%s", r.err);
    cr_assert(strstr(r.out, "drill FAILED") != NULL, "%s", r.out);
    cli_result_free(&r);

    /* Broken file: exit 3. */
    data = read_file(file, &len);
    data[70] ^= 1;
    write_file(path_in("broken.otpv"), data, len);
    cli_run(&r, &env, NULL, ARGS("drill", path_in("broken.otpv"), "--backup-passphrase-file",
                                 env.passfile));
    cr_assert_eq(r.status, 3, "%s", r.err);
    cli_result_free(&r);

    /* A newer account the backup lacks: exit 1, named. (The automatic backup would make a
     * new one: the drill names the old file explicitly.) */
    cli_add_uris(&env, "otpauth://totp/New:dave?secret=GEZDGNBVGY3TQOJQGEZA&issuer=New\n");
    cli_run(&r, &env, NULL, ARGS("drill", file, "--backup-passphrase-file", env.passfile));
    cr_assert_eq(r.status, 1, "%s", r.err);
    cr_assert(strstr(r.out, "would be lost") != NULL && strstr(r.out, "New: dave") != NULL,
              "%s", r.out);
    cli_result_free(&r);
    free(data);
    free(file);
}

Test(cli_backup, usage_and_missing_directories)
{
    struct cli_result r;

    cli_init_vault(&env);
    cli_run(&r, &env, NULL, ARGS("backup", "create"));
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "backup.dir") != NULL, "%s", r.err);
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("backup", "create", path_in("nowhere")));
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "does not exist") != NULL, "%s", r.err);
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("backup", "verify"));
    cr_assert_eq(r.status, 2);
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("backup", "frobnicate"));
    cr_assert_eq(r.status, 2);
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("backup", "list", "--replace"));
    cr_assert_eq(r.status, 2);
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("drill"));
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "no backup directory") != NULL, "%s", r.err);
    cli_result_free(&r);
}

/* backup list: every column as wide as its widest cell, so the file names line up under
 * FILE even when a row says more ("another passphrase (see --backup-passphrase-file)"). */
Test(cli_backup, list_columns_line_up)
{
    struct cli_result r;
    const char *header, *line;
    size_t file_col, rows = 0;

    cli_init_vault(&env);
    cli_add_uris(&env, URIS);
    cr_assert_eq(mkdir(path_in("bk"), 0700), 0);
    run_ok(&r, ARGS("backup", "create", path_in("bk")));
    cli_result_free(&r);
    write_file(path_in("other"), "another passphrase\n", 19);
    sleep(1);   /* backups are named by the second */
    run_ok(&r, ARGS("backup", "create", path_in("bk"), "--backup-passphrase-file",
                    path_in("other")));
    cli_result_free(&r);
    run_ok(&r, ARGS("backup", "list", path_in("bk")));
    header = strstr(r.out, "AGE");
    cr_assert_not_null(header, "%s", r.out);
    file_col = (size_t)(strstr(header, "FILE") - header);
    for (line = strchr(header, '\n') + 1; *line != '\0'; line = strchr(line, '\n') + 1) {
        const char *path = strstr(line, path_in("bk"));
        cr_assert_not_null(path, "%s", line);
        cr_assert_eq((size_t)(path - line), file_col, "not under FILE:\n%s", r.out);
        cr_assert(path[-1] == ' ' && path[-2] == ' ', "run together:\n%s", r.out);
        rows++;
    }
    cr_assert_eq(rows, 2, "%s", r.out);
    cr_assert_not_null(strstr(r.out, "another passphrase"), "%s", r.out);
    cli_result_free(&r);
}
