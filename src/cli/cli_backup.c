/* backup create|list|verify|restore and drill: the command-line face of backup.h.
 *
 * Decisions (see also the man page):
 * - verify exits 1 when restoring from the backup would lose something (an account missing
 *   from it, or one with other settings such as an older HOTP counter), 0 when it holds
 *   every account of the vault, 3 when it does not open (wrong passphrase, damaged).
 * - restore merges: accounts missing from the vault are added, the vault's own are kept.
 *   --replace makes the vault equal to the backup, after a confirmation (or --yes) and a
 *   backup of the current vault ("...-before-restore.otpv").
 * - drill exits 0 when every account would come back with the same code, 1 when not, 3 when
 *   the backup does not open. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_internal.h"
#include "otpvault/backup.h"
#include "otpvault/mem.h"
#include "otpvault/otp.h"

void cli_report_auto_backup(void)
{
    struct ov_auto_backup_result r;

    ov_backup_auto_take(&r);
    if (r.state == OV_AUTO_DIR_ABSENT || r.state == OV_AUTO_FAILED ||
        (r.state == OV_AUTO_MADE && r.message[0] != '\0'))
        cli_warn("%s", r.message);
}

static const char *backup_dir(const struct cli *c)
{
    if (c->npositional > 1)
        return c->positional[1];
    return c->config.backup_dir;
}

static void print_age(const char *path, char *out, size_t n)
{
    ov_format_age(ov_backup_file_time(path), ov_now(), out, n);
}

/* The backup's passphrase, when it has its own: from --backup-passphrase-file, or asked. */
static char *backup_passphrase(const struct cli *c, const char *path)
{
    char prompt[600];

    if (c->backup_passphrase_file != NULL)
        return cli_read_passphrase_file(c->backup_passphrase_file);
    if (!cli_have_tty()) {
        cli_error("%s needs its passphrase and there is no terminal to ask: use "
                  "--backup-passphrase-file", path);
        return NULL;
    }
    snprintf(prompt, sizeof prompt, "passphrase of backup %s", path);
    return cli_prompt_secret(prompt, "--backup-passphrase-file");
}

/* Whether the backup at path was made under the vault's own key (so its passphrase is the
 * vault's): it opens with v's key, no KDF. */
static bool under_vault_key(const char *path, const struct ov_vault *v)
{
    struct ov_error err = { 0 };
    struct ov_vault b;
    bool needs_pass = false;

    if (ov_backup_open(path, v, NULL, 0, &b, &needs_pass, &err) != OV_OK)
        return false;
    ov_vault_close(&b);
    return true;
}

/* The drill's passphrase. The drill proves the passphrase is known, so it always runs the
 * KDF; for a backup under the vault's own passphrase, --passphrase-file gives it as it
 * gives the vault's. */
static char *drill_passphrase(const struct cli *c, const struct ov_vault *v, const char *path)
{
    if (c->backup_passphrase_file == NULL && c->passphrase_file != NULL &&
        under_vault_key(path, v))
        return cli_read_passphrase_file(c->passphrase_file);
    return backup_passphrase(c, path);
}

/* Opens a backup for verify and restore: the vault's key when it fits (no KDF), else the
 * vault's own passphrase (a backup of this vault before a passwd, or of another machine's
 * vault under the same passphrase), else its own passphrase. */
static int open_backup(const struct cli *c, const struct ov_vault *v, const char *vault_pass,
                       const char *path, struct ov_vault *b)
{
    struct ov_error err = { 0 };
    bool needs_pass = false;
    char *pass = NULL;
    int rc = ov_backup_open(path, v, NULL, 0, b, &needs_pass, &err);

    if (rc != OV_OK && needs_pass && vault_pass != NULL && c->backup_passphrase_file == NULL &&
        ov_backup_open(path, v, vault_pass, strlen(vault_pass), b, NULL, &err) == OV_OK)
        return OV_EXIT_OK;
    if (rc != OV_OK && needs_pass) {
        if ((pass = backup_passphrase(c, path)) == NULL)
            return OV_EXIT_FAIL;
        rc = ov_backup_open(path, v, pass, strlen(pass), b, NULL, &err);
        ov_secure_free_str(pass);
    }
    if (rc != OV_OK) {
        cli_error("%s; nothing was changed", err.msg);
        return cli_exit_status(rc);
    }
    return OV_EXIT_OK;
}

/* The vault, then the backup at path: both open on OV_EXIT_OK, neither otherwise. */
static int open_vault_and_backup(struct cli *c, const char *path, struct ov_vault *v,
                                 struct ov_vault *b)
{
    char *vault_pass = NULL;
    int status = cli_open_vault_at(c, c->vault_path, v, &vault_pass);

    if (status != OV_EXIT_OK)
        return status;
    status = open_backup(c, v, vault_pass, path, b);
    ov_secure_free_str(vault_pass);
    if (status != OV_EXIT_OK)
        ov_vault_close(v);
    return status;
}

static void list_accounts(const char *heading, const struct ov_account_list *l,
                          const size_t *idx, size_t n)
{
    char label[300];

    if (n == 0)
        return;
    cli_out(stdout, "%s:\n", heading);
    for (size_t i = 0; i < n; i++)
        cli_out(stdout, "  %s\n", ov_account_label(&l->items[idx[i]], label, sizeof label));
}

static int backup_create(struct cli *c)
{
    const char *dir = backup_dir(c);
    struct ov_error err = { 0 };
    struct ov_vault v;
    char *pass = NULL, *path = NULL;
    int status, rc;

    if (dir == NULL) {
        cli_error("no backup directory: name one (backup create DIR) or set backup.dir in the "
                  "config");
        return OV_EXIT_USAGE;
    }
    if ((status = cli_open_vault(c, &v)) != OV_EXIT_OK)
        return status;
    if (c->other_passphrase || c->backup_passphrase_file != NULL) {
        if ((pass = cli_new_secret(c->backup_passphrase_file, "backup passphrase", "--backup-passphrase-file")) == NULL) {
            ov_vault_close(&v);
            return OV_EXIT_FAIL;
        }
    }
    if ((status = cli_begin_write(&v, NULL)) != OV_EXIT_OK) {
        ov_secure_free_str(pass);
        ov_vault_close(&v);
        return status;
    }
    rc = ov_backup_create(&v, dir, c->config.backup_keep, pass,
                          pass != NULL ? strlen(pass) : 0, ov_now(), &path, &err);
    ov_secure_free_str(pass);
    if (path != NULL)
        cli_out(stdout, "backed up %zu account%s to %s%s\n", v.accounts.len,
               v.accounts.len == 1 ? "" : "s", path,
               c->other_passphrase || c->backup_passphrase_file != NULL
                   ? " (under its own passphrase)" : "");
    status = rc == OV_OK ? OV_EXIT_OK : cli_fail(&err);
    free(path);
    ov_vault_close(&v);
    return status;
}

static void describe(const struct ov_vault *v, const struct ov_vault *b, char *out, size_t n)
{
    struct ov_backup_diff d;

    ov_backup_compare(&v->accounts, &b->accounts, &d);
    if (ov_backup_diff_same(&d))
        snprintf(out, n, "same as the vault");
    else
        snprintf(out, n, "differs: %zu missing, %zu different, %zu not in the vault",
                 d.nmissing, d.ndifferent, d.nextra);
    ov_backup_diff_free(&d);
}

static int backup_list(struct cli *c)
{
    const char *dir = backup_dir(c);
    struct ov_backup_files files;
    struct ov_error err = { 0 };
    struct ov_vault v;
    char *pass = NULL, age[64], drill[64];
    int status;

    if (dir == NULL) {
        cli_error("no backup directory: name one (backup list DIR) or set backup.dir in the "
                  "config");
        return OV_EXIT_USAGE;
    }
    if (ov_backup_scan(dir, &files, &err) != OV_OK)
        return cli_fail(&err);
    if ((status = cli_open_vault(c, &v)) != OV_EXIT_OK) {
        ov_backup_files_free(&files);
        return status;
    }
    if (c->backup_passphrase_file != NULL &&
        (pass = cli_read_passphrase_file(c->backup_passphrase_file)) == NULL)
        status = OV_EXIT_FAIL;
    ov_format_age(v.last_backup, ov_now(), age, sizeof age);
    ov_format_age(v.last_drill, ov_now(), drill, sizeof drill);
    cli_out(stdout, "%zu backup%s in %s (keeping %u); last backup: %s; last drill: %s\n", files.len,
           files.len == 1 ? "" : "s", dir, c->config.backup_keep, age, drill);
    /* The rows first, then the columns as wide as their widest cell. */
    struct row {
        char age[64], count[16], what[128];
    } *rows = ov_xcalloc(files.len + 1, sizeof *rows);
    int w_age = 3, w_count = 8, w_what = 8;
    for (size_t i = 0; status == OV_EXIT_OK && i < files.len; i++) {
        struct row *r = &rows[i];
        struct ov_vault b;
        struct ov_error e = { 0 };
        bool needs = false;
        int rc = ov_backup_open(files.items[i].path, &v, pass, pass ? strlen(pass) : 0, &b,
                                &needs, &e);

        ov_format_age(files.items[i].time, ov_now(), r->age, sizeof r->age);
        snprintf(r->count, sizeof r->count, "?");
        if (rc == OV_OK) {
            snprintf(r->count, sizeof r->count, "%zu", b.accounts.len);
            describe(&v, &b, r->what, sizeof r->what);
            ov_vault_close(&b);
        } else {
            snprintf(r->what, sizeof r->what, "%s", needs ? "another passphrase (see "
                     "--backup-passphrase-file)" : rc == OV_ERR_AUTH
                     ? "does not open: damaged or another passphrase" : "unreadable");
        }
        w_age = (int)strlen(r->age) > w_age ? (int)strlen(r->age) : w_age;
        w_count = (int)strlen(r->count) > w_count ? (int)strlen(r->count) : w_count;
        w_what = (int)strlen(r->what) > w_what ? (int)strlen(r->what) : w_what;
    }
    if (files.len > 0 && status == OV_EXIT_OK) {
        cli_out(stdout, "%-*s  %*s  %-*s  %s\n", w_age, "AGE", w_count, "ACCOUNTS", w_what,
                "CONTENTS", "FILE");
        for (size_t i = 0; i < files.len; i++)
            cli_out(stdout, "%-*s  %*s  %-*s  %s\n", w_age, rows[i].age, w_count,
                    rows[i].count, w_what, rows[i].what, files.items[i].path);
    }
    free(rows);
    ov_secure_free_str(pass);
    ov_backup_files_free(&files);
    ov_vault_close(&v);
    return status;
}

static int backup_verify(struct cli *c)
{
    const char *path = c->positional[1];
    struct ov_backup_diff d;
    struct ov_vault v, b;
    char age[64];
    int status;

    if ((status = open_vault_and_backup(c, path, &v, &b)) != OV_EXIT_OK)
        return status;
    print_age(path, age, sizeof age);
    cli_out(stdout, "%s: %zu account%s, made %s\n", path, b.accounts.len,
           b.accounts.len == 1 ? "" : "s", age);
    ov_backup_compare(&v.accounts, &b.accounts, &d);
    list_accounts("missing from the backup (restoring it would lose them)", &v.accounts,
                  d.missing, d.nmissing);
    list_accounts("different in the backup (other settings or counter)", &v.accounts,
                  d.different, d.ndifferent);
    list_accounts("only in the backup (a restore would add them)", &b.accounts, d.extra,
                  d.nextra);
    if (ov_backup_diff_loses(&d)) {
        cli_out(stdout, "restoring this backup would lose %zu account%s and change %zu\n", d.nmissing,
               d.nmissing == 1 ? "" : "s", d.ndifferent);
        status = OV_EXIT_FAIL;
    } else {
        cli_out(stdout, "the backup holds every one of the vault's %zu account%s\n", v.accounts.len,
               v.accounts.len == 1 ? "" : "s");
    }
    ov_backup_diff_free(&d);
    ov_vault_close(&b);
    ov_vault_close(&v);
    return status;
}

/* The folder for the safety copy before --replace: backup.dir if it is there, else the
 * vault's own directory. */
static char *safety_dir(const struct cli *c)
{
    struct stat st;
    const char *slash;

    if (c->config.backup_dir != NULL && stat(c->config.backup_dir, &st) == 0 &&
        S_ISDIR(st.st_mode))
        return ov_xstrdup(c->config.backup_dir);
    slash = strrchr(c->vault_path, '/');
    return slash == NULL ? ov_xstrdup(".")
                         : ov_xstrndup(c->vault_path, (size_t)(slash - c->vault_path + 1));
}

static int replace_from(struct cli *c, struct ov_vault *v, const struct ov_vault *b)
{
    struct ov_error err = { 0 };
    struct ov_backup_diff d;
    char question[256], *dir, *path = NULL;
    int rc;

    ov_backup_compare(&v->accounts, &b->accounts, &d);
    list_accounts("these accounts are not in the backup and would be removed", &v->accounts,
                  d.missing, d.nmissing);
    snprintf(question, sizeof question, "Replace the vault's %zu accounts with the backup's "
             "%zu (%zu removed, %zu changed)? The vault is backed up first", v->accounts.len,
             b->accounts.len, d.nmissing, d.ndifferent);
    ov_backup_diff_free(&d);
    if (!c->yes && !cli_confirm(question)) {
        cli_error(cli_have_tty() ? "nothing was changed"
                                 : "nothing was changed: there is no terminal to confirm on; "
                                   "--yes replaces without asking");
        return OV_EXIT_FAIL;
    }
    /* The safety copy and the replacement are of the vault as it is under the lock. */
    if ((rc = cli_begin_write(v, NULL)) != OV_EXIT_OK)
        return rc;
    dir = safety_dir(c);
    rc = ov_backup_write(v, dir, NULL, 0, "before-restore", ov_now(), &path, &err);
    free(dir);
    if (rc != OV_OK) {
        cli_error("could not back up the vault first: %s; nothing was changed", err.msg);
        return OV_EXIT_FAIL;
    }
    cli_out(stdout, "the vault as it was: %s\n", path);
    free(path);
    ov_account_list_free(&v->accounts);
    ov_account_list_init(&v->accounts);
    for (size_t i = 0; i < b->accounts.len; i++) {
        struct ov_account a;
        ov_account_copy(&a, &b->accounts.items[i]);
        ov_account_list_push(&v->accounts, &a);
    }
    if ((rc = cli_save_vault(v)) == OV_EXIT_OK)
        cli_out(stdout, "replaced: the vault now holds the backup's %zu account%s\n", v->accounts.len,
               v->accounts.len == 1 ? "" : "s");
    return rc;
}

static int backup_restore(struct cli *c)
{
    const char *path = c->positional[1];
    struct ov_vault v, b;
    struct stat st;
    size_t added;
    int status;

    /* A new machine: no vault yet, so the backup becomes it. */
    if (stat(c->vault_path, &st) != 0 && errno == ENOENT)
        return cli_restore_new_machine(c, path);
    if ((status = open_vault_and_backup(c, path, &v, &b)) != OV_EXIT_OK)
        return status;
    if (c->replace) {
        status = replace_from(c, &v, &b);
    } else {
        added = 0;
        status = cli_begin_write(&v, NULL);
        if (status == OV_EXIT_OK)
            added = ov_backup_merge(&v.accounts, &b.accounts);
        if (status == OV_EXIT_OK && added > 0)
            status = cli_save_vault(&v);
        if (status == OV_EXIT_OK)
            cli_out(stdout, "restored %zu account%s from %s; %zu already in the vault kept as they "
                   "are\n", added, added == 1 ? "" : "s", path, b.accounts.len - added);
    }
    ov_vault_close(&b);
    ov_vault_close(&v);
    return status;
}

int cmd_backup(struct cli *c)
{
    const char *sub = c->positional[0];
    bool needs_file = strcmp(sub, "verify") == 0 || strcmp(sub, "restore") == 0;

    if (needs_file && c->npositional != 2) {
        cli_error("usage: otpvault backup %s FILE", sub);
        return OV_EXIT_USAGE;
    }
    if ((c->replace || c->yes) && strcmp(sub, "restore") != 0) {
        cli_error("--replace and --yes apply to backup restore only");
        return OV_EXIT_USAGE;
    }
    if (c->other_passphrase && strcmp(sub, "create") != 0) {
        cli_error("--other-passphrase applies to backup create only");
        return OV_EXIT_USAGE;
    }
    if (strcmp(sub, "create") == 0)
        return backup_create(c);
    if (strcmp(sub, "list") == 0)
        return backup_list(c);
    if (strcmp(sub, "verify") == 0)
        return backup_verify(c);
    if (strcmp(sub, "restore") == 0)
        return backup_restore(c);
    cli_error("unknown backup command '%s': create, list, verify FILE or restore FILE", sub);
    return OV_EXIT_USAGE;
}

/* The newest backup in backup.dir, for drill without FILE. */
static char *newest_backup(const struct cli *c)
{
    struct ov_backup_files f;
    struct ov_error err = { 0 };
    char *path;

    if (c->config.backup_dir == NULL) {
        cli_error("no backup directory is configured (backup.dir): name the backup to drill "
                  "(otpvault drill FILE)");
        return NULL;
    }
    if (ov_backup_scan(c->config.backup_dir, &f, &err) != OV_OK) {
        cli_error("%s", err.msg);
        return NULL;
    }
    if (f.len == 0) {
        cli_error("no backups in %s: make one with otpvault backup create",
                  c->config.backup_dir);
        ov_backup_files_free(&f);
        return NULL;
    }
    path = ov_xstrdup(f.items[0].path);
    ov_backup_files_free(&f);
    return path;
}

static void print_drill(const struct ov_vault *v, const struct ov_drill_report *r)
{
    list_accounts("would be lost (not in the backup)", &v->accounts, r->diff.missing,
                  r->diff.nmissing);
    list_accounts("would give another code (older counter or other settings)", &v->accounts,
                  r->code_differs, r->ncode_differs);
}

int cmd_drill(struct cli *c)
{
    struct ov_drill_report rep;
    struct ov_error err = { 0 };
    struct ov_vault v;
    char *path, *pass, age[64];
    int status, rc;

    path = c->npositional > 0 ? ov_xstrdup(c->positional[0]) : newest_backup(c);
    if (path == NULL)
        return OV_EXIT_FAIL;
    if ((status = cli_open_vault(c, &v)) != OV_EXIT_OK) {
        free(path);
        return status;
    }
    print_age(path, age, sizeof age);
    cli_out(stdout, "drill: %s (made %s)\n", path, age);
    fflush(stdout);
    if ((pass = drill_passphrase(c, &v, path)) == NULL) {
        free(path);
        ov_vault_close(&v);
        return OV_EXIT_FAIL;
    }
    /* The drill records its result in the vault: queue for the lock like any writer. */
    if ((status = cli_begin_write(&v, NULL)) != OV_EXIT_OK) {
        ov_secure_free_str(pass);
        free(path);
        ov_vault_close(&v);
        return status;
    }
    rc = ov_backup_drill(&v, path, pass, strlen(pass), ov_now(), &rep, &err);
    ov_secure_free_str(pass);
    if (rc != OV_OK && !rep.passed) {
        cli_error("%s", err.msg);
        cli_out(stdout, "drill FAILED: the backup does not open\n");
        status = cli_exit_status(rc);
    } else if (rep.passed) {
        cli_out(stdout, "all %zu accounts of the vault are in the backup and give the same codes now "
               "(the backup holds %zu)\n", rep.checked, rep.backup_accounts);
        if (rc == OV_OK)
            cli_out(stdout, "drill passed; recorded in the vault\n");
        else
            status = cli_fail(&err);
    } else {
        print_drill(&v, &rep);
        cli_out(stdout, "drill FAILED: %zu of %zu accounts would be lost or wrong\n",
               rep.diff.nmissing + rep.ncode_differs, rep.checked);
        status = OV_EXIT_FAIL;
    }
    ov_drill_report_free(&rep);
    ov_vault_close(&v);
    free(path);
    return status;
}
