/* Commands that read accounts: list and code, with aligned text or contract JSON. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "otpvault/mem.h"
#include "otpvault/otp.h"
#include "otpvault/textwidth.h"

static void print_padded(const char *s, int width)
{
    int pad = width - ov_text_width(s);
    cli_print_shown(stdout, s);
    while (pad-- > 0)
        fputc(' ', stdout);
}

static void describe_otp(const struct ov_account *a, char *out, size_t n)
{
    if (a->type == OV_HOTP)
        snprintf(out, n, "hotp %s %u counter %llu", ov_algo_name(a->algo), a->digits,
                 (unsigned long long)a->counter);
    else
        snprintf(out, n, "%s %s %u %us", ov_otp_type_name(a->type), ov_algo_name(a->algo),
                 a->digits, a->period);
}

/* Indices of accounts matching query, in vault order. */
static size_t select_accounts(const struct ov_vault *v, const char *query, size_t *idx)
{
    size_t n = 0;
    for (size_t i = 0; i < v->accounts.len; i++)
        if (ov_account_matches(&v->accounts.items[i], query))
            idx[n++] = i;
    return n;
}

static const char *query_of(const struct cli *c)
{
    return c->npositional > 0 ? c->positional[0] : NULL;
}

int cmd_list(struct cli *c)
{
    struct ov_vault v;
    size_t *idx, n;
    int status = cli_open_vault(c, &v);

    if (status != OV_EXIT_OK)
        return status;
    idx = ov_xcalloc(v.accounts.len, sizeof *idx);
    n = select_accounts(&v, query_of(c), idx);
    if (c->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, cli_json_account(&v.accounts.items[idx[i]],
                                                        CLI_JSON_NO_SECRET));
        cli_json_print_array(arr);
    } else {
        int wi = (int)strlen("ISSUER"), wn = (int)strlen("NAME");
        for (size_t i = 0; i < n; i++) {
            const struct ov_account *a = &v.accounts.items[idx[i]];
            int w1 = ov_text_width(a->issuer), w2 = ov_text_width(a->name);
            wi = w1 > wi ? w1 : wi;
            wn = w2 > wn ? w2 : wn;
        }
        if (n > 0) {
            print_padded("ISSUER", wi + 2);
            print_padded("NAME", wn + 2);
            puts("OTP");
        }
        for (size_t i = 0; i < n; i++) {
            const struct ov_account *a = &v.accounts.items[idx[i]];
            char otp[96];
            describe_otp(a, otp, sizeof otp);
            print_padded(a->issuer, wi + 2);
            print_padded(a->name, wn + 2);
            fputs(otp, stdout);
            if (a->group != NULL) {
                fputs("  [", stdout);
                cli_print_shown(stdout, a->group);
                fputc(']', stdout);
            }
            fputc('\n', stdout);
        }
        if (query_of(c) != NULL && n == 0) {
            cli_error("no account matches '%s'", query_of(c));
            status = OV_EXIT_FAIL;
        }
    }
    free(idx);
    ov_vault_close(&v);
    return status;
}

int cmd_code(struct cli *c)
{
    struct ov_vault v;
    size_t *idx, n;
    int64_t t;
    json_t *arr = NULL;
    int status;

    if (c->next)
        return cli_code_next(c);
    status = cli_open_vault(c, &v);

    if (status != OV_EXIT_OK)
        return status;
    t = c->has_at ? c->at : ov_now();
    idx = ov_xcalloc(v.accounts.len, sizeof *idx);
    n = select_accounts(&v, query_of(c), idx);
    if (n == 0 && query_of(c) != NULL) {
        cli_error("no account matches '%s'", query_of(c));
        status = OV_EXIT_FAIL;
    }
    if (c->json)
        arr = json_array();
    for (size_t i = 0; i < n && status == OV_EXIT_OK; i++) {
        const struct ov_account *a = &v.accounts.items[idx[i]];
        struct ov_error err = { 0 };
        char code[OV_CODE_MAX];
        unsigned remaining = 0;

        if (ov_otp_code_at(a, t, code, &remaining, &err) != OV_OK) {
            cli_error("%s%s%s: %s", a->issuer, a->issuer[0] != '\0' ? ":" : "", a->name,
                      err.msg);
            status = OV_EXIT_FAIL;
            break;
        }
        if (arr != NULL) {
            json_t *o = cli_json_account(a, CLI_JSON_NO_SECRET);
            json_object_set_new(o, "code", json_string(code));
            json_object_set_new(o, "remaining",
                                a->type == OV_HOTP ? json_null() : json_integer(remaining));
            json_array_append_new(arr, o);
        } else if (n == 1 && query_of(c) != NULL) {
            puts(code); /* one account asked for: just the code, for scripts */
        } else {
            if (a->type == OV_HOTP)
                printf("%-10s  #%-4llu  ", code, (unsigned long long)a->counter);
            else
                printf("%-10s  %3us   ", code, remaining);
            cli_print_shown(stdout, a->issuer);
            if (a->issuer[0] != '\0' && a->name[0] != '\0')
                fputs(": ", stdout);
            cli_print_shown(stdout, a->name);
            fputc('\n', stdout);
        }
        ov_wipe(code, sizeof code);
    }
    if (arr != NULL) {
        if (status == OV_EXIT_OK)
            cli_json_print_array(arr);
        else
            json_decref(arr);
    }
    free(idx);
    ov_vault_close(&v);
    return status;
}
