/* The import screen's flow: a path prompt (the line editor, with Tab completion), the
 * export password when an input needs one, then a preview of what would be added; Enter
 * adds the chosen accounts with one atomic save. Reading and deciding is the core's
 * (ov_import_input_read, ov_import_run); this file only asks and shows.
 *
 * The inputs stay in memory until the screen closes: a wrong password or the user asking
 * for the codes that were read runs the pipeline again without reading the files twice. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "otpvault/import_input.h"
#include "tui/model/import_preview.h"
#include "otpvault/mem.h"
#include "tui.h"

#define MAX_INPUTS 64   /* as many as the command line takes */

void import_init(struct tui *t)
{
    edit_init(&t->imp.line, MASK_NONE);
    edit_init(&t->imp.password, MASK_HIDDEN);
}

void import_free(struct tui *t)
{
    import_close(t);
    edit_free(&t->imp.line);
    edit_free(&t->imp.password);
}

static void set_message(struct import_ui *im, enum tui_msg kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_message(struct import_ui *im, enum tui_msg kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(im->message, sizeof im->message, fmt, ap);
    va_end(ap);
    im->message_kind = kind;
}

static void free_report(struct import_ui *im)
{
    if (im->has_report)
        ov_import_report_free(&im->report);   /* wipes the secrets of accounts not added */
    im->has_report = false;
    free(im->skip);
    im->skip = NULL;
    free(im->lines);
    im->lines = NULL;
    im->nlines = 0;
    im->lines_cols = 0;
}

static void free_inputs(struct import_ui *im)
{
    for (size_t i = 0; i < im->ninputs; i++)
        ov_import_input_free(&im->inputs[i]);
    free(im->inputs);
    free(im->picked);
    im->inputs = NULL;
    im->picked = NULL;
    im->ninputs = 0;
    ov_pathline_free(&im->paths);
}

/* Forgets everything but the typed line (kept so that i again can fix a typo). */
void import_close(struct tui *t)
{
    struct import_ui *im = &t->imp;

    free_report(im);
    free_inputs(im);
    edit_clear(&im->password);
    im->asked_password = false;
    im->partial = false;
    im->first_run = false;
    im->message[0] = '\0';
    im->stage = IMP_PROMPT;
    if (t->overlay == OVL_IMPORT)
        t->overlay = OVL_NONE;
}

void import_open(struct tui *t, bool first_run)
{
    import_close(t);
    t->imp.first_run = first_run;
    t->imp.stage = IMP_PROMPT;
    t->overlay = OVL_IMPORT;
}

/* Shows text at once: decoding a large picture takes a moment. */
static void busy(struct tui *t, const char *what)
{
    set_message(&t->imp, MSG_INFO, "reading %s\xe2\x80\xa6", what);
    tui_redraw_now(t);
}

static const char *inputs_label(const struct import_ui *im, char *buf, size_t n)
{
    if (im->paths.n == 1)
        return im->paths.words[0];
    snprintf(buf, n, "%zu files", im->paths.n);
    return buf;
}

/* Runs the pipeline over the inputs read; a wrong password goes back to its prompt. */
static void run(struct tui *t)
{
    struct import_ui *im = &t->imp;
    struct ov_import_options opts = { .allow_partial = im->partial, .allow_partial_how = "p",
                                      .picked = (const struct ov_importer *const *)im->picked };
    char label[32];
    int rc;

    if (im->asked_password) {
        opts.password = im->password.buf;
        opts.password_len = im->password.len;
    }
    busy(t, inputs_label(im, label, sizeof label));
    free_report(im);
    rc = ov_import_run(im->inputs, im->ninputs, &opts, &t->vault.accounts, &im->report);
    im->has_report = true;
    /* Keys typed while pictures were decoded were not meant for a preview not yet seen. */
    flushinp();
    if (rc == OV_ERR_AUTH && im->asked_password) {
        const char *why = "wrong password or damaged file";
        for (size_t i = 0; i < im->report.nnotes; i++)
            if (im->report.notes[i].kind == OV_NOTE_INPUT_FAILED)
                why = im->report.notes[i].text;
        set_message(im, MSG_ERROR, "%s; type it again, or Esc to cancel", why);
        free_report(im);
        edit_clear(&im->password);
        im->stage = IMP_PASSWORD;
        return;
    }
    im->run_status = rc;
    im->skip = ov_xcalloc(im->report.accounts.len + 1, sizeof *im->skip);
    im->nchosen = im->report.accounts.len;
    im->stage = IMP_PREVIEW;
    im->message[0] = '\0';
    if (im->partial)
        set_message(im, MSG_INFO, "the codes that were read; what could not be read is "
                    "left out");
    im->top = 0;
    import_layout(t);
    im->cursor = 0;
    for (size_t i = 0; i < im->nlines; i++) {
        if (im->lines[i].kind == PL_ACCOUNT) {
            im->cursor = i;
            break;
        }
    }
}

/* A file the app should not open: stdin is the terminal, and a pipe or a device could
 * block the app for good. Returns false with the message set. */
static bool openable(struct import_ui *im, size_t i)
{
    struct stat st;

    if (strcmp(im->paths.paths[i], "-") == 0) {
        set_message(im, MSG_ERROR, "-: standard input is this terminal here; give a file "
                    "(otpvault import - reads a pipe)");
        return false;
    }
    if (stat(im->paths.paths[i], &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        set_message(im, MSG_ERROR, "%s: not a regular file", im->paths.words[i]);
        return false;
    }
    return true;
}

/* Enter at the prompt: split the line, read every file, then ask for a password or run. */
static void read_inputs(struct tui *t)
{
    struct import_ui *im = &t->imp;
    struct ov_error err = { 0 };
    char label[32];

    free_inputs(im);
    if (ov_pathline_split(im->line.buf, getenv("HOME"), &im->paths, &err) != OV_OK) {
        set_message(im, MSG_ERROR, "%s", err.msg);
        return;
    }
    if (im->paths.n == 0) {
        if (im->first_run) {
            import_close(t);
            return;
        }
        set_message(im, MSG_INFO, "type the path of a picture or an export file");
        return;
    }
    if (im->paths.n > MAX_INPUTS) {
        set_message(im, MSG_ERROR, "at most %d files at once", MAX_INPUTS);
        free_inputs(im);
        return;
    }
    for (size_t i = 0; i < im->paths.n; i++) {
        if (!openable(im, i)) {
            free_inputs(im);
            return;
        }
    }
    busy(t, inputs_label(im, label, sizeof label));
    im->inputs = ov_xcalloc(im->paths.n, sizeof *im->inputs);
    im->picked = ov_xcalloc(im->paths.n, sizeof *im->picked);
    for (size_t i = 0; i < im->paths.n; i++, im->ninputs++) {
        if (ov_import_input_read(im->paths.paths[i], im->paths.words[i], &im->inputs[i],
                                 &err) != OV_OK) {
            set_message(im, MSG_ERROR, "%s", err.msg);
            free_inputs(im);
            return;
        }
    }
    for (size_t i = 0; i < im->ninputs; i++)
        im->picked[i] = ov_import_pick(&im->inputs[i], NULL);
    for (size_t i = 0; i < im->ninputs; i++) {
        if (ov_import_wants_password(im->picked[i], &im->inputs[i])) {
            snprintf(im->password_for, sizeof im->password_for, "%s", im->paths.words[i]);
            im->asked_password = true;
            im->stage = IMP_PASSWORD;
            im->message[0] = '\0';
            edit_clear(&im->password);
            flushinp();
            return;
        }
    }
    run(t);
}

static void complete(struct tui *t)
{
    struct import_ui *im = &t->imp;
    struct ov_path_completion c;
    size_t used = 0;

    ov_pathline_complete(im->line.buf, im->line.cursor, getenv("HOME"), &c);
    edit_insert(&im->line, c.insert);
    im->message[0] = '\0';
    if (c.nmatches == 0) {
        set_message(im, MSG_INFO, "no file name starts like this");
    } else if (c.nshown > 0 && c.insert[0] == '\0') {
        /* Nothing more in common: list the candidates, as a shell does on a second Tab. */
        for (size_t i = 0; i < c.nshown && used + 1 < sizeof im->message; i++) {
            int w = snprintf(im->message + used, sizeof im->message - used, "%s%s",
                             i > 0 ? "  " : "", c.shown[i]);
            if (w < 0)
                break;
            used += (size_t)w;
        }
        if (c.nmatches > c.nshown && used + 1 < sizeof im->message)
            snprintf(im->message + used, sizeof im->message - used, "  (%zu more)",
                     c.nmatches - c.nshown);
        im->message_kind = MSG_INFO;
    }
    ov_path_completion_free(&c);
}

static void prompt_key(struct tui *t, int key)
{
    struct import_ui *im = &t->imp;

    switch (key) {
    case OV_KEY_ESC:
        if (!im->first_run)   /* else "created ..." stays on the status line */
            tui_status(t, MSG_INFO, "nothing imported");
        import_close(t);
        return;
    case OV_KEY_ENTER:
        read_inputs(t);
        return;
    case '\t':
        complete(t);
        return;
    default:
        if (edit_key(&im->line, key))
            im->message[0] = '\0';
    }
}

static void password_key(struct tui *t, int key)
{
    struct import_ui *im = &t->imp;

    switch (key) {
    case OV_KEY_ESC:
        import_close(t);
        tui_status(t, MSG_INFO, "nothing imported");
        return;
    case OV_KEY_ENTER:
        if (im->password.len == 0) {
            set_message(im, MSG_INFO, "type the export's password, then Enter");
            return;
        }
        run(t);
        return;
    default:
        edit_key(&im->password, key);
    }
}

/* Adds the chosen accounts and saves once. A failed save puts the vault in memory back as
 * it was (the accounts return to the report, which closing frees). */
static void commit(struct tui *t)
{
    struct import_ui *im = &t->imp;
    struct ov_error err = { 0 };
    char done[OV_ERROR_MSG_MAX];
    size_t mark = t->vault.accounts.len, added;
    uint64_t generation = t->vault.generation;
    int rc;

    if (im->run_status != OV_OK && !im->partial) {
        set_message(im, MSG_ERROR, "not everything could be read: p imports the codes that "
                    "were, Esc cancels");
        return;
    }
    if (im->nchosen == 0) {
        set_message(im, MSG_INFO, im->report.accounts.len == 0 ? "nothing to add: Esc goes "
                    "back" : "every account is left out: Space takes one back");
        return;
    }
    set_message(im, MSG_INFO, "saving\xe2\x80\xa6");   /* waits while another program saves */
    tui_redraw_now(t);
    if (!actions_begin_change(t, NULL, "import")) {
        if (t->vault_open)
            set_message(im, MSG_ERROR, "%s", t->status);
        else
            import_close(t);
        return;
    }
    /* Another program may have added some of these meanwhile: they are present now. */
    mark = t->vault.accounts.len;
    added = ov_import_commit(&im->report, im->skip, true, &t->vault.accounts, ov_now());
    rc = ov_vault_save(&t->vault, &err);
    actions_end_change(t);
    /* The one failure after which the new file is in place anyway (its directory could not
     * be flushed): the generation moved on, so the accounts stay. */
    if (rc != OV_OK && t->vault.generation == generation) {
        ov_import_uncommit(&im->report, im->skip, &t->vault.accounts, mark);
        import_close(t);
        actions_save_failed(t, rc, &err, "import");
        return;
    }
    ov_import_done_message(added, im->report.present, (const char *const *)im->paths.words,
                           im->paths.n, done, sizeof done);
    import_close(t);
    edit_clear(&im->line);
    list_attach(t);
    ov_listview_select_account(&t->lv, mark);
    if (rc != OV_OK)
        tui_status(t, MSG_ERROR, "%s, but: %s", done, err.msg);
    else
        tui_status(t, MSG_OK, "%s", done);
}

static void move_cursor(struct tui *t, long delta)
{
    struct import_ui *im = &t->imp;
    long c = (long)im->cursor + delta;

    if (im->nlines == 0)
        return;
    if (c < 0)
        c = 0;
    if (c >= (long)im->nlines)
        c = (long)im->nlines - 1;
    im->cursor = (size_t)c;
}

static void toggle(struct tui *t)
{
    struct import_ui *im = &t->imp;
    const struct preview_line *l;

    if (im->cursor >= im->nlines || im->lines[im->cursor].kind != PL_ACCOUNT) {
        set_message(im, MSG_INFO, "Space leaves the account under the cursor out");
        return;
    }
    l = &im->lines[im->cursor];
    im->skip[l->index] = !im->skip[l->index];
    if (im->skip[l->index])
        im->nchosen--;
    else
        im->nchosen++;
    im->message[0] = '\0';
    move_cursor(t, 1);
}

static void preview_key(struct tui *t, int key)
{
    struct import_ui *im = &t->imp;
    long page = (long)import_page(t);

    import_layout(t);
    switch (key) {
    case OV_KEY_ENTER: case 'y':
        commit(t);
        return;
    case OV_KEY_ESC: case 'n': case 'q':
        import_close(t);
        tui_status(t, MSG_INFO, "nothing imported");
        return;
    case 'p':
        if (im->run_status != OV_OK && !im->partial) {
            im->partial = true;
            run(t);
        }
        return;
    case ' ': toggle(t); return;
    case 'j': case OV_KEY_DOWN: move_cursor(t, 1); return;
    case 'k': case OV_KEY_UP: move_cursor(t, -1); return;
    case OV_KEY_PGDN: move_cursor(t, page); return;
    case OV_KEY_PGUP: move_cursor(t, -page); return;
    case 'g': case OV_KEY_HOME: move_cursor(t, -(long)im->nlines); return;
    case 'G': case OV_KEY_END: move_cursor(t, (long)im->nlines); return;
    default:
        return;
    }
}

void import_key(struct tui *t, int key)
{
    if (key == 3) {   /* Ctrl-C read as a key (the terminal in raw mode) */
        t->quit = true;
        return;
    }
    switch (t->imp.stage) {
    case IMP_PROMPT: prompt_key(t, key); break;
    case IMP_PASSWORD: password_key(t, key); break;
    case IMP_PREVIEW: preview_key(t, key); break;
    }
}
