/* Vault saves: previous generation, fresh nonces, outside changes, the writer lock, and
 * failed writes (file too large, full disk, read-only file system) that must leave the old
 * vault intact and no temp file behind. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <time.h>

#include "otpvault/vault_format.h"
#include "tests/lib/vault_helpers.h"

TestSuite(vault_save, .init = vt_setup, .fini = vt_teardown);

#define SKIP_NO_NAMESPACE 77

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void add_account(struct ov_vault *v, unsigned i)
{
    struct ov_account a;
    vt_make_account(&a, i);
    ov_account_list_push(&v->accounts, &a);
}

Test(vault_save, keeps_the_previous_generation)
{
    const char *path = vt_path("v.otpv"), *prev = vt_path("v.otpv.prev");
    struct ov_vault v, w;
    struct ov_error err = { 0 };
    uint8_t *first, *second;
    size_t first_len, second_len;
    struct stat st;

    vt_create_with(path, 0, &v);
    cr_assert_eq(access(prev, F_OK), -1, "a new vault has no previous generation");
    first = vt_read(path, &first_len);
    add_account(&v, 1);
    cr_assert_eq(ov_vault_save(&v, &err), 0, "%s", err.msg);
    cr_assert(vt_same_file(prev, first, first_len), "PATH.prev is not the previous file");
    second = vt_read(path, &second_len);
    add_account(&v, 2);
    cr_assert_eq(ov_vault_save(&v, &err), 0, "%s", err.msg);
    cr_assert(vt_same_file(prev, second, second_len));
    cr_assert_eq(stat(prev, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600);
    cr_assert_eq(v.generation, 3);

    /* PATH.prev is a complete vault one save behind. */
    cr_assert_eq(ov_vault_open(prev, PASS, PASS_LEN, &w, &err), 0, "%s", err.msg);
    cr_assert_eq(w.accounts.len, 1);
    cr_assert_eq(w.generation, 2);
    ov_vault_close(&w);
    cr_assert_eq(vt_count_temp_files(test_dir), 0);
    free(first);
    free(second);
    ov_vault_close(&v);
}

Test(vault_save, every_save_uses_a_fresh_nonce_and_keeps_the_salt)
{
    const char *path = vt_path("v.otpv");
    struct ov_vault v;
    struct ov_error err = { 0 };
    uint8_t *a, *b;
    size_t la, lb;

    vt_create_with(path, 1, &v);
    a = vt_read(path, &la);
    cr_assert_eq(ov_vault_save(&v, &err), 0, "%s", err.msg);
    b = vt_read(path, &lb);
    cr_assert_eq(la, lb);
    cr_assert_eq(memcmp(a + 24, b + 24, 16), 0, "salt changed without a passphrase change");
    cr_assert_neq(memcmp(a + 40, b + 40, 12), 0, "nonce reused");
    cr_assert_neq(memcmp(a + 64, b + 64, la - 64), 0);
    free(a);
    free(b);
    ov_vault_close(&v);
}

Test(vault_save, refuses_to_overwrite_a_vault_changed_on_disk)
{
    const char *path = vt_path("v.otpv");
    struct ov_vault a, b, c;
    struct ov_error err = { 0 };
    uint8_t *after_a;
    size_t len;

    vt_create_with(path, 2, &a);
    cr_assert_eq(ov_vault_open(path, PASS, PASS_LEN, &b, &err), 0, "%s", err.msg);
    add_account(&a, 10);
    cr_assert_eq(ov_vault_save(&a, &err), 0, "%s", err.msg);
    after_a = vt_read(path, &len);

    add_account(&b, 11);
    cr_assert_eq(ov_vault_save(&b, &err), OV_ERR_CONFLICT);
    cr_assert_eq(err.code, OV_ERR_CONFLICT);
    cr_assert(strstr(err.msg, path) != NULL, "%s", err.msg);
    cr_assert(strstr(err.msg, "changed on disk since it was opened; nothing was saved") !=
              NULL, "%s", err.msg);
    cr_assert(vt_same_file(path, after_a, len), "the conflicting save changed the file");
    cr_assert_eq(vt_count_temp_files(test_dir), 0);

    /* The first handle saw its own save and can keep saving. */
    add_account(&a, 12);
    cr_assert_eq(ov_vault_save(&a, &err), 0, "%s", err.msg);
    cr_assert_eq(ov_vault_open(path, PASS, PASS_LEN, &c, &err), 0, "%s", err.msg);
    cr_assert_eq(c.accounts.len, 4);
    ov_vault_close(&c);

    /* A vault removed behind our back is a conflict too, and is not recreated. */
    cr_assert_eq(unlink(path), 0);
    cr_assert_eq(ov_vault_save(&a, &err), OV_ERR_CONFLICT);
    cr_assert(strstr(err.msg, "removed") != NULL, "%s", err.msg);
    cr_assert_eq(access(path, F_OK), -1);
    free(after_a);
    ov_vault_close(&a);
    ov_vault_close(&b);
}

static int hold_lock(const char *vault_path)
{
    char lock[300];
    int fd;
    snprintf(lock, sizeof lock, "%s.lock", vault_path);
    fd = open(lock, O_RDWR | O_CREAT, 0600);
    cr_assert_geq(fd, 0);
    cr_assert_eq(flock(fd, LOCK_EX | LOCK_NB), 0);
    return fd;
}

Test(vault_save, second_writer_waits_then_reports_the_lock)
{
    const char *path = vt_path("v.otpv");
    struct ov_vault v, r;
    struct ov_error err = { 0 };
    uint8_t *before;
    size_t len;
    double t0, waited;
    int fd;

    vt_create_with(path, 1, &v);
    before = vt_read(path, &len);
    fd = hold_lock(path);
    ov_vault_set_lock_timeout_ms(300);
    add_account(&v, 5);
    t0 = now_s();
    cr_assert_eq(ov_vault_save(&v, &err), OV_ERR_LOCKED);
    waited = now_s() - t0;
    cr_assert_geq(waited, 0.28, "gave up after %.3f s", waited);
    cr_assert_lt(waited, 2.0, "waited %.3f s", waited);
    cr_assert(strstr(err.msg, path) != NULL, "%s", err.msg);
    cr_assert(strstr(err.msg, "nothing was saved") != NULL, "%s", err.msg);
    cr_assert(vt_same_file(path, before, len));
    cr_assert_eq(v.generation, 2);

    /* Readers never wait for the lock. */
    t0 = now_s();
    cr_assert_eq(ov_vault_open(path, PASS, PASS_LEN, &r, &err), 0, "%s", err.msg);
    cr_assert_lt(now_s() - t0, 0.25);
    ov_vault_close(&r);

    close(fd);
    cr_assert_eq(ov_vault_save(&v, &err), 0, "%s", err.msg);
    free(before);
    ov_vault_close(&v);
}

struct release_arg {
    int fd;
    unsigned ms;
};

static void *release_later(void *p)
{
    struct release_arg *a = p;
    struct timespec d = { 0, (long)a->ms * 1000000L };
    nanosleep(&d, NULL);
    close(a->fd);
    return NULL;
}

Test(vault_save, writer_gets_the_lock_once_it_is_released)
{
    const char *path = vt_path("v.otpv");
    struct ov_vault v, w;
    struct ov_error err = { 0 };
    struct release_arg arg;
    pthread_t t;
    double t0;

    vt_create_with(path, 1, &v);
    arg.fd = hold_lock(path);
    arg.ms = 200;
    ov_vault_set_lock_timeout_ms(5000);
    cr_assert_eq(pthread_create(&t, NULL, release_later, &arg), 0);
    add_account(&v, 7);
    t0 = now_s();
    cr_assert_eq(ov_vault_save(&v, &err), 0, "%s", err.msg);
    cr_assert_geq(now_s() - t0, 0.15, "did not wait for the lock");
    pthread_join(t, NULL);
    cr_assert_eq(ov_vault_open(path, PASS, PASS_LEN, &w, &err), 0, "%s", err.msg);
    cr_assert_eq(w.accounts.len, 2);
    ov_vault_close(&w);
    ov_vault_close(&v);
}

Test(vault_save, a_symlinked_vault_is_updated_at_its_target)
{
    const char *target = vt_path("real.otpv"), *link_path = vt_path("link.otpv");
    struct ov_vault v, w;
    struct ov_error err = { 0 };
    struct stat st;

    vt_create_with(target, 1, &v);
    ov_vault_close(&v);
    cr_assert_eq(symlink("real.otpv", link_path), 0);
    cr_assert_eq(ov_vault_open(link_path, PASS, PASS_LEN, &v, &err), 0, "%s", err.msg);
    add_account(&v, 3);
    cr_assert_eq(ov_vault_save(&v, &err), 0, "%s", err.msg);
    cr_assert_eq(lstat(link_path, &st), 0);
    cr_assert(S_ISLNK(st.st_mode), "the symlink was replaced by a file");
    cr_assert_eq(ov_vault_open(target, PASS, PASS_LEN, &w, &err), 0, "%s", err.msg);
    cr_assert_eq(w.accounts.len, 2);
    ov_vault_close(&w);
    ov_vault_close(&v);
}

Test(vault_save, invalid_accounts_are_not_written)
{
    const char *path = vt_path("v.otpv");
    struct ov_vault v;
    struct ov_error err = { 0 };
    uint8_t *before;
    size_t len;

    vt_create_with(path, 2, &v);
    before = vt_read(path, &len);
    v.accounts.items[1].digits = 0;
    cr_assert_eq(ov_vault_save(&v, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "account 2") != NULL, "%s", err.msg);
    cr_assert(vt_same_file(path, before, len));
    free(before);
    ov_vault_close(&v);
}

/* ---- failed writes, each in a child process ---- */

/* The child's checks after a save that must fail: status and message, old file intact,
 * in-memory state unchanged, no temp file. Returns 0 or a numbered failure. */
static int expect_failed_save(struct ov_vault *v, const char *path, const char *dir,
                              const char *reason, char *msg, size_t msg_size)
{
    struct ov_error err = { 0 };
    uint8_t *before;
    size_t len;
    uint64_t gen = v->generation;
    int rc;

    before = vt_try_read(path, &len);
    if (before == NULL)
        return 9;
    for (unsigned i = 0; i < 1000; i++)
        add_account(v, i); /* about 100 KB: more than the limits below */
    rc = ov_vault_save(v, &err);
    snprintf(msg, msg_size, "%s", err.msg);
    if (rc != OV_ERR_IO)
        return 10;
    if (strstr(err.msg, path) == NULL || strstr(err.msg, reason) == NULL)
        return 11;
    if (!vt_same_file(path, before, len))
        return 12;
    if (v->generation != gen)
        return 13;
    if (vt_count_temp_files(dir) != 0)
        return 14;
    free(before);
    ov_vault_close(v);
    return 0;
}

static int child_file_too_large(char *msg, size_t msg_size)
{
    const char *path = vt_path("v.otpv");
    struct rlimit lim = { 8192, 8192 };
    struct ov_error err = { 0 };
    struct ov_vault v;

    if (vt_try_create(path, 3, &v, &err) != 0) {
        snprintf(msg, msg_size, "%s", err.msg);
        return 5;
    }
    signal(SIGXFSZ, SIG_IGN); /* get EFBIG from write() instead of a signal */
    if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
        return 2;
    return expect_failed_save(&v, path, test_dir, strerror(EFBIG), msg, msg_size);
}

Test(vault_save, write_failure_leaves_the_old_vault_and_no_temp_file, .timeout = 30)
{
    char msg[512];
    int rc = vt_in_child(child_file_too_large, msg, sizeof msg);
    cr_assert_eq(rc, 0, "child check %d failed: %s", rc, msg);
    cr_assert(strstr(msg, "File too large") != NULL, "%s", msg);
}

/* A private mount namespace with a tmpfs of the given size on test_dir/fs. */
static int enter_tmpfs(const char *options)
{
    const char *mnt = vt_path("fs");
    if (mkdir(mnt, 0700) != 0)
        return 3;
    if (unshare(CLONE_NEWNS) != 0)
        return SKIP_NO_NAMESPACE;
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
        mount("tmpfs", mnt, "tmpfs", 0, options) != 0)
        return SKIP_NO_NAMESPACE;
    return 0;
}

static int child_disk_full(char *msg, size_t msg_size)
{
    const char *path = vt_path("fs/v.otpv"), *dir = vt_path("fs");
    struct ov_error err = { 0 };
    struct ov_vault v;
    int rc = enter_tmpfs("size=64k,mode=0700");

    if (rc != 0)
        return rc;
    if (vt_try_create(path, 3, &v, &err) != 0) {
        snprintf(msg, msg_size, "%s", err.msg);
        return 5;
    }
    return expect_failed_save(&v, path, dir, strerror(ENOSPC), msg, msg_size);
}

static int child_read_only(char *msg, size_t msg_size)
{
    const char *path = vt_path("fs/v.otpv"), *dir = vt_path("fs");
    struct ov_error err = { 0 };
    struct ov_vault v;
    int rc = enter_tmpfs("size=1m,mode=0700");

    if (rc != 0)
        return rc;
    if (vt_try_create(path, 3, &v, &err) != 0) {
        snprintf(msg, msg_size, "%s", err.msg);
        return 5;
    }
    if (mount(NULL, dir, NULL, MS_REMOUNT | MS_RDONLY, NULL) != 0)
        return 4;
    return expect_failed_save(&v, path, dir, strerror(EROFS), msg, msg_size);
}

Test(vault_save, full_disk_leaves_the_old_vault_and_no_temp_file, .timeout = 30)
{
    char msg[512];
    int rc = vt_in_child(child_disk_full, msg, sizeof msg);
    if (rc == SKIP_NO_NAMESPACE) {
        vt_teardown();
        cr_skip_test("cannot mount a small tmpfs in a private mount namespace (needs "
                     "CAP_SYS_ADMIN); the RLIMIT_FSIZE test covers write failures");
    }
    cr_assert_eq(rc, 0, "child check %d failed: %s", rc, msg);
}

Test(vault_save, read_only_file_system_leaves_the_old_vault, .timeout = 30)
{
    char msg[512];
    int rc = vt_in_child(child_read_only, msg, sizeof msg);
    if (rc == SKIP_NO_NAMESPACE) {
        vt_teardown();
        cr_skip_test("cannot mount a tmpfs in a private mount namespace (needs "
                     "CAP_SYS_ADMIN); the RLIMIT_FSIZE test covers write failures");
    }
    cr_assert_eq(rc, 0, "child check %d failed: %s", rc, msg);
    cr_assert(strstr(msg, "temporary file") != NULL, "%s", msg);
}

/* Without root, a directory we may not write is the everyday case of a failed save. */
Test(vault_save, unwritable_directory_leaves_the_old_vault)
{
    const char *path = vt_path("d/v.otpv");
    struct ov_vault v;
    struct ov_error err = { 0 };
    uint8_t *before;
    size_t len;

    if (geteuid() == 0) {
        vt_teardown(); /* a skipped test does not run .fini */
        cr_skip_test("running as root, which ignores directory permissions; the "
                     "read-only file system test covers this case");
    }
    vt_create_with(path, 1, &v);
    before = vt_read(path, &len);
    cr_assert_eq(chmod(vt_path("d"), 0500), 0);
    add_account(&v, 9);
    cr_assert_eq(ov_vault_save(&v, &err), OV_ERR_IO);
    cr_assert(strstr(err.msg, path) != NULL, "%s", err.msg);
    cr_assert(vt_same_file(path, before, len));
    chmod(vt_path("d"), 0700);
    free(before);
    ov_vault_close(&v);
}

/* A read-modify-write: the second handle saw the vault before the first one's save; under
 * the writer lock it reads the vault again and applies its change on top, losing nothing. */
Test(vault_save, begin_write_reloads_what_another_writer_saved)
{
    const char *path = vt_path("v.otpv");
    struct ov_vault a, b, check;
    struct ov_error err = { 0 };
    bool reloaded = true;

    vt_create_with(path, 1, &a);
    cr_assert_eq(ov_vault_open(path, PASS, PASS_LEN, &b, &err), 0, "%s", err.msg);
    /* Nothing changed yet: no reload. */
    cr_assert_eq(ov_vault_begin_write(&a, 1000, &reloaded, &err), 0, "%s", err.msg);
    cr_assert(!reloaded);
    add_account(&a, 2);
    cr_assert_eq(ov_vault_save(&a, &err), 0, "%s", err.msg);
    ov_vault_end_write(&a);

    cr_assert_eq(ov_vault_begin_write(&b, 1000, &reloaded, &err), 0, "%s", err.msg);
    cr_assert(reloaded, "b must read the vault a saved");
    cr_assert_eq(b.accounts.len, 2);
    add_account(&b, 3);
    cr_assert_eq(ov_vault_save(&b, &err), 0, "%s", err.msg);
    ov_vault_end_write(&b);

    cr_assert_eq(ov_vault_open(path, PASS, PASS_LEN, &check, &err), 0, "%s", err.msg);
    cr_assert_eq(check.accounts.len, 3, "an update was lost: %zu accounts", check.accounts.len);
    ov_vault_close(&check);
    ov_vault_close(&a);
    ov_vault_close(&b);
}

/* While one handle holds the writer lock, another's save waits and then gives up; once the
 * holder ends its write (or closes), the lock is free again. */
Test(vault_save, begin_write_holds_the_lock_until_the_end)
{
    const char *path = vt_path("v.otpv");
    struct ov_vault a, b;
    struct ov_error err = { 0 };
    bool reloaded;

    vt_create_with(path, 1, &a);
    cr_assert_eq(ov_vault_open(path, PASS, PASS_LEN, &b, &err), 0, "%s", err.msg);
    cr_assert_eq(ov_vault_begin_write(&a, 1000, &reloaded, &err), 0, "%s", err.msg);
    ov_vault_set_lock_timeout_ms(200);
    add_account(&b, 4);
    cr_assert_eq(ov_vault_save(&b, &err), OV_ERR_LOCKED);
    cr_assert_eq(ov_vault_begin_write(&b, 200, &reloaded, &err), OV_ERR_LOCKED);
    cr_assert(strstr(err.msg, path) != NULL, "%s", err.msg);
    /* Saves inside the write do not release it. */
    add_account(&a, 5);
    cr_assert_eq(ov_vault_save(&a, &err), 0, "%s", err.msg);
    cr_assert_eq(ov_vault_begin_write(&b, 200, &reloaded, &err), OV_ERR_LOCKED);
    ov_vault_close(&a); /* releases */
    cr_assert_eq(ov_vault_begin_write(&b, 1000, &reloaded, &err), 0, "%s", err.msg);
    cr_assert(reloaded);
    cr_assert_eq(b.accounts.len, 2, "b's unsaved account is replaced by the file's state");
    ov_vault_close(&b);
}

/* A passphrase changed elsewhere: the kept key no longer opens it, and nothing is held. */
Test(vault_save, begin_write_after_a_passphrase_change_elsewhere_asks_again)
{
    const char *path = vt_path("v.otpv");
    struct ov_vault a, b;
    struct ov_error err = { 0 };
    bool reloaded;

    vt_create_with(path, 1, &a);
    cr_assert_eq(ov_vault_open(path, PASS, PASS_LEN, &b, &err), 0, "%s", err.msg);
    cr_assert_eq(ov_vault_change_passphrase(&a, "other", 5, &small_kdf, &err), 0, "%s",
                 err.msg);
    cr_assert_eq(ov_vault_begin_write(&b, 1000, &reloaded, &err), OV_ERR_AUTH);
    cr_assert(strstr(err.msg, "changed elsewhere") != NULL, "%s", err.msg);
    cr_assert(!b.write_locked);
    /* The lock was let go: a is not blocked. */
    ov_vault_set_lock_timeout_ms(200);
    cr_assert_eq(ov_vault_save(&a, &err), 0, "%s", err.msg);
    ov_vault_close(&a);
    ov_vault_close(&b);
}
