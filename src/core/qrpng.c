/* QR codes as PNG pictures (libpng), for printing or for another machine. The picture holds
 * the secret, so every buffer, the rows included, is secure memory. */
#include <png.h>
#include <setjmp.h>
#include <string.h>

#include "otpvault/mem.h"
#include "otpvault/qrdraw.h"

struct sink {
    uint8_t *data;
    size_t len, cap;
};

static void sink_write(png_structp png, png_bytep data, png_size_t n)
{
    struct sink *s = png_get_io_ptr(png);

    if (s->len + n > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->len + n)
            cap *= 2;
        s->data = ov_secure_realloc(s->data, s->cap, cap);
        s->cap = cap;
    }
    memcpy(s->data + s->len, data, n);
    s->len += n;
}

static void sink_flush(png_structp png)
{
    (void)png;
}

/* One 1-bit row of pixels for module row my (quiet zone included); bit 1 is white. */
static void fill_row(const struct ov_qr_matrix *m, int my, int scale, uint8_t *row, int width)
{
    memset(row, 0xff, (size_t)(width + 7) / 8);
    for (int x = 0; x < width; x++) {
        int mx = x / scale - OV_QR_QUIET;
        if (my >= 0 && my < m->side && mx >= 0 && mx < m->side && m->dark[my * m->side + mx])
            row[x / 8] &= (uint8_t)~(0x80 >> (x % 8));
    }
}

int ov_qr_png(const char *text, int scale, uint8_t **png_out, size_t *len,
              struct ov_error *err)
{
    struct ov_qr_matrix m;
    struct sink sink = { NULL, 0, 0 };
    png_structp png = NULL;
    png_infop info = NULL;
    uint8_t *volatile row = NULL;
    volatile size_t row_len = 0;
    int width, rc;

    *png_out = NULL;
    *len = 0;
    if (scale < 1 || scale > 64)
        return ov_error_set(err, OV_ERR_INVALID, "scale %d is outside 1..64", scale);
    if ((rc = ov_qr_encode(text, OV_QR_PNG_MAX_SIDE, &m, err)) != OV_OK)
        return rc;
    width = (m.side + 2 * OV_QR_QUIET) * scale;
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    if (png != NULL)
        info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        ov_qr_matrix_free(&m);
        return ov_error_set(err, OV_ERR_NOMEM, "cannot start a PNG");
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        ov_secure_free(row, row_len);
        ov_secure_free(sink.data, sink.cap);
        ov_qr_matrix_free(&m);
        return ov_error_set(err, OV_ERR_NOMEM, "cannot write the PNG");
    }
    png_set_write_fn(png, &sink, sink_write, sink_flush);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)width, 1, PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    row_len = (size_t)(width + 7) / 8;
    row = ov_secure_alloc(row_len);
    for (int y = 0; y < width; y++) {
        fill_row(&m, y / scale - OV_QR_QUIET, scale, row, width);
        png_write_row(png, row);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    ov_secure_free(row, row_len);
    ov_qr_matrix_free(&m);
    /* Exactly len bytes, so that the caller frees what it was given. */
    *png_out = ov_secure_alloc(sink.len);
    memcpy(*png_out, sink.data, sink.len);
    *len = sink.len;
    ov_secure_free(sink.data, sink.cap);
    return OV_OK;
}
