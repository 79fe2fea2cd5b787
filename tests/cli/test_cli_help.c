/* Each command's own help (otpvault COMMAND --help, -h, help COMMAND) and the typo hint.
 * The options a command's help lists come from the parser's own table; each must also be in
 * the command's usage line and in its entry of the man page, so the three cannot drift. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/cli_run.h"

#define MAN_PAGE "share/man/man1/otpvault.1"

static struct cli_env env;

static void setup(void) { cli_env_setup(&env); }
static void teardown(void) { cli_env_teardown(&env); }

TestSuite(cli_help, .init = setup, .fini = teardown);

/* The command names the global help lists, one a line after "commands:". */
static size_t command_names(char names[][16], size_t max)
{
    struct cli_result r;
    const char *p;
    size_t n = 0;

    cli_run(&r, &env, NULL, ARGS("--help"));
    cr_assert_eq(r.status, 0);
    p = strstr(r.out, "commands:\n");
    cr_assert_not_null(p);
    for (p += 10; p[0] == ' ' && p[1] == ' ' && n < max; p = strchr(p, '\n') + 1) {
        size_t len = strcspn(p + 2, " \n");
        cr_assert_lt(len, 16);
        memcpy(names[n], p + 2, len);
        names[n++][len] = '\0';
    }
    cli_result_free(&r);
    return n;
}

/* How many bytes of roff text spell name at its start (a '-' may be written "\\-"), or 0. */
static size_t roff_prefix(const char *roff, const char *name)
{
    size_t i = 0;

    for (; *name != '\0'; name++) {
        if (*name == '-' && roff[i] == '\\' && roff[i + 1] == '-')
            i += 2;
        else if (roff[i] == *name)
            i++;
        else
            return 0;
    }
    return i;
}

/* The man page's COMMANDS entries for the command (".BR name ..." and, for backup, every
 * "backup ..." entry), joined, with roff's \- turned into -. */
static char *man_entries(const char *man, const char *name)
{
    size_t cap = strlen(man) + 1, n = 0;
    char *out = calloc(1, cap);
    const char *p = strstr(man, ".SH COMMANDS"), *end = strstr(man, ".SH QUERIES");

    cr_assert(p != NULL && end != NULL);
    while ((p = strstr(p, ".TP\n")) != NULL && p < end) {
        const char *entry = p + 4, *next = strstr(entry, ".TP\n");
        const char *stop = next != NULL && next < end ? next : end;
        const char *word = entry + (strncmp(entry, ".BR ", 4) == 0 || strncmp(entry, ".B ", 3) == 0
                                        ? (entry[2] == 'R' ? 4 : 3)
                                        : 0);
        if (*word == '"')
            word++;
        size_t at = roff_prefix(word, name);
        if (at > 0 && (word[at] == ' ' || word[at] == '\n' || word[at] == '"')) {
            for (const char *c = entry; c < stop; c++)
                if (!(c[0] == '\\' && c[1] == '-'))
                    out[n++] = *c;
        }
        p = stop;
    }
    return out;
}

Test(cli_help, each_command_has_its_own_help_that_agrees_with_usage_and_man_page)
{
    char names[32][16];
    size_t n = command_names(names, 32);
    char *man = read_file(MAN_PAGE, NULL);

    if (man == NULL) {
        fprintf(stderr, "SKIP each_command_has_its_own_help: no %s here\n", MAN_PAGE);
        return;
    }
    cr_assert_geq(n, 13, "the global help lists the commands");
    for (size_t i = 0; i < n; i++) {
        struct cli_result r;
        char want[600], *usage_end, *entries = man_entries(man, names[i]);
        const char *p;
        size_t options = 0;

        cr_assert_neq(entries[0], '\0', "%s: no entry in the man page", names[i]);
        cli_run(&r, &env, NULL, ARGS(names[i], "--help"));
        cr_assert_eq(r.status, 0, "%s --help: %s", names[i], r.err);
        snprintf(want, sizeof want, "usage: otpvault %s", names[i]);
        cr_assert_eq(strncmp(r.out, want, strlen(want)), 0, "%s --help: %s", names[i], r.out);
        cr_assert_null(strstr(r.out, "commands:"), "%s --help is not the global help", names[i]);
        usage_end = strchr(r.out, '\n');
        cr_assert_not_null(usage_end);
        *usage_end = '\0';
        p = strstr(usage_end + 1, "options:\n");
        cr_assert_not_null(p, "%s --help lists no options section", names[i]);
        /* "  --name ARG   what" or "  -x, --name ARG   what" */
        for (p = strstr(p, "\n") + 1; p[0] == ' ' && p[1] == ' '; p = strchr(p, '\n') + 1) {
            const char *opt = strstr(p, "--");
            char name[40], short_name[8] = "";
            size_t len;

            cr_assert(opt != NULL && opt < strchr(p, '\n'));
            len = strcspn(opt, " \n");
            cr_assert_lt(len, sizeof name);
            memcpy(name, opt, len);
            name[len] = '\0';
            if (p[2] == '-' && p[3] != '-') /* "  -o, --output FILE": either spelling */
                snprintf(short_name, sizeof short_name, "-%c ", p[3]);
            cr_assert(strstr(r.out, name) != NULL ||
                          (short_name[0] != '\0' && strstr(r.out, short_name) != NULL),
                      "%s: %s is not in the usage line '%s'", names[i], name, r.out);
            cr_assert(strstr(entries, name) != NULL ||
                          (short_name[0] != '\0' && strstr(entries, short_name) != NULL),
                      "%s: %s is not in the man page entry", names[i], name);
            options++;
        }
        if (strcmp(names[i], "formats") != 0 && strcmp(names[i], "sync") != 0)
            cr_assert_gt(options, 0, "%s --help lists no option", names[i]);
        cli_result_free(&r);
        free(entries);
    }
    free(man);
}

Test(cli_help, dash_h_and_help_command_give_the_same)
{
    struct cli_result a, b, c;

    cli_run(&a, &env, NULL, ARGS("code", "--help"));
    cli_run(&b, &env, NULL, ARGS("code", "-h"));
    cli_run(&c, &env, NULL, ARGS("help", "code"));
    cr_assert_eq(a.status, 0);
    cr_assert_str_eq(a.out, b.out);
    cr_assert_str_eq(a.out, c.out);
    cr_assert_not_null(strstr(a.out, "--at UNIX_SECONDS"));
    cli_result_free(&a);
    cli_result_free(&b);
    cli_result_free(&c);
    /* The global help is still there without a command. */
    cli_run(&a, &env, NULL, ARGS("--help"));
    cr_assert_not_null(strstr(a.out, "commands:"));
    cli_result_free(&a);
}

Test(cli_help, a_mistyped_command_gets_the_nearest_one)
{
    static const struct {
        const char *typed, *meant;
    } typos[] = { { "lst", "list" },     { "imprt", "import" }, { "bakup", "backup" },
                  { "cdoe", "code" },    { "exprot", "export" }, { "formts", "formats" },
                  { "dril", "drill" },   { "init2", "init" },   { "passswd", "passwd" } };
    char hint[80];

    for (size_t i = 0; i < sizeof typos / sizeof *typos; i++) {
        struct cli_result r;
        cli_run(&r, &env, NULL, ARGS(typos[i].typed));
        cr_assert_eq(r.status, 2, "%s", typos[i].typed);
        snprintf(hint, sizeof hint, "did you mean '%s'?", typos[i].meant);
        cr_assert_not_null(strstr(r.err, hint), "%s: %s", typos[i].typed, r.err);
        cr_assert_eq(r.out[0], '\0');
        cli_result_free(&r);
    }
}

Test(cli_help, an_unrelated_or_hostile_word_gets_no_guess_and_no_raw_bytes)
{
    struct cli_result r;

    cli_run(&r, &env, NULL, ARGS("frobnicate"));
    cr_assert_eq(r.status, 2);
    cr_assert_not_null(strstr(r.err, "unknown command 'frobnicate'"), "%s", r.err);
    cr_assert_null(strstr(r.err, "did you mean"), "%s", r.err);
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("lis\x1b]0;owned\x07t", "--help"));
    cr_assert_eq(r.status, 2);
    cr_assert_null(strchr(r.err, '\x1b'), "the name reaches the terminal escaped: %s", r.err);
    cr_assert_null(strchr(r.err, '\x07'));
    cli_result_free(&r);
}

/* The bash completion offers every command, and for each command every option its help
 * lists (the long name, or the short one where the completion has that). */
Test(cli_help, the_bash_completion_knows_every_command_and_option)
{
    char names[32][16];
    size_t n = command_names(names, 32);
    char *bash = read_file("share/completions/otpvault.bash", NULL);
    const char *all;

    if (bash == NULL) {
        fprintf(stderr, "SKIP the_bash_completion_knows_every_command: no completion here\n");
        return;
    }
    all = strstr(bash, "local commands=\"");
    cr_assert_not_null(all);
    for (size_t i = 0; i < n; i++) {
        struct cli_result r;
        char pattern[40], line[400];
        const char *at, *p;
        size_t len;
        bool words_ok;

        snprintf(pattern, sizeof pattern, " %s ", names[i]);
        len = strcspn(all + 16, "\"");
        snprintf(line, sizeof line, " %.*s ", (int)len, all + 16);
        words_ok = strstr(line, pattern) != NULL;
        cr_assert(words_ok, "the completion's command list lacks %s", names[i]);
        snprintf(pattern, sizeof pattern, "        %s) opts=\"", names[i]);
        at = strstr(bash, pattern);
        if (strcmp(names[i], "formats") == 0)
            continue;
        cr_assert_not_null(at, "the completion has no case for %s", names[i]);
        len = strcspn(at + strlen(pattern), "\"");
        snprintf(line, sizeof line, " %.*s ", (int)len, at + strlen(pattern));
        cli_run(&r, &env, NULL, ARGS(names[i], "--help"));
        p = strstr(r.out, "options:\n");
        cr_assert_not_null(p);
        for (p = strchr(p, '\n') + 1; p[0] == ' ' && p[1] == ' '; p = strchr(p, '\n') + 1) {
            const char *opt = strstr(p, "--");
            char name[48], short_name[8] = "";
            size_t olen = strcspn(opt, " \n");

            snprintf(name, sizeof name, " %.*s ", (int)olen, opt);
            if (p[2] == '-' && p[3] != '-')
                snprintf(short_name, sizeof short_name, " -%c ", p[3]);
            cr_assert(strstr(line, name) != NULL ||
                          (short_name[0] != '\0' && strstr(line, short_name) != NULL),
                      "the completion of %s lacks%s", names[i], name);
        }
        cli_result_free(&r);
    }
    free(bash);
}

/* The long options (with their dashes) that `otpvault NAME --help` lists. */
static size_t help_options(const char *name, char opts[][40], size_t max)
{
    struct cli_result r;
    const char *p;
    size_t n = 0;

    cli_run(&r, &env, NULL, ARGS(name, "--help"));
    cr_assert_eq(r.status, 0);
    p = strstr(r.out, "options:\n");
    cr_assert_not_null(p);
    for (p = strchr(p, '\n') + 1; p[0] == ' ' && p[1] == ' ' && n < max;
         p = strchr(p, '\n') + 1) {
        const char *opt = strstr(p, "--");
        size_t len = strcspn(opt, " \n");
        cr_assert_lt(len, 40);
        memcpy(opts[n], opt, len);
        opts[n++][len] = '\0';
    }
    cli_result_free(&r);
    return n;
}

/* zsh and fish complete every command and, after it, every option its help lists. */
Test(cli_help, the_zsh_and_fish_completions_know_every_command_and_option)
{
    char names[32][16], opts[40][40], want[160];
    size_t n = command_names(names, 32);
    char *zsh = read_file("share/completions/otpvault.zsh", NULL);
    char *fish = read_file("share/completions/otpvault.fish", NULL);

    if (zsh == NULL || fish == NULL) {
        fprintf(stderr, "SKIP the_zsh_and_fish_completions: not here\n");
        free(zsh);
        free(fish);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        size_t nopts = help_options(names[i], opts, 40);
        const char *zcase;
        char zline[600];

        snprintf(want, sizeof want, "'%s:", names[i]);
        cr_assert_not_null(strstr(zsh, want), "zsh: no command %s", names[i]);
        snprintf(want, sizeof want, " \"%s:", names[i]);
        cr_assert_not_null(strstr(fish, want), "fish: no command %s", names[i]);
        snprintf(want, sizeof want, "        %s) opts=(", names[i]);
        zcase = strstr(zsh, want);
        if (nopts > 0)
            cr_assert_not_null(zcase, "zsh: no case for %s", names[i]);
        if (zcase != NULL)
            snprintf(zline, sizeof zline, " %.*s ", (int)strcspn(zcase + strlen(want), ")"),
                     zcase + strlen(want));
        for (size_t k = 0; k < nopts; k++) {
            char word[48];
            snprintf(word, sizeof word, " %.40s ", opts[k]);
            cr_assert_not_null(strstr(zline, word), "zsh: %s lacks %s", names[i], opts[k]);
            snprintf(want, sizeof want, "\n__otpvault_options %s ", names[i]);
            const char *line = strstr(fish, want);
            bool found = false;
            if (line != NULL) {
                char words[600], opt[48], file_opt[48];
                snprintf(words, sizeof words, " %.*s ", (int)strcspn(line + 1, "\n"), line + 1);
                snprintf(opt, sizeof opt, " %.40s ", opts[k] + 2);
                snprintf(file_opt, sizeof file_opt, " %.40s= ", opts[k] + 2);
                found = strstr(words, opt) != NULL || strstr(words, file_opt) != NULL;
            }
            cr_assert(found, "fish: %s lacks %s", names[i], opts[k]);
        }
    }
    free(zsh);
    free(fish);
}

/* The completions as their shells read them: zsh parses its file, fish completes from it. */
Test(cli_help, zsh_and_fish_read_their_completions)
{
    char out[4096];
    FILE *p;
    size_t n;

    if (system("command -v zsh >/dev/null 2>&1") != 0)
        fprintf(stderr, "SKIP zsh_and_fish_read_their_completions: no zsh\n");
    else
        cr_assert_eq(system("zsh -n share/completions/otpvault.zsh"), 0, "zsh -n fails");
    if (system("command -v fish >/dev/null 2>&1") != 0) {
        fprintf(stderr, "SKIP zsh_and_fish_read_their_completions: no fish\n");
        return;
    }
    p = popen("fish --no-config -c 'source share/completions/otpvault.fish; "
              "complete -C \"otpvault code --ne\"; complete -C \"otpvault imp\"' 2>&1", "r");
    cr_assert_not_null(p);
    n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    cr_assert_eq(pclose(p), 0, "%s", out);
    cr_assert_not_null(strstr(out, "--next"), "%s", out);
    cr_assert_not_null(strstr(out, "import"), "%s", out);
}
