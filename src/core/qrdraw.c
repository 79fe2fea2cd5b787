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

static const QRecLevel levels[] = { QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H };

/* libqrencode keeps internal copies of the text that we cannot wipe; they are freed before
 * we return. Only bit 0 (the module's colour) is kept. */
static void take_matrix(QRcode *qr, enum ov_qr_ecc ecc, struct ov_qr_matrix *out)
{
    size_t n = (size_t)qr->width * (size_t)qr->width;

    out->side = qr->width;
    out->ecc = ecc;
    out->dark = ov_secure_alloc(n);
    for (size_t i = 0; i < n; i++)
        out->dark[i] = qr->data[i] & 1;
    ov_wipe(qr->data, n);
    QRcode_free(qr);
}

int ov_qr_encode(const char *text, int max_side, struct ov_qr_matrix *out,
                 struct ov_error *err)
{
    memset(out, 0, sizeof *out);
    for (int level = OV_QR_ECC_H; level > OV_QR_ECC_L && max_side > 0; level--) {
        QRcode *qr = QRcode_encodeString(text, 0, levels[level], QR_MODE_8, 1);
        if (qr == NULL)
            continue;   /* too long at this level; a lower one has more room */
        if (qr->width <= max_side) {
            take_matrix(qr, (enum ov_qr_ecc)level, out);
            return OV_OK;
        }
        ov_wipe(qr->data, (size_t)qr->width * (size_t)qr->width);
        QRcode_free(qr);
    }
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_L, QR_MODE_8, 1);
    if (qr == NULL)
        return ov_error_set(err, OV_ERR_LIMIT, "too long for a QR code (%zu bytes)",
                            strlen(text));
    take_matrix(qr, OV_QR_ECC_L, out);
    return OV_OK;
}

void ov_qr_matrix_free(struct ov_qr_matrix *m)
{
    if (m->dark != NULL)
        ov_secure_free(m->dark, (size_t)m->side * (size_t)m->side);
    memset(m, 0, sizeof *m);
}

int ov_qrdraw_text_fit(const char *text, int cols, int rows, int reserve_rows,
                       struct ov_qrdraw *out, enum ov_qr_ecc *ecc, struct ov_error *err)
{
    struct ov_qr_matrix m;
    int by_cols = cols - 2 * OV_QR_QUIET, by_rows = 2 * (rows - reserve_rows) - 2 * OV_QR_QUIET;
    int rc = ov_qr_encode(text, by_cols < by_rows ? by_cols : by_rows, &m, err);

    memset(out, 0, sizeof *out);
    if (rc != OV_OK)
        return rc;
    ov_qrdraw_matrix(m.dark, m.side, out);
    if (ecc != NULL)
        *ecc = m.ecc;
    ov_qr_matrix_free(&m);
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
