/* Buffers for sensitive bytes whose size comes from the input (a database image, an
 * inflated archive member, a decrypted export). Small ones live in the secure pool; big ones
 * are anonymous mappings, so one input cannot exhaust the pool: locked in memory where
 * RLIMIT_MEMLOCK allows, kept out of core dumps, and wiped before they are unmapped. */
#ifndef IMPORTERS_SENSITIVE_BUF_H
#define IMPORTERS_SENSITIVE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ov_sensitive_buf {
    uint8_t *data;      /* zero-filled; NULL when empty */
    size_t size;
    bool mapped;        /* an mmap'ed region, not the secure pool */
};

/* Allocates size bytes (aborts on exhaustion, like ov_secure_alloc). */
uint8_t *ov_sensitive_alloc(struct ov_sensitive_buf *b, size_t size);
/* Wipes and frees; a zeroed or already freed buffer is a no-op. */
void ov_sensitive_free(struct ov_sensitive_buf *b);

#endif
