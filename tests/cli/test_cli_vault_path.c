/* The vault path must be a regular file: a FIFO (which once hung `list`, `code` and `add`
 * forever), a character device, a directory or a socket is refused at once, before any
 * passphrase is read, with a message naming the path and what it is. And a vault whose
 * directory (or a parent up to the home directory) others can write is warned about. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "tests/lib/cli_pty.h"
#include "tests/lib/cli_run.h"
#include "otpvault/crypto.h"

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

/* A hang is the failure these tests exist for: the timeout turns it into a red test. */
TestSuite(vault_path, .init = setup, .fini = teardown, .timeout = 60);

static const char *const *const commands[] = {
    (const char *const[]){ "list", NULL },
    (const char *const[]){ "code", NULL },
    (const char *const[]){ "add", "--uri", "-", NULL },
    (const char *const[]){ "rm", "x", "--yes", NULL },
    (const char *const[]){ "export", "--format", "otpauth", NULL },
    (const char *const[]){ "backup", "create", "/tmp", NULL },
};

static void assert_refused(const char *path, const char *kind)
{
    struct cli_env at = env;

    snprintf(at.vault, sizeof at.vault, "%s", path);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        struct cli_result r;
        cli_run(&r, &at, "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP\n", commands[i]);
        cr_assert_eq(r.status, 1, "%s on %s: exit %d: %s", commands[i][0], kind, r.status,
                     r.err);
        cr_assert(strstr(r.err, path) != NULL && strstr(r.err, kind) != NULL &&
                  strstr(r.err, "not a vault file") != NULL,
                  "%s on %s: the message must name the path and what it is: %s",
                  commands[i][0], kind, r.err);
        cr_assert_str_eq(r.out, "");
        cli_result_free(&r);
    }
}

Test(vault_path, a_fifo_is_refused_at_once)
{
    char fifo[300];
    struct stat st;

    snprintf(fifo, sizeof fifo, "%s/vault.fifo", env.dir);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    assert_refused(fifo, "a FIFO (named pipe)");
    /* Nothing was created in its place. */
    cr_assert_eq(lstat(fifo, &st), 0);
    cr_assert(S_ISFIFO(st.st_mode));
}

Test(vault_path, a_device_is_refused)
{
    assert_refused("/dev/null", "a character device");
}

Test(vault_path, a_directory_is_refused)
{
    char dir[400];

    snprintf(dir, sizeof dir, "%s/vault.d", env.dir);
    cr_assert_eq(mkdir(dir, 0700), 0);
    assert_refused(dir, "a directory");
}

Test(vault_path, a_socket_is_refused)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    char path[400];
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    snprintf(path, sizeof path, "%s/vault.sock", env.dir);
    cr_assert_lt(strlen(path), sizeof addr.sun_path);
    strcpy(addr.sun_path, path);
    cr_assert_eq(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_refused(path, "a socket");
    close(fd);
}

/* The app, on a terminal: refused before the screen is taken over or a passphrase asked. */
Test(vault_path, the_app_refuses_a_fifo_before_asking)
{
    struct cli_pty_result r;
    char fifo[300];
    size_t at;

    snprintf(fifo, sizeof fifo, "%s/vault.fifo", env.dir);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    snprintf(env.vault, sizeof env.vault, "%s", fifo);
    cli_run_pty(&r, &env, NULL, (const char *const[]){ NULL });
    cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.bytes);
    cr_assert(strstr(r.bytes, "a FIFO (named pipe)") != NULL, "%s", r.bytes);
    cr_assert(cli_terminal_safe(r.bytes, r.len, &at), "the screen was taken over: %s",
              r.bytes);
    cli_pty_result_free(&r);
}

Test(vault_path, a_directory_others_can_write_is_warned_about)
{
    struct cli_env shared = env;
    struct cli_result r;
    char dir[300];

    snprintf(dir, sizeof dir, "%s/shared", env.dir);
    cr_assert_eq(mkdir(dir, 0700), 0);
    snprintf(shared.vault, sizeof shared.vault, "%s/vault.otpv", dir);
    cli_init_vault(&shared);

    cli_run(&r, &shared, NULL, ARGS("list"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "written by other users") == NULL, "%s", r.err);
    cli_result_free(&r);

    cr_assert_eq(chmod(dir, 0777), 0);
    cli_run(&r, &shared, NULL, ARGS("list"));
    cr_assert_eq(r.status, 0, "a warning, not a failure: %s", r.err);
    cr_assert(strstr(r.err, dir) != NULL && strstr(r.err, "can be written by other users") &&
              strstr(r.err, "chmod go-w") != NULL, "%s", r.err);
    cli_result_free(&r);

    /* A parent up to home counts too; the sticky bit (as on /tmp) makes it safe. */
    cr_assert_eq(chmod(dir, 0700), 0);
    cr_assert_eq(chmod(env.dir, 0777), 0);
    cli_run(&r, &shared, NULL, ARGS("list"));
    cr_assert(strstr(r.err, "can be written by other users") != NULL, "%s", r.err);
    cli_result_free(&r);
    cr_assert_eq(chmod(env.dir, 01777), 0);
    cli_run(&r, &shared, NULL, ARGS("list"));
    cr_assert(strstr(r.err, "can be written by other users") == NULL, "%s", r.err);
    cli_result_free(&r);
    chmod(env.dir, 0700);
}
