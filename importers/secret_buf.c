/* See secret_buf.h. */
#include <gcrypt.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "otpvault/mem.h"
#include "secret_buf.h"

int secret_buf_alloc(struct secret_buf *b, size_t size, struct ov_error *err)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    void *p;

    memset(b, 0, sizeof *b);
    if (size == SIZE_MAX)
        return ov_error_set(err, OV_ERR_NOMEM, "no memory for %zu bytes of decrypted data", size);
    /* gcry_calloc_secure returns NULL (where ov_secure_alloc aborts) when it cannot. */
    p = gcry_calloc_secure(1, size + 1);
    if (p != NULL) {
        b->data = p;
        b->size = size;
        return OV_OK;
    }
    b->mapped = (size + 1 + page - 1) / page * page;
    p = mmap(NULL, b->mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        b->mapped = 0;
        return ov_error_set(err, OV_ERR_NOMEM, "no memory for %zu bytes of decrypted data", size);
    }
    /* Both are best effort: RLIMIT_MEMLOCK is often small, and the pages are wiped anyway. */
    (void)mlock(p, b->mapped);
#ifdef MADV_DONTDUMP
    (void)madvise(p, b->mapped, MADV_DONTDUMP);
#endif
    b->data = p;
    b->size = size;
    return OV_OK;
}

void secret_buf_free(struct secret_buf *b)
{
    if (b->data == NULL)
        return;
    if (b->mapped > 0) {
        ov_wipe(b->data, b->mapped);
        munlock(b->data, b->mapped);
        munmap(b->data, b->mapped);
    } else {
        ov_secure_free(b->data, b->size + 1);
    }
    memset(b, 0, sizeof *b);
}
