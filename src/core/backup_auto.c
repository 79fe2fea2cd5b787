/* The automatic backup: a save hook on the vault (vault.h), so that every face and every
 * command that saves - add, rm, edit, import, passwd, the app's changes - gets a backup
 * without knowing about it. It never fails the save; its result waits to be shown. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "otpvault/backup.h"
#include "otpvault/mem.h"
#include "otpvault/otp.h"

static char *auto_dir;
static unsigned auto_keep;
static struct ov_auto_backup_result last;

static void after_save(struct ov_vault *v, bool rekeyed, void *ctx)
{
    struct ov_error err = { 0 };
    struct stat st;
    uint8_t digest[32];
    char *path = NULL;

    (void)ctx;
    memset(&last, 0, sizeof last);
    ov_accounts_digest(&v->accounts, digest);
    /* A code copied (last_used) is a save but not a change; a new passphrase is: the old
     * backups do not open with it. */
    if (!rekeyed && v->has_backup_digest &&
        memcmp(digest, v->backup_digest, sizeof digest) == 0) {
        last.state = OV_AUTO_UNCHANGED;
        return;
    }
    if (stat(auto_dir, &st) != 0 && errno == ENOENT) {
        last.state = OV_AUTO_DIR_ABSENT;
        snprintf(last.message, sizeof last.message, "no automatic backup: %s is absent "
                 "(drive unplugged?)", auto_dir);
        return;
    }
    if (ov_backup_create(v, auto_dir, auto_keep, NULL, 0, ov_now(), &path, &err) != OV_OK &&
        path == NULL) {
        last.state = OV_AUTO_FAILED;
        snprintf(last.message, sizeof last.message, "automatic backup failed: %.480s", err.msg);
        return;
    }
    last.state = OV_AUTO_MADE;
    snprintf(last.path, sizeof last.path, "%s", path);
    if (err.msg[0] != '\0')   /* made, but pruning or recording it failed */
        snprintf(last.message, sizeof last.message, "%s", err.msg);
    free(path);
}

void ov_backup_auto_enable(const char *dir, unsigned keep)
{
    free(auto_dir);
    auto_dir = NULL;
    memset(&last, 0, sizeof last);
    if (dir == NULL || dir[0] == '\0') {
        ov_vault_set_save_hook(NULL, NULL);
        return;
    }
    auto_dir = ov_xstrdup(dir);
    auto_keep = keep;
    ov_vault_set_save_hook(after_save, NULL);
}

void ov_backup_auto_take(struct ov_auto_backup_result *out)
{
    *out = last;
    memset(&last, 0, sizeof last);
}

const struct ov_auto_backup_result *ov_backup_auto_last(void)
{
    return &last;
}
