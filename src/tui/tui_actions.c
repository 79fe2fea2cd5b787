/* What the keys do on the list: moving, filtering, copying, HOTP counters, delete and undo,
 * locking; and the once-a-second chores (clipboard clear, auto-lock). Every change to the
 * vault is saved atomically before the screen shows its result; a failed save puts things
 * back as they were, and a vault changed by another program is reloaded. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "otpvault/mem.h"
#include "otpvault/uri.h"
#include "tui.h"

bool actions_begin_change(struct tui *t, size_t *account, const char *what)
{
    struct ov_error err = { 0 };
    struct ov_account chosen;
    char label[300];
    bool reloaded;
    size_t j = 0;
    int rc;

    if (account != NULL)
        ov_account_copy(&chosen, &t->vault.accounts.items[*account]);
    /* The app waits as long as a save always did: a person is watching. */
    rc = ov_vault_begin_write(&t->vault, OV_VAULT_LOCK_TIMEOUT_MS, &reloaded, &err);
    if (rc != OV_OK) {
        if (account != NULL)
            ov_account_free(&chosen);
        if (rc == OV_ERR_AUTH || rc == OV_ERR_CONFLICT) {
            actions_lock(t, NULL);
            unlock_enter(t, err.msg, MSG_ERROR);
        } else {
            tui_status(t, MSG_ERROR, "%s not saved: %s", what, err.msg);
        }
        return false;
    }
    if (!reloaded) {
        if (account != NULL)
            ov_account_free(&chosen);
        return true;
    }
    list_attach(t);
    if (account == NULL)
        return true;
    while (j < t->vault.accounts.len &&
           !ov_account_equivalent(&t->vault.accounts.items[j], &chosen))
        j++;
    if (j == t->vault.accounts.len) {
        ov_vault_end_write(&t->vault);
        tui_status(t, MSG_ERROR, "another program changed %s: reloaded the vault; the %s was "
                   "not made", ov_account_label(&chosen, label, sizeof label), what);
        ov_account_free(&chosen);
        return false;
    }
    *account = j;
    ov_listview_select_account(&t->lv, j);
    ov_account_free(&chosen);
    return true;
}

void actions_end_change(struct tui *t)
{
    ov_vault_end_write(&t->vault);
}

/* Saves; on a conflict reloads what the other program wrote (the change is lost, and the
 * status line says so). Returns the save's status. */
int actions_save(struct tui *t, const char *what)
{
    struct ov_error err = { 0 };
    int rc = ov_vault_save(&t->vault, &err);

    ov_vault_end_write(&t->vault);
    if (rc != OV_OK)
        actions_save_failed(t, rc, &err, what);
    return rc;
}

void actions_save_failed(struct tui *t, int rc, const struct ov_error *err, const char *what)
{
    struct ov_error rerr = { 0 };

    if (rc != OV_ERR_CONFLICT) {
        tui_status(t, MSG_ERROR, "%s not saved: %s", what, err->msg);
        return;
    }
    if (ov_vault_reload(&t->vault, &rerr) != OV_OK) {
        actions_lock(t, NULL);
        unlock_enter(t, rerr.msg, MSG_ERROR);
        return;
    }
    list_attach(t);
    tui_status(t, MSG_ERROR, "the vault was changed by another program: reloaded it; "
               "the %s was not saved, do it again", what);
}

static void write_tty(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDOUT_FILENO, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
    }
}

void clipboard_clear_now(struct tui *t)
{
    struct ov_error err = { 0 };
    bool cleared = false;

    if (t->clip_text == NULL)
        return;
    if (ov_clipboard_clear_if_ours(t->clip_method, t->clip_text, t->clip_len, &cleared,
                                   &err) == OV_OK && cleared)
        tui_status(t, MSG_INFO, "clipboard cleared");
    ov_secure_free(t->clip_text, t->clip_len + 1);
    t->clip_text = NULL;
    t->clip_clear_at = 0;
}

static void actions_copy_text(struct tui *t, const char *text, size_t len, const char *what)
{
    struct ov_error err = { 0 };
    unsigned clear = t->opts->config->clipboard_clear;
    char how[48];

    ov_clipboard_describe(&t->clip, how, sizeof how);
    if (t->clip.method == OV_CLIP_NONE) {
        tui_status(t, MSG_ERROR, "copying is off (clipboard.method: none in the config)");
        return;
    }
    if (t->clip.method == OV_CLIP_OSC52 && t->clip.tmux_route == OV_TMUX_BLOCKED) {
        /* Said rather than pretended: tmux would drop the sequence. */
        tui_status(t, MSG_ERROR, "not copied: tmux drops it; in ~/.tmux.conf: " OV_TMUX_FIX);
        return;
    }
    if (t->clip.method == OV_CLIP_OSC52) {
        size_t n;
        char *seq = ov_osc52_sequence(text, len, t->clip.tmux, &n);
        write_tty(seq, n);   /* curses has flushed: the sequence goes out whole */
        ov_secure_free(seq, n);
        tui_status(t, MSG_OK, "%s copied (%s; the terminal keeps it, it cannot be cleared "
                   "from here)", what, how);
        return;
    }
    if (ov_clipboard_copy_tool(t->clip.method, text, len, &err) != OV_OK) {
        tui_status(t, MSG_ERROR, "copy failed: %s", err.msg);
        return;
    }
    clipboard_clear_now(t);   /* forget an earlier copy: only the newest is ours */
    if (clear > 0 && ov_clipboard_can_read_back(t->clip.method)) {
        t->clip_text = ov_secure_strndup(text, len);
        t->clip_len = len;
        t->clip_method = t->clip.method;
        t->clip_clear_at = tui_mono() + clear;
        tui_status(t, MSG_OK, "%s copied with %s; cleared in %us", what, how, clear);
    } else {
        tui_status(t, MSG_OK, "%s copied with %s", what, how);
    }
}

/* The account under the selection, or NULL with a status message. */
static struct ov_account *selected(struct tui *t, size_t *index)
{
    size_t i = ov_listview_selected_account(&t->lv);
    if (i == OV_NO_ROW) {
        tui_status(t, MSG_INFO, "no account selected");
        return NULL;
    }
    *index = i;
    return &t->vault.accounts.items[i];
}

/* Remembers that an account was just used (for "recent" sorting). Quiet: a copy has
 * worked whether or not this reaches the disk. */
static void mark_used(struct tui *t, size_t i)
{
    struct ov_error err = { 0 };
    struct ov_account used;
    bool reloaded;

    ov_account_copy(&used, &t->vault.accounts.items[i]);
    if (ov_vault_begin_write(&t->vault, OV_VAULT_LOCK_TIMEOUT_MS, &reloaded, &err) == OV_OK) {
        if (reloaded) {
            list_attach(t);
            for (i = 0; i < t->vault.accounts.len; i++)
                if (ov_account_same(&t->vault.accounts.items[i], &used))
                    break;
        }
        if (i < t->vault.accounts.len) {
            t->vault.accounts.items[i].last_used = ov_now();
            (void)ov_vault_save(&t->vault, &err);
        }
        ov_vault_end_write(&t->vault);
    }
    ov_account_free(&used);
}

static void copy_code(struct tui *t)
{
    size_t i;
    struct ov_account *a = selected(t, &i);
    const char *code;

    if (a == NULL)
        return;
    t->codes[i].revealed = true;   /* HOTP: copying shows the code it copied */
    code = list_code(t, i, ov_now(), false);
    if (code == NULL || strcmp(code, "error") == 0) {
        tui_status(t, MSG_ERROR, "no code for this account");
        return;
    }
    actions_copy_text(t, code, strlen(code), "code");
    mark_used(t, i);
}

static void counter_step(struct tui *t, int dir)
{
    char label[300];
    size_t i;
    struct ov_account *a = selected(t, &i);
    uint64_t old;
    int rc;

    if (a == NULL)
        return;
    if (a->type != OV_HOTP) {
        tui_status(t, MSG_INFO, "only HOTP accounts have a counter");
        return;
    }
    if (dir < 0 && a->counter == 0) {
        tui_status(t, MSG_INFO, "the counter is already 0");
        return;
    }
    if (!actions_begin_change(t, &i, "counter change"))
        return;
    a = &t->vault.accounts.items[i];
    old = a->counter;
    a->counter = dir > 0 ? old + 1 : old - 1;
    /* Saved before the new code shows: a code never appears for a counter not on disk. */
    rc = actions_save(t, "counter change");
    if (rc != OV_OK) {
        if (rc != OV_ERR_CONFLICT && t->vault_open)
            a->counter = old;
        return;
    }
    t->codes[i].revealed = true;
    t->codes[i].valid = false;
    tui_status(t, MSG_OK, "%s: counter %llu, saved", ov_account_label(a, label, sizeof label),
               (unsigned long long)a->counter);
}

static void delete_account(struct tui *t, size_t i)
{
    struct ov_account copy;
    char label[300];
    int rc;

    if (!actions_begin_change(t, &i, "delete"))
        return;
    ov_account_copy(&copy, &t->vault.accounts.items[i]);
    ov_account_list_remove(&t->vault.accounts, i);
    rc = actions_save(t, "delete");
    if (rc != OV_OK) {
        if (rc != OV_ERR_CONFLICT && t->vault_open)
            ov_account_list_insert(&t->vault.accounts, &copy, i);
        ov_account_free(&copy);
        return;
    }
    if (t->has_undo)
        ov_account_free(&t->undo);
    t->undo = copy;
    t->undo_index = i;
    t->has_undo = true;
    list_attach(t);
    tui_status(t, MSG_OK, "deleted %s; u undoes", ov_account_label(&t->undo, label, sizeof label));
}

static void undo_delete(struct tui *t)
{
    struct ov_account copy;
    char label[300];
    size_t i = t->undo_index;

    if (!t->has_undo) {
        tui_status(t, MSG_INFO, "nothing to undo");
        return;
    }
    if (!actions_begin_change(t, NULL, "undo"))
        return;
    if (ov_account_list_has(&t->vault.accounts, &t->undo)) {
        /* Another program put it back (or never saw it go): nothing to restore. */
        actions_end_change(t);
        tui_status(t, MSG_INFO, "%s is in the vault already",
                   ov_account_label(&t->undo, label, sizeof label));
        ov_account_free(&t->undo);
        t->has_undo = false;
        return;
    }
    if (i > t->vault.accounts.len)
        i = t->vault.accounts.len;
    ov_account_copy(&copy, &t->undo);
    ov_account_list_insert(&t->vault.accounts, &copy, i);
    if (actions_save(t, "undo") != OV_OK) {
        if (t->vault_open && t->vault.accounts.len > i &&
            ov_account_same(&t->vault.accounts.items[i], &t->undo))
            ov_account_list_remove(&t->vault.accounts, i);
        return;
    }
    list_attach(t);
    ov_listview_select_account(&t->lv, i);
    tui_status(t, MSG_OK, "restored %s", ov_account_label(&t->undo, label, sizeof label));
    ov_account_free(&t->undo);
    t->has_undo = false;
}

void actions_confirmed(struct tui *t)
{
    size_t i = t->confirm_account;
    char *uri;

    if (i >= t->vault.accounts.len)
        return;
    if (t->confirm == CONFIRM_DELETE) {
        delete_account(t, i);
    } else {
        uri = ov_uri_format(&t->vault.accounts.items[i]);
        actions_copy_text(t, uri, strlen(uri), "otpauth:// URI");
        ov_secure_free_str(uri);
    }
}

static void filter_key(struct tui *t, int key)
{
    switch (key) {
    case OV_KEY_ENTER:
        t->filtering = false;   /* keep the filter */
        return;
    case OV_KEY_ESC:
        t->filtering = false;
        edit_clear(&t->filter);
        ov_listview_set_filter(&t->lv, "");
        return;
    case OV_KEY_UP: ov_listview_move(&t->lv, -1); return;
    case OV_KEY_DOWN: ov_listview_move(&t->lv, 1); return;
    case OV_KEY_PGUP: ov_listview_page_up(&t->lv); return;
    case OV_KEY_PGDN: ov_listview_page_down(&t->lv); return;
    default:
        if (edit_key(&t->filter, key))
            ov_listview_set_filter(&t->lv, t->filter.buf);
    }
}

static void ask(struct tui *t, enum tui_confirm kind, const char *before, const char *after)
{
    char label[300], text[512];
    size_t i;
    struct ov_account *a = selected(t, &i);

    if (a == NULL)
        return;
    snprintf(text, sizeof text, "%s%s%s", before, ov_account_label(a, label, sizeof label), after);
    overlay_confirm(t, kind, i, text);
}

void actions_key(struct tui *t, int key)
{
    size_t i;

    if (t->filtering) {
        filter_key(t, key);
        return;
    }
    if (key == OV_KEY_ESC) {
        if (t->lv.filter[0] != '\0') {
            edit_clear(&t->filter);
            ov_listview_set_filter(&t->lv, "");
        }
        return;
    }
    switch (ov_keymap_lookup(&t->keys, key)) {
    case OV_ACT_UP: ov_listview_move(&t->lv, -1); break;
    case OV_ACT_DOWN: ov_listview_move(&t->lv, 1); break;
    case OV_ACT_TOP: ov_listview_first(&t->lv); break;
    case OV_ACT_BOTTOM: ov_listview_last(&t->lv); break;
    case OV_ACT_PAGE_UP: ov_listview_page_up(&t->lv); break;
    case OV_ACT_PAGE_DOWN: ov_listview_page_down(&t->lv); break;
    case OV_ACT_FILTER:
        t->filtering = true;
        edit_set(&t->filter, t->lv.filter);
        break;
    case OV_ACT_COPY: copy_code(t); break;
    case OV_ACT_COPY_URI:
        ask(t, CONFIRM_COPY_URI, "Copy the otpauth:// URI of ", "? It holds the secret.");
        break;
    case OV_ACT_QR:
        if (selected(t, &i) != NULL)
            overlay_open_qr(t, i);
        break;
    case OV_ACT_COUNTER_NEXT: counter_step(t, 1); break;
    case OV_ACT_COUNTER_PREV: counter_step(t, -1); break;
    case OV_ACT_ADD: form_open(t, FORM_ADD); break;
    case OV_ACT_IMPORT: import_open(t, false); break;
    case OV_ACT_EDIT:
        if (selected(t, &i) != NULL)
            form_open(t, FORM_EDIT);
        break;
    case OV_ACT_RENAME:
        if (selected(t, &i) != NULL)
            form_open(t, FORM_RENAME);
        break;
    case OV_ACT_DELETE: ask(t, CONFIRM_DELETE, "Delete ", "?"); break;
    case OV_ACT_UNDO: undo_delete(t); break;
    case OV_ACT_SORT:
        ov_listview_set_sort(&t->lv, (enum ov_sort)((t->lv.sort + 1) % OV_SORT_COUNT));
        tui_status(t, MSG_INFO, "sorted by %s", ov_sort_name(t->lv.sort));
        break;
    case OV_ACT_SHOW_NEXT:
        t->show_next = !t->show_next;
        tui_status(t, MSG_INFO, t->show_next ? "next codes shown" : "next codes shown near "
                   "the end of their period");
        break;
    case OV_ACT_TRANSFER: transfer_open(t); break;
    case OV_ACT_DRILL: drill_open(t); break;
    case OV_ACT_HELP:
        t->overlay = OVL_HELP;
        t->help_top = 0;
        break;
    case OV_ACT_LOCK: actions_lock(t, "locked"); break;
    case OV_ACT_QUIT: t->quit = true; break;
    default:
        if (key == 3)   /* Ctrl-C read as a key (the terminal in raw mode) */
            t->quit = true;
        break;
    }
}

void actions_lock(struct tui *t, const char *why)
{
    import_close(t);
    edit_clear(&t->imp.line);
    overlay_close(t);
    form_close(t);
    if (t->has_undo)
        ov_account_free(&t->undo);
    t->has_undo = false;
    list_forget_codes(t);
    ov_listview_free(&t->lv);
    edit_clear(&t->filter);
    t->filtering = false;
    if (t->vault_open)
        ov_vault_close(&t->vault);
    t->vault_open = false;
    frame_wipe(&t->frame);   /* its cells held codes */
    t->status[0] = '\0';
    if (why != NULL)
        unlock_enter(t, why, MSG_INFO);
}

void actions_tick(struct tui *t)
{
    int64_t now = tui_mono();
    unsigned timeout = t->opts->config->lock_timeout;
    char why[96];

    if (t->clip_clear_at != 0 && now >= t->clip_clear_at)
        clipboard_clear_now(t);
    if (t->screen == SCR_LIST && timeout > 0 && now - t->last_input >= (int64_t)timeout) {
        if (timeout % 60 == 0)
            snprintf(why, sizeof why, "locked after %u minute%s idle", timeout / 60,
                     timeout == 60 ? "" : "s");
        else
            snprintf(why, sizeof why, "locked after %u seconds idle", timeout);
        actions_lock(t, why);
    }
}
