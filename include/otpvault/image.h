/* Image input for the QR importer: PNG, JPEG, WebP and GIF bytes (already in memory) decoded
 * into one 8-bit greyscale plane, which is all a QR reader needs.
 *
 * The type is recognised by its magic bytes, never by the file name. Transparency is
 * composited over white, because QR screenshots with an alpha channel are dark modules on a
 * transparent background. Decoders never print (library warnings and errors are captured
 * into struct ov_error) and refuse images over OV_IMAGE_MAX_PIXELS before allocating. */
#ifndef OTPVAULT_IMAGE_H
#define OTPVAULT_IMAGE_H

#include <stddef.h>
#include <stdint.h>
#include "otpvault/error.h"

/* 100 megapixels: far above any phone photo, and at most ~100 MB for the grey plane. */
#define OV_IMAGE_MAX_PIXELS 100000000ull

/* Row-major 8-bit grey, stride == w. px is ordinary heap memory (ov_image_free). */
struct ov_image {
    uint8_t *px;
    unsigned w, h;
};

enum ov_image_type {
    OV_IMAGE_UNKNOWN = 0,
    OV_IMAGE_PNG,
    OV_IMAGE_JPEG,
    OV_IMAGE_WEBP,
    OV_IMAGE_GIF,
};

/* The type announced by the first bytes of data (OV_IMAGE_UNKNOWN if none matches). */
enum ov_image_type ov_image_sniff(const uint8_t *data, size_t len);

/* "PNG", "JPEG", "WebP", "GIF" or "unknown". */
const char *ov_image_type_name(enum ov_image_type type);

/* Decodes data into *out (which is set to {NULL, 0, 0} on failure). name is the input's name
 * for messages ("-" or NULL reads as "input"). Errors:
 *   OV_ERR_UNSUPPORTED  "NAME is not a supported image (PNG, JPEG, WebP or GIF)", or a
 *                       feature the decoder lacks (animated WebP)
 *   OV_ERR_LIMIT        more than OV_IMAGE_MAX_PIXELS, checked from the header
 *   OV_ERR_INVALID      damaged or truncated file; the message names the format and what
 *                       the decoder said */
int ov_image_load(const uint8_t *data, size_t len, const char *name, struct ov_image *out,
                  struct ov_error *err);

/* Allocates a w x h plane (contents undefined) after the same size checks as the loaders:
 * OV_ERR_INVALID for an empty image, OV_ERR_LIMIT above OV_IMAGE_MAX_PIXELS. */
int ov_image_alloc(struct ov_image *img, unsigned w, unsigned h, const char *name,
                   struct ov_error *err);

/* Frees px and zeroes the struct; safe on a zeroed or already freed image. */
void ov_image_free(struct ov_image *img);

#endif
