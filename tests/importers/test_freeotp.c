/* FreeOTP 1.x (and FreeOTP+) tokens.xml from the phone's app data. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importers/lib/android_prefs.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(freeotp, .init = setup, .timeout = 120);

#define FREEOTP "aegis-importers/freeotp.xml"

#define FREEOTP_PLUS "aegis-importers/freeotp_plus_internal.xml"

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

static const char token_ok[] =
    "{\"algo\":\"SHA256\",\"counter\":0,\"digits\":7,\"issuerExt\":\"Deno\",\"label\":"
    "\"Mason\",\"period\":20,\"secret\":[-28,-110,112,-16,-46,31,54,92,-124,8],"
    "\"type\":\"TOTP\"}";

Test(freeotp, freeotp_fixture_in_file_order)
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

Test(freeotp, freeotp_fixture_cut_and_mutated)
{
    size_t len;
    char *data;

    SKIP_WITHOUT_FIXTURE(FREEOTP_PLUS);
    data = fixture_read(FREEOTP_PLUS, &len);
    import_cuts_fail("freeotp", data, len, NULL, 0, 1);
    import_mutations("freeotp", data, len, NULL, 3000, 7);
    free(data);
}

Test(freeotp, freeotp_bad_entries_are_reported_one_by_one)
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
    xml = android_prefs_file("%s", body);
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

Test(freeotp, freeotp_defaults_and_label_rule)
{
    char *xml = android_prefs_file("<string name=\"a\">%s</string>\n<string name=\"b\">%s</string>\n"
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

Test(freeotp, freeotp_without_tokens_and_sniffing)
{
    char *only_order = android_prefs_file("<string name=\"tokenOrder\">[]</string>\n");
    char *no_order = android_prefs_file("<string name=\"Deno:Mason\">%s</string>\n", esc(token_ok));
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

Test(freeotp, freeotp_garbage)
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
