/* JPEG decoding with TurboJPEG straight to grey (libjpeg then skips the chroma IDCT). CMYK
 * and YCCK files cannot be converted to grey by libjpeg, so they go through CMYK pixels.
 * TurboJPEG keeps its messages in the handle (tjGetErrorStr2) and never prints. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

#include "image_internal.h"
#include "otpvault/mem.h"

/* TurboJPEG's CMYK is Adobe-style inverted (255 = no ink), as in libjpeg-turbo's own
 * cmyk_to_rgb: R = C * K / 255. */
static void cmyk_to_grey(const uint8_t *cmyk, uint8_t *grey, size_t n)
{
    for (size_t i = 0; i < n; i++, cmyk += 4) {
        unsigned k = cmyk[3];
        grey[i] = ov_luma((cmyk[0] * k + 127) / 255, (cmyk[1] * k + 127) / 255,
                          (cmyk[2] * k + 127) / 255);
    }
}

/* A truncated file decodes with grey filler and only a warning; we want to say so instead.
 * Other warnings (e.g. extraneous bytes before a marker) are common in camera files and
 * harmless, so they are accepted. */
static int is_truncation(const char *msg)
{
    return strstr(msg, "Premature end of JPEG file") != NULL;
}

int ov_image_load_jpeg(const uint8_t *data, size_t len, const char *name, struct ov_image *out,
                       struct ov_error *err)
{
    /* LIMITSCANS refuses progressive files with absurd scan counts (a CPU exhaustion). */
    const int flags = TJFLAG_LIMITSCANS;
    tjhandle tj;
    int w = 0, h = 0, subsamp = -1, colorspace = -1, rc = OV_OK, st;
    uint8_t *cmyk = NULL;

    if (len > ULONG_MAX)
        return ov_error_set(err, OV_ERR_LIMIT, "%s: the JPEG file is too large", name);
    tj = tjInitDecompress();
    if (tj == NULL)
        return ov_error_set(err, OV_ERR_INVALID, "%s: cannot start the JPEG decoder", name);
    if (tjDecompressHeader3(tj, data, (unsigned long)len, &w, &h, &subsamp, &colorspace) != 0) {
        rc = ov_error_set(err, OV_ERR_INVALID, "%s: damaged or truncated JPEG image (%s)", name,
                          tjGetErrorStr2(tj));
        goto done;
    }
    /* A file cut short after its tables reads as a tables-only stream: success, no size. */
    if (w <= 0 || h <= 0) {
        rc = ov_error_set(err, OV_ERR_INVALID,
                          "%s: damaged or truncated JPEG image (no frame header)", name);
        goto done;
    }
    rc = ov_image_check_size((unsigned)w, (unsigned)h, name, "JPEG", err);
    if (rc != OV_OK)
        goto done;

    out->px = ov_xmalloc((size_t)w * h);
    out->w = (unsigned)w;
    out->h = (unsigned)h;
    if (colorspace == TJCS_CMYK || colorspace == TJCS_YCCK) {
        cmyk = ov_xmalloc((size_t)w * h * 4);
        st = tjDecompress2(tj, data, (unsigned long)len, cmyk, w, 0, h, TJPF_CMYK, flags);
    } else {
        st = tjDecompress2(tj, data, (unsigned long)len, out->px, w, 0, h, TJPF_GRAY, flags);
    }
    if (st != 0 && (tjGetErrorCode(tj) == TJERR_FATAL || is_truncation(tjGetErrorStr2(tj)))) {
        rc = ov_error_set(err, OV_ERR_INVALID, "%s: damaged or truncated JPEG image (%s)", name,
                          tjGetErrorStr2(tj));
        goto done;
    }
    if (cmyk != NULL)
        cmyk_to_grey(cmyk, out->px, (size_t)w * h);
done:
    free(cmyk);
    tjDestroy(tj);
    return rc;
}
