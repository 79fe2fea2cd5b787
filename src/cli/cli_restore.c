/* backup restore FILE on a machine without a vault: the vault is made from the backup in
 * one step (backup.h, ov_backup_restore_new). The backup's passphrase comes from
 * --backup-passphrase-file, else --passphrase-file (there is no vault passphrase yet),
 * else the terminal; the new vault keeps it unless --new-passphrase-file gives another or,
 * on a terminal, the user chooses one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "otpvault/backup.h"
#include "otpvault/mem.h"

static char *passphrase_of_backup(const struct cli *c, const char *path)
{
    char prompt[600];
    const char *file = c->backup_passphrase_file != NULL ? c->backup_passphrase_file
                                                         : c->passphrase_file;

    if (file != NULL)
        return cli_read_passphrase_file(file);
    if (!cli_have_tty()) {
        cli_out(stderr, "otpvault: %s needs its passphrase and there is no terminal to ask: "
                "use --passphrase-file (or --backup-passphrase-file); no vault was created\n",
                path);
        return NULL;
    }
    snprintf(prompt, sizeof prompt, "passphrase of backup %s", path);
    return cli_prompt_secret(prompt, "--passphrase-file");
}

/* The new vault's passphrase: *pass itself, or a new one in its place. */
static bool choose_passphrase(const struct cli *c, char **pass, bool *kept)
{
    char *fresh = NULL;

    *kept = true;
    if (c->new_passphrase_file != NULL)
        fresh = cli_new_secret(c->new_passphrase_file, "passphrase", "--new-passphrase-file");
    else if (cli_have_tty() && cli_confirm("Choose a new passphrase for this machine's vault "
                                           "(otherwise the backup's stays)?"))
        fresh = cli_new_secret(NULL, "passphrase", "--new-passphrase-file");
    else
        return true;
    if (fresh == NULL)
        return false;
    ov_secure_free_str(*pass);
    *pass = fresh;
    *kept = false;
    return true;
}

int cli_restore_new_machine(struct cli *c, const char *path)
{
    struct ov_error err = { 0 };
    struct ov_vault b, v;
    bool kept = true;
    char *pass = passphrase_of_backup(c, path);
    int rc;

    if (pass == NULL)
        return OV_EXIT_FAIL;
    rc = ov_vault_open(path, pass, strlen(pass), &b, &err);
    if (rc != OV_OK) {
        ov_secure_free_str(pass);
        cli_out(stderr, "otpvault: %s; no vault was created\n", err.msg);
        return cli_exit_status(rc);
    }
    if (!choose_passphrase(c, &pass, &kept)) {
        ov_secure_free_str(pass);
        ov_vault_close(&b);
        cli_error("no vault was created");
        return OV_EXIT_FAIL;
    }
    rc = ov_backup_restore_new(c->vault_path, &b, pass, strlen(pass), &v, &err);
    ov_secure_free_str(pass);
    if (rc != OV_OK) {
        ov_vault_close(&b);
        cli_out(stderr, "otpvault: %s; no vault was created\n", err.msg);
        return cli_exit_status(rc);
    }
    cli_out(stdout, "restored %zu account%s from %s into a new vault at %s (%s)\n",
            v.accounts.len, v.accounts.len == 1 ? "" : "s", path, c->vault_path,
            kept ? "under the backup's passphrase" : "under the new passphrase");
    ov_vault_close(&v);
    ov_vault_close(&b);
    return OV_EXIT_OK;
}
