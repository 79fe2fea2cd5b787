/* otpvault's own JSON (what export --format json writes): every field comes back, a bad
 * entry is an issue naming it while the rest imports, and a secret too long for any key is
 * refused for its entry before anything is allocated. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/crypto.h"
#include "otpvault/export.h"
#include "otpvault/sync.h"
#include "tests/lib/import_harness.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(json, .init = setup);

Test(json, every_field_comes_back)
{
    const char *doc = "[{\"type\":\"hotp\",\"issuer\":\"Bank\",\"name\":\"bob\","
                      "\"secret\":\"GEZDGNBVGY3TQOJQ\",\"algorithm\":\"SHA256\",\"digits\":8,"
                      "\"counter\":42,\"group\":\"Money\",\"note\":\"the old card\"},"
                      "{\"type\":\"totp\",\"issuer\":\"GitHub\",\"name\":\"alice\","
                      "\"secret\":\"JBSWY3DPEHPK3PXP\",\"algorithm\":\"SHA1\",\"digits\":6,"
                      "\"period\":60}]";
    struct import_result r;
    const struct ov_account *bank, *gh;

    import_str("json", doc, NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 2, "%s", import_first_issue(&r));
    bank = import_find(&r, "Bank", "bob");
    gh = import_find(&r, "GitHub", "alice");
    cr_assert(bank != NULL && gh != NULL);
    cr_assert_eq(bank->type, OV_HOTP);
    cr_assert_eq(bank->algo, OV_SHA256);
    cr_assert_eq(bank->digits, 8);
    cr_assert_eq(bank->counter, 42);
    cr_assert_str_eq(bank->group, "Money");
    cr_assert_str_eq(bank->note, "the old card");
    cr_assert_eq(bank->secret_len, 10);
    cr_assert_eq(memcmp(bank->secret, "1234567890", 10), 0);
    cr_assert_eq(gh->period, 60);
    import_result_free(&r);
}

Test(json, a_bad_entry_is_named_and_the_rest_imports)
{
    const char *doc = "[{\"type\":\"totp\",\"issuer\":\"A\",\"name\":\"a\","
                      "\"secret\":\"JBSWY3DPEHPK3PXP\",\"algorithm\":\"SHA1\"},"
                      "{\"type\":\"totp\",\"issuer\":\"B\",\"name\":\"b\","
                      "\"secret\":\"NOT!BASE32\",\"algorithm\":\"SHA1\"},"
                      "42]";
    struct import_result r;

    import_str("json", doc, NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 1);
    cr_assert_eq(import_failures(&r), 2);
    cr_assert(import_issue_at(&r, 2, "account 2: invalid character '!'"), "%s",
              import_first_issue(&r));
    cr_assert(import_issue_at(&r, 3, "account 3: not an object"));
    import_result_free(&r);
    import_str("json", "{\"secret\":\"x\"}", NULL, &r);
    cr_assert_eq(r.rc, OV_ERR_INVALID);
    cr_assert(import_error_has(&r, "expected a JSON array of accounts"), "%s", r.err.msg);
    import_result_free(&r);
}

/* A secret of 200,000 characters once went to the secure allocator whole. */
Test(json, a_secret_longer_than_any_key_is_refused_for_its_entry)
{
    const size_t n = 200000;
    const char *head = "[{\"type\":\"totp\",\"issuer\":\"Big\",\"name\":\"x\",\"algorithm\":"
                       "\"SHA1\",\"secret\":\"";
    char *doc = malloc(strlen(head) + n + 8);
    struct import_result r;

    strcpy(doc, head);
    memset(doc + strlen(head), 'A', n);
    strcpy(doc + strlen(head) + n, "\"}]");
    import_str("json", doc, NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 0);
    cr_assert(import_said(&r, "200000 characters, too long for a key"), "%s",
              import_first_issue(&r));
    import_result_free(&r);
    free(doc);
}

Test(json, every_cut_fails_cleanly)
{
    static const char doc[] = "[{\"type\":\"totp\",\"issuer\":\"A\",\"name\":\"a\","
                              "\"secret\":\"JBSWY3DPEHPK3PXP\",\"algorithm\":\"SHA1\"}]";

    cr_assert_eq(import_cuts_fail("json", doc, sizeof doc - 1, NULL, 0, 1), sizeof doc - 1);
}

/* Our own export carries each account's identity and change time (sync.h), so an account
 * that goes out as JSON and comes back in is the same account to a merge; a malformed id
 * is dropped (a new one is given at the next save), never fatal. */
Test(json, ids_and_change_times_come_back)
{
    struct ov_account a;
    struct import_result r;
    json_t *arr = json_array(), *o;
    char id[2 * OV_ACCOUNT_ID_LEN + 1];

    ov_account_init(&a);
    ov_account_set_text(&a.issuer, "GitHub");
    ov_account_set_text(&a.name, "alice");
    ov_account_set_secret(&a, (const uint8_t *)"12345678901234567890", 20);
    for (size_t i = 0; i < OV_ACCOUNT_ID_LEN; i++)
        a.id[i] = (uint8_t)(0xa0 + i);
    a.modified = 1800000000123;
    o = ov_account_json(&a, true);
    ov_account_id_text(a.id, id);
    cr_assert_str_eq(json_string_value(json_object_get(o, "id")), id);
    json_array_append_new(arr, o);
    o = ov_account_json(&a, true);
    json_object_set_new(o, "id", json_string("not an id"));
    json_object_set_new(o, "name", json_string("bob"));
    json_array_append_new(arr, o);
    import_json("json", arr, NULL, &r);
    cr_assert_eq(r.rc, 0, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 2);
    cr_assert_eq(memcmp(r.accounts.items[0].id, a.id, OV_ACCOUNT_ID_LEN), 0);
    cr_assert_eq(r.accounts.items[0].modified, 1800000000123);
    cr_assert(ov_account_id_none(r.accounts.items[1].id), "a malformed id was kept");
    import_result_free(&r);
    json_decref(arr);
    ov_account_free(&a);
}
