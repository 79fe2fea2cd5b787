/* qr: QR codes to scan with a phone. One account's otpauth:// code, or Google
 * Authenticator transfer codes (--migration). On a terminal they are shown one at a time on
 * the alternate screen (n/p/q; nothing stays in the scrollback); into a pipe or file they are
 * printed one after another under a heading; --png writes pictures instead. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_internal.h"
#include "otpvault/export.h"
#include "otpvault/mem.h"
#include "otpvault/qrdraw.h"
#include "otpvault/qrplan.h"
#include "tui/app.h"

#define PNG_SCALE 8
#define PRINT_WIDTH 80   /* printed codes fit an 80-column terminal when they can */
#define PRINT_ROWS 10000

/* The accounts the query selects (all for NULL). Returns how many; *out is malloc'd. */
static size_t select_accounts(const struct ov_vault *v, const char *query,
                              const struct ov_account ***out)
{
    size_t n = 0;

    *out = ov_xcalloc(v->accounts.len > 0 ? v->accounts.len : 1, sizeof **out);
    for (size_t i = 0; i < v->accounts.len; i++)
        if (ov_account_matches(&v->accounts.items[i], query))
            (*out)[n++] = &v->accounts.items[i];
    return n;
}

static int plan_for(const struct cli *c, const struct ov_vault *v, struct ov_qr_plan *plan)
{
    const char *query = c->npositional > 0 ? c->positional[0] : NULL;
    const struct ov_account **sel;
    struct ov_error err = { 0 };
    size_t n = select_accounts(v, query, &sel);
    char label[300];
    int rc;

    memset(plan, 0, sizeof *plan);
    if (n == 0) {
        free(sel);
        if (query != NULL)
            cli_error("no account matches '%s'", query);
        else
            cli_error("the vault has no accounts");
        return OV_EXIT_FAIL;
    }
    if (c->migration) {
        rc = ov_qr_plan_migration(sel, n, 0, plan, &err);
        for (size_t i = 0; i < plan->skipped.nskipped; i++)
            cli_warn("left out %s", plan->skipped.skipped[i].reason);
    } else if (n > 1) {
        cli_error("%zu accounts match '%s'; name one (or use --migration for all of them):",
                  n, query);
        for (size_t i = 0; i < n && i < 10; i++)
            cli_out(stderr, "  %s\n", ov_account_label(sel[i], label, sizeof label));
        free(sel);
        return OV_EXIT_FAIL;
    } else {
        rc = ov_qr_plan_account(sel[0], plan, &err);
    }
    free(sel);
    if (rc != OV_OK) {
        ov_qr_plan_free(plan);
        return cli_fail(&err);
    }
    return OV_EXIT_OK;
}

/* Letters, digits and a few safe marks; the rest become '_' (a label can hold '/'). */
static void file_safe(const char *in, char *out, size_t n)
{
    size_t o = 0;
    for (; *in != '\0' && o + 1 < n; in++) {
        unsigned char ch = (unsigned char)*in;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '.' || ch == '@' || ch == '-' || ch == '+';
        out[o] = ok && !(o == 0 && ch == '.') ? (char)ch : '_';
        o++;
    }
    out[o] = '\0';
}

/* Where page i goes: into PATH when it is a directory, else PATH itself (one code) or PATH
 * with -I-of-N before its extension. */
static char *png_path(const char *path, bool is_dir, const struct ov_qr_plan *plan, size_t i,
                      bool migration)
{
    char name[400], safe[300];
    const char *dot;
    size_t n = plan->npages, len;
    char *out;

    if (is_dir) {
        if (migration)
            snprintf(name, sizeof name, "otpauth-migration-%zu-of-%zu.png", i + 1, n);
        else {
            file_safe(plan->pages[i].title, safe, sizeof safe);
            snprintf(name, sizeof name, "%s.png", safe[0] != '\0' ? safe : "account");
        }
        len = strlen(path) + strlen(name) + 2;
        out = ov_xmalloc(len);
        snprintf(out, len, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", name);
        return out;
    }
    if (n == 1)
        return ov_xstrdup(path);
    dot = strrchr(path, '.');
    if (dot == NULL || strchr(dot, '/') != NULL)
        dot = path + strlen(path);
    len = strlen(path) + 48;
    out = ov_xmalloc(len);
    snprintf(out, len, "%.*s-%zu-of-%zu%s", (int)(dot - path), path, i + 1, n, dot);
    return out;
}

static int write_pngs(const struct cli *c, const struct ov_qr_plan *plan)
{
    struct stat st;
    bool is_dir = stat(c->png, &st) == 0 && S_ISDIR(st.st_mode);

    if (!is_dir && c->png[strlen(c->png) - 1] == '/') {
        cli_error("%s: no such directory", c->png);
        return OV_EXIT_FAIL;
    }
    for (size_t i = 0; i < plan->npages; i++) {
        struct ov_error err = { 0 };
        char *path = png_path(c->png, is_dir, plan, i, c->migration);
        uint8_t *png;
        size_t len;
        int rc = ov_qr_png(plan->pages[i].text, PNG_SCALE, &png, &len, &err);

        if (rc == OV_OK) {
            rc = ov_export_write_file(path, png, len, c->force, &err);
            ov_secure_free(png, len);
        }
        if (rc != OV_OK) {
            if (err.code == OV_ERR_EXISTS)
                cli_error("%s already exists; nothing was written over it (--force replaces "
                          "it)", path);
            else
                cli_error("%s", err.msg);
            free(path);
            return cli_exit_status(rc) == OV_EXIT_OK ? OV_EXIT_FAIL : cli_exit_status(rc);
        }
        cli_out(stdout, "wrote %s (%s)\n", path, plan->pages[i].title);
        free(path);
    }
    return OV_EXIT_OK;
}

/* Not a terminal: every code, one after another, each under a heading. */
static int print_all(const struct ov_qr_plan *plan)
{
    for (size_t i = 0; i < plan->npages; i++) {
        struct ov_error err = { 0 };
        struct ov_qrdraw q;

        if (ov_qrdraw_text_fit(plan->pages[i].text, PRINT_WIDTH, PRINT_ROWS, 0, &q, NULL, &err) !=
            OV_OK)
            return cli_fail(&err);
        if (i > 0)
            fputc('\n', stdout);
        cli_out(stdout, "QR %zu of %zu: %s\n", i + 1, plan->npages,
               plan->pages[i].title);
        for (int r = 0; r < q.rows; r++)
            printf("%s\n", q.lines[r]); /* drawn by us: no outside text */
        ov_qrdraw_free(&q);
    }
    return fflush(stdout) == 0 ? OV_EXIT_OK : OV_EXIT_FAIL;
}

int cmd_qr(struct cli *c)
{
    struct ov_qr_plan plan;
    struct ov_vault v;
    int status;

    if (!c->migration && c->npositional == 0) {
        cli_error("qr needs an account (QUERY), or --migration for transfer codes");
        return OV_EXIT_USAGE;
    }
    if (c->png != NULL && c->png[0] == '\0') {
        cli_error("--png needs a directory or a file name");
        return OV_EXIT_USAGE;
    }
    if (c->force && c->png == NULL) {
        cli_error("--force only applies with --png");
        return OV_EXIT_USAGE;
    }
    /* The pager reads keys from stdin; printing instead would leave codes in the
     * terminal's scrollback. */
    if (c->png == NULL && isatty(STDOUT_FILENO) && !isatty(STDIN_FILENO)) {
        cli_error("qr shows its codes on the terminal and needs it for keys (n/p/q) too; "
                  "redirect the output to print them, or use --png");
        return OV_EXIT_USAGE;
    }
    if ((status = cli_open_vault(c, &v)) != OV_EXIT_OK)
        return status;
    status = plan_for(c, &v, &plan);
    ov_vault_close(&v);   /* the pages hold what they need; the rest is wiped now */
    if (status != OV_EXIT_OK)
        return status;
    if (c->png != NULL)
        status = write_pngs(c, &plan);
    else if (isatty(STDOUT_FILENO))
        status = ov_tui_show_qr(&plan);
    else
        status = print_all(&plan);
    ov_qr_plan_free(&plan);
    return status;
}
