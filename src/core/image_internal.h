/* Shared by the image decoders (src/core/image*.c); not part of the public API. */
#ifndef OTPVAULT_IMAGE_INTERNAL_H
#define OTPVAULT_IMAGE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "otpvault/error.h"
#include "otpvault/image.h"

/* Each loader gets a non-NULL display name and fills *out (zeroed by the caller). */
int ov_image_load_png(const uint8_t *data, size_t len, const char *name, struct ov_image *out,
                      struct ov_error *err);
int ov_image_load_jpeg(const uint8_t *data, size_t len, const char *name, struct ov_image *out,
                       struct ov_error *err);
int ov_image_load_webp(const uint8_t *data, size_t len, const char *name, struct ov_image *out,
                       struct ov_error *err);
int ov_image_load_gif(const uint8_t *data, size_t len, const char *name, struct ov_image *out,
                      struct ov_error *err);

/* OV_OK when a w x h image is within bounds, else the OV_ERR_INVALID / OV_ERR_LIMIT message
 * that ov_image_alloc would give. Uses 64-bit arithmetic, so any unsigned w and h are safe. */
int ov_image_check_size(unsigned long long w, unsigned long long h, const char *name,
                        const char *type, struct ov_error *err);

/* The name shown in messages for an input: "input" for stdin or no name. */
static inline const char *ov_image_shown_name(const char *name)
{
    return name == NULL || name[0] == '\0' || strcmp(name, "-") == 0 ? "input" : name;
}

/* Source-over-white for one grey value and its alpha (both 0..255), rounded. */
static inline uint8_t ov_over_white(unsigned grey, unsigned alpha)
{
    return (uint8_t)((grey * alpha + 255u * (255u - alpha) + 127u) / 255u);
}

/* ITU-R BT.601 luma in 16-bit fixed point (the weights libjpeg uses), rounded. */
static inline uint8_t ov_luma(unsigned r, unsigned g, unsigned b)
{
    return (uint8_t)((19595u * r + 38470u * g + 7471u * b + 32768u) >> 16);
}

#endif
