/* Backup files: names, listing, writing, pruning, opening (see backup.h). Comparisons and
 * the drill are in backup_check.c, the automatic backup in backup_auto.c. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "otpvault/atomic_file.h"
#include "otpvault/backup.h"
#include "otpvault/mem.h"
#include "otpvault/sync.h"
#include "otpvault/vault_format.h"

#define NAME_STAMP_LEN 15   /* YYYYMMDD-HHMMSS */
#define MAX_SAME_SECOND 100

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir), m = strlen(name);
    bool slash = n > 0 && dir[n - 1] == '/';
    char *s = ov_xmalloc(n + m + 2);

    memcpy(s, dir, n);
    if (!slash)
        s[n++] = '/';
    memcpy(s + n, name, m + 1);
    return s;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Whether name is one of ours; *t gets the time in its name (or -1 if it has none). */
static bool parse_name(const char *name, int64_t *t)
{
    size_t n = strlen(name), p = strlen(OV_BACKUP_PREFIX), s = strlen(OV_BACKUP_SUFFIX);
    const char *stamp = name + p;
    struct tm tm;

    *t = -1;
    if (n < p + s || strncmp(name, OV_BACKUP_PREFIX, p) != 0 ||
        strcmp(name + n - s, OV_BACKUP_SUFFIX) != 0)
        return false;
    if (n - p - s < NAME_STAMP_LEN || !all_digits(stamp, 8) || stamp[8] != '-' ||
        !all_digits(stamp + 9, 6))
        return true;   /* ours by its shape, renamed by hand: the mtime will do */
    memset(&tm, 0, sizeof tm);
    tm.tm_year = num(stamp, 4) - 1900;
    tm.tm_mon = num(stamp + 4, 2) - 1;
    tm.tm_mday = num(stamp + 6, 2);
    tm.tm_hour = num(stamp + 9, 2);
    tm.tm_min = num(stamp + 11, 2);
    tm.tm_sec = num(stamp + 13, 2);
    *t = (int64_t)timegm(&tm);
    return true;
}

/* The -N a name gets when a second backup is made within the same second (1 without). */
static long same_second_seq(const char *path)
{
    size_t n = strlen(path), s = strlen(OV_BACKUP_SUFFIX), i;

    if (n <= s)
        return 1;
    i = n - s;
    while (i > 0 && path[i - 1] >= '0' && path[i - 1] <= '9')
        i--;
    if (i == n - s || i == 0 || path[i - 1] != '-' || n - s - i > 6)
        return 1;
    /* "-YYYYMMDD-HHMMSS" ends in 6 digits too: a sequence number is shorter */
    return n - s - i == 6 ? 1 : strtol(path + i, NULL, 10);
}

static int newest_first(const void *a, const void *b)
{
    const struct ov_backup_file *x = a, *y = b;
    long sx, sy;

    if (x->time != y->time)
        return x->time > y->time ? -1 : 1;
    sx = same_second_seq(x->path);
    sy = same_second_seq(y->path);
    if (sx != sy)
        return sx > sy ? -1 : 1;
    return -strcmp(x->path, y->path);
}

static int dir_missing(const char *dir, struct ov_error *err)
{
    return ov_error_set(err, OV_ERR_NOT_FOUND, "backup directory %s does not exist (is the "
                        "drive plugged in?)", dir);
}

int ov_backup_scan(const char *dir, struct ov_backup_files *out, struct ov_error *err)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t cap = 0;

    memset(out, 0, sizeof *out);
    if (d == NULL) {
        if (errno == ENOENT)
            return dir_missing(dir, err);
        return ov_error_set(err, OV_ERR_IO, "backup directory %s: %s", dir, strerror(errno));
    }
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        int64_t t;
        char *path;

        if (!parse_name(e->d_name, &t))
            continue;
        path = join(dir, e->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(path);
            continue;
        }
        if (out->len == cap) {
            cap = cap ? cap * 2 : 16;
            out->items = ov_xrealloc(out->items, cap * sizeof *out->items);
        }
        out->items[out->len].path = path;
        out->items[out->len].time = t >= 0 ? t : (int64_t)st.st_mtime;
        out->len++;
    }
    closedir(d);
    if (out->len > 1)
        qsort(out->items, out->len, sizeof *out->items, newest_first);
    return OV_OK;
}

void ov_backup_files_free(struct ov_backup_files *f)
{
    for (size_t i = 0; i < f->len; i++)
        free(f->items[i].path);
    free(f->items);
    memset(f, 0, sizeof *f);
}

int64_t ov_backup_file_time(const char *path)
{
    const char *base = strrchr(path, '/');
    struct stat st;
    int64_t t;

    if (parse_name(base != NULL ? base + 1 : path, &t) && t >= 0)
        return t;
    return stat(path, &st) == 0 ? (int64_t)st.st_mtime : 0;
}

/* The vault re-encrypted under pass: a fresh salt, the vault's KDF parameters. The copy
 * shares v's accounts (only read) and owns its key. */
static int rekeyed_copy(const struct ov_vault *v, const char *pass, size_t pass_len,
                        struct ov_vault *copy, struct ov_error *err)
{
    int rc;

    *copy = *v;
    copy->key = ov_secure_alloc(OV_VAULT_KEY_LEN);
    ov_random(copy->salt, sizeof copy->salt);
    rc = ov_kdf_argon2id(pass, pass_len, copy->salt, sizeof copy->salt, &v->kdf, copy->key,
                         OV_VAULT_KEY_LEN, err);
    if (rc != OV_OK) {
        ov_secure_free(copy->key, OV_VAULT_KEY_LEN);
        copy->key = NULL;
    }
    return rc;
}

int ov_backup_write(const struct ov_vault *v, const char *dir, const char *pass,
                    size_t pass_len, const char *tag, int64_t now, char **path_out,
                    struct ov_error *err)
{
    struct ov_vault copy;
    struct stat st;
    struct tm tm;
    time_t tt = (time_t)now;
    char stamp[32], name[300];
    struct ov_error attempt = { 0 };   /* only the last attempt's error is reported */
    uint8_t *file = NULL;
    size_t len;
    int rc = OV_ERR_EXISTS;

    *path_out = NULL;
    if (stat(dir, &st) != 0)
        return errno == ENOENT ? dir_missing(dir, err)
                               : ov_error_set(err, OV_ERR_IO, "backup directory %s: %s", dir,
                                              strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return ov_error_set(err, OV_ERR_IO, "%s is not a directory", dir);
    if (pass != NULL) {
        if ((rc = rekeyed_copy(v, pass, pass_len, &copy, err)) != OV_OK)
            return rc;
        rc = ov_vault_encode(&copy, v->generation, &file, &len, err);
        ov_secure_free(copy.key, OV_VAULT_KEY_LEN);
    } else {
        rc = ov_vault_encode(v, v->generation, &file, &len, err);
    }
    if (rc != OV_OK)
        return rc;
    gmtime_r(&tt, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    /* Two backups in one second (quick changes) get -2, -3, ...: never an overwrite. */
    for (int i = 1; i <= MAX_SAME_SECOND; i++) {
        char num_part[16] = "";
        char *path;
        if (i > 1)
            snprintf(num_part, sizeof num_part, "-%d", i);
        snprintf(name, sizeof name, OV_BACKUP_PREFIX "%s%s%s%s" OV_BACKUP_SUFFIX, stamp,
                 tag != NULL ? "-" : "", tag != NULL ? tag : "", num_part);
        path = join(dir, name);
        rc = ov_atomic_create(path, file, len, &attempt);
        if (rc == OV_OK) {
            *path_out = path;
            break;
        }
        free(path);
        if (rc != OV_ERR_EXISTS)
            break;
    }
    free(file);
    if (rc != OV_OK && err != NULL)
        *err = attempt;
    return rc;
}

int ov_backup_prune(const char *dir, unsigned keep, size_t *removed, struct ov_error *err)
{
    struct ov_backup_files f;
    int rc = ov_backup_scan(dir, &f, err);

    if (removed != NULL)
        *removed = 0;
    if (rc != OV_OK)
        return rc;
    for (size_t i = keep; keep > 0 && i < f.len; i++) {
        if (unlink(f.items[i].path) != 0) {
            rc = ov_error_set(err, OV_ERR_IO, "cannot remove old backup %s: %s",
                              f.items[i].path, strerror(errno));
            break;
        }
        if (removed != NULL)
            (*removed)++;
    }
    ov_backup_files_free(&f);
    return rc;
}

int ov_backup_create(struct ov_vault *v, const char *dir, unsigned keep, const char *pass,
                     size_t pass_len, int64_t now, char **path_out, struct ov_error *err)
{
    int64_t old_time = v->last_backup;
    uint8_t old_digest[sizeof v->backup_digest];
    bool old_has = v->has_backup_digest;
    int rc = ov_backup_write(v, dir, pass, pass_len, NULL, now, path_out, err);

    struct ov_error prune_err = { 0 };
    int prune_rc;

    if (rc != OV_OK)
        return rc;
    /* A backup that could not be pruned is still a backup: record it all the same. */
    prune_rc = ov_backup_prune(dir, keep, NULL, &prune_err);
    memcpy(old_digest, v->backup_digest, sizeof old_digest);
    v->last_backup = now;
    ov_accounts_digest(&v->accounts, v->backup_digest);
    v->has_backup_digest = true;
    if ((rc = ov_vault_save_meta(v, err)) != OV_OK) {
        /* The backup is there; the vault just does not know it (and says so). */
        v->last_backup = old_time;
        memcpy(v->backup_digest, old_digest, sizeof old_digest);
        v->has_backup_digest = old_has;
        ov_error_prefix(err, "backup %s was made, but recording it in the vault failed",
                        *path_out);
        return rc;
    }
    if (prune_rc != OV_OK && err != NULL)
        *err = prune_err;
    return prune_rc;
}

/* ov_vault_open speaks of a vault; here the file is a backup. */
static void say_backup(struct ov_error *err)
{
    static const char from[] = "damaged vault";
    char copy[OV_ERROR_MSG_MAX];
    char *p = strstr(err->msg, from);

    if (p == NULL)
        return;
    snprintf(copy, sizeof copy, "%.*sdamaged backup%s", (int)(p - err->msg), err->msg,
             p + strlen(from));
    memcpy(err->msg, copy, sizeof copy);
}

int ov_backup_open(const char *path, const struct ov_vault *v, const char *pass,
                   size_t pass_len, struct ov_vault *out, bool *needs_pass,
                   struct ov_error *err)
{
    bool other = false;
    int rc;

    if (needs_pass != NULL)
        *needs_pass = false;
    rc = ov_vault_open_with_key(path, v, out, &other, err);
    if (rc == OV_OK || !other) {
        if (rc == OV_ERR_AUTH)
            say_backup(err);
        return rc;
    }
    if (pass == NULL) {
        if (needs_pass != NULL)
            *needs_pass = true;
        return rc;
    }
    rc = ov_vault_open(path, pass, pass_len, out, err);
    if (rc == OV_ERR_AUTH)
        say_backup(err);
    return rc;
}

int ov_backup_restore_new(const char *vault_path, const struct ov_vault *backup,
                          const char *pass, size_t pass_len, struct ov_vault *out,
                          struct ov_error *err)
{
    struct ov_vault v;
    int rc = ov_vault_create(vault_path, pass, pass_len, &backup->kdf, &v, err);

    memset(out, 0, sizeof *out);
    if (rc != OV_OK)
        return rc;
    ov_sync_copy(&v, backup);
    v.last_backup = backup->last_backup;
    v.last_drill = backup->last_drill;
    v.has_backup_digest = backup->has_backup_digest;
    memcpy(v.backup_digest, backup->backup_digest, sizeof v.backup_digest);
    if ((rc = ov_vault_save(&v, err)) != OV_OK) {
        /* Only the empty vault just created is there: it goes, with its companions. */
        char *prev = ov_xconcat(vault_path, ".prev"), *lock = ov_xconcat(vault_path, ".lock");
        ov_vault_close(&v);
        unlink(vault_path);
        unlink(prev);
        unlink(lock);
        free(prev);
        free(lock);
        return rc;
    }
    *out = v;
    return OV_OK;
}
