/* import: files and stdin through the import pipeline, then one atomic save. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "otpvault/import.h"
#include "otpvault/import_input.h"
#include "otpvault/mem.h"
#include "otpvault/otp.h"

static bool read_input(const char *name, struct ov_blob *out)
{
    struct ov_error err = { 0 };

    if (ov_import_input_read(name, name, out, &err) == OV_OK)
        return true;
    cli_error("%s", err.msg);
    return false;
}

/* The export password, when an input needs one: from --import-password-file, or asked;
 * for otpvault's own files (a backup) the vault's passphrase, when the vault is open. */
static char *export_password(const struct cli *c, const struct ov_blob *inputs,
                             const struct ov_importer *const *picked, size_t n,
                             const char *vault_pass)
{
    for (size_t i = 0; i < n; i++) {
        if (!ov_import_wants_password(picked[i], &inputs[i]))
            continue;
        if (c->import_password_file != NULL)
            return cli_read_passphrase_file(c->import_password_file);
        if (vault_pass != NULL && picked[i] == ov_importer_find("otpvault"))
            return ov_secure_strdup(vault_pass);
        char prompt[300];
        snprintf(prompt, sizeof prompt, "password of %s", inputs[i].name);
        return cli_prompt_secret(prompt, "--import-password-file");
    }
    return NULL;
}

static void print_notes(const struct ov_import_report *r)
{
    for (size_t i = 0; i < r->nnotes; i++)
        cli_print_shown(stderr, r->notes[i].text), fputc('\n', stderr);
}

static void print_accounts_text(const struct ov_account_list *l)
{
    for (size_t i = 0; i < l->len; i++) {
        const struct ov_account *a = &l->items[i];
        fputs("  ", stdout);
        cli_print_shown(stdout, a->issuer);
        fputs(a->issuer[0] != '\0' ? ": " : "", stdout);
        cli_print_shown(stdout, a->name);
        printf("  (%s %s %u", ov_otp_type_name(a->type), ov_algo_name(a->algo), a->digits);
        if (a->type == OV_HOTP)
            printf(", counter %llu)\n", (unsigned long long)a->counter);
        else
            printf(", %us)\n", a->period);
    }
}

/* found: the accounts found (dry run) or added. */
static void print_summary(FILE *out, const struct ov_import_report *r, size_t found,
                          bool dry_run)
{
    fprintf(out, "%s %zu account%s, %zu already present, %zu failed",
            dry_run ? "found" : "imported", found, found == 1 ? "" : "s",
            r->present, r->entries_failed);
    if (r->duplicates > 0)
        fprintf(out, ", %zu duplicate%s in the inputs", r->duplicates,
                r->duplicates == 1 ? "" : "s");
    fprintf(out, "%s\n", dry_run ? " (dry run: nothing was changed)" : "");
}

/* v: the open vault, NULL for a dry run. */
static int run_import(struct cli *c, const struct ov_blob *inputs, size_t n,
                      const struct ov_import_options *opts, struct ov_vault *v_open)
{
    struct ov_import_report report;
    struct ov_vault v;
    bool opened = v_open != NULL;
    int rc, status = OV_EXIT_OK;

    if (opened)
        v = *v_open;
    rc = ov_import_run(inputs, n, opts, opened ? &v.accounts : NULL, &report);
    print_notes(&report);
    if (rc != OV_OK) {
        cli_error("nothing was imported: %zu input%s could not be read", report.inputs_failed,
                  report.inputs_failed == 1 ? "" : "s");
        status = OV_EXIT_FAIL;
    } else if (c->dry_run) {
        if (c->json) {
            json_t *arr = json_array();
            for (size_t i = 0; i < report.accounts.len; i++)
                json_array_append_new(arr, cli_json_account(&report.accounts.items[i],
                                                            CLI_JSON_WITH_SECRET));
            cli_json_print_array(arr);
        } else {
            print_accounts_text(&report.accounts);
        }
        print_summary(c->json ? stderr : stdout, &report, report.accounts.len, true);
    } else {
        size_t added = 0;
        bool reloaded = false;
        /* Decoding came first (it may take a while); now queue for the lock. Another
         * writer may have added some of these meanwhile: those count as present. */
        if (report.accounts.len > 0)
            status = cli_begin_write(&v, &reloaded);
        if (status == OV_EXIT_OK)
            added = ov_import_commit(&report, NULL, reloaded, &v.accounts, ov_now());
        if (status == OV_EXIT_OK && added > 0)
            status = cli_save_vault(&v);
        if (status == OV_EXIT_OK)
            print_summary(stdout, &report, added, false);
    }
    ov_import_report_free(&report);
    if (opened)
        *v_open = v;   /* the caller closes it */
    return status;
}

int cmd_import(struct cli *c)
{
    struct ov_blob inputs[CLI_MAX_POSITIONAL];
    const struct ov_importer *picked[CLI_MAX_POSITIONAL];
    struct ov_import_options opts = { .format = c->format, .allow_partial = c->allow_partial,
                                      .picked = picked };
    size_t n = 0, stdin_uses = 0;
    char *password = NULL, *vault_pass = NULL;
    struct ov_vault v;
    bool opened = false;
    int status = OV_EXIT_OK;

    if (c->format != NULL && ov_importer_find(c->format) == NULL) {
        cli_error("--format: no import format named '%s' (see otpvault formats)", c->format);
        return OV_EXIT_USAGE;
    }
    for (size_t i = 0; i < c->npositional; i++)
        stdin_uses += strcmp(c->positional[i], "-") == 0;
    if (stdin_uses > 1) {
        cli_error("'-' (stdin) can be given only once");
        return OV_EXIT_USAGE;
    }
    for (; n < c->npositional; n++) {
        if (!read_input(c->positional[n], &inputs[n])) {
            status = OV_EXIT_FAIL;
            break;
        }
        picked[n] = ov_import_pick(&inputs[n], c->format);
    }
    /* A dry run decodes only: no passphrase, and it works before a vault exists. */
    if (status == OV_EXIT_OK && !c->dry_run &&
        (status = cli_open_vault_at(c, c->vault_path, &v, &vault_pass)) == OV_EXIT_OK)
        opened = true;
    if (status == OV_EXIT_OK) {
        password = export_password(c, inputs, picked, n, vault_pass);
        ov_secure_free_str(vault_pass);
        vault_pass = NULL;
        opts.password = password;
        opts.password_len = password != NULL ? strlen(password) : 0;
        status = run_import(c, inputs, n, &opts, opened ? &v : NULL);
    }
    ov_secure_free_str(vault_pass);
    if (opened)
        ov_vault_close(&v);
    for (size_t i = 0; i < n; i++)
        ov_import_input_free(&inputs[i]);
    ov_secure_free_str(password);
    return status;
}
