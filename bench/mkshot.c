/* Benchmark inputs for the QR importer, from the generator in qrgen.c.
 *
 *   mkshot [-s SEED] FILE.png
 *       a 1080x2400 phone screenshot holding ONE Google Authenticator "Transfer accounts" QR
 *       with 10 accounts (as otpvault import and zbarimg --raw would both read); the QR's text
 *       goes to stdout, so a benchmark can check both tools' answers.
 *   mkshot [-s SEED] --ladder DIR
 *       the same screenshot degraded step by step (scale, blur, JPEG quality, inversion,
 *       noise, rotation, perspective, photos) as DIR/NN-name.png|jpg, plus DIR/expected.txt
 *       holding the text every one of them encodes: the decode-rate benchmark's input. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "qrgen.h"

#define SHOT_W 1080
#define SHOT_H 2400

static struct ov_image export_screenshot(const char *url, uint64_t seed, bool dark)
{
    struct ov_image shot;

    if (!qg_export_screenshot(url, SHOT_W, SHOT_H, dark, seed, &shot)) {
        fprintf(stderr, "mkshot: the payload does not fit in a QR code\n");
        exit(1);
    }
    return shot;
}

static void save(const char *path, const struct qg_buf *b)
{
    if (!qg_save(path, b)) {
        fprintf(stderr, "mkshot: cannot write %s: %s\n", path, strerror(errno));
        exit(1);
    }
}

static void write_png(const char *dir, const char *name, const struct ov_image *img)
{
    char path[4096];
    struct qg_buf b;

    snprintf(path, sizeof path, "%s/%s.png", dir, name);
    qg_write_png(img, QG_PNG_GREY8, false, &b);
    save(path, &b);
    qg_buf_free(&b);
}

static void write_jpeg(const char *dir, const char *name, const struct ov_image *img, int q)
{
    char path[4096];
    struct qg_buf b;

    snprintf(path, sizeof path, "%s/%s.jpg", dir, name);
    qg_write_jpeg(img, QG_JPEG_GREY, q, false, &b);
    save(path, &b);
    qg_buf_free(&b);
}

/* Each rung degrades the clean screenshot one way, a little more than the one before. */
static void ladder(const char *dir, const char *url, uint64_t seed)
{
    struct ov_image shot = export_screenshot(url, seed, false);
    struct ov_image dark = export_screenshot(url, seed, true);
    char name[64];
    int n = 0;

    /* Smaller screenshots: pixels per module from ~7 down to ~1.3. */
    static const unsigned widths[] = { 720, 540, 432, 360, 300, 270, 240, 210 };
    for (size_t i = 0; i < sizeof widths / sizeof *widths; i++) {
        struct ov_image s = qg_resize(&shot, widths[i], widths[i] * SHOT_H / SHOT_W);
        snprintf(name, sizeof name, "%02d-scale-%u", ++n, widths[i]);
        write_png(dir, name, &s);
        ov_image_free(&s);
    }
    for (unsigned r = 1; r <= 6; r++) {
        struct ov_image s = qg_copy(&shot);
        qg_blur(&s, r);
        snprintf(name, sizeof name, "%02d-blur-%u", ++n, r);
        write_png(dir, name, &s);
        ov_image_free(&s);
    }
    /* JPEG quality, at a 360-wide screenshot (2.4 px per module): 8x8 blocks span modules. */
    static const int qualities[] = { 75, 50, 30, 20, 10, 5 };
    for (size_t i = 0; i < sizeof qualities / sizeof *qualities; i++) {
        struct ov_image s = qg_resize(&shot, 360, 800);
        snprintf(name, sizeof name, "%02d-jpeg-q%d", ++n, qualities[i]);
        write_jpeg(dir, name, &s, qualities[i]);
        ov_image_free(&s);
    }
    /* Inverted (dark mode) at full, half and third size. */
    static const unsigned dark_widths[] = { 1080, 540, 360 };
    for (size_t i = 0; i < sizeof dark_widths / sizeof *dark_widths; i++) {
        struct ov_image s = qg_resize(&dark, dark_widths[i], dark_widths[i] * SHOT_H / SHOT_W);
        snprintf(name, sizeof name, "%02d-inverted-%u", ++n, dark_widths[i]);
        write_png(dir, name, &s);
        ov_image_free(&s);
    }
    static const int sigmas[] = { 10, 20, 30, 45, 60, 80 };
    for (size_t i = 0; i < sizeof sigmas / sizeof *sigmas; i++) {
        struct ov_image s = qg_resize(&shot, 540, 1200);
        qg_noise(&s, sigmas[i], seed + i);
        snprintf(name, sizeof name, "%02d-noise-%d", ++n, sigmas[i]);
        write_png(dir, name, &s);
        ov_image_free(&s);
    }
    /* Rotation and perspective: the screen photographed square on, then tilted. */
    static const double angles[] = { 5, 15, 30, 45 };
    for (size_t i = 0; i < sizeof angles / sizeof *angles; i++) {
        struct qg_photo p = { .w = 1600, .h = 1600, .fill = 1.2, .angle = angles[i],
                              .seed = seed + i };
        struct ov_image s = qg_photograph(&shot, &p);
        snprintf(name, sizeof name, "%02d-rotate-%.0f", ++n, angles[i]);
        write_png(dir, name, &s);
        ov_image_free(&s);
    }
    static const double keystones[] = { 0.1, 0.2, 0.3, 0.4 };
    for (size_t i = 0; i < sizeof keystones / sizeof *keystones; i++) {
        struct qg_photo p = { .w = 1600, .h = 1600, .fill = 1.2, .keystone = keystones[i],
                              .angle = 3, .seed = seed + i };
        struct ov_image s = qg_photograph(&shot, &p);
        snprintf(name, sizeof name, "%02d-perspective-%.0f", ++n, keystones[i] * 100);
        write_png(dir, name, &s);
        ov_image_free(&s);
    }
    /* Photos: everything at once, from a good phone camera to a poor one. */
    static const struct qg_photo photos[] = {
        { 4000, 3000, 1.6, 4, 0.10, 2, 0.3, 0, 0, 6, 90, 1 },
        { 4000, 3000, 0.9, 8, 0.15, 2, 0.4, 40, 220, 10, 85, 2 },
        { 1600, 1200, 1.8, 5, 0.08, 1, 0.3, 0, 0, 4, 85, 3 },
        { 1600, 1200, 1.8, 10, 0.15, 1, 0.5, 50, 200, 8, 70, 4 },
        { 1280, 960, 1.7, 8, 0.10, 1, 0.5, 70, 190, 10, 50, 5 },
        { 1280, 960, 1.7, 15, 0.20, 1, 0.6, 60, 170, 14, 40, 6 },
    };
    for (size_t i = 0; i < sizeof photos / sizeof *photos; i++) {
        struct ov_image s = qg_photograph(&shot, &photos[i]);
        snprintf(name, sizeof name, "%02d-photo-%ux%u", ++n, photos[i].w, photos[i].h);
        write_jpeg(dir, name, &s, 92);
        ov_image_free(&s);
    }
    ov_image_free(&shot);
    ov_image_free(&dark);
}

static void usage(void)
{
    fprintf(stderr, "usage: mkshot [-s SEED] FILE.png\n       mkshot [-s SEED] --ladder DIR\n");
    exit(2);
}

int main(int argc, char **argv)
{
    uint64_t seed = 1;
    const char *ladder_dir = NULL, *out = NULL;
    char *url;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--ladder") == 0 && i + 1 < argc)
            ladder_dir = argv[++i];
        else if (argv[i][0] != '-' && out == NULL)
            out = argv[i];
        else
            usage();
    }
    if ((out == NULL) == (ladder_dir == NULL))
        usage();
    url = qg_migration_url(10, seed);
    if (out != NULL) {
        struct ov_image shot = export_screenshot(url, seed, false);
        struct qg_buf b;
        qg_write_png(&shot, QG_PNG_RGB8, false, &b);
        save(out, &b);
        qg_buf_free(&b);
        ov_image_free(&shot);
    } else {
        char path[4096];
        struct qg_buf b = { (uint8_t *)url, strlen(url), 0 };
        if (mkdir(ladder_dir, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "mkshot: cannot create %s: %s\n", ladder_dir, strerror(errno));
            return 1;
        }
        ladder(ladder_dir, url, seed);
        snprintf(path, sizeof path, "%s/expected.txt", ladder_dir);
        save(path, &b);
    }
    printf("%s\n", url);
    free(url);
    return 0;
}
