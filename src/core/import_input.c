/* See import_input.h. The file is read in growing chunks (pipes and stdin have no size to
 * ask for); every block given up on the way is wiped, since a plain export holds secrets. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "otpvault/import.h"
#include "otpvault/import_input.h"
#include "otpvault/mem.h"

void ov_import_input_free(struct ov_blob *in)
{
    if (in->data == NULL)
        return;
    if (in->len <= OV_IMPORT_SECURE_MAX) {
        ov_secure_free((void *)in->data, in->len);
    } else {
        ov_wipe((void *)in->data, in->len);
        free((void *)in->data);
    }
    in->data = NULL;
    in->len = 0;
}

static void heap_free(uint8_t *buf, size_t n)
{
    if (buf == NULL)
        return;
    ov_wipe(buf, n);
    free(buf);
}

/* Reads fd to its end into a heap buffer; returns OV_OK with *buf and *len set. */
static int read_all(int fd, const char *name, uint8_t **buf_out, size_t *len_out,
                    struct ov_error *err)
{
    size_t cap = 64 * 1024, n = 0;
    uint8_t *buf = ov_xmalloc(cap);

    for (;;) {
        ssize_t r;
        if (n == cap) {
            if (cap >= OV_IMPORT_MAX_INPUT) {
                heap_free(buf, n);
                return ov_error_set(err, OV_ERR_LIMIT, "%s: larger than %u MiB, not an "
                                    "export or a screenshot", name, OV_IMPORT_MAX_INPUT >> 20);
            }
            /* Grown by hand so that the old block can be wiped. */
            uint8_t *bigger = ov_xmalloc(cap * 2);
            memcpy(bigger, buf, n);
            heap_free(buf, n);
            buf = bigger;
            cap *= 2;
        }
        r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            heap_free(buf, n);
            return ov_error_set(err, OV_ERR_IO, "%s: %s", name, strerror(e));
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    *buf_out = buf;
    *len_out = n;
    return OV_OK;
}

int ov_import_input_read(const char *path, const char *name, struct ov_blob *out,
                         struct ov_error *err)
{
    bool is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    struct stat st;
    uint8_t *buf = NULL;
    size_t n = 0;
    int rc;

    memset(out, 0, sizeof *out);
    if (fd < 0)
        return ov_error_set(err, errno == ENOENT ? OV_ERR_NOT_FOUND : OV_ERR_IO, "%s: %s",
                            name, strerror(errno));
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
        rc = ov_error_set(err, OV_ERR_IO, "%s: is a directory", name);
    else
        rc = read_all(fd, name, &buf, &n, err);
    if (!is_stdin)
        close(fd);
    if (rc != OV_OK)
        return rc;
    if (n <= OV_IMPORT_SECURE_MAX) {
        /* ov_secure_alloc(0) still gives a block, so an empty file is a valid empty blob. */
        uint8_t *secure = ov_secure_alloc(n);
        memcpy(secure, buf, n);
        heap_free(buf, n);
        buf = secure;
    }
    *out = (struct ov_blob){ buf, n, name };
    return OV_OK;
}
