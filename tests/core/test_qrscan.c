/* QR reading end to end: generated pictures (bench/qrgen.c) in every loader variant, binary
 * payloads, several codes per image, screenshots, dark mode, small screenshots, photos, and
 * the retry ladder rung each needs. Each expected rung was measured with zbar 0.23.92
 * (Debian 12); a different zbar may read some pictures a rung earlier.
 * The shared fixtures are in test_qrscan_fixtures.c. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/qrgen.h"
#include "otpvault/crypto.h"
#include "otpvault/qrscan.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(qrscan, .init = setup);

static const char uri[] =
    "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example";

/* Scans img and checks that exactly the n payloads come back, found by rung 'pass' (or any
 * rung when pass is OV_QR_PASS_NONE). */
static void expect_codes(const struct ov_image *img, const char *what,
                         const void *const *payloads, const size_t *lens, size_t n,
                         enum ov_qr_pass pass)
{
    struct ov_qr_list list;
    struct ov_error err = { 0 };
    int rc = ov_qr_scan(img, what, &list, &err);

    cr_assert_eq(rc, OV_OK, "%s: %s", what, err.msg);
    cr_log_info("%s: read by rung \"%s\"", what, ov_qr_pass_name(list.pass));
    if (pass != OV_QR_PASS_NONE)
        cr_expect_eq(list.pass, pass, "%s: read by \"%s\", expected \"%s\"", what,
                     ov_qr_pass_name(list.pass), ov_qr_pass_name(pass));
    cr_assert_eq(list.count, n, "%s: %zu codes, want %zu", what, list.count, n);
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (size_t k = 0; k < list.count && !found; k++)
            found = list.codes[k].len == lens[i] &&
                    memcmp(list.codes[k].data, payloads[i], lens[i]) == 0;
        cr_assert(found, "%s: payload %zu (%zu bytes) not returned", what, i, lens[i]);
    }
    for (size_t k = 0; k < list.count; k++)
        cr_assert_eq(list.codes[k].data[list.codes[k].len], 0, "NUL after the payload");
    ov_qr_list_free(&list);
    cr_assert_eq(list.count, 0);
    cr_assert_null(list.codes);
}

static void expect_one(const struct ov_image *img, const char *what, const void *payload,
                       size_t len, enum ov_qr_pass pass)
{
    const void *p[1] = { payload };
    size_t l[1] = { len };
    expect_codes(img, what, p, l, 1, pass);
}

/* Encodes img in a file format, then reads the file's bytes back through the loaders. */
static void expect_file(const struct qg_buf *file, const char *what, const void *payload,
                        size_t len, enum ov_qr_pass pass)
{
    struct ov_qr_list list;
    struct ov_error err = { 0 };
    int rc = ov_qr_scan_file_data(file->data, file->len, what, &list, &err);

    cr_assert_eq(rc, OV_OK, "%s: %s", what, err.msg);
    cr_expect_eq(list.pass, pass, "%s: read by \"%s\"", what, ov_qr_pass_name(list.pass));
    cr_assert_eq(list.count, 1, "%s: %zu codes", what, list.count);
    cr_assert_eq(list.codes[0].len, len, "%s: %zu bytes, want %zu", what, list.codes[0].len,
                 len);
    cr_assert(memcmp(list.codes[0].data, payload, len) == 0, "%s: payload differs", what);
    ov_qr_list_free(&list);
}

static struct ov_image qr_image(const void *data, size_t len, unsigned scale)
{
    struct ov_image img;
    cr_assert(qg_qr(data, len, 'M', scale, 4, &img, NULL), "payload too long for a QR");
    return img;
}

/* ---- every loader variant, end to end; all read as is ---- */

Test(qrscan, every_png_kind_and_interlace_reads_end_to_end)
{
    struct ov_image img = qr_image(uri, strlen(uri), 3);

    for (int k = 0; k < QG_PNG_KIND_COUNT; k++) {
        for (int interlaced = 0; interlaced < 2; interlaced++) {
            struct qg_buf b;
            char what[64];
            snprintf(what, sizeof what, "PNG %s%s", qg_png_kind_name(k),
                     interlaced ? " interlaced" : "");
            qg_write_png(&img, k, interlaced, &b);
            expect_file(&b, what, uri, strlen(uri), OV_QR_PASS_PLAIN);
            qg_buf_free(&b);
        }
    }
    ov_image_free(&img);
}

Test(qrscan, jpeg_webp_and_gif_variants_read_end_to_end)
{
    struct ov_image img = qr_image(uri, strlen(uri), 4);
    struct qg_buf b;

    qg_write_jpeg(&img, QG_JPEG_GREY, 85, false, &b);
    expect_file(&b, "JPEG grey", uri, strlen(uri), OV_QR_PASS_PLAIN);
    qg_buf_free(&b);
    qg_write_jpeg(&img, QG_JPEG_RGB, 85, true, &b);
    expect_file(&b, "JPEG RGB progressive", uri, strlen(uri), OV_QR_PASS_PLAIN);
    qg_buf_free(&b);
    qg_write_jpeg(&img, QG_JPEG_CMYK, 85, false, &b);
    expect_file(&b, "JPEG CMYK", uri, strlen(uri), OV_QR_PASS_PLAIN);
    qg_buf_free(&b);
    qg_write_webp(&img, QG_WEBP_LOSSY, 75, &b);
    expect_file(&b, "WebP lossy", uri, strlen(uri), OV_QR_PASS_PLAIN);
    qg_buf_free(&b);
    qg_write_webp(&img, QG_WEBP_LOSSLESS, 100, &b);
    expect_file(&b, "WebP lossless", uri, strlen(uri), OV_QR_PASS_PLAIN);
    qg_buf_free(&b);
    qg_write_webp(&img, QG_WEBP_ALPHA, 100, &b);
    expect_file(&b, "WebP alpha", uri, strlen(uri), OV_QR_PASS_PLAIN);
    qg_buf_free(&b);
    qg_write_gif(&img, false, false, &b);
    expect_file(&b, "GIF", uri, strlen(uri), OV_QR_PASS_PLAIN);
    qg_buf_free(&b);
    qg_write_gif(&img, true, true, &b);
    expect_file(&b, "GIF interlaced transparent", uri, strlen(uri), OV_QR_PASS_PLAIN);
    qg_buf_free(&b);
    ov_image_free(&img);
}

/* ---- payloads ---- */

Test(qrscan, binary_payloads_keep_every_byte_value)
{
    uint8_t all[256], rev[256], random[700];
    uint64_t s = 99;
    static const size_t lens[] = { 1, 2, 17, 100, 333, 700 };

    for (int i = 0; i < 256; i++) {
        all[i] = (uint8_t)i;
        rev[i] = (uint8_t)(255 - i);
    }
    for (size_t i = 0; i < sizeof random; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        random[i] = (uint8_t)s;
    }
    struct ov_image img = qr_image(all, sizeof all, 3);
    expect_one(&img, "bytes 00..ff", all, sizeof all, OV_QR_PASS_PLAIN);
    ov_image_free(&img);
    img = qr_image(rev, sizeof rev, 3);
    expect_one(&img, "bytes ff..00", rev, sizeof rev, OV_QR_PASS_PLAIN);
    ov_image_free(&img);
    /* Leading and embedded NULs, lone UTF-8 continuation bytes, Shift-JIS lookalikes. */
    static const uint8_t tricky[] = { 0x00, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x80, 0x81,
                                      0x82, 0xc3, 0x28, 0x93, 0xfa, 0x96, 0x7b };
    img = qr_image(tricky, sizeof tricky, 4);
    expect_one(&img, "NULs and non-UTF-8", tricky, sizeof tricky, OV_QR_PASS_PLAIN);
    ov_image_free(&img);
    for (size_t i = 0; i < sizeof lens / sizeof *lens; i++) {
        char what[32];
        snprintf(what, sizeof what, "%zu random bytes", lens[i]);
        img = qr_image(random, lens[i], 3);
        expect_one(&img, what, random, lens[i], OV_QR_PASS_PLAIN);
        ov_image_free(&img);
    }
}

Test(qrscan, several_codes_in_one_image_all_come_back_once_each)
{
    const char *texts[] = { uri, "otpauth://hotp/B?secret=GEZDGNBV&counter=7",
                            "otpauth-migration://offline?data=CgA%3D" };
    struct ov_image qrs[4];
    const struct ov_image *row[4];
    const void *p[3];
    size_t l[3];
    struct ov_qr_list list;
    struct ov_error err = { 0 };

    for (int i = 0; i < 3; i++) {
        qrs[i] = qr_image(texts[i], strlen(texts[i]), 4);
        row[i] = &qrs[i];
        p[i] = texts[i];
        l[i] = strlen(texts[i]);
    }
    qrs[3] = qr_image(texts[0], strlen(texts[0]), 4);      /* the first one again */
    row[3] = &qrs[3];
    struct ov_image img = qg_row(row, 3, 20);
    expect_codes(&img, "three codes", p, l, 3, OV_QR_PASS_PLAIN);
    ov_image_free(&img);

    img = qg_row(row, 4, 20);
    cr_assert_eq(ov_qr_scan(&img, "four codes, one twice", &list, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(list.count, 3, "duplicates are merged");
    for (size_t k = 0; k < list.count; k++) {
        bool first = list.codes[k].len == l[0] && memcmp(list.codes[k].data, uri, l[0]) == 0;
        cr_assert_eq(list.codes[k].seen, first ? 2u : 1u, "code %zu seen %u times", k,
                     list.codes[k].seen);
    }
    ov_qr_list_free(&list);
    ov_image_free(&img);
    for (int i = 0; i < 4; i++)
        ov_image_free(&qrs[i]);
}

/* ---- screenshots ---- */

/* The benchmark picture: 1080x2400, a 10-account migration QR (113 modules, 7 px each).
 * Rung: half size (1). */
Test(qrscan, phone_screenshot_with_ten_accounts)
{
    char *url = qg_migration_url(10, 7);
    struct ov_image shot;
    struct qg_buf b;

    cr_assert(qg_export_screenshot(url, 1080, 2400, false, 7, &shot));
    expect_one(&shot, "screenshot", url, strlen(url), OV_QR_PASS_HALF);
    qg_write_png(&shot, QG_PNG_RGB8, false, &b);
    expect_file(&b, "screenshot.png", url, strlen(url), OV_QR_PASS_HALF);
    qg_buf_free(&b);
    ov_image_free(&shot);
    free(url);
}

/* Light modules on a dark screen: the inverted rung (3), at half size for 1080x2400 and at
 * full size for a 540x1200 screenshot. */
Test(qrscan, dark_mode_screenshots_need_the_inverted_rung)
{
    char *url = qg_migration_url(10, 8);
    struct ov_image shot, small;

    cr_assert(qg_export_screenshot(url, 1080, 2400, true, 8, &shot));
    expect_one(&shot, "dark screenshot", url, strlen(url), OV_QR_PASS_INVERTED);
    small = qg_resize(&shot, 540, 1200);
    expect_one(&small, "dark 540x1200", url, strlen(url), OV_QR_PASS_INVERTED);
    ov_image_free(&small);
    ov_image_free(&shot);
    free(url);
}

/* Scaled-down screenshots: 2.4 px per module reads as is; 1.7 px per module (240 pixels
 * wide) needs the 2x upscale (4); the same as a WebP too. */
Test(qrscan, small_screenshots_need_the_upscale_rung)
{
    char *url = qg_migration_url(10, 9);
    struct ov_image shot, small;
    struct qg_buf b;

    cr_assert(qg_export_screenshot(url, 1080, 2400, false, 9, &shot));
    small = qg_resize(&shot, 360, 800);
    expect_one(&small, "360x800", url, strlen(url), OV_QR_PASS_PLAIN);
    ov_image_free(&small);
    small = qg_resize(&shot, 240, 533);
    expect_one(&small, "240x533", url, strlen(url), OV_QR_PASS_UPSCALED);
    qg_write_webp(&small, QG_WEBP_LOSSLESS, 100, &b);
    expect_file(&b, "240x533.webp", url, strlen(url), OV_QR_PASS_UPSCALED);
    qg_buf_free(&b);
    ov_image_free(&small);
    ov_image_free(&shot);
    free(url);
}

/* Noise sigma 60 on a 540x1200 screenshot, and a 1080x2400 one blurred (box radius 3, three
 * passes): zbar reads neither as is; the thresholds (6) read both. */
Test(qrscan, noisy_and_blurred_screenshots_need_the_threshold_rung)
{
    char *url = qg_migration_url(10, 1);
    struct ov_image shot, img;

    cr_assert(qg_export_screenshot(url, 1080, 2400, false, 1, &shot));
    img = qg_resize(&shot, 540, 1200);
    qg_noise(&img, 60, 1);
    expect_one(&img, "noise 60", url, strlen(url), OV_QR_PASS_BINARISED);
    ov_image_free(&img);
    img = qg_copy(&shot);
    qg_blur(&img, 3);
    expect_one(&img, "blur 3", url, strlen(url), OV_QR_PASS_BINARISED);
    ov_image_free(&img);
    ov_image_free(&shot);
    free(url);
}

/* ---- photos ---- */

/* A decent phone photo of the screen, saved as JPEG: read as is. */
Test(qrscan, photo_of_a_screen)
{
    char *url = qg_migration_url(10, 3);
    struct ov_image shot, photo;
    struct qg_photo p = { .w = 1600, .h = 1200, .fill = 1.8, .angle = 5, .keystone = 0.08,
                          .blur = 1, .light = 0.3, .noise = 4, .jpeg_quality = 85, .seed = 3 };
    struct qg_buf b;

    cr_assert(qg_export_screenshot(url, 1080, 2400, false, 3, &shot));
    photo = qg_photograph(&shot, &p);
    qg_write_jpeg(&photo, QG_JPEG_RGB, 90, false, &b);
    expect_file(&b, "photo.jpg", url, strlen(url), OV_QR_PASS_PLAIN);
    qg_buf_free(&b);
    ov_image_free(&photo);
    ov_image_free(&shot);
    free(url);
}

/* 4000x3000 with the code in the middle: read at half size (1). */
Test(qrscan, very_large_photo)
{
    char *url = qg_migration_url(10, 5);
    struct ov_image shot, photo;
    struct qg_photo p = { .w = 4000, .h = 3000, .fill = 1.2, .angle = 4, .keystone = 0.1,
                          .blur = 2, .light = 0.3, .noise = 8, .jpeg_quality = 90, .seed = 5 };

    cr_assert(qg_export_screenshot(url, 1080, 2400, false, 5, &shot));
    photo = qg_photograph(&shot, &p);
    expect_one(&photo, "4000x3000 photo", url, strlen(url), OV_QR_PASS_HALF);
    ov_image_free(&photo);
    ov_image_free(&shot);
    free(url);
}

/* A 4000x3000 photo of a screen whose pixel grid shows (dark lines every 6 pixels, moire):
 * nothing reads it at full or half size; reduced to 1.5 megapixels (5) it reads. */
Test(qrscan, photo_with_screen_door_moire_needs_the_downscale_rung)
{
    char *url = qg_migration_url(2, 3);
    struct ov_image shot, photo;
    struct qg_photo p = { .w = 4000, .h = 3000, .fill = 1.5, .angle = 4, .keystone = 0.05,
                          .light = 0.2, .seed = 3 };

    cr_assert(qg_export_screenshot(url, 1080, 2400, false, 3, &shot));
    photo = qg_photograph(&shot, &p);
    qg_screen_door(&photo, 6, 0.6, 1.7);
    qg_noise(&photo, 4, 1);
    qg_jpeg_roundtrip(&photo, 90);
    expect_one(&photo, "moire photo", url, strlen(url), OV_QR_PASS_DOWNSCALED);
    ov_image_free(&photo);
    ov_image_free(&shot);
    free(url);
}

/* ---- nothing to find ---- */

Test(qrscan, no_code_says_so_with_a_hint)
{
    struct ov_image blank = qg_new(300, 200, 255), noise = qg_new(400, 300, 128);
    struct ov_qr_list list;
    struct ov_error err = { 0 };

    cr_assert_eq(ov_qr_scan(&blank, "blank.png", &list, &err), OV_ERR_NOT_FOUND);
    cr_assert_str_eq(err.msg, "no QR code found in blank.png (try a sharper or larger "
                              "picture, or fewer accounts per QR code)");
    cr_assert_eq(list.count, 0);
    cr_assert_eq(list.pass, OV_QR_PASS_NONE);
    qg_noise(&noise, 50, 4);
    cr_assert_eq(ov_qr_scan(&noise, NULL, &list, &err), OV_ERR_NOT_FOUND);
    cr_assert_str_eq(err.msg, "no QR code found (try a sharper or larger picture, or fewer "
                              "accounts per QR code)");
    ov_qr_list_free(&list);
    ov_image_free(&blank);
    ov_image_free(&noise);
}

Test(qrscan, empty_image_and_loader_errors_pass_through)
{
    struct ov_image empty = { 0 };
    struct ov_qr_list list;
    struct ov_error err = { 0 };

    cr_assert_eq(ov_qr_scan(&empty, "x.png", &list, &err), OV_ERR_INVALID);
    cr_assert_str_eq(err.msg, "x.png: the image is empty");
    cr_assert_eq(ov_qr_scan_file_data((const uint8_t *)"hello", 5, "notes.jpg", &list, &err),
                 OV_ERR_UNSUPPORTED);
    cr_assert_str_eq(err.msg, "notes.jpg is not a supported image (PNG, JPEG, WebP or GIF)");
    cr_assert_eq(list.count, 0);
    cr_assert_null(list.codes);
    ov_qr_list_free(&list);
}

Test(qrscan, pass_names)
{
    cr_assert_str_eq(ov_qr_pass_name(OV_QR_PASS_NONE), "none");
    cr_assert_str_eq(ov_qr_pass_name(OV_QR_PASS_HALF), "half size");
    cr_assert_str_eq(ov_qr_pass_name(OV_QR_PASS_PLAIN), "as is");
    cr_assert_str_eq(ov_qr_pass_name(OV_QR_PASS_INVERTED), "inverted");
    cr_assert_str_eq(ov_qr_pass_name(OV_QR_PASS_UPSCALED), "upscaled");
    cr_assert_str_eq(ov_qr_pass_name(OV_QR_PASS_DOWNSCALED), "downscaled");
    cr_assert_str_eq(ov_qr_pass_name(OV_QR_PASS_BINARISED), "binarised");
}
