/* Moving out, from the app: Google Authenticator transfer codes for the listed accounts
 * (M; n/p between codes), the recovery drill (D: the newest backup, its passphrase, every
 * account checked), and the status line's "last backup: 3 days ago", with a warning when the
 * backup is old, the accounts changed since, or the automatic backup could not be made. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/mem.h"
#include "tui.h"

void backup_overlay_close(struct tui *t)
{
    qrview_close(&t->transfer);
    ov_qr_plan_free(&t->transfer_plan);   /* the codes hold secrets */
    edit_free(&t->drill_pass);
    t->drill_path[0] = '\0';
    if (t->overlay == OVL_TRANSFER || t->overlay == OVL_DRILL)
        t->overlay = OVL_NONE;
}

/* ---- transfer codes ---- */

void transfer_open(struct tui *t)
{
    const struct ov_account **sel;
    struct ov_error err = { 0 };
    size_t n = t->lv.nmatch;
    int rc;

    if (n == 0) {
        tui_status(t, MSG_INFO, "no accounts listed to transfer");
        return;
    }
    /* The accounts the list shows (the filter narrows them), in the order shown. */
    sel = ov_xcalloc(n, sizeof *sel);
    for (size_t i = 0; i < n; i++)
        sel[i] = &t->vault.accounts.items[t->lv.match[i]];
    rc = ov_qr_plan_migration(sel, n, 0, &t->transfer_plan, &err);
    free(sel);
    if (rc != OV_OK) {
        tui_status(t, MSG_ERROR, "no transfer codes: %s", err.msg);
        ov_qr_plan_free(&t->transfer_plan);
        return;
    }
    if (t->transfer_plan.skipped.nskipped > 0)
        tui_status(t, MSG_ERROR, "left out %zu (listed before the codes; l shows them again); "
                   "%zu account%s in %zu code%s", t->transfer_plan.skipped.nskipped,
                   t->transfer_plan.accounts, t->transfer_plan.accounts == 1 ? "" : "s",
                   t->transfer_plan.npages, t->transfer_plan.npages == 1 ? "" : "s");
    else
        tui_status(t, MSG_INFO, "%zu account%s in %zu code%s: scan them in order",
                   t->transfer_plan.accounts, t->transfer_plan.accounts == 1 ? "" : "s",
                   t->transfer_plan.npages, t->transfer_plan.npages == 1 ? "" : "s");
    qrview_open(&t->transfer, &t->transfer_plan);
    t->overlay = OVL_TRANSFER;
}

/* ---- the drill ---- */

void drill_open(struct tui *t)
{
    const char *dir = t->opts->config->backup_dir;
    struct ov_backup_files f;
    struct ov_error err = { 0 };

    if (dir == NULL) {
        tui_status(t, MSG_ERROR, "no backup directory (backup.dir in the config) to drill "
                   "from; otpvault drill FILE takes any backup");
        return;
    }
    if (ov_backup_scan(dir, &f, &err) != OV_OK) {
        tui_status(t, MSG_ERROR, "drill: %s", err.msg);
        return;
    }
    if (f.len == 0) {
        tui_status(t, MSG_ERROR, "drill: no backups in %s yet", dir);
        ov_backup_files_free(&f);
        return;
    }
    snprintf(t->drill_path, sizeof t->drill_path, "%s", f.items[0].path);
    ov_backup_files_free(&f);
    edit_init(&t->drill_pass, MASK_HIDDEN);
    t->overlay = OVL_DRILL;
}

static void drill_run(struct tui *t)
{
    struct ov_drill_report rep;
    struct ov_error err = { 0 };
    char label[300];
    int rc;

    t->busy = true;
    t->busy_text = "opening the backup\xe2\x80\xa6";
    tui_redraw_now(t);
    rc = ov_backup_drill(&t->vault, t->drill_path, t->drill_pass.buf, t->drill_pass.len,
                         ov_now(), &rep, &err);
    t->busy = false;
    if (rc != OV_OK && !rep.passed)
        tui_status(t, MSG_ERROR, "drill FAILED: %s", err.msg);
    else if (rep.passed && rc == OV_OK)
        tui_status(t, MSG_OK, "drill passed: all %zu accounts are in the backup and give the "
                   "same codes", rep.checked);
    else if (rep.passed && rc == OV_ERR_CONFLICT && ov_vault_reload(&t->vault, NULL) == OV_OK) {
        /* Another program saved meanwhile (a backup from the command line): the drill
         * compared the accounts as they were here; run it on the ones there now. */
        list_attach(t);
        tui_status(t, MSG_ERROR, "the vault was changed by another program: reloaded it; "
                   "run the drill again");
    } else if (rep.passed)
        tui_status(t, MSG_ERROR, "%s", err.msg);
    else if (rep.diff.nmissing > 0)
        tui_status(t, MSG_ERROR, "drill FAILED: %zu of %zu would be lost, e.g. %s",
                   rep.diff.nmissing + rep.ncode_differs, rep.checked,
                   ov_account_label(&t->vault.accounts.items[rep.diff.missing[0]], label,
                                    sizeof label));
    else
        tui_status(t, MSG_ERROR, "drill FAILED: %zu account%s would give other codes, e.g. %s",
                   rep.ncode_differs, rep.ncode_differs == 1 ? "" : "s",
                   ov_account_label(&t->vault.accounts.items[rep.code_differs[0]], label,
                                    sizeof label));
    ov_drill_report_free(&rep);
    t->backup_known = false;   /* last_drill may have changed */
}

static void drill_draw(struct tui *t)
{
    struct frame *f = &t->frame;
    int w = t->cols - 4 > 70 ? 70 : t->cols - 4, x = (t->cols - w) / 2;
    int y = t->rows / 2 - 3 > 0 ? t->rows / 2 - 3 : 0;
    char line[1200], age[64];

    for (int r = y; r < y + 7 && r < t->rows; r++)
        frame_fill(f, r, x - 1, w + 2, L' ', ST_HEADER);
    frame_text(f, y + 1, x, w, "Recovery drill", ST_HEADER);
    ov_format_age(ov_backup_file_time(t->drill_path), ov_now(), age, sizeof age);
    snprintf(line, sizeof line, "newest backup, made %s: %s", age, t->drill_path);
    frame_text(f, y + 2, x, w, line, ST_HEADER);
    frame_text(f, y + 3, x, w, "its passphrase:", ST_HEADER);
    if (t->busy)
        frame_text(f, y + 4, x, w, t->busy_text, ST_HEADER);
    else
        edit_draw(&t->drill_pass, f, y + 4, x, w, true);
    frame_text(f, y + 5, x, w, "Enter: check every account   Esc: cancel", ST_HEADER);
}

/* ---- the overlay ---- */

void backup_overlay_draw(struct tui *t)
{
    if (t->overlay == OVL_TRANSFER)
        qrview_draw(&t->transfer, &t->frame, t->rows, t->cols);
    else if (t->overlay == OVL_DRILL)
        drill_draw(t);
}

void backup_overlay_key(struct tui *t, int key)
{
    if (t->overlay == OVL_TRANSFER) {
        if (!qrview_key(&t->transfer, key))
            backup_overlay_close(t);
        return;
    }
    if (key == OV_KEY_ESC || key == 3) {
        backup_overlay_close(t);
        tui_status(t, MSG_INFO, "no drill");
        return;
    }
    if (key == OV_KEY_ENTER) {
        if (t->drill_pass.len == 0)
            return;
        drill_run(t);
        backup_overlay_close(t);
        return;
    }
    edit_key(&t->drill_pass, key);
}

/* ---- status ---- */

void backup_status_text(struct tui *t, char *out, size_t n, bool *warn)
{
    const struct ov_auto_backup_result *autob = ov_backup_auto_last();
    unsigned warn_days = t->opts->config->backup_warn_days;
    char age[64], drill[64];

    if (!t->backup_known || t->backup_generation != t->vault.generation) {
        ov_backup_status(&t->vault, warn_days, ov_now(), &t->backup);
        t->backup_generation = t->vault.generation;
        t->backup_known = true;
    }
    *warn = false;
    if (autob->state == OV_AUTO_DIR_ABSENT || autob->state == OV_AUTO_FAILED) {
        snprintf(out, n, "%s", autob->message);
        *warn = true;
        return;
    }
    ov_format_age(t->backup.last_backup, ov_now(), age, sizeof age);
    ov_format_age(t->backup.last_drill, ov_now(), drill, sizeof drill);
    if (t->vault.accounts.len > 0 && t->backup.changed_since && t->backup.last_backup != 0)
        snprintf(out, n, "changed since the last backup (%s)   drill: %s", age, drill);
    else if (t->backup.too_old && t->backup.last_backup != 0)
        snprintf(out, n, "last backup: %s (older than %u days)   drill: %s", age, warn_days,
                 drill);
    else if (t->backup.too_old || (t->backup.changed_since && t->vault.accounts.len > 0))
        snprintf(out, n, "no backup yet: otpvault backup create");
    else
        snprintf(out, n, "last backup: %s   drill: %s", age, drill);
    *warn = t->backup.too_old || (t->backup.changed_since && t->vault.accounts.len > 0);
}
