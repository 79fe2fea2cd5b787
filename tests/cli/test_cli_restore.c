/* A new machine through the binary: backup restore FILE where no vault exists creates it
 * from the backup in one command (same passphrase, or --new-passphrase-file), a wrong
 * passphrase creates nothing, a vault made with init under the same passphrase takes the
 * backup without being asked for it, and import reads otpvault's own files with the vault's
 * passphrase. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/lib/cli_run.h"

static struct cli_env old_machine, new_machine;

static void setup(void)
{
    cli_env_setup(&old_machine);
    cli_env_setup(&new_machine);
}

static void teardown(void)
{
    cli_env_teardown(&old_machine);
    cli_env_teardown(&new_machine);
}

TestSuite(cli_restore, .init = setup, .fini = teardown);

#define URIS                                                                                 \
    "otpauth://totp/GitHub:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub\n"         \
    "otpauth://hotp/Bank:carol?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=5&issuer=Bank\n"

/* The old machine's vault, backed up onto "the stick": returns the backup's path. */
static const char *backup_on_the_stick(void)
{
    static char path[600];
    struct cli_result r;
    char stick[400];
    const char *line;

    cli_init_vault(&old_machine);
    cli_add_uris(&old_machine, URIS);
    snprintf(stick, sizeof stick, "%s/stick", old_machine.dir);
    mkdir(stick, 0700);
    cli_run(&r, &old_machine, NULL, ARGS("backup", "create", stick));
    cr_assert_eq(r.status, 0, "%s", r.err);
    line = strstr(r.out, stick);
    cr_assert_not_null(line, "%s", r.out);
    snprintf(path, sizeof path, "%.*s", (int)strcspn(line, "\n"), line);
    cli_result_free(&r);
    return path;
}

static char *json_list(const struct cli_env *e, const char *passfile)
{
    struct cli_result r;
    const char *const argv[] = { getenv("OTPVAULT_BIN") ? getenv("OTPVAULT_BIN") : "build/otpvault",
                                 "--vault", e->vault, "--passphrase-file", passfile, "list",
                                 "--json", NULL };
    char *out;

    cli_run_raw(&r, e, NULL, argv, 0);
    cr_assert_eq(r.status, 0, "%s", r.err);
    out = strdup(r.out);
    cli_result_free(&r);
    return out;
}

Test(cli_restore, a_new_machine_gets_its_vault_from_a_backup_in_one_command)
{
    const char *backup = backup_on_the_stick();
    struct cli_result r;
    char *before, *after;

    cr_assert_neq(access(new_machine.vault, F_OK), 0);
    cli_run(&r, &new_machine, NULL, ARGS("backup", "restore", backup));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "restored 2 accounts") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "under the backup's passphrase") != NULL, "%s", r.out);
    cli_result_free(&r);
    before = json_list(&old_machine, old_machine.passfile);
    after = json_list(&new_machine, new_machine.passfile);
    cr_assert_str_eq(before, after);
    /* The same accounts, not copies: a merge with the old machine finds nothing to do. */
    cli_run(&r, &new_machine, NULL, ARGS("merge", old_machine.vault));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "nothing: the copies agree") != NULL, "%s", r.out);
    cli_result_free(&r);
    free(before);
    free(after);
}

Test(cli_restore, the_new_vault_can_have_a_new_passphrase)
{
    const char *backup = backup_on_the_stick();
    struct cli_result r;
    char newpass[400];
    char *list;

    snprintf(newpass, sizeof newpass, "%s/new-pass", new_machine.dir);
    write_file(newpass, "a new passphrase for this machine\n", 34);
    cli_run(&r, &new_machine, NULL, ARGS("backup", "restore", backup, "--new-passphrase-file",
                                         newpass));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "under the new passphrase") != NULL, "%s", r.out);
    cli_result_free(&r);
    list = json_list(&new_machine, newpass);
    cr_assert(strstr(list, "GitHub") != NULL, "%s", list);
    free(list);
    cli_run(&r, &new_machine, NULL, ARGS("list"));
    cr_assert_eq(r.status, 3, "the backup's passphrase still opens the new vault");
    cli_result_free(&r);
}

Test(cli_restore, a_wrong_passphrase_creates_no_vault)
{
    const char *backup = backup_on_the_stick();
    struct cli_result r;

    write_file(new_machine.passfile, "not it\n", 7);
    cli_run(&r, &new_machine, NULL, ARGS("backup", "restore", backup));
    cr_assert_eq(r.status, 3, "%s", r.err);
    cr_assert(strstr(r.err, "no vault was created") != NULL, "%s", r.err);
    cli_result_free(&r);
    cr_assert_neq(access(new_machine.vault, F_OK), 0, "a vault was left behind");
}

Test(cli_restore, after_init_the_vaults_passphrase_opens_a_backup_under_the_same_one)
{
    const char *backup = backup_on_the_stick();
    struct cli_result r;

    cli_init_vault(&new_machine);   /* same passphrase, another salt */
    cli_run(&r, &new_machine, NULL, ARGS("backup", "restore", backup));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "restored 2 accounts") != NULL, "%s", r.out);
    cli_result_free(&r);
}

Test(cli_restore, import_reads_a_backup_as_ours)
{
    const char *backup = backup_on_the_stick();
    struct cli_result r;

    cli_run(&r, &new_machine, NULL, ARGS("import", "--dry-run", backup));
    cr_assert_neq(r.status, 0);
    cr_assert(strstr(r.err, "andOTP") == NULL, "claimed by another format: %s", r.err);
    cli_result_free(&r);
    cli_init_vault(&new_machine);
    cli_run(&r, &new_machine, NULL, ARGS("import", backup));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "imported 2 accounts") != NULL, "%s", r.out);
    cli_result_free(&r);
    cli_run(&r, &new_machine, NULL, ARGS("import", "--import-password-file",
                                         old_machine.passfile, "--dry-run", backup));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "found 2 accounts") != NULL, "%s", r.out);
    cli_result_free(&r);
}
