/* Our own corpus, end to end: accounts -> Google Authenticator migration URIs (our encoder)
 * -> QR pictures (screenshots, dark mode, photos; PNG, JPEG, WebP) -> the import pipeline ->
 * the same accounts, in batch order whatever the order of the pictures. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/qrgen.h"
#include "otpvault/crypto.h"
#include "otpvault/import.h"
#include "otpvault/migration.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(qr_image, .init = setup, .timeout = 120);

static void make_accounts(struct ov_account_list *l, size_t n)
{
    ov_account_list_init(l);
    for (size_t i = 0; i < n; i++) {
        struct ov_account a;
        uint8_t secret[20];
        char text[48];
        ov_account_init(&a);
        for (size_t b = 0; b < sizeof secret; b++)
            secret[b] = (uint8_t)(i * 37 + b * 11 + 5);
        ov_account_set_secret(&a, secret, sizeof secret);
        snprintf(text, sizeof text, "Service %02zu", i);
        ov_account_set_text(&a.issuer, text);
        snprintf(text, sizeof text, "user%02zu@example.com", i);
        ov_account_set_text(&a.name, text);
        if (i % 7 == 3) {
            a.type = OV_HOTP;
            a.counter = i;
        }
        if (i % 5 == 1)
            a.algo = OV_SHA256;
        if (i % 4 == 2)
            a.digits = 8;
        ov_account_list_push(l, &a);
    }
}

static char **encode(const struct ov_account_list *l, size_t per_qr, size_t *count)
{
    struct ov_error err = { 0 };
    char **uris;
    cr_assert_eq(ov_migration_encode_uris(l->items, l->len, per_qr, &uris, count, &err), OV_OK,
                 "%s", err.msg);
    return uris;
}

static void assert_same(const struct ov_import_report *r, const struct ov_account_list *l)
{
    cr_assert_eq(r->accounts.len, l->len, "%zu accounts, expected %zu", r->accounts.len,
                 l->len);
    for (size_t i = 0; i < l->len; i++) {
        const struct ov_account *a = &r->accounts.items[i], *b = &l->items[i];
        cr_assert(ov_account_same(a, b), "account %zu: %s / %s", i, a->issuer, a->name);
        cr_assert_eq(a->algo, b->algo, "account %zu", i);
        cr_assert_eq(a->digits, b->digits, "account %zu", i);
        cr_assert_eq(a->counter, b->counter, "account %zu", i);
    }
}

static struct qg_buf screenshot(const char *uri, bool dark, int format, uint64_t seed)
{
    struct ov_image img;
    struct qg_buf buf = { 0 };
    cr_assert(qg_export_screenshot(uri, 1080, 2400, dark, seed, &img));
    if (format == 0)
        qg_write_png(&img, QG_PNG_RGB8, false, &buf);
    else if (format == 1)
        qg_write_jpeg(&img, QG_JPEG_RGB, 85, false, &buf);
    else
        qg_write_webp(&img, QG_WEBP_LOSSY, 90, &buf);
    ov_image_free(&img);
    return buf;
}

Test(qr_image, three_screenshots_out_of_order_in_three_formats)
{
    struct ov_account_list l;
    struct ov_import_options o = { 0 };
    struct ov_import_report r;
    struct qg_buf shot[3];
    size_t count;
    char **uris;

    make_accounts(&l, 25);
    uris = encode(&l, 10, &count);
    cr_assert_eq(count, 3);
    for (size_t i = 0; i < 3; i++)
        shot[i] = screenshot(uris[i], i == 1, (int)i, i + 1);
    struct ov_blob in[3] = { { shot[2].data, shot[2].len, "3.webp" },
                             { shot[0].data, shot[0].len, "1.png" },
                             { shot[1].data, shot[1].len, "2-dark.jpg" } };
    cr_assert_eq(ov_import_run(in, 3, &o, NULL, &r), OV_OK, "%s",
                 r.nnotes > 0 ? r.notes[0].text : "");
    assert_same(&r, &l);
    ov_import_report_free(&r);

    /* Without the second picture nothing of the batch is imported. */
    struct ov_blob two[2] = { in[0], in[1] };
    cr_assert_neq(ov_import_run(two, 2, &o, NULL, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 0);
    cr_assert(strstr(r.notes[r.nnotes - 1].text, "QR 2 of 3 is missing") != NULL ||
                  strstr(r.notes[0].text, "QR 2 of 3 is missing") != NULL,
              "%s", r.notes[0].text);
    ov_import_report_free(&r);
    for (size_t i = 0; i < 3; i++)
        qg_buf_free(&shot[i]);
    ov_migration_uris_free(uris, count);
    ov_account_list_free(&l);
}

Test(qr_image, two_codes_of_one_batch_in_one_picture)
{
    struct ov_account_list l;
    struct ov_import_options o = { 0 };
    struct ov_import_report r;
    struct ov_image qr[2], row;
    struct qg_buf buf = { 0 };
    size_t count;
    char **uris;

    make_accounts(&l, 14);
    uris = encode(&l, 7, &count);
    cr_assert_eq(count, 2);
    for (size_t i = 0; i < 2; i++)
        cr_assert(qg_qr(uris[1 - i], strlen(uris[1 - i]), 'M', 4, 4, &qr[i], NULL));
    row = qg_row((const struct ov_image *const[]){ &qr[0], &qr[1] }, 2, 40);
    qg_write_png(&row, QG_PNG_GREY8, false, &buf);
    struct ov_blob in = { buf.data, buf.len, "both.png" };
    cr_assert_eq(ov_import_run(&in, 1, &o, NULL, &r), OV_OK);
    assert_same(&r, &l);
    ov_import_report_free(&r);
    qg_buf_free(&buf);
    ov_image_free(&row);
    ov_image_free(&qr[0]);
    ov_image_free(&qr[1]);
    ov_migration_uris_free(uris, count);
    ov_account_list_free(&l);
}

Test(qr_image, photo_of_a_screen)
{
    struct ov_account_list l;
    struct ov_import_options o = { 0 };
    struct ov_import_report r;
    struct ov_image shot, photo;
    struct qg_buf buf = { 0 };
    struct qg_photo p = { .w = 1600, .h = 1200, .fill = 0.7, .angle = 4, .keystone = 0.05,
                          .blur = 1, .light = 0.3, .noise = 6, .jpeg_quality = 80, .seed = 9 };
    size_t count;
    char **uris;

    make_accounts(&l, 6);
    uris = encode(&l, 10, &count);
    /* The phone held up to the camera: the QR code fills most of the frame. */
    cr_assert(qg_qr(uris[0], strlen(uris[0]), 'M', 8, 4, &shot, NULL));
    photo = qg_photograph(&shot, &p);
    qg_write_jpeg(&photo, QG_JPEG_RGB, 85, true, &buf);
    struct ov_blob in = { buf.data, buf.len, "photo.jpg" };
    cr_assert_eq(ov_import_run(&in, 1, &o, NULL, &r), OV_OK, "%s",
                 r.nnotes > 0 ? r.notes[0].text : "");
    assert_same(&r, &l);
    ov_import_report_free(&r);
    qg_buf_free(&buf);
    ov_image_free(&shot);
    ov_image_free(&photo);
    ov_migration_uris_free(uris, count);
    ov_account_list_free(&l);
}
