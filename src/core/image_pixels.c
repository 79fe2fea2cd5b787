/* Pixel buffers of decoded images and their size bounds, for ov_image_alloc's callers and
 * the decoders alike. */
#include <stdlib.h>

#include "image_internal.h"
#include "otpvault/image.h"
#include "otpvault/mem.h"

int ov_image_check_size(unsigned long long w, unsigned long long h, const char *name,
                        const char *type, struct ov_error *err)
{
    if (w == 0 || h == 0)
        return ov_error_set(err, OV_ERR_INVALID, "%s: the %s%simage is empty (%llux%llu pixels)",
                            name, type, *type != '\0' ? " " : "", w, h);
    /* w and h come from 16- or 32-bit header fields, so the product fits in 64 bits. */
    if (w > OV_IMAGE_MAX_PIXELS || h > OV_IMAGE_MAX_PIXELS || w * h > OV_IMAGE_MAX_PIXELS)
        return ov_error_set(err, OV_ERR_LIMIT,
                            "%s: the %s%simage is %llux%llu pixels, over the limit of %llu "
                            "megapixels", name, type, *type != '\0' ? " " : "", w, h,
                            OV_IMAGE_MAX_PIXELS / 1000000);
    return OV_OK;
}

int ov_image_alloc(struct ov_image *img, unsigned w, unsigned h, const char *name,
                   struct ov_error *err)
{
    int rc;

    img->px = NULL;
    img->w = img->h = 0;
    rc = ov_image_check_size(w, h, ov_image_shown_name(name), "", err);
    if (rc != OV_OK)
        return rc;
    img->px = ov_xmalloc((size_t)w * h);
    img->w = w;
    img->h = h;
    return OV_OK;
}

void ov_image_free(struct ov_image *img)
{
    if (img == NULL)
        return;
    free(img->px);
    img->px = NULL;
    img->w = img->h = 0;
}

