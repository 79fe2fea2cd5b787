/* Hostile input through the import pipeline (ov_import_run, what `otpvault import` runs) and
 * the config reader: zip bombs, pictures that claim or really have huge sizes, nesting
 * 100 000 levels deep. Each runs in a child (tests/bounded.c) whose time and memory are
 * measured, and capped with RLIMIT_AS outside AddressSanitizer builds: it must end within
 * the bounds with an error that names the input. Inputs are generated here; they hold
 * nothing secret. KDF parameters meant to exhaust memory: test_hostile_kdf.c. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "bench/qrgen.h"
#include "tests/lib/bounded.h"
#include "tests/lib/cli_run.h"
#include "otpvault/config.h"
#include "otpvault/crypto.h"
#include "otpvault/import.h"
#include "otpvault/importer.h"

static void setup(void)
{
    cr_assert_eq(ov_crypto_init(), 0);
}

TestSuite(hostile, .init = setup, .timeout = 180);

struct hostile_input {
    const uint8_t *data;
    size_t len;
    const char *name;
    const char *want;       /* a phrase the failure note must hold, or NULL */
    const char *password;   /* export password, or NULL */
};

/* One pipeline run: it must fail, with an INPUT_FAILED note naming the input (and holding
 * want, if given). 0 or the number of the broken expectation; msg says more. */
static int import_fails(const struct hostile_input *h, const char *format, char *msg, size_t n)
{
    struct ov_blob in = { h->data, h->len, h->name };
    struct ov_import_options opts = { .format = format, .password = h->password,
                                      .password_len = h->password ? strlen(h->password) : 0 };
    struct ov_import_report r;
    const char *note = NULL;
    int rc = ov_import_run(&in, 1, &opts, NULL, &r);

    for (size_t i = 0; i < r.nnotes && note == NULL; i++)
        if (r.notes[i].kind == OV_NOTE_INPUT_FAILED)
            note = r.notes[i].text;
    snprintf(msg, n, "%s (format %s): status %d, %zu accounts: %s", h->name,
             format != NULL ? format : "detected", rc, r.accounts.len,
             note != NULL ? note : "(no note)");
    rc = rc == OV_OK ? 1
       : note == NULL || strncmp(note, h->name, strlen(h->name)) != 0 ? 2
       : h->want != NULL && format == NULL && strstr(note, h->want) == NULL ? 3
       : 0;
    ov_import_report_free(&r);
    return rc;
}

/* Detected, then forced through every importer of the registry (as --format would): a
 * format added later meets the same input. */
static int every_importer_fails(void *arg, char *msg, size_t n)
{
    const struct hostile_input *h = arg;
    int rc = import_fails(h, NULL, msg, n);

    for (size_t i = 0; rc == 0 && ov_importers[i] != NULL; i++)
        rc = import_fails(h, ov_importers[i]->name, msg, n);
    return rc;
}

static void expect_bounded_failure(const struct hostile_input *h, unsigned mib, unsigned secs)
{
    struct bounded b;

    bounded_run(every_importer_fails, (void *)h, mib, secs, &b);
    cr_assert(b.exited, "%s: killed by signal %d after %.1f s (limits %u MiB, %u s): %s",
              h->name, b.signal, b.seconds, mib, secs, b.msg);
    cr_assert_eq(b.status, 0, "%s: expectation %d: %s", h->name, b.status, b.msg);
    cr_assert_lt(b.grew_kib, (long)mib * 1024, "%s: grew by %ld KiB", h->name, b.grew_kib);
}

/* ---- zip bombs ---- */

#define BOMB_BYTES (256u * 1024u * 1024u)

/* A zip of one member holding `size` zero bytes, deflated (about 1000:1), read back. */
static uint8_t *zip_of_zeros(const char *member, size_t size, size_t *len)
{
    char path[] = "/tmp/otpvault-bomb-XXXXXX";
    int fd = mkstemp(path), zerr;
    uint8_t *zeros = calloc(1, size), *data;
    zip_t *za;
    zip_source_t *src;
    zip_int64_t idx;
    FILE *f;

    cr_assert(fd >= 0 && zeros != NULL);
    close(fd);
    za = zip_open(path, ZIP_TRUNCATE, &zerr);
    cr_assert_not_null(za, "zip_open: %d", zerr);
    src = zip_source_buffer(za, zeros, size, 0);
    idx = zip_file_add(za, member, src, ZIP_FL_ENC_UTF_8);
    cr_assert_geq(idx, 0);
    cr_assert_eq(zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 9), 0);
    cr_assert_eq(zip_close(za), 0, "%s", zip_strerror(za));
    free(zeros);
    f = fopen(path, "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    data = malloc(*len);
    cr_assert_eq(fread(data, 1, *len, f), *len);
    fclose(f);
    unlink(path);
    return data;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Makes every header of the zip claim `size` bytes uncompressed (the local header at 22, the
 * central directory entry at 24): a reader that trusts them inflates far more. */
static void zip_claim_size(uint8_t *zip, size_t len, uint32_t size)
{
    for (size_t i = 0; i + 46 <= len; i++) {
        if (memcmp(zip + i, "PK\3\4", 4) == 0)
            put_le32(zip + i + 22, size);
        else if (memcmp(zip + i, "PK\1\2", 4) == 0)
            put_le32(zip + i + 24, size);
    }
}

Test(hostile, zip_bombs_end_in_bounded_time_and_memory)
{
    size_t len;
    uint8_t *zip = zip_of_zeros("winauth-export.txt", BOMB_BYTES, &len);
    uint8_t *liar = malloc(len);
    struct hostile_input bomb = { zip, len, "bomb.zip", NULL, NULL };
    struct hostile_input lying = { liar, len, "lying.zip", NULL, "password" };

    cr_assert_lt(len, BOMB_BYTES / 500, "not much of a bomb: %zu bytes", len);
    memcpy(liar, zip, len);
    zip_claim_size(liar, len, 100);
    expect_bounded_failure(&bomb, 512, 60);
    expect_bounded_failure(&lying, 512, 60);
    free(liar);
    free(zip);
}

Test(hostile, a_zip_of_many_members_ends_in_bounded_time)
{
    char path[] = "/tmp/otpvault-many-XXXXXX", name[32];
    int fd = mkstemp(path), zerr;
    zip_t *za;
    uint8_t *data;
    size_t len;
    struct hostile_input many;

    cr_assert_geq(fd, 0);
    close(fd);
    za = zip_open(path, ZIP_TRUNCATE, &zerr);
    cr_assert_not_null(za);
    for (int i = 0; i < 20000; i++) {
        snprintf(name, sizeof name, "m%05d.txt", i);
        zip_source_t *src = zip_source_buffer(za, "x", 1, 0);
        cr_assert_geq(zip_file_add(za, name, src, 0), 0);
    }
    cr_assert_eq(zip_close(za), 0);
    data = (uint8_t *)read_file(path, &len);
    unlink(path);
    many = (struct hostile_input){ data, len, "many.zip", NULL, NULL };
    expect_bounded_failure(&many, 256, 60);
    free(data);
}

/* ---- pictures ---- */

static uint32_t crc32_of(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
    }
    return ~c;
}

static void put_be32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (24 - 8 * i));
}

Test(hostile, pictures_claiming_huge_sizes_in_every_format_are_refused_at_once)
{
    struct ov_image small = qg_new(16, 16, 128);
    struct qg_buf png, jpg, webp;
    static uint8_t gif[] = "GIF89a\xff\xff\xff\xff\x00\x00\x00,\0\0\0\0\xff\xff\xff\xff\x00\x08";

    /* PNG: IHDR (after the 8-byte signature and the chunk's length) says 200000x200000. */
    qg_write_png(&small, QG_PNG_GREY8, false, &png);
    cr_assert(memcmp(png.data + 12, "IHDR", 4) == 0);
    put_be32(png.data + 16, 200000);
    put_be32(png.data + 20, 200000);
    put_be32(png.data + 29, crc32_of(png.data + 12, 17));
    /* JPEG: the SOF0 frame says 65000x65000. */
    qg_write_jpeg(&small, QG_JPEG_GREY, 90, false, &jpg);
    for (size_t i = 0; i + 9 < jpg.len; i++) {
        if (jpg.data[i] == 0xff && jpg.data[i + 1] == 0xc0) {
            memcpy(jpg.data + i + 5, "\xfd\xe8\xfd\xe8", 4);
            break;
        }
    }
    /* WebP lossless: both 14-bit size fields at their maximum, 16384x16384. */
    qg_write_webp(&small, QG_WEBP_LOSSLESS, 100, &webp);
    cr_assert(memcmp(webp.data + 12, "VP8L", 4) == 0);
    memset(webp.data + 21, 0xff, 3);
    webp.data[24] |= 0x0f;

    const struct hostile_input cases[] = {
        { png.data, png.len, "huge.png", "over the limit of 100 megapixels", NULL },
        { jpg.data, jpg.len, "huge.jpg", "over the limit of 100 megapixels", NULL },
        { webp.data, webp.len, "huge.webp", "over the limit of 100 megapixels", NULL },
        { gif, sizeof gif - 1, "huge.gif", "over the limit of 100 megapixels", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct bounded b;
        bounded_run(every_importer_fails, (void *)&cases[i], 64, 20, &b);
        cr_assert(b.exited && b.status == 0, "%s: status %d signal %d: %s", cases[i].name,
                  b.status, b.signal, b.msg);
        cr_assert_lt(b.seconds, 5.0, "%s took %.1f s", cases[i].name, b.seconds);
        cr_assert_lt(b.grew_kib, 64 * 1024, "%s: grew by %ld KiB", cases[i].name, b.grew_kib);
    }
    qg_buf_free(&png);
    qg_buf_free(&jpg);
    qg_buf_free(&webp);
    ov_image_free(&small);
}

/* A real 16-megapixel picture in 9 KB (one bit per pixel, all white): it is decoded and
 * scanned in full, in time and memory that grow with its size (100 megapixels, the limit,
 * take about 13 s and 420 MB on the 2-core development machine). */
Test(hostile, a_large_blank_picture_is_scanned_within_bounds)
{
    struct ov_image white = qg_new(4000, 4000, 255);
    struct qg_buf png;
    struct hostile_input h;
    struct bounded b;

    qg_write_png(&white, QG_PNG_GREY1, false, &png);
    ov_image_free(&white);
    cr_assert_lt(png.len, 16 * 1024);
    h = (struct hostile_input){ png.data, png.len, "blank.png", "no QR code found", NULL };
    bounded_run(every_importer_fails, &h, 512, 120, &b);
    cr_assert(b.exited && b.status == 0, "status %d signal %d after %.1f s: %s", b.status,
              b.signal, b.seconds, b.msg);
    cr_assert_lt(b.grew_kib, 512 * 1024, "grew by %ld KiB", b.grew_kib);
    qg_buf_free(&png);
}

/* ---- nesting ---- */

#define DEPTH 100000

/* open DEPTH times, then middle, then close DEPTH times. */
static char *nested(const char *open, const char *middle, const char *close)
{
    size_t lo = strlen(open), lm = strlen(middle), lc = strlen(close);
    char *s = malloc(DEPTH * (lo + lc) + lm + 1), *p = s;

    for (int i = 0; i < DEPTH; i++, p += lo)
        memcpy(p, open, lo);
    memcpy(p, middle, lm);
    p += lm;
    for (int i = 0; i < DEPTH; i++, p += lc)
        memcpy(p, close, lc);
    *p = '\0';
    return s;
}

Test(hostile, json_nested_100000_levels_deep_ends_in_bounded_time)
{
    char *arrays = nested("[", "1", "]");
    char *objects = nested("{\"db\":", "{}", "}");
    const struct hostile_input cases[] = {
        { (const uint8_t *)arrays, strlen(arrays), "arrays.json", NULL, NULL },
        { (const uint8_t *)objects, strlen(objects), "objects.json", NULL, "password" },
    };

    for (size_t i = 0; i < 2; i++)
        expect_bounded_failure(&cases[i], 256, 60);
    free(arrays);
    free(objects);
}

static int load_config_text(void *arg, char *msg, size_t n)
{
    const char *text = arg;
    struct ov_config c;
    struct ov_error err = { 0 };
    int rc;

    ov_config_defaults(&c);
    rc = ov_config_load_text("deep.yaml", text, strlen(text), &c, &err);
    snprintf(msg, n, "%s", err.msg);
    ov_config_free(&c);
    return rc == OV_OK ? 1 : strncmp(err.msg, "deep.yaml:", 10) != 0 ? 2 : 0;
}

Test(hostile, yaml_nested_100000_levels_deep_ends_in_bounded_time)
{
    char *flow = nested("[", "x", "]");
    char *keys = nested("{a: ", "1", "}");
    char *texts[] = { flow, keys };

    for (size_t i = 0; i < 2; i++) {
        struct bounded b;
        char *text = malloc(strlen(texts[i]) + 8);
        sprintf(text, "keys: %s", texts[i]);
        bounded_run(load_config_text, text, 256, 60, &b);
        cr_assert(b.exited && b.status == 0, "case %zu: status %d signal %d after %.1f s: %s",
                  i, b.status, b.signal, b.seconds, b.msg);
        cr_assert_lt(b.grew_kib, 256 * 1024, "case %zu: grew by %ld KiB", i, b.grew_kib);
        free(text);
    }
    free(flow);
    free(keys);
}
