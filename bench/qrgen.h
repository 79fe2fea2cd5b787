/* A QR test-image generator for the QR importer's tests and benchmarks (not part of the core):
 * libqrencode renders text or bytes into a module grid, image operations turn it into phone
 * screenshots, dark-mode and small screenshots, several codes per image and camera "photos",
 * and encoders write PNG (every colour type), JPEG, WebP and GIF so each loader is exercised.
 *
 * Images are struct ov_image (8-bit grey, stride == width) from the core's image.h; every
 * function returning an image allocates it, free it with ov_image_free. Everything is
 * deterministic for a given seed. Functions abort on out-of-memory (ov_xmalloc). */
#ifndef OTPVAULT_BENCH_QRGEN_H
#define OTPVAULT_BENCH_QRGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "otpvault/image.h"

/* ---- basics ---- */

/* A w x h image filled with fill. */
struct ov_image qg_new(unsigned w, unsigned h, uint8_t fill);
struct ov_image qg_copy(const struct ov_image *src);

/* Renders len bytes (8-bit mode, so 0x00..0xff all survive) as a QR code at ecc level
 * 'L', 'M', 'Q' or 'H', scale pixels per module, with quiet modules of white border.
 * Returns false when the data does not fit in a QR code (version 40). *modules, if not
 * NULL, receives the symbol's size in modules (without quiet zone). */
bool qg_qr(const void *data, size_t len, char ecc, unsigned scale, unsigned quiet,
           struct ov_image *out, unsigned *modules);

/* ---- image operations (in place unless they return an image) ---- */

/* Copies src onto dst with its top-left corner at (x, y), clipped. */
void qg_blit(struct ov_image *dst, const struct ov_image *src, int x, int y);
void qg_fill_rect(struct ov_image *img, int x, int y, int w, int h, uint8_t v);
void qg_invert(struct ov_image *img);
/* Nearest-neighbour enlargement by an integer factor. */
struct ov_image qg_scale_nearest(const struct ov_image *src, unsigned factor);
/* To any size: area average when shrinking, bilinear when enlarging. */
struct ov_image qg_resize(const struct ov_image *src, unsigned w, unsigned h);
/* Three box-blur passes of the given radius (about a Gaussian of sigma ~ radius). */
void qg_blur(struct ov_image *img, unsigned radius);
/* Adds zero-mean noise of about the given standard deviation (grey levels). */
void qg_noise(struct ov_image *img, double sigma, uint64_t seed);
/* Uneven lighting: multiplies by a gradient from 1 - strength (top-left) to 1. */
void qg_lighting(struct ov_image *img, double strength);
/* Maps 0..255 to lo..hi (a washed-out photo of a screen). */
void qg_contrast(struct ov_image *img, uint8_t lo, uint8_t hi);
/* The pixel grid of a photographed screen: dark lines every period pixels, covering 35% of
 * each cell, darkening by depth (0..1), the grid turned by angle degrees (moire). */
void qg_screen_door(struct ov_image *img, double period, double depth, double angle);
/* Lossy round trip through TurboJPEG at the given quality (1..100). */
void qg_jpeg_roundtrip(struct ov_image *img, int quality);

/* ---- scenes ---- */

/* A w x h "phone screenshot": status bar, title and text-like lines, a button, and the qr
 * image centred in the middle. dark: dark theme with the QR shown inverted (light modules
 * on dark), as some apps and screen filters do. */
struct ov_image qg_screenshot(const struct ov_image *qr, unsigned w, unsigned h, bool dark,
                              uint64_t seed);

/* What bench/mkshot writes: a w x h screenshot of Google Authenticator's "Transfer accounts"
 * page, the QR of text about 80% of the width (ECC level M). False if it does not fit. */
bool qg_export_screenshot(const char *text, unsigned w, unsigned h, bool dark, uint64_t seed,
                          struct ov_image *out);

/* Several QR images side by side on a white canvas (one row, gap pixels apart). */
struct ov_image qg_row(const struct ov_image *const *qrs, size_t n, unsigned gap);

/* A camera photo of src: src is scaled to 'fill' of the smaller output side, rotated by
 * angle degrees, keystoned (the top edge narrower by this fraction), on a darker textured
 * background; then blur, lighting, contrast, noise and JPEG as asked. */
struct qg_photo {
    unsigned w, h;          /* output size */
    double fill;            /* 0.2 .. 1.0 */
    double angle;           /* degrees */
    double keystone;        /* 0 .. 0.3 */
    unsigned blur;          /* box radius, 0 = none */
    double light;           /* lighting strength 0 .. 0.7 */
    uint8_t lo, hi;         /* contrast range, both 0 = keep */
    double noise;           /* sigma, 0 = none */
    int jpeg_quality;       /* 0 = none */
    uint64_t seed;
};
struct ov_image qg_photograph(const struct ov_image *src, const struct qg_photo *p);

/* ---- payloads ---- */

/* A Google Authenticator "Transfer accounts" URL: otpauth-migration://offline?data=... with n
 * TOTP SHA1 6-digit accounts (20-byte secrets from seed, names user01@example.com, issuers
 * Service01, ...), version 1, batch_size 1, batch_index 0, batch_id from seed; the Base64 is
 * percent-encoded. Returns a malloc'd string. */
char *qg_migration_url(unsigned n, uint64_t seed);

/* ---- encoders (qrgen_encode.c) ---- */

struct qg_buf {
    uint8_t *data;
    size_t len, cap;
};
void qg_buf_free(struct qg_buf *b);
/* Writes b to path; false (errno set) on failure. */
bool qg_save(const char *path, const struct qg_buf *b);

enum qg_png_kind {
    QG_PNG_GREY8,           /* colour type 0, 8 bit */
    QG_PNG_GREY16,          /* colour type 0, 16 bit */
    QG_PNG_GREY1,           /* colour type 0, 1 bit (thresholded at 128) */
    QG_PNG_GREY_TRNS,       /* grey 8 with tRNS making white transparent */
    QG_PNG_GA8,             /* grey + alpha: black at alpha 255 - v (composites back to v) */
    QG_PNG_GA16,
    QG_PNG_RGB8,            /* r = g = b = v */
    QG_PNG_RGB16,
    QG_PNG_RGBA8,           /* black at alpha 255 - v */
    QG_PNG_RGBA16,
    QG_PNG_RGB_TINT,        /* dark navy on warm white: real colour for the RGB -> grey path */
    QG_PNG_PALETTE8,        /* 256 grey palette entries */
    QG_PNG_PALETTE1,        /* 2 entries, 1 bit (thresholded) */
    QG_PNG_PALETTE_TRNS,    /* 2 entries, the white one transparent via tRNS */
    QG_PNG_KIND_COUNT
};
const char *qg_png_kind_name(enum qg_png_kind kind);
void qg_write_png(const struct ov_image *img, enum qg_png_kind kind, bool interlaced,
                  struct qg_buf *out);

enum qg_jpeg_kind { QG_JPEG_GREY, QG_JPEG_RGB, QG_JPEG_CMYK };
void qg_write_jpeg(const struct ov_image *img, enum qg_jpeg_kind kind, int quality,
                   bool progressive, struct qg_buf *out);

enum qg_webp_kind { QG_WEBP_LOSSY, QG_WEBP_LOSSLESS, QG_WEBP_ALPHA };
void qg_write_webp(const struct ov_image *img, enum qg_webp_kind kind, int quality,
                   struct qg_buf *out);

/* 256-grey palette; transparent_white: index 255 transparent (over white it reads the same). */
void qg_write_gif(const struct ov_image *img, bool interlaced, bool transparent_white,
                  struct qg_buf *out);

#endif
