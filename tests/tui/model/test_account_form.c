/* The add/edit form's validation: URI or fields, the field at fault and its message. */
#include <criterion/criterion.h>
#include <string.h>

#include "tui/model/account_form.h"
#include "otpvault/crypto.h"
#include "otpvault/otp.h"

static void setup(void)
{
    cr_assert_eq(ov_crypto_init(), 0);
}

TestSuite(account_form, .init = setup);

#define RFC_SHA1 "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

Test(account_form, uri_with_label_override)
{
    const char *t[OV_F_COUNT] = { 0 };
    struct ov_account a;
    struct ov_error err = { 0 };
    enum ov_form_field bad;

    t[OV_F_URI] = "otpauth://totp/Example:alice?secret=" RFC_SHA1 "&digits=8";
    t[OV_F_NAME] = "alice at work";
    t[OV_F_GROUP] = "work";
    cr_assert_eq(ov_account_from_form(t, NULL, &a, &bad, &err), OV_OK, "%s", err.msg);
    cr_assert_str_eq(a.issuer, "Example");
    cr_assert_str_eq(a.name, "alice at work");
    cr_assert_str_eq(a.group, "work");
    cr_assert_eq(a.digits, 8);
    ov_account_free(&a);
}

Test(account_form, fields_make_an_account)
{
    const char *t[OV_F_COUNT] = { 0 };
    struct ov_account a;
    struct ov_error err = { 0 };
    enum ov_form_field bad;
    char code[OV_CODE_MAX];

    t[OV_F_ISSUER] = "Example";
    t[OV_F_NAME] = "alice";
    t[OV_F_SECRET] = "gezd gnbv gy3t qojq gezd gnbv gy3t qojq";
    t[OV_F_DIGITS] = "8";
    cr_assert_eq(ov_account_from_form(t, NULL, &a, &bad, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(ov_otp_code_at(&a, 59, code, NULL, &err), OV_OK);
    cr_assert_str_eq(code, "94287082");  /* RFC 6238 appendix B */
    ov_account_free(&a);
    t[OV_F_TYPE] = "steam";
    cr_assert_eq(ov_account_from_form(t, NULL, &a, &bad, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(a.digits, 5);
    ov_account_free(&a);
}

static void assert_bad(const char *const t[OV_F_COUNT], const struct ov_account *base,
                       enum ov_form_field want, const char *msg_part)
{
    struct ov_account a;
    struct ov_error err = { 0 };
    enum ov_form_field bad;
    cr_assert_eq(ov_account_from_form(t, base, &a, &bad, &err), OV_ERR_INVALID);
    cr_assert_eq(bad, want, "field %d, message %s", bad, err.msg);
    cr_assert(strstr(err.msg, msg_part) != NULL, "%s", err.msg);
    ov_account_free(&a);
}

Test(account_form, errors_point_at_the_field)
{
    const char *t[OV_F_COUNT] = { 0 };
    t[OV_F_NAME] = "alice";
    assert_bad(t, NULL, OV_F_SECRET, "paste an otpauth:// URI");
    t[OV_F_SECRET] = "JBSWY3DP!";
    assert_bad(t, NULL, OV_F_SECRET, "secret (Base32)");
    t[OV_F_SECRET] = RFC_SHA1;
    t[OV_F_DIGITS] = "11";
    assert_bad(t, NULL, OV_F_DIGITS, "expected 1 to 10, got '11'");
    t[OV_F_DIGITS] = NULL;
    t[OV_F_PERIOD] = "0";
    assert_bad(t, NULL, OV_F_PERIOD, "period");
    t[OV_F_PERIOD] = NULL;
    t[OV_F_TYPE] = "motp";
    assert_bad(t, NULL, OV_F_TYPE, "expected totp, hotp or steam");
    t[OV_F_TYPE] = NULL;
    t[OV_F_ALGORITHM] = "SHA3";
    assert_bad(t, NULL, OV_F_ALGORITHM, "SHA1, SHA256");
    t[OV_F_ALGORITHM] = NULL;
    t[OV_F_URI] = "otpauth://totp/x?secret=" RFC_SHA1;
    assert_bad(t, NULL, OV_F_SECRET, "not both");
    t[OV_F_SECRET] = NULL;
    t[OV_F_URI] = "otpauth://totp/x";
    assert_bad(t, NULL, OV_F_URI, "otpauth:// URI");
    const char *none[OV_F_COUNT] = { 0 };
    none[OV_F_SECRET] = RFC_SHA1;
    assert_bad(none, NULL, OV_F_NAME, "a name or an issuer");
}

Test(account_form, edit_keeps_the_secret_and_can_clear_group)
{
    const char *t[OV_F_COUNT] = { 0 };
    char *texts[OV_F_COUNT];
    struct ov_account base, a;
    struct ov_error err = { 0 };
    enum ov_form_field bad;

    t[OV_F_URI] = "otpauth://hotp/Bank:me?secret=" RFC_SHA1 "&counter=7";
    t[OV_F_GROUP] = "money";
    cr_assert_eq(ov_account_from_form(t, NULL, &base, &bad, &err), OV_OK, "%s", err.msg);
    ov_form_texts_from_account(&base, texts);
    cr_assert_str_eq(texts[OV_F_TYPE], "hotp");
    cr_assert_str_eq(texts[OV_F_COUNTER], "7");
    cr_assert_str_eq(texts[OV_F_GROUP], "money");
    cr_assert_null(texts[OV_F_SECRET]);
    free(texts[OV_F_GROUP]);
    texts[OV_F_GROUP] = strdup("");
    free(texts[OV_F_NAME]);
    texts[OV_F_NAME] = strdup("me, renamed");
    cr_assert_eq(ov_account_from_form((const char *const *)texts, &base, &a, &bad, &err), OV_OK,
                 "%s", err.msg);
    cr_assert_str_eq(a.name, "me, renamed");
    cr_assert_null(a.group);
    cr_assert_eq(a.counter, 7);
    cr_assert_eq(a.secret_len, base.secret_len);
    cr_assert_eq(memcmp(a.secret, base.secret, a.secret_len), 0);
    ov_form_texts_free(texts);
    ov_account_free(&a);
    ov_account_free(&base);
}
