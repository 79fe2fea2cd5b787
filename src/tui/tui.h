/* Internal to the full-screen app: the state shared by the files of src/tui, the only ones
 * that include curses; everything they can leave to the core (list model, keymap,
 * clipboard, QR drawing, form validation) lives there and is tested without a terminal. */
#ifndef OTPVAULT_TUI_INTERNAL_H
#define OTPVAULT_TUI_INTERNAL_H

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <stdbool.h>
#include <stdint.h>
#include <wchar.h>

#include "tui/model/account_form.h"
#include "otpvault/clipboard.h"
#include "otpvault/import.h"
#include "otpvault/keymap.h"
#include "tui/model/listview.h"
#include "otpvault/otp.h"
#include "tui/model/pathline.h"
#include "otpvault/backup.h"
#include "otpvault/qrdraw.h"
#include "otpvault/qrplan.h"
#include "tui/app.h"
#include "otpvault/vault.h"

/* ---- frame: what should be on screen, diffed against what is (tui_frame.c) ---- */

enum tui_style {
    ST_NORMAL = 0, ST_HEADER, ST_SELECTED, ST_EXPIRING, ST_EXPIRING_SELECTED, ST_NEXT,
    ST_DIM, ST_ERROR, ST_OK, ST_GROUP, ST_QR, ST_TITLE, ST_INPUT,
    ST_COUNT
};

#define CELL_CHARS 4   /* a base character and up to three combining marks */

struct cell {
    wchar_t ch[CELL_CHARS];   /* ch[0] == 0: right half of the wide character to its left */
    unsigned char style;
};

struct frame {
    int rows, cols;
    struct cell *want;        /* composed this time */
    struct cell *shown;       /* what curses was told last time */
    bool all_dirty;           /* after a resize or a redraw request */
    int cursor_y, cursor_x;   /* -1: cursor hidden */
    int shown_cursor;         /* curs_set state last set */
};

void frame_init(struct frame *f);
void frame_resize(struct frame *f, int rows, int cols);
void frame_free(struct frame *f);
void frame_clear(struct frame *f);
/* Draws UTF-8 text at y,x, at most max_cols wide (cut with an ellipsis), in style. Control
 * characters and invalid bytes are drawn as '?', never sent to the terminal. Returns the
 * columns used. */
int frame_text(struct frame *f, int y, int x, int max_cols, const char *text,
               enum tui_style style);
/* Like frame_text, then pads with spaces in style up to max_cols. */
void frame_text_pad(struct frame *f, int y, int x, int max_cols, const char *text,
                    enum tui_style style);
void frame_fill(struct frame *f, int y, int x, int n, wchar_t ch, enum tui_style style);
/* Hands curses the cells that differ from last time, then one doupdate. */
void frame_flush(struct frame *f);
/* Wipes both buffers (they held codes) and forgets them. */
void frame_wipe(struct frame *f);

/* ---- terminal (tui_term.c) ---- */

int term_start(bool color_wanted);   /* 0, or -1 when the terminal cannot be used */
void term_stop(void);
attr_t term_attr(enum tui_style s, short *pair);
/* The next key as an OV_KEY code / code point, or 0 when none is waiting; -1 when the
 * terminal went away. KEY_RESIZE is reported as OV_KEY_RESIZE. */
#define OV_KEY_RESIZE (OV_KEY_F12 + 100)
int term_read_key(void);

/* ---- line editor (tui_edit.c): text in secure memory ---- */

#define EDIT_CAP 4096

enum edit_mask {
    MASK_NONE,        /* labels, filter */
    MASK_HIDDEN,      /* passphrases: nothing is drawn, not even the length */
    MASK_STARS,       /* a secret: one '*' per character */
    MASK_URI_SECRET,  /* an otpauth:// URI: the secret= value as '*' */
};

struct edit {
    char *buf;        /* secure memory, EDIT_CAP bytes, NUL-terminated */
    size_t len, cursor;
    enum edit_mask mask;
};

void edit_init(struct edit *e, enum edit_mask mask);
void edit_set(struct edit *e, const char *text);
void edit_clear(struct edit *e);
void edit_free(struct edit *e);
/* Applies a key; returns true when it was an editing key. */
bool edit_key(struct edit *e, int key);
/* Inserts text at the cursor (as much as fits). */
void edit_insert(struct edit *e, const char *text);
/* Draws the field at y,x in w columns and puts the cursor there when focused. */
void edit_draw(const struct edit *e, struct frame *f, int y, int x, int w, bool focused);

/* tui_qrview.c: QR pages (qrplan.h) drawn to fit the screen, with next / previous; used by
 * the transfer overlay and by `otpvault qr` on a terminal. */
struct qrview {
    const struct ov_qr_plan *plan;
    size_t page;
    struct ov_qrdraw q;        /* page `page` drawn for rows x cols (holds the secret) */
    bool drawn;
    int rows, cols;
    bool listing;              /* showing the accounts left out instead of a code */
};

void qrview_open(struct qrview *v, const struct ov_qr_plan *plan);
void qrview_draw(struct qrview *v, struct frame *f, int rows, int cols);
/* n / Space / Right / PgDn: next; p / Left / PgUp / Backspace: previous; l: the accounts
 * left out (the first screen when there are any). Returns false for a key that closes the
 * view (q, Esc, Ctrl-C, Enter on the last page). */
bool qrview_key(struct qrview *v, int key);
void qrview_close(struct qrview *v);

struct tui;

/* tui_backup.c: the transfer codes overlay, the drill, the backup part of the status line */
void transfer_open(struct tui *t);
void drill_open(struct tui *t);
void backup_overlay_draw(struct tui *t);
void backup_overlay_key(struct tui *t, int key);
void backup_overlay_close(struct tui *t);
/* "last backup: 3 days ago   drill: never" for the idle status line; *warn when the
 * backup is too old, the accounts changed since, or the automatic backup could not be made. */
void backup_status_text(struct tui *t, char *out, size_t n, bool *warn);

/* ---- the app ---- */

enum tui_screen { SCR_UNLOCK, SCR_CREATE, SCR_RESTORE, SCR_LIST };
enum tui_overlay { OVL_NONE, OVL_HELP, OVL_QR, OVL_CONFIRM, OVL_FORM, OVL_IMPORT, OVL_TRANSFER,
                   OVL_DRILL };
enum tui_confirm { CONFIRM_DELETE, CONFIRM_COPY_URI };
enum tui_form_kind { FORM_ADD, FORM_EDIT, FORM_RENAME };
enum tui_msg { MSG_INFO, MSG_OK, MSG_ERROR };

/* A code computed for one account: reused until its time step (or counter) changes. */
struct code_slot {
    uint64_t step;          /* time step (TOTP) or counter (HOTP) the code is for */
    bool valid, next_valid, revealed; /* revealed: HOTP code asked for */
    uint64_t next_step;
    char code[OV_CODE_MAX], next[OV_CODE_MAX];
};

struct form {
    enum tui_form_kind kind;
    size_t account;                   /* edited account (edit, rename) */
    enum ov_form_field fields[OV_F_COUNT];
    int nfields, focus, top;
    struct edit edits[OV_F_COUNT];
    char error[OV_ERROR_MSG_MAX];
};

/* The import screen: a path prompt, the export password when an input needs one, then a
 * preview of what would be added. */
enum import_stage { IMP_PROMPT, IMP_PASSWORD, IMP_PREVIEW };

/* One line of the preview: an account, or a line of a note (notes are wrapped). */
enum preview_line_kind { PL_PROBLEM, PL_ACCOUNT, PL_BLANK, PL_HEADING, PL_NOTE };

struct preview_line {
    enum preview_line_kind kind;
    size_t index;               /* the account or the note */
    size_t from, len;           /* the part of the note's text on this line */
};

struct import_ui {
    enum import_stage stage;
    bool first_run;             /* offered after creating the vault: Enter on nothing skips */
    struct edit line;           /* the paths typed; kept after a cancel to correct a typo */
    struct edit password;       /* the export password, hidden; wiped when the screen goes */
    bool asked_password;
    char password_for[256];     /* the input that needs it */
    struct ov_pathline paths;
    struct ov_blob *inputs;     /* the files, read once (again only if the user retries) */
    const struct ov_importer **picked; /* each input's importer, sniffed once */
    size_t ninputs;
    struct ov_import_report report;
    bool has_report;
    int run_status;             /* ov_import_run's: not OV_OK when some input failed */
    bool partial;               /* the user asked for the codes that were read */
    bool *skip;                 /* per report account: left out with Space */
    size_t nchosen;
    struct preview_line *lines; /* laid out for the width of the last draw or key */
    size_t nlines;
    int lines_cols;
    size_t cursor, top;
    char message[OV_ERROR_MSG_MAX];
    enum tui_msg message_kind;
};

struct tui {
    const struct ov_tui_opts *opts;
    struct ov_keymap keys;
    struct frame frame;
    int rows, cols;
    enum tui_screen screen;
    enum tui_overlay overlay;
    bool quit;
    int exit_status;

    /* unlock and create */
    struct edit pass, pass2;
    int create_focus;
    struct edit restore_path;   /* the first run's "restore from a backup" (tui_sync.c) */
    int restore_focus;
    int failures;
    int64_t retry_at;           /* monotonic seconds: input ignored until then */
    bool busy;                  /* "unlocking..." while the KDF runs */
    const char *busy_text;
    char unlock_msg[OV_ERROR_MSG_MAX];
    enum tui_msg unlock_msg_kind;

    /* the open vault */
    struct ov_vault vault;
    bool vault_open;
    struct ov_listview lv;
    struct code_slot *codes;    /* one per account */
    size_t ncodes;
    bool filtering;
    struct edit filter;
    bool show_next;
    unsigned periods[3];        /* distinct TOTP periods, most used first */
    int nperiods;
    unsigned shown_periods[4];  /* those the header shows now (the selected one first) */
    int nshown_periods;

    /* overlays */
    struct ov_qrdraw qr;
    bool qr_ok;
    char qr_label[256];
    enum tui_confirm confirm;
    char confirm_text[512];
    size_t confirm_account;
    int help_top;
    struct form form;
    struct import_ui imp;

    /* undo of the last delete */
    struct ov_account undo;
    size_t undo_index;
    bool has_undo;

    /* clipboard */
    struct ov_clip_choice clip;
    char *clip_text;            /* secure memory: what we copied, to check before clearing */
    size_t clip_len;
    enum ov_clipboard_method clip_method;
    int64_t clip_clear_at;      /* monotonic seconds; 0: nothing to clear */

    /* status line */
    char status[OV_ERROR_MSG_MAX];
    enum tui_msg status_kind;
    int64_t status_until;       /* monotonic seconds; 0: until replaced */

    int64_t last_input;         /* monotonic seconds of the last key */
    char exit_message[OV_ERROR_MSG_MAX]; /* printed after the terminal is restored */

    /* OTPVAULT_TRACE_FRAME=file: unlock-to-first-frame time, for bench/ */
    const char *trace_path;
    int64_t trace_unlocked_ns;

    /* moving out (tui_backup.c): transfer codes, the drill, the backup status */
    struct ov_qr_plan transfer_plan;
    struct qrview transfer;
    struct edit drill_pass;
    char drill_path[1024];
    struct ov_backup_status backup;
    uint64_t backup_generation;     /* the vault generation backup was computed for */
    bool backup_known;
};

int64_t tui_mono(void);          /* monotonic seconds */
void tui_redraw_now(struct tui *t);  /* compose and flush at once ("unlocking...") */
void tui_mark_unlocked(struct tui *t);
void tui_status(struct tui *t, enum tui_msg kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* tui_unlock.c */
void unlock_enter(struct tui *t, const char *msg, enum tui_msg kind);
void unlock_try_file(struct tui *t);
void unlock_draw(struct tui *t);
void unlock_key(struct tui *t, int key);
/* The vault is open (unlocked, created or restored): to the list, with status. */
void unlock_done(struct tui *t, const char *status);

/* tui_sync.c: restore from a backup on the first run (Ctrl-R on the create screen), the
 * conflict copies beside the vault merged at unlock, "merged: ..." on the status line */
void restore_enter(struct tui *t);
void restore_key(struct tui *t, int key);
void restore_draw(struct tui *t);
void sync_conflict_copies(struct tui *t);
void sync_status_text(const struct tui *t, char *out, size_t n);

/* tui_list.c */
void list_attach(struct tui *t);
void list_draw(struct tui *t, int64_t now);
const char *list_code(struct tui *t, size_t account, int64_t now, bool next);
void list_forget_codes(struct tui *t);

/* tui_actions.c */
void actions_key(struct tui *t, int key);
void actions_lock(struct tui *t, const char *why);
void actions_tick(struct tui *t);
/* Starts a change: takes the writer lock (briefly: actions_save or actions_end_change lets
 * it go) and, if another program saved meanwhile, reloads the vault and moves *account (an
 * index, or NULL for none) to the same account, unchanged. False, with the status line
 * saying why, when the lock is busy, the vault cannot be reloaded, or the account was changed
 * or removed: the change is then not made, so nothing ambiguous is ever saved. */
bool actions_begin_change(struct tui *t, size_t *account, const char *what);
void actions_end_change(struct tui *t);
/* Saves and ends the change (the lock is released whatever happens). */
int actions_save(struct tui *t, const char *what);
void actions_save_failed(struct tui *t, int rc, const struct ov_error *err, const char *what);
void actions_confirmed(struct tui *t);
void clipboard_clear_now(struct tui *t);

/* tui_form.c */
void form_open(struct tui *t, enum tui_form_kind kind);
void form_draw(struct tui *t);
void form_key(struct tui *t, int key);
void form_close(struct tui *t);

/* tui_import.c */
void import_init(struct tui *t);
void import_free(struct tui *t);
void import_open(struct tui *t, bool first_run);
void import_key(struct tui *t, int key);
void import_close(struct tui *t);

/* tui_import_draw.c */
void import_draw(struct tui *t);
void import_layout(struct tui *t);
size_t import_page(const struct tui *t);

/* tui_overlay.c */
void overlay_draw(struct tui *t);
void overlay_key(struct tui *t, int key);
void overlay_open_qr(struct tui *t, size_t account);
void overlay_close(struct tui *t);
void overlay_confirm(struct tui *t, enum tui_confirm kind, size_t account, const char *text);

#endif
