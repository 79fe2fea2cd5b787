/* QR code reading with the zbar library: every QR symbol in a greyscale image, as raw bytes
 * (zbar's binary mode: no charset guessing, 0x00..0xff come back unmangled).
 *
 * Hard pictures go through a retry ladder that stops at the first pass finding at least one
 * code; the pass that succeeded is reported (tests, verbose notes). A clean screenshot costs
 * one zbar pass. Everything zbar reads in the image as it is, the ladder reads too.
 *
 * Limits: stopping at the first success means a large picture read at half size returns the
 * codes readable there; a much smaller second code beside them could be missed (the codes of
 * one export screen are all the same size). zbar does not read codes under strong
 * perspective (one edge ~20% shorter than the opposite one) or blur wider than about half a
 * module, and the ladder does not fix those. */
#ifndef OTPVAULT_QRSCAN_H
#define OTPVAULT_QRSCAN_H

#include <stddef.h>
#include <stdint.h>
#include "otpvault/error.h"
#include "otpvault/image.h"

/* The rungs, in the order they are tried (src/core/qrscan.c has the measurements behind them). */
enum ov_qr_pass {
    OV_QR_PASS_NONE = 0,        /* nothing found */
    OV_QR_PASS_HALF,            /* large images (2 MP and up) first at half size: fast */
    OV_QR_PASS_PLAIN,           /* the image as it is */
    OV_QR_PASS_INVERTED,        /* light modules on dark (dark-mode screens) */
    OV_QR_PASS_UPSCALED,        /* small images (1 MP and less) enlarged 2x: tiny screenshots */
    OV_QR_PASS_DOWNSCALED,      /* large images reduced further: noise and moire average out */
    OV_QR_PASS_BINARISED,       /* local threshold: photos with glare, blur, uneven light */
};

/* One decoded symbol. data is len bytes in secure memory (ov_secure_alloc) followed by a
 * NUL that is not counted, so a text payload can be used as a C string (binary ones may hold
 * NULs: use len). It may hold secrets: never copy it to ordinary memory. */
struct ov_qr_code {
    uint8_t *data;
    size_t len;
    unsigned seen;              /* how many symbols in the image carried it (usually 1) */
};

/* The distinct payloads of one image, in zbar's order (not meaningful: a batch is ordered by
 * its own indexes); the same code shown twice is one entry with seen == 2. Free with
 * ov_qr_list_free, which wipes every payload. */
struct ov_qr_list {
    struct ov_qr_code *codes;
    size_t count;
    enum ov_qr_pass pass;       /* the ladder pass that found them */
};

/* Scans img. name (may be NULL) is the input's name for the message; on success out holds at
 * least one code. Payloads go to secure memory: call ov_crypto_init() first. Errors:
 *   OV_ERR_NOT_FOUND  "no QR code found in NAME (try a sharper or larger picture, or fewer
 *                     accounts per QR code)"; without a name "no QR code found (try ...)"
 *   OV_ERR_INVALID    an empty image, or zbar could not run */
int ov_qr_scan(const struct ov_image *img, const char *name, struct ov_qr_list *out,
               struct ov_error *err);

/* ov_image_load then ov_qr_scan: the whole path from a file's bytes to its QR payloads, with
 * the loader's errors as they are (unsupported type, damaged file, size limit). */
int ov_qr_scan_file_data(const uint8_t *data, size_t len, const char *name,
                         struct ov_qr_list *out, struct ov_error *err);

/* Wipes and frees every payload; leaves an empty list. Safe on an empty or freed list. */
void ov_qr_list_free(struct ov_qr_list *list);

/* "half size", "as is", "inverted", "upscaled", "downscaled", "binarised" or "none". */
const char *ov_qr_pass_name(enum ov_qr_pass pass);

#endif
