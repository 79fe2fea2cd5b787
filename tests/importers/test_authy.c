/* Authy's internal preferences: plain and backup-password tokens, Authy's own tokens, the
 * issuer/name clean-up, wrong and missing passwords, damaged entries and files. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"
#include "otpvault/crypto.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(authy, .init = setup, .timeout = 120);

#define PLAIN "aegis-importers/authy_plain.xml"
#define ENCRYPTED "aegis-importers/authy_encrypted.xml"
#define LIST_KEY "com.authy.storage.tokens.authenticator.key"
#define NATIVE_KEY "com.authy.storage.tokens.authy.key"

/* Preferences with the JSON list under key (escaped as Android does). */
static char *authy_xml(const char *key, const char *json)
{
    char *out = malloc(strlen(json) * 6 + 256);
    size_t n = (size_t)sprintf(out, "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>"
                                    "\n<map>\n<int name=\"key_version\" value=\"121\" />\n"
                                    "<string name=\"%s\">", key);
    for (; *json != '\0'; json++)
        n += (size_t)(*json == '"' ? sprintf(out + n, "&quot;")
                      : *json == '&' ? sprintf(out + n, "&amp;")
                                     : sprintf(out + n, "%c", *json));
    strcpy(out + n, "</string>\n</map>\n");
    return out;
}

static bool is_encrypted(const char *xml)
{
    const struct ov_importer *imp = ov_importer_find("authy");
    struct ov_blob in = { (const uint8_t *)xml, strlen(xml), "t" };
    return imp->is_encrypted(&in);
}

static void check_vectors(const struct import_result *r)
{
    static const struct {
        const char *issuer, *name;
        unsigned digits;
    } want[] = { { "Deno", "Mason", 6 }, { "SPDX", "James", 7 }, { "Airbnb", "Elijah", 8 } };

    cr_assert_eq(r->accounts.len, 3);
    for (size_t i = 0; i < 3; i++) {
        const struct ov_account *a = &r->accounts.items[i];
        cr_assert_str_eq(a->issuer, want[i].issuer);
        cr_assert_str_eq(a->name, want[i].name);
        cr_assert(a->digits == want[i].digits && a->period == 30 && a->algo == OV_SHA1);
    }
}

Test(authy, fixtures_plain_and_encrypted)
{
    struct import_result r;
    size_t plen, elen;
    char *plain, *enc;

    SKIP_WITHOUT_FIXTURE(PLAIN);
    plain = fixture_read(PLAIN, &plen);
    enc = fixture_read(ENCRYPTED, &elen);
    cr_assert_not(is_encrypted(plain));
    cr_assert(is_encrypted(enc));
    import_with("authy", plain, plen, NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    check_vectors(&r);
    import_result_free(&r);
    import_with("authy", enc, elen, "testtest", &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    check_vectors(&r);
    cr_assert_eq(r.opts.nissues, 0);
    import_result_free(&r);
    free(plain);
    free(enc);
}

Test(authy, wrong_or_missing_password)
{
    static const char *const wrong[] = { "testtest1", "", "TESTTEST" };
    struct import_result r;
    size_t len;
    char *enc;

    SKIP_WITHOUT_FIXTURE(ENCRYPTED);
    enc = fixture_read(ENCRYPTED, &len);
    import_with("authy", enc, len, NULL, &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH);
    cr_assert(strstr(r.err.msg, "password is needed") != NULL, "%s", r.err.msg);
    import_result_free(&r);
    for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++) {
        import_with("authy", enc, len, wrong[i], &r);
        cr_assert_eq(r.rc, OV_ERR_AUTH, "'%s'", wrong[i]);
        cr_assert(strstr(r.err.msg, "wrong password") != NULL, "%s", r.err.msg);
        cr_assert_eq(r.accounts.len, 0);
        cr_assert_eq(r.opts.nissues, 0); /* no per-entry noise for a wrong password */
        import_result_free(&r);
    }
    free(enc);
}

Test(authy, one_damaged_entry_among_good_ones)
{
    struct import_result r;
    size_t len;
    char *enc, *damaged;

    SKIP_WITHOUT_FIXTURE(ENCRYPTED);
    enc = fixture_read(ENCRYPTED, &len);
    /* The first ciphertext block of the third secret: its plaintext turns to noise. */
    damaged = str_replace1(enc, "SRtA3xEj", "TRtA3xEj");
    import_with("authy", damaged, strlen(damaged), "testtest", &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 2);
    cr_assert(import_issue_at(&r, 3, "does not decrypt"), "%s",
              r.opts.nissues ? r.opts.issues[0].message : "no issue");
    cr_assert(import_issue_at(&r, 3, "Airbnb: Elijah"));
    import_result_free(&r);
    free(damaged);
    free(enc);
}

Test(authy, fixtures_cut_and_mutated)
{
    size_t len;
    char *enc;

    SKIP_WITHOUT_FIXTURE(ENCRYPTED);
    enc = fixture_read(ENCRYPTED, &len);
    import_cuts_fail("authy", enc, len, "testtest", 0, 1);
    import_mutations("authy", enc, len, "testtest", 1500, 3);
    free(enc);
}

Test(authy, names_and_authy_tokens)
{
    const char *third =
        "[{\"accountType\":\"github\",\"decryptedSecret\":\"JBSWY3DPEHPK3PXP\",\"digits\":6,"
        "\"name\":\"octocat\"},"
        "{\"accountType\":\"x\",\"decryptedSecret\":\"JBSWY3DPEHPK3PXQ\",\"digits\":6,"
        "\"name\":\"Google - bob@example.com\"},"
        "{\"accountType\":\"x\",\"decryptedSecret\":\"JBSWY3DPEHPK3PXR\",\"digits\":6,"
        "\"originalName\":\"Slack:carol\",\"name\":\"Slack:carol\"},"
        "{\"decryptedSecret\":\"JBSWY3DPEHPK3PXS\",\"digits\":6,\"originalIssuer\":\"\","
        "\"name\":\"Proton:dave\"}]";
    const char *native = "[{\"secretSeed\":\"0102030405060708090a0b0c0d0e0f10\",\"digits\":7,"
                         "\"name\":\"Authy\",\"accountType\":\"authy\"}]";
    char *xml = authy_xml(LIST_KEY, third);
    char *xml2 = authy_xml(NATIVE_KEY, native);
    struct import_result r;
    const struct ov_account *a;

    import_with("authy", xml, strlen(xml), NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 4, "%s", r.opts.nissues ? r.opts.issues[0].message : "");
    cr_assert_not_null(import_find(&r, "Github", "octocat"));          /* capitalised type */
    cr_assert_not_null(import_find(&r, "Google", "bob@example.com"));  /* " - " */
    cr_assert_not_null(import_find(&r, "Slack", "carol"));             /* originalName */
    cr_assert_not_null(import_find(&r, "Proton", "dave"));             /* design.md 4.1 */
    import_result_free(&r);
    import_with("authy", xml2, strlen(xml2), NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    a = import_find(&r, "Authy", "");
    cr_assert_not_null(a);
    cr_assert(a->period == 10 && a->digits == 7 && a->secret_len == 16);
    import_result_free(&r);
    free(xml);
    free(xml2);
}

Test(authy, bad_entries_are_reported_one_by_one)
{
    const char *list =
        "[{\"decryptedSecret\":\"JBSWY3DPEHPK3PXP\",\"digits\":6,\"name\":\"ok\"},"
        "{\"decryptedSecret\":\"JBSWY3DPEHPK3PXP\",\"name\":\"no digits\"},"
        "{\"decryptedSecret\":\"JBSWY3DPEHPK3PXP\",\"digits\":null},"
        "{\"decryptedSecret\":\"JBSWY3DPEHPK3PXP\",\"digits\":\"six\"},"
        "{\"decryptedSecret\":\"JBSWY3DPEHPK3PXP\",\"digits\":12},"
        "{\"decryptedSecret\":null,\"digits\":6},"
        "{\"decryptedSecret\":\"1!\",\"digits\":6},"
        "{\"secretSeed\":\"xyz\",\"digits\":6},"
        "{\"secretSeed\":5,\"digits\":6},"
        "7,"
        "{\"decryptedSecret\":\"\",\"digits\":6}]";
    static const char *const issues[] = {
        NULL, "'digits' is missing", "'digits' is missing", "'digits' is not a number",
        "'digits' is 12", "'decryptedSecret' is not a string", "'1'", "'secretSeed'",
        "'secretSeed' is not a string", "not a JSON object", "the secret is empty",
    };
    char *xml = authy_xml(LIST_KEY, list);
    struct import_result r;

    import_with("authy", xml, strlen(xml), NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 1);
    cr_assert_eq(r.opts.nissues, sizeof issues / sizeof *issues - 1);
    for (size_t i = 1; i < sizeof issues / sizeof *issues; i++)
        cr_assert(import_issue_at(&r, i + 1, issues[i]), "%zu: %s", i + 1,
                  r.opts.issues[i - 1].message);
    import_result_free(&r);
    free(xml);
}

Test(authy, encrypted_entry_fields)
{
    /* Entries that need the password but cannot use it are format problems, not a wrong
     * password; one good encrypted entry proves the password right. */
    size_t len;
    char *enc, *list, *xml;
    const char *start, *end;
    struct import_result r;

    SKIP_WITHOUT_FIXTURE(ENCRYPTED);
    enc = fixture_read(ENCRYPTED, &len);
    /* The first encrypted entry of the fixture, unescaped. */
    start = strstr(enc, "{&quot;accountType");
    end = strstr(start, "},{");
    char *first = strndup(start, (size_t)(end - start + 1));
    for (char *q; (q = strstr(first, "&quot;")) != NULL;) {
        *q = '"';
        memmove(q + 1, q + 6, strlen(q + 6) + 1);
    }
    list = malloc(strlen(first) + 512);
    sprintf(list,
            "[%s,{\"digits\":6,\"salt\":\"abc\"},"
            "{\"digits\":6,\"encryptedSecret\":\"AAAA\",\"salt\":\"abc\"},"
            "{\"digits\":6,\"encryptedSecret\":\"%%%%\",\"salt\":\"abc\"},"
            "{\"digits\":6,\"encryptedSecret\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"salt\":\"abc\"}]",
            first);
    xml = authy_xml(LIST_KEY, list);
    cr_assert(is_encrypted(xml));
    import_with("authy", xml, strlen(xml), "testtest", &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 1);
    cr_assert(import_issue_at(&r, 2, "no secret"));
    cr_assert(import_issue_at(&r, 3, "not whole AES blocks"));
    cr_assert(import_issue_at(&r, 4, "Base64") || import_issue_at(&r, 4, "'%'"),
              "%s", r.opts.issues[2].message);
    cr_assert(import_issue_at(&r, 5, "does not decrypt"));
    import_result_free(&r);
    free(xml);
    free(list);
    free(first);
    free(enc);
}

Test(authy, whole_file_problems)
{
    static const struct {
        const char *xml, *needle;
    } cases[] = {
        { "<map><string name=\"" LIST_KEY "\">{}</string></map>", "not a JSON array" },
        { "<map><string name=\"" LIST_KEY "\">[</string></map>", "not valid JSON" },
        { "<map><string name=\"other\">[]</string></map>", "no Authy token list" },
        { "<map><string name=\"" LIST_KEY "\">[]", "not well-formed" },
        { "garbage", "not well-formed" },
    };

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct import_result r;
        import_with("authy", cases[i].xml, strlen(cases[i].xml), "pw", &r);
        cr_assert_eq(r.rc, OV_ERR_INVALID, "%s: %s", cases[i].xml, r.err.msg);
        cr_assert(strstr(r.err.msg, cases[i].needle) != NULL, "%s", r.err.msg);
        cr_assert_not(is_encrypted(cases[i].xml));
        import_result_free(&r);
    }
}

Test(authy, sniffing)
{
    char *xml = authy_xml(NATIVE_KEY, "[]");
    struct ov_blob in = { (const uint8_t *)xml, strlen(xml), "t" };

    cr_assert_eq(ov_importer_detect(&in), ov_importer_find("authy"));
    free(xml);
}
