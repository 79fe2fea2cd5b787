/* merge OTHER, merge-driver BASE OURS THEIRS, and the conflict copies merged when the vault
 * is opened for writing: the command-line face of merge.h.
 * - The other copy opens with the vault's key when it has the same passphrase (no KDF);
 *   else with --other-passphrase-file, else the vault's own passphrase is tried, and only
 *   then is one asked for.
 * - The git driver writes the merged vault where git asks (OURS), under OURS's key; a copy
 *   it cannot open leaves the file as it is and exits 1, so git reports a conflict. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_internal.h"
#include "otpvault/merge.h"
#include "otpvault/mem.h"
#include "otpvault/otp.h"

static const char *const what_text[] = {
    [OV_MERGE_ADDED] = "added",
    [OV_MERGE_UPDATED] = "updated",
    [OV_MERGE_KEPT_LATER] = "kept",
    [OV_MERGE_CONFLICT] = "conflict",
    [OV_MERGE_REMOVED] = "removed",
    [OV_MERGE_KEPT_DELETED] = "kept",
    [OV_MERGE_RESTORED] = "back",
    [OV_MERGE_COUNTER] = "HOTP counter",
    [OV_MERGE_SAME_ACCOUNT] = "kept once",
};

/* A line per change, then the totals. would: a dry run. */
static void print_report(FILE *out, const struct ov_merge_report *rep, bool would)
{
    static const struct { enum ov_merge_what what; const char *one, *many; } totals[] = {
        { OV_MERGE_ADDED, "added", "added" },
        { OV_MERGE_RESTORED, "back", "back" },
        { OV_MERGE_UPDATED, "updated", "updated" },
        { OV_MERGE_REMOVED, "removed", "removed" },
        { OV_MERGE_CONFLICT, "conflict", "conflicts" },
        { OV_MERGE_COUNTER, "counter raised", "counters raised" },
    };
    bool first = true;

    for (size_t i = 0; i < rep->len; i++) {
        const struct ov_merge_change *ch = &rep->items[i];
        bool detail = ch->detail[0] != '\0';
        cli_out(out, "  %s: %s%s%s%s\n", what_text[ch->what], ch->label, detail ? " (" : "",
                ch->detail, detail ? ")" : "");
    }
    fputs(would ? "would change: " : "changed: ", out);
    for (size_t i = 0; i < sizeof totals / sizeof *totals; i++) {
        size_t n = rep->count[totals[i].what];
        if (n == 0)
            continue;
        fprintf(out, "%s%zu %s", first ? "" : ", ", n, n == 1 ? totals[i].one : totals[i].many);
        first = false;
    }
    fputs(first ? (rep->changed ? "only times of last use\n" : "nothing: the copies agree\n")
                : "\n", out);
}

/* Opens the copy at path: the key of v, the given file's passphrase, the vault's own, or a
 * prompt, in that order. */
static int open_other(const struct cli *c, const struct ov_vault *v, const char *vault_pass,
                      const char *path, struct ov_vault *out)
{
    struct ov_error err = { 0 };
    bool other_pass = false;
    char *pass, prompt[600];
    int rc = ov_vault_open_with_key(path, v, out, &other_pass, &err);

    if (rc == OV_OK || !other_pass)
        return rc == OV_OK ? OV_EXIT_OK : cli_fail(&err);
    if (c->other_passphrase_file == NULL && vault_pass != NULL &&
        ov_vault_open(path, vault_pass, strlen(vault_pass), out, &err) == OV_OK)
        return OV_EXIT_OK;   /* the same passphrase under another salt (an init elsewhere) */
    if (c->other_passphrase_file != NULL) {
        pass = cli_read_passphrase_file(c->other_passphrase_file);
    } else {
        snprintf(prompt, sizeof prompt, "passphrase of %s", path);
        pass = cli_prompt_secret(prompt, "--other-passphrase-file");
    }
    if (pass == NULL)
        return OV_EXIT_FAIL;
    rc = ov_vault_open(path, pass, strlen(pass), out, &err);
    ov_secure_free_str(pass);
    return rc == OV_OK ? OV_EXIT_OK : cli_fail(&err);
}

static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static void note_merge(struct ov_vault *v, const char *what, const char *path)
{
    free(v->last_merge_from);
    v->last_merge_from = ov_xconcat(what, path);
    v->last_merge = ov_now();
}

int cmd_merge(struct cli *c)
{
    const char *path = c->positional[0];
    struct ov_vault v, other;
    struct ov_merge_report rep;
    struct ov_error err = { 0 };
    char *pass = NULL;
    int status;

    if (same_file(path, c->vault_path)) {
        cli_out(stderr, "otpvault: %s is the vault itself; give another copy of it\n", path);
        return OV_EXIT_USAGE;
    }
    if ((status = cli_open_vault_at(c, c->vault_path, &v, &pass)) != OV_EXIT_OK)
        return status;
    status = open_other(c, &v, pass, path, &other);
    ov_secure_free_str(pass);
    if (status != OV_EXIT_OK) {
        cli_error("nothing was merged");
        ov_vault_close(&v);
        return status;
    }
    if (!c->dry_run)
        status = cli_begin_write(&v, NULL);
    if (status == OV_EXIT_OK && ov_merge(&v, &other, NULL, &rep, &err) != OV_OK)
        status = cli_fail(&err);
    if (status == OV_EXIT_OK) {
        cli_out(stdout, "%s %s into %s:\n", c->dry_run ? "dry run: merging" : "merged", path,
                c->vault_path);
        print_report(stdout, &rep, c->dry_run);
        if (!c->dry_run) {
            note_merge(&v, "otpvault merge ", path);
            /* No account changed: only the note, and PATH.prev keeps the accounts. */
            if (rep.changed)
                status = cli_save_vault(&v);
            else if (ov_vault_save_meta(&v, &err) != OV_OK)
                status = cli_fail(&err);
        }
        ov_merge_report_free(&rep);
    }
    ov_vault_close(&other);
    ov_vault_close(&v);
    return status;
}

/* git's %O may be an empty file (no common ancestor): then a two-way merge. */
static bool empty_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0;
}

int cmd_merge_driver(struct cli *c)
{
    const char *base_path = c->positional[0], *ours_path = c->positional[1],
               *theirs_path = c->positional[2];
    struct ov_vault ours, theirs, base;
    struct ov_merge_report rep;
    struct ov_error err = { 0 };
    bool have_base = !empty_file(base_path);
    char *pass = NULL;
    int status;

    memset(&base, 0, sizeof base);
    memset(&theirs, 0, sizeof theirs);
    if ((status = cli_open_vault_at(c, ours_path, &ours, &pass)) != OV_EXIT_OK)
        return OV_EXIT_FAIL;   /* git: a conflict, the file left as it is */
    status = open_other(c, &ours, pass, theirs_path, &theirs);
    if (status == OV_EXIT_OK && have_base)
        status = open_other(c, &ours, pass, base_path, &base);
    ov_secure_free_str(pass);
    if (status == OV_EXIT_OK && ov_merge(&ours, &theirs, have_base ? &base : NULL, &rep,
                                         &err) != OV_OK)
        status = cli_fail(&err);
    if (status == OV_EXIT_OK) {
        /* git shows what a driver says: the changes, on stderr. */
        cli_out(stderr, "otpvault merge-driver: merged the other side into %s:\n", ours_path);
        print_report(stderr, &rep, false);
        note_merge(&ours, "git merge", "");
        if (ov_vault_write_copy(&ours, ours_path, &err) != OV_OK)
            status = cli_fail(&err);
        ov_merge_report_free(&rep);
    }
    ov_vault_close(&theirs);   /* zeroed when not opened: a no-op */
    ov_vault_close(&base);
    ov_vault_close(&ours);
    if (status != OV_EXIT_OK)
        cli_error("merge-driver: nothing merged; git leaves the conflict to resolve (otpvault "
                  "merge can merge the other side's file by hand)");
    return status == OV_EXIT_OK ? OV_EXIT_OK : OV_EXIT_FAIL;
}

int cli_merge_conflict_copies(struct ov_vault *v, size_t *found)
{
    struct ov_conflict_merge m;
    struct ov_error err = { 0 };
    int rc = ov_conflict_copies_merge(v, ov_now(), &m, &err);

    if (rc != OV_OK) {
        ov_conflict_merge_free(&m);
        ov_vault_end_write(v);
        return cli_fail(&err);
    }
    if (m.merged > 0) {
        cli_out(stderr, "otpvault: merged %zu conflict cop%s left beside the vault by a sync "
                "tool (%s), then removed %s; the vault before is %s.prev\n", m.merged,
                m.merged == 1 ? "y" : "ies", v->last_merge_from, m.merged == 1 ? "it" : "them",
                v->path);
        print_report(stderr, &m.report, false);
    }
    for (size_t i = 0; i < m.nnotes; i++)
        cli_out(stderr, "otpvault: conflict copy %s\n", m.notes[i]);
    if (found != NULL)
        *found = m.found;
    ov_conflict_merge_free(&m);
    return OV_EXIT_OK;
}

int cmd_sync(struct cli *c)
{
    struct ov_vault v;
    size_t found = 0;
    int status = cli_open_vault(c, &v);

    if (status != OV_EXIT_OK)
        return status;
    status = cli_begin_write_found(&v, NULL, &found);
    if (status == OV_EXIT_OK && found == 0)
        cli_out(stdout, "no conflict copies beside %s: nothing to merge\n", v.path);
    ov_vault_close(&v);
    return status;
}
