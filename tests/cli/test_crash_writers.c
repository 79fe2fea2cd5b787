/* Crash safety of the command line with other writers and a full disk, end to end with the
 * real binary: concurrent writers queue for the lock and every one lands (10 and 50 adds; adds
 * with an edit and a removal), a writer waits for the lock, and a full file system during an add leaves the
 * old vault, a clear message and nothing else. The library-level versions of these are in
 * test_vault_save.c. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/lib/cli_run.h"
#include "otpvault/crypto.h"
#include "otpvault/vault.h"
#include "tests/lib/vault_helpers.h"

#define CLI_PASS "correct horse"
#define WRITERS 20

static struct cli_env env;

static void setup(void)
{
    cr_assert_eq(ov_crypto_init(), 0);
    cli_env_setup(&env);
}

static void teardown(void)
{
    cli_env_teardown(&env);
}

TestSuite(writers, .init = setup, .fini = teardown, .timeout = 120);

static const char *const add_args[] = { "add", "--uri", "-", NULL };

static void open_vault(const char *path, struct ov_vault *v)
{
    struct ov_error err = { 0 };
    cr_assert_eq(ov_vault_open(path, CLI_PASS, strlen(CLI_PASS), v, &err), OV_OK, "%s",
                 err.msg);
}

static bool has_issuer(const struct ov_vault *v, const char *issuer)
{
    for (size_t i = 0; i < v->accounts.len; i++)
        if (strcmp(v->accounts.items[i].issuer, issuer) == 0)
            return true;
    return false;
}

/* n adds at once: each queues for the writer lock, reads the vault as it is then, and
 * saves, so every one of them lands (none refused "changed on disk"). */
static void concurrent_adds_all_land(int n)
{
    pid_t *pids = calloc((size_t)n, sizeof *pids);
    char (*errs)[400] = calloc((size_t)n, sizeof *errs);
    struct ov_vault v;

    cr_assert(pids != NULL && errs != NULL);
    cli_init_vault(&env);
    cli_add_uris(&env, "otpauth://totp/Before:x?secret=JBSWY3DPEHPK3PXP&issuer=Before\n");
    for (int i = 0; i < n; i++) {
        char uri[128];
        snprintf(uri, sizeof uri, "otpauth://totp/W%02d:x?secret=JBSWY3DPEHPK3PXP&issuer=W%02d\n",
                 i, i);
        snprintf(errs[i], sizeof errs[i], "%s/err.%d", env.dir, i);
        pids[i] = cli_spawn(&env, uri, add_args, errs[i], 0);
    }
    for (int i = 0; i < n; i++) {
        int status = cli_wait(pids[i]);
        char *msg = read_file(errs[i], NULL);
        cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "writer %d of %d did not land (status %d): %s", i, n, status, msg);
        free(msg);
    }
    open_vault(env.vault, &v);
    cr_assert_eq(v.accounts.len, 1 + (size_t)n, "%zu accounts after %d adds", v.accounts.len, n);
    cr_assert(has_issuer(&v, "Before"), "the account from before was lost");
    for (int i = 0; i < n; i++) {
        char issuer[16];
        snprintf(issuer, sizeof issuer, "W%02d", i);
        cr_assert(has_issuer(&v, issuer), "%s reported success, yet it is not in the vault",
                  issuer);
    }
    ov_vault_close(&v);
    cr_assert_eq(vt_count_temp_files(env.dir), 0);
    free(pids);
    free(errs);
}

Test(writers, ten_concurrent_adds_all_land)
{
    concurrent_adds_all_land(10);
}

Test(writers, fifty_concurrent_adds_all_land)
{
    concurrent_adds_all_land(50);
}

/* Adds, an edit and a removal at once: each applies to the vault as the one before left it. */
Test(writers, concurrent_add_edit_and_remove_all_land)
{
    static const char *const edit_args[] = { "edit", "Keep", "--group", "work", NULL };
    static const char *const rm_args[] = { "rm", "Gone", "--yes", NULL };
    pid_t pids[WRITERS + 2];
    struct ov_vault v;

    cli_init_vault(&env);
    cli_add_uris(&env, "otpauth://totp/Keep:x?secret=JBSWY3DPEHPK3PXP&issuer=Keep\n"
                       "otpauth://totp/Gone:x?secret=JBSWY3DPEHPK3PXQ&issuer=Gone\n");
    for (int i = 0; i < WRITERS; i++) {
        char uri[128];
        snprintf(uri, sizeof uri, "otpauth://totp/W%02d:x?secret=JBSWY3DPEHPK3PXP&issuer=W%02d\n",
                 i, i);
        pids[i] = cli_spawn(&env, uri, add_args, NULL, 0);
        if (i == WRITERS / 3)
            pids[WRITERS] = cli_spawn(&env, NULL, edit_args, NULL, 0);
        if (i == WRITERS / 2)
            pids[WRITERS + 1] = cli_spawn(&env, NULL, rm_args, NULL, 0);
    }
    for (int i = 0; i < WRITERS + 2; i++) {
        int status = cli_wait(pids[i]);
        cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer %d: status %d", i,
                  status);
    }
    open_vault(env.vault, &v);
    cr_assert_eq(v.accounts.len, 1 + (size_t)WRITERS, "%zu accounts", v.accounts.len);
    cr_assert(!has_issuer(&v, "Gone"), "the removal was lost");
    for (size_t i = 0; i < v.accounts.len; i++)
        if (strcmp(v.accounts.items[i].issuer, "Keep") == 0)
            cr_assert(v.accounts.items[i].group != NULL &&
                      strcmp(v.accounts.items[i].group, "work") == 0, "the edit was lost");
    ov_vault_close(&v);
}

Test(writers, an_add_waits_for_the_writer_lock)
{
    char lock[400];
    long long t0, waited;
    struct ov_vault v;
    int fd, status;
    pid_t pid;

    cli_init_vault(&env);
    snprintf(lock, sizeof lock, "%s.lock", env.vault);
    /* Close-on-exec: an inherited copy would make the add itself hold the lock. */
    fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    cr_assert_geq(fd, 0);
    cr_assert_eq(flock(fd, LOCK_EX), 0);
    t0 = cli_now_us();
    pid = cli_spawn(&env, "otpauth://totp/Late:x?secret=JBSWY3DPEHPK3PXP\n", add_args, NULL, 0);
    usleep(400000);
    close(fd); /* releases the lock: the waiting add goes on */
    status = cli_wait(pid);
    waited = cli_now_us() - t0;
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the add did not wait (%d)",
              status);
    cr_assert_geq(waited, 400000, "finished after %lld us, while the lock was held", waited);
    open_vault(env.vault, &v);
    cr_assert_eq(v.accounts.len, 1);
    ov_vault_close(&v);
}

/* A private mount namespace with a small tmpfs at dir (this test's process only). */
static bool small_tmpfs(const char *dir)
{
    return mkdir(dir, 0700) == 0 && unshare(CLONE_NEWNS) == 0 &&
           mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
           mount("tmpfs", dir, "tmpfs", 0, "size=256k,mode=0700") == 0;
}

/* Writes until the file system is full, down to the last byte. */
static void fill(const char *path)
{
    static char block[4096];
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    size_t chunk = sizeof block;

    cr_assert_geq(fd, 0);
    while (chunk > 0) {
        if (write(fd, block, chunk) < 0) {
            cr_assert_eq(errno, ENOSPC, "%s", strerror(errno));
            chunk /= 2;
        }
    }
    close(fd);
}

Test(writers, full_disk_during_an_add_keeps_the_vault)
{
    struct cli_env fs = env;
    struct cli_result r;
    char dir[300], filler[320], *before, *after;
    size_t n1, n2;

    snprintf(dir, sizeof dir, "%s/fs", env.dir);
    if (!small_tmpfs(dir)) {
        fprintf(stderr, "SKIP: writers/full_disk_during_an_add_keeps_the_vault: cannot mount a "
                "tmpfs in a private mount namespace (%s); cli/failed_save_keeps_the_old_vault "
                "covers write failures with RLIMIT_FSIZE\n", strerror(errno));
        return;
    }
    snprintf(fs.vault, sizeof fs.vault, "%s/vault.otpv", dir);
    snprintf(filler, sizeof filler, "%s/filler", dir);
    cli_init_vault(&fs);
    cli_add_uris(&fs, "otpauth://totp/First:x?secret=JBSWY3DPEHPK3PXP&issuer=First\n");
    before = read_file(fs.vault, &n1);
    fill(filler);

    cli_run(&r, &fs, "otpauth://totp/Second:x?secret=JBSWY3DPEHPK3PXP&issuer=Second\n",
            add_args);
    cr_assert_eq(r.status, 1, "the add must fail: %s", r.err);
    cr_assert(strstr(r.err, fs.vault) != NULL && strstr(r.err, strerror(ENOSPC)) != NULL,
              "the message names the vault and the full disk: %s", r.err);
    cr_assert_str_eq(r.out, "");
    cli_result_free(&r);
    after = read_file(fs.vault, &n2);
    cr_assert(n1 == n2 && memcmp(before, after, n1) == 0, "the old vault must be intact");
    cr_assert_eq(vt_count_temp_files(dir), 0, "a temp file was left on the full disk");
    cli_run(&r, &fs, NULL, ARGS("list"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "First") != NULL && strstr(r.out, "Second") == NULL, "%s", r.out);
    cli_result_free(&r);

    /* Space again: the same add works. */
    cr_assert_eq(unlink(filler), 0);
    cli_add_uris(&fs, "otpauth://totp/Second:x?secret=JBSWY3DPEHPK3PXP&issuer=Second\n");
    cli_run(&r, &fs, NULL, ARGS("list"));
    cr_assert(strstr(r.out, "First") != NULL && strstr(r.out, "Second") != NULL, "%s", r.out);
    cli_result_free(&r);
    free(before);
    free(after);
    umount(dir);
}
