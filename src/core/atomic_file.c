/* Durable file replacement, bounded reads, writer locks. See atomic_file.h for the contract.
 *
 * Replacement order matters: the new bytes are written and fsynced to a temp file first (the
 * step that fails on a full disk), then the previous version is kept, then one rename makes
 * the new file visible, then the directory is fsynced so the rename itself survives a crash. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "otpvault/atomic_file.h"
#include "otpvault/mem.h"

#define LOCK_POLL_MS 25u

const char *ov_file_kind(unsigned mode)
{
    static const struct {
        unsigned type;
        const char *kind;
    } kinds[] = { { S_IFREG, "a regular file" },     { S_IFDIR, "a directory" },
                  { S_IFIFO, "a FIFO (named pipe)" }, { S_IFSOCK, "a socket" },
                  { S_IFCHR, "a character device" },  { S_IFBLK, "a block device" },
                  { S_IFLNK, "a symbolic link" } };

    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if ((mode & S_IFMT) == kinds[i].type)
            return kinds[i].kind;
    return "not a file";
}

int ov_regular_file_check(const char *path, struct ov_error *err)
{
    struct stat st;

    if (stat(path, &st) != 0) {
        if (errno == ENOENT)
            return ov_error_set(err, OV_ERR_NOT_FOUND, "%s: no such file", path);
        return ov_error_set(err, OV_ERR_IO, "%s: %s", path, strerror(errno));
    }
    if (!S_ISREG(st.st_mode))
        return ov_error_set(err, OV_ERR_INVALID, "%s is %s, not a regular file", path,
                            ov_file_kind(st.st_mode));
    return OV_OK;
}

/* The directory holding path, for the directory fsync ("." for a bare file name). */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return ov_xstrdup(".");
    if (slash == path)
        return ov_xstrdup("/");
    return ov_xstrndup(path, (size_t)(slash - path));
}

int ov_file_read(const char *path, size_t max_len, uint8_t **buf, size_t *len,
                 struct ov_error *err)
{
    struct stat st;
    uint8_t *data;
    size_t cap, used = 0;
    /* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
     * Nothing is read before fstat says this is a regular file. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

    if (fd < 0) {
        if (errno == ENOENT)
            return ov_error_set(err, OV_ERR_NOT_FOUND, "%s: no such file", path);
        return ov_error_set(err, OV_ERR_IO, "%s: %s", path, strerror(errno));
    }
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return ov_error_set(err, OV_ERR_IO, "%s: %s", path, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return ov_error_set(err, OV_ERR_IO, "%s: %s, not a regular file", path,
                            ov_file_kind(st.st_mode));
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    if ((uintmax_t)st.st_size > max_len) {
        close(fd);
        return ov_error_set(err, OV_ERR_LIMIT, "%s: %jd bytes, more than the limit of %zu",
                            path, (intmax_t)st.st_size, max_len);
    }
    /* The size is only a hint: the file may change while we read it. */
    cap = (size_t)st.st_size + 1;
    data = ov_xmalloc(cap);
    for (;;) {
        ssize_t n;
        if (used == cap) {
            if (cap > max_len) {
                free(data);
                close(fd);
                return ov_error_set(err, OV_ERR_LIMIT, "%s: more than the limit of %zu bytes",
                                    path, max_len);
            }
            cap = cap > max_len / 2 ? max_len + 1 : cap * 2;
            data = ov_xrealloc(data, cap);
        }
        n = read(fd, data + used, cap - used);
        if (n == 0)
            break;
        if (n < 0) {
            int e = errno;
            if (e == EINTR)
                continue;
            free(data);
            close(fd);
            return ov_error_set(err, OV_ERR_IO, "%s: %s", path, strerror(e));
        }
        used += (size_t)n;
    }
    close(fd);
    if (used > max_len) {
        free(data);
        return ov_error_set(err, OV_ERR_LIMIT, "%s: more than the limit of %zu bytes", path,
                            max_len);
    }
    *buf = data;
    *len = used;
    return OV_OK;
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (n == 0) {
            errno = EIO;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Writes data to a new, fsynced temp file "<path>.tmp.XXXXXX" and returns its name. */
static int write_temp(const char *path, const void *data, size_t len, char **tmp_out,
                      struct ov_error *err)
{
    char *tmp = ov_xconcat(path, ".tmp.XXXXXX");
    const char *what = "cannot write temporary file";
    int fd = mkostemp(tmp, O_CLOEXEC);
    int e;

    if (fd < 0) {
        e = errno;
        char *dir = dir_of(path);
        ov_error_set(err, OV_ERR_IO, "%s: cannot create a temporary file in %s: %s", path,
                     dir, strerror(e));
        free(dir);
        free(tmp);
        return OV_ERR_IO;
    }
    if (fchmod(fd, 0600) == 0 && write_all(fd, data, len) == 0 && fsync(fd) == 0) {
        if (close(fd) == 0) {
            *tmp_out = tmp;
            return OV_OK;
        }
        what = "cannot close temporary file";
        fd = -1;
    }
    e = errno;
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    ov_error_set(err, OV_ERR_IO, "%s: %s %s: %s", path, what, tmp, strerror(e));
    free(tmp);
    return OV_ERR_IO;
}

/* Copies path to prev_path through its own temp file, for file systems without hard links. */
static int copy_prev(const char *path, const char *prev_path, struct ov_error *err)
{
    uint8_t *old;
    size_t old_len;
    char *tmp;
    int rc = ov_file_read(path, SIZE_MAX / 2, &old, &old_len, err);

    if (rc == OV_ERR_NOT_FOUND)
        return OV_OK;
    if (rc != OV_OK)
        return rc;
    rc = write_temp(prev_path, old, old_len, &tmp, err);
    free(old);
    if (rc != OV_OK)
        return rc;
    if (rename(tmp, prev_path) != 0) {
        rc = ov_error_set(err, OV_ERR_IO, "%s: cannot keep the previous version as %s: %s",
                          path, prev_path, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    return rc;
}

/* Makes prev_path a hard link to the current path: link to a private name next to our temp
 * file (unique because the temp name is), then rename over prev_path atomically. */
static int keep_prev(const char *path, const char *prev_path, const char *tmp,
                     struct ov_error *err)
{
    char *link_name = ov_xconcat(tmp, ".prev");
    int rc = OV_OK;

    if (link(path, link_name) != 0) {
        int e = errno;
        free(link_name);
        if (e == ENOENT)
            return OV_OK; /* nothing to keep yet */
        if (e == EPERM || e == EXDEV || e == EMLINK || e == EOPNOTSUPP || e == ENOSYS)
            return copy_prev(path, prev_path, err);
        return ov_error_set(err, OV_ERR_IO, "%s: cannot keep the previous version as %s: %s",
                            path, prev_path, strerror(e));
    }
    if (rename(link_name, prev_path) != 0)
        rc = ov_error_set(err, OV_ERR_IO, "%s: cannot keep the previous version as %s: %s",
                          path, prev_path, strerror(errno));
    /* When prev_path already is a link to the same file (a save killed between this rename
     * and the next one left it so), rename does nothing and link_name stays: remove it. */
    unlink(link_name);
    free(link_name);
    return rc;
}

static int fsync_dir(const char *path, struct ov_error *err)
{
    char *dir = dir_of(path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = OV_OK;

    /* EINVAL: a file system that cannot sync directories; there is nothing more to do. */
    if (fd < 0 || (fsync(fd) != 0 && errno != EINVAL))
        rc = ov_error_set(err, OV_ERR_IO, "%s: saved, but syncing directory %s failed: %s",
                          path, dir, strerror(errno));
    if (fd >= 0)
        close(fd);
    free(dir);
    return rc;
}

int ov_atomic_replace(const char *path, const void *data, size_t len, const char *prev_path,
                      bool *committed, struct ov_error *err)
{
    char *tmp;
    int rc;

    if (committed != NULL)
        *committed = false;
    rc = write_temp(path, data, len, &tmp, err);
    if (rc != OV_OK)
        return rc;
    if (prev_path != NULL)
        rc = keep_prev(path, prev_path, tmp, err);
    if (rc == OV_OK && rename(tmp, path) != 0)
        rc = ov_error_set(err, OV_ERR_IO, "%s: cannot rename %s over it: %s", path, tmp,
                          strerror(errno));
    if (rc != OV_OK) {
        unlink(tmp);
        free(tmp);
        return rc;
    }
    free(tmp);
    if (committed != NULL)
        *committed = true;
    return fsync_dir(path, err);
}

/* Moves tmp to path unless path exists: link() where the file system has hard links, else
 * renameat2(RENAME_NOREPLACE) (vfat USB sticks have it), else a check and a rename, which
 * only a concurrent writer of the same new name could race. */
static int publish_new(const char *tmp, const char *path)
{
    struct stat st;

    if (link(tmp, path) == 0) {
        unlink(tmp);
        return 0;
    }
    if (errno == EEXIST)
        return -1;
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno == EEXIST)
        return -1;
    if (lstat(path, &st) == 0) {
        errno = EEXIST;
        return -1;
    }
    return rename(tmp, path);
}

int ov_atomic_create(const char *path, const void *data, size_t len, struct ov_error *err)
{
    struct stat st;
    char *tmp;
    int rc;

    if (lstat(path, &st) == 0)
        return ov_error_set(err, OV_ERR_EXISTS, "%s already exists; it was not overwritten",
                            path);
    if ((rc = write_temp(path, data, len, &tmp, err)) != OV_OK)
        return rc;
    if (publish_new(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        free(tmp);
        if (e == EEXIST)
            return ov_error_set(err, OV_ERR_EXISTS, "%s already exists; it was not "
                                "overwritten", path);
        return ov_error_set(err, OV_ERR_IO, "%s: cannot create it: %s", path, strerror(e));
    }
    free(tmp);
    return fsync_dir(path, err);
}

/* Whether name is base + ".tmp." + the six characters mkostemp puts in, optionally followed
 * by ".prev" (keep_prev's link). */
static bool is_leftover(const char *name, const char *base)
{
    size_t n = strlen(base);
    const char *x = name + n + 5;

    if (strncmp(name, base, n) != 0 || strncmp(name + n, ".tmp.", 5) != 0)
        return false;
    for (int i = 0; i < 6; i++)
        if (!((x[i] >= 'a' && x[i] <= 'z') || (x[i] >= 'A' && x[i] <= 'Z') ||
              (x[i] >= '0' && x[i] <= '9')))
            return false;
    return x[6] == '\0' || strcmp(x + 6, ".prev") == 0;
}

void ov_atomic_remove_leftovers(const char *path, const char *prev_path)
{
    char *dir = dir_of(path);
    const char *base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
    const char *prev_base = NULL;
    DIR *d = opendir(dir);
    struct dirent *e;

    if (prev_path != NULL)
        prev_base = strrchr(prev_path, '/') != NULL ? strrchr(prev_path, '/') + 1 : prev_path;
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (is_leftover(e->d_name, base) ||
            (prev_base != NULL && is_leftover(e->d_name, prev_base))) {
            char *victim = ov_xconcat(dir, "/");
            char *full = ov_xconcat(victim, e->d_name);
            unlink(full); /* best effort: a leftover we cannot remove harms nothing */
            free(full);
            free(victim);
        }
    }
    if (d != NULL)
        closedir(d);
    free(dir);
}

static long elapsed_ms(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - start->tv_sec) * 1000L + (now.tv_nsec - start->tv_nsec) / 1000000L;
}

int ov_lock_acquire(const char *lock_path, unsigned timeout_ms, int *fd_out,
                    struct ov_error *err)
{
    struct timespec start;
    int fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);

    /* flock needs no write access: a lock file we may not write still serialises writers. */
    if (fd < 0 && (errno == EROFS || errno == EACCES))
        fd = open(lock_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return ov_error_set(err, OV_ERR_IO, "%s: %s", lock_path, strerror(errno));
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            break;
        if (errno == EINTR)
            continue;
        if (errno != EWOULDBLOCK) {
            int e = errno;
            close(fd);
            return ov_error_set(err, OV_ERR_IO, "%s: cannot lock: %s", lock_path,
                                strerror(e));
        }
        if (elapsed_ms(&start) >= (long)timeout_ms) {
            close(fd);
            return ov_error_set(err, OV_ERR_LOCKED, "%s is still held by another process "
                                "after %u.%01u s", lock_path, timeout_ms / 1000,
                                timeout_ms % 1000 / 100);
        }
        struct timespec pause = { 0, (long)LOCK_POLL_MS * 1000000L };
        nanosleep(&pause, NULL);
    }
    *fd_out = fd;
    return OV_OK;
}

void ov_lock_release(int fd)
{
    if (fd < 0)
        return;
    flock(fd, LOCK_UN);
    close(fd);
}

int ov_mkdir_parents(const char *path, struct ov_error *err)
{
    char *dir = dir_of(path);

    for (char *p = dir + 1;; p++) {
        bool end = *p == '\0';
        if (*p == '/' || end) {
            struct stat st;
            int e = 0;
            *p = '\0';
            if (mkdir(dir, 0700) != 0)
                e = errno;
            /* An existing directory we may not write into can fail with EACCES, not EEXIST. */
            if (e != 0 && e != EEXIST && !(stat(dir, &st) == 0 && S_ISDIR(st.st_mode))) {
                ov_error_set(err, OV_ERR_IO, "cannot create directory %s: %s", dir,
                             strerror(e));
                free(dir);
                return OV_ERR_IO;
            }
            if (end)
                break;
            *p = '/';
        }
    }
    free(dir);
    return OV_OK;
}
