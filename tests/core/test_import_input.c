/* Reading import inputs: whole files into memory under the size rule, errors that name the
 * input, standard input for "-". */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "otpvault/crypto.h"
#include "otpvault/import_input.h"
#include "otpvault/mem.h"

static char dir[64];

static void setup(void)
{
    cr_assert_eq(ov_crypto_init(), 0);
    snprintf(dir, sizeof dir, "/tmp/otpvault-input.XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(import_input, .init = setup, .fini = teardown);

/* dir/name holding n bytes of a pattern; returns the path (static). */
static const char *make_file(const char *name, size_t n)
{
    static char path[256];
    uint8_t *buf = ov_xmalloc(n + 1);
    FILE *f;

    for (size_t i = 0; i < n; i++)
        buf[i] = (uint8_t)(i * 7 + 3);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(buf, 1, n, f), n);
    fclose(f);
    free(buf);
    return path;
}

static void check_pattern(const struct ov_blob *b, size_t n)
{
    cr_assert_eq(b->len, n);
    for (size_t i = 0; i < n; i++)
        if (b->data[i] != (uint8_t)(i * 7 + 3))
            cr_assert_fail("byte %zu differs", i);
}

Test(import_input, small_and_large_files_read_whole)
{
    struct ov_error err = { 0 };
    struct ov_blob b;
    /* Past the read chunk; then past the secure-memory bound (a picture, in the heap). */
    size_t sizes[] = { 0, 10, 200 * 1024 + 5, OV_IMPORT_SECURE_MAX,
                       OV_IMPORT_SECURE_MAX + 1 };

    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        const char *path = make_file("in.bin", sizes[k]);
        cr_assert_eq(ov_import_input_read(path, "shown name", &b, &err), OV_OK, "%s",
                     err.msg);
        cr_assert_str_eq(b.name, "shown name");
        cr_assert_not_null(b.data);
        check_pattern(&b, sizes[k]);
        ov_import_input_free(&b);
        cr_assert_null(b.data);
        ov_import_input_free(&b);   /* twice is harmless */
    }
}

Test(import_input, errors_start_with_the_name)
{
    struct ov_error err = { 0 };
    struct ov_blob b;
    char path[128];

    snprintf(path, sizeof path, "%s/missing.png", dir);
    cr_assert_eq(ov_import_input_read(path, "missing.png", &b, &err), OV_ERR_NOT_FOUND);
    cr_assert_str_eq(err.msg, "missing.png: No such file or directory");
    cr_assert_null(b.data);
    cr_assert_eq(ov_import_input_read(dir, "the dir", &b, &err), OV_ERR_IO);
    cr_assert_str_eq(err.msg, "the dir: is a directory");
    cr_assert_null(b.data);
    if (geteuid() != 0) {   /* root reads anything */
        const char *p = make_file("locked.txt", 4);
        chmod(p, 0);
        cr_assert_eq(ov_import_input_read(p, "locked.txt", &b, &err), OV_ERR_IO);
        cr_assert_str_eq(err.msg, "locked.txt: Permission denied");
    }
}

Test(import_input, dash_reads_standard_input)
{
    struct ov_error err = { 0 };
    struct ov_blob b;
    int fds[2];

    /* Criterion runs each test in its own process: replacing stdin is private to it. */
    cr_assert_eq(pipe(fds), 0);
    cr_assert_eq(write(fds[1], "otpauth://x\n", 12), 12);
    close(fds[1]);
    cr_assert_geq(dup2(fds[0], STDIN_FILENO), 0);
    close(fds[0]);
    cr_assert_eq(ov_import_input_read("-", "-", &b, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(b.len, 12);
    cr_assert(memcmp(b.data, "otpauth://x\n", 12) == 0);
    ov_import_input_free(&b);
}
