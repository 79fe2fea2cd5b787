/* otpauth:// parsing and formatting: the Aegis plain.txt corpus (V1..V7), one test per
 * deviation row of formats.md 20.3, the issuer/name contract of design.md 4.1, error
 * messages, and format -> parse round trips. */
#include <criterion/criterion.h>
#include <gcrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/account.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/mem.h"
#include "otpvault/otp.h"
#include "otpvault/uri.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(uri, .init = setup);

#define WARN_LEN 256

/* Parses uri, which must succeed; the caller frees *a. */
static void parse_ok(const char *uri, struct ov_account *a, char *warning)
{
    struct ov_error err = {0};
    char local[WARN_LEN];
    int rc = ov_uri_parse(uri, a, warning != NULL ? warning : local, WARN_LEN, &err);
    cr_assert_eq(rc, OV_OK, "%s: %s", uri, err.msg);
}

/* Parses uri, which must fail with a message containing want. */
static void parse_fails(const char *uri, const char *want)
{
    struct ov_account a;
    struct ov_error err = {0};
    int rc = ov_uri_parse(uri, &a, NULL, 0, &err);

    cr_assert_neq(rc, OV_OK, "%s should fail", uri);
    cr_assert_eq(err.code, rc);
    cr_assert(strstr(err.msg, want) != NULL, "%s: message \"%s\" lacks \"%s\"", uri, err.msg,
              want);
    ov_account_free(&a);
}

static void expect_secret(const struct ov_account *a, const char *base32)
{
    char text[256];
    cr_assert_not_null(a->secret);
    cr_assert(gcry_is_secure(a->secret), "the secret must be in secure memory");
    ov_base32_encode(a->secret, a->secret_len, text);
    cr_assert_str_eq(text, base32);
}

static void expect_label(const struct ov_account *a, const char *issuer, const char *name)
{
    cr_assert_str_eq(a->issuer, issuer);
    cr_assert_str_eq(a->name, name);
}

/* EXPECTED.md: plain.txt is exactly V1..V7. */
static const struct vector {
    enum ov_otp_type type;
    const char *issuer, *name, *secret;
    enum ov_algo algo;
    unsigned digits, period;
    uint64_t counter;
    const char *code; /* at T=1700000000 (TOTP/Steam) or at the stored counter (HOTP) */
} vectors[] = {
    { OV_TOTP, "Deno", "Mason", "4SJHB4GSD43FZBAI7C2HLRJGPQ", OV_SHA1, 6, 30, 0, "790195" },
    { OV_TOTP, "SPDX", "James", "5OM4WOOGPLQEF6UGN3CPEOOLWU", OV_SHA256, 7, 20, 0, "9993814" },
    { OV_TOTP, "Airbnb", "Elijah", "7ELGJSGXNCCTV3O6LKJWYFV2RA", OV_SHA512, 8, 50, 0,
      "65516786" },
    { OV_HOTP, "Issuu", "James", "YOOMIXWS5GN6RTBPUFFWKTW5M4", OV_SHA1, 6, 0, 1, "253717" },
    { OV_HOTP, "Air Canada", "Benjamin", "KUVJJOM753IHTNDSZVCNKL7GII", OV_SHA256, 7, 0, 50,
      "4444976" },
    { OV_HOTP, "WWE", "Mason", "5VAML3X35THCEBVRLV24CGBKOY", OV_SHA512, 8, 0, 10300,
      "24622277" },
    { OV_STEAM, "Boeing", "Sophia", "JRZCL47CMXVOQMNPZR2F7J4RGI", OV_SHA1, 5, 30, 0, "747JR" },
};

static void expect_vector(const struct ov_account *a, const struct vector *v)
{
    char code[OV_CODE_MAX];
    struct ov_error err = {0};

    cr_assert_eq(a->type, v->type, "%s", v->issuer);
    expect_label(a, v->issuer, v->name);
    expect_secret(a, v->secret);
    cr_assert_eq(a->algo, v->algo, "%s", v->issuer);
    cr_assert_eq(a->digits, v->digits, "%s", v->issuer);
    if (v->type == OV_HOTP)
        cr_assert_eq(a->counter, v->counter, "%s", v->issuer);
    else
        cr_assert_eq(a->period, v->period, "%s", v->issuer);
    cr_assert_eq(ov_account_validate(a, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(ov_otp_code_at(a, 1700000000, code, NULL, &err), OV_OK, "%s", err.msg);
    cr_assert_str_eq(code, v->code, "%s", v->issuer);
}

static FILE *open_fixture(const char *rel)
{
    const char *dir = getenv("FIXTURES_DIR");
    char path[1024];

    snprintf(path, sizeof path, "%s/%s", dir != NULL && dir[0] != '\0' ? dir
                                                                       : "../shared/fixtures",
             rel);
    return fopen(path, "r");
}

Test(uri, plain_txt_fixture_is_v1_to_v7)
{
    FILE *f = open_fixture("aegis-importers/plain.txt");
    char line[1024];
    size_t n = 0;

    if (f == NULL) {
        fprintf(stderr, "SKIP: aegis-importers/plain.txt not found (set FIXTURES_DIR)\n");
        return;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        struct ov_account a;
        char warning[WARN_LEN];
        if (strspn(line, " \t\r\n") == strlen(line))
            continue;
        cr_assert_lt(n, sizeof vectors / sizeof *vectors, "more lines than vectors");
        parse_ok(line, &a, warning);
        expect_vector(&a, &vectors[n]);
        cr_assert_str_eq(warning, "", "line %zu: unexpected warning %s", n + 1, warning);
        ov_account_free(&a);
        n++;
    }
    fclose(f);
    cr_assert_eq(n, 7);
}

/* ---- formats.md 20.3, one test per row ---- */

Test(uri, dev_lower_and_mixed_case_secret)
{
    struct ov_account a;
    parse_ok("otpauth://totp/Deno:Mason?secret=4sjhb4gsd43fzBAI7C2HLRJGPQ&issuer=Deno", &a, NULL);
    expect_secret(&a, "4SJHB4GSD43FZBAI7C2HLRJGPQ");
    ov_account_free(&a);
}

Test(uri, dev_padding_on_secret)
{
    struct ov_account a;
    parse_ok("otpauth://totp/x?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ======", &a, NULL);
    expect_secret(&a, "4SJHB4GSD43FZBAI7C2HLRJGPQ");
    ov_account_free(&a);
    parse_ok("otpauth://totp/x?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ%3D%3D", &a, NULL);
    expect_secret(&a, "4SJHB4GSD43FZBAI7C2HLRJGPQ");
    ov_account_free(&a);
}

Test(uri, dev_spaces_and_dashes_in_secret)
{
    struct ov_account a;
    parse_ok("otpauth://totp/x?secret=4SJH%20B4GS%20D43F-zbai-7c2h+LRJG+PQ", &a, NULL);
    expect_secret(&a, "4SJHB4GSD43FZBAI7C2HLRJGPQ");
    ov_account_free(&a);
}

Test(uri, dev_label_encodings_and_space_after_colon)
{
    struct ov_account a;
    parse_ok("otpauth://totp/Air%20Canada%3ABenjamin?secret=KUVJJOM753IHTNDSZVCNKL7GII", &a,
             NULL);
    expect_label(&a, "Air Canada", "Benjamin");
    ov_account_free(&a);
    /* Authy writes "Deno: Mason"; the space after the colon is not part of the name. */
    parse_ok("otpauth://totp/Deno:%20%20Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno",
             &a, NULL);
    expect_label(&a, "Deno", "Mason");
    ov_account_free(&a);
    /* '+' in the path is a literal plus; in the query it is a space. */
    parse_ok("otpauth://totp/C++:a+b?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ", &a, NULL);
    expect_label(&a, "C++", "a+b");
    ov_account_free(&a);
    parse_ok("otpauth://totp/Air%20Canada:Benjamin?secret=KUVJJOM753IHTNDSZVCNKL7GII"
             "&issuer=Air+Canada", &a, NULL);
    expect_label(&a, "Air Canada", "Benjamin");
    ov_account_free(&a);
    parse_ok("otpauth://totp/x?secret=KUVJJOM753IHTNDSZVCNKL7GII&issuer=A%2BB+C", &a, NULL);
    expect_label(&a, "A+B C", "x");
    ov_account_free(&a);
    /* Inner spaces and UTF-8 are kept verbatim. */
    parse_ok("otpauth://totp/%C3%89cole%20%20X:j%C3%BCrgen?secret=KUVJJOM753IHTNDSZVCNKL7GII",
             &a, NULL);
    expect_label(&a, "\303\211cole  X", "j\xc3\xbcrgen");
    ov_account_free(&a);
}

Test(uri, dev_label_with_several_colons)
{
    struct ov_account a;
    char warning[WARN_LEN];

    /* No issuer parameter: split on the first colon. */
    parse_ok("otpauth://totp/a:b@c?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ", &a, NULL);
    expect_label(&a, "a", "b@c");
    ov_account_free(&a);
    parse_ok("otpauth://totp/Corp:a:b@c?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ", &a, NULL);
    expect_label(&a, "Corp", "a:b@c");
    ov_account_free(&a);
    /* Issuer parameter matches the prefix: split there. */
    parse_ok("otpauth://totp/Corp:a:b@c?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Corp", &a,
             warning);
    expect_label(&a, "Corp", "a:b@c");
    cr_assert_str_eq(warning, "");
    ov_account_free(&a);
    /* Issuer parameter differs from the prefix: design.md 4.1 (the contract) still splits on
     * the first colon and takes the parameter as issuer; formats.md 20.3 would keep the
     * label whole, but the contract wins. */
    parse_ok("otpauth://totp/Corp:a:b@c?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Other", &a,
             warning);
    expect_label(&a, "Other", "a:b@c");
    cr_assert(strstr(warning, "differs") != NULL, "%s", warning);
    ov_account_free(&a);
    /* An issuer that itself holds a colon is matched as a whole. */
    parse_ok("otpauth://totp/Foo%3ABar:alice?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Foo%3ABar",
             &a, NULL);
    expect_label(&a, "Foo:Bar", "alice");
    ov_account_free(&a);
}

Test(uri, dev_issuer_parameter_differs_from_prefix)
{
    struct ov_account a;
    char warning[WARN_LEN];

    parse_ok("otpauth://totp/Google:alice@gmail.com?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ"
             "&issuer=Google+Inc.", &a, warning);
    expect_label(&a, "Google Inc.", "alice@gmail.com");
    cr_assert(strstr(warning, "differs") != NULL, "warning: %s", warning);
    ov_account_free(&a);
}

Test(uri, issuer_prefix_versus_parameter)
{
    struct ov_account a;
    char warning[WARN_LEN];

    /* Prefix only. */
    parse_ok("otpauth://totp/GitHub:alice?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ", &a, warning);
    expect_label(&a, "GitHub", "alice");
    cr_assert_str_eq(warning, "");
    ov_account_free(&a);
    /* Parameter only. */
    parse_ok("otpauth://totp/alice?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=GitHub", &a, NULL);
    expect_label(&a, "GitHub", "alice");
    ov_account_free(&a);
    /* Both, equal. */
    parse_ok("otpauth://totp/GitHub:alice?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=GitHub", &a,
             warning);
    expect_label(&a, "GitHub", "alice");
    cr_assert_str_eq(warning, "");
    ov_account_free(&a);
    /* An empty issuer parameter counts as absent. */
    parse_ok("otpauth://totp/GitHub:alice?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=", &a, NULL);
    expect_label(&a, "GitHub", "alice");
    ov_account_free(&a);
    /* Parameter names are case-insensitive; the first occurrence wins. */
    parse_ok("otpauth://totp/alice?SECRET=4SJHB4GSD43FZBAI7C2HLRJGPQ&Issuer=One&issuer=Two",
             &a, NULL);
    expect_label(&a, "One", "alice");
    ov_account_free(&a);
}

Test(uri, dev_no_issuer_or_no_label)
{
    struct ov_account a;

    parse_ok("otpauth://totp/NoIssuer?secret=KY2QJPMNQLSGSZE2C5F7AYBLBVEEDHFX&issuer=NoIssuer",
             &a, NULL);
    expect_label(&a, "NoIssuer", "NoIssuer");
    ov_account_free(&a);
    parse_ok("otpauth://totp/?secret=KY2QJPMNQLSGSZE2C5F7AYBLBVEEDHFX", &a, NULL);
    expect_label(&a, "", "");
    ov_account_free(&a);
    parse_ok("otpauth://totp?secret=KY2QJPMNQLSGSZE2C5F7AYBLBVEEDHFX", &a, NULL);
    expect_label(&a, "", "");
    ov_account_free(&a);
    parse_ok("otpauth://totp/just%20me?secret=KY2QJPMNQLSGSZE2C5F7AYBLBVEEDHFX", &a, NULL);
    expect_label(&a, "", "just me");
    ov_account_free(&a);
}

Test(uri, dev_algorithm_spellings)
{
    static const struct {
        const char *value;
        enum ov_algo algo;
    } v[] = { { "sha512", OV_SHA512 }, { "SHA-256", OV_SHA256 }, { "HmacSHA1", OV_SHA1 },
              { "hmacsha256", OV_SHA256 }, { "Sha1", OV_SHA1 }, { "MD5", OV_MD5 } };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        char uri[256];
        struct ov_account a;
        snprintf(uri, sizeof uri, "otpauth://totp/x?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ"
                 "&algorithm=%s", v[i].value);
        parse_ok(uri, &a, NULL);
        cr_assert_eq(a.algo, v[i].algo, "%s", v[i].value);
        ov_account_free(&a);
    }
    parse_fails("otpauth://totp/x?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&algorithm=SHA3",
                "unknown parameter value algorithm=SHA3");
}

Test(uri, dev_digits_one_to_ten)
{
    for (unsigned d = 1; d <= 10; d++) {
        char uri[256];
        struct ov_account a;
        snprintf(uri, sizeof uri, "otpauth://totp/x?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ"
                 "&digits=%u", d);
        parse_ok(uri, &a, NULL);
        cr_assert_eq(a.digits, d);
        ov_account_free(&a);
    }
    parse_fails("otpauth://totp/x?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&digits=abc",
                "unknown parameter value digits=abc");
    parse_fails("otpauth://totp/x?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&digits=11",
                "digits=11 is out of range (1 to 10)");
    parse_fails("otpauth://totp/x?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&digits=0", "digits=0");
    parse_fails("otpauth://totp/x?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&digits=-6", "digits=-6");
    parse_fails("otpauth://totp/x?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&digits=", "digits=");
}

Test(uri, period_values)
{
    struct ov_account a;

    parse_ok("otpauth://totp/x?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&period=1", &a, NULL);
    cr_assert_eq(a.period, 1);
    ov_account_free(&a);
    parse_ok("otpauth://totp/x?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&period=2147483", &a, NULL);
    cr_assert_eq(a.period, 2147483);
    ov_account_free(&a);
    parse_fails("otpauth://totp/x?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&period=0", "period=0");
    parse_fails("otpauth://totp/x?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&period=2147484",
                "period=2147484 is out of range");
    parse_fails("otpauth://totp/x?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&period=30s",
                "unknown parameter value period=30s");
}

Test(uri, dev_irrelevant_period_or_counter_is_ignored)
{
    struct ov_account a;

    /* Ente: a stray period on hotp. */
    parse_ok("otpauth://hotp/WWE:Mason?algorithm=sha512&digits=8&issuer=WWE&period=30"
             "&secret=5VAML3X35THCEBVRLV24CGBKOY&counter=10300", &a, NULL);
    expect_vector(&a, &vectors[5]);
    ov_account_free(&a);
    parse_ok("otpauth://hotp/x?secret=5VAML3X35THCEBVRLV24CGBKOY&counter=3&period=junk", &a,
             NULL);
    cr_assert_eq(a.counter, 3);
    ov_account_free(&a);
    parse_ok("otpauth://totp/x?secret=5VAML3X35THCEBVRLV24CGBKOY&counter=7&period=45", &a,
             NULL);
    cr_assert_eq(a.type, OV_TOTP);
    cr_assert_eq(a.period, 45);
    cr_assert_eq(a.counter, 0);
    ov_account_free(&a);
}

Test(uri, dev_hotp_without_counter_defaults_to_zero_with_warning)
{
    struct ov_account a;
    char warning[WARN_LEN];

    parse_ok("otpauth://hotp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", &a, warning);
    cr_assert_eq(a.type, OV_HOTP);
    cr_assert_eq(a.counter, 0);
    cr_assert(strstr(warning, "hotp without counter, using 0") != NULL, "%s", warning);
    ov_account_free(&a);
    parse_ok("otpauth://hotp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
             "&counter=18446744073709551615", &a, NULL);
    cr_assert_eq(a.counter, UINT64_MAX);
    ov_account_free(&a);
    parse_fails("otpauth://hotp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                "&counter=18446744073709551616", "counter=18446744073709551616 is too large");
    parse_fails("otpauth://hotp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=one",
                "unknown parameter value counter=one");
}

Test(uri, dev_extra_parameters_are_ignored)
{
    struct ov_account a;
    char warning[WARN_LEN];

    parse_ok("otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno"
             "&codeDisplay=%7B%22pinned%22%3Afalse%7D&image=https%3A%2F%2Fx%2Fa.png&icon=WinAuth"
             "&color=%23ff0000&pin_length=4&lock=true&&", &a, warning);
    expect_vector(&a, &vectors[0]);
    cr_assert_str_eq(warning, "");
    ov_account_free(&a);
    /* A malformed value in a parameter we ignore does not reject the account. */
    parse_ok("otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno"
             "&image=http%3A%2F%2Fx%2F100%.png&codeDisplay=%zz&x%00=%00", &a, warning);
    expect_vector(&a, &vectors[0]);
    cr_assert_str_eq(warning, "");
    ov_account_free(&a);
}

Test(uri, dev_upper_case_scheme_and_type)
{
    struct ov_account a;

    parse_ok("OTPAUTH://TOTP/DENO:MASON?SECRET=4SJHB4GSD43FZBAI7C2HLRJGPQ", &a, NULL);
    cr_assert_eq(a.type, OV_TOTP);
    expect_label(&a, "DENO", "MASON");
    expect_secret(&a, "4SJHB4GSD43FZBAI7C2HLRJGPQ");
    ov_account_free(&a);
    parse_ok("OtpAuth://Hotp/x?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&counter=2", &a, NULL);
    cr_assert_eq(a.type, OV_HOTP);
    ov_account_free(&a);
}

Test(uri, dev_steam_type)
{
    struct ov_account a;

    parse_ok("otpauth://steam/Boeing:Sophia?secret=JRZCL47CMXVOQMNPZR2F7J4RGI&issuer=Boeing",
             &a, NULL);
    expect_vector(&a, &vectors[6]);
    ov_account_free(&a);
    parse_ok("otpauth://STEAM/Boeing:Sophia?secret=JRZCL47CMXVOQMNPZR2F7J4RGI&digits=5", &a,
             NULL);
    expect_vector(&a, &vectors[6]);
    ov_account_free(&a);
}

Test(uri, dev_steam_encoder_parameter)
{
    struct ov_account a;

    /* KeePassXC writes digits=5 and encoder=steam on a totp URI. */
    parse_ok("otpauth://totp/Boeing:Sophia?secret=JRZCL47CMXVOQMNPZR2F7J4RGI&period=30"
             "&digits=5&issuer=Boeing&encoder=steam", &a, NULL);
    expect_vector(&a, &vectors[6]);
    ov_account_free(&a);
    /* Even if the URI claims 6 digits, Steam codes have 5 characters. */
    char warning[WARN_LEN];
    parse_ok("otpauth://totp/Boeing:Sophia?secret=JRZCL47CMXVOQMNPZR2F7J4RGI&digits=6"
             "&encoder=Steam", &a, warning);
    expect_vector(&a, &vectors[6]);
    cr_assert(strstr(warning, "5 characters") != NULL, "%s", warning);
    ov_account_free(&a);
}

Test(uri, dev_steam_issuer_heuristic)
{
    struct ov_account a;
    char warning[WARN_LEN];

    parse_ok("otpauth://totp/Steam:Sophia?secret=JRZCL47CMXVOQMNPZR2F7J4RGI&issuer=Steam", &a,
             warning);
    cr_assert_eq(a.type, OV_STEAM);
    cr_assert_eq(a.digits, 5);
    expect_label(&a, "Steam", "Sophia");
    cr_assert(strstr(warning, "Steam") != NULL, "%s", warning);
    ov_account_free(&a);
    /* Explicit non-Steam settings win over the heuristic. */
    parse_ok("otpauth://totp/Steam:Sophia?secret=JRZCL47CMXVOQMNPZR2F7J4RGI&issuer=Steam"
             "&digits=6", &a, NULL);
    cr_assert_eq(a.type, OV_TOTP);
    cr_assert_eq(a.digits, 6);
    ov_account_free(&a);
    /* Only exactly "Steam". */
    parse_ok("otpauth://totp/steam:Sophia?secret=JRZCL47CMXVOQMNPZR2F7J4RGI", &a, NULL);
    cr_assert_eq(a.type, OV_TOTP);
    ov_account_free(&a);
    /* HOTP stays HOTP. */
    parse_ok("otpauth://hotp/Steam:Sophia?secret=JRZCL47CMXVOQMNPZR2F7J4RGI&counter=1", &a,
             NULL);
    cr_assert_eq(a.type, OV_HOTP);
    ov_account_free(&a);
}

Test(uri, dev_steam_valueless_flag)
{
    struct ov_account a;

    parse_ok("otpauth://totp/Boeing:Sophia?secret=JRZCL47CMXVOQMNPZR2F7J4RGI&issuer=Boeing"
             "&steam", &a, NULL);
    expect_vector(&a, &vectors[6]);
    ov_account_free(&a);
    parse_ok("otpauth://totp/Boeing:Sophia?steam&secret=JRZCL47CMXVOQMNPZR2F7J4RGI", &a, NULL);
    cr_assert_eq(a.type, OV_STEAM);
    ov_account_free(&a);
    parse_ok("otpauth://totp/Boeing:Sophia?steam=false&secret=JRZCL47CMXVOQMNPZR2F7J4RGI", &a,
             NULL);
    cr_assert_eq(a.type, OV_TOTP);
    ov_account_free(&a);
}

Test(uri, dev_steam_scheme)
{
    struct ov_account a;
    char code[OV_CODE_MAX];

    parse_ok("steam://JRZCL47CMXVOQMNPZR2F7J4RGI", &a, NULL);
    cr_assert_eq(a.type, OV_STEAM);
    expect_label(&a, "Steam", "");
    expect_secret(&a, "JRZCL47CMXVOQMNPZR2F7J4RGI");
    cr_assert_eq(a.digits, 5);
    cr_assert_eq(a.period, 30);
    cr_assert_eq(ov_otp_code_at(&a, 0, code, NULL, NULL), OV_OK);
    cr_assert_str_eq(code, "C2F47");
    ov_account_free(&a);
    parse_fails("steam://", "missing secret");
    parse_fails("steam://JRZC1", "invalid character '1' at position 5 of the secret");
}

Test(uri, dev_motp_scheme)
{
    struct ov_account a;
    char warning[WARN_LEN], code[OV_CODE_MAX];

    parse_ok("motp://Motp:Motp?secret=e3152afee62599c8", &a, warning);
    cr_assert_eq(a.type, OV_MOTP);
    cr_assert_eq(a.algo, OV_MD5);
    cr_assert_eq(a.digits, 6);
    cr_assert_eq(a.period, 10);
    expect_label(&a, "Motp", "Motp");
    cr_assert_eq(a.secret_len, 8);
    cr_assert(strstr(warning, "PIN") != NULL, "%s", warning);
    /* With the PIN set, Aegis' vector: t=165892298, PIN 1234 -> e7d8b6. */
    a.pin = ov_secure_strdup("1234");
    cr_assert_eq(ov_otp_code_at(&a, 165892298, code, NULL, NULL), OV_OK);
    cr_assert_str_eq(code, "e7d8b6");
    ov_account_free(&a);
    parse_ok("MOTP://Acme:bob?secret=E3152AFEE62599C8&issuer=Acme", &a, NULL);
    expect_label(&a, "Acme", "bob");
    cr_assert_eq(a.secret[0], 0xe3);
    ov_account_free(&a);
    parse_fails("motp://Motp:Motp?secret=asdasddasadsadsadsads2133",
                "invalid character 's' at position 2 of the secret");
}

Test(uri, dev_yandex_with_base32_pin)
{
    struct ov_account a;
    char code[OV_CODE_MAX];

    /* PIN "7586" is G42TQNQ in Base32; Aegis' vector gives oactmacq at 1581064020. */
    parse_ok("otpauth://yaotp/Yandex:user?secret=LA2V6KMCGYMWWVEW64RNP3JA3IAAAAAAHTSG4HRZPI"
             "&pin=G42TQNQ&pin_length=4", &a, NULL);
    cr_assert_eq(a.type, OV_YANDEX);
    cr_assert_eq(a.algo, OV_SHA256);
    cr_assert_eq(a.digits, 8);
    cr_assert_eq(a.period, 30);
    cr_assert_str_eq(a.pin, "7586");
    cr_assert(gcry_is_secure(a.pin));
    expect_label(&a, "Yandex", "user");
    cr_assert_eq(ov_otp_code_at(&a, 1581064020, code, NULL, NULL), OV_OK);
    cr_assert_str_eq(code, "oactmacq");
    ov_account_free(&a);
    /* Without a label prefix the issuer is Yandex (Aegis). */
    char warning[WARN_LEN];
    parse_ok("otpauth://yaotp/user?secret=LA2V6KMCGYMWWVEW64RNP3JA3I", &a, warning);
    expect_label(&a, "Yandex", "user");
    cr_assert(strstr(warning, "PIN") != NULL, "%s", warning);
    ov_account_free(&a);
}

Test(uri, dev_crlf_bom_and_surrounding_space)
{
    struct ov_account a;

    parse_ok("\xef\xbb\xbf  otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ"
             "&issuer=Deno&algorithm=SHA1&digits=6&period=30 \r\n", &a, NULL);
    expect_vector(&a, &vectors[0]);
    ov_account_free(&a);
}

/* ---- errors name the problem and where ---- */

Test(uri, errors_name_problem_and_place)
{
    parse_fails("otpauth://totp/x?secret=ABCD1FGH",
                "invalid character '1' at position 5 of the secret");
    parse_fails("otpauth://totp/x?issuer=a", "missing secret");
    parse_fails("otpauth://totp/x", "missing secret");
    parse_fails("otpauth://totp/x?secret=", "the secret is empty");
    parse_fails("otpauth://totp/x?secret=--%20==", "the secret is empty");
    parse_fails("otpauth://totp/x?secret=ABC", "invalid Base32 length");
    parse_fails("otpauth://totp/x?secret=ABC", "the secret");
    parse_fails("otpauth://totp/x%zzy?secret=ABCDEFGH",
                "invalid percent escape '%zz' at position 2 of the label");
    parse_fails("otpauth://totp/x?secret=ABCDEFGH&issuer=a%2",
                "invalid percent escape '%2' at position 2 of parameter issuer");
    parse_fails("otpauth://totp/x%00y?secret=ABCDEFGH", "NUL");
    parse_fails("otpauth://totp/x?secret=ABCDEFGH&issuer=a%00", "NUL");
    parse_fails("otpauth://xotp/x?secret=ABCDEFGH", "unknown OTP type 'xotp'");
    parse_fails("otpauth://?secret=ABCDEFGH", "missing OTP type");
    parse_fails("https://example.com/?secret=ABCDEFGH", "unsupported URI scheme 'https:'");
    parse_fails("JBSWY3DPEHPK3PXP", "not a URI");
    parse_fails("", "empty URI");
    parse_fails(" \r\n", "empty URI");
}

Test(uri, secrets_longer_than_the_limit_are_refused)
{
    /* 1680 Base32 characters (a valid length) are 1050 bytes. */
    size_t n = 1680;
    char *uri = malloc(n + 64);
    strcpy(uri, "otpauth://totp/x?secret=");
    memset(uri + strlen(uri), 'A', n);
    uri[24 + n] = '\0';
    parse_fails(uri, "the secret is 1050 bytes, more than 1024");
    /* Far longer texts are refused before decoding. */
    free(uri);
    n = 100000;
    uri = malloc(n + 64);
    strcpy(uri, "otpauth://totp/x?secret=");
    memset(uri + strlen(uri), 'A', n);
    uri[24 + n] = '\0';
    parse_fails(uri, "too long");
    free(uri);
}

Test(uri, parse_initialises_out_even_on_error)
{
    struct ov_account a;
    cr_assert_neq(ov_uri_parse("nonsense", &a, NULL, 0, NULL), OV_OK);
    cr_assert_not_null(a.issuer);
    cr_assert_not_null(a.name);
    ov_account_free(&a);
}

/* ---- formatting ---- */

Test(uri, format_exact_text)
{
    struct ov_account a;
    char *s;

    ov_account_init(&a);
    ov_account_set_text(&a.issuer, "ACME Co");
    ov_account_set_text(&a.name, "john@example.com");
    ov_account_set_secret(&a, (const uint8_t *)"Hello!\xde\xad\xbe\xef", 10);
    s = ov_uri_format(&a);
    cr_assert(gcry_is_secure(s), "the URI holds the secret and must be in secure memory");
    cr_assert_str_eq(s, "otpauth://totp/ACME%20Co:john@example.com?secret=JBSWY3DPEHPK3PXP"
                        "&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30");
    ov_secure_free_str(s);

    a.type = OV_HOTP;
    a.counter = 42;
    ov_account_set_text(&a.issuer, "");
    s = ov_uri_format(&a);
    cr_assert_str_eq(s, "otpauth://hotp/john@example.com?secret=JBSWY3DPEHPK3PXP"
                        "&algorithm=SHA1&digits=6&counter=42");
    ov_secure_free_str(s);

    a.type = OV_MOTP;
    a.algo = OV_MD5;
    a.period = 10;
    ov_account_set_text(&a.issuer, "Acme");
    s = ov_uri_format(&a);
    cr_assert_str_eq(s, "motp://Acme:john@example.com?secret=48656c6c6f21deadbeef&issuer=Acme");
    ov_secure_free_str(s);

    a.type = OV_STEAM;
    a.algo = OV_SHA1;
    a.digits = 5;
    a.period = 30;
    s = ov_uri_format(&a);
    cr_assert(strncmp(s, "otpauth://steam/Acme:john@example.com?", 38) == 0, "%s", s);
    ov_secure_free_str(s);
    ov_account_free(&a);
}

static void round_trip(const struct ov_account *src)
{
    struct ov_account back;
    char warning[WARN_LEN];
    char *s = ov_uri_format(src);

    parse_ok(s, &back, warning);
    cr_assert_eq(back.type, src->type, "%s", s);
    cr_assert_eq(back.algo, src->algo, "%s", s);
    cr_assert_eq(back.digits, src->digits, "%s", s);
    if (src->type == OV_HOTP)
        cr_assert_eq(back.counter, src->counter, "%s", s);
    else
        cr_assert_eq(back.period, src->period, "%s", s);
    cr_assert_str_eq(back.issuer, src->issuer, "%s", s);
    cr_assert_str_eq(back.name, src->name, "%s", s);
    cr_assert_eq(back.secret_len, src->secret_len, "%s", s);
    cr_assert(memcmp(back.secret, src->secret, src->secret_len) == 0, "%s", s);
    if (src->type == OV_YANDEX)
        cr_assert_str_eq(back.pin, src->pin);
    if (src->type != OV_MOTP && src->type != OV_YANDEX)
        cr_assert_str_eq(warning, "", "%s: %s", s, warning);
    ov_account_free(&back);
    ov_secure_free_str(s);
}

Test(uri, format_parse_round_trips_every_type_and_algorithm)
{
    static const char *const issuers[] = { "GitHub", "", "Air Canada", "A&B=C+D?#%",
                                           "\303\211cole", "Foo:Bar" };
    static const char *const names[] = { "alice@example.com", "bob", "a:b@c", "x y/z",
                                         "j\xc3\xbcrgen", "" };
    static const enum ov_algo algos[] = { OV_SHA1, OV_SHA256, OV_SHA512, OV_MD5 };
    static const enum ov_otp_type types[] = { OV_TOTP, OV_HOTP, OV_STEAM, OV_MOTP,
                                              OV_YANDEX };
    uint8_t secret[32];
    size_t checked = 0;

    for (size_t i = 0; i < sizeof secret; i++)
        secret[i] = (uint8_t)(i * 29 + 3);
    for (size_t t = 0; t < sizeof types / sizeof *types; t++) {
        for (size_t g = 0; g < sizeof algos / sizeof *algos; g++) {
            for (size_t l = 0; l < sizeof issuers / sizeof *issuers; l++) {
                struct ov_account a;
                /* An issuer-less "a:b@c" reads back as issuer "a" by design.md 4.1. */
                if (issuers[l][0] == '\0' && strchr(names[l], ':') != NULL)
                    continue;
                ov_account_init(&a);
                a.type = types[t];
                ov_account_set_text(&a.issuer, issuers[l]);
                ov_account_set_text(&a.name, names[l]);
                ov_account_set_secret(&a, secret, 10 + (l * 7) % 23);
                a.algo = algos[g];
                a.digits = 6 + (unsigned)((t + g + l) % 5);
                a.period = 30 + (unsigned)(l * 15);
                a.counter = (uint64_t)l * 1000003u;
                if (a.type == OV_STEAM) {
                    a.algo = OV_SHA1;
                    a.digits = 5;
                } else if (a.type == OV_MOTP) {
                    a.algo = OV_MD5;
                } else if (a.type == OV_YANDEX) {
                    a.pin = ov_secure_strdup("4321");
                    if (issuers[l][0] == '\0')
                        ov_account_set_text(&a.issuer, "Yandex");
                }
                round_trip(&a);
                ov_account_free(&a);
                checked++;
            }
        }
    }
    cr_assert_geq(checked, 100);
}

Test(uri, plain_fixture_lines_round_trip_through_format)
{
    FILE *f = open_fixture("aegis-importers/plain.txt");
    char line[1024];

    if (f == NULL) {
        fprintf(stderr, "SKIP: aegis-importers/plain.txt not found (set FIXTURES_DIR)\n");
        return;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        struct ov_account a;
        if (strspn(line, " \t\r\n") == strlen(line))
            continue;
        parse_ok(line, &a, NULL);
        round_trip(&a);
        ov_account_free(&a);
    }
    fclose(f);
}

/* ---- design.md 4.1 for fields that arrived separately ---- */

static void expect_normalised(const char *issuer, const char *name, const char *want_issuer,
                              const char *want_name)
{
    struct ov_account a;

    ov_account_init(&a);
    ov_account_set_text(&a.issuer, issuer);
    ov_account_set_text(&a.name, name);
    ov_account_normalise_label(&a);
    cr_assert_str_eq(a.issuer, want_issuer, "(%s, %s)", issuer, name);
    cr_assert_str_eq(a.name, want_name, "(%s, %s)", issuer, name);
    ov_account_free(&a);
}

Test(uri, normalise_label_for_separate_fields)
{
    expect_normalised("", "GitHub:alice", "GitHub", "alice");
    expect_normalised("", "Deno: Mason", "Deno", "Mason");
    expect_normalised("", "a:b:c", "a", "b:c");
    expect_normalised("Deno", "Deno:Mason", "Deno", "Mason");
    expect_normalised("Deno", "Deno:  Mason", "Deno", "Mason");
    expect_normalised("Deno", "Other:Mason", "Deno", "Other:Mason");
    expect_normalised("Deno", "deno:Mason", "Deno", "deno:Mason");
    expect_normalised("Deno", "Mason", "Deno", "Mason");
    expect_normalised("", "plain name", "", "plain name");
    expect_normalised("  Spaced  ", "x  y", "  Spaced  ", "x  y");
}
