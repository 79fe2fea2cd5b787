/* PNG decoding with libpng from memory: every colour type and bit depth is turned into 8-bit
 * grey (+ alpha) by libpng's own transforms, then alpha is composited over white here.
 * libpng reports errors by longjmp; our handlers record the message and never print. */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image_internal.h"
#include "otpvault/mem.h"

struct png_ctx {
    const uint8_t *data;
    size_t len, pos;
    const char *name;
    struct ov_image *out;
    struct ov_error *err;
    int rc;                 /* set before a deliberate png_error, else OV_ERR_INVALID */
    uint8_t *scratch;       /* grey+alpha rows; freed by the caller on every path */
    char msg[200];          /* libpng's last error text */
};

static void png_read_mem(png_structp png, png_bytep dst, size_t n)
{
    struct png_ctx *c = png_get_io_ptr(png);

    if (n > c->len - c->pos)
        png_error(png, "the file ends early");
    memcpy(dst, c->data + c->pos, n);
    c->pos += n;
}

static void png_on_error(png_structp png, png_const_charp msg)
{
    struct png_ctx *c = png_get_error_ptr(png);

    snprintf(c->msg, sizeof c->msg, "%s", msg);
    png_longjmp(png, 1);
}

/* Warnings (bad ancillary chunks, benign errors) do not stop decoding and are not shown. */
static void png_on_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

static void composite_row(uint8_t *dst, const uint8_t *ga, png_uint_32 w)
{
    for (png_uint_32 x = 0; x < w; x++)
        dst[x] = ov_over_white(ga[2 * x], ga[2 * x + 1]);
}

/* Everything that may longjmp; allocations go into c so the caller can free them. */
static void png_decode(png_structp png, png_infop info, struct png_ctx *c)
{
    png_uint_32 w, h;
    int color_type, passes, rc;
    size_t channels;

    png_set_read_fn(png, c, png_read_mem);
    /* Our pixel-count bound (checked below, with a clearer message) replaces libpng's
     * default per-side limit of 1 000 000. */
    png_set_user_limits(png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
#ifdef PNG_IGNORE_ADLER32
    /* zlib's Adler-32 over the inflated pixels was 11% of decoding a 1080x2400 screenshot;
     * the chunk CRCs, still checked, already catch a damaged file. */
    png_set_option(png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
#endif
    png_read_info(png, info);
    w = png_get_image_width(png, info);
    h = png_get_image_height(png, info);
    rc = ov_image_check_size(w, h, c->name, "PNG", c->err);
    if (rc != OV_OK) {
        c->rc = rc;             /* the message is set: not a decoder error */
        png_longjmp(png, 1);
    }

    color_type = png_get_color_type(png, info);
    png_set_expand(png);                /* palette -> RGB, grey < 8 bit -> 8, tRNS -> alpha */
    png_set_scale_16(png);              /* 16 -> 8 bit, rounded */
    if (color_type & PNG_COLOR_MASK_COLOR)
        png_set_rgb_to_gray_fixed(png, 1, -1, -1);  /* 1: silently, default weights */
    passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);

    channels = png_get_channels(png, info);
    if ((channels != 1 && channels != 2) || png_get_bit_depth(png, info) != 8 ||
        png_get_rowbytes(png, info) != channels * w)
        png_error(png, "unexpected pixel layout after conversion");

    c->out->px = ov_xmalloc((size_t)w * h);
    c->out->w = w;
    c->out->h = h;
    if (channels == 1) {
        /* Interlaced passes combine into the rows already read, so one buffer suffices. */
        for (int p = 0; p < passes; p++)
            for (png_uint_32 y = 0; y < h; y++)
                png_read_row(png, c->out->px + (size_t)y * w, NULL);
        return;
    }
    /* Grey + alpha: one scratch row, or a whole scratch image when interlaced (passes
     * revisit rows). */
    if (passes == 1) {
        c->scratch = ov_xmalloc((size_t)w * 2);
        for (png_uint_32 y = 0; y < h; y++) {
            png_read_row(png, c->scratch, NULL);
            composite_row(c->out->px + (size_t)y * w, c->scratch, w);
        }
        return;
    }
    c->scratch = ov_xmalloc((size_t)w * 2 * h);
    for (int p = 0; p < passes; p++)
        for (png_uint_32 y = 0; y < h; y++)
            png_read_row(png, c->scratch + (size_t)y * w * 2, NULL);
    for (png_uint_32 y = 0; y < h; y++)
        composite_row(c->out->px + (size_t)y * w, c->scratch + (size_t)y * w * 2, w);
}

int ov_image_load_png(const uint8_t *data, size_t len, const char *name, struct ov_image *out,
                      struct ov_error *err)
{
    struct png_ctx c = { .data = data, .len = len, .name = name, .out = out, .err = err,
                         .rc = OV_ERR_INVALID };
    png_structp png;
    png_infop info = NULL;

    png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &c, png_on_error, png_on_warning);
    if (png == NULL)
        return ov_error_set(err, OV_ERR_INVALID, "%s: cannot start the PNG decoder", name);
    info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        return ov_error_set(err, OV_ERR_INVALID, "%s: cannot start the PNG decoder", name);
    }
    /* Only the struct c (whose address libpng holds) is written between here and longjmp. */
    if (setjmp(png_jmpbuf(png)) == 0) {
        png_decode(png, info, &c);
        c.rc = OV_OK;
    } else if (c.rc == OV_ERR_INVALID) {
        ov_error_set(err, c.rc, "%s: damaged or truncated PNG image (%s)", name, c.msg);
    }
    png_destroy_read_struct(&png, &info, NULL);
    free(c.scratch);
    return c.rc;
}
