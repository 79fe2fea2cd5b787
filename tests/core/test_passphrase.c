/* Passphrase files and the strength hint. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "otpvault/crypto.h"
#include "otpvault/mem.h"
#include "otpvault/passphrase.h"

static char path[] = "/tmp/otpvault-pass-XXXXXX";

static void setup(void)
{
    int fd;
    cr_assert_eq(ov_crypto_init(), 0);
    fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
}

static void teardown(void)
{
    unlink(path);
}

TestSuite(passphrase, .init = setup, .fini = teardown);

static void put(const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

Test(passphrase, first_line_only)
{
    struct ov_error err = { 0 };
    char *p;
    put("correct horse\r\nsecond line\n");
    cr_assert_eq(ov_passphrase_read_file(path, &p, &err), OV_OK, "%s", err.msg);
    cr_assert_str_eq(p, "correct horse");
    ov_secure_free_str(p);
}

Test(passphrase, errors_name_the_file)
{
    struct ov_error err = { 0 };
    char *p, big[OV_PASSPHRASE_MAX + 10];
    put("");
    cr_assert_eq(ov_passphrase_read_file(path, &p, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, path) != NULL && strstr(err.msg, "empty") != NULL, "%s", err.msg);
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    put(big);
    cr_assert_eq(ov_passphrase_read_file(path, &p, &err), OV_ERR_LIMIT);
    cr_assert_null(p);
    cr_assert_eq(ov_passphrase_read_file("/nonexistent/pass", &p, &err), OV_ERR_IO);
    cr_assert(strstr(err.msg, "/nonexistent/pass") != NULL);
}

Test(passphrase, strength_hint)
{
    const char *hint;
    cr_assert_eq(ov_passphrase_strength("", &hint), OV_STRENGTH_WEAK);
    cr_assert_eq(ov_passphrase_strength("hunter2", &hint), OV_STRENGTH_WEAK);
    cr_assert(strstr(hint, "10 or more") != NULL);
    cr_assert_eq(ov_passphrase_strength("abcdefghij", &hint), OV_STRENGTH_WEAK);
    cr_assert_eq(ov_passphrase_strength("abcdefghijklm", &hint), OV_STRENGTH_FAIR);
    cr_assert_eq(ov_passphrase_strength("Tr0ub4dor&3", &hint), OV_STRENGTH_GOOD);
    cr_assert_eq(ov_passphrase_strength("correct horse battery staple", &hint),
                 OV_STRENGTH_STRONG);
    cr_assert_str_eq(hint, "strong");
}
