/* Image type detection by magic bytes and dispatch to the per-format decoders (image_png.c,
 * image_jpeg.c, image_webp.c, image_gif.c). The decoders use image_pixels.c, never this
 * file, so the calls go one way. */
#include <string.h>

#include "image_internal.h"
#include "otpvault/image.h"

enum ov_image_type ov_image_sniff(const uint8_t *data, size_t len)
{
    static const uint8_t png_magic[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

    if (data == NULL)
        return OV_IMAGE_UNKNOWN;
    if (len >= 8 && memcmp(data, png_magic, 8) == 0)
        return OV_IMAGE_PNG;
    /* SOI followed by the first marker's 0xFF: JFIF, Exif and raw JPEG all start so. */
    if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
        return OV_IMAGE_JPEG;
    if (len >= 12 && memcmp(data, "RIFF", 4) == 0 && memcmp(data + 8, "WEBP", 4) == 0)
        return OV_IMAGE_WEBP;
    if (len >= 6 && (memcmp(data, "GIF87a", 6) == 0 || memcmp(data, "GIF89a", 6) == 0))
        return OV_IMAGE_GIF;
    return OV_IMAGE_UNKNOWN;
}

const char *ov_image_type_name(enum ov_image_type type)
{
    switch (type) {
    case OV_IMAGE_PNG: return "PNG";
    case OV_IMAGE_JPEG: return "JPEG";
    case OV_IMAGE_WEBP: return "WebP";
    case OV_IMAGE_GIF: return "GIF";
    default: return "unknown";
    }
}

int ov_image_load(const uint8_t *data, size_t len, const char *name, struct ov_image *out,
                  struct ov_error *err)
{
    const char *shown = ov_image_shown_name(name);
    int rc;

    out->px = NULL;
    out->w = out->h = 0;
    switch (ov_image_sniff(data, len)) {
    case OV_IMAGE_PNG: rc = ov_image_load_png(data, len, shown, out, err); break;
    case OV_IMAGE_JPEG: rc = ov_image_load_jpeg(data, len, shown, out, err); break;
    case OV_IMAGE_WEBP: rc = ov_image_load_webp(data, len, shown, out, err); break;
    case OV_IMAGE_GIF: rc = ov_image_load_gif(data, len, shown, out, err); break;
    default:
        return ov_error_set(err, OV_ERR_UNSUPPORTED,
                            "%s is not a supported image (PNG, JPEG, WebP or GIF)", shown);
    }
    if (rc != OV_OK)
        ov_image_free(out);
    return rc;
}
