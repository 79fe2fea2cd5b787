/* The unlock screen (passphrase with echo off, "unlocking..." while the KDF runs, a limit on
 * wrong tries with a growing delay) and the first-run screen that creates the vault. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/exposure.h"
#include "otpvault/mem.h"
#include "otpvault/passphrase.h"
#include "tui.h"

#define MAX_TRIES 5

void unlock_enter(struct tui *t, const char *msg, enum tui_msg kind)
{
    t->screen = SCR_UNLOCK;
    t->overlay = OVL_NONE;
    edit_clear(&t->pass);
    snprintf(t->unlock_msg, sizeof t->unlock_msg, "%s", msg != NULL ? msg : "");
    t->unlock_msg_kind = kind;
}

/* Shows "unlocking..." before the KDF blocks us for a moment. */
static void busy(struct tui *t, const char *text)
{
    t->busy = true;
    t->busy_text = text;
    tui_redraw_now(t);
}

/* As the command line does: a vault others can read, or a directory others can write (so
 * they could swap the vault), is said on the status line, with the chmod that fixes it. */
static void warn_if_exposed(struct tui *t)
{
    struct ov_exposure exp;

    ov_vault_exposure(t->opts->vault_path, getenv("HOME"), &exp);
    if (exp.count == 1)
        tui_status(t, MSG_ERROR, "warning: %s", exp.msg[0]);
    else if (exp.count > 1)
        tui_status(t, MSG_ERROR, "warning: %s (and %zu more: otpvault list shows them)",
                   exp.msg[0], exp.count - 1);
}

void unlock_done(struct tui *t, const char *status)
{
    tui_mark_unlocked(t);
    t->busy = false;
    t->vault_open = true;
    t->failures = 0;
    t->unlock_msg[0] = '\0';
    t->screen = SCR_LIST;
    t->last_input = tui_mono();
    edit_clear(&t->pass);
    edit_clear(&t->pass2);
    list_attach(t);
    tui_status(t, MSG_OK, "%s", status);
    warn_if_exposed(t);
    /* Keys typed while the KDF ran were meant for the prompt, not for the list. */
    flushinp();
}

static void open_with(struct tui *t, const char *pass, size_t len)
{
    struct ov_error err = { 0 };
    char status[128];
    int rc;

    busy(t, "unlocking\xe2\x80\xa6");
    rc = ov_vault_open(t->opts->vault_path, pass, len, &t->vault, &err);
    t->busy = false;
    if (rc == OV_OK) {
        snprintf(status, sizeof status, "unlocked: %zu account%s", t->vault.accounts.len,
                 t->vault.accounts.len == 1 ? "" : "s");
        unlock_done(t, status);
        sync_conflict_copies(t);   /* the app writes: sync tools' copies come in now */
        return;
    }
    edit_clear(&t->pass);
    flushinp();
    if (rc != OV_ERR_AUTH) {
        unlock_enter(t, err.msg, MSG_ERROR);
        return;
    }
    if (++t->failures >= MAX_TRIES) {
        snprintf(t->exit_message, sizeof t->exit_message,
                 "%s: %d wrong passphrases; giving up", t->opts->vault_path, MAX_TRIES);
        t->exit_status = 3;
        t->quit = true;
        return;
    }
    /* 1, 2, 4, 8 seconds: cheap for a typo, slow for guessing at the keyboard. */
    t->retry_at = tui_mono() + (1 << (t->failures - 1));
    snprintf(t->unlock_msg, sizeof t->unlock_msg,
             "wrong passphrase or damaged vault (try %d of %d)", t->failures, MAX_TRIES);
    t->unlock_msg_kind = MSG_ERROR;
}

void unlock_try_file(struct tui *t)
{
    struct ov_error err = { 0 };
    char *pass;

    if (ov_passphrase_read_file(t->opts->passphrase_file, &pass, &err) != OV_OK) {
        unlock_enter(t, err.msg, MSG_ERROR);
        return;
    }
    open_with(t, pass, strlen(pass));
    ov_secure_free_str(pass);
}

static void create(struct tui *t)
{
    struct ov_error err = { 0 };
    char status[OV_ERROR_MSG_MAX];
    int rc;

    if (t->pass.len == 0) {
        snprintf(t->unlock_msg, sizeof t->unlock_msg, "type a passphrase");
        t->unlock_msg_kind = MSG_ERROR;
        t->create_focus = 0;
        return;
    }
    if (strcmp(t->pass.buf, t->pass2.buf) != 0) {
        snprintf(t->unlock_msg, sizeof t->unlock_msg, "the two passphrases differ; type them "
                 "again");
        t->unlock_msg_kind = MSG_ERROR;
        edit_clear(&t->pass);
        edit_clear(&t->pass2);
        t->create_focus = 0;
        return;
    }
    busy(t, "creating the vault\xe2\x80\xa6");
    rc = ov_vault_create(t->opts->vault_path, t->pass.buf, t->pass.len, NULL, &t->vault, &err);
    t->busy = false;
    if (rc != OV_OK) {
        snprintf(t->unlock_msg, sizeof t->unlock_msg, "%s", err.msg);
        t->unlock_msg_kind = MSG_ERROR;
        return;
    }
    snprintf(status, sizeof status, "created %s", t->opts->vault_path);
    unlock_done(t, status);
    import_open(t, true);   /* a new vault is usually filled from the old phone */
}

static void create_key(struct tui *t, int key)
{
    struct edit *e = t->create_focus == 0 ? &t->pass : &t->pass2;

    switch (key) {
    case OV_KEY_ESC:
        t->quit = true;
        return;
    case 18:   /* Ctrl-R: a new machine restores a backup instead */
        restore_enter(t);
        return;
    case '\t': case OV_KEY_DOWN: case OV_KEY_UP: case OV_KEY_BTAB:
        t->create_focus = !t->create_focus;
        return;
    case OV_KEY_ENTER:
        if (t->create_focus == 0 && t->pass.len > 0)
            t->create_focus = 1;
        else
            create(t);
        return;
    default:
        edit_key(e, key);
    }
}

void unlock_key(struct tui *t, int key)
{
    if (t->busy)
        return;
    if (t->screen == SCR_CREATE) {
        create_key(t, key);
        return;
    }
    if (t->screen == SCR_RESTORE) {
        restore_key(t, key);
        return;
    }
    if (key == OV_KEY_ESC) {
        t->quit = true;
        return;
    }
    if (t->retry_at > tui_mono())
        return;   /* still waiting after a wrong passphrase: typing is ignored */
    if (key == OV_KEY_ENTER) {
        if (t->pass.len == 0) {
            snprintf(t->unlock_msg, sizeof t->unlock_msg, "type the passphrase, then Enter");
            t->unlock_msg_kind = MSG_INFO;
            return;
        }
        open_with(t, t->pass.buf, t->pass.len);
        return;
    }
    edit_key(&t->pass, key);
}

static enum tui_style msg_style(enum tui_msg kind)
{
    return kind == MSG_ERROR ? ST_ERROR : kind == MSG_OK ? ST_OK : ST_NORMAL;
}

void unlock_draw(struct tui *t)
{
    struct frame *f = &t->frame;
    bool creating = t->screen == SCR_CREATE;
    int w = t->cols - 4 > 64 ? 64 : t->cols - 4;
    int h = creating ? 11 : 8;
    int x = (t->cols - w) / 2, y = t->rows > h ? (t->rows - h) / 2 : 0;
    int label_w = creating ? 8 : 12;
    char line[OV_ERROR_MSG_MAX + 32];
    int64_t wait = t->retry_at - tui_mono();

    if (t->screen == SCR_RESTORE) {
        restore_draw(t);
        return;
    }
    if (w < 10)
        w = t->cols, x = 0;
    frame_text(f, y, x, w, creating ? "otpvault: create a vault" : "otpvault", ST_TITLE);
    frame_text(f, y + 1, x, w, t->opts->vault_path, ST_DIM);
    if (creating) {
        const char *hint = NULL;
        frame_text(f, y + 3, x, w, "No vault here yet. Choose its passphrase:", ST_NORMAL);
        frame_text(f, y + 4, x, label_w, "new", ST_NORMAL);
        edit_draw(&t->pass, f, y + 4, x + label_w, w - label_w, t->create_focus == 0);
        frame_text(f, y + 5, x, label_w, "repeat", ST_NORMAL);
        edit_draw(&t->pass2, f, y + 5, x + label_w, w - label_w, t->create_focus == 1);
        if (t->pass.len > 0) {
            enum ov_strength s = ov_passphrase_strength(t->pass.buf, &hint);
            snprintf(line, sizeof line, "strength: %s", hint);
            frame_text(f, y + 6, x, w, line, s == OV_STRENGTH_WEAK ? ST_ERROR
                                             : s == OV_STRENGTH_FAIR ? ST_NORMAL : ST_OK);
        }
        y += 3;
    } else {
        frame_text(f, y + 3, x, label_w, "passphrase", ST_NORMAL);
        edit_draw(&t->pass, f, y + 3, x + label_w, w - label_w, !t->busy && wait <= 0);
    }
    if (t->busy) {
        frame_text(f, y + 5, x, w, t->busy_text, ST_TITLE);
        f->cursor_y = -1;
    } else if (t->unlock_msg[0] != '\0') {
        if (wait > 0) {
            snprintf(line, sizeof line, "%s; again in %llds", t->unlock_msg, (long long)wait);
            frame_text(f, y + 5, x, w, line, ST_ERROR);
        } else {
            frame_text(f, y + 5, x, w, t->unlock_msg, msg_style(t->unlock_msg_kind));
        }
    }
    if (creating)
        frame_text(f, y + 8, x, w, "A new machine? Ctrl-R restores a backup instead.",
                   ST_NORMAL);
    frame_text(f, y + 7, x, w, creating ? "Enter: next/create   Tab: switch   Esc: quit"
                                        : "Enter: unlock   Esc: quit", ST_DIM);
}
