/* qrread: the core's QR reader as a command, for benchmarks against `zbarimg --raw` while
 * the importer is not wired up, and to see which rung of the retry ladder a picture needs.
 *
 *   qrread [-v] FILE...
 *
 * Prints every payload of every file on stdout, one per line (raw bytes, like zbarimg --raw
 * -Sbinary). -v adds "FILE: N code(s), rung NAME, T ms" on stderr. Exit status 0 when every
 * file held a code, 1 otherwise (the message on stderr). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "otpvault/crypto.h"
#include "otpvault/qrscan.h"

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0, got;

    if (f == NULL)
        return NULL;
    do {
        if (n == cap) {
            cap = cap ? cap * 2 : 1 << 16;
            buf = realloc(buf, cap);
            if (buf == NULL)
                abort();
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    int verbose = 0, status = 0;

    ov_crypto_init();
    for (int i = 1; i < argc; i++) {
        struct ov_qr_list list;
        struct ov_error err = { 0 };
        struct timespec t0, t1;
        size_t len;
        uint8_t *data;

        if (strcmp(argv[i], "-v") == 0) {
            verbose = 1;
            continue;
        }
        data = read_all(argv[i], &len);
        if (data == NULL) {
            fprintf(stderr, "qrread: cannot read %s\n", argv[i]);
            status = 1;
            continue;
        }
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (ov_qr_scan_file_data(data, len, argv[i], &list, &err) != OV_OK) {
            fprintf(stderr, "qrread: %s\n", err.msg);
            status = 1;
        } else {
            clock_gettime(CLOCK_MONOTONIC, &t1);
            for (size_t k = 0; k < list.count; k++) {
                fwrite(list.codes[k].data, 1, list.codes[k].len, stdout);
                putchar('\n');
            }
            if (verbose)
                fprintf(stderr, "%s: %zu code(s), rung %s, %.1f ms\n", argv[i], list.count,
                        ov_qr_pass_name(list.pass),
                        (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
            ov_qr_list_free(&list);
        }
        free(data);
    }
    return status;
}
