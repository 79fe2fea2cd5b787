/* QR codes to a phone: error correction chosen to fit, the terminal rows decode back to the
 * symbol (and the symbol to the text, through our own QR reader), PNG pictures read back by
 * our own importer to the same accounts, and transfer batches of 10 with correct batch
 * fields, skipped accounts named. */
#include <criterion/criterion.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/export_check.h"
#include "otpvault/crypto.h"
#include "otpvault/image.h"
#include "otpvault/migration.h"
#include "otpvault/qrdraw.h"
#include "otpvault/qrplan.h"
#include "otpvault/qrscan.h"

static void setup(void)
{
    cr_assert_eq(ov_crypto_init(), 0);
}

TestSuite(qr_export, .init = setup);

static const QRecLevel levels[] = { QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H };

static int side_at(const char *text, int level)
{
    QRcode *q = QRcode_encodeString(text, 0, levels[level], QR_MODE_8, 1);
    int side;
    cr_assert_not_null(q);
    side = q->width;
    QRcode_free(q);
    return side;
}

#define SHORT_URI "otpauth://totp/GitHub:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub"

Test(qr_export, error_correction_is_the_highest_that_fits)
{
    struct ov_qr_matrix m;
    struct ov_error err = { 0 };
    int h = side_at(SHORT_URI, OV_QR_ECC_H), l = side_at(SHORT_URI, OV_QR_ECC_L);

    cr_assert_gt(h, l, "H needs a bigger symbol than L");
    cr_assert_eq(ov_qr_encode(SHORT_URI, 200, &m, &err), OV_OK);
    cr_assert_eq(m.ecc, OV_QR_ECC_H);
    cr_assert_eq(m.side, h);
    ov_qr_matrix_free(&m);
    /* Room for less than H: the best level at most that wide. */
    cr_assert_eq(ov_qr_encode(SHORT_URI, h - 1, &m, &err), OV_OK);
    cr_assert_lt(m.ecc, OV_QR_ECC_H);
    cr_assert_leq(m.side, h - 1);
    cr_assert_eq(m.side, side_at(SHORT_URI, m.ecc));
    ov_qr_matrix_free(&m);
    /* No room at all: L, the smallest symbol (the caller then says it does not fit). */
    cr_assert_eq(ov_qr_encode(SHORT_URI, 10, &m, &err), OV_OK);
    cr_assert_eq(m.ecc, OV_QR_ECC_L);
    cr_assert_eq(m.side, l);
    ov_qr_matrix_free(&m);
}

/* The half-block rows back into modules (quiet zone included). */
static unsigned char *rows_to_modules(const struct ov_qrdraw *q)
{
    unsigned char *m = calloc((size_t)q->cols * (size_t)q->rows * 2, 1);
    for (int r = 0; r < q->rows; r++) {
        const char *p = q->lines[r];
        for (int x = 0; x < q->cols; x++) {
            bool top = false, bottom = false;
            if (strncmp(p, "\xe2\x96\x88", 3) == 0)
                top = bottom = true, p += 3;
            else if (strncmp(p, "\xe2\x96\x80", 3) == 0)
                top = true, p += 3;
            else if (strncmp(p, "\xe2\x96\x84", 3) == 0)
                bottom = true, p += 3;
            else
                cr_assert_eq(*p++, ' ', "row %d col %d", r, x);
            m[(2 * r) * q->cols + x] = top;
            m[(2 * r + 1) * q->cols + x] = bottom;
        }
        cr_assert_eq(*p, '\0');
    }
    return m;
}

/* The modules as a picture (4 px each) through our own QR reader. */
static void assert_scans_to(const unsigned char *m, int w, int h, const char *text)
{
    struct ov_image img;
    struct ov_qr_list codes;
    struct ov_error err = { 0 };
    const unsigned s = 4;

    cr_assert_eq(ov_image_alloc(&img, (unsigned)w * s, (unsigned)h * s, "t", &err), OV_OK);
    for (unsigned y = 0; y < img.h; y++)
        for (unsigned x = 0; x < img.w; x++)
            img.px[y * img.w + x] = m[(y / s) * (unsigned)w + x / s] ? 0 : 255;
    cr_assert_eq(ov_qr_scan(&img, "drawing", &codes, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(codes.count, 1);
    cr_assert_eq(codes.codes[0].len, strlen(text));
    cr_assert_eq(memcmp(codes.codes[0].data, text, strlen(text)), 0);
    ov_qr_list_free(&codes);
    ov_image_free(&img);
}

static void check_drawing(const char *text, int cols, int rows, int reserve, bool want_fit)
{
    struct ov_qrdraw q;
    struct ov_error err = { 0 };
    enum ov_qr_ecc ecc;
    QRcode *ref;
    unsigned char *m;
    int side;

    cr_assert_eq(ov_qrdraw_text_fit(text, cols, rows, reserve, &q, &ecc, &err), OV_OK, "%s",
                 err.msg);
    cr_assert_eq(ov_qrdraw_fits(&q, cols, rows, reserve), want_fit, "%dx%d", cols, rows);
    ref = QRcode_encodeString(text, 0, levels[ecc], QR_MODE_8, 1);
    side = ref->width;
    cr_assert_eq(q.modules, side);
    m = rows_to_modules(&q);
    for (int y = 0; y < 2 * q.rows; y++)
        for (int x = 0; x < q.cols; x++) {
            int mx = x - OV_QR_QUIET, my = y - OV_QR_QUIET;
            bool dark = mx >= 0 && my >= 0 && mx < side && my < side &&
                        (ref->data[my * side + mx] & 1);
            cr_assert_eq(m[y * q.cols + x], dark, "module %d,%d", mx, my);
        }
    assert_scans_to(m, q.cols, 2 * q.rows, text);
    free(m);
    QRcode_free(ref);
    ov_qrdraw_free(&q);
}

Test(qr_export, terminal_rows_decode_to_the_symbol_and_the_symbol_to_the_text)
{
    struct ov_account_list l;
    const struct ov_account *p[10];
    struct ov_qr_plan plan;
    struct ov_error err = { 0 };
    static const unsigned totp[] = { 0 };

    check_drawing(SHORT_URI, 80, 24, 2, true);
    check_drawing(SHORT_URI, 200, 120, 2, true);   /* room: level H */
    /* A full 10-account transfer code does not fit 80x24: L, and the size it needs. */
    ec_list(&l, 10, totp, 1);
    for (size_t i = 0; i < 10; i++)
        p[i] = &l.items[i];
    cr_assert_eq(ov_qr_plan_migration(p, 10, 0, &plan, &err), OV_OK, "%s", err.msg);
    check_drawing(plan.pages[0].text, 80, 24, 2, false);
    check_drawing(plan.pages[0].text, 250, 80, 2, true);
    ov_qr_plan_free(&plan);
    ov_account_list_free(&l);
}

static void import_pngs(const uint8_t *const *png, const size_t *len, size_t n,
                        struct ov_import_report *r)
{
    struct ov_import_options o = { 0 };
    struct ov_blob in[8];
    int rc;

    for (size_t i = 0; i < n; i++) {
        in[i].data = png[i];
        in[i].len = len[i];
        in[i].name = "code.png";
    }
    rc = ov_import_run(in, n, &o, NULL, r);
    cr_assert_eq(rc, OV_OK, "%s", r->nnotes > 0 ? r->notes[0].text : "");
}

Test(qr_export, one_account_png_reads_back_as_the_same_account)
{
    static const unsigned kinds[] = { 0, 1, 2, 4, 5, 6, 7 };   /* every kind but mOTP */
    struct ov_account_list l;

    ec_list(&l, 7, kinds, 7);
    for (size_t i = 0; i < l.len; i++) {
        struct ov_qr_plan plan;
        struct ov_import_report r;
        struct ov_error err = { 0 };
        uint8_t *png;
        size_t len;

        cr_assert_eq(ov_qr_plan_account(&l.items[i], &plan, &err), OV_OK, "%s", err.msg);
        cr_assert_eq(plan.npages, 1);
        cr_assert_eq(ov_qr_png(plan.pages[0].text, 8, &png, &len, &err), OV_OK, "%s", err.msg);
        cr_assert_eq(memcmp(png, "\x89PNG", 4), 0);
        import_pngs((const uint8_t *const[]){ png }, &len, 1, &r);
        ec_assert_same(&r.accounts, &l, (size_t[]){ i }, 1, 0, plan.pages[0].title);
        ov_import_report_free(&r);
        ov_secure_free(png, len);
        ov_qr_plan_free(&plan);
    }
    ov_account_list_free(&l);
}

Test(qr_export, motp_has_no_qr_code_because_the_pin_would_be_lost)
{
    static const unsigned motp[] = { 3 };
    struct ov_account_list l;
    struct ov_qr_plan plan;
    struct ov_error err = { 0 };

    ec_list(&l, 1, motp, 1);
    cr_assert_eq(ov_qr_plan_account(&l.items[0], &plan, &err), OV_ERR_UNSUPPORTED);
    cr_assert(strstr(err.msg, "PIN") != NULL, "%s", err.msg);
    ov_qr_plan_free(&plan);
    ov_account_list_free(&l);
}

Test(qr_export, a_batch_of_25_in_three_pngs_reads_back_in_order_whatever_the_order)
{
    static const unsigned kinds[] = { 0, 1, 6, 7 };   /* what the transfer format carries */
    struct ov_account_list l;
    const struct ov_account *p[25];
    struct ov_qr_plan plan;
    struct ov_import_report r;
    struct ov_error err = { 0 };
    uint8_t *png[3];
    size_t len[3], keep[25];
    int32_t id = 0;

    ec_list(&l, 25, kinds, 4);
    for (size_t i = 0; i < 25; i++) {
        p[i] = &l.items[i];
        keep[i] = i;
    }
    cr_assert_eq(ov_qr_plan_migration(p, 25, 0, &plan, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(plan.npages, 3);
    cr_assert_eq(plan.accounts, 25);
    cr_assert_eq(plan.skipped.nskipped, 0);
    for (size_t i = 0; i < 3; i++) {
        struct ov_account_list part;
        struct ov_migration_batch b;
        ov_account_list_init(&part);
        cr_assert_eq(ov_migration_parse_uri(plan.pages[i].text, &part, &b, NULL, &err), OV_OK);
        cr_assert_eq(part.len, i < 2 ? 10u : 5u);
        cr_assert_eq(plan.pages[i].count, part.len);
        cr_assert_eq(plan.pages[i].first, i * 10);
        cr_assert_eq(b.version, 1);
        cr_assert_eq(b.batch_size, 3);
        cr_assert_eq(b.batch_index, (int32_t)i);
        if (i == 0)
            id = b.batch_id;
        cr_assert_eq(b.batch_id, id);
        ov_account_list_free(&part);
        cr_assert(strstr(plan.pages[i].title, i == 2 ? "accounts 21-25 of 25"
                                                     : i == 1 ? "accounts 11-20" : "1-10"),
                  "%s", plan.pages[i].title);
        cr_assert_eq(ov_qr_png(plan.pages[i].text, 6, &png[i], &len[i], &err), OV_OK);
    }
    /* Given last first: the batch is put together by its indexes. */
    import_pngs((const uint8_t *const[]){ png[2], png[0], png[1] },
                (size_t[]){ len[2], len[0], len[1] }, 3, &r);
    ec_assert_same(&r.accounts, &l, keep, 25, 0, "25-account batch");
    ov_import_report_free(&r);
    /* Without the middle one, nothing: a partial batch is not silently short. */
    {
        struct ov_import_options o = { 0 };
        struct ov_blob two[2] = { { png[0], len[0], "1.png" }, { png[2], len[2], "3.png" } };
        cr_assert_neq(ov_import_run(two, 2, &o, NULL, &r), OV_OK);
        cr_assert_eq(r.accounts.len, 0);
        ov_import_report_free(&r);
    }
    for (size_t i = 0; i < 3; i++)
        ov_secure_free(png[i], len[i]);
    ov_qr_plan_free(&plan);
    ov_account_list_free(&l);
}

Test(qr_export, accounts_the_transfer_format_cannot_carry_are_named_with_the_reason)
{
    struct ov_account_list l;
    const struct ov_account *p[8];
    struct ov_qr_plan plan;
    struct ov_error err = { 0 };
    static const unsigned kinds[] = { 0, 1, 2, 3, 4, 5, 6, 7 };

    ec_list(&l, 8, kinds, 8);
    for (size_t i = 0; i < 8; i++)
        p[i] = &l.items[i];
    cr_assert_eq(ov_qr_plan_migration(p, 8, 0, &plan, &err), OV_OK);
    cr_assert_eq(plan.accounts, 4);
    cr_assert_eq(plan.skipped.nskipped, 4);   /* Steam, mOTP, 60-second TOTP, Yandex */
    cr_assert(strstr(plan.skipped.skipped[0].reason, "Service 02") != NULL);
    cr_assert(strstr(plan.skipped.skipped[0].reason, "steam") != NULL, "%s",
              plan.skipped.skipped[0].reason);
    cr_assert(strstr(plan.skipped.skipped[2].reason, "60-second") != NULL, "%s",
              plan.skipped.skipped[2].reason);
    ov_qr_plan_free(&plan);
    /* None left: an error, and still the reasons. */
    cr_assert_eq(ov_qr_plan_migration(p + 2, 2, 0, &plan, &err), OV_ERR_INVALID);
    cr_assert_eq(plan.skipped.nskipped, 2);
    ov_qr_plan_free(&plan);
    ov_account_list_free(&l);
}

Test(qr_export, png_is_a_grey_picture_of_the_symbol_with_its_quiet_zone)
{
    struct ov_image img;
    struct ov_error err = { 0 };
    struct ov_qr_matrix m;
    uint8_t *png;
    size_t len;

    cr_assert_eq(ov_qr_png(SHORT_URI, 5, &png, &len, &err), OV_OK);
    cr_assert_eq(ov_qr_encode(SHORT_URI, OV_QR_PNG_MAX_SIDE, &m, &err), OV_OK);
    cr_assert_eq(ov_image_load(png, len, "t.png", &img, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(img.w, (unsigned)(m.side + 2 * OV_QR_QUIET) * 5);
    cr_assert_eq(img.h, img.w);
    for (int my = -OV_QR_QUIET; my < m.side + OV_QR_QUIET; my++)
        for (int mx = -OV_QR_QUIET; mx < m.side + OV_QR_QUIET; mx++) {
            bool dark = mx >= 0 && my >= 0 && mx < m.side && my < m.side &&
                        m.dark[my * m.side + mx];
            unsigned px = img.px[(unsigned)((my + OV_QR_QUIET) * 5 + 2) * img.w +
                                 (unsigned)((mx + OV_QR_QUIET) * 5 + 2)];
            cr_assert_eq(px, dark ? 0u : 255u, "module %d,%d", mx, my);
        }
    ov_image_free(&img);
    ov_qr_matrix_free(&m);
    ov_secure_free(png, len);
    cr_assert_eq(ov_qr_png(SHORT_URI, 0, &png, &len, &err), OV_ERR_INVALID);
}
