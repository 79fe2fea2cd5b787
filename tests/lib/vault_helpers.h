/* Shared by the vault test suites: a private temp directory per test, small KDF parameters,
 * sample accounts, and whole-file helpers. Everything is static inline so each suite can use
 * what it needs. */
#ifndef OTPVAULT_TESTS_VAULT_HELPERS_H
#define OTPVAULT_TESTS_VAULT_HELPERS_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "otpvault/account.h"
#include "otpvault/crypto.h"
#include "otpvault/mem.h"
#include "otpvault/vault.h"

/* Fast enough for hundreds of unlocks per test. */
static const struct ov_kdf_params small_kdf = { 1024, 1, 2 };
#define PASS "correct horse battery staple"
#define PASS_LEN (sizeof PASS - 1)

/* Criterion runs each test in its own process, so one directory per process is enough. */
static char test_dir[64];

static inline int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(path);
}

static inline void vt_setup(void)
{
    cr_assert_eq(ov_crypto_init(), 0);
    snprintf(test_dir, sizeof test_dir, "/tmp/otpvault-test.XXXXXX");
    cr_assert_not_null(mkdtemp(test_dir));
}

static inline void vt_teardown(void)
{
    ov_vault_set_lock_timeout_ms(OV_VAULT_LOCK_TIMEOUT_MS);
    if (test_dir[0] != '\0')
        nftw(test_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A path inside the test directory; returns a static buffer (one of four, rotating). */
static inline const char *vt_path(const char *name)
{
    static char bufs[4][256];
    static int next;
    char *b = bufs[next++ % 4];
    snprintf(b, sizeof bufs[0], "%s/%s", test_dir, name);
    return b;
}

/* The vt_try_* helpers never assert: they are safe in forked children, where a failing
 * Criterion assertion would not reach the runner. */
static inline uint8_t *vt_try_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;
    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    buf = malloc((size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static inline bool vt_try_write(const char *path, const uint8_t *buf, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return false;
    bool ok = fwrite(buf, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

static inline uint8_t *vt_read(const char *path, size_t *len)
{
    uint8_t *buf = vt_try_read(path, len);
    cr_assert_not_null(buf, "cannot read %s", path);
    return buf;
}

static inline void vt_write(const char *path, const uint8_t *buf, size_t len)
{
    cr_assert(vt_try_write(path, buf, len), "cannot write %s", path);
}

/* False also when path cannot be read. */
static inline bool vt_same_file(const char *path, const uint8_t *buf, size_t len)
{
    size_t n = 0;
    uint8_t *cur = vt_try_read(path, &n);
    bool same = cur != NULL && n == len && memcmp(cur, buf, len) == 0;
    free(cur);
    return same;
}

/* Files in dir whose name contains ".tmp": leftovers of a failed save (-1: no dir). */
static inline int vt_count_temp_files(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL)
        if (strstr(e->d_name, ".tmp") != NULL)
            n++;
    closedir(d);
    return n;
}

/* A distinct, valid account; i selects the type so every kind is covered. */
static inline void vt_make_account(struct ov_account *a, unsigned i)
{
    uint8_t secret[20];
    char buf[64];

    ov_account_init(a);
    for (size_t k = 0; k < sizeof secret; k++)
        secret[k] = (uint8_t)(i * 31 + k);
    ov_account_set_secret(a, secret, sizeof secret);
    snprintf(buf, sizeof buf, "Issuer %u", i);
    ov_account_set_text(&a->issuer, buf);
    snprintf(buf, sizeof buf, "user%u@example.com", i);
    ov_account_set_text(&a->name, buf);
    a->created = 1700000000 + (int64_t)i;
    a->last_used = i % 2 ? 0 : 1710000000 + (int64_t)i;
    switch (i % 5) {
    case 1:
        a->type = OV_HOTP;
        a->counter = ((uint64_t)1 << 40) + i;
        a->period = 30;
        break;
    case 2:
        a->type = OV_STEAM;
        a->digits = 5;
        break;
    case 3:
        a->type = OV_MOTP;
        a->algo = OV_MD5;
        a->pin = ov_secure_strdup("1234");
        a->period = 10;
        break;
    case 4:
        a->algo = OV_SHA512;
        a->digits = 8;
        a->period = 60;
        ov_account_set_text(&a->group, "work");
        ov_account_set_text(&a->note, "backup codes in the safe");
        break;
    default:
        break;
    }
}

static inline bool vt_str_eq(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static inline void vt_assert_account_eq(const struct ov_account *a, const struct ov_account *b)
{
    cr_assert_eq(a->type, b->type);
    cr_assert_eq(a->algo, b->algo);
    cr_assert_str_eq(a->issuer, b->issuer);
    cr_assert_str_eq(a->name, b->name);
    cr_assert_eq(a->secret_len, b->secret_len);
    cr_assert_eq(memcmp(a->secret, b->secret, a->secret_len), 0);
    cr_assert(vt_str_eq(a->pin, b->pin), "pin differs");
    cr_assert_eq(a->digits, b->digits);
    cr_assert_eq(a->period, b->period);
    cr_assert_eq(a->counter, b->counter);
    cr_assert(vt_str_eq(a->group, b->group), "group differs: %s / %s",
              a->group ? a->group : "(null)", b->group ? b->group : "(null)");
    cr_assert(vt_str_eq(a->note, b->note), "note differs");
    cr_assert_eq(a->created, b->created);
    cr_assert_eq(a->last_used, b->last_used);
}

static inline void vt_assert_lists_eq(const struct ov_account_list *a,
                                      const struct ov_account_list *b)
{
    cr_assert_eq(a->len, b->len);
    for (size_t i = 0; i < a->len; i++)
        vt_assert_account_eq(&a->items[i], &b->items[i]);
}

/* Creates a vault with n sample accounts (saved) and leaves it open in *v. */
static inline int vt_try_create(const char *path, unsigned n, struct ov_vault *v,
                                struct ov_error *err)
{
    int rc = ov_vault_create(path, PASS, PASS_LEN, &small_kdf, v, err);
    if (rc != 0)
        return rc;
    for (unsigned i = 0; i < n; i++) {
        struct ov_account a;
        vt_make_account(&a, i);
        ov_account_list_push(&v->accounts, &a);
    }
    return n > 0 ? ov_vault_save(v, err) : 0;
}

static inline void vt_create_with(const char *path, unsigned n, struct ov_vault *v)
{
    struct ov_error err = { 0 };
    cr_assert_eq(vt_try_create(path, n, v, &err), 0, "%s", err.msg);
}

/* Runs fn in a forked child (for rlimits, mount namespaces and identities that must not leak
 * into the test process). fn must only use vt_try_* helpers, no assertions. The child's
 * message comes back in msg; the result is its exit status. */
static inline int vt_in_child(int (*fn)(char *msg, size_t msg_size), char *msg,
                              size_t msg_size)
{
    int fds[2];
    pid_t pid;
    int status;
    ssize_t n;

    cr_assert_eq(pipe(fds), 0);
    pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        char buf[512] = "";
        int rc;
        close(fds[0]);
        rc = fn(buf, sizeof buf);
        if (write(fds[1], buf, strlen(buf)) < 0)
            rc = 99;
        _exit(rc);
    }
    close(fds[1]);
    n = read(fds[0], msg, msg_size - 1);
    msg[n > 0 ? n : 0] = '\0';
    close(fds[0]);
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status), "child died (status %d)", status);
    return WEXITSTATUS(status);
}

#endif
