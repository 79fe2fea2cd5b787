/* Durable file helpers: atomic replacement with a kept previous version, bounded reads,
 * locks, private parent directories. */
#include <errno.h>
#include <sys/file.h>

#include "otpvault/atomic_file.h"
#include "tests/lib/vault_helpers.h"

TestSuite(atomic_file, .init = vt_setup, .fini = vt_teardown);

Test(atomic_file, replace_writes_private_files_and_keeps_the_previous_one)
{
    const char *path = vt_path("f"), *prev = vt_path("f.prev");
    struct ov_error err = { 0 };
    struct stat st_old, st_prev, st;
    bool committed = false;

    cr_assert_eq(ov_atomic_replace(path, "one", 3, prev, &committed, &err), 0, "%s", err.msg);
    cr_assert(committed);
    cr_assert_eq(access(prev, F_OK), -1, "nothing to keep the first time");
    cr_assert(vt_same_file(path, (const uint8_t *)"one", 3));
    cr_assert_eq(stat(path, &st_old), 0);
    cr_assert_eq(st_old.st_mode & 0777, 0600);

    cr_assert_eq(ov_atomic_replace(path, "two!", 4, prev, &committed, &err), 0, "%s",
                 err.msg);
    cr_assert(vt_same_file(path, (const uint8_t *)"two!", 4));
    cr_assert(vt_same_file(prev, (const uint8_t *)"one", 3));
    cr_assert_eq(stat(prev, &st_prev), 0);
    cr_assert_eq(st_prev.st_ino, st_old.st_ino, "prev should be the old inode (hard link)");
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_nlink, 1);

    cr_assert_eq(ov_atomic_replace(path, "", 0, NULL, NULL, &err), 0, "%s", err.msg);
    cr_assert(vt_same_file(path, (const uint8_t *)"", 0));
    cr_assert(vt_same_file(prev, (const uint8_t *)"one", 3), "prev_path NULL keeps nothing");
    cr_assert_eq(vt_count_temp_files(test_dir), 0);
}

Test(atomic_file, replace_in_a_missing_directory_fails_cleanly)
{
    const char *path = vt_path("no/such/dir/f");
    struct ov_error err = { 0 };
    bool committed = true;

    cr_assert_eq(ov_atomic_replace(path, "x", 1, NULL, &committed, &err), OV_ERR_IO);
    cr_assert_not(committed);
    cr_assert(strstr(err.msg, path) != NULL, "%s", err.msg);
    cr_assert(strstr(err.msg, "No such file or directory") != NULL, "%s", err.msg);
}

Test(atomic_file, read_is_bounded)
{
    const char *path = vt_path("f");
    struct ov_error err = { 0 };
    uint8_t *buf;
    size_t len;

    vt_write(path, (const uint8_t *)"0123456789", 10);
    cr_assert_eq(ov_file_read(path, 10, &buf, &len, &err), 0, "%s", err.msg);
    cr_assert_eq(len, 10);
    cr_assert_eq(memcmp(buf, "0123456789", 10), 0);
    free(buf);
    cr_assert_eq(ov_file_read(path, 9, &buf, &len, &err), OV_ERR_LIMIT);
    cr_assert_eq(ov_file_read(vt_path("missing"), 9, &buf, &len, &err), OV_ERR_NOT_FOUND);
    cr_assert(strstr(err.msg, "missing") != NULL, "%s", err.msg);
    cr_assert_eq(ov_file_read(test_dir, 9, &buf, &len, &err), OV_ERR_IO);
    cr_assert(strstr(err.msg, "not a regular file") != NULL, "%s", err.msg);
    vt_write(path, (const uint8_t *)"", 0);
    cr_assert_eq(ov_file_read(path, 9, &buf, &len, &err), 0, "%s", err.msg);
    cr_assert_eq(len, 0);
    free(buf);
}

Test(atomic_file, lock_excludes_a_second_writer_until_released)
{
    const char *lock = vt_path("f.lock");
    struct ov_error err = { 0 };
    struct stat st;
    int a, b;

    cr_assert_eq(ov_lock_acquire(lock, 0, &a, &err), 0, "%s", err.msg);
    cr_assert_eq(stat(lock, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600);
    cr_assert_eq(ov_lock_acquire(lock, 100, &b, &err), OV_ERR_LOCKED);
    cr_assert(strstr(err.msg, lock) != NULL, "%s", err.msg);
    ov_lock_release(a);
    cr_assert_eq(ov_lock_acquire(lock, 0, &b, &err), 0, "%s", err.msg);
    ov_lock_release(b);
    cr_assert_eq(access(lock, F_OK), 0, "the lock file stays");
}

Test(atomic_file, mkdir_parents_creates_private_directories_only_where_missing)
{
    struct ov_error err = { 0 };
    struct stat st;

    cr_assert_eq(chmod(test_dir, 0755), 0);
    cr_assert_eq(ov_mkdir_parents(vt_path("x/y/z/file"), &err), 0, "%s", err.msg);
    cr_assert_eq(stat(vt_path("x/y/z"), &st), 0);
    cr_assert(S_ISDIR(st.st_mode));
    cr_assert_eq(st.st_mode & 0777, 0700);
    cr_assert_eq(access(vt_path("x/y/z/file"), F_OK), -1, "the file itself is not created");
    cr_assert_eq(stat(test_dir, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0755, "existing directories are left alone");
    cr_assert_eq(ov_mkdir_parents("bare-name", &err), 0, "%s", err.msg);
    vt_write(vt_path("plain"), (const uint8_t *)"x", 1);
    cr_assert_eq(ov_mkdir_parents(vt_path("plain/sub/file"), &err), OV_ERR_IO);
    cr_assert(strstr(err.msg, "plain") != NULL, "%s", err.msg);
}

#define SKIP_CANNOT_SIMULATE 77

/* link() refuses with EPERM when protected_hardlinks is on and we may not write the file:
 * a way to reach the copy fallback that file systems without hard links (FAT, some network
 * mounts) take. */
static int child_replace_without_links(char *msg, size_t msg_size)
{
    const char *path = vt_path("f"), *prev = vt_path("f.prev");
    struct ov_error err = { 0 };
    FILE *f = fopen("/proc/sys/fs/protected_hardlinks", "r");
    int on = 0;

    if (f == NULL || fscanf(f, "%d", &on) != 1 || on != 1 || geteuid() != 0) {
        if (f != NULL)
            fclose(f);
        return SKIP_CANNOT_SIMULATE;
    }
    fclose(f);
    if (!vt_try_write(path, (const uint8_t *)"old", 3))
        return 7;
    if (chmod(path, 0644) != 0 || chown(test_dir, 65534, 65534) != 0 ||
        setgid(65534) != 0 || setuid(65534) != 0)
        return 2;
    if (link(path, vt_path("probe")) == 0 || errno != EPERM)
        return SKIP_CANNOT_SIMULATE;
    if (ov_atomic_replace(path, "new", 3, prev, NULL, &err) != 0) {
        snprintf(msg, msg_size, "%s", err.msg);
        return 3;
    }
    if (!vt_same_file(path, (const uint8_t *)"new", 3))
        return 4;
    if (!vt_same_file(prev, (const uint8_t *)"old", 3))
        return 5;
    return vt_count_temp_files(test_dir) == 0 ? 0 : 6;
}

Test(atomic_file, previous_version_is_copied_where_links_are_refused, .timeout = 30)
{
    char msg[512];
    struct stat st;
    int rc = vt_in_child(child_replace_without_links, msg, sizeof msg);

    if (rc == SKIP_CANNOT_SIMULATE) {
        vt_teardown();
        cr_skip_test("needs root and fs.protected_hardlinks=1 to make link() fail");
    }
    cr_assert_eq(rc, 0, "child check %d failed: %s", rc, msg);
    cr_assert_eq(stat(vt_path("f.prev"), &st), 0);
    cr_assert_eq(st.st_nlink, 1, "prev should be a copy, not a link");
    cr_assert_eq(st.st_mode & 0777, 0600);
}
