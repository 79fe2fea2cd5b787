/* Encoders for the QR test-image generator: PNG in every colour type (libpng), JPEG grey,
 * RGB and CMYK (TurboJPEG), WebP lossy, lossless and with alpha (libwebp), GIF (giflib), all
 * into memory so each of the core's loaders can be exercised end to end. */
#include <gif_lib.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>
#include <webp/encode.h>

#include "otpvault/mem.h"
#include "qrgen.h"

static void die(const char *what)
{
    fprintf(stderr, "qrgen: %s\n", what);
    abort();
}

static void buf_append(struct qg_buf *b, const void *data, size_t n)
{
    if (b->len + n > b->cap) {
        while (b->len + n > b->cap)
            b->cap = b->cap ? b->cap * 2 : 4096;
        b->data = ov_xrealloc(b->data, b->cap);
    }
    memcpy(b->data + b->len, data, n);
    b->len += n;
}

void qg_buf_free(struct qg_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

bool qg_save(const char *path, const struct qg_buf *b)
{
    FILE *f = fopen(path, "wb");
    bool ok;

    if (f == NULL)
        return false;
    ok = fwrite(b->data, 1, b->len, f) == b->len;
    if (fclose(f) != 0)
        ok = false;
    return ok;
}

/* ---- PNG ---- */

const char *qg_png_kind_name(enum qg_png_kind kind)
{
    static const char *const names[QG_PNG_KIND_COUNT] = {
        "grey8", "grey16", "grey1", "grey-trns", "ga8", "ga16", "rgb8", "rgb16", "rgba8",
        "rgba16", "rgb-tint", "palette8", "palette1", "palette-trns",
    };
    return (unsigned)kind < QG_PNG_KIND_COUNT ? names[kind] : "?";
}

static void png_write_mem(png_structp png, png_bytep data, size_t n)
{
    buf_append(png_get_io_ptr(png), data, n);
}

static void png_flush_mem(png_structp png)
{
    (void)png;
}

static void png_die(png_structp png, png_const_charp msg)
{
    (void)png;
    die(msg);
}

/* Writes one sample of 'bits' (8 or 16) big-endian; 1-bit rows are packed by the caller. */
static uint8_t *put(uint8_t *p, unsigned v8, int bits)
{
    if (bits == 16) {
        unsigned v = v8 * 257;
        *p++ = (uint8_t)(v >> 8);
        *p++ = (uint8_t)v;
    } else {
        *p++ = (uint8_t)v8;
    }
    return p;
}

/* Fills one row of the given layout from the grey row g. */
static void png_row(enum qg_png_kind kind, const uint8_t *g, unsigned w, uint8_t *row)
{
    uint8_t *p = row;

    switch (kind) {
    case QG_PNG_GREY8: case QG_PNG_GREY_TRNS: case QG_PNG_PALETTE8:
        memcpy(row, g, w);
        break;
    case QG_PNG_GREY16:
        for (unsigned x = 0; x < w; x++)
            p = put(p, g[x], 16);
        break;
    case QG_PNG_GREY1: case QG_PNG_PALETTE1: case QG_PNG_PALETTE_TRNS:
        memset(row, 0, (w + 7) / 8);
        for (unsigned x = 0; x < w; x++)
            if (g[x] >= 128)
                row[x / 8] |= (uint8_t)(0x80 >> (x % 8));
        break;
    case QG_PNG_GA8: case QG_PNG_GA16: {
        int bits = kind == QG_PNG_GA16 ? 16 : 8;
        for (unsigned x = 0; x < w; x++) {
            p = put(p, 0, bits);
            p = put(p, 255u - g[x], bits);
        }
        break;
    }
    case QG_PNG_RGB8: case QG_PNG_RGB16: {
        int bits = kind == QG_PNG_RGB16 ? 16 : 8;
        for (unsigned x = 0; x < w; x++)
            for (int c = 0; c < 3; c++)
                p = put(p, g[x], bits);
        break;
    }
    case QG_PNG_RGBA8: case QG_PNG_RGBA16: {
        int bits = kind == QG_PNG_RGBA16 ? 16 : 8;
        for (unsigned x = 0; x < w; x++) {
            for (int c = 0; c < 3; c++)
                p = put(p, 0, bits);
            p = put(p, 255u - g[x], bits);
        }
        break;
    }
    case QG_PNG_RGB_TINT:
        /* Dark modules navy (20, 40, 120), light ones warm white (255, 248, 235). */
        for (unsigned x = 0; x < w; x++) {
            unsigned t = g[x];
            *p++ = (uint8_t)(20 + (235 * t) / 255);
            *p++ = (uint8_t)(40 + (208 * t) / 255);
            *p++ = (uint8_t)(120 + (115 * t) / 255);
        }
        break;
    default:
        die("bad PNG kind");
    }
}

void qg_write_png(const struct ov_image *img, enum qg_png_kind kind, bool interlaced,
                  struct qg_buf *out)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_die, NULL);
    png_infop info = png_create_info_struct(png);
    int type, bits = 8, passes;
    size_t rowbytes;
    uint8_t *row;

    if (png == NULL || info == NULL)
        die("libpng");
    memset(out, 0, sizeof *out);
    switch (kind) {
    case QG_PNG_GREY16: bits = 16; type = PNG_COLOR_TYPE_GRAY; break;
    case QG_PNG_GREY1: bits = 1; type = PNG_COLOR_TYPE_GRAY; break;
    case QG_PNG_GA8: type = PNG_COLOR_TYPE_GRAY_ALPHA; break;
    case QG_PNG_GA16: bits = 16; type = PNG_COLOR_TYPE_GRAY_ALPHA; break;
    case QG_PNG_RGB8: case QG_PNG_RGB_TINT: type = PNG_COLOR_TYPE_RGB; break;
    case QG_PNG_RGB16: bits = 16; type = PNG_COLOR_TYPE_RGB; break;
    case QG_PNG_RGBA8: type = PNG_COLOR_TYPE_RGB_ALPHA; break;
    case QG_PNG_RGBA16: bits = 16; type = PNG_COLOR_TYPE_RGB_ALPHA; break;
    case QG_PNG_PALETTE8: type = PNG_COLOR_TYPE_PALETTE; break;
    case QG_PNG_PALETTE1: case QG_PNG_PALETTE_TRNS: bits = 1; type = PNG_COLOR_TYPE_PALETTE;
        break;
    default: type = PNG_COLOR_TYPE_GRAY; break;
    }
    png_set_write_fn(png, out, png_write_mem, png_flush_mem);
    png_set_IHDR(png, info, img->w, img->h, bits, type,
                 interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (type == PNG_COLOR_TYPE_PALETTE) {
        png_color pal[256];
        int n = bits == 1 ? 2 : 256;
        for (int i = 0; i < n; i++)
            pal[i].red = pal[i].green = pal[i].blue = (png_byte)(bits == 1 ? i * 255 : i);
        png_set_PLTE(png, info, pal, n);
        if (kind == QG_PNG_PALETTE_TRNS) {
            png_byte alpha[2] = { 255, 0 };
            png_set_tRNS(png, info, alpha, 2, NULL);
        }
    } else if (kind == QG_PNG_GREY_TRNS) {
        png_color_16 white = { .gray = 255 };
        png_set_tRNS(png, info, NULL, 0, &white);
    }
    png_write_info(png, info);
    rowbytes = png_get_rowbytes(png, info);
    row = ov_xmalloc(rowbytes);
    passes = png_set_interlace_handling(png);
    for (int p = 0; p < passes; p++) {
        for (unsigned y = 0; y < img->h; y++) {
            png_row(kind, img->px + (size_t)y * img->w, img->w, row);
            png_write_row(png, row);
        }
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(row);
}

/* ---- JPEG ---- */

void qg_write_jpeg(const struct ov_image *img, enum qg_jpeg_kind kind, int quality,
                   bool progressive, struct qg_buf *out)
{
    tjhandle tj = tjInitCompress();
    unsigned char *jpeg = NULL;
    unsigned long size = 0;
    size_t n = (size_t)img->w * img->h;
    uint8_t *pix = NULL;
    int pf = TJPF_GRAY, samp = TJSAMP_GRAY;
    int flags = progressive ? TJFLAG_PROGRESSIVE : 0;

    if (tj == NULL)
        die("tjInitCompress");
    if (kind == QG_JPEG_RGB) {
        pix = ov_xmalloc(n * 3);
        for (size_t i = 0; i < n; i++)
            pix[3 * i] = pix[3 * i + 1] = pix[3 * i + 2] = img->px[i];
        pf = TJPF_RGB;
        samp = TJSAMP_420;
    } else if (kind == QG_JPEG_CMYK) {
        /* TurboJPEG's inverted (Adobe) CMYK: no ink is 255, so K alone carries the grey. */
        pix = ov_xmalloc(n * 4);
        for (size_t i = 0; i < n; i++) {
            pix[4 * i] = pix[4 * i + 1] = pix[4 * i + 2] = 255;
            pix[4 * i + 3] = img->px[i];
        }
        pf = TJPF_CMYK;
        samp = TJSAMP_444;
    }
    if (tjCompress2(tj, pix != NULL ? pix : img->px, (int)img->w, 0, (int)img->h, pf, &jpeg,
                    &size, samp, quality, flags) != 0)
        die(tjGetErrorStr2(tj));
    memset(out, 0, sizeof *out);
    buf_append(out, jpeg, size);
    tjFree(jpeg);
    tjDestroy(tj);
    free(pix);
}

/* ---- WebP ---- */

void qg_write_webp(const struct ov_image *img, enum qg_webp_kind kind, int quality,
                   struct qg_buf *out)
{
    size_t n = (size_t)img->w * img->h, size;
    int ch = kind == QG_WEBP_ALPHA ? 4 : 3;
    uint8_t *pix = ov_xmalloc(n * (size_t)ch), *webp = NULL;

    for (size_t i = 0; i < n; i++) {
        uint8_t *p = pix + i * (size_t)ch;
        if (kind == QG_WEBP_ALPHA) {
            p[0] = p[1] = p[2] = 0;
            p[3] = (uint8_t)(255 - img->px[i]);
        } else {
            p[0] = p[1] = p[2] = img->px[i];
        }
    }
    if (kind == QG_WEBP_LOSSY)
        size = WebPEncodeRGB(pix, (int)img->w, (int)img->h, (int)img->w * 3, (float)quality,
                             &webp);
    else if (kind == QG_WEBP_LOSSLESS)
        size = WebPEncodeLosslessRGB(pix, (int)img->w, (int)img->h, (int)img->w * 3, &webp);
    else
        size = WebPEncodeLosslessRGBA(pix, (int)img->w, (int)img->h, (int)img->w * 4, &webp);
    if (size == 0)
        die("WebP encoding failed");
    memset(out, 0, sizeof *out);
    buf_append(out, webp, size);
    WebPFree(webp);
    free(pix);
}

/* ---- GIF ---- */

static int gif_write_mem(GifFileType *gif, const GifByteType *data, int n)
{
    buf_append(gif->UserData, data, (size_t)n);
    return n;
}

void qg_write_gif(const struct ov_image *img, bool interlaced, bool transparent_white,
                  struct qg_buf *out)
{
    static const int offsets[4] = { 0, 4, 2, 1 }, steps[4] = { 8, 8, 4, 2 };
    GifColorType colors[256];
    ColorMapObject *map;
    GifFileType *gif;
    int e = 0;

    memset(out, 0, sizeof *out);
    for (int i = 0; i < 256; i++)
        colors[i].Red = colors[i].Green = colors[i].Blue = (GifByteType)i;
    map = GifMakeMapObject(256, colors);
    gif = EGifOpen(out, gif_write_mem, &e);
    if (gif == NULL || map == NULL)
        die("giflib");
    EGifSetGifVersion(gif, true);
    if (EGifPutScreenDesc(gif, (int)img->w, (int)img->h, 8, 255, map) != GIF_OK)
        die("EGifPutScreenDesc");
    if (transparent_white) {
        GraphicsControlBlock gcb = { .DisposalMode = DISPOSAL_UNSPECIFIED,
                                     .DelayTime = 0, .TransparentColor = 255 };
        GifByteType ext[4];
        size_t len = EGifGCBToExtension(&gcb, ext);
        if (EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, (int)len, ext) != GIF_OK)
            die("EGifPutExtension");
    }
    if (EGifPutImageDesc(gif, 0, 0, (int)img->w, (int)img->h, interlaced, NULL) != GIF_OK)
        die("EGifPutImageDesc");
    /* giflib does not reorder: interlaced lines go out in pass order. */
    for (int p = 0; p < (interlaced ? 4 : 1); p++)
        for (unsigned y = interlaced ? (unsigned)offsets[p] : 0; y < img->h;
             y += interlaced ? (unsigned)steps[p] : 1)
            if (EGifPutLine(gif, img->px + (size_t)y * img->w, (int)img->w) != GIF_OK)
                die("EGifPutLine");
    if (EGifCloseFile(gif, &e) != GIF_OK)
        die("EGifCloseFile");
    GifFreeMapObject(map);
}
