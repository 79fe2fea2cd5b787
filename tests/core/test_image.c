/* Image loaders: every PNG colour type and bit depth, JPEG grey/RGB/CMYK, WebP lossy,
 * lossless and alpha, GIF plain, interlaced and transparent, decoded to the grey values they
 * were written from (bench/qrgen_encode.c); and the bad inputs: unknown types, truncation at
 * many lengths, garbage, and headers claiming absurd sizes, which must fail fast. */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench/qrgen.h"
#include "otpvault/crypto.h"
#include "otpvault/image.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(image, .init = setup);

/* A picture with every grey level, plus black and white blocks. */
static struct ov_image pattern(unsigned w, unsigned h)
{
    struct ov_image img = qg_new(w, h, 0);

    for (unsigned y = 0; y < h; y++)
        for (unsigned x = 0; x < w; x++)
            img.px[(size_t)y * w + x] = (uint8_t)((x * 7 + y * 13) % 256);
    qg_fill_rect(&img, 0, 0, 4, 4, 0);
    qg_fill_rect(&img, 4, 0, 4, 4, 255);
    return img;
}

static void load_ok(const struct qg_buf *b, const char *what, struct ov_image *out)
{
    struct ov_error err = { 0 };
    int rc = ov_image_load(b->data, b->len, what, out, &err);
    cr_assert_eq(rc, OV_OK, "%s: %s", what, err.msg);
}

/* Largest and mean absolute difference between two same-sized images. */
static void compare(const struct ov_image *got, const struct ov_image *want, const char *what,
                    int max_diff, double max_mean)
{
    long total = 0;
    int worst = 0;

    cr_assert_eq(got->w, want->w, "%s: width %u, want %u", what, got->w, want->w);
    cr_assert_eq(got->h, want->h, "%s: height %u, want %u", what, got->h, want->h);
    for (size_t i = 0; i < (size_t)want->w * want->h; i++) {
        int d = abs((int)got->px[i] - (int)want->px[i]);
        total += d;
        if (d > worst)
            worst = d;
    }
    cr_assert_leq(worst, max_diff, "%s: a pixel is off by %d", what, worst);
    cr_assert_leq((double)total / ((double)want->w * want->h), max_mean, "%s: mean error", what);
}

Test(image, type_comes_from_magic_bytes_only)
{
    static const uint8_t png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0 };
    static const uint8_t jpeg[] = { 0xff, 0xd8, 0xff, 0xe0 };

    cr_assert_eq(ov_image_sniff(png, sizeof png), OV_IMAGE_PNG);
    cr_assert_eq(ov_image_sniff(png, 7), OV_IMAGE_UNKNOWN);
    cr_assert_eq(ov_image_sniff(jpeg, sizeof jpeg), OV_IMAGE_JPEG);
    cr_assert_eq(ov_image_sniff((const uint8_t *)"RIFF\x10\0\0\0WEBPVP8 ", 16), OV_IMAGE_WEBP);
    cr_assert_eq(ov_image_sniff((const uint8_t *)"RIFF\x10\0\0\0WAVEfmt ", 16),
                 OV_IMAGE_UNKNOWN);
    cr_assert_eq(ov_image_sniff((const uint8_t *)"GIF87a", 6), OV_IMAGE_GIF);
    cr_assert_eq(ov_image_sniff((const uint8_t *)"GIF89a", 6), OV_IMAGE_GIF);
    cr_assert_eq(ov_image_sniff((const uint8_t *)"GIF90a", 6), OV_IMAGE_UNKNOWN);
    cr_assert_eq(ov_image_sniff((const uint8_t *)"BM", 2), OV_IMAGE_UNKNOWN);
    cr_assert_eq(ov_image_sniff(NULL, 0), OV_IMAGE_UNKNOWN);
    cr_assert_str_eq(ov_image_type_name(OV_IMAGE_WEBP), "WebP");
}

Test(image, png_every_colour_type_depth_and_interlace_decodes_exactly)
{
    struct ov_image src = pattern(67, 41);
    struct ov_image bw = qg_copy(&src);

    /* 1-bit kinds are thresholded by the writer: compare with the thresholded source. */
    for (size_t i = 0; i < (size_t)bw.w * bw.h; i++)
        bw.px[i] = bw.px[i] >= 128 ? 255 : 0;
    for (int k = 0; k < QG_PNG_KIND_COUNT; k++) {
        for (int interlaced = 0; interlaced < 2; interlaced++) {
            struct qg_buf b;
            struct ov_image got;
            char what[64];
            bool one_bit = k == QG_PNG_GREY1 || k == QG_PNG_PALETTE1 || k == QG_PNG_PALETTE_TRNS;
            snprintf(what, sizeof what, "PNG %s%s", qg_png_kind_name(k),
                     interlaced ? " interlaced" : "");
            qg_write_png(&src, k, interlaced, &b);
            load_ok(&b, what, &got);
            if (k == QG_PNG_RGB_TINT) {
                /* Real colour: navy reads dark and warm white light, not a given value. */
                cr_assert_lt(got.px[0], 60, "%s: black block reads %u", what, got.px[0]);
                cr_assert_gt(got.px[5], 240, "%s: white block reads %u", what, got.px[5]);
            } else {
                compare(&got, one_bit ? &bw : &src, what, 0, 0);
            }
            ov_image_free(&got);
            qg_buf_free(&b);
        }
    }
    ov_image_free(&src);
    ov_image_free(&bw);
}

Test(image, gif_plain_interlaced_and_transparent_decode_exactly)
{
    struct ov_image src = pattern(53, 29);

    for (int interlaced = 0; interlaced < 2; interlaced++) {
        for (int transparent = 0; transparent < 2; transparent++) {
            struct qg_buf b;
            struct ov_image got;
            char what[64];
            snprintf(what, sizeof what, "GIF%s%s", interlaced ? " interlaced" : "",
                     transparent ? " transparent" : "");
            qg_write_gif(&src, interlaced, transparent, &b);
            load_ok(&b, what, &got);
            compare(&got, &src, what, 0, 0);
            ov_image_free(&got);
            qg_buf_free(&b);
        }
    }
    ov_image_free(&src);
}

Test(image, webp_lossless_alpha_and_lossy_decode_closely)
{
    struct ov_image src = pattern(64, 48);
    struct qg_buf b;
    struct ov_image got;

    /* Decoded through YUV (limited range), so lossless is exact to a few levels. */
    qg_write_webp(&src, QG_WEBP_LOSSLESS, 100, &b);
    load_ok(&b, "WebP lossless", &got);
    compare(&got, &src, "WebP lossless", 3, 1.0);
    ov_image_free(&got);
    qg_buf_free(&b);

    qg_write_webp(&src, QG_WEBP_ALPHA, 100, &b);
    load_ok(&b, "WebP alpha", &got);
    compare(&got, &src, "WebP alpha", 3, 1.0);
    ov_image_free(&got);
    qg_buf_free(&b);

    qg_write_webp(&src, QG_WEBP_LOSSY, 95, &b);
    load_ok(&b, "WebP lossy", &got);
    compare(&got, &src, "WebP lossy", 80, 6.0);
    ov_image_free(&got);
    qg_buf_free(&b);
    ov_image_free(&src);
}

Test(image, jpeg_grey_rgb_cmyk_baseline_and_progressive_decode_closely)
{
    static const enum qg_jpeg_kind kinds[] = { QG_JPEG_GREY, QG_JPEG_RGB, QG_JPEG_CMYK };
    static const char *const names[] = { "grey", "RGB", "CMYK" };
    struct ov_image src = qg_new(64, 48, 255);

    /* Smooth content (JPEG's home ground) plus a black block. */
    for (unsigned y = 0; y < src.h; y++)
        for (unsigned x = 0; x < src.w; x++)
            src.px[y * src.w + x] = (uint8_t)(x * 4);
    qg_fill_rect(&src, 0, 0, 16, 16, 0);
    for (size_t k = 0; k < 3; k++) {
        for (int progressive = 0; progressive < 2; progressive++) {
            struct qg_buf b;
            struct ov_image got;
            char what[64];
            snprintf(what, sizeof what, "JPEG %s%s", names[k], progressive ? " progressive" : "");
            qg_write_jpeg(&src, kinds[k], 95, progressive, &b);
            load_ok(&b, what, &got);
            compare(&got, &src, what, 40, 3.0);
            ov_image_free(&got);
            qg_buf_free(&b);
        }
    }
    ov_image_free(&src);
}

static void expect_unsupported(const void *data, size_t len, const char *name,
                               const char *want_msg)
{
    struct ov_image img = { (uint8_t *)"x", 1, 1 };
    struct ov_error err = { 0 };

    cr_assert_eq(ov_image_load(data, len, name, &img, &err), OV_ERR_UNSUPPORTED);
    cr_assert_str_eq(err.msg, want_msg);
    cr_assert_null(img.px, "the output is reset on failure");
}

Test(image, other_types_are_named_with_the_supported_ones)
{
    expect_unsupported("BM\x36\0\0\0", 6, "shot.bmp",
                       "shot.bmp is not a supported image (PNG, JPEG, WebP or GIF)");
    expect_unsupported("hello", 5, NULL,
                       "input is not a supported image (PNG, JPEG, WebP or GIF)");
    expect_unsupported("", 0, "-", "input is not a supported image (PNG, JPEG, WebP or GIF)");
    expect_unsupported("%PDF-1.4", 8, "a.png",
                       "a.png is not a supported image (PNG, JPEG, WebP or GIF)");
}

Test(image, text_named_jpeg_fixture_is_not_an_image)
{
    const char *dir = getenv("FIXTURES_DIR");
    char path[1024];
    uint8_t buf[4096];
    size_t n;
    FILE *f;

    snprintf(path, sizeof path, "%s/extract-otp-secrets/tests-data/text_masquerading_as_image.jpeg",
             dir != NULL && dir[0] != '\0' ? dir : "../shared/fixtures");
    f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "SKIP: %s not found (set FIXTURES_DIR)\n", path);
        cr_skip_test("SKIP: fixtures not found");
    }
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    expect_unsupported(buf, n, "text_masquerading_as_image.jpeg",
                       "text_masquerading_as_image.jpeg is not a supported image "
                       "(PNG, JPEG, WebP or GIF)");
}

/* One valid file of each type, holding a QR-like picture (compressed data of some size). */
static void sample_files(struct qg_buf files[6], const char *names[6])
{
    struct ov_image img;

    cr_assert(qg_qr("truncation test", 15, 'M', 3, 4, &img, NULL));
    qg_write_png(&img, QG_PNG_RGB8, false, &files[0]);
    names[0] = "PNG";
    qg_write_png(&img, QG_PNG_GA16, true, &files[1]);
    names[1] = "PNG";
    qg_write_jpeg(&img, QG_JPEG_RGB, 90, false, &files[2]);
    names[2] = "JPEG";
    qg_write_jpeg(&img, QG_JPEG_GREY, 90, true, &files[3]);
    names[3] = "JPEG";
    qg_write_webp(&img, QG_WEBP_LOSSY, 80, &files[4]);
    names[4] = "WebP";
    qg_write_gif(&img, true, false, &files[5]);
    names[5] = "GIF";
    ov_image_free(&img);
}

Test(image, truncated_files_fail_with_a_message_at_every_length)
{
    struct qg_buf files[6];
    const char *names[6];

    sample_files(files, names);
    for (int f = 0; f < 6; f++) {
        size_t len = files[f].len;
        /* From inside the magic to just before the last pixel data; the tail is checked
         * separately (a missing trailer after complete pixels may decode). */
        size_t cuts[] = { 1, 2, 5, 8, 12, 16, 24, 33, 50, 64, 100, len / 8, len / 4, len / 3,
                          len / 2, 2 * len / 3, 3 * len / 4, 7 * len / 8 };
        for (size_t c = 0; c < sizeof cuts / sizeof *cuts; c++) {
            struct ov_image img;
            struct ov_error err = { 0 };
            char name[32];
            int rc;
            if (cuts[c] >= len)
                continue;
            snprintf(name, sizeof name, "cut-%zu", cuts[c]);
            /* An exact-size heap copy, so a read past the end is an ASan error. */
            uint8_t *copy = malloc(cuts[c]);
            memcpy(copy, files[f].data, cuts[c]);
            rc = ov_image_load(copy, cuts[c], name, &img, &err);
            free(copy);
            cr_assert_neq(rc, OV_OK, "%s cut at %zu of %zu bytes decoded", names[f], cuts[c],
                          len);
            cr_assert_null(img.px);
            cr_assert(strncmp(err.msg, name, strlen(name)) == 0, "%s", err.msg);
            if (rc != OV_ERR_UNSUPPORTED)   /* past the magic: the decoder says what it is */
                cr_assert(strstr(err.msg, names[f]) != NULL, "%s: %s", names[f], err.msg);
        }
        /* Near the end: either an error or the full picture, never a crash or a wrong size. */
        for (size_t cut = len > 16 ? len - 16 : 1; cut < len; cut++) {
            struct ov_image img;
            struct ov_error err = { 0 };
            uint8_t *copy = malloc(cut);
            memcpy(copy, files[f].data, cut);
            if (ov_image_load(copy, cut, "tail", &img, &err) == OV_OK) {
                cr_assert_gt(img.w, 0);
                ov_image_free(&img);
            } else {
                cr_assert_neq(err.msg[0], '\0');
            }
            free(copy);
        }
        qg_buf_free(&files[f]);
    }
}

Test(image, garbage_after_each_magic_fails_cleanly)
{
    static const char *const magics[] = { "\x89PNG\r\n\x1a\n", "\xff\xd8\xff", "RIFF\xf0\0\0\0WEBP",
                                          "GIF89a" };
    static const size_t magic_len[] = { 8, 3, 12, 6 };
    uint64_t s = 0x1234567;

    for (size_t m = 0; m < 4; m++) {
        for (int trial = 0; trial < 20; trial++) {
            size_t len = 16 + (size_t)trial * 97;
            uint8_t *buf = malloc(len);
            struct ov_image img;
            struct ov_error err = { 0 };
            memcpy(buf, magics[m], magic_len[m]);
            for (size_t i = magic_len[m]; i < len; i++) {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                buf[i] = (uint8_t)s;
            }
            cr_assert_neq(ov_image_load(buf, len, "noise", &img, &err), OV_OK,
                          "random bytes after magic %zu decoded", m);
            cr_assert_null(img.px);
            cr_assert_neq(err.msg[0], '\0');
            free(buf);
        }
    }
}

/* ---- absurd sizes: refused from the header, before any large allocation ---- */

static uint32_t crc32_png(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;

    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xffffffffu;
}

static size_t put_chunk(uint8_t *out, const char *type, const uint8_t *data, uint32_t len)
{
    uint32_t crc;

    out[0] = (uint8_t)(len >> 24);
    out[1] = (uint8_t)(len >> 16);
    out[2] = (uint8_t)(len >> 8);
    out[3] = (uint8_t)len;
    memcpy(out + 4, type, 4);
    if (len > 0)
        memcpy(out + 8, data, len);
    crc = crc32_png(out + 4, len + 4);
    out[8 + len] = (uint8_t)(crc >> 24);
    out[9 + len] = (uint8_t)(crc >> 16);
    out[10 + len] = (uint8_t)(crc >> 8);
    out[11 + len] = (uint8_t)crc;
    return 12 + len;
}

/* A PNG whose IHDR claims w x h grey pixels, followed by a tiny IDAT and IEND. */
static size_t huge_png(uint8_t *out, uint32_t w, uint32_t h)
{
    static const uint8_t idat[] = { 0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01 };
    uint8_t ihdr[13] = { (uint8_t)(w >> 24), (uint8_t)(w >> 16), (uint8_t)(w >> 8), (uint8_t)w,
                         (uint8_t)(h >> 24), (uint8_t)(h >> 16), (uint8_t)(h >> 8), (uint8_t)h,
                         8, 0, 0, 0, 0 };
    size_t n = 8;

    memcpy(out, "\x89PNG\r\n\x1a\n", 8);
    n += put_chunk(out + n, "IHDR", ihdr, sizeof ihdr);
    n += put_chunk(out + n, "IDAT", idat, sizeof idat);
    n += put_chunk(out + n, "IEND", NULL, 0);
    return n;
}

/* Caps this test process's heap, so a decoder that allocates from the header's numbers fails
 * loudly. Not under AddressSanitizer, which reserves terabytes of shadow memory. */
static void cap_memory(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return;
#endif
#endif
    struct rlimit rl = { 512ul << 20, 512ul << 20 };
    cr_assert_eq(setrlimit(RLIMIT_AS, &rl), 0);
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void expect_limit(const uint8_t *data, size_t len, const char *what, const char *dims)
{
    struct ov_image img;
    struct ov_error err = { 0 };
    double t0 = seconds();
    int rc = ov_image_load(data, len, what, &img, &err);

    cr_assert_eq(rc, OV_ERR_LIMIT, "%s: status %d: %s", what, rc, err.msg);
    cr_assert_lt(seconds() - t0, 0.5, "%s: refusing took too long", what);
    cr_assert(strstr(err.msg, dims) != NULL, "%s: %s", what, err.msg);
    cr_assert(strstr(err.msg, "over the limit of 100 megapixels") != NULL, "%s", err.msg);
}

Test(image, png_claiming_200000x200000_is_refused_from_the_header)
{
    uint8_t buf[128];
    size_t n;

    cap_memory();
    n = huge_png(buf, 200000, 200000);
    expect_limit(buf, n, "huge.png", "200000x200000");
    /* Just over the limit, and past libpng's own default width limit of 1 000 000. */
    n = huge_png(buf, 10001, 10000);
    expect_limit(buf, n, "over.png", "10001x10000");
    n = huge_png(buf, 2000000000, 1);
    expect_limit(buf, n, "wide.png", "2000000000x1");
}

Test(image, jpeg_webp_and_gif_at_their_format_maximum_are_refused_from_the_header)
{
    struct ov_image small = qg_new(16, 16, 128);
    struct qg_buf b;
    uint8_t gif[64];
    size_t n = 0;

    cap_memory();
    /* JPEG: patch the SOF0 frame to 65000x65000 (4.2 gigapixels; libjpeg's own limit is
     * 65500 per side). */
    qg_write_jpeg(&small, QG_JPEG_GREY, 90, false, &b);
    for (size_t i = 0; i + 9 < b.len; i++) {
        if (b.data[i] == 0xff && b.data[i + 1] == 0xc0) {
            static const uint8_t dims[4] = { 0xfd, 0xe8, 0xfd, 0xe8 };
            memcpy(b.data + i + 5, dims, 4);
            n = 1;
            break;
        }
    }
    cr_assert_eq(n, 1, "no SOF0 marker");
    expect_limit(b.data, b.len, "huge.jpg", "65000x65000");
    qg_buf_free(&b);

    /* WebP lossless: 14-bit width-1 and height-1 fields set to 16383 (268 megapixels). */
    qg_write_webp(&small, QG_WEBP_LOSSLESS, 100, &b);
    cr_assert(memcmp(b.data + 12, "VP8L", 4) == 0 && b.data[20] == 0x2f);
    b.data[21] = 0xff;
    b.data[22] = 0xff;
    b.data[23] = 0xff;
    b.data[24] |= 0x0f;
    expect_limit(b.data, b.len, "huge.webp", "16384x16384");
    qg_buf_free(&b);

    /* GIF: a 65535x65535 screen and frame; nothing after the image descriptor. */
    memcpy(gif, "GIF89a\xff\xff\xff\xff\x00\x00\x00", 13);
    n = 13;
    memcpy(gif + n, ",\0\0\0\0\xff\xff\xff\xff\x00\x08", 11);
    n += 11;
    expect_limit(gif, n, "huge.gif", "65535x65535");
    ov_image_free(&small);
}

Test(image, size_checks_are_overflow_safe)
{
    struct ov_image img;
    struct ov_error err = { 0 };

    cr_assert_eq(ov_image_alloc(&img, UINT_MAX, UINT_MAX, "x", &err), OV_ERR_LIMIT);
    cr_assert_null(img.px);
    cr_assert_eq(ov_image_alloc(&img, 100000001, 1, "x", &err), OV_ERR_LIMIT);
    cr_assert_eq(ov_image_alloc(&img, 0, 10, "x", &err), OV_ERR_INVALID);
    cr_assert_str_eq(err.msg, "x: the image is empty (0x10 pixels)");
    cr_assert_eq(ov_image_alloc(&img, 3, 2, "x", &err), OV_OK);
    cr_assert_not_null(img.px);
    ov_image_free(&img);
    cr_assert_null(img.px);
    ov_image_free(&img);    /* twice is harmless */
}
