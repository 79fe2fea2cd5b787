/* QR reading: zbar as a library (QR only, binary mode) plus a retry ladder of image
 * transforms for pictures zbar cannot read as they are. See qrscan.h. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zbar.h>

#include "otpvault/mem.h"
#include "otpvault/qrscan.h"
#include "qrscan_internal.h"

/* ---- the zbar pass ---- */

static zbar_image_scanner_t *scanner_new(void)
{
    zbar_image_scanner_t *sc = zbar_image_scanner_create();

    if (sc == NULL)
        return NULL;
    /* QR only: the other symbologies cost time and could match UI clutter. Binary mode keeps
     * the payload bytes as they are instead of guessing a charset (see non_utf8 fixture). */
    zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
    return sc;
}

static struct ov_qr_code *list_find(struct ov_qr_list *list, const char *data, size_t len)
{
    for (size_t i = 0; i < list->count; i++)
        if (list->codes[i].len == len && memcmp(list->codes[i].data, data, len) == 0)
            return &list->codes[i];
    return NULL;
}

static void list_add(struct ov_qr_list *list, const char *data, size_t len)
{
    struct ov_qr_code *c;

    list->codes = ov_xrealloc(list->codes, (list->count + 1) * sizeof *list->codes);
    c = &list->codes[list->count++];
    c->data = ov_secure_alloc(len + 1);     /* zeroed: the NUL after the payload */
    memcpy(c->data, data, len);
    c->len = len;
    c->seen = 1;
}

/* Scans one grey plane and adds the QR symbols not yet in list; returns how many were new,
 * or -1 when zbar failed. */
static int zbar_pass(zbar_image_scanner_t *sc, const uint8_t *px, unsigned w, unsigned h,
                     struct ov_qr_list *list)
{
    zbar_image_t *zimg = zbar_image_create();
    int n, added = 0;

    if (zimg == NULL)
        return -1;
    zbar_image_set_format(zimg, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(zimg, w, h);
    /* zbar only reads a Y800 image; no cleanup handler, the plane stays ours. */
    zbar_image_set_data(zimg, px, (unsigned long)w * h, NULL);
    n = zbar_scan_image(sc, zimg);
    if (n < 0) {
        zbar_image_destroy(zimg);
        return -1;
    }
    for (const zbar_symbol_t *s = zbar_image_first_symbol(zimg); s != NULL;
         s = zbar_symbol_next(s)) {
        const char *data = zbar_symbol_get_data(s);
        size_t len = zbar_symbol_get_data_length(s);
        if (zbar_symbol_get_type(s) != ZBAR_QRCODE || data == NULL)
            continue;
        struct ov_qr_code *dup = list_find(list, data, len);
        if (dup != NULL) {
            dup->seen++;
        } else {
            list_add(list, data, len);
            added++;
        }
        /* zbar's copy may be a secret and zbar frees it unwiped: wipe it ourselves. */
        ov_wipe((void *)data, len);
    }
    zbar_image_destroy(zimg);
    return added;
}

/* ---- the ladder ----
 *
 * Measured on the fixtures, the corpus of tests/core/test_qrscan.c and `bench/mkshot --ladder`
 * (zbar 0.23.92, times on one core of the development machine). Each rung says which
 * pictures needed it. */

#define LARGE_IMAGE 2000000ull      /* a 1080x2400 phone screenshot and up: half size first */
#define SMALL_IMAGE 1000000ull      /* enlarged 2x (bigger ones: 4x the cost, nothing more found) */
#define FULL_RES_MAX 4000000ull     /* past this, the expensive extra rungs run at half size */

struct scan {
    zbar_image_scanner_t *sc;
    struct ov_qr_list *out;
    bool failed;                    /* zbar itself failed at least once */
};

static bool scan_plane(struct scan *s, const struct ov_image *p)
{
    int n = zbar_pass(s->sc, p->px, p->w, p->h, s->out);
    if (n < 0)
        s->failed = true;
    return n > 0;
}

/* Scans a temporary plane and frees it. */
static bool scan_temp(struct scan *s, struct ov_image p)
{
    bool ok = scan_plane(s, &p);
    ov_image_free(&p);
    return ok;
}

/* Thresholds img (after a 3x3 smoothing when smooth) with window radius r and scans the
 * result, then its negative: a dark-mode picture thresholds to light modules on dark. */
static bool scan_binarised(struct scan *s, const struct ov_image *img, unsigned r, bool smooth)
{
    struct ov_image tmp = { 0 }, bin;
    bool ok;

    if (smooth)
        tmp = ov_qr_smooth(img);
    bin = ov_qr_binarise(smooth ? &tmp : img, r, 3);
    ov_image_free(&tmp);
    ok = scan_plane(s, &bin) || scan_temp(s, ov_qr_invert(&bin));
    ov_image_free(&bin);
    return ok;
}

/* A window a few modules wide for the code sizes a picture of this size tends to hold;
 * results were flat between 1/64 and 1/24 of the short side, and poor below 8 pixels. */
static unsigned window_for(const struct ov_image *img)
{
    unsigned side = img->w < img->h ? img->w : img->h;
    return side / 40 < 8 ? 8 : side / 40;
}

static unsigned reduction_for(unsigned long long pixels, unsigned long long target)
{
    unsigned k = 2;

    while ((unsigned long long)k * k * target < pixels)
        k++;
    return k;
}

static bool binarised(struct scan *s, const struct ov_image *img, const struct ov_image *half)
{
    unsigned long long pixels = (unsigned long long)img->w * img->h;

    /* Small screenshots (1.5-2 px per module, the 300 px WebP fixture): enlarge, then a
     * window of 8 source pixels; smoothing here erases the modules. */
    if (pixels <= SMALL_IMAGE) {
        struct ov_image up = ov_qr_upscale(img, 2);
        bool ok = scan_binarised(s, &up, 16, false);
        ov_image_free(&up);
        if (ok)
            return true;
    }
    /* Photos with noise, glare and low contrast: smooth, then a wide window; large ones at
     * half size first (4x cheaper, and it reads most 12 MP test photos). */
    if (half->px != NULL && scan_binarised(s, half, window_for(half), true))
        return true;
    if (scan_binarised(s, img, window_for(img), true))
        return true;
    /* Blur and fine modules: a narrow window and no smoothing (the blur-3 rung of the
     * benchmark, a 2.5 px/module photo). */
    return scan_binarised(s, pixels <= FULL_RES_MAX || half->px == NULL ? img : half, 8, false);
}

static enum ov_qr_pass ladder(struct scan *s, const struct ov_image *img)
{
    unsigned long long pixels = (unsigned long long)img->w * img->h;
    bool large = pixels >= LARGE_IMAGE && img->w >= 64 && img->h >= 64;
    struct ov_image half = { 0 };
    enum ov_qr_pass pass = OV_QR_PASS_NONE;

    /* 1. Large pictures at half size first: a screenshot's modules are 5+ pixels wide and
     *    zbar is ~7x faster (1080x2400 screenshot: 7 ms instead of 50). */
    if (large) {
        half = ov_qr_downscale(img, 2);
        if (scan_plane(s, &half)) {
            pass = OV_QR_PASS_HALF;
            goto done;
        }
    }
    /* 2. As is: whatever zbarimg reads, we read. */
    if (scan_plane(s, img)) {
        pass = OV_QR_PASS_PLAIN;
        goto done;
    }
    /* 3. Light modules on dark (dark-mode screenshots): zbar only sees dark finders. Large
     *    pictures at half size, then at full size up to 4 MP (a 12 MP pass costs ~400 ms). */
    if ((large && scan_temp(s, ov_qr_invert(&half))) ||
        ((!large || pixels <= FULL_RES_MAX) && scan_temp(s, ov_qr_invert(img)))) {
        pass = OV_QR_PASS_INVERTED;
        goto done;
    }
    /* 4. Small screenshots: bilinear 2x reads 1.7 px/module; nearest-neighbour 2x and 3x
     *    found nothing more and 3x costs twice as much. Enlarging 1-2 MP photos found nothing
     *    the thresholds below did not, at 40% of the time of 30 such photos. */
    if (pixels <= SMALL_IMAGE && scan_temp(s, ov_qr_upscale(img, 2))) {
        pass = OV_QR_PASS_UPSCALED;
        goto done;
    }
    /* 5. Large photos: reduce to about 1.5 and 0.75 megapixels (half size was rung 1). The
     *    box filter averages away noise and the moire of a photographed screen: on 30 12 MP
     *    photos of a screen door grid it read 16 that only thresholding (6) read otherwise,
     *    in ~40 ms instead of ~300. */
    if (large) {
        static const unsigned long long targets[] = { 1500000, 750000 };
        for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
            unsigned k = reduction_for(pixels, targets[i]);
            if (k > 2 && img->w / k >= 32 && img->h / k >= 32 &&
                scan_temp(s, ov_qr_downscale(img, k))) {
                pass = OV_QR_PASS_DOWNSCALED;
                goto done;
            }
        }
    }
    /* 6. Local thresholds (see binarised). */
    if (binarised(s, img, &half)) {
        pass = OV_QR_PASS_BINARISED;
        goto done;
    }
done:
    ov_image_free(&half);
    return pass;
}

int ov_qr_scan(const struct ov_image *img, const char *name, struct ov_qr_list *out,
               struct ov_error *err)
{
    struct scan s = { .out = out };

    out->codes = NULL;
    out->count = 0;
    out->pass = OV_QR_PASS_NONE;
    if (img == NULL || img->px == NULL || img->w == 0 || img->h == 0)
        return ov_error_set(err, OV_ERR_INVALID, "%s%sthe image is empty",
                            name != NULL ? name : "", name != NULL ? ": " : "");
    s.sc = scanner_new();
    if (s.sc == NULL)
        return ov_error_set(err, OV_ERR_INVALID, "cannot start the QR reader (zbar)");
    out->pass = ladder(&s, img);
    zbar_image_scanner_destroy(s.sc);
    if (out->count == 0 && s.failed)
        return ov_error_set(err, OV_ERR_INVALID, "%s%sthe QR reader (zbar) failed",
                            name != NULL ? name : "", name != NULL ? ": " : "");
    if (out->count == 0)
        return ov_error_set(err, OV_ERR_NOT_FOUND,
                            "no QR code found%s%s (try a sharper or larger picture, or fewer "
                            "accounts per QR code)", name != NULL ? " in " : "",
                            name != NULL ? name : "");
    return OV_OK;
}

int ov_qr_scan_file_data(const uint8_t *data, size_t len, const char *name,
                         struct ov_qr_list *out, struct ov_error *err)
{
    struct ov_image img;
    int rc;

    out->codes = NULL;
    out->count = 0;
    out->pass = OV_QR_PASS_NONE;
    rc = ov_image_load(data, len, name, &img, err);
    if (rc != OV_OK)
        return rc;
    rc = ov_qr_scan(&img, name, out, err);
    ov_image_free(&img);
    return rc;
}

void ov_qr_list_free(struct ov_qr_list *list)
{
    if (list == NULL)
        return;
    for (size_t i = 0; i < list->count; i++)
        ov_secure_free(list->codes[i].data, list->codes[i].len + 1);
    free(list->codes);
    list->codes = NULL;
    list->count = 0;
    list->pass = OV_QR_PASS_NONE;
}

const char *ov_qr_pass_name(enum ov_qr_pass pass)
{
    switch (pass) {
    case OV_QR_PASS_HALF: return "half size";
    case OV_QR_PASS_PLAIN: return "as is";
    case OV_QR_PASS_INVERTED: return "inverted";
    case OV_QR_PASS_UPSCALED: return "upscaled";
    case OV_QR_PASS_BINARISED: return "binarised";
    case OV_QR_PASS_DOWNSCALED: return "downscaled";
    default: return "none";
    }
}
