/* Commands that change accounts: add (from a URI or by prompts), rm and edit. Each change is
 * validated before the vault is saved, once, atomically. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli_internal.h"
#include "otpvault/backup.h"
#include "otpvault/codec.h"
#include "otpvault/mem.h"
#include "otpvault/secret_text.h"
#include "otpvault/otp.h"
#include "otpvault/uri.h"

static void print_label(FILE *out, const struct ov_account *a)
{
    char label[1024];
    cli_print_shown(out, ov_account_label(a, label, sizeof label));
}

/* The one account a query designates: an exact "issuer:name", name or issuer match wins;
 * otherwise the query must match exactly one account. Returns 0 or an exit status. */
static int pick_one(const struct ov_vault *v, const char *query, size_t *out)
{
    size_t exact = 0, partial = 0, exact_i = 0, partial_i = 0;

    for (size_t i = 0; i < v->accounts.len; i++) {
        const struct ov_account *a = &v->accounts.items[i];
        size_t il = strlen(a->issuer);
        bool full = strncasecmp(query, a->issuer, il) == 0 && query[il] == ':' &&
                    strcasecmp(query + il + 1, a->name) == 0;
        if (full || strcasecmp(query, a->name) == 0 || strcasecmp(query, a->issuer) == 0) {
            exact++;
            exact_i = i;
        }
        if (ov_account_matches(a, query)) {
            partial++;
            partial_i = i;
        }
    }
    if (exact == 1 || partial == 1) {
        *out = exact == 1 ? exact_i : partial_i;
        return 0;
    }
    if (partial == 0) {
        cli_error("no account matches '%s'", query);
        return OV_EXIT_FAIL;
    }
    cli_error("'%s' matches %zu accounts; be more specific (issuer:name):", query, partial);
    for (size_t i = 0; i < v->accounts.len; i++) {
        if (ov_account_matches(&v->accounts.items[i], query)) {
            fputs("  ", stderr);
            print_label(stderr, &v->accounts.items[i]);
            fputc('\n', stderr);
        }
    }
    return OV_EXIT_FAIL;
}

/* --issuer/--name/--group/--note given with add or edit. */
static void apply_label_options(const struct cli *c, struct ov_account *a)
{
    if (c->issuer != NULL)
        ov_account_set_text(&a->issuer, c->issuer);
    if (c->name != NULL)
        ov_account_set_text(&a->name, c->name);
    if (c->group != NULL)
        ov_account_set_text(&a->group, c->group[0] != '\0' ? c->group : NULL);
    if (c->note != NULL)
        ov_account_set_text(&a->note, c->note[0] != '\0' ? c->note : NULL);
}

/* Reads URIs from stdin, one per line ('#' comments and blank lines skipped). The text
 * holds secrets, so it is read into secure memory. */
static int read_uris_from_stdin(struct ov_account_list *out)
{
    int status = OV_EXIT_OK;
    size_t lineno = 0;

    for (;;) {
        char *line = cli_read_stdin_line_secure();
        struct ov_error err = { 0 };
        struct ov_account a;
        char warning[128];
        const char *s;

        if (line == NULL)
            break;
        lineno++;
        for (s = line; *s == ' ' || *s == '\t'; s++)
            ;
        if (*s == '\0' || *s == '#') {
            ov_secure_free_str(line);
            continue;
        }
        if (ov_uri_parse(s, &a, warning, sizeof warning, &err) != OV_OK) {
            cli_error("stdin line %zu: %s", lineno, err.msg);
            status = OV_EXIT_FAIL;
        } else {
            if (warning[0] != '\0')
                cli_warn("stdin line %zu: %s", lineno, warning);
            ov_account_list_push(out, &a);
        }
        ov_account_free(&a);
        ov_secure_free_str(line);
    }
    if (status == OV_EXIT_OK && out->len == 0) {
        cli_error("stdin: no otpauth:// URI given");
        status = OV_EXIT_FAIL;
    }
    return status;
}

/* Interactive answers: re-asked on a terminal, fatal when they come from a pipe. */
static char *ask(const char *prompt, const char *def)
{
    char *answer = cli_prompt_line(prompt, def);
    if (answer == NULL)
        cli_error("input ended before '%s' was answered", prompt);
    return answer;
}

static int ask_secret(struct ov_account *a)
{
    for (;;) {
        struct ov_error err = { 0 };
        char *text = cli_prompt_hidden("secret (Base32)");
        int rc;

        if (text == NULL)
            return OV_EXIT_FAIL;
        rc = ov_secret_text_set(a, text, OV_SECRET_BASE32, &err);
        ov_secure_free_str(text);
        if (rc == OV_OK)
            return OV_EXIT_OK;
        cli_error("secret: %s", err.msg);
        if (!isatty(STDIN_FILENO))
            return OV_EXIT_FAIL;
    }
}

static bool parse_type(const char *text, void *account)
{
    struct ov_account *a = account;
    return ov_otp_type_parse(text, &a->type) == 0 && a->type <= OV_STEAM;
}

static bool parse_algorithm(const char *text, void *account)
{
    struct ov_account *a = account;
    return ov_algo_parse(text, &a->algo) == 0;
}

/* Asks until parse takes the answer; without a terminal, one wrong answer fails. */
static int ask_until(const char *prompt, const char *def,
                     bool (*parse)(const char *text, void *ctx), void *ctx,
                     const char *expected)
{
    for (;;) {
        char *text = ask(prompt, def);
        bool ok;

        if (text == NULL)
            return OV_EXIT_FAIL;
        ok = parse(text, ctx);
        if (!ok)
            cli_error("%.*s: %s, got '%s'", (int)strcspn(prompt, " "), prompt, expected, text);
        free(text);
        if (ok)
            return OV_EXIT_OK;
        if (!isatty(STDIN_FILENO))
            return OV_EXIT_FAIL;
    }
}

struct number {
    uint64_t min, max, value;
};

static bool parse_number(const char *text, void *number)
{
    struct number *n = number;
    return cli_parse_uint(text, n->max, &n->value) == 0 && n->value >= n->min;
}

static int ask_number(const char *prompt, const char *def, uint64_t min, uint64_t max,
                      uint64_t *out)
{
    struct number n = { min, max, 0 };
    char expected[80];

    snprintf(expected, sizeof expected, "expected a whole number from %llu to %llu",
             (unsigned long long)min, (unsigned long long)max);
    if (ask_until(prompt, def, parse_number, &n, expected) != OV_EXIT_OK)
        return OV_EXIT_FAIL;
    *out = n.value;
    return OV_EXIT_OK;
}

static int ask_account(struct ov_account *a)
{
    char *text;
    uint64_t n;

    if ((text = ask("issuer", "")) == NULL)
        return OV_EXIT_FAIL;
    ov_account_set_text(&a->issuer, text);
    free(text);
    if ((text = ask("account name", "")) == NULL)
        return OV_EXIT_FAIL;
    ov_account_set_text(&a->name, text);
    free(text);
    if (ask_secret(a) != OV_EXIT_OK)
        return OV_EXIT_FAIL;
    if (ask_until("type (totp, hotp, steam)", "totp", parse_type, a,
                  "expected totp, hotp or steam") != OV_EXIT_OK)
        return OV_EXIT_FAIL;
    if (a->type == OV_STEAM) {
        a->algo = OV_SHA1;
        a->digits = 5;
        a->period = 30;
        return OV_EXIT_OK;
    }
    if (ask_until("algorithm (SHA1, SHA256, SHA512, MD5)", "SHA1", parse_algorithm, a,
                  "expected SHA1, SHA256, SHA512 or MD5") != OV_EXIT_OK)
        return OV_EXIT_FAIL;
    if (ask_number("digits", "6", OV_DIGITS_MIN, OV_DIGITS_MAX, &n) != OV_EXIT_OK)
        return OV_EXIT_FAIL;
    a->digits = (unsigned)n;
    if (a->type == OV_HOTP) {
        if (ask_number("counter", "0", 0, UINT64_MAX, &n) != OV_EXIT_OK)
            return OV_EXIT_FAIL;
        a->counter = n;
    } else {
        if (ask_number("period in seconds", "30", 1, OV_PERIOD_MAX, &n) != OV_EXIT_OK)
            return OV_EXIT_FAIL;
        a->period = (unsigned)n;
    }
    return OV_EXIT_OK;
}

int cmd_add(struct cli *c)
{
    struct ov_account_list incoming;
    struct ov_vault v;
    size_t added = 0;
    int status;

    ov_account_list_init(&incoming);
    status = cli_open_vault(c, &v);
    if (status != OV_EXIT_OK)
        return status;

    if (c->uri != NULL && strcmp(c->uri, "-") == 0) {
        status = read_uris_from_stdin(&incoming);
    } else if (c->uri != NULL) {
        struct ov_error err = { 0 };
        struct ov_account a;
        char warning[128];
        cli_warn("the secret was given on the command line, where other users can see it "
                 "and shell history keeps it; prefer --uri - and stdin");
        if (ov_uri_parse(c->uri, &a, warning, sizeof warning, &err) != OV_OK) {
            cli_error("--uri: %s", err.msg);
            status = OV_EXIT_FAIL;
        } else {
            if (warning[0] != '\0')
                cli_warn("--uri: %s", warning);
            ov_account_list_push(&incoming, &a);
        }
        ov_account_free(&a);
    } else {
        struct ov_account a;
        ov_account_init(&a);
        a.created = ov_now();
        status = ask_account(&a);
        if (status == OV_EXIT_OK)
            ov_account_list_push(&incoming, &a);
        ov_account_free(&a);
    }
    if (status == OV_EXIT_OK && incoming.len > 1 &&
        (c->issuer != NULL || c->name != NULL)) {
        cli_error("--issuer and --name apply to one account, but stdin held %zu",
                  incoming.len);
        status = OV_EXIT_USAGE;
    }
    /* Queue behind other writers, then apply to the vault as it is now. */
    if (status == OV_EXIT_OK)
        status = cli_begin_write(&v, NULL);

    for (size_t i = 0; i < incoming.len && status == OV_EXIT_OK; i++) {
        struct ov_account *a = &incoming.items[i];
        struct ov_error err = { 0 };

        apply_label_options(c, a);
        if (a->created == 0)
            a->created = ov_now();
        if (ov_account_validate(a, &err) != OV_OK) {
            cli_error("%s: %s", a->name, err.msg);
            status = OV_EXIT_FAIL;
        } else if (ov_account_list_has(&v.accounts, a) && !c->force) {
            cli_warn("already in the vault, skipped: %s%s%s", a->issuer,
                     a->issuer[0] != '\0' ? ": " : "", a->name);
        } else {
            ov_account_list_push(&v.accounts, a);
            added++;
        }
    }
    /* Nothing is saved unless every input was good: a half-applied batch is worse. */
    if (status == OV_EXIT_OK && added > 0)
        status = cli_save_vault(&v);
    if (status == OV_EXIT_OK) {
        printf("added %zu account%s\n", added, added == 1 ? "" : "s");
        if (added == 0)
            status = OV_EXIT_FAIL;
    }
    ov_account_list_free(&incoming);
    ov_vault_close(&v);
    return status;
}

/* Takes the writer lock for a change to the account at *i, chosen (and perhaps confirmed)
 * before the lock. If another process saved meanwhile, finds the same account, unchanged,
 * in the vault as it is now; if it was changed or removed, the change is not applied. */
static int begin_write_on(struct ov_vault *v, size_t *i, const char *nothing_done)
{
    struct ov_account chosen;
    bool reloaded;
    int status;

    ov_account_copy(&chosen, &v->accounts.items[*i]);
    status = cli_begin_write(v, &reloaded);
    if (status == OV_EXIT_OK && reloaded) {
        size_t j = 0;
        while (j < v->accounts.len && !ov_account_equivalent(&v->accounts.items[j], &chosen))
            j++;
        if (j == v->accounts.len) {
            cli_error("%s%s%s was changed or removed by another process meanwhile; %s",
                      chosen.issuer, chosen.issuer[0] != '\0' ? ": " : "", chosen.name,
                      nothing_done);
            status = OV_EXIT_FAIL;
        }
        *i = j;
    }
    ov_account_free(&chosen);
    return status;
}

int cli_code_next(struct cli *c)
{
    struct ov_error err = { 0 };
    struct ov_account chosen;
    struct ov_vault v;
    struct ov_account *a;
    char code[OV_CODE_MAX];
    bool reloaded = false;
    size_t i = 0;
    int status;

    if (c->npositional != 1 || c->has_at) {
        cli_error("--next takes one QUERY and no --at (usage: otpvault code --next QUERY)");
        return OV_EXIT_USAGE;
    }
    if ((status = cli_open_vault(c, &v)) != OV_EXIT_OK)
        return status;
    status = pick_one(&v, c->positional[0], &i);
    if (status == OV_EXIT_OK && v.accounts.items[i].type != OV_HOTP) {
        cli_error("--next is for HOTP accounts; %s makes codes by the clock",
                  c->positional[0]);
        status = OV_EXIT_USAGE;
    }
    /* Under the lock, the counter on disk is the one to advance: another writer may have
     * used a code meanwhile. */
    if (status == OV_EXIT_OK) {
        ov_account_copy(&chosen, &v.accounts.items[i]);
        status = cli_begin_write(&v, &reloaded);
        if (status == OV_EXIT_OK && reloaded) {
            for (i = 0; i < v.accounts.len && !ov_account_same(&v.accounts.items[i], &chosen);)
                i++;
            if (i == v.accounts.len) {
                cli_error("%s was removed by another program meanwhile; no code was used",
                          c->positional[0]);
                status = OV_EXIT_FAIL;
            }
        }
        ov_account_free(&chosen);
    }
    if (status == OV_EXIT_OK) {
        a = &v.accounts.items[i];
        if (a->counter == UINT64_MAX) {
            cli_error("%s: the counter is at its largest value", c->positional[0]);
            status = OV_EXIT_FAIL;
        } else {
            a->counter++;
            a->last_used = ov_now();
            /* Saved before the code shows: a code never appears for a counter not on disk. */
            status = cli_save_vault(&v);
        }
    }
    if (status == OV_EXIT_OK) {
        if (ov_otp_code_at(a, 0, code, NULL, &err) != OV_OK) {
            cli_error("%s: %s", c->positional[0], err.msg);
            status = OV_EXIT_FAIL;
        } else if (c->json) {
            json_t *arr = json_array(), *o = cli_json_account(a, CLI_JSON_NO_SECRET);
            json_object_set_new(o, "code", json_string(code));
            json_object_set_new(o, "remaining", json_null());
            json_array_append_new(arr, o);
            cli_json_print_array(arr);
        } else {
            puts(code);
        }
        ov_wipe(code, sizeof code);
    }
    ov_vault_close(&v);
    return status;
}

int cmd_rm(struct cli *c)
{
    struct ov_vault v;
    size_t i;
    int status = cli_open_vault(c, &v);

    if (status != OV_EXIT_OK)
        return status;
    /* Nothing to ask: queue for the lock first, then pick from the vault as it is now. */
    if (c->yes)
        status = cli_begin_write(&v, NULL);
    if (status == OV_EXIT_OK)
        status = pick_one(&v, c->positional[0], &i);
    if (status == OV_EXIT_OK && !c->yes) {
        char question[512];
        const struct ov_account *a = &v.accounts.items[i];
        snprintf(question, sizeof question, "remove %s%s%s", a->issuer,
                 a->issuer[0] != '\0' ? ": " : "", a->name);
        if (!cli_confirm(question)) {
            cli_error(cli_have_tty() ? "nothing removed"
                                     : "nothing removed: there is no terminal to confirm on; "
                                       "--yes removes without asking");
            status = OV_EXIT_FAIL;
        }
    }
    if (status == OV_EXIT_OK)
        status = begin_write_on(&v, &i, "nothing removed");
    if (status == OV_EXIT_OK) {
        struct ov_account gone;
        ov_account_copy(&gone, &v.accounts.items[i]);
        ov_account_list_remove(&v.accounts, i);
        status = cli_save_vault(&v);
        if (status == OV_EXIT_OK) {
            printf("removed ");
            print_label(stdout, &gone);
            fputc('\n', stdout);
        }
        ov_account_free(&gone);
    }
    ov_vault_close(&v);
    return status;
}

static bool edit_has_options(const struct cli *c)
{
    return c->issuer != NULL || c->name != NULL || c->group != NULL || c->note != NULL ||
           c->type != NULL || c->algorithm != NULL || c->digits != NULL ||
           c->period != NULL || c->counter != NULL;
}

/* Applies the OTP-parameter options to a copy; the caller validates the result. */
static int apply_otp_options(const struct cli *c, struct ov_account *a)
{
    uint64_t n;

    if (c->type != NULL && ov_otp_type_parse(c->type, &a->type) != 0) {
        cli_error("--type: expected totp, hotp, steam, motp or yandex, got '%s'", c->type);
        return OV_EXIT_USAGE;
    }
    if (c->type != NULL && a->type == OV_STEAM) {
        /* Steam codes have fixed parameters; set them so "--type steam" alone works. */
        a->algo = OV_SHA1;
        a->digits = 5;
        a->period = 30;
    }
    if (c->algorithm != NULL && ov_algo_parse(c->algorithm, &a->algo) != 0) {
        cli_error("--algorithm: expected SHA1, SHA256, SHA512 or MD5, got '%s'", c->algorithm);
        return OV_EXIT_USAGE;
    }
    if (c->digits != NULL) {
        if (cli_parse_uint(c->digits, OV_DIGITS_MAX, &n) != 0 || n < OV_DIGITS_MIN) {
            cli_error("--digits: expected 1 to 10, got '%s'", c->digits);
            return OV_EXIT_USAGE;
        }
        a->digits = (unsigned)n;
    }
    if (c->period != NULL) {
        if (cli_parse_uint(c->period, OV_PERIOD_MAX, &n) != 0 || n < 1) {
            cli_error("--period: expected 1 to %d seconds, got '%s'", OV_PERIOD_MAX, c->period);
            return OV_EXIT_USAGE;
        }
        a->period = (unsigned)n;
    }
    if (c->counter != NULL) {
        if (cli_parse_uint(c->counter, UINT64_MAX, &n) != 0) {
            cli_error("--counter: expected a whole number, got '%s'", c->counter);
            return OV_EXIT_USAGE;
        }
        a->counter = n;
    }
    return OV_EXIT_OK;
}

static int ask_labels(struct ov_account *a)
{
    char *text;

    if ((text = ask("issuer", a->issuer)) == NULL)
        return OV_EXIT_FAIL;
    ov_account_set_text(&a->issuer, text);
    free(text);
    if ((text = ask("account name", a->name)) == NULL)
        return OV_EXIT_FAIL;
    ov_account_set_text(&a->name, text);
    free(text);
    if ((text = ask("group ('-' for none)", a->group != NULL ? a->group : "-")) == NULL)
        return OV_EXIT_FAIL;
    ov_account_set_text(&a->group, strcmp(text, "-") == 0 ? NULL : text);
    free(text);
    return OV_EXIT_OK;
}

int cmd_edit(struct cli *c)
{
    struct ov_account edited;
    struct ov_error err = { 0 };
    struct ov_vault v;
    size_t i;
    int status = cli_open_vault(c, &v);

    if (status != OV_EXIT_OK)
        return status;
    if (edit_has_options(c))
        status = cli_begin_write(&v, NULL); /* nothing to ask: lock, then pick */
    if (status == OV_EXIT_OK)
        status = pick_one(&v, c->positional[0], &i);
    if (status != OV_EXIT_OK) {
        ov_vault_close(&v);
        return status;
    }
    /* Work on a copy, so a rejected edit leaves the account as it was. */
    ov_account_copy(&edited, &v.accounts.items[i]);
    if (edit_has_options(c)) {
        apply_label_options(c, &edited);
        status = apply_otp_options(c, &edited);
    } else {
        status = ask_labels(&edited);
    }
    if (status == OV_EXIT_OK && ov_account_validate(&edited, &err) != OV_OK) {
        cli_error("%s", err.msg);
        status = OV_EXIT_FAIL;
    }
    if (status == OV_EXIT_OK)
        status = begin_write_on(&v, &i, "nothing was changed");
    if (status == OV_EXIT_OK) {
        ov_account_free(&v.accounts.items[i]);
        v.accounts.items[i] = edited;
        memset(&edited, 0, sizeof edited);
        status = cli_save_vault(&v);
        if (status == OV_EXIT_OK) {
            printf("updated ");
            print_label(stdout, &v.accounts.items[i]);
            fputc('\n', stdout);
        }
    }
    ov_account_free(&edited);
    ov_vault_close(&v);
    return status;
}
