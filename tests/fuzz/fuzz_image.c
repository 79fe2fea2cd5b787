/* libFuzzer target: the image loaders (ov_image_load: PNG, JPEG, WebP, GIF by magic bytes)
 * and the QR reader (ov_qr_scan with its retry ladder) on what they decode when it is small.
 * Input that is no image is read as raw grey pixels (first byte: width - 1) and scanned, so
 * zbar itself meets arbitrary pixels. */
#include "bench/qrgen.h"
#include "fuzz.h"
#include "otpvault/image.h"
#include "otpvault/qrscan.h"

/* Scanning costs about a microsecond per pixel and rung: small pictures keep fuzzing fast. */
#define SCAN_MAX_PIXELS (256u * 256u)

static void scan(const struct ov_image *img)
{
    struct ov_qr_list codes = { 0 };
    struct ov_error err;

    if ((size_t)img->w * img->h > SCAN_MAX_PIXELS)
        return;
    if (ov_qr_scan(img, "fuzz", &codes, &err) == OV_OK) {
        for (size_t i = 0; i < codes.count; i++)
            if (codes.codes[i].data == NULL || codes.codes[i].data[codes.codes[i].len] != 0)
                abort();
    }
    ov_qr_list_free(&codes);
}

static void fuzz_seeds(void)
{
    static const char uri[] = "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP";
    struct ov_image qr;
    struct qg_buf b;
    uint8_t *raw;

    if (!qg_qr(uri, sizeof uri - 1, 'L', 2, 4, &qr, NULL))
        abort();
    qg_write_png(&qr, QG_PNG_GREY8, false, &b);
    fuzz_seed("gen.png", b.data, b.len);
    qg_buf_free(&b);
    qg_write_png(&qr, QG_PNG_PALETTE_TRNS, true, &b);
    fuzz_seed("gen-palette-interlaced.png", b.data, b.len);
    qg_buf_free(&b);
    qg_write_png(&qr, QG_PNG_RGBA16, false, &b);
    fuzz_seed("gen-rgba16.png", b.data, b.len);
    qg_buf_free(&b);
    qg_write_jpeg(&qr, QG_JPEG_GREY, 90, false, &b);
    fuzz_seed("gen.jpg", b.data, b.len);
    qg_buf_free(&b);
    qg_write_jpeg(&qr, QG_JPEG_CMYK, 80, true, &b);
    fuzz_seed("gen-cmyk-progressive.jpg", b.data, b.len);
    qg_buf_free(&b);
    qg_write_webp(&qr, QG_WEBP_LOSSLESS, 100, &b);
    fuzz_seed("gen-lossless.webp", b.data, b.len);
    qg_buf_free(&b);
    qg_write_webp(&qr, QG_WEBP_ALPHA, 90, &b);
    fuzz_seed("gen-alpha.webp", b.data, b.len);
    qg_buf_free(&b);
    qg_write_gif(&qr, true, true, &b);
    fuzz_seed("gen-interlaced.gif", b.data, b.len);
    qg_buf_free(&b);
    raw = malloc((size_t)qr.w * qr.h + 1);
    raw[0] = (uint8_t)(qr.w - 1);
    memcpy(raw + 1, qr.px, (size_t)qr.w * qr.h);
    fuzz_seed("gen-raw-pixels", raw, (size_t)qr.w * qr.h + 1);
    free(raw);
    ov_image_free(&qr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ov_image img;
    struct ov_error err;

    if (ov_image_sniff(data, size) != OV_IMAGE_UNKNOWN) {
        if (ov_image_load(data, size, "fuzz", &img, &err) == OV_OK) {
            if (img.px == NULL || img.w == 0 || img.h == 0)
                abort();
            scan(&img);
        } else if (img.px != NULL) {
            abort(); /* {NULL, 0, 0} on failure */
        }
        ov_image_free(&img);
        return 0;
    }
    if (size >= 2) {
        unsigned w = (unsigned)data[0] + 1, h = (unsigned)((size - 1) / w);
        struct ov_image raw = { (uint8_t *)data + 1, w, h };
        if (h > 0)
            scan(&raw);
    }
    return 0;
}
