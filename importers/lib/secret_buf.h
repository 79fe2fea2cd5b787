/* Buffers for decrypted export contents, NUL-terminated so they can be parsed as text: a thin
 * layer over sensitive_buf.h (the secure pool for small contents, locked pages of their own
 * for big ones: custom icons, thousands of entries). */
#ifndef IMPORTERS_SECRET_BUF_H
#define IMPORTERS_SECRET_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "otpvault/error.h"
#include "sensitive_buf.h"

struct secret_buf {
    uint8_t *data;      /* size + 1 bytes, zero-filled: room for a terminating NUL */
    size_t size;
    struct ov_sensitive_buf buf; /* where the bytes live (secure pool or locked mapping) */
};

/* OV_OK, or OV_ERR_NOMEM (with a message) when not even ordinary memory is left. */
int secret_buf_alloc(struct secret_buf *b, size_t size, struct ov_error *err);
/* Wipes and frees; harmless on a zeroed or already freed buffer. */
void secret_buf_free(struct secret_buf *b);

#endif
