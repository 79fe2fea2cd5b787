/* See secret_buf.h: a NUL-terminated view over a sensitive buffer. */
#include <stdint.h>
#include <string.h>

#include "secret_buf.h"

int secret_buf_alloc(struct secret_buf *b, size_t size, struct ov_error *err)
{
    memset(b, 0, sizeof *b);
    if (size == SIZE_MAX)
        return ov_error_set(err, OV_ERR_NOMEM, "no memory for %zu bytes of decrypted data", size);
    b->data = ov_sensitive_alloc(&b->buf, size + 1);
    b->size = size;
    return OV_OK;
}

void secret_buf_free(struct secret_buf *b)
{
    ov_sensitive_free(&b->buf);
    memset(b, 0, sizeof *b);
}
