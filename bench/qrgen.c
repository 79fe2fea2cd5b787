/* QR test-image generator: rendering, image operations, scenes and migration payloads
 * (encoders are in qrgen_encode.c). Test and benchmark code only; see qrgen.h. */
#include <math.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

#include "otpvault/mem.h"
#include "qrgen.h"

/* ---- basics ---- */

struct ov_image qg_new(unsigned w, unsigned h, uint8_t fill)
{
    struct ov_image img = { ov_xmalloc((size_t)w * h), w, h };
    memset(img.px, fill, (size_t)w * h);
    return img;
}

struct ov_image qg_copy(const struct ov_image *src)
{
    struct ov_image img = { ov_xmalloc((size_t)src->w * src->h), src->w, src->h };
    memcpy(img.px, src->px, (size_t)src->w * src->h);
    return img;
}

/* xorshift64*: small, fast and reproducible across platforms. */
static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

static uint64_t rng_seed(uint64_t seed)
{
    return seed * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL;
}

/* Uniform in [0, n). */
static unsigned rng_below(uint64_t *s, unsigned n)
{
    return n == 0 ? 0 : (unsigned)((rng_next(s) >> 11) % n);
}

static double rng_unit(uint64_t *s)
{
    return (double)(rng_next(s) >> 11) / 9007199254740992.0;
}

static uint8_t clamp_u8(double v)
{
    return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v + 0.5);
}

bool qg_qr(const void *data, size_t len, char ecc, unsigned scale, unsigned quiet,
           struct ov_image *out, unsigned *modules)
{
    QRecLevel level = ecc == 'L' ? QR_ECLEVEL_L : ecc == 'Q' ? QR_ECLEVEL_Q
                    : ecc == 'H' ? QR_ECLEVEL_H : QR_ECLEVEL_M;
    QRcode *qr;
    unsigned n, side;

    if (len > 8000)
        return false;
    qr = QRcode_encodeData((int)len, data, 0, level);
    if (qr == NULL)
        return false;
    n = (unsigned)qr->width;
    side = (n + 2 * quiet) * scale;
    *out = qg_new(side, side, 255);
    for (unsigned y = 0; y < n; y++)
        for (unsigned x = 0; x < n; x++)
            if (qr->data[y * n + x] & 1)
                qg_fill_rect(out, (int)((x + quiet) * scale), (int)((y + quiet) * scale),
                             (int)scale, (int)scale, 0);
    if (modules != NULL)
        *modules = n;
    QRcode_free(qr);
    return true;
}

/* ---- image operations ---- */

void qg_blit(struct ov_image *dst, const struct ov_image *src, int x, int y)
{
    for (unsigned sy = 0; sy < src->h; sy++) {
        long dy = (long)y + sy;
        if (dy < 0 || dy >= (long)dst->h)
            continue;
        for (unsigned sx = 0; sx < src->w; sx++) {
            long dx = (long)x + sx;
            if (dx >= 0 && dx < (long)dst->w)
                dst->px[(size_t)dy * dst->w + (size_t)dx] = src->px[(size_t)sy * src->w + sx];
        }
    }
}

void qg_fill_rect(struct ov_image *img, int x, int y, int w, int h, uint8_t v)
{
    long x0 = x < 0 ? 0 : x, y0 = y < 0 ? 0 : y;
    long x1 = (long)x + w, y1 = (long)y + h;

    if (x1 > (long)img->w)
        x1 = img->w;
    if (y1 > (long)img->h)
        y1 = img->h;
    for (long yy = y0; yy < y1; yy++)
        if (x1 > x0)
            memset(img->px + (size_t)yy * img->w + x0, v, (size_t)(x1 - x0));
}

void qg_invert(struct ov_image *img)
{
    for (size_t i = 0; i < (size_t)img->w * img->h; i++)
        img->px[i] = (uint8_t)(255 - img->px[i]);
}

struct ov_image qg_scale_nearest(const struct ov_image *src, unsigned factor)
{
    struct ov_image out = qg_new(src->w * factor, src->h * factor, 0);

    for (unsigned y = 0; y < out.h; y++)
        for (unsigned x = 0; x < out.w; x++)
            out.px[(size_t)y * out.w + x] = src->px[(size_t)(y / factor) * src->w + x / factor];
    return out;
}

static double sample_bilinear(const struct ov_image *img, double x, double y, double outside)
{
    long x0 = (long)floor(x), y0 = (long)floor(y);
    double fx = x - x0, fy = y - y0, v = 0;

    if (x0 < -1 || y0 < -1 || x0 >= (long)img->w || y0 >= (long)img->h)
        return outside;
    for (int j = 0; j < 2; j++) {
        for (int i = 0; i < 2; i++) {
            long xx = x0 + i, yy = y0 + j;
            double wgt = (i ? fx : 1 - fx) * (j ? fy : 1 - fy);
            double p = xx < 0 || yy < 0 || xx >= (long)img->w || yy >= (long)img->h
                     ? outside : img->px[(size_t)yy * img->w + (size_t)xx];
            v += wgt * p;
        }
    }
    return v;
}

struct ov_image qg_resize(const struct ov_image *src, unsigned w, unsigned h)
{
    struct ov_image out = qg_new(w, h, 0);
    double sx = (double)src->w / w, sy = (double)src->h / h;

    for (unsigned y = 0; y < h; y++) {
        for (unsigned x = 0; x < w; x++) {
            double v;
            if (sx > 1 || sy > 1) {
                /* Area average over the source pixels whose centres fall in the footprint. */
                unsigned x0 = (unsigned)(x * sx), x1 = (unsigned)ceil((x + 1) * sx);
                unsigned y0 = (unsigned)(y * sy), y1 = (unsigned)ceil((y + 1) * sy);
                unsigned long sum = 0, n = 0;
                if (x1 > src->w)
                    x1 = src->w;
                if (y1 > src->h)
                    y1 = src->h;
                for (unsigned yy = y0; yy < y1; yy++)
                    for (unsigned xx = x0; xx < x1; xx++, n++)
                        sum += src->px[(size_t)yy * src->w + xx];
                v = n ? (double)sum / n : 0;
            } else {
                v = sample_bilinear(src, (x + 0.5) * sx - 0.5, (y + 0.5) * sy - 0.5, 255);
            }
            out.px[(size_t)y * w + x] = clamp_u8(v);
        }
    }
    return out;
}

/* One box-blur pass along rows (stride 1) or columns (stride w), edges clamped. */
static void box_pass(uint8_t *p, size_t n, size_t stride, unsigned r, uint8_t *tmp)
{
    long sum = 0, win = 2 * (long)r + 1;

    for (long i = -(long)r; i <= (long)r; i++)
        sum += p[(size_t)(i < 0 ? 0 : i >= (long)n ? (long)n - 1 : i) * stride];
    for (size_t i = 0; i < n; i++) {
        long add = (long)i + r + 1, sub = (long)i - (long)r;
        tmp[i] = (uint8_t)((sum + win / 2) / win);
        sum += p[(size_t)(add >= (long)n ? (long)n - 1 : add) * stride];
        sum -= p[(size_t)(sub < 0 ? 0 : sub) * stride];
    }
    for (size_t i = 0; i < n; i++)
        p[i * stride] = tmp[i];
}

void qg_blur(struct ov_image *img, unsigned radius)
{
    uint8_t *tmp;

    if (radius == 0)
        return;
    tmp = ov_xmalloc(img->w > img->h ? img->w : img->h);
    for (int pass = 0; pass < 3; pass++) {
        for (unsigned y = 0; y < img->h; y++)
            box_pass(img->px + (size_t)y * img->w, img->w, 1, radius, tmp);
        for (unsigned x = 0; x < img->w; x++)
            box_pass(img->px + x, img->h, img->w, radius, tmp);
    }
    free(tmp);
}

void qg_noise(struct ov_image *img, double sigma, uint64_t seed)
{
    uint64_t s = rng_seed(seed);

    for (size_t i = 0; i < (size_t)img->w * img->h; i++) {
        /* Box-Muller. */
        double u1 = rng_unit(&s) + 1e-12, u2 = rng_unit(&s);
        double g = sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
        img->px[i] = clamp_u8(img->px[i] + sigma * g);
    }
}

void qg_lighting(struct ov_image *img, double strength)
{
    for (unsigned y = 0; y < img->h; y++) {
        for (unsigned x = 0; x < img->w; x++) {
            double t = ((double)x / img->w + (double)y / img->h) / 2;
            uint8_t *p = img->px + (size_t)y * img->w + x;
            *p = clamp_u8(*p * (1 - strength * (1 - t)));
        }
    }
}

void qg_contrast(struct ov_image *img, uint8_t lo, uint8_t hi)
{
    for (size_t i = 0; i < (size_t)img->w * img->h; i++)
        img->px[i] = (uint8_t)(lo + (img->px[i] * (hi - lo) + 127) / 255);
}

void qg_screen_door(struct ov_image *img, double period, double depth, double angle)
{
    double c = cos(angle * M_PI / 180), s = sin(angle * M_PI / 180);

    for (unsigned y = 0; y < img->h; y++) {
        for (unsigned x = 0; x < img->w; x++) {
            double u = fabs(fmod(x * c + y * s, period)), v = fabs(fmod(y * c - x * s, period));
            uint8_t *p = img->px + (size_t)y * img->w + x;
            if (u < period * 0.35 || v < period * 0.35)
                *p = clamp_u8(*p * (1 - depth));
        }
    }
}

void qg_jpeg_roundtrip(struct ov_image *img, int quality)
{
    tjhandle c = tjInitCompress(), d = tjInitDecompress();
    unsigned char *jpeg = NULL;
    unsigned long size = 0;

    if (c == NULL || d == NULL ||
        tjCompress2(c, img->px, (int)img->w, 0, (int)img->h, TJPF_GRAY, &jpeg, &size,
                    TJSAMP_GRAY, quality, 0) != 0 ||
        tjDecompress2(d, jpeg, size, img->px, (int)img->w, 0, (int)img->h, TJPF_GRAY, 0) != 0) {
        fprintf(stderr, "qrgen: JPEG round trip failed\n");
        abort();
    }
    tjFree(jpeg);
    tjDestroy(c);
    tjDestroy(d);
}

/* ---- scenes ---- */

/* A line of fake text: words of glyph-like strokes, the high-frequency clutter of a UI. */
static void text_line(struct ov_image *img, int x, int y, int width, int size, uint8_t ink,
                      uint64_t *s)
{
    int cx = x;

    while (cx < x + width) {
        int letters = 2 + (int)rng_below(s, 8);
        for (int l = 0; l < letters && cx + size < x + width; l++) {
            int gw = size * 6 / 10, stroke = size / 8 > 1 ? size / 8 : 1;
            int tall = rng_below(s, 3) == 0 ? size : size * 7 / 10;
            qg_fill_rect(img, cx, y + size - tall, stroke, tall, ink);
            if (rng_below(s, 2))
                qg_fill_rect(img, cx, y + size - stroke, gw, stroke, ink);
            if (rng_below(s, 2))
                qg_fill_rect(img, cx + gw - stroke, y + size - tall * 2 / 3, stroke,
                             tall * 2 / 3, ink);
            if (rng_below(s, 3) == 0)
                qg_fill_rect(img, cx, y + size - tall * 2 / 3, gw, stroke, ink);
            cx += gw + stroke + 1;
        }
        cx += size / 2 + 2;
    }
}

struct ov_image qg_screenshot(const struct ov_image *qr, unsigned w, unsigned h, bool dark,
                              uint64_t seed)
{
    uint8_t bg = dark ? 24 : 250, ink = dark ? 225 : 40, bar = dark ? 10 : 232;
    struct ov_image img = qg_new(w, h, bg);
    uint64_t s = rng_seed(seed);
    int size = (int)(h / 60 > 8 ? h / 60 : 8);
    int qx = ((int)w - (int)qr->w) / 2, qy = ((int)h - (int)qr->h) / 2;
    struct ov_image shown = qg_copy(qr);

    qg_fill_rect(&img, 0, 0, (int)w, size * 2, bar);               /* status bar */
    text_line(&img, size, size / 2, size * 4, size, ink, &s);      /* the clock */
    for (int i = 0; i < 4; i++)                                    /* status icons */
        qg_fill_rect(&img, (int)w - size * (2 + 2 * i), size / 2, size, size, ink);
    text_line(&img, size * 2, size * 4, (int)w / 2, size * 2, ink, &s);       /* title */
    for (int i = 0; i < 3; i++)
        text_line(&img, size * 2, size * (8 + 2 * i), (int)w - size * 4, size, ink, &s);
    for (int i = 0; i < 2; i++)
        text_line(&img, size * 2, qy + (int)qr->h + size * (2 + 2 * i), (int)w - size * 4, size,
                  ink, &s);
    qg_fill_rect(&img, (int)w - size * 12, (int)h - size * 6, size * 10, size * 3,
                 dark ? 90 : 60);                                  /* the button */
    text_line(&img, (int)w - size * 10, (int)h - size * 5, size * 6, size, dark ? 20 : 240, &s);
    if (dark)
        qg_invert(&shown);
    qg_blit(&img, &shown, qx, qy);
    ov_image_free(&shown);
    return img;
}

bool qg_export_screenshot(const char *text, unsigned w, unsigned h, bool dark, uint64_t seed,
                          struct ov_image *out)
{
    struct ov_image qr;
    unsigned modules, scale;

    if (!qg_qr(text, strlen(text), 'M', 1, 4, &qr, &modules))
        return false;
    ov_image_free(&qr);
    scale = w * 8 / 10 / (modules + 8);
    qg_qr(text, strlen(text), 'M', scale > 0 ? scale : 1, 4, &qr, NULL);
    *out = qg_screenshot(&qr, w, h, dark, seed);
    ov_image_free(&qr);
    return true;
}

struct ov_image qg_row(const struct ov_image *const *qrs, size_t n, unsigned gap)
{
    unsigned w = gap, h = 0;
    struct ov_image img;

    for (size_t i = 0; i < n; i++) {
        w += qrs[i]->w + gap;
        if (qrs[i]->h > h)
            h = qrs[i]->h;
    }
    img = qg_new(w, h + 2 * gap, 255);
    w = gap;
    for (size_t i = 0; i < n; i++) {
        qg_blit(&img, qrs[i], (int)w, (int)gap);
        w += qrs[i]->w + gap;
    }
    return img;
}

/* Projective map of the unit square onto a quad (Heckbert), as a 3x3 matrix. */
static void square_to_quad(const double q[4][2], double m[9])
{
    double sx = q[0][0] - q[1][0] + q[2][0] - q[3][0];
    double sy = q[0][1] - q[1][1] + q[2][1] - q[3][1];
    double dx1 = q[1][0] - q[2][0], dx2 = q[3][0] - q[2][0];
    double dy1 = q[1][1] - q[2][1], dy2 = q[3][1] - q[2][1];
    double den = dx1 * dy2 - dx2 * dy1;
    double g = (sx * dy2 - dx2 * sy) / den, h = (dx1 * sy - sx * dy1) / den;

    m[0] = q[1][0] - q[0][0] + g * q[1][0];
    m[1] = q[3][0] - q[0][0] + h * q[3][0];
    m[2] = q[0][0];
    m[3] = q[1][1] - q[0][1] + g * q[1][1];
    m[4] = q[3][1] - q[0][1] + h * q[3][1];
    m[5] = q[0][1];
    m[6] = g;
    m[7] = h;
    m[8] = 1;
}

static void invert3(const double m[9], double r[9])
{
    double det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) +
                 m[2] * (m[3] * m[7] - m[4] * m[6]);

    r[0] = (m[4] * m[8] - m[5] * m[7]) / det;
    r[1] = (m[2] * m[7] - m[1] * m[8]) / det;
    r[2] = (m[1] * m[5] - m[2] * m[4]) / det;
    r[3] = (m[5] * m[6] - m[3] * m[8]) / det;
    r[4] = (m[0] * m[8] - m[2] * m[6]) / det;
    r[5] = (m[2] * m[3] - m[0] * m[5]) / det;
    r[6] = (m[3] * m[7] - m[4] * m[6]) / det;
    r[7] = (m[1] * m[6] - m[0] * m[7]) / det;
    r[8] = (m[0] * m[4] - m[1] * m[3]) / det;
}

struct ov_image qg_photograph(const struct ov_image *src, const struct qg_photo *p)
{
    struct ov_image img = qg_new(p->w, p->h, 0);
    double side = p->fill * (p->w < p->h ? p->w : p->h);
    double s = side / (src->w > src->h ? src->w : src->h);
    double hw = src->w * s / 2, hh = src->h * s / 2, a = p->angle * M_PI / 180;
    double corners[4][2] = { { -hw * (1 - p->keystone), -hh }, { hw * (1 - p->keystone), -hh },
                             { hw, hh }, { -hw, hh } };
    double m[9], inv[9];
    uint64_t rs = rng_seed(p->seed ^ 0x5eed);

    for (int i = 0; i < 4; i++) {
        double x = corners[i][0], y = corners[i][1];
        corners[i][0] = p->w / 2.0 + x * cos(a) - y * sin(a);
        corners[i][1] = p->h / 2.0 + x * sin(a) + y * cos(a);
    }
    square_to_quad(corners, m);
    invert3(m, inv);
    for (unsigned y = 0; y < p->h; y++) {
        for (unsigned x = 0; x < p->w; x++) {
            double X = x + 0.5, Y = y + 0.5;
            double w = inv[6] * X + inv[7] * Y + inv[8];
            double u = (inv[0] * X + inv[1] * Y + inv[2]) / w;
            double v = (inv[3] * X + inv[4] * Y + inv[5]) / w;
            /* Outside the screen: a dark, slightly textured desk. */
            double desk = 70 + (double)rng_below(&rs, 12);
            img.px[(size_t)y * p->w + x] =
                clamp_u8(sample_bilinear(src, u * src->w - 0.5, v * src->h - 0.5, desk));
        }
    }
    qg_blur(&img, p->blur);
    if (p->light > 0)
        qg_lighting(&img, p->light);
    if (p->lo != 0 || p->hi != 0)
        qg_contrast(&img, p->lo, p->hi);
    if (p->noise > 0)
        qg_noise(&img, p->noise, p->seed);
    if (p->jpeg_quality > 0)
        qg_jpeg_roundtrip(&img, p->jpeg_quality);
    return img;
}

/* ---- payloads: a minimal protobuf writer for MigrationPayload (formats.md 2.1) ---- */

struct pb {
    uint8_t *b;
    size_t len, cap;
};

static void pb_byte(struct pb *pb, uint8_t v)
{
    if (pb->len == pb->cap) {
        pb->cap = pb->cap ? pb->cap * 2 : 256;
        pb->b = ov_xrealloc(pb->b, pb->cap);
    }
    pb->b[pb->len++] = v;
}

static void pb_varint(struct pb *pb, uint64_t v)
{
    while (v >= 0x80) {
        pb_byte(pb, (uint8_t)(v | 0x80));
        v >>= 7;
    }
    pb_byte(pb, (uint8_t)v);
}

static void pb_bytes(struct pb *pb, unsigned field, const void *data, size_t len)
{
    pb_varint(pb, field << 3 | 2);
    pb_varint(pb, len);
    for (size_t i = 0; i < len; i++)
        pb_byte(pb, ((const uint8_t *)data)[i]);
}

static void pb_int(struct pb *pb, unsigned field, int64_t v)
{
    pb_varint(pb, field << 3);
    pb_varint(pb, (uint64_t)v);     /* negative int32: sign-extended, 10 bytes */
}

char *qg_migration_url(unsigned n, uint64_t seed)
{
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    static const char prefix[] = "otpauth-migration://offline?data=";
    struct pb payload = { 0 };
    uint64_t s = rng_seed(seed);
    char *url, *o;

    for (unsigned i = 1; i <= n; i++) {
        struct pb param = { 0 };
        uint8_t secret[20];
        char name[32], issuer[32];
        for (size_t k = 0; k < sizeof secret; k++)
            secret[k] = (uint8_t)rng_next(&s);
        snprintf(name, sizeof name, "user%02u@example.com", i);
        snprintf(issuer, sizeof issuer, "Service%02u", i);
        pb_bytes(&param, 1, secret, sizeof secret);
        pb_bytes(&param, 2, name, strlen(name));
        pb_bytes(&param, 3, issuer, strlen(issuer));
        pb_int(&param, 4, 1);           /* SHA1 */
        pb_int(&param, 5, 1);           /* six digits */
        pb_int(&param, 6, 2);           /* TOTP */
        pb_bytes(&payload, 1, param.b, param.len);
        free(param.b);
    }
    pb_int(&payload, 2, 1);             /* version */
    pb_int(&payload, 3, 1);             /* batch_size */
    pb_int(&payload, 4, 0);             /* batch_index: Google writes it even when 0 */
    pb_int(&payload, 5, (int32_t)(uint32_t)rng_next(&s));  /* batch_id */

    /* Base64 (4 chars per 3 bytes), each char at most 3 once percent-encoded. */
    url = ov_xmalloc(sizeof prefix + (payload.len + 2) / 3 * 12 + 1);
    o = url + sprintf(url, "%s", prefix);
    for (size_t i = 0; i < payload.len; i += 3) {
        uint32_t v = (uint32_t)payload.b[i] << 16;
        size_t left = payload.len - i;
        if (left > 1)
            v |= (uint32_t)payload.b[i + 1] << 8;
        if (left > 2)
            v |= payload.b[i + 2];
        for (int k = 0; k < 4; k++) {
            char c = k <= (int)(left > 3 ? 3 : left) ? b64[(v >> (18 - 6 * k)) & 63] : '=';
            if (c == '+' || c == '/' || c == '=')
                o += sprintf(o, "%%%02X", (unsigned char)c);
            else
                *o++ = c;
        }
    }
    *o = '\0';
    free(payload.b);
    return url;
}
