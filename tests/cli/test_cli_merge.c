/* Several machines through the binary: merge OTHER (same and other passphrases, --dry-run,
 * refusals that change nothing), the git merge driver with real git (two clones of one
 * repository), conflict copies that Syncthing, Nextcloud and Dropbox leave beside the vault,
 * and random histories on three machines merged through all three ways. Each machine is
 * a cli_env of its own (its own directory and HOME), under the same passphrase. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/lib/cli_run.h"

#define MACHINES 3
static struct cli_env m[MACHINES];

static void setup(void)
{
    for (int i = 0; i < MACHINES; i++)
        cli_env_setup(&m[i]);
}

static void teardown(void)
{
    for (int i = 0; i < MACHINES; i++)
        cli_env_teardown(&m[i]);
}

TestSuite(cli_merge, .init = setup, .fini = teardown, .timeout = 240);

#define URIS                                                                                 \
    "otpauth://totp/GitHub:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub\n"         \
    "otpauth://hotp/Bank:carol?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=5&issuer=Bank\n" \
    "otpauth://totp/Old:x?secret=GEZDGNBVGY3TQOJQGEZD&issuer=Old\n"

static void copy_file(const char *from, const char *to)
{
    size_t len;
    char *data = read_file(from, &len);
    cr_assert_not_null(data, "cannot read %s", from);
    write_file(to, data, len);
    chmod(to, 0600);
    free(data);
}

/* Runs a command on machine i and asserts its status. */
static void run_ok(int i, const char *stdin_text, const char *const *args, struct cli_result *r)
{
    cli_run(r, &m[i], stdin_text, args);
    cr_assert_eq(r->status, 0, "%s on machine %d: %s%s", args[0], i, r->out, r->err);
}

static char *list_of(int i)
{
    struct cli_result r;
    char *out;
    run_ok(i, NULL, ARGS("list", "--json"), &r);
    out = strdup(r.out);
    cli_result_free(&r);
    return out;
}

/* One vault, copied to every machine. */
static void same_vault_everywhere(void)
{
    cli_init_vault(&m[0]);
    cli_add_uris(&m[0], URIS);
    for (int i = 1; i < MACHINES; i++)
        copy_file(m[0].vault, m[i].vault);
}

Test(cli_merge, two_machines_merge_either_way_to_the_same_accounts)
{
    struct cli_result r;
    char *l0, *l1;

    same_vault_everywhere();
    run_ok(0, NULL, ARGS("edit", "GitHub", "--name", "alice@laptop"), &r);
    cli_result_free(&r);
    run_ok(0, NULL, ARGS("rm", "Old", "--yes"), &r);
    cli_result_free(&r);
    sleep(1);   /* the desktop's rename is the later one */
    run_ok(1, NULL, ARGS("edit", "GitHub", "--name", "alice@desktop"), &r);
    cli_result_free(&r);
    run_ok(1, NULL, ARGS("code", "--next", "Bank"), &r);
    cli_result_free(&r);
    cli_add_uris(&m[1], "otpauth://totp/New:n?secret=KRSXG5CTMVRXEZLU&issuer=New\n");

    run_ok(0, NULL, ARGS("merge", m[1].vault), &r);
    cr_assert(strstr(r.out, "updated: GitHub: alice@desktop (this copy had name "
                            "\"alice@laptop\")") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "HOTP counter: Bank: carol (counter 5 -> 6)") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "added: New: n") != NULL, "%s", r.out);
    cli_result_free(&r);
    run_ok(1, NULL, ARGS("merge", m[0].vault), &r);
    cr_assert(strstr(r.out, "removed: Old: x (deleted in the other copy)") != NULL, "%s", r.out);
    cli_result_free(&r);
    l0 = list_of(0);
    l1 = list_of(1);
    cr_assert_str_eq(l0, l1);
    cr_assert(strstr(l0, "alice@desktop") != NULL && strstr(l0, "\"Old\"") == NULL, "%s", l0);
    free(l0);
    free(l1);
    /* Once merged, another merge finds nothing. */
    run_ok(0, NULL, ARGS("merge", m[1].vault), &r);
    cr_assert(strstr(r.out, "nothing: the copies agree") != NULL, "%s", r.out);
    cli_result_free(&r);
}

Test(cli_merge, a_dry_run_shows_and_changes_nothing)
{
    struct cli_result r;
    size_t before_len, after_len;
    char *before, *after;

    same_vault_everywhere();
    cli_add_uris(&m[1], "otpauth://totp/New:n?secret=KRSXG5CTMVRXEZLU&issuer=New\n");
    before = read_file(m[0].vault, &before_len);
    run_ok(0, NULL, ARGS("merge", "--dry-run", m[1].vault), &r);
    cr_assert(strstr(r.out, "added: New: n") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "would change: 1 added") != NULL, "%s", r.out);
    cli_result_free(&r);
    after = read_file(m[0].vault, &after_len);
    cr_assert(before_len == after_len && memcmp(before, after, before_len) == 0,
              "a dry run changed the vault");
    free(before);
    free(after);
}

Test(cli_merge, a_copy_under_another_passphrase_needs_it_and_nothing_changes_without)
{
    struct cli_result r;
    char other_pass[400];
    size_t before_len, after_len;
    char *before, *after;

    same_vault_everywhere();
    snprintf(other_pass, sizeof other_pass, "%s/other-pass", m[1].dir);
    write_file(other_pass, "another passphrase\n", 19);
    run_ok(1, NULL, ARGS("passwd", "--new-passphrase-file", other_pass), &r);
    cli_result_free(&r);
    before = read_file(m[0].vault, &before_len);
    cli_run(&r, &m[0], NULL, ARGS("merge", m[1].vault));
    cr_assert_neq(r.status, 0, "merged without the other passphrase");
    cr_assert(strstr(r.err, "--other-passphrase-file") != NULL, "%s", r.err);
    cr_assert(strstr(r.err, "nothing was merged") != NULL, "%s", r.err);
    cli_result_free(&r);
    after = read_file(m[0].vault, &after_len);
    cr_assert(before_len == after_len && memcmp(before, after, before_len) == 0);
    run_ok(0, NULL, ARGS("merge", "--other-passphrase-file", other_pass, m[1].vault), &r);
    cr_assert(strstr(r.out, "nothing: the copies agree") != NULL, "%s", r.out);
    cli_result_free(&r);
    free(before);
    free(after);
}

/* Two vaults made apart (init on each machine) under one passphrase: the vault's own is
 * tried, nothing is asked, and the account both added is kept once. */
Test(cli_merge, the_vaults_passphrase_is_tried_on_a_copy_with_its_own_salt)
{
    struct cli_result r;

    cli_init_vault(&m[0]);
    cli_init_vault(&m[1]);
    cli_add_uris(&m[0], URIS);
    cli_add_uris(&m[1], "otpauth://totp/GitHub:alice@example.com?secret=JBSWY3DPEHPK3PXP"
                        "&issuer=GitHub\notpauth://totp/New:n?secret=KRSXG5CTMVRXEZLU"
                        "&issuer=New\n");
    run_ok(0, NULL, ARGS("merge", m[1].vault), &r);
    cr_assert(strstr(r.out, "kept once: GitHub: alice@example.com") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "added: New: n") != NULL, "%s", r.out);
    cli_result_free(&r);
    run_ok(0, NULL, ARGS("list"), &r);
    cr_assert_eq(strstr(strstr(r.out, "GitHub") + 1, "GitHub"), NULL, "GitHub twice:\n%s", r.out);
    cli_result_free(&r);
}

Test(cli_merge, refusals_name_the_input_and_change_nothing)
{
    struct cli_result r;
    char damaged[400];
    size_t len;
    char *data;

    same_vault_everywhere();
    cli_run(&r, &m[0], NULL, ARGS("merge", m[0].vault));
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.err, "is the vault itself") != NULL, "%s", r.err);
    cli_result_free(&r);
    snprintf(damaged, sizeof damaged, "%s/damaged.otpv", m[0].dir);
    data = read_file(m[1].vault, &len);
    data[len - 5] ^= 1;
    write_file(damaged, data, len);
    free(data);
    cli_run(&r, &m[0], NULL, ARGS("merge", damaged));
    cr_assert_eq(r.status, 3, "%s", r.err);
    cr_assert(strstr(r.err, "damaged.otpv") != NULL, "%s", r.err);
    cli_result_free(&r);
    cli_run(&r, &m[0], NULL, ARGS("merge", "/nonexistent/vault.otpv"));
    cr_assert_neq(r.status, 0);
    cr_assert(strstr(r.err, "/nonexistent/vault.otpv") != NULL, "%s", r.err);
    cli_result_free(&r);
}

Test(cli_merge, names_from_the_other_copy_reach_the_terminal_in_their_display_form)
{
    struct cli_result r;

    same_vault_everywhere();
    cli_add_uris(&m[1], "otpauth://totp/Evil%1B%5D52%3Bc%3BZXZpbA%3D%3D%07:x%1B%5B2J"
                        "?secret=KRSXG5CTMVRXEZLU\n");
    run_ok(0, NULL, ARGS("merge", "--dry-run", m[1].vault), &r);
    cr_assert_null(strchr(r.out, '\x1b'), "a raw escape in: %s", r.out);
    cr_assert(strstr(r.out, "added: Evil\\x1b]52;c;ZXZpbA==\\x07: x\\x1b[2J") != NULL, "%s", r.out);
    cli_result_free(&r);
}

/* ---- conflict copies ---- */

static char *conflict_path(int machine, const char *name)
{
    static char buf[2][500];
    static int next;
    char *b = buf[next++ % 2];
    snprintf(b, sizeof buf[0], "%s/%s", m[machine].dir, name);
    return b;
}

Test(cli_merge, conflict_copies_beside_the_vault_are_merged_at_the_next_change)
{
    static const char *const names[] = {
        "vault.sync-conflict-20261208-101500-ABCDEFG.otpv",   /* Syncthing */
        "vault (conflicted copy 2026-12-08 101500).otpv",    /* Nextcloud */
        "vault (Alice's conflicted copy 2026-12-08).otpv",   /* Dropbox */
    };
    struct cli_result r;
    char uri[200];

    same_vault_everywhere();
    for (int k = 0; k < 3; k++) {
        /* The copy a sync tool kept: the vault as another machine changed it. */
        snprintf(uri, sizeof uri, "otpauth://totp/Elsewhere%d:x?secret=KRSXG5CTMVRXEZL%c"
                 "&issuer=Elsewhere%d\n", k, 'A' + k, k);
        cli_add_uris(&m[1], uri);
        copy_file(m[1].vault, conflict_path(0, names[k]));
    }
    /* Reading does not touch them; a change merges them first. */
    run_ok(0, NULL, ARGS("list"), &r);
    cr_assert_null(strstr(r.out, "Elsewhere"), "%s", r.out);
    cli_result_free(&r);
    run_ok(0, NULL, ARGS("edit", "GitHub", "--note", "merged first"), &r);
    cr_assert(strstr(r.err, "merged 3 conflict copies") != NULL, "%s", r.err);
    cr_assert(strstr(r.err, "added: Elsewhere2: x") != NULL, "%s", r.err);
    cli_result_free(&r);
    for (int k = 0; k < 3; k++)
        cr_assert_neq(access(conflict_path(0, names[k]), F_OK), 0, "%s is still there", names[k]);
    run_ok(0, NULL, ARGS("list"), &r);
    for (int k = 0; k < 3; k++) {
        snprintf(uri, sizeof uri, "Elsewhere%d", k);
        cr_assert(strstr(r.out, uri) != NULL, "%s", r.out);
    }
    cli_result_free(&r);
}

Test(cli_merge, a_conflict_copy_that_does_not_open_is_left_and_named)
{
    struct cli_result r;
    const char *name = "vault.sync-conflict-20261208-101500-ZZZZZZZ.otpv";
    char other_pass[400];

    same_vault_everywhere();
    snprintf(other_pass, sizeof other_pass, "%s/other-pass", m[1].dir);
    write_file(other_pass, "another passphrase\n", 19);
    run_ok(1, NULL, ARGS("passwd", "--new-passphrase-file", other_pass), &r);
    cli_result_free(&r);
    copy_file(m[1].vault, conflict_path(0, name));
    run_ok(0, NULL, ARGS("sync"), &r);
    cr_assert(strstr(r.err, "made with another passphrase; left as it is") != NULL, "%s", r.err);
    cli_result_free(&r);
    cr_assert_eq(access(conflict_path(0, name), F_OK), 0, "the copy was removed");
    run_ok(0, NULL, ARGS("merge", "--other-passphrase-file", other_pass,
                         conflict_path(0, name)), &r);
    cli_result_free(&r);
}

/* ---- git ---- */

static bool have_git(void)
{
    return system("git --version >/dev/null 2>&1") == 0;
}

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    int rc;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    rc = system(cmd);
    cr_assert_eq(rc, 0, "failed (%d): %s", rc, cmd);
}

static const char *bin(void)
{
    const char *b = getenv("OTPVAULT_BIN");
    return b != NULL ? b : "build/otpvault";
}

/* A bare repository in machine 0's directory holding the vault, cloned on machines 1 and 2
 * (each machine's vault is its clone's vault.otpv), with the merge driver set up as the
 * README says. */
static void git_machines(void)
{
    char repo[400];

    snprintf(repo, sizeof repo, "%s/origin.git", m[0].dir);
    same_vault_everywhere();
    sh("cd '%s' && git init -q --bare origin.git && git clone -q origin.git seed 2>/dev/null && "
       "cd seed && cp '%s' vault.otpv && printf '*.otpv merge=otpvault\\n' > .gitattributes && "
       "printf '*.prev\\n*.lock\\n' > .gitignore && git add -A && "
       "git -c user.name=t -c user.email=t@t commit -qm start && git push -q origin HEAD 2>/dev/null",
       m[0].dir, m[0].vault);
    for (int i = 1; i < MACHINES; i++) {
        sh("cd '%s' && git clone -q '%s' repo && cd repo && git config user.name m%d && "
           "git config user.email m%d@t && git config merge.otpvault.name otpvault && "
           "git config merge.otpvault.driver \"'%s' --passphrase-file '%s' merge-driver %%O %%A %%B\"",
           m[i].dir, repo, i, i, bin(), m[i].passfile);
        {
            char dir[sizeof m[i].dir];
            memcpy(dir, m[i].dir, sizeof dir);
            snprintf(m[i].vault, sizeof m[i].vault, "%.200s/repo/vault.otpv", dir);
        }
    }
}

static void commit_and_push(int i, bool push)
{
    sh("cd '%s/repo' && (git commit -qam change >/dev/null || true) && %s", m[i].dir,
       push ? "git push -q 2>/dev/null" : "true");
}

Test(cli_merge, git_pull_merges_the_vault_instead_of_conflicting)
{
    struct cli_result r;
    char *l1, *l2;

    if (!have_git()) {
        printf("SKIP cli_merge::git_pull_merges_the_vault_instead_of_conflicting: git is not "
               "installed\n");
        return;
    }
    git_machines();
    cli_add_uris(&m[1], "otpauth://totp/One:x?secret=KRSXG5CTMVRXEZLU&issuer=One\n");
    run_ok(1, NULL, ARGS("rm", "Old", "--yes"), &r);
    cli_result_free(&r);
    commit_and_push(1, true);
    cli_add_uris(&m[2], "otpauth://totp/Two:y?secret=MFRGGZDFMZTWQ2LK&issuer=Two\n");
    run_ok(2, NULL, ARGS("code", "--next", "Bank"), &r);
    cli_result_free(&r);
    commit_and_push(2, false);
    sh("cd '%s/repo' && git pull -q --no-rebase --no-edit 2>'%s/pull.err' >/dev/null",
       m[2].dir, m[2].dir);
    sh("cd '%s/repo' && test -z \"$(git status --porcelain --untracked-files=no)\"", m[2].dir);
    sh("cd '%s/repo' && git push -q 2>/dev/null", m[2].dir);
    sh("cd '%s/repo' && git pull -q --no-rebase --no-edit >/dev/null 2>&1", m[1].dir);
    l1 = list_of(1);
    l2 = list_of(2);
    cr_assert_str_eq(l1, l2);
    cr_assert(strstr(l2, "\"One\"") != NULL && strstr(l2, "\"Two\"") != NULL &&
              strstr(l2, "\"Old\"") == NULL, "%s", l2);
    cr_assert(strstr(l2, "\"counter\": 6") != NULL, "the HOTP use is kept: %s", l2);
    free(l1);
    free(l2);
}

/* ---- random histories on three machines, merged through merge, git and conflict copies ---- */

static uint64_t rng;

static uint32_t rnd(uint32_t n)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)((rng >> 33) % n);
}

static int text_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The accounts of machine i (list --json: labels, group, note, OTP settings, counters) as
 * one text, each account on a line, sorted: the vaults' orders may differ. */
static char *state_of(int i)
{
    struct cli_result r;
    json_error_t jerr;
    json_t *list;
    char **lines, *text;
    size_t n, total = 1;

    run_ok(i, NULL, ARGS("list", "--json"), &r);
    list = json_loads(r.out, 0, &jerr);
    cr_assert(json_is_array(list), "list --json: %s", r.out);
    cli_result_free(&r);
    n = json_array_size(list);
    lines = calloc(n + 1, sizeof *lines);
    for (size_t k = 0; k < n; k++) {
        lines[k] = json_dumps(json_array_get(list, k), JSON_COMPACT | JSON_SORT_KEYS);
        total += strlen(lines[k]) + 1;
    }
    qsort(lines, n, sizeof *lines, text_cmp);
    text = calloc(1, total);
    for (size_t k = 0; k < n; k++) {
        strcat(text, lines[k]);
        strcat(text, "\n");
        free(lines[k]);
    }
    free(lines);
    json_decref(list);
    return text;
}

static void random_change(int i, unsigned *next_id)
{
    struct cli_result r;
    char uri[200], query[32], value[32];
    unsigned k = rnd(6);

    snprintf(query, sizeof query, "Acct%u:", rnd(*next_id + 1));   /* the issuer exactly */
    snprintf(value, sizeof value, "v%u", rnd(1000));
    switch (k) {
    case 0: case 1:
        snprintf(uri, sizeof uri, "otpauth://%s/Acct%u:m%d?secret=JBSWY3DPEHPK3P%c%c&issuer=Acct%u"
                 "&counter=1\n", rnd(2) ? "totp" : "hotp", *next_id, i,
                 'A' + (char)(*next_id % 26), 'A' + (char)(*next_id / 26 % 26), *next_id);
        (*next_id)++;
        cli_run(&r, &m[i], uri, ARGS("add", "--uri", "-"));
        break;
    case 2: cli_run(&r, &m[i], NULL, ARGS("rm", query, "--yes")); break;
    case 3: cli_run(&r, &m[i], NULL, ARGS("edit", query, "--note", value)); break;
    case 4: cli_run(&r, &m[i], NULL, ARGS("edit", query, "--group", value)); break;
    default: cli_run(&r, &m[i], NULL, ARGS("code", "--next", query)); break;
    }
    /* A query that matches nothing (deleted, or a TOTP for --next) fails: that is fine. */
    cli_result_free(&r);
}

enum way { BY_MERGE, BY_GIT, BY_CONFLICT_COPY };

static void merge_by(enum way way, int into, int from, unsigned *conflict_seq)
{
    struct cli_result r;
    char name[120];

    switch (way) {
    case BY_MERGE:
        run_ok(into, NULL, ARGS("merge", m[from].vault), &r);
        cli_result_free(&r);
        break;
    case BY_GIT:
        commit_and_push(from, false);
        sh("cd '%s/repo' && (git commit -qam local >/dev/null || true) && "
           "git pull -q --no-rebase --no-edit '%s/repo' HEAD >/dev/null 2>&1",
           m[into].dir, m[from].dir);
        break;
    case BY_CONFLICT_COPY: {
        /* Where a sync tool puts it: beside the vault, under the vault's name. */
        char path[700];
        snprintf(name, sizeof name, "vault.sync-conflict-20261208-%06u-M%dDEVICE.otpv",
                 (*conflict_seq)++, from);
        snprintf(path, sizeof path, "%s/%s", m[into].dir, name);
        copy_file(m[from].vault, path);
        run_ok(into, NULL, ARGS("sync"), &r);
        cr_assert_neq(access(path, F_OK), 0, "%s was not merged: %s", name, r.err);
        cli_result_free(&r);
        break;
    }
    }
}

static void random_histories(enum way way, unsigned histories)
{
    for (unsigned h = 0; h < histories; h++) {
        unsigned next_id = 0, seq = 0;
        char *s0;
        rng = 77 + h * 1000 + way;
        if (h > 0) {
            teardown();
            setup();
        }
        if (way == BY_GIT)
            git_machines();
        else
            same_vault_everywhere();
        for (unsigned o = 0, n = 4 + rnd(6); o < n; o++) {
            int i = way == BY_GIT ? 1 + (int)rnd(2) : (int)rnd(MACHINES);
            if (rnd(4) == 0) {
                int j = way == BY_GIT ? 1 + (int)rnd(2) : (int)rnd(MACHINES);
                if (j != i)
                    merge_by(way, i, j, &seq);
            } else {
                random_change(i, &next_id);
            }
        }
        /* Everything meets. */
        if (way == BY_GIT) {
            merge_by(way, 1, 2, &seq);
            merge_by(way, 2, 1, &seq);
        } else {
            for (int i = 1; i < MACHINES; i++)
                merge_by(way, 0, i, &seq);
            for (int i = 1; i < MACHINES; i++)
                merge_by(way, i, 0, &seq);
        }
        s0 = state_of(way == BY_GIT ? 1 : 0);
        for (int i = way == BY_GIT ? 2 : 1; i < MACHINES; i++) {
            char *si = state_of(i);
            cr_assert_str_eq(s0, si, "history %u: machine %d differs", h, i);
            free(si);
        }
        free(s0);
    }
}

/* make test runs a few dozen histories each way (each is dozens of processes);
 * CLI_MERGE_HISTORIES=N runs N each way, e.g. 334 for a thousand in all. */
static unsigned histories(unsigned fallback)
{
    const char *n = getenv("CLI_MERGE_HISTORIES");
    return n != NULL && atoi(n) > 0 ? (unsigned)atoi(n) : fallback;
}

Test(cli_merge, random_histories_converge_through_merge, .timeout = 1800)
{
    random_histories(BY_MERGE, histories(40));
}

Test(cli_merge, random_histories_converge_through_conflict_copies, .timeout = 1800)
{
    random_histories(BY_CONFLICT_COPY, histories(40));
}

Test(cli_merge, random_histories_converge_through_git, .timeout = 1800)
{
    if (!have_git()) {
        printf("SKIP cli_merge::random_histories_converge_through_git: git is not installed\n");
        return;
    }
    random_histories(BY_GIT, histories(20));
}
