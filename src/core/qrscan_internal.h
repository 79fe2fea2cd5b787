/* Image transforms for the QR retry ladder (src/qrscan_ops.c); not part of the public API.
 * Each returns a new plane allocated with ov_xmalloc (free with ov_image_free). */
#ifndef OTPVAULT_QRSCAN_INTERNAL_H
#define OTPVAULT_QRSCAN_INTERNAL_H

#include "otpvault/image.h"

/* 255 - v: light modules on a dark background become ordinary dark-on-light. */
struct ov_image ov_qr_invert(const struct ov_image *src);

/* Bilinear enlargement by an integer factor k >= 2, sampling at pixel centres. */
struct ov_image ov_qr_upscale(const struct ov_image *src, unsigned k);

/* Box-filter reduction by an integer factor k >= 2 (the mean of each k x k block; the last
 * partial row and column are dropped). */
struct ov_image ov_qr_downscale(const struct ov_image *src, unsigned k);

/* 3x3 mean, edges clamped: takes the edge off sensor noise and JPEG ringing. */
struct ov_image ov_qr_smooth(const struct ov_image *src);

/* Local adaptive threshold: 0 where a pixel is darker than the mean of the (2r+1)^2 window
 * around it by more than bias, else 255. O(1) per pixel and O(w) extra memory for any r. */
struct ov_image ov_qr_binarise(const struct ov_image *src, unsigned r, int bias);

#endif
