/* Account records: validation, matching and list ownership. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "otpvault/account.h"
#include "otpvault/crypto.h"
#include "otpvault/mem.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(account, .init = setup);

Test(account, algo_names_are_parsed_leniently)
{
    enum ov_algo a;
    cr_assert_eq(ov_algo_parse("sha256", &a), 0);
    cr_assert_eq(a, OV_SHA256);
    cr_assert_eq(ov_algo_parse("HmacSHA1", &a), 0);
    cr_assert_eq(a, OV_SHA1);
    cr_assert_eq(ov_algo_parse("SHA-512", &a), 0);
    cr_assert_eq(a, OV_SHA512);
    cr_assert_eq(ov_algo_parse("SHA3", &a), -1);
}

Test(account, validate_rejects_bad_digits_and_empty_secret)
{
    struct ov_account a;
    struct ov_error err = {0};
    ov_account_init(&a);
    cr_assert_eq(ov_account_validate(&a, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "secret") != NULL);
    ov_account_set_secret(&a, (const uint8_t *)"12345678901234567890", 20);
    a.digits = 11;
    cr_assert_eq(ov_account_validate(&a, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "11") != NULL, "message should name the value: %s", err.msg);
    a.digits = 6;
    cr_assert_eq(ov_account_validate(&a, &err), OV_OK);
    ov_account_free(&a);
}

Test(account, query_matches_issuer_name_and_both)
{
    struct ov_account a;
    ov_account_init(&a);
    ov_account_set_text(&a.issuer, "GitHub");
    ov_account_set_text(&a.name, "alice@example.com");
    cr_assert(ov_account_matches(&a, "github"));
    cr_assert(ov_account_matches(&a, "ALICE"));
    cr_assert(ov_account_matches(&a, "git:alice"));
    cr_assert_not(ov_account_matches(&a, "gitlab"));
    cr_assert(ov_account_matches(&a, NULL));
    ov_account_free(&a);
}

Test(account, list_push_moves_and_remove_keeps_order)
{
    struct ov_account_list l;
    ov_account_list_init(&l);
    for (int i = 0; i < 40; i++) {
        struct ov_account a;
        char name[16];
        ov_account_init(&a);
        snprintf(name, sizeof name, "n%d", i);
        ov_account_set_text(&a.name, name);
        ov_account_list_push(&l, &a);
        cr_assert_null(a.name);
        ov_account_free(&a);
    }
    ov_account_list_remove(&l, 0);
    cr_assert_eq(l.len, 39);
    cr_assert_str_eq(l.items[0].name, "n1");
    cr_assert_str_eq(l.items[38].name, "n39");
    ov_account_list_free(&l);
}

Test(account, list_insert_puts_back_where_remove_took)
{
    static const char *const names[] = { "a", "b", "c" };
    struct ov_account_list l;
    struct ov_account a;

    ov_account_list_init(&l);
    for (size_t i = 0; i < 3; i++) {
        ov_account_init(&a);
        ov_account_set_text(&a.name, names[i]);
        ov_account_list_push(&l, &a);
    }
    for (size_t at = 0; at < 3; at++) {
        ov_account_copy(&a, &l.items[at]);
        ov_account_list_remove(&l, at);
        ov_account_list_insert(&l, &a, at);
        cr_assert_null(a.name, "the list took the account");
        cr_assert_eq(l.len, 3);
        for (size_t i = 0; i < 3; i++)
            cr_assert_str_eq(l.items[i].name, names[i], "after taking out %zu", at);
    }
    ov_account_init(&a);
    ov_account_set_text(&a.name, "z");
    ov_account_list_insert(&l, &a, 99);
    cr_assert_eq(l.len, 4);
    cr_assert_str_eq(l.items[3].name, "z");
    ov_account_list_free(&l);
}

Test(account, label_and_list_has)
{
    struct ov_account a, b;
    struct ov_account_list l;
    char buf[64];
    const uint8_t k[] = { 1, 2, 3 };

    ov_account_init(&a);
    ov_account_set_text(&a.name, "alice");
    cr_assert_str_eq(ov_account_label(&a, buf, sizeof buf), "alice");
    ov_account_set_text(&a.issuer, "GitHub");
    cr_assert_str_eq(ov_account_label(&a, buf, sizeof buf), "GitHub: alice");
    ov_account_set_text(&a.name, "");
    cr_assert_str_eq(ov_account_label(&a, buf, sizeof buf), "GitHub");
    ov_account_set_secret(&a, k, sizeof k);
    ov_account_copy(&b, &a);
    ov_account_list_init(&l);
    cr_assert_not(ov_account_list_has(&l, &a));
    ov_account_list_push(&l, &b);
    cr_assert(ov_account_list_has(&l, &a));
    ov_account_set_text(&a.name, "bob");
    cr_assert_not(ov_account_list_has(&l, &a));
    ov_account_list_free(&l);
    ov_account_free(&a);
}
