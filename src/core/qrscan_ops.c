/* Image transforms used by the QR retry ladder (qrscan.c). Plain integer arithmetic, one
 * pass over the pixels each, so a rung of the ladder costs little next to the zbar pass. */
#include <stdlib.h>
#include <string.h>

#include "otpvault/mem.h"
#include "qrscan_internal.h"

static struct ov_image plane_new(unsigned w, unsigned h)
{
    struct ov_image p = { ov_xmalloc((size_t)w * h), w, h };
    return p;
}

struct ov_image ov_qr_invert(const struct ov_image *src)
{
    struct ov_image p = plane_new(src->w, src->h);

    for (size_t i = 0; i < (size_t)src->w * src->h; i++)
        p.px[i] = (uint8_t)(255 - src->px[i]);
    return p;
}

struct ov_image ov_qr_upscale(const struct ov_image *src, unsigned k)
{
    struct ov_image p = plane_new(src->w * k, src->h * k);
    const long d = 2 * (long)k;     /* coordinates in units of 1/(2k) source pixels */
    long *x0 = ov_xmalloc(p.w * sizeof *x0), *fx = ov_xmalloc(p.w * sizeof *fx);

    /* Output pixel centre x + 1/2 maps to source x' = (x + 1/2) / k - 1/2, that is
     * 2k x' = 2x + 1 - k; left of the first centre we clamp. */
    for (unsigned x = 0; x < p.w; x++) {
        long s = 2 * (long)x + 1 - (long)k;
        x0[x] = s < 0 ? 0 : s / d;
        fx[x] = s < 0 ? 0 : s % d;
    }
    for (unsigned y = 0; y < p.h; y++) {
        long s = 2 * (long)y + 1 - (long)k;
        long y0 = s < 0 ? 0 : s / d, fy = s < 0 ? 0 : s % d;
        long y1 = y0 + 1 < (long)src->h ? y0 + 1 : y0;
        const uint8_t *r0 = src->px + (size_t)y0 * src->w, *r1 = src->px + (size_t)y1 * src->w;
        uint8_t *out = p.px + (size_t)y * p.w;
        for (unsigned x = 0; x < p.w; x++) {
            long a = x0[x], b = a + 1 < (long)src->w ? a + 1 : a;
            long top = r0[a] * (d - fx[x]) + r0[b] * fx[x];
            long bottom = r1[a] * (d - fx[x]) + r1[b] * fx[x];
            out[x] = (uint8_t)((top * (d - fy) + bottom * fy + d * d / 2) / (d * d));
        }
    }
    free(x0);
    free(fx);
    return p;
}

struct ov_image ov_qr_downscale(const struct ov_image *src, unsigned k)
{
    struct ov_image p = plane_new(src->w / k, src->h / k);
    uint32_t *acc = ov_xmalloc((p.w > 0 ? p.w : 1) * sizeof *acc);

    for (unsigned y = 0; y < p.h; y++) {
        memset(acc, 0, p.w * sizeof *acc);
        for (unsigned j = 0; j < k; j++) {
            const uint8_t *row = src->px + (size_t)(y * k + j) * src->w;
            for (unsigned x = 0; x < p.w; x++)
                for (unsigned i = 0; i < k; i++)
                    acc[x] += row[x * k + i];
        }
        for (unsigned x = 0; x < p.w; x++)
            p.px[(size_t)y * p.w + x] = (uint8_t)((acc[x] + k * k / 2) / (k * k));
    }
    free(acc);
    return p;
}

struct ov_image ov_qr_smooth(const struct ov_image *src)
{
    unsigned w = src->w, h = src->h;
    struct ov_image p = plane_new(w, h);
    uint16_t *col = ov_xmalloc(w * sizeof *col);

    for (unsigned y = 0; y < h; y++) {
        const uint8_t *up = src->px + (size_t)(y > 0 ? y - 1 : 0) * w;
        const uint8_t *mid = src->px + (size_t)y * w;
        const uint8_t *down = src->px + (size_t)(y + 1 < h ? y + 1 : y) * w;
        uint8_t *out = p.px + (size_t)y * w;
        for (unsigned x = 0; x < w; x++)
            col[x] = (uint16_t)(up[x] + mid[x] + down[x]);
        for (unsigned x = 0; x < w; x++) {
            unsigned sum = col[x > 0 ? x - 1 : 0] + col[x] + col[x + 1 < w ? x + 1 : x];
            out[x] = (uint8_t)((sum + 4) / 9);
        }
    }
    free(col);
    return p;
}

struct ov_image ov_qr_binarise(const struct ov_image *src, unsigned r, int bias)
{
    unsigned w = src->w, h = src->h;
    struct ov_image p = plane_new(w, h);
    /* Column sums over the window's 2r+1 rows: small, 32 bits are plenty. */
    uint32_t *col = ov_xcalloc(w, sizeof *col);
    long lr = (long)r, lw = (long)w, lh = (long)h;

    for (long y = 0; y <= lr && y < lh; y++)
        for (unsigned x = 0; x < w; x++)
            col[x] += src->px[(size_t)y * w + x];
    for (long y = 0; y < lh; y++) {
        long top = y - lr, bottom = y + lr;
        long rows = (bottom < lh ? bottom : lh - 1) - (top > 0 ? top : 0) + 1;
        uint64_t sum = 0;
        const uint8_t *in = src->px + (size_t)y * w;
        uint8_t *out = p.px + (size_t)y * w;
        for (long x = 0; x <= lr && x < lw; x++)
            sum += col[x];
        for (long x = 0; x < lw; x++) {
            long left = x - lr, right = x + lr;
            long cols = (right < lw ? right : lw - 1) - (left > 0 ? left : 0) + 1;
            /* dark when v + bias < mean, compared as (v + bias) * n < sum */
            out[x] = ((long)in[x] + bias) * rows * cols < (long)sum ? 0 : 255;
            if (right + 1 < lw)
                sum += col[right + 1];
            if (left >= 0)
                sum -= col[left];
        }
        /* Slide the window down one row. */
        if (bottom + 1 < lh)
            for (unsigned x = 0; x < w; x++)
                col[x] += src->px[(size_t)(bottom + 1) * w + x];
        if (top >= 0)
            for (unsigned x = 0; x < w; x++)
                col[x] -= src->px[(size_t)top * w + x];
    }
    free(col);
    return p;
}
