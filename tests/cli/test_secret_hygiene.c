/* Secret hygiene of the command line, checked from outside the process: no secret or
 * passphrase on any command line (every execve traced with strace), core dumps off and
 * memory closed to other processes of the same user while otpvault waits at a passphrase
 * prompt, private modes whatever the umask (vault, exports, QR pictures, backups), and a
 * warning for a vault others can read.
 * The full-screen app's side (terminal output, scrollback, clipboard clearing) is in
 * tests/tui/hygiene.sh. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "tests/lib/cli_run.h"

#define STRACE "/usr/bin/strace"
#define SECRET_A "JBSWY3DPEHPK3PXP"
#define SECRET_B "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
#define PASSPHRASE "correct horse"          /* what cli_env_setup writes */
#define NEW_PASS "battery staple horse"
#define NOBODY 65534

static struct cli_env env;

static void setup(void)
{
    cli_env_setup(&env);
}

static void teardown(void)
{
    cli_env_teardown(&env);
}

TestSuite(hygiene, .init = setup, .fini = teardown, .timeout = 120);

/* ---- command lines ---- */

/* Runs `otpvault --vault V --passphrase-file P args...` under `strace -f -e trace=execve`
 * (every program it or its children start, with whole arguments) and returns the trace,
 * malloc'd. The command must succeed. */
static char *exec_trace(const char *stdin_text, const char *const *args)
{
    static const char *const tracer[] = { STRACE, "-f", "-qq", "-s", "65535", "-e",
                                          "trace=execve", "-E" };
    const size_t ntracer = sizeof tracer / sizeof *tracer;
    const char *asan = getenv("ASAN_OPTIONS");
    char log[400], asan_env[1100];
    const char *argv[48];
    struct cli_result r;
    size_t n = 0;

    snprintf(log, sizeof log, "%s/execve.log", env.dir);
    unlink(log);
    /* LeakSanitizer cannot work in a traced process: off there, other options kept. */
    snprintf(asan_env, sizeof asan_env, "ASAN_OPTIONS=%s%sdetect_leaks=0",
             asan != NULL ? asan : "", asan != NULL && asan[0] != '\0' ? ":" : "");
    for (; n < ntracer; n++)
        argv[n] = tracer[n];
    argv[n++] = asan_env;
    argv[n++] = "-o";
    argv[n++] = log;
    argv[n++] = getenv("OTPVAULT_BIN");
    argv[n++] = "--vault";
    argv[n++] = env.vault;
    argv[n++] = "--passphrase-file";
    argv[n++] = env.passfile;
    for (const char *const *a = args; *a != NULL && n < 47; a++)
        argv[n++] = *a;
    argv[n] = NULL;
    cli_run_raw(&r, &env, stdin_text, argv, 0);
    cr_assert_eq(r.status, 0, "`%s` under strace: %s", args[0], r.err);
    cli_result_free(&r);
    return read_file(log, NULL);
}

static void assert_clean_trace(const char *trace, const char *what)
{
    static const char *const secrets[] = { SECRET_A, SECRET_B, PASSPHRASE, NEW_PASS,
                                           "otpauth://", "secret=" };

    cr_assert_not_null(trace, "%s: no trace", what);
    cr_assert(strstr(trace, "execve(") != NULL, "%s: strace saw no execve: %s", what, trace);
    for (size_t i = 0; i < sizeof secrets / sizeof *secrets; i++)
        cr_assert(strstr(trace, secrets[i]) == NULL, "%s: \"%s\" is on a command line:\n%s",
                  what, secrets[i], trace);
}

Test(hygiene, no_secret_or_passphrase_reaches_a_command_line)
{
    char list[400], newpass[400], out[400], png[400];
    const char *const init[] = { "init", "--kdf-memory", "1M", "--kdf-time", "1", NULL };
    const char *const add[] = { "add", "--uri", "-", NULL };
    const char *const code[] = { "code", "--at", "59", NULL };
    const char *const listing[] = { "list", "--json", NULL };
    const char *const import[] = { "import", list, NULL };
    const char *const dry[] = { "import", "--dry-run", "--json", list, NULL };
    const char *const passwd[] = { "passwd", "--new-passphrase-file", newpass, NULL };
    const char *const export[] = { "export", "--format", "aegis-encrypted",
                                   "--export-password-file", newpass, "-o", out, NULL };
    const char *const qr[] = { "qr", "github", "--png", png, NULL };
    const char *const backup[] = { "backup", "create", env.dir, NULL };
    const struct { const char *const *args; const char *in; } runs[] = {
        { init, NULL },
        { add, "otpauth://totp/GitHub:alice?secret=" SECRET_A "&issuer=GitHub\n" },
        { code, NULL },
        { listing, NULL },
        { import, NULL },
        { dry, NULL },
        { export, NULL },
        { qr, NULL },
        { backup, NULL },
        { passwd, NULL },
    };

    if (access(STRACE, X_OK) != 0) {
        fprintf(stderr, "SKIP: hygiene/no_secret_or_passphrase_reaches_a_command_line: "
                "%s is not installed\n", STRACE);
        return;
    }
    snprintf(list, sizeof list, "%s/list.txt", env.dir);
    write_file(list, "otpauth://totp/Bank:carol?secret=" SECRET_B "\n",
               strlen("otpauth://totp/Bank:carol?secret=" SECRET_B "\n"));
    snprintf(out, sizeof out, "%s/export.json", env.dir);
    snprintf(png, sizeof png, "%s/qr.png", env.dir);
    snprintf(newpass, sizeof newpass, "%s/newpass", env.dir);
    write_file(newpass, NEW_PASS "\n", strlen(NEW_PASS) + 1);
    for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
        char *trace = exec_trace(runs[i].in, runs[i].args);
        assert_clean_trace(trace, runs[i].args[0]);
        free(trace);
    }
}

/* ---- the process while it waits at a prompt ---- */

/* Starts `otpvault --vault V init` on a new pseudo-terminal as uid (when we are root; else
 * as ourselves), so that it asks for a passphrase and waits. Returns its pid; *master is
 * the terminal's other end. */
static pid_t start_at_prompt(uid_t uid, int *master)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    const char *bin = getenv("OTPVAULT_BIN");
    char vault[400];
    pid_t pid;

    cr_assert_geq(m, 0);
    cr_assert(grantpt(m) == 0 && unlockpt(m) == 0);
    snprintf(vault, sizeof vault, "%s/nowhere/vault.otpv", env.dir);
    pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        int s;
        setsid();
        s = open(ptsname(m), O_RDWR); /* the first terminal opened becomes ours */
        dup2(s, 0);
        dup2(s, 1);
        dup2(s, 2);
        if (geteuid() == 0 && (setgid(uid) != 0 || setuid(uid) != 0))
            _exit(126);
        setenv("HOME", "/nonexistent", 1);
        setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
        execl(bin, bin, "--vault", vault, "init", (char *)NULL);
        _exit(127);
    }
    *master = m;
    return pid;
}

/* Reads from the terminal until text shows up (or 10 s pass). */
static bool wait_for_text(int master, const char *text)
{
    char buf[4096];
    size_t used = 0;

    for (int tries = 0; tries < 200; tries++) {
        struct pollfd p = { master, POLLIN, 0 };
        ssize_t n = poll(&p, 1, 50) > 0 ? read(master, buf + used, sizeof buf - 1 - used) : 0;
        if (n <= 0) {
            usleep(50000); /* EIO until the child has opened its side */
            continue;
        }
        used += (size_t)n;
        buf[used] = '\0';
        if (strstr(buf, text) != NULL)
            return true;
    }
    return false;
}

/* A /proc file, whose size stat cannot tell: read to the end (malloc'd, NUL-terminated). */
static char *read_proc(const char *path)
{
    char *buf = calloc(1, 16384);
    int fd = open(path, O_RDONLY);
    size_t used = 0;
    ssize_t n;

    cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
    while ((n = read(fd, buf + used, 16383 - used)) > 0)
        used += (size_t)n;
    close(fd);
    return buf;
}

/* Whether uid can open path for reading (tried in a child that becomes uid). */
static bool readable_by(uid_t uid, const char *path)
{
    pid_t pid = fork();
    int status;

    cr_assert_neq(pid, -1);
    if (pid == 0) {
        int fd;
        if (geteuid() == 0 && (setgid(uid) != 0 || setuid(uid) != 0))
            _exit(2);
        fd = open(path, O_RDONLY);
        _exit(fd >= 0 ? 0 : 1);
    }
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) != 2, "cannot become uid %u", uid);
    return WEXITSTATUS(status) == 0;
}

/* A process of uid that waits: exec'd after the uid change, which would otherwise leave it
 * undumpable (the kernel's rule for processes that changed credentials). */
static pid_t start_ordinary(uid_t uid)
{
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        if (geteuid() == 0 && (setgid(uid) != 0 || setuid(uid) != 0))
            _exit(126);
        execl("/bin/sleep", "sleep", "30", (char *)NULL);
        _exit(127);
    }
    /* Until the exec has happened, it is the undumpable child of a uid change. */
    for (int i = 0; i < 100; i++) {
        char path[64], *comm;
        snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
        comm = read_proc(path);
        bool execd = strcmp(comm, "sleep\n") == 0;
        free(comm);
        if (execd)
            break;
        usleep(20000);
    }
    return pid;
}

Test(hygiene, no_core_dump_and_no_peeking_while_waiting_for_a_passphrase)
{
    uid_t uid = geteuid() == 0 ? NOBODY : geteuid();
    char path[64], soft[16] = "?", hard[16] = "?", *limits, *line;
    int master, status;
    pid_t pid = start_at_prompt(uid, &master), control = start_ordinary(uid);
    bool prompted = wait_for_text(master, "passphrase"), environ_open, mem_open, control_open;

    /* Everything is looked at first, and both processes are gone before any assertion. */
    snprintf(path, sizeof path, "/proc/%d/limits", (int)pid);
    limits = read_proc(path);
    line = strstr(limits, "Max core file size");
    if (line != NULL && sscanf(line + strlen("Max core file size"), "%15s %15s", soft,
                               hard) != 2)
        line = NULL;
    snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
    environ_open = readable_by(uid, path);
    snprintf(path, sizeof path, "/proc/%d/mem", (int)pid);
    mem_open = readable_by(uid, path);
    snprintf(path, sizeof path, "/proc/%d/environ", (int)control);
    control_open = readable_by(uid, path);
    kill(pid, SIGKILL);
    kill(control, SIGKILL);
    waitpid(pid, &status, 0);
    waitpid(control, &status, 0);
    close(master);

    cr_assert(prompted, "no passphrase prompt on the terminal");
    /* RLIMIT_CORE is 0, soft and hard: not even the process itself can raise it again. */
    cr_assert_not_null(line, "%s", limits);
    cr_assert(strcmp(soft, "0") == 0 && strcmp(hard, "0") == 0,
              "core dumps are possible: soft %s, hard %s", soft, hard);
    free(limits);
    /* Not dumpable (PR_SET_DUMPABLE 0): another process of the same user cannot read its
     * environment or memory, as it can read those of an ordinary process of its own. */
    cr_assert(control_open, "the check cannot tell: an ordinary process of uid %u is "
              "unreadable too", uid);
    cr_assert_not(environ_open, "uid %u can read the environment of otpvault", uid);
    cr_assert_not(mem_open, "uid %u can read the memory of otpvault", uid);
}

/* ---- files ---- */

static mode_t mode_of(const char *path)
{
    struct stat st;
    cr_assert_eq(stat(path, &st), 0, "%s: %s", path, strerror(errno));
    return st.st_mode & 07777;
}

Test(hygiene, vault_files_and_directories_are_private_whatever_the_umask)
{
    char script[1600], dir[400], vault[500];
    const char *argv[] = { "/bin/sh", "-c", script, NULL };
    struct cli_result r;

    snprintf(dir, sizeof dir, "%s/a", env.dir);
    snprintf(vault, sizeof vault, "%s/b/vault.otpv", dir);
    /* umask 000: every file would be world-readable unless the program says otherwise. */
    snprintf(script, sizeof script,
             "umask 000; b='%s'; v='%s'; p='%s';"
             "\"$b\" --vault \"$v\" --passphrase-file \"$p\" init --kdf-memory 1M && "
             "echo 'otpauth://totp/A:b?secret=" SECRET_A "' | "
             "\"$b\" --vault \"$v\" --passphrase-file \"$p\" add --uri -",
             getenv("OTPVAULT_BIN"), vault, env.passfile);
    cli_run_raw(&r, &env, NULL, argv, 0);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cli_result_free(&r);
    cr_assert_eq(mode_of(dir), 0700, "%s: %o", dir, mode_of(dir));
    snprintf(dir, sizeof dir, "%s/a/b", env.dir);
    cr_assert_eq(mode_of(dir), 0700, "%s: %o", dir, mode_of(dir));
    cr_assert_eq(mode_of(vault), 0600, "vault: %o", mode_of(vault));
    strcat(vault, ".prev");
    cr_assert_eq(mode_of(vault), 0600, "previous generation: %o", mode_of(vault));
    strcpy(vault + strlen(vault) - 5, ".lock");
    cr_assert_eq(mode_of(vault), 0600, "lock file: %o", mode_of(vault));
}

/* What holds secrets outside the vault: exports, QR pictures for a phone, backups. */
Test(hygiene, exports_pictures_and_backups_are_private_whatever_the_umask)
{
    char script[2000], dir[400];
    const char *argv[] = { "/bin/sh", "-c", script, NULL };
    static const char *const files[] = { "export.txt", "export.json", "qr.png", "migration.png" };
    struct cli_result r;
    size_t found = 0;

    cli_init_vault(&env);
    cli_add_uris(&env, "otpauth://totp/GitHub:alice?secret=" SECRET_A "&issuer=GitHub\n");
    snprintf(dir, sizeof dir, "%s/backups", env.dir);
    cr_assert_eq(mkdir(dir, 0700), 0);
    snprintf(script, sizeof script,
             "umask 000; cd '%s'; o() { '%s' --vault '%s' --passphrase-file '%s' \"$@\"; };"
             "o export --format otpauth -o export.txt && "
             "o export --format aegis-encrypted --export-password-file '%s' -o export.json && "
             "o qr github --png qr.png && o qr --migration --png migration.png && "
             "o backup create backups",
             env.dir, getenv("OTPVAULT_BIN"), env.vault, env.passfile, env.passfile);
    cli_run_raw(&r, &env, NULL, argv, 0);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cli_result_free(&r);
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[500];
        snprintf(path, sizeof path, "%s/%s", env.dir, files[i]);
        cr_assert_eq(mode_of(path), 0600, "%s: %o", files[i], mode_of(path));
    }
    DIR *d = opendir(dir);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        char path[700];
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        cr_assert_eq(mode_of(path), 0600, "backup %s: %o", e->d_name, mode_of(path));
        found++;
    }
    closedir(d);
    cr_assert_eq(found, 1, "%zu backups", found);
}

Test(hygiene, a_vault_others_can_read_draws_a_warning)
{
    static const mode_t modes[] = { 0644, 0640, 0604, 0660 };
    struct cli_result r;

    cli_init_vault(&env);
    cli_add_uris(&env, "otpauth://totp/GitHub:alice?secret=" SECRET_A "&issuer=GitHub\n");
    for (size_t i = 0; i < sizeof modes / sizeof *modes; i++) {
        char want[64];
        cr_assert_eq(chmod(env.vault, modes[i]), 0);
        cli_run(&r, &env, NULL, ARGS("list"));
        cr_assert_eq(r.status, 0, "a readable vault still works: %s", r.err);
        cr_assert(strstr(r.out, "GitHub") != NULL, "%s", r.out);
        snprintf(want, sizeof want, "readable by other users (mode %03o)", (unsigned)modes[i]);
        cr_assert(strstr(r.err, want) != NULL && strstr(r.err, "chmod 600") != NULL,
                  "mode %03o: %s", (unsigned)modes[i], r.err);
        cli_result_free(&r);
    }
    cr_assert_eq(chmod(env.vault, 0600), 0);
    cli_run(&r, &env, NULL, ARGS("list"));
    cr_assert_str_eq(r.err, "", "no warning for a private vault");
    cli_result_free(&r);
}
