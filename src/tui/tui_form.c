/* The add, edit and rename forms. The texts are typed into secure-memory fields; the core's
 * ov_account_from_form validates them and names the field to fix, which gets the cursor. */
#include <stdio.h>
#include <string.h>

#include "otpvault/mem.h"
#include "tui.h"

static const enum ov_form_field add_fields[] = {
    OV_F_URI, OV_F_ISSUER, OV_F_NAME, OV_F_SECRET, OV_F_TYPE, OV_F_ALGORITHM, OV_F_DIGITS,
    OV_F_PERIOD, OV_F_COUNTER, OV_F_GROUP, OV_F_NOTE,
};
static const enum ov_form_field edit_fields[] = {
    OV_F_ISSUER, OV_F_NAME, OV_F_GROUP, OV_F_NOTE, OV_F_TYPE, OV_F_ALGORITHM, OV_F_DIGITS,
    OV_F_PERIOD, OV_F_COUNTER, OV_F_SECRET,
};
static const enum ov_form_field rename_fields[] = { OV_F_ISSUER, OV_F_NAME };

#define LABEL_W 17

static enum edit_mask mask_of(enum ov_form_field f)
{
    return f == OV_F_URI ? MASK_URI_SECRET : f == OV_F_SECRET ? MASK_STARS : MASK_NONE;
}

void form_close(struct tui *t)
{
    struct form *f = &t->form;
    for (int i = 0; i < OV_F_COUNT; i++)
        edit_free(&f->edits[i]);
    memset(f, 0, sizeof *f);
    if (t->overlay == OVL_FORM)
        t->overlay = OVL_NONE;
}

void form_open(struct tui *t, enum tui_form_kind kind)
{
    struct form *f = &t->form;
    const enum ov_form_field *fields = kind == FORM_ADD ? add_fields
                                     : kind == FORM_EDIT ? edit_fields : rename_fields;
    int n = kind == FORM_ADD ? (int)(sizeof add_fields / sizeof *add_fields)
          : kind == FORM_EDIT ? (int)(sizeof edit_fields / sizeof *edit_fields)
          : (int)(sizeof rename_fields / sizeof *rename_fields);

    form_close(t);
    f->kind = kind;
    f->nfields = n;
    memcpy(f->fields, fields, (size_t)n * sizeof *fields);
    for (int i = 0; i < OV_F_COUNT; i++)
        edit_init(&f->edits[i], mask_of((enum ov_form_field)i));
    if (kind == FORM_ADD) {
        edit_set(&f->edits[OV_F_TYPE], "totp");
        edit_set(&f->edits[OV_F_ALGORITHM], "SHA1");
        edit_set(&f->edits[OV_F_DIGITS], "6");
        edit_set(&f->edits[OV_F_PERIOD], "30");
        edit_set(&f->edits[OV_F_COUNTER], "0");
    } else {
        char *texts[OV_F_COUNT];
        f->account = ov_listview_selected_account(&t->lv);
        ov_form_texts_from_account(&t->vault.accounts.items[f->account], texts);
        for (int i = 0; i < OV_F_COUNT; i++)
            if (texts[i] != NULL)
                edit_set(&f->edits[i], texts[i]);
        ov_form_texts_free(texts);
    }
    t->overlay = OVL_FORM;
}

static int focus_of(const struct form *f, enum ov_form_field field)
{
    for (int i = 0; i < f->nfields; i++)
        if (f->fields[i] == field)
            return i;
    return -1;
}

static void submit(struct tui *t)
{
    struct form *f = &t->form;
    const char *texts[OV_F_COUNT] = { 0 };
    const struct ov_account *base = NULL;
    struct ov_error err = { 0 };
    struct ov_account a, old;
    enum ov_form_field bad;
    char title[300];
    size_t i;
    int rc, k;

    for (k = 0; k < f->nfields; k++)
        texts[f->fields[k]] = f->edits[f->fields[k]].buf;
    /* The vault as it is now (another program may have saved while the form was open); an
     * edited account must still be there, unchanged. */
    if (!actions_begin_change(t, f->kind != FORM_ADD ? &f->account : NULL,
                              f->kind == FORM_ADD ? "new account" : "change")) {
        snprintf(f->error, sizeof f->error, "%s", t->status);
        return;
    }
    if (f->kind != FORM_ADD)
        base = &t->vault.accounts.items[f->account];
    if (ov_account_from_form(texts, base, &a, &bad, &err) != OV_OK) {
        actions_end_change(t);
        snprintf(f->error, sizeof f->error, "%s", err.msg);
        if ((k = focus_of(f, bad)) >= 0)
            f->focus = k;
        ov_account_free(&a);
        return;
    }
    if (f->kind == FORM_ADD) {
        if (ov_account_list_has(&t->vault.accounts, &a)) {
            actions_end_change(t);
            snprintf(f->error, sizeof f->error, "this account is already in the vault");
            ov_account_free(&a);
            return;
        }
        if (a.created == 0)
            a.created = ov_now();
        i = t->vault.accounts.len;
        ov_account_list_push(&t->vault.accounts, &a);
        rc = actions_save(t, "new account");
        if (rc != OV_OK) {
            if (rc != OV_ERR_CONFLICT && t->vault_open)
                ov_account_list_remove(&t->vault.accounts, i);
            snprintf(f->error, sizeof f->error, "%s", t->status);
            return;
        }
    } else {
        i = f->account;
        old = t->vault.accounts.items[i];
        t->vault.accounts.items[i] = a;
        rc = actions_save(t, "change");
        if (rc != OV_OK) {
            if (rc != OV_ERR_CONFLICT && t->vault_open) {
                ov_account_free(&t->vault.accounts.items[i]);
                t->vault.accounts.items[i] = old;
            } else {
                ov_account_free(&old);
            }
            snprintf(f->error, sizeof f->error, "%s", t->status);
            return;
        }
        ov_account_free(&old);
    }
    list_attach(t);
    ov_listview_select_account(&t->lv, i);
    tui_status(t, MSG_OK, "%s %s", f->kind == FORM_ADD ? "added" : "saved",
               ov_account_label(&t->vault.accounts.items[i], title, sizeof title));
    form_close(t);
}

void form_key(struct tui *t, int key)
{
    struct form *f = &t->form;

    switch (key) {
    case OV_KEY_ESC:
        form_close(t);
        tui_status(t, MSG_INFO, "nothing changed");
        return;
    case '\t': case OV_KEY_DOWN:
        f->focus = (f->focus + 1) % f->nfields;
        return;
    case OV_KEY_BTAB: case OV_KEY_UP:
        f->focus = (f->focus + f->nfields - 1) % f->nfields;
        return;
    case OV_KEY_ENTER:
        submit(t);
        return;
    default:
        if (edit_key(&f->edits[f->fields[f->focus]], key))
            f->error[0] = '\0';
    }
}

void form_draw(struct tui *t)
{
    struct form *f = &t->form;
    struct frame *fr = &t->frame;
    int top = 1, bottom = t->rows - 1, y, visible;
    int label_w = t->cols >= 50 ? LABEL_W : 11;
    char title[400];

    for (y = top; y < bottom; y++)
        frame_fill(fr, y, 0, t->cols, L' ', ST_NORMAL);
    if (f->kind == FORM_ADD) {
        snprintf(title, sizeof title, "Add an account: paste an otpauth:// URI, or fill in "
                 "the fields");
    } else {
        char label[300];
        snprintf(title, sizeof title, "%s %s", f->kind == FORM_EDIT ? "Edit" : "Rename",
                 ov_account_label(&t->vault.accounts.items[f->account], label, sizeof label));
    }
    frame_text(fr, top, 1, t->cols - 2, title, ST_TITLE);
    /* Fields in the rows left between the title and the two message lines. */
    visible = bottom - top - 3;
    if (visible < 1)
        visible = 1;
    if (f->focus < f->top)
        f->top = f->focus;
    if (f->focus >= f->top + visible)
        f->top = f->focus - visible + 1;
    for (int k = f->top; k < f->nfields && k < f->top + visible; k++) {
        enum ov_form_field field = f->fields[k];
        y = top + 1 + (k - f->top);
        frame_text(fr, y, 1, label_w - 1, ov_form_field_label(field),
                   k == f->focus ? ST_TITLE : ST_NORMAL);
        edit_draw(&f->edits[field], fr, y, label_w, t->cols - label_w - 1, k == f->focus);
    }
    if (f->error[0] != '\0')
        frame_text(fr, bottom - 2, 1, t->cols - 2, f->error, ST_ERROR);
    frame_text(fr, bottom - 1, 1, t->cols - 2,
               "Enter: save   Tab/Down: next field   Up: previous   Esc: cancel", ST_DIM);
}
