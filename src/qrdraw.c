/* QR codes drawn with half blocks (see qrdraw.h). */
#include <qrencode.h>
#include <string.h>

#include "otpvault/mem.h"
#include "otpvault/qrdraw.h"

#define UPPER "\xe2\x96\x80" /* ▀ */
#define LOWER "\xe2\x96\x84" /* ▄ */
#define FULL "\xe2\x96\x88"  /* █ */

static bool dark_at(const unsigned char *dark, int side, int x, int y)
{
    x -= OV_QR_QUIET;
    y -= OV_QR_QUIET;
    return x >= 0 && y >= 0 && x < side && y < side && dark[y * side + x];
}

void ov_qrdraw_matrix(const unsigned char *dark, int side, struct ov_qrdraw *out)
{
    int full = side + 2 * OV_QR_QUIET;

    memset(out, 0, sizeof *out);
    out->modules = side;
    out->cols = full;
    out->rows = (full + 1) / 2;
    out->line_size = (size_t)full * 3 + 1;
    out->lines = ov_secure_alloc((size_t)out->rows * sizeof *out->lines);
    for (int r = 0; r < out->rows; r++) {
        char *p = out->lines[r] = ov_secure_alloc(out->line_size);
        for (int x = 0; x < full; x++) {
            bool top = dark_at(dark, side, x, 2 * r), bottom = dark_at(dark, side, x, 2 * r + 1);
            const char *glyph = top && bottom ? FULL : top ? UPPER : bottom ? LOWER : " ";
            size_t n = strlen(glyph);
            memcpy(p, glyph, n);
            p += n;
        }
        *p = '\0';
    }
}

int ov_qrdraw_text(const char *text, struct ov_qrdraw *out, struct ov_error *err)
{
    /* Level L and mixed modes: the smallest symbol, so that more codes fit an 80x24 terminal;
     * a screen is not a torn sticker, L's 7 % recovery is plenty for it. (libqrencode keeps
     * internal copies of the text that we cannot wipe; they are freed before we return.) */
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_L, QR_MODE_8, 1);
    unsigned char *dark;
    size_t n;

    memset(out, 0, sizeof *out);
    if (qr == NULL)
        return ov_error_set(err, OV_ERR_LIMIT, "too long for a QR code (%zu bytes)",
                            strlen(text));
    n = (size_t)qr->width * (size_t)qr->width;
    dark = ov_secure_alloc(n);
    for (size_t i = 0; i < n; i++)
        dark[i] = qr->data[i] & 1;  /* bit 0 is the module's colour */
    ov_wipe(qr->data, n);
    ov_qrdraw_matrix(dark, qr->width, out);
    ov_secure_free(dark, n);
    QRcode_free(qr);
    return OV_OK;
}

bool ov_qrdraw_fits(const struct ov_qrdraw *q, int cols, int rows, int reserve_rows)
{
    return q->cols <= cols && q->rows + reserve_rows <= rows;
}

void ov_qrdraw_free(struct ov_qrdraw *q)
{
    if (q->lines != NULL) {
        for (int r = 0; r < q->rows; r++)
            ov_secure_free(q->lines[r], q->line_size);
        ov_secure_free(q->lines, (size_t)q->rows * sizeof *q->lines);
    }
    memset(q, 0, sizeof *q);
}
