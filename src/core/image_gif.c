/* GIF decoding with giflib's record-level API from memory. Only the first frame is used (a QR
 * export is a still picture); it is drawn at its offset on a white logical screen, and the
 * transparent colour shows white. Rows are decoded one at a time, so memory is the canvas
 * plus one row, whatever the file claims. */
#include <gif_lib.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "image_internal.h"
#include "otpvault/mem.h"

struct gif_src {
    const uint8_t *data;
    size_t len, pos;
};

static int gif_read(GifFileType *gif, GifByteType *buf, int n)
{
    struct gif_src *s = gif->UserData;
    size_t avail = s->len - s->pos;
    size_t k = n < 0 ? 0 : (size_t)n < avail ? (size_t)n : avail;

    memcpy(buf, s->data + s->pos, k);
    s->pos += k;
    return (int)k;
}

static int gif_fail(struct ov_error *err, const char *name, int code)
{
    const char *why = GifErrorString(code);
    return ov_error_set(err, OV_ERR_INVALID, "%s: damaged or truncated GIF image (%s)", name,
                        why != NULL ? why : "unknown error");
}

/* Reads extension blocks, keeping the transparent colour of a graphics control block. */
static int read_extension(GifFileType *gif, int *transparent)
{
    GifByteType *ext;
    int code;

    if (DGifGetExtension(gif, &code, &ext) != GIF_OK)
        return GIF_ERROR;
    if (code == GRAPHICS_EXT_FUNC_CODE && ext != NULL) {
        GraphicsControlBlock gcb;
        if (DGifExtensionToGCB(ext[0], ext + 1, &gcb) == GIF_OK)
            *transparent = gcb.TransparentColor;
    }
    while (ext != NULL)
        if (DGifGetExtensionNext(gif, &ext) != GIF_OK)
            return GIF_ERROR;
    return GIF_OK;
}

/* Decodes the frame described by gif->Image onto the white canvas *out. */
static int draw_frame(GifFileType *gif, int transparent, struct ov_image *out)
{
    static const int offsets[4] = { 0, 4, 2, 1 }, steps[4] = { 8, 8, 4, 2 };
    const GifImageDesc *d = &gif->Image;
    const ColorMapObject *map = d->ColorMap != NULL ? d->ColorMap : gif->SColorMap;
    uint8_t grey[256];
    GifPixelType *row;
    int passes = d->Interlace ? 4 : 1;

    /* Indices past the colour map are black, the transparent one white. */
    memset(grey, 0, sizeof grey);
    for (int i = 0; map != NULL && i < map->ColorCount && i < 256; i++)
        grey[i] = ov_luma(map->Colors[i].Red, map->Colors[i].Green, map->Colors[i].Blue);
    if (map == NULL)            /* no palette at all: read indices as grey levels */
        for (int i = 0; i < 256; i++)
            grey[i] = (uint8_t)i;
    if (transparent >= 0 && transparent < 256)
        grey[transparent] = 255;

    row = ov_xmalloc((size_t)d->Width);
    for (int p = 0; p < passes; p++) {
        for (int y = d->Interlace ? offsets[p] : 0; y < d->Height;
             y += d->Interlace ? steps[p] : 1) {
            unsigned cy = (unsigned)d->Top + (unsigned)y;
            if (DGifGetLine(gif, row, d->Width) != GIF_OK) {
                free(row);
                return GIF_ERROR;
            }
            if (cy >= out->h)
                continue;
            for (int x = 0; x < d->Width; x++) {
                unsigned cx = (unsigned)d->Left + (unsigned)x;
                if (cx < out->w)
                    out->px[(size_t)cy * out->w + cx] = grey[row[x]];
            }
        }
    }
    free(row);
    return GIF_OK;
}

int ov_image_load_gif(const uint8_t *data, size_t len, const char *name, struct ov_image *out,
                      struct ov_error *err)
{
    struct gif_src src = { data, len, 0 };
    GifFileType *gif;
    GifRecordType type;
    int code = 0, transparent = -1, rc = OV_OK;
    bool drawn = false;

    gif = DGifOpen(&src, gif_read, &code);
    if (gif == NULL)
        return gif_fail(err, name, code);
    while (!drawn) {
        if (DGifGetRecordType(gif, &type) != GIF_OK) {
            rc = gif_fail(err, name, gif->Error);
            break;
        }
        if (type == EXTENSION_RECORD_TYPE) {
            if (read_extension(gif, &transparent) != GIF_OK) {
                rc = gif_fail(err, name, gif->Error);
                break;
            }
        } else if (type == IMAGE_DESC_RECORD_TYPE) {
            const GifImageDesc *d;
            unsigned long long cw, ch;
            if (DGifGetImageDesc(gif) != GIF_OK) {
                rc = gif_fail(err, name, gif->Error);
                break;
            }
            d = &gif->Image;
            /* A zero logical screen happens in the wild: then the frame sets the size. */
            cw = gif->SWidth > 0 ? (unsigned long long)gif->SWidth
                                 : (unsigned long long)d->Left + (unsigned long long)d->Width;
            ch = gif->SHeight > 0 ? (unsigned long long)gif->SHeight
                                  : (unsigned long long)d->Top + (unsigned long long)d->Height;
            rc = ov_image_check_size((unsigned long long)d->Width, (unsigned long long)d->Height,
                                     name, "GIF", err);
            if (rc == OV_OK)
                rc = ov_image_check_size(cw, ch, name, "GIF", err);
            if (rc != OV_OK)
                break;
            out->px = ov_xmalloc((size_t)(cw * ch));
            memset(out->px, 255, (size_t)(cw * ch));
            out->w = (unsigned)cw;
            out->h = (unsigned)ch;
            if (draw_frame(gif, transparent, out) != GIF_OK) {
                rc = gif_fail(err, name, gif->Error);
                break;
            }
            drawn = true;
        } else if (type == TERMINATE_RECORD_TYPE) {
            rc = ov_error_set(err, OV_ERR_INVALID, "%s: the GIF file holds no image", name);
            break;
        } else {
            rc = ov_error_set(err, OV_ERR_INVALID, "%s: damaged GIF image (unknown record)",
                              name);
            break;
        }
    }
    DGifCloseFile(gif, &code);
    return rc;
}
