/* Android SharedPreferences XML: the reader, and the importers of plain internal files read
 * through it (FreeOTP 1.x / FreeOTP+ tokens.xml, Battle.net). Authy and TOTP Authenticator
 * have their own suites (test_import_authy.c, test_import_totpauth.c). */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importers/lib/android_prefs.h"
#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(import_android, .init = setup, .timeout = 120);

#define FREEOTP "aegis-importers/freeotp.xml"
#define FREEOTP_PLUS "aegis-importers/freeotp_plus_internal.xml"
#define BATTLENET "aegis-importers/battle_net_authenticator.xml"

/* A preferences file around body. */
static char *prefs(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *prefs(const char *fmt, ...)
{
    char body[16384], *out;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    out = malloc(strlen(body) + 100);
    sprintf(out, "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n%s</map>\n",
            body);
    return out;
}

/* JSON (or any text) escaped for an element's text, as Android writes it. */
static const char *esc(const char *s)
{
    static char buf[8][4096];
    static int next;
    char *o = buf[next++ % 8];
    size_t n = 0;

    for (; *s != '\0'; s++) {
        const char *e = *s == '"' ? "&quot;" : *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : NULL;
        if (e != NULL) {
            strcpy(o + n, e);
            n += strlen(e);
        } else {
            o[n++] = *s;
        }
    }
    o[n] = '\0';
    return o;
}

static int parse(const char *xml, struct ov_prefs *p, struct ov_error *err)
{
    struct ov_blob in = { (const uint8_t *)xml, strlen(xml), "t" };
    memset(err, 0, sizeof *err);
    return ov_prefs_parse(&in, p, err);
}

/* --- The preferences reader ----------------------------------------------------------- */

Test(import_android, prefs_strings_entities_and_duplicates)
{
    char *xml = prefs("<int name=\"i\" value=\"3\" />\n"
                      "<string name=\"a\">x &amp; y &lt;z&gt; &quot;q&quot; &#x263A;</string>\n"
                      "<boolean name=\"b\" value=\"true\" />\n"
                      "<string name='e'></string><string name=\"e2\" />\n"
                      "<set name=\"s\"><string>in a set</string></set>\n"
                      "<!-- a comment --><string>nameless</string>\n"
                      "<string name=\"c\"><![CDATA[<raw>]]></string>\n"
                      "<string name=\"a\">second</string>\n");
    struct ov_prefs p;
    struct ov_error err;

    cr_assert_eq(parse(xml, &p, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(p.len, 5);
    cr_assert_str_eq(p.items[0].value, "x & y <z> \"q\" \xE2\x98\xBA");
    cr_assert_eq(p.items[0].value_len, strlen(p.items[0].value));
    cr_assert_str_eq(ov_prefs_get(&p, "a")->value, "second"); /* Android keeps the last */
    cr_assert_str_eq(ov_prefs_get(&p, "e")->value, "");
    cr_assert_str_eq(ov_prefs_get(&p, "e2")->value, "");
    cr_assert_str_eq(ov_prefs_get(&p, "c")->value, "<raw>");
    cr_assert_null(ov_prefs_get(&p, "i"));
    ov_prefs_free(&p);
    free(xml);
}

Test(import_android, prefs_refuse_dtds_and_entities)
{
    static const char *const docs[] = {
        ("<?xml version=\"1.0\"?><!DOCTYPE map [<!ENTITY a \"aaaaaaaa\"><!ENTITY b "
         "\"&a;&a;&a;&a;&a;&a;\">]><map><string name=\"x\">&b;</string></map>"),
        "<?xml version=\"1.0\"?><!DOCTYPE map SYSTEM \"http://example.com/x.dtd\"><map/>",
        "<?xml version=\"1.0\"?><map><string name=\"x\">&xxe;</string></map>",
    };
    struct ov_prefs p;
    struct ov_error err;

    cr_assert_eq(parse(docs[0], &p, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "DOCTYPE") != NULL, "%s", err.msg);
    cr_assert_eq(parse(docs[1], &p, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "DOCTYPE") != NULL, "%s", err.msg);
    /* An undeclared entity is simply not well-formed. */
    cr_assert_eq(parse(docs[2], &p, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "xxe") != NULL, "%s", err.msg);
}

static void quiet_setup(void)
{
    setup();
    cr_redirect_stderr();
}

Test(import_android, prefs_errors_are_quiet_and_placed, .init = quiet_setup)
{
    struct ov_prefs p;
    struct ov_error err;

    cr_assert_eq(parse("<?xml version='1.0'?>\n<map>\n<string name='a'>x</map>", &p, &err),
                 OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "line 3") != NULL, "%s", err.msg);
    cr_assert_eq(parse("<?xml version='1.0'?><foo/>", &p, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "not Android preferences") != NULL, "%s", err.msg);
    cr_assert_eq(parse("", &p, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "empty") != NULL, "%s", err.msg);
    cr_assert_eq(parse("<map><string name='\xff'>x</string></map>", &p, &err),
                 OV_ERR_INVALID);
    /* Declared encodings are not converted (libxml2's converters would print): Android
     * writes UTF-8 whatever a damaged declaration says. */
    cr_assert_eq(parse("<?xml version='1.0' encoding='utf-9'?><map/>", &p, &err), OV_OK);
    ov_prefs_free(&p);
    cr_assert_eq(parse("<?xml version='1.0' encoding='UTF-16'?><map><string name='a'>"
                       "\xc3\xa9</string></map>", &p, &err), OV_OK, "%s", err.msg);
    cr_assert_str_eq(p.items[0].value, "\xc3\xa9");
    ov_prefs_free(&p);
    cr_assert_eq(parse("<?xml version='1.0' encoding='ISO-8859-1'?><map><string name='a'>"
                       "\xe9</string></map>", &p, &err), OV_ERR_INVALID);
    fflush(stderr);
    cr_assert_stderr_eq_str(""); /* libxml2 must not print */
}

Test(import_android, prefs_size_bound)
{
    size_t n = (size_t)OV_PREFS_MAX_INPUT + 1;
    uint8_t *big = calloc(1, n);
    struct ov_blob in = { big, n, "big" };
    struct ov_prefs p;
    struct ov_error err = { 0 };

    cr_assert_eq(ov_prefs_parse(&in, &p, &err), OV_ERR_LIMIT);
    cr_assert(strstr(err.msg, "MiB") != NULL, "%s", err.msg);
    free(big);
}

Test(import_android, prefs_sniffing)
{
    const char *bom = "\xEF\xBB\xBF  \n<?xml version='1.0'?><map><string name='k'>v</string>";
    struct ov_blob a = { (const uint8_t *)bom, strlen(bom), "a" };
    struct ov_blob b = { (const uint8_t *)"<map/>", 6, "b" };
    struct ov_blob c = { (const uint8_t *)"{\"k\": 1}", 8, "c" };

    cr_assert(ov_prefs_looks_like(&a));
    cr_assert(ov_prefs_has_key(&a, "k"));
    cr_assert_not(ov_prefs_has_key(&a, "v"));
    cr_assert(ov_prefs_looks_like(&b));
    cr_assert_not(ov_prefs_looks_like(&c));
}

/* --- FreeOTP 1.x / FreeOTP+ tokens.xml ---------------------------------------------- */

Test(import_android, freeotp_fixture_in_file_order)
{
    struct import_result r;
    size_t len;
    char *data;

    SKIP_WITHOUT_FIXTURE(FREEOTP);
    data = fixture_read(FREEOTP, &len);
    import_with("freeotp", data, len, NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 4);
    cr_assert_str_eq(r.accounts.items[0].issuer, "WWE");
    cr_assert_eq(r.accounts.items[0].type, OV_HOTP);
    cr_assert_eq(r.accounts.items[0].counter, 10299); /* kept as FreeOTP stored it */
    cr_assert_eq(r.accounts.items[0].algo, OV_SHA512);
    cr_assert_eq(r.opts.nissues, 0);
    import_result_free(&r);
    free(data);
}

Test(import_android, freeotp_fixture_cut_and_mutated)
{
    size_t len;
    char *data;

    SKIP_WITHOUT_FIXTURE(FREEOTP_PLUS);
    data = fixture_read(FREEOTP_PLUS, &len);
    import_cuts_fail("freeotp", data, len, NULL, 0, 1);
    import_mutations("freeotp", data, len, NULL, 3000, 7);
    free(data);
}

static const char token_ok[] =
    "{\"algo\":\"SHA256\",\"counter\":0,\"digits\":7,\"issuerExt\":\"Deno\",\"label\":"
    "\"Mason\",\"period\":20,\"secret\":[-28,-110,112,-16,-46,31,54,92,-124,8],"
    "\"type\":\"TOTP\"}";

Test(import_android, freeotp_bad_entries_are_reported_one_by_one)
{
    static const struct {
        const char *token, *issue;
    } cases[] = {
        { "{\"secret\":\"abc\"}", "'secret' is not an array" },
        { "{\"label\":\"x\"}", "'secret' is missing" },
        { "{\"secret\":null}", "'secret' is missing" },
        { "{\"secret\":[1,300]}", "element 2 is not a byte" },
        { "{\"secret\":[1,1.5]}", "element 2 is not a byte" },
        { "{\"secret\":[]}", "'secret' is empty" },
        { "{\"secret\":[1],\"type\":\"FOO\"}", "unknown token type" },
        { "{\"secret\":[1],\"digits\":true}", "'digits' is not a number" },
        { "{\"secret\":[1],\"algo\":7}", "'algo' is not a string" },
        { "{\"secret\":[1],\"issuerExt\":\"Steam\",\"algo\":\"SHA256\"}", "Steam" },
        { "[]", "not a JSON object" },
        { "no json", "not valid JSON" },
        { "", "not valid JSON" },
    };
    char body[8192] = "";
    char *xml;
    struct import_result r;

    snprintf(body, sizeof body, "<string name=\"Deno:Mason\">%s</string>\n", esc(token_ok));
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        snprintf(body + strlen(body), sizeof body - strlen(body),
                 "<string name=\"bad%zu\">%s</string>\n", i, esc(cases[i].token));
    strcat(body, "<string name=\"tokenOrder\">[&quot;Deno:Mason&quot;]</string>\n");
    xml = prefs("%s", body);
    import_with("freeotp", xml, strlen(xml), NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 1);
    cr_assert_eq(r.accounts.items[0].digits, 7);
    cr_assert_eq(r.accounts.items[0].period, 20);
    cr_assert_eq(r.opts.nissues, sizeof cases / sizeof *cases);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char where[32];
        snprintf(where, sizeof where, "(\"bad%zu\")", i);
        cr_assert(import_issue_at(&r, i + 2, cases[i].issue), "%zu: %s", i,
                  r.opts.issues[i].message);
        cr_assert(import_issue_at(&r, i + 2, where), "%s", r.opts.issues[i].message);
    }
    import_result_free(&r);
    free(xml);
}

Test(import_android, freeotp_defaults_and_label_rule)
{
    char *xml = prefs("<string name=\"a\">%s</string>\n<string name=\"b\">%s</string>\n"
                      "<string name=\"c\">%s</string>\n",
                      esc("{\"label\":\"GitHub:alice\",\"secret\":[1,2,3,4,5],"
                          "\"algo\":null,\"digits\":null,\"period\":null,\"type\":null}"),
                      esc("{\"issuerExt\":\"Deno\",\"label\":\"Deno: Mason\",\"type\":\"HOTP\","
                          "\"counter\":41,\"secret\":[6,7,8,9,10]}"),
                      esc("{\"issuerInt\":\"Old\",\"label\":\"x\",\"secret\":[11,12]}"));
    struct import_result r;
    const struct ov_account *a;

    import_with("freeotp", xml, strlen(xml), NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 3, "%s", r.opts.nissues ? r.opts.issues[0].message : "");
    a = import_find(&r, "GitHub", "alice");
    cr_assert_not_null(a);
    cr_assert(a->type == OV_TOTP && a->algo == OV_SHA1 && a->digits == 6 && a->period == 30);
    a = import_find(&r, "Deno", "Mason");
    cr_assert_not_null(a);
    cr_assert(a->type == OV_HOTP && a->counter == 41);
    cr_assert_not_null(import_find(&r, "Old", "x"));
    import_result_free(&r);
    free(xml);
}

Test(import_android, freeotp_without_tokens_and_sniffing)
{
    char *only_order = prefs("<string name=\"tokenOrder\">[]</string>\n");
    char *no_order = prefs("<string name=\"Deno:Mason\">%s</string>\n", esc(token_ok));
    const struct ov_importer *imp = ov_importer_find("freeotp");
    struct ov_blob a = { (const uint8_t *)only_order, strlen(only_order), "a" };
    struct ov_blob b = { (const uint8_t *)no_order, strlen(no_order), "b" };
    struct import_result r;

    import_with("freeotp", only_order, strlen(only_order), NULL, &r);
    cr_assert_eq(r.rc, OV_ERR_INVALID);
    cr_assert(strstr(r.err.msg, "no FreeOTP token") != NULL, "%s", r.err.msg);
    import_result_free(&r);
    cr_assert_geq(imp->sniff(&a), 90);
    cr_assert_geq(imp->sniff(&b), 50);
    cr_assert_eq(ov_importer_detect(&b), imp);
    free(only_order);
    free(no_order);
}

Test(import_android, freeotp_garbage)
{
    static const char *const inputs[] = { "", "garbage", "<map>", "\x00\x01\x02",
                                          "<?xml version='1.0'?>", "{\"tokens\":[]}" };

    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        struct import_result r;
        import_with("freeotp", inputs[i], strlen(inputs[i]), NULL, &r);
        cr_assert_neq(r.rc, OV_OK, "%s", inputs[i]);
        cr_assert_neq(r.err.msg[0], '\0');
        import_result_free(&r);
    }
}

/* --- Battle.net ----------------------------------------------------------------------- */

static const char mask_hex[] = "398e27fc50276a656065b0e525f4c06c04c61075286b8e7aeda59da9813b5dd6"
                               "c80d2fb38068773fa59ba47c17ca6c6479015c1d5b8b8f6b9a";

/* hex(text XOR mask), as the app stores it. */
static char *masked(const char *text)
{
    uint8_t key[64];
    size_t key_len = 0, n = strlen(text);
    char *out = malloc(2 * n + 1);

    cr_assert_eq(ov_hex_decode(mask_hex, strlen(mask_hex), key, &key_len, NULL), OV_OK);
    cr_assert_leq(n, key_len);
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", (uint8_t)text[i] ^ key[i]);
    out[2 * n] = '\0';
    return out;
}

#define BNET "com.blizzard.messenger."

Test(import_android, battlenet_fixture)
{
    struct import_result r;
    const struct ov_account *a;
    uint8_t want[20];
    size_t want_len, len;
    char *data;

    SKIP_WITHOUT_FIXTURE(BATTLENET);
    data = fixture_read(BATTLENET, &len);
    import_with("battlenet", data, len, NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    a = import_find(&r, "Battle.net", "US-2211-2050-3346");
    cr_assert_not_null(a);
    cr_assert_eq(ov_base32_decode("BMGRXPGFARQQF4GMT25JATL2VYLAHDBI", want, &want_len, NULL),
                 OV_OK);
    cr_assert_eq(a->secret_len, want_len);
    cr_assert_eq(memcmp(a->secret, want, want_len), 0);
    cr_assert(a->digits == 8 && a->period == 30 && a->algo == OV_SHA1);
    import_result_free(&r);
    import_cuts_fail("battlenet", data, len, NULL, 0, 1);
    import_mutations("battlenet", data, len, NULL, 2000, 99);
    free(data);
}

Test(import_android, battlenet_old_app_hash)
{
    char *hash = masked("3132333435363738393031323334353637383930EU-1234-5678-9012");
    char *xml = prefs("<string name=\"com.blizzard.bma.AUTH_STORE.HASH\">%s</string>\n", hash);
    struct import_result r;
    const struct ov_account *a;

    import_with("battlenet", xml, strlen(xml), NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    a = import_find(&r, "Battle.net", "EU-1234-5678-9012");
    cr_assert_not_null(a);
    cr_assert_eq(a->secret_len, 20);
    cr_assert_eq(memcmp(a->secret, "12345678901234567890", 20), 0);
    import_result_free(&r);
    free(xml);
    free(hash);
}

static void expect_battlenet_error(const char *body, int code, const char *needle)
{
    char *xml = prefs("%s", body);
    struct import_result r;

    import_with("battlenet", xml, strlen(xml), NULL, &r);
    cr_assert_eq(r.rc, code, "%s: %s", body, r.err.msg);
    cr_assert(strstr(r.err.msg, needle) != NULL, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 0);
    import_result_free(&r);
    free(xml);
}

Test(import_android, battlenet_damaged_values)
{
    char *serial = masked("US-2211-2050-3346");
    char *secret = masked("3132333435363738393031323334353637383930");
    char *not_hex = masked("3132333435363738393031323334353637383zz0");
    char *control = masked("US\x01");
    char *too_long = malloc(2 * 58 + 1);
    char body[4096];

    memset(too_long, 'a', 2 * 58);
    too_long[2 * 58] = '\0';
    snprintf(body, sizeof body, "<string name=\"" BNET "AUTHENTICATOR_SERIAL\">%s</string>",
             serial);
    expect_battlenet_error(body, OV_ERR_INVALID, "no " BNET "AUTHENTICATOR_DEVICE_SECRET");
    snprintf(body, sizeof body, "<string name=\"" BNET "AUTHENTICATOR_DEVICE_SECRET\">%s"
             "</string>", secret);
    expect_battlenet_error(body, OV_ERR_INVALID, "no " BNET "AUTHENTICATOR_SERIAL");
    snprintf(body, sizeof body,
             "<string name=\"" BNET "AUTHENTICATOR_SERIAL\">%s</string>"
             "<string name=\"" BNET "AUTHENTICATOR_DEVICE_SECRET\">%s</string>"
             "<string name=\"" BNET "AUTHENTICATOR_CREDENTIALS_ENCRYPTION_TYPE\">AES</string>",
             serial, secret);
    expect_battlenet_error(body, OV_ERR_UNSUPPORTED, "only MASK");
    static const struct {
        const char *serial, *secret, *needle;
    } bad[] = {
        { "abc", NULL, "not the hex" },
        { "", NULL, "not the hex" },
        { "zz", NULL, "zz" },
        { NULL, "", "not the hex" },
        { NULL, "a", "not the hex" },
        { NULL, "!", "not the hex" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(body, sizeof body,
                 "<string name=\"" BNET "AUTHENTICATOR_SERIAL\">%s</string>"
                 "<string name=\"" BNET "AUTHENTICATOR_DEVICE_SECRET\">%s</string>",
                 bad[i].serial != NULL ? bad[i].serial : serial,
                 bad[i].secret != NULL ? bad[i].secret : secret);
        expect_battlenet_error(body, OV_ERR_INVALID, bad[i].needle);
    }
    snprintf(body, sizeof body,
             "<string name=\"" BNET "AUTHENTICATOR_SERIAL\">%s</string>"
             "<string name=\"" BNET "AUTHENTICATOR_DEVICE_SECRET\">%s</string>",
             serial, too_long);
    expect_battlenet_error(body, OV_ERR_INVALID, "at most 57");
    snprintf(body, sizeof body,
             "<string name=\"" BNET "AUTHENTICATOR_SERIAL\">%s</string>"
             "<string name=\"" BNET "AUTHENTICATOR_DEVICE_SECRET\">%s</string>",
             serial, not_hex);
    expect_battlenet_error(body, OV_ERR_INVALID, "does not unmask to hex");
    snprintf(body, sizeof body,
             "<string name=\"" BNET "AUTHENTICATOR_SERIAL\">%s</string>"
             "<string name=\"" BNET "AUTHENTICATOR_DEVICE_SECRET\">%s</string>",
             control, secret);
    expect_battlenet_error(body, OV_ERR_INVALID, "does not unmask to text");
    snprintf(body, sizeof body, "<string name=\"com.blizzard.bma.AUTH_STORE.HASH\">%s</string>",
             serial);
    expect_battlenet_error(body, OV_ERR_INVALID, "too short");
    free(serial);
    free(secret);
    free(not_hex);
    free(control);
    free(too_long);
}
