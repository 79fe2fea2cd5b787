/* Several machines, from the app: the first-run screen's "restore from a backup" (a new
 * machine gets its vault in one step: the backup's path, prefilled with the newest one in
 * backup.dir, and its passphrase, which becomes the vault's), the conflict copies a sync
 * tool left beside the vault merged when it is unlocked (the app writes to it), and the
 * "merged: ..." part of the status line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/backup.h"
#include "otpvault/merge.h"
#include "otpvault/otp.h"
#include "tui.h"

/* ---- restore on the first run ---- */

void restore_enter(struct tui *t)
{
    const char *dir = t->opts->config->backup_dir;
    struct ov_backup_files f;
    struct ov_error err = { 0 };

    t->screen = SCR_RESTORE;
    edit_clear(&t->pass);
    edit_clear(&t->pass2);
    edit_clear(&t->restore_path);
    t->restore_focus = 0;
    snprintf(t->unlock_msg, sizeof t->unlock_msg, "the path of an otpvault backup (or vault "
             "file)");
    t->unlock_msg_kind = MSG_INFO;
    /* The newest backup where the config says backups go, when one is there. */
    if (dir != NULL && ov_backup_scan(dir, &f, &err) == OV_OK) {
        if (f.len > 0) {
            edit_set(&t->restore_path, f.items[0].path);
            t->restore_focus = 1;
            snprintf(t->unlock_msg, sizeof t->unlock_msg, "the newest backup in %s", dir);
        }
        ov_backup_files_free(&f);
    }
}

static void restore_run(struct tui *t)
{
    struct ov_pathline words;
    struct ov_error err = { 0 };
    struct ov_vault backup;
    char status[OV_ERROR_MSG_MAX];
    int rc;

    if (ov_pathline_split(t->restore_path.buf, getenv("HOME"), &words, &err) != OV_OK ||
        words.n != 1) {
        snprintf(t->unlock_msg, sizeof t->unlock_msg, "%s",
                 err.msg[0] != '\0' ? err.msg : "type the path of one backup");
        t->unlock_msg_kind = MSG_ERROR;
        if (err.msg[0] == '\0')
            ov_pathline_free(&words);
        t->restore_focus = 0;
        return;
    }
    t->busy = true;
    t->busy_text = "opening the backup\xe2\x80\xa6";
    tui_redraw_now(t);
    rc = ov_vault_open(words.paths[0], t->pass.buf, t->pass.len, &backup, &err);
    if (rc == OV_OK)
        rc = ov_backup_restore_new(t->opts->vault_path, &backup, t->pass.buf, t->pass.len,
                                   &t->vault, &err);
    t->busy = false;
    ov_pathline_free(&words);
    if (rc != OV_OK) {
        ov_vault_close(&backup);
        snprintf(t->unlock_msg, sizeof t->unlock_msg, "no vault was created: %.480s", err.msg);
        t->unlock_msg_kind = MSG_ERROR;
        edit_clear(&t->pass);
        flushinp();
        return;
    }
    snprintf(status, sizeof status, "restored %zu account%s from the backup; the vault's "
             "passphrase is the backup's (otpvault passwd changes it)", t->vault.accounts.len,
             t->vault.accounts.len == 1 ? "" : "s");
    ov_vault_close(&backup);
    unlock_done(t, status);
}

void restore_key(struct tui *t, int key)
{
    struct edit *e = t->restore_focus == 0 ? &t->restore_path : &t->pass;

    switch (key) {
    case OV_KEY_ESC:
        edit_clear(&t->pass);
        t->unlock_msg[0] = '\0';
        t->screen = SCR_CREATE;
        t->create_focus = 0;
        return;
    case '\t': case OV_KEY_DOWN: case OV_KEY_UP: case OV_KEY_BTAB:
        t->restore_focus = !t->restore_focus;
        return;
    case OV_KEY_ENTER:
        if (t->restore_focus == 0 && t->restore_path.len > 0)
            t->restore_focus = 1;
        else if (t->restore_focus == 1 && t->pass.len > 0)
            restore_run(t);
        return;
    default:
        edit_key(e, key);
    }
}

void restore_draw(struct tui *t)
{
    struct frame *f = &t->frame;
    int w = t->cols - 4 > 72 ? 72 : t->cols - 4, h = 10;
    int x = (t->cols - w) / 2, y = t->rows > h ? (t->rows - h) / 2 : 0, label_w = 12;

    if (w < 10)
        w = t->cols, x = 0;
    frame_text(f, y, x, w, "otpvault: restore from a backup", ST_TITLE);
    frame_text(f, y + 1, x, w, t->opts->vault_path, ST_DIM);
    frame_text(f, y + 3, x, w, "The vault is made from the backup, under its passphrase.",
               ST_NORMAL);
    frame_text(f, y + 4, x, label_w, "backup", ST_NORMAL);
    edit_draw(&t->restore_path, f, y + 4, x + label_w, w - label_w, t->restore_focus == 0);
    frame_text(f, y + 5, x, label_w, "passphrase", ST_NORMAL);
    edit_draw(&t->pass, f, y + 5, x + label_w, w - label_w, t->restore_focus == 1);
    if (t->busy) {
        frame_text(f, y + 7, x, w, t->busy_text, ST_TITLE);
        f->cursor_y = -1;
    } else if (t->unlock_msg[0] != '\0') {
        frame_text(f, y + 7, x, w, t->unlock_msg,
                   t->unlock_msg_kind == MSG_ERROR ? ST_ERROR : ST_DIM);
    }
    frame_text(f, y + 9, x, w, "Enter: next/restore   Tab: switch   Esc: back", ST_DIM);
}

/* ---- conflict copies, at unlock ---- */

void sync_conflict_copies(struct tui *t)
{
    struct ov_conflict_merge m;
    struct ov_error err = { 0 };

    if (ov_conflict_copies_merge(&t->vault, ov_now(), &m, &err) != OV_OK)
        tui_status(t, MSG_ERROR, "conflict copies beside the vault were not merged: %s",
                   err.msg);
    else if (m.merged > 0)
        tui_status(t, MSG_OK, "merged %zu conflict cop%s a sync tool left (%s): %zu added, "
                   "%zu updated, %zu removed; the vault before is %s.prev", m.merged,
                   m.merged == 1 ? "y" : "ies", t->vault.last_merge_from,
                   m.report.count[OV_MERGE_ADDED] + m.report.count[OV_MERGE_RESTORED],
                   m.report.count[OV_MERGE_UPDATED] + m.report.count[OV_MERGE_CONFLICT],
                   m.report.count[OV_MERGE_REMOVED], t->vault.path);
    else if (m.nnotes > 0)
        tui_status(t, MSG_ERROR, "conflict copy %s", m.notes[0]);
    if (m.merged > 0)
        list_attach(t);
    ov_conflict_merge_free(&m);
}

/* ---- status ---- */

void sync_status_text(const struct tui *t, char *out, size_t n)
{
    char age[64];

    out[0] = '\0';
    if (t->vault.last_merge == 0)
        return;
    ov_format_age(t->vault.last_merge, ov_now(), age, sizeof age);
    snprintf(out, n, "merged: %s (%s)", age,
             t->vault.last_merge_from != NULL ? t->vault.last_merge_from : "");
}
