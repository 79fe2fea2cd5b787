/* Conflict copies that Syncthing, Nextcloud, ownCloud and Dropbox leave beside the vault,
 * merged back into it when it is next opened for writing (see merge.h). */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "otpvault/mem.h"
#include "otpvault/merge.h"

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Whether name, in the vault's directory, is a conflict copy of the vault named base
 * (stem + ext, ext possibly empty). */
static bool is_conflict_name(const char *name, const char *stem, const char *ext)
{
    size_t ls = strlen(stem), le = strlen(ext), ln = strlen(name);
    char middle[512];

    if (ln <= ls + le || strncmp(name, stem, ls) != 0 || strcmp(name + ln - le, ext) != 0)
        return false;
    if (ln - ls - le >= sizeof middle)
        return false;
    memcpy(middle, name + ls, ln - ls - le);
    middle[ln - ls - le] = '\0';
    /* Syncthing: stem.sync-conflict-DATE-TIME-DEVICE */
    if (starts_with(middle, ".sync-conflict-"))
        return true;
    /* Nextcloud, ownCloud: stem_conflict-DATE-TIME */
    if (starts_with(middle, "_conflict-"))
        return true;
    /* Nextcloud, Dropbox: "stem (conflicted copy DATE)", "stem (NAME's conflicted copy DATE)" */
    return starts_with(middle, " (") && strstr(middle, "conflicted copy") != NULL &&
           middle[strlen(middle) - 1] == ')';
}

static int path_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int ov_conflict_copies_find(const char *vault_path, char ***paths, size_t *n,
                            struct ov_error *err)
{
    const char *slash = strrchr(vault_path, '/'), *base = slash != NULL ? slash + 1 : vault_path;
    const char *dot = strrchr(base, '.');
    char *dir = slash != NULL ? ov_xstrndup(vault_path, (size_t)(slash - vault_path) + 1)
                              : ov_xstrdup("./");
    char *stem = dot != NULL && dot != base ? ov_xstrndup(base, (size_t)(dot - base))
                                            : ov_xstrdup(base);
    const char *ext = dot != NULL && dot != base ? dot : "";
    DIR *d = opendir(dir);
    struct dirent *e;

    *paths = NULL;
    *n = 0;
    if (d == NULL) {
        int saved = errno;
        free(dir);
        free(stem);
        return ov_error_set(err, OV_ERR_IO, "cannot read %s: %s", vault_path, strerror(saved));
    }
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        char *path;
        if (!is_conflict_name(e->d_name, stem, ext))
            continue;
        path = ov_xconcat(dir, e->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(path);
            continue;
        }
        *paths = ov_xrealloc(*paths, (*n + 1) * sizeof **paths);
        (*paths)[(*n)++] = path;
    }
    closedir(d);
    free(dir);
    free(stem);
    if (*n > 1)
        qsort(*paths, *n, sizeof **paths, path_cmp);
    return OV_OK;
}

void ov_conflict_copies_free(char **paths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}

static void note(struct ov_conflict_merge *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void note(struct ov_conflict_merge *m, const char *fmt, ...)
{
    va_list ap;

    if (m->nnotes == OV_CONFLICT_NOTES)
        return;
    va_start(ap, fmt);
    vsnprintf(m->notes[m->nnotes++], sizeof m->notes[0], fmt, ap);
    va_end(ap);
}

/* Appends one copy's changes to the running report. */
static void add_report(struct ov_merge_report *all, const struct ov_merge_report *one)
{
    if (one->len > 0) {
        all->items = ov_xrealloc(all->items, (all->len + one->len) * sizeof *all->items);
        memcpy(all->items + all->len, one->items, one->len * sizeof *one->items);
        all->len += one->len;
    }
    for (size_t k = 0; k < sizeof all->count / sizeof *all->count; k++)
        all->count[k] += one->count[k];
    all->changed = all->changed || one->changed;
}

int ov_conflict_copies_merge(struct ov_vault *v, int64_t now, struct ov_conflict_merge *out,
                             struct ov_error *err)
{
    char **paths, **merged;
    size_t n, nmerged = 0;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = ov_conflict_copies_find(v->path, &paths, &n, err)) != OV_OK)
        return rc;
    out->found = n;
    if (n == 0)
        return OV_OK;
    merged = ov_xcalloc(n, sizeof *merged);
    for (size_t i = 0; i < n; i++) {
        struct ov_vault other;
        struct ov_merge_report rep;
        struct ov_error why = { 0 };
        bool other_pass = false;
        if (ov_vault_open_with_key(paths[i], v, &other, &other_pass, &why) != OV_OK) {
            note(out, "%s: %s; left as it is (otpvault merge FILE merges it)", paths[i],
                 other_pass ? "made with another passphrase" : why.msg);
            continue;
        }
        rc = ov_merge(v, &other, NULL, &rep, &why);
        ov_vault_close(&other);
        if (rc != OV_OK) {
            note(out, "%s: %s; left as it is", paths[i], why.msg);
            continue;
        }
        add_report(&out->report, &rep);
        free(rep.items);
        merged[nmerged++] = paths[i];
    }
    rc = OV_OK;
    if (nmerged > 0) {
        const char *name = strrchr(merged[0], '/');
        v->last_merge = now;
        free(v->last_merge_from);
        v->last_merge_from = ov_xconcat(name != NULL ? name + 1 : merged[0],
                                        nmerged > 1 ? " and other conflict copies" : "");
        rc = ov_vault_save(v, err);
    }
    /* Only once the merge is saved do the copies go: never lost before. */
    for (size_t i = 0; rc == OV_OK && i < nmerged; i++) {
        if (unlink(merged[i]) == 0)
            out->merged++;
        else
            note(out, "%s: merged, but could not be removed: %s", merged[i], strerror(errno));
    }
    free(merged);
    ov_conflict_copies_free(paths, n);
    return rc;
}

void ov_conflict_merge_free(struct ov_conflict_merge *m)
{
    ov_merge_report_free(&m->report);
    memset(m, 0, sizeof *m);
}
