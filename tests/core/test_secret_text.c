/* The one decoder of secrets stored as text: every encoding, one limit, clear messages. */
#include <criterion/criterion.h>
#include <string.h>

#include "otpvault/crypto.h"
#include "otpvault/mem.h"
#include "otpvault/secret_text.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(secret_text, .init = setup);

static void expect_error(const char *text, enum ov_secret_encoding enc, int code,
                         const char *needle)
{
    struct ov_account a;
    struct ov_error err = { 0 };

    ov_account_init(&a);
    cr_assert_eq(ov_secret_text_set(&a, text, enc, &err), code, "%.40s: %s", text, err.msg);
    cr_assert_not_null(strstr(err.msg, needle), "%.40s: '%s' lacks '%s'", text, err.msg, needle);
    cr_assert_null(a.secret, "nothing set on failure");
    ov_account_free(&a);
}

Test(secret_text, each_encoding_decodes_into_the_account)
{
    static const struct {
        const char *text;
        enum ov_secret_encoding enc;
    } hello[] = { { "jbsw y3dp", OV_SECRET_BASE32 }, { "SGVsbG8=", OV_SECRET_BASE64 },
                  { "SGVsbG8", OV_SECRET_BASE64 }, { "48656C6c6f", OV_SECRET_HEX } };

    for (size_t i = 0; i < sizeof hello / sizeof *hello; i++) {
        struct ov_account a;
        struct ov_error err = { 0 };

        ov_account_init(&a);
        cr_assert_eq(ov_secret_text_set(&a, hello[i].text, hello[i].enc, &err), OV_OK, "%s: %s",
                     hello[i].text, err.msg);
        cr_assert_eq(a.secret_len, 5, "%s", hello[i].text);
        cr_assert_eq(memcmp(a.secret, "Hello", 5), 0, "%s", hello[i].text);
        /* Set again: the old secret is replaced (and wiped), not leaked. */
        cr_assert_eq(ov_secret_text_set(&a, "GEZDG", OV_SECRET_BASE32, &err), OV_OK);
        cr_assert_eq(a.secret_len, 3);
        ov_account_free(&a);
    }
}

Test(secret_text, errors_name_the_encoding_and_the_place)
{
    expect_error("", OV_SECRET_BASE32, OV_ERR_INVALID, "the secret is empty");
    expect_error("====", OV_SECRET_BASE32, OV_ERR_INVALID, "the secret is empty");
    expect_error("ABCD1FGH", OV_SECRET_BASE32, OV_ERR_INVALID,
                 "invalid character '1' at position 5 of the secret (Base32)");
    expect_error("48zz", OV_SECRET_HEX, OV_ERR_INVALID, "of the secret (hex)");
    expect_error("not base64!", OV_SECRET_BASE64, OV_ERR_INVALID, "of the secret (Base64)");
}

/* One limit for every encoding, checked on the text before anything is allocated, and one
 * on the decoded key. */
Test(secret_text, one_limit_for_every_encoding)
{
    static const enum ov_secret_encoding all[] = { OV_SECRET_BASE32, OV_SECRET_BASE64,
                                                   OV_SECRET_HEX };
    char *longest = ov_xmalloc(OV_SECRET_TEXT_MAX + 2);
    char *hex = ov_xmalloc(2 * (OV_SECRET_MAX + 1) + 1);

    memset(longest, 'A', OV_SECRET_TEXT_MAX + 1);
    longest[OV_SECRET_TEXT_MAX + 1] = '\0';
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        expect_error(longest, all[i], OV_ERR_LIMIT, "characters, too long for a key");
    memset(hex, '7', 2 * (OV_SECRET_MAX + 1));
    hex[2 * (OV_SECRET_MAX + 1)] = '\0';
    expect_error(hex, OV_SECRET_HEX, OV_ERR_LIMIT, "the secret is 1025 bytes, more than 1024");
    /* The largest key there is fits in every encoding's text. */
    hex[2 * OV_SECRET_MAX] = '\0';
    {
        struct ov_account a;
        struct ov_error err = { 0 };
        ov_account_init(&a);
        cr_assert_eq(ov_secret_text_set(&a, hex, OV_SECRET_HEX, &err), OV_OK, "%s", err.msg);
        cr_assert_eq(a.secret_len, OV_SECRET_MAX);
        ov_account_free(&a);
    }
    free(longest);
    free(hex);
}
