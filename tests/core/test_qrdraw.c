/* QR drawing: the half-block rows decode back to libqrencode's own module matrix, with a
 * light quiet zone of 4 modules, and the fit check. */
#include <criterion/criterion.h>
#include <qrencode.h>
#include <string.h>

#include "otpvault/crypto.h"
#include "otpvault/qrdraw.h"

static void setup(void)
{
    cr_assert_eq(ov_crypto_init(), 0);
}

TestSuite(qrdraw, .init = setup);

/* Reads the rows back into a dark/light matrix of (rows * 2) x cols modules. */
static unsigned char *decode(const struct ov_qrdraw *q, int *w, int *h)
{
    unsigned char *m = calloc((size_t)q->cols * (size_t)q->rows * 2, 1);
    *w = q->cols;
    *h = q->rows * 2;
    for (int r = 0; r < q->rows; r++) {
        const char *p = q->lines[r];
        for (int x = 0; x < q->cols; x++) {
            bool top, bottom;
            if (strncmp(p, "\xe2\x96\x88", 3) == 0) {
                top = bottom = true;
                p += 3;
            } else if (strncmp(p, "\xe2\x96\x80", 3) == 0) {
                top = true, bottom = false;
                p += 3;
            } else if (strncmp(p, "\xe2\x96\x84", 3) == 0) {
                top = false, bottom = true;
                p += 3;
            } else {
                cr_assert_eq(*p, ' ', "row %d col %d: unexpected byte 0x%02x", r, x,
                             (unsigned char)*p);
                top = bottom = false;
                p++;
            }
            m[(2 * r) * *w + x] = top;
            m[(2 * r + 1) * *w + x] = bottom;
        }
        cr_assert_eq(*p, '\0', "row %d is longer than %d cells", r, q->cols);
    }
    return m;
}

static void check_text(const char *text)
{
    struct ov_qrdraw q;
    struct ov_error err = { 0 };
    QRcode *ref = QRcode_encodeString(text, 0, QR_ECLEVEL_L, QR_MODE_8, 1);
    int w, h, side;

    cr_assert_not_null(ref);
    side = ref->width;
    cr_assert_eq(ov_qrdraw_text(text, &q, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(q.modules, side);
    cr_assert_eq(q.cols, side + 2 * OV_QR_QUIET);
    cr_assert_eq(q.rows, (side + 2 * OV_QR_QUIET + 1) / 2);
    unsigned char *m = decode(&q, &w, &h);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            int mx = x - OV_QR_QUIET, my = y - OV_QR_QUIET;
            bool want = mx >= 0 && my >= 0 && mx < side && my < side &&
                        (ref->data[my * side + mx] & 1);
            cr_assert_eq(m[y * w + x], want, "module %d,%d of %s", mx, my, text);
        }
    }
    free(m);
    QRcode_free(ref);
    ov_qrdraw_free(&q);
}

Test(qrdraw, rows_decode_to_the_libqrencode_matrix)
{
    check_text("otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example");
    check_text("x");   /* version 1, 21 modules: an odd height with the quiet zone */
    check_text("otpauth://totp/%E6%97%A5%E6%9C%AC:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
               "GEZDGNBVGY3TQOJQGEZA&algorithm=SHA256&digits=8&period=60&issuer=%E6%97%A5");
}

Test(qrdraw, small_matrix_by_hand)
{
    /* 1x1 dark module: quiet zone 4 on each side, 9 modules, 5 rows. */
    unsigned char dark[1] = { 1 };
    struct ov_qrdraw q;
    ov_qrdraw_matrix(dark, 1, &q);
    cr_assert_eq(q.cols, 9);
    cr_assert_eq(q.rows, 5);
    cr_assert_str_eq(q.lines[0], "         ");
    cr_assert_str_eq(q.lines[2], "    \xe2\x96\x80    ");  /* module row 4 = top half of row 2 */
    ov_qrdraw_free(&q);
}

Test(qrdraw, fit_check)
{
    struct ov_qrdraw q;
    struct ov_error err = { 0 };
    cr_assert_eq(ov_qrdraw_text("otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP", &q, &err), OV_OK);
    /* A short URI fits 80x24 easily. */
    cr_assert_leq(q.cols, 41);
    cr_assert(ov_qrdraw_fits(&q, 80, 24, 2));
    cr_assert_not(ov_qrdraw_fits(&q, q.cols - 1, 24, 2));
    cr_assert_not(ov_qrdraw_fits(&q, 80, q.rows + 1, 2));
    cr_assert(ov_qrdraw_fits(&q, q.cols, q.rows + 2, 2));
    ov_qrdraw_free(&q);
}

Test(qrdraw, too_long_is_an_error)
{
    static char big[8000];
    struct ov_qrdraw q;
    struct ov_error err = { 0 };
    memset(big, 'a', sizeof big - 1);
    cr_assert_eq(ov_qrdraw_text(big, &q, &err), OV_ERR_LIMIT);
    cr_assert(strstr(err.msg, "too long") != NULL);
}
