/* Crash safety of saves: `otpvault add --uri -` killed with SIGKILL while it saves.
 *
 * Two ways of choosing the moment: 200 random delays over the length of a run (the literal
 * test of issue 7), and, under ptrace, every system call from the writer lock to exit, one
 * kill per call. A file system only changes at system calls, so the second reaches every
 * state a crash can leave on disk: after a write, before an fsync, between the link of
 * PATH.prev and the rename, and so on.
 *
 * After every kill the vault must open with either the accounts it had or those plus the
 * new one, never neither; PATH.prev, when present, must open too; and the next save must
 * work and sweep away the temp files the killed run left. */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/lib/cli_run.h"
#include "otpvault/atomic_file.h"
#include "otpvault/crypto.h"
#include "otpvault/vault.h"
#include "tests/lib/vault_helpers.h"

#define CLI_PASS "correct horse"
#define RANDOM_KILLS 200

static struct cli_env env;

static void setup(void)
{
    cr_assert_eq(ov_crypto_init(), 0);
    cli_env_setup(&env);
    cli_init_vault(&env);
    cli_add_uris(&env, "otpauth://totp/Init:first?secret=JBSWY3DPEHPK3PXP&issuer=Init\n");
}

static void teardown(void)
{
    cli_env_teardown(&env);
}

TestSuite(crash, .init = setup, .fini = teardown, .timeout = 300);

/* Accounts known to be in the vault, in order: "Init", then the K<n> that were committed. */
struct history {
    unsigned ids[1024];
    size_t n;               /* committed K accounts */
    unsigned old_seen, new_seen;
};

static const char *uri_for(unsigned id)
{
    static char uri[160];
    snprintf(uri, sizeof uri, "otpauth://totp/K%04u:user?secret=JBSWY3DPEHPK3PXP&issuer=K%04u\n",
             id, id);
    return uri;
}

static const char *const add_args[] = { "add", "--uri", "-", NULL };

static bool opens_whole(const char *path, struct ov_vault *v, char *why, size_t n)
{
    struct ov_error err = { 0 };
    if (ov_vault_open(path, CLI_PASS, strlen(CLI_PASS), v, &err) == OV_OK)
        return true;
    snprintf(why, n, "%s", err.msg);
    return false;
}

/* After a run that tried to add `id` (what, for messages): the vault holds exactly the old
 * accounts or the old ones plus id. Updates h. */
static void check_old_or_new(struct history *h, unsigned id, const char *what)
{
    char why[OV_ERROR_MSG_MAX], prev[400];
    struct ov_vault v, p;
    size_t n;

    cr_assert(opens_whole(env.vault, &v, why, sizeof why), "%s: the vault does not open: %s",
              what, why);
    n = v.accounts.len;
    cr_assert(n == h->n + 1 || n == h->n + 2, "%s: %zu accounts, want %zu (old) or %zu (new)",
              what, n, h->n + 1, h->n + 2);
    cr_assert_str_eq(v.accounts.items[0].issuer, "Init", "%s", what);
    for (size_t i = 0; i < h->n; i++) {
        char want[16];
        snprintf(want, sizeof want, "K%04u", h->ids[i]);
        cr_assert_str_eq(v.accounts.items[i + 1].issuer, want, "%s: account %zu", what, i + 2);
    }
    if (n == h->n + 2) {
        char want[16];
        snprintf(want, sizeof want, "K%04u", id);
        cr_assert_str_eq(v.accounts.items[n - 1].issuer, want, "%s: the new account", what);
        cr_assert_lt(h->n, sizeof h->ids / sizeof *h->ids);
        h->ids[h->n++] = id;
        h->new_seen++;
    } else {
        h->old_seen++;
    }
    ov_vault_close(&v);
    /* The previous generation is a whole vault too, whenever it is there. */
    snprintf(prev, sizeof prev, "%s.prev", env.vault);
    if (access(prev, F_OK) == 0) {
        cr_assert(opens_whole(prev, &p, why, sizeof why), "%s: %s does not open: %s", what,
                  prev, why);
        ov_vault_close(&p);
    }
}

/* An add that is not killed: it must succeed and leave no temp file at all. */
static long long clean_add(struct history *h, unsigned id)
{
    long long t0 = cli_now_us();
    int status = cli_wait(cli_spawn(&env, uri_for(id), add_args, NULL, 0));
    long long took = cli_now_us() - t0;

    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "add K%04u failed (status %d)",
              id, status);
    check_old_or_new(h, id, "a clean add");
    cr_assert_eq(h->ids[h->n - 1], id, "the clean add of K%04u was not saved", id);
    cr_assert_eq(vt_count_temp_files(env.dir), 0, "a successful save left temp files");
    return took;
}

/* Found by the kills below: a save killed between keeping PATH.prev and the final rename
 * leaves PATH.prev a link to PATH itself. The next save's rename of its new link over
 * PATH.prev then did nothing (both names were the same file) and left that link behind. */
Test(crash_found, a_save_after_a_kill_between_the_renames_leaves_no_link)
{
    const char *path, *prev;
    struct ov_error err = { 0 };

    vt_setup();
    path = vt_path("v");
    prev = vt_path("v.prev");
    vt_write(path, (const uint8_t *)"one", 3);
    cr_assert_eq(link(path, prev), 0);
    cr_assert_eq(ov_atomic_replace(path, "two", 3, prev, NULL, &err), OV_OK, "%s", err.msg);
    cr_assert(vt_same_file(prev, (const uint8_t *)"one", 3));
    cr_assert(vt_same_file(path, (const uint8_t *)"two", 3));
    cr_assert_eq(vt_count_temp_files(test_dir), 0, "the link to the previous file stayed");
    vt_teardown();
}

/* What a killed save leaves is swept by the next save, under the lock; files that only look
 * similar are not touched. */
Test(crash_found, a_save_sweeps_only_its_own_leftovers)
{
    static const char *const ours[] = { "v.otpv.tmp.AbC123", "v.otpv.tmp.zzzzzz.prev",
                                        "v.otpv.prev.tmp.000000" };
    static const char *const theirs[] = { "v.otpv.tmp.AbC12", "v.otpv.tmp.AbC1234",
                                          "v.otpv.tmp.AbC-23", "w.otpv.tmp.AbC123",
                                          "v.otpv.tmp.AbC123.old", "notes.tmp" };
    struct ov_vault v;
    struct ov_error err = { 0 };

    vt_setup();
    vt_create_with(vt_path("v.otpv"), 1, &v);
    for (size_t i = 0; i < 3; i++)
        vt_write(vt_path(ours[i]), (const uint8_t *)"x", 1);
    for (size_t i = 0; i < 6; i++)
        vt_write(vt_path(theirs[i]), (const uint8_t *)"x", 1);
    cr_assert_eq(ov_vault_save(&v, &err), OV_OK, "%s", err.msg);
    for (size_t i = 0; i < 3; i++)
        cr_assert_neq(access(vt_path(ours[i]), F_OK), 0, "%s was left", ours[i]);
    for (size_t i = 0; i < 6; i++)
        cr_assert_eq(access(vt_path(theirs[i]), F_OK), 0, "%s was removed", theirs[i]);
    ov_vault_close(&v);
    vt_teardown();
}

static int compare_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

Test(crash, sigkill_at_200_random_moments_never_loses_the_vault)
{
    static struct history h;
    long long runs[3], fastest;
    unsigned id = 0, killed = 0;

    /* How long one add takes here, now: the delays are spread over 40% to 120% of that. */
    for (int i = 0; i < 3; i++)
        runs[i] = clean_add(&h, id++);
    qsort(runs, 3, sizeof *runs, compare_ll);
    fastest = runs[0]; /* on a busy machine a slow run would put most delays past the end */
    srand((unsigned)time(NULL));
    for (unsigned k = 0; k < RANDOM_KILLS; k++, id++) {
        /* Most of a run is start-up and the KDF; the save is its last part. */
        long long delay = fastest * 2 / 5 + rand() % (fastest * 4 / 5 + 1);
        struct timespec d = { (time_t)(delay / 1000000), (long)(delay % 1000000) * 1000 };
        char what[96];
        pid_t pid = cli_spawn(&env, uri_for(id), add_args, NULL, CLI_SPAWN_TO_KILL);
        int status;

        nanosleep(&d, NULL);
        kill(pid, SIGKILL);
        status = cli_wait(pid);
        killed += WIFSIGNALED(status);
        cr_assert(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0),
                  "kill %u: the add failed on its own (status %d)", k, status);
        snprintf(what, sizeof what, "kill %u after %lld us", k, delay);
        check_old_or_new(&h, id, what);
    }
    /* Whatever the kills left, the next save works and sweeps the temp files away. */
    clean_add(&h, id);
    cr_assert_geq(killed, RANDOM_KILLS / 10, "only %u of %u runs were killed: the delays do "
                  "not cover the run", killed, RANDOM_KILLS);
}

#if defined(__x86_64__)
/* Runs one add under ptrace. kill_at >= 0: SIGKILL at the entry of that system call (it does
 * not run). Records the numbers of the system calls entered (up to cap). Returns how many
 * were entered, or -1 if the child could not be traced. */
static long traced_add(unsigned id, long kill_at, long *nrs, size_t cap, int *status)
{
    pid_t pid = cli_spawn(&env, uri_for(id), add_args, NULL,
                          CLI_SPAWN_TRACED | CLI_SPAWN_TO_KILL);
    long entered = 0;
    bool in_call = false;
    int sig = 0;

    *status = cli_wait(pid);
    if (!WIFSTOPPED(*status)) /* no stop at exec: ptrace is not allowed here */
        return -1;
    ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)(long)(PTRACE_O_TRACESYSGOOD |
                                                        PTRACE_O_EXITKILL));
    for (;;) {
        cr_assert_eq(ptrace(PTRACE_SYSCALL, pid, NULL, (void *)(long)sig), 0, "%s",
                     strerror(errno));
        sig = 0;
        *status = cli_wait(pid);
        if (WIFEXITED(*status) || WIFSIGNALED(*status))
            return entered;
        if (WSTOPSIG(*status) != (SIGTRAP | 0x80)) {
            sig = WSTOPSIG(*status) == SIGTRAP ? 0 : WSTOPSIG(*status);
            continue;
        }
        if (!in_call) {
            struct user_regs_struct regs;
            if (entered == kill_at) {
                kill(pid, SIGKILL);
                *status = cli_wait(pid);
                return entered;
            }
            ptrace(PTRACE_GETREGS, pid, NULL, &regs);
            if ((size_t)entered < cap)
                nrs[entered] = (long)regs.orig_rax;
            entered++;
        }
        in_call = !in_call;
    }
}

Test(crash, sigkill_at_every_system_call_of_a_save)
{
    static struct history h;
    static long nrs[100000];
    long total, first_lock = -1;
    unsigned id = 0;
    int status;

    total = traced_add(id, -1, nrs, sizeof nrs / sizeof *nrs, &status);
    if (total < 0) {
        fprintf(stderr, "SKIP: crash/sigkill_at_every_system_call_of_a_save: ptrace is not "
                "allowed here\n");
        return;
    }
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "traced add failed (%d)", status);
    check_old_or_new(&h, id++, "the traced reference run");
    cr_assert_lt(total, (long)(sizeof nrs / sizeof *nrs));
    for (long i = 0; i < total && first_lock < 0; i++)
        if (nrs[i] == SYS_flock)
            first_lock = i;
    cr_assert_geq(first_lock, 2, "no flock in the add's system calls");
    /* From just before the lock file is opened to the very end. */
    for (long k = first_lock - 2; k < total; k++, id++) {
        char what[96];
        traced_add(id, k, nrs, 0, &status);
        snprintf(what, sizeof what, "SIGKILL at system call %ld of %ld (number %ld)", k, total,
                 k < total ? nrs[k] : -1);
        cr_assert(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0),
                  "%s: the add failed on its own (status %d)", what, status);
        check_old_or_new(&h, id, what);
    }
    cr_assert_gt(h.old_seen, 1, "no kill left the old vault");
    cr_assert_gt(h.new_seen, 1, "no kill left the new vault");
    clean_add(&h, id);
}
#endif
