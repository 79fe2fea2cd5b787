/* libFuzzer target: otpauth://, motp:// and steam:// URIs (ov_uri_parse). Whatever parses
 * and validates must format (ov_uri_format) to a URI that parses back to the same account:
 * the promise of uri.h that exports and `Y` (copy URI) rely on. The one exception is a name
 * that starts with a space, which the label rule (design.md 4.1) cannot carry. */
#include "fuzz.h"
#include "otpvault/account.h"
#include "otpvault/mem.h"
#include "otpvault/uri.h"

static void fuzz_seeds(void)
{
    static const char *const seeds[] = {
        "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
        "otpauth://hotp/Bank:carol?secret=GEZDGNBVGY3TQOJQ&counter=5&digits=8&algorithm=SHA256",
        ("otpauth://totp/ACME%20Co%3Ajohn.doe%40email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ"
         "&issuer=ACME+Co&algorithm=SHA512&digits=8&period=60"),
        "otpauth://totp/Steam:gamer?secret=GEZDGNBVGY3TQOJQ&encoder=steam",
        "otpauth://steam/Steam:gamer?secret=GEZDGNBVGY3TQOJQ",
        "otpauth://yandex/Yandex:me?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&pin=GEZDG",
        "motp://Work:me?secret=0123456789abcdef&pin=1234",
        "steam://GEZDGNBVGY3TQOJQ",
        "\xEF\xBB\xBF  otpauth://totp/%E6%97%A5:%E5%A4%AA%E9%83%8E?secret=gezd-gnbv+gy3t==",
        "otpauth://totp/?secret=A&period=0&digits=11",
        "OTPAUTH://TOTP/x?SECRET=jbswy3dp&issuer=&issuer=Two",
    };
    char name[32];
    for (size_t i = 0; i < sizeof seeds / sizeof *seeds; i++) {
        snprintf(name, sizeof name, "gen-%02zu", i);
        fuzz_seed_str(name, seeds[i]);
    }
}

static int str_eq(const char *a, const char *b)
{
    return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

static void round_trip(const struct ov_account *a)
{
    struct ov_account back;
    struct ov_error err;
    char warning[256];
    char *uri = ov_uri_format(a);

    if (ov_uri_parse(uri, &back, warning, sizeof warning, &err) != OV_OK) {
        fprintf(stderr, "formatted URI does not parse: %s\n", err.msg);
        abort();
    }
    if (back.type != a->type || back.algo != a->algo || back.digits != a->digits ||
        back.secret_len != a->secret_len ||
        memcmp(back.secret, a->secret, a->secret_len) != 0 ||
        (a->type == OV_HOTP ? back.counter != a->counter : back.period != a->period) ||
        !str_eq(back.issuer, a->issuer) ||
        (a->name[0] != ' ' && !str_eq(back.name, a->name))) {
        fprintf(stderr, "round trip changed the account\n");
        abort();
    }
    ov_account_free(&back);
    ov_secure_free_str(uri);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    struct ov_account a;
    struct ov_error err;
    char warning[256];

    if (ov_uri_parse(text, &a, warning, sizeof warning, &err) == OV_OK &&
        ov_account_validate(&a, &err) == OV_OK)
        round_trip(&a);
    ov_account_free(&a);
    free(text);
    return 0;
}
