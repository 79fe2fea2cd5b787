/* See sensitive_buf.h. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "otpvault/mem.h"
#include "sensitive_buf.h"

/* Small enough that many such buffers still leave the secure pool room for the secrets. */
#define SECURE_MAX (64u * 1024u)

uint8_t *ov_sensitive_alloc(struct ov_sensitive_buf *b, size_t size)
{
    b->size = size;
    b->mapped = size > SECURE_MAX;
    if (!b->mapped) {
        b->data = ov_secure_alloc(size);
        return b->data;
    }
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        fprintf(stderr, "otpvault: out of memory (%zu bytes)\n", size);
        abort();
    }
    (void)mlock(p, size);                   /* best effort: the limit may forbid it */
    (void)madvise(p, size, MADV_DONTDUMP);
    b->data = p;
    return b->data;
}

void ov_sensitive_free(struct ov_sensitive_buf *b)
{
    if (b->data == NULL)
        return;
    if (b->mapped) {
        ov_wipe(b->data, b->size);
        munlock(b->data, b->size);
        munmap(b->data, b->size);
    } else {
        ov_secure_free(b->data, b->size);
    }
    b->data = NULL;
    b->size = 0;
}
