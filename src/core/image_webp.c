/* WebP decoding with libwebp into planes we own: lossy WebP is YUV inside, so its luma plane
 * is the grey image at no conversion cost (lossless files are converted by libwebp). Alpha,
 * when present, is decoded as its own plane and composited over white. */
#include <stdlib.h>
#include <webp/decode.h>

#include "image_internal.h"
#include "otpvault/mem.h"

static const char *status_text(VP8StatusCode st)
{
    switch (st) {
    case VP8_STATUS_OUT_OF_MEMORY: return "out of memory";
    case VP8_STATUS_INVALID_PARAM: return "invalid parameter";
    case VP8_STATUS_BITSTREAM_ERROR: return "bitstream error";
    case VP8_STATUS_UNSUPPORTED_FEATURE: return "unsupported feature";
    case VP8_STATUS_SUSPENDED: return "suspended";
    case VP8_STATUS_USER_ABORT: return "aborted";
    case VP8_STATUS_NOT_ENOUGH_DATA: return "the file ends early";
    default: return "unknown error";
    }
}

/* WebP luma is limited range (16..235); stretch it back to 0..255 for a full-contrast image. */
static void expand_luma(uint8_t *y, const uint8_t *alpha, size_t n)
{
    uint8_t lut[256];

    for (int i = 0; i < 256; i++) {
        int v = ((i - 16) * 255 + 109) / 219;
        lut[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
    if (alpha == NULL) {
        for (size_t i = 0; i < n; i++)
            y[i] = lut[y[i]];
    } else {
        for (size_t i = 0; i < n; i++)
            y[i] = ov_over_white(lut[y[i]], alpha[i]);
    }
}

int ov_image_load_webp(const uint8_t *data, size_t len, const char *name, struct ov_image *out,
                       struct ov_error *err)
{
    WebPDecoderConfig cfg;
    WebPYUVABuffer *b;
    VP8StatusCode st;
    size_t w, h, uvw, uvh;
    uint8_t *u = NULL, *v = NULL, *a = NULL;
    int rc;

    if (!WebPInitDecoderConfig(&cfg))
        return ov_error_set(err, OV_ERR_INVALID, "%s: cannot start the WebP decoder", name);
    st = WebPGetFeatures(data, len, &cfg.input);
    if (st != VP8_STATUS_OK)
        return ov_error_set(err, OV_ERR_INVALID, "%s: damaged or truncated WebP image (%s)",
                            name, status_text(st));
    if (cfg.input.has_animation)
        return ov_error_set(err, OV_ERR_UNSUPPORTED,
                            "%s: animated WebP images are not supported (save one frame as PNG)",
                            name);
    rc = ov_image_check_size(cfg.input.width < 0 ? 0 : (unsigned)cfg.input.width,
                             cfg.input.height < 0 ? 0 : (unsigned)cfg.input.height, name, "WebP",
                             err);
    if (rc != OV_OK)
        return rc;

    w = (size_t)cfg.input.width;
    h = (size_t)cfg.input.height;
    uvw = (w + 1) / 2;
    uvh = (h + 1) / 2;
    out->px = ov_xmalloc(w * h);
    out->w = (unsigned)w;
    out->h = (unsigned)h;
    u = ov_xmalloc(uvw * uvh);
    v = ov_xmalloc(uvw * uvh);
    if (cfg.input.has_alpha)
        a = ov_xmalloc(w * h);

    cfg.output.colorspace = a != NULL ? MODE_YUVA : MODE_YUV;
    cfg.output.is_external_memory = 1;
    b = &cfg.output.u.YUVA;
    b->y = out->px;
    b->y_stride = (int)w;
    b->y_size = w * h;
    b->u = u;
    b->v = v;
    b->u_stride = b->v_stride = (int)uvw;
    b->u_size = b->v_size = uvw * uvh;
    b->a = a;
    b->a_stride = a != NULL ? (int)w : 0;
    b->a_size = a != NULL ? w * h : 0;
    st = WebPDecode(data, len, &cfg);
    WebPFreeDecBuffer(&cfg.output);
    if (st != VP8_STATUS_OK)
        rc = ov_error_set(err, OV_ERR_INVALID, "%s: damaged or truncated WebP image (%s)", name,
                          status_text(st));
    else
        expand_luma(out->px, a, w * h);
    free(u);
    free(v);
    free(a);
    return rc;
}
