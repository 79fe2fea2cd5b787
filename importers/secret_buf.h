/* Buffers for decrypted export contents. libgcrypt's secure memory (mem.h) cannot hand out a
 * block larger than one pool (256 KiB with libgcrypt 1.10: ov_secure_alloc aborts past it),
 * and a big export (custom icons, thousands of entries) decrypts to more. Such contents go
 * to pages of their own, locked where the limits allow, kept out of core dumps, and wiped
 * before they are unmapped. */
#ifndef IMPORTERS_SECRET_BUF_H
#define IMPORTERS_SECRET_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "otpvault/error.h"

struct secret_buf {
    uint8_t *data;      /* size + 1 bytes, zero-filled: room for a terminating NUL */
    size_t size;
    size_t mapped;      /* bytes mapped, 0 when in secure memory */
};

/* OV_OK, or OV_ERR_NOMEM (with a message) when not even ordinary memory is left. */
int secret_buf_alloc(struct secret_buf *b, size_t size, struct ov_error *err);
/* Wipes and frees; harmless on a zeroed or already freed buffer. */
void secret_buf_free(struct secret_buf *b);

#endif
