/* import: files and stdin through the import pipeline, then one atomic save. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_internal.h"
#include "otpvault/import.h"
#include "otpvault/mem.h"
#include "otpvault/otp.h"

/* Plain exports hold secrets, so inputs up to SECURE_INPUT_MAX go to secure memory. Larger
 * ones are pictures (secure memory cannot hold a 100-megapixel PNG); they stay in the
 * ordinary heap and are wiped before they are freed, like everything else. */
#define SECURE_INPUT_MAX (8u * 1024u * 1024u)

static void free_input(struct ov_blob *in)
{
    if (in->data == NULL)
        return;
    if (in->len <= SECURE_INPUT_MAX) {
        ov_secure_free((void *)in->data, in->len);
    } else {
        ov_wipe((void *)in->data, in->len);
        free((void *)in->data);
    }
    in->data = NULL;
}

static bool read_input(const char *name, struct ov_blob *out)
{
    int fd = strcmp(name, "-") == 0 ? STDIN_FILENO : open(name, O_RDONLY | O_CLOEXEC);
    size_t cap = 64 * 1024, n = 0;
    uint8_t *buf;
    struct stat st;
    bool ok = false;

    if (fd < 0) {
        cli_error("%s: %s", name, strerror(errno));
        return false;
    }
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        cli_error("%s: is a directory", name);
        goto out;
    }
    buf = ov_xmalloc(cap);
    for (;;) {
        ssize_t r;
        if (n == cap) {
            if (cap >= OV_IMPORT_MAX_INPUT) {
                cli_error("%s: larger than %u MiB, not an export or a screenshot", name,
                          OV_IMPORT_MAX_INPUT >> 20);
                break;
            }
            /* Grow by hand so the old block can be wiped. */
            uint8_t *bigger = ov_xmalloc(cap * 2);
            memcpy(bigger, buf, n);
            ov_wipe(buf, n);
            free(buf);
            buf = bigger;
            cap *= 2;
        }
        r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            cli_error("%s: %s", name, strerror(errno));
            break;
        }
        if (r == 0) {
            ok = true;
            break;
        }
        n += (size_t)r;
    }
    if (ok && n <= SECURE_INPUT_MAX) {
        uint8_t *secure = ov_secure_alloc(n);
        memcpy(secure, buf, n);
        *out = (struct ov_blob){ secure, n, name };
    } else if (ok) {
        *out = (struct ov_blob){ buf, n, name };
        buf = NULL;
    }
    if (buf != NULL) {
        ov_wipe(buf, n);
        free(buf);
    }
out:
    if (fd != STDIN_FILENO)
        close(fd);
    return ok;
}

/* The export password, when an input needs one: from --import-password-file, or asked. */
static char *export_password(const struct cli *c, const struct ov_blob *inputs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct ov_importer *imp = ov_import_pick(&inputs[i], c->format);
        if (imp == NULL || !imp->needs_password ||
            (imp->is_encrypted != NULL && !imp->is_encrypted(&inputs[i])))
            continue;
        if (c->import_password_file != NULL)
            return cli_read_passphrase_file(c->import_password_file);
        char prompt[300];
        snprintf(prompt, sizeof prompt, "password of %s", inputs[i].name);
        return cli_prompt_secret(prompt, "--import-password-file");
    }
    return NULL;
}

static void print_notes(const struct ov_import_report *r)
{
    for (size_t i = 0; i < r->nnotes; i++)
        fprintf(stderr, "%s\n", r->notes[i].text);
}

static void print_accounts_text(const struct ov_account_list *l)
{
    for (size_t i = 0; i < l->len; i++) {
        const struct ov_account *a = &l->items[i];
        printf("  %s%s%s  (%s %s %u", a->issuer, a->issuer[0] != '\0' ? ": " : "", a->name,
               ov_otp_type_name(a->type), ov_algo_name(a->algo), a->digits);
        if (a->type == OV_HOTP)
            printf(", counter %llu)\n", (unsigned long long)a->counter);
        else
            printf(", %us)\n", a->period);
    }
}

static void print_summary(FILE *out, const struct ov_import_report *r, bool dry_run)
{
    fprintf(out, "%s %zu account%s, %zu already present, %zu failed",
            dry_run ? "found" : "imported", r->accounts.len, r->accounts.len == 1 ? "" : "s",
            r->present, r->entries_failed);
    if (r->duplicates > 0)
        fprintf(out, ", %zu duplicate%s in the inputs", r->duplicates,
                r->duplicates == 1 ? "" : "s");
    fprintf(out, "%s\n", dry_run ? " (dry run: nothing was changed)" : "");
}

static int run_import(struct cli *c, const struct ov_blob *inputs, size_t n,
                      const struct ov_import_options *opts)
{
    struct ov_import_report report;
    struct ov_vault v;
    bool opened = false;
    int rc, status = OV_EXIT_OK;

    /* A dry run decodes only: no passphrase, and it works before a vault exists. */
    if (!c->dry_run) {
        status = cli_open_vault(c, &v);
        if (status != OV_EXIT_OK)
            return status;
        opened = true;
    }
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
        print_summary(c->json ? stderr : stdout, &report, true);
    } else {
        int64_t now = ov_now();
        size_t added = report.accounts.len;
        for (size_t i = 0; i < report.accounts.len; i++) {
            struct ov_account *a = &report.accounts.items[i];
            if (a->created == 0)
                a->created = now;
            ov_account_list_push(&v.accounts, a);
        }
        report.accounts.len = 0; /* moved into the vault */
        if (added > 0)
            status = cli_save_vault(&v);
        if (status == OV_EXIT_OK) {
            report.accounts.len = added; /* for the summary's count only */
            print_summary(stdout, &report, false);
            report.accounts.len = 0;
        }
    }
    ov_import_report_free(&report);
    if (opened)
        ov_vault_close(&v);
    return status;
}

int cmd_import(struct cli *c)
{
    struct ov_blob inputs[CLI_MAX_POSITIONAL];
    struct ov_import_options opts = { .format = c->format, .allow_partial = c->allow_partial };
    size_t n = 0, stdin_uses = 0;
    char *password = NULL;
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
    }
    if (status == OV_EXIT_OK) {
        password = export_password(c, inputs, n);
        opts.password = password;
        opts.password_len = password != NULL ? strlen(password) : 0;
        status = run_import(c, inputs, n, &opts);
    }
    for (size_t i = 0; i < n; i++)
        free_input(&inputs[i]);
    ov_secure_free_str(password);
    return status;
}
