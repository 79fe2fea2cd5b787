/* export: the vault's accounts in another app's format, to a file (0600, atomic, never over
 * an existing file without --force) or to stdout. Plain exports hold every secret: printing
 * one on a terminal (and so into its scrollback) needs --force. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_internal.h"
#include "otpvault/export.h"
#include "otpvault/mem.h"

static void list_formats(void)
{
    fputs("formats:", stderr);
    for (size_t i = 0; ov_exporters[i] != NULL; i++)
        fprintf(stderr, " %s", ov_exporters[i]->name);
    fputc('\n', stderr);
}

static int write_stdout(const uint8_t *data, size_t len)
{
    if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
        cli_error("cannot write to stdout");
        return OV_EXIT_FAIL;
    }
    return OV_EXIT_OK;
}

static int emit(const struct cli *c, const struct ov_exporter *e,
                const struct ov_export_out *out)
{
    struct ov_error err = { 0 };
    bool to_stdout = c->output == NULL || strcmp(c->output, "-") == 0;

    if (!to_stdout) {
        if (ov_export_write_file(c->output, out->data, out->len, c->force, &err) != OV_OK) {
            if (err.code == OV_ERR_EXISTS)
                cli_error("%s already exists; nothing was written (--force replaces it)",
                          c->output);
            else
                cli_error("%s; nothing was written", err.msg);
            return OV_EXIT_FAIL;
        }
        cli_out(stderr, "exported %zu account%s as %s to %s\n", out->count,
                out->count == 1 ? "" : "s", e->name, c->output);
        return OV_EXIT_OK;
    }
    return write_stdout(out->data, out->len);
}

int cmd_export(struct cli *c)
{
    const struct ov_exporter *e;
    struct ov_export_opts opts = { 0 };
    struct ov_export_out out = { 0 };
    struct ov_error err = { 0 };
    struct ov_vault v;
    char *password = NULL;
    bool to_stdout = c->output == NULL || strcmp(c->output, "-") == 0;
    int status;

    if (c->format == NULL) {
        cli_error("export needs --format NAME");
        list_formats();
        return OV_EXIT_USAGE;
    }
    if ((e = ov_exporter_find(c->format)) == NULL) {
        cli_error("unknown export format '%s'", c->format);
        list_formats();
        return OV_EXIT_USAGE;
    }
    if (c->output != NULL && c->output[0] == '\0') {
        cli_error("-o needs a file name (or - for standard output)");
        return OV_EXIT_USAGE;
    }
    /* Said, not refused: the file is the same either way (0600, and never to a terminal
     * unforced), and the note names the encrypted format the user may have meant. */
    if (c->export_password_file != NULL && !e->needs_password)
        cli_warn("--export-password-file is not used: the %s format is not encrypted (an "
                 "encrypted export: --format aegis-encrypted)", e->name);
    /* Decided before anything is asked: secrets never go to a terminal unless forced. */
    if (to_stdout && !e->encrypted && !c->force && isatty(STDOUT_FILENO)) {
        cli_error("refusing to print every secret on the terminal (it would stay in the "
                  "scrollback); use -o FILE, a pipe, or --force");
        return OV_EXIT_USAGE;
    }
    if ((status = cli_open_vault(c, &v)) != OV_EXIT_OK)
        return status;
    if (e->needs_password) {
        password = cli_new_secret(c->export_password_file, "export password", "--export-password-file");
        if (password == NULL) {
            ov_vault_close(&v);
            return OV_EXIT_FAIL;
        }
        opts.password = password;
        opts.password_len = strlen(password);
    }
    if (ov_export_run(e, &v.accounts, &opts, &out, &err) != OV_OK) {
        for (size_t i = 0; i < out.nskipped; i++)
            cli_warn("left out %s", out.skipped[i].reason);
        status = cli_fail(&err);
    } else {
        for (size_t i = 0; i < out.nskipped; i++)
            cli_warn("left out %s", out.skipped[i].reason);
        if (out.lost[0] != '\0')
            cli_warn("%s", out.lost);
        status = emit(c, e, &out);
    }
    ov_export_out_free(&out);
    ov_secure_free_str(password);
    ov_vault_close(&v);
    return status;
}
