/* Aegis vaults, plain and encrypted: groups, notes, PINs, password slots, untrusted scrypt
 * parameters, damage and truncation. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(aegis, .init = setup);

static const char *const aegis_v3 =
    "{\"version\":1,\"header\":{\"slots\":null,\"params\":null},\"db\":{\"version\":3,"
    "\"groups\":[{\"uuid\":\"g1\",\"name\":\"Work\"},{\"uuid\":\"g2\",\"name\":null}],"
    "\"entries\":["
    "{\"type\":\"totp\",\"name\":\"a\",\"issuer\":\"A\",\"note\":\"n\",\"groups\":[\"gone\",\"g1\"],"
    "\"icon\":\"xx\",\"info\":{\"secret\":\"JBSWY3DPEHPK3PXP\",\"algo\":\"SHA256\",\"digits\":7,"
    "\"period\":20}},"
    "{\"type\":\"motp\",\"name\":\"m\",\"issuer\":\"M\",\"info\":{\"secret\":\"VKVKVKVKVKVKVKVK\","
    "\"algo\":\"MD5\",\"digits\":6,\"period\":10,\"pin\":\"1234\"}},"
    "{\"type\":\"yandex\",\"name\":\"y\",\"issuer\":\"Y\",\"info\":{\"secret\":"
    "\"LA2V6KMCGYMWWVEW64RNP3JA3I\",\"pin\":\"7586\"}},"
    "{\"type\":\"hotp\",\"name\":\"h\",\"issuer\":\"H\",\"info\":{\"secret\":\"JBSWY3DPEHPK3PXP\","
    "\"algo\":\"MD5\",\"counter\":5}},"
    "{\"type\":\"steam\",\"name\":\"s\",\"issuer\":\"S\",\"info\":{\"secret\":\"JBSWY3DPEHPK3PXP\","
    "\"digits\":6,\"algo\":null}},"
    "{\"type\":\"motp\",\"name\":\"nopin\",\"issuer\":\"M\",\"info\":{\"secret\":\"VKVK\"}},"
    "{\"type\":\"foo\",\"name\":\"f\",\"issuer\":\"F\",\"info\":{}},"
    "{\"type\":\"totp\",\"name\":\"i\",\"issuer\":\"I\",\"info\":null},"
    "{\"type\":\"totp\",\"name\":\"s2\",\"issuer\":\"I\",\"info\":{\"secret\":null}},"
    "{\"type\":\"totp\",\"name\":\"d\",\"issuer\":\"I\",\"info\":{\"secret\":\"JBSWY3DPEHPK3PXP\","
    "\"digits\":\"abc\"}},"
    "{\"type\":\"totp\",\"name\":\"d2\",\"issuer\":\"I\",\"info\":{\"secret\":\"JBSWY3DPEHPK3PXP\","
    "\"digits\":11}},"
    "[1],"
    "{\"type\":\"totp\",\"name\":\"I:label\",\"issuer\":\"I\",\"info\":{\"secret\":\"JBSWY3DPEHPK3PXQ\","
    "\"period\":1e300}},"
    "{\"type\":\"totp\",\"name\":\"I: lbl\",\"issuer\":\"I\",\"info\":{\"secret\":\"JBSWY3DPEHPK3PXR\"}}"
    "]}}";

#define AEGIS_ENC "aegis-importers/aegis_encrypted.json"

static json_t *slot0(json_t *doc)
{
    return json_array_get(json_object_get(json_object_get(doc, "header"), "slots"), 0);
}

Test(aegis, aegis_v3_groups_notes_pins_and_aegis_rules)
{
    struct import_result r;
    const struct ov_account *a;

    import_str("aegis", aegis_v3, NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 6, "%zu: %s", r.accounts.len, import_first_issue(&r));
    a = &r.accounts.items[0];
    cr_assert_str_eq(a->group, "Work", "a deleted group's UUID is skipped");
    cr_assert_str_eq(a->note, "n");
    cr_assert_eq(a->algo, OV_SHA256);
    cr_assert_eq(a->digits, 7);
    cr_assert_eq(a->period, 20);
    a = &r.accounts.items[1];
    cr_assert_eq(a->type, OV_MOTP);
    cr_assert_str_eq(a->pin, "1234");
    cr_assert_eq(a->period, 10);
    a = &r.accounts.items[2];
    cr_assert_eq(a->type, OV_YANDEX);
    cr_assert_str_eq(a->pin, "7586");
    cr_assert_eq(a->algo, OV_SHA256);
    cr_assert_eq(a->digits, 8);
    a = &r.accounts.items[3];
    cr_assert_eq(a->algo, OV_SHA1, "MD5 outside mOTP is read as SHA1, like Aegis");
    cr_assert_eq(a->counter, 5);
    a = &r.accounts.items[4];
    cr_assert_eq(a->digits, 5);
    cr_assert_str_eq(r.accounts.items[5].name, "lbl", "the own-issuer prefix is dropped");
    cr_assert_eq(import_failures(&r), 8);
    cr_assert(import_said(&r, "entry 6 (M: nopin): an mOTP account needs a PIN"), "%s",
              import_first_issue(&r));
    cr_assert(import_said(&r, "unknown OTP type 'foo'"));
    cr_assert(import_said(&r, "entry 8 (I: i): 'info' is missing"));
    cr_assert(import_said(&r, "entry 9 (I: s2): 'secret' is missing"));
    cr_assert(import_said(&r, "'digits' is not a number"));
    cr_assert(import_said(&r, "'digits' is 11, outside 1..10"));
    cr_assert(import_said(&r, "entry 12: is an array, expected an object"));
    cr_assert(import_said(&r, "entry 13 (I: I:label): 'period' is not a number"));
    import_result_free(&r);
}

Test(aegis, aegis_v2_group_names_and_file_level_errors)
{
    static const struct {
        const char *doc;
        int rc;
        const char *says;
    } cases[] = {
        { "{\"version\":2,\"header\":{\"slots\":null,\"params\":null},\"db\":{}}",
          OV_ERR_UNSUPPORTED, "file version 2" },
        { "{\"header\":{\"slots\":null,\"params\":null},\"db\":{}}", OV_ERR_INVALID,
          "no 'version'" },
        { "{\"version\":\"1\",\"db\":{}}", OV_ERR_INVALID, "'header' is missing" },
        { "{\"version\":1,\"header\":null,\"db\":{}}", OV_ERR_INVALID, "'header' is missing" },
        { "{\"version\":1,\"header\":[],\"db\":{}}", OV_ERR_INVALID, "'header' is an array" },
        { "{\"version\":1,\"header\":{\"slots\":null,\"params\":null}}", OV_ERR_INVALID,
          "'db' is missing" },
        { "{\"version\":1,\"header\":{\"slots\":null,\"params\":null},\"db\":\"x\"}",
          OV_ERR_INVALID, "the vault content is a string" },
        { "{\"version\":1,\"header\":{\"slots\":null,\"params\":null},\"db\":{\"version\":4,"
          "\"entries\":[]}}", OV_ERR_UNSUPPORTED, "content version 4" },
        { "{\"version\":1,\"header\":{\"slots\":null,\"params\":null},\"db\":{\"entries\":[]}}",
          OV_ERR_INVALID, "no 'version'" },
        { "{\"version\":1,\"header\":{\"slots\":null,\"params\":null},\"db\":{\"version\":1,"
          "\"entries\":{}}}", OV_ERR_INVALID, "'entries' is an object, expected an array" },
        { "{\"version\":1,\"header\":{\"slots\":null,\"params\":null},\"db\":{\"version\":3,"
          "\"entries\":[],\"groups\":7}}", OV_ERR_INVALID, "'groups' is a number" },
        { "[{\"version\":1}]", OV_ERR_INVALID, "expected an object" },
        { "{\"version\":1,\"header\":{\"slots\":[],\"params\":null},\"db\":\"AAAA\"}",
          OV_ERR_INVALID, "'params' is missing" },
    };
    const char *v2 = "{\"version\":1,\"header\":{\"slots\":null,\"params\":null},\"db\":{"
                     "\"version\":2,\"entries\":[{\"type\":\"totp\",\"name\":\"a\",\"issuer\":\"A\","
                     "\"group\":\"G\",\"info\":{\"secret\":\"JBSWY3DPEHPK3PXP\"}},"
                     "{\"type\":\"totp\",\"name\":\"b\",\"issuer\":\"B\",\"group\":null,"
                     "\"info\":{\"secret\":\"JBSWY3DPEHPK3PXQ\"}}]}}";
    struct import_result r;

    import_str("aegis", v2, NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_str_eq(r.accounts.items[0].group, "G");
    cr_assert_null(r.accounts.items[1].group);
    import_result_free(&r);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        import_str("aegis", cases[i].doc, "pw", &r);
        cr_assert_eq(r.rc, cases[i].rc, "case %zu: %d %s", i, r.rc, r.err.msg);
        cr_assert(import_said(&r, cases[i].says), "case %zu: %s", i, r.err.msg);
        import_result_free(&r);
    }
}

Test(aegis, aegis_needs_the_right_password)
{
    json_t *doc = fixture_json(AEGIS_ENC);
    struct import_result r;

    if (doc == NULL)
        SKIP_WITHOUT_FIXTURE(AEGIS_ENC);
    import_json("aegis", doc, NULL, &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH);
    cr_assert(import_said(&r, "a password is needed"), "%s", r.err.msg);
    import_result_free(&r);
    import_json("aegis", doc, "tset", &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH);
    cr_assert_str_eq(r.err.msg, "wrong password or damaged file");
    import_result_free(&r);
    json_decref(doc);
}

Test(aegis, aegis_tries_every_password_slot)
{
    json_t *doc = fixture_json(AEGIS_ENC), *slots, *other;
    struct import_result r;

    if (doc == NULL)
        SKIP_WITHOUT_FIXTURE(AEGIS_ENC);
    slots = json_object_get(json_object_get(doc, "header"), "slots");
    other = json_deep_copy(slot0(doc));
    /* Another password's slot: a different salt gives a different key. */
    json_object_set_new(other, "salt", json_string("00112233445566778899aabbccddeeff"));
    json_array_insert_new(slots, 0, other);
    json_array_insert_new(slots, 0, json_pack("{s:i,s:s}", "type", 2, "uuid", "bio"));
    json_array_insert_new(slots, 0, json_pack("{s:s}", "uuid", "no type"));
    import_json("aegis", doc, "test", &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 7);
    import_result_free(&r);
    json_decref(doc);
}

Test(aegis, aegis_untrusted_scrypt_parameters_are_clamped)
{
    static const struct {
        const char *key;
        json_int_t value;
        int rc;
        const char *says;
    } cases[] = {
        { "n", 1 << 21, OV_ERR_LIMIT, "scrypt N=2097152" },
        { "n", (json_int_t)1 << 40, OV_ERR_LIMIT, "allowed" },
        { "n", 1000, OV_ERR_INVALID, "not a power of two" },
        { "p", 100, OV_ERR_LIMIT, "p=100" },
        { "r", 4, OV_ERR_UNSUPPORTED, "r=4" },
        { "n", -1, OV_ERR_INVALID, "'n' is -1" },
    };
    json_t *doc = fixture_json(AEGIS_ENC);
    struct import_result r;

    if (doc == NULL)
        SKIP_WITHOUT_FIXTURE(AEGIS_ENC);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        json_t *d = json_deep_copy(doc);
        json_object_set_new(slot0(d), cases[i].key, json_integer(cases[i].value));
        import_json("aegis", d, "test", &r);
        cr_assert_eq(r.rc, cases[i].rc, "case %zu: %d %s", i, r.rc, r.err.msg);
        cr_assert(import_said(&r, cases[i].says), "case %zu: %s", i, r.err.msg);
        cr_assert(import_said(&r, "password slot 1"), "case %zu: %s", i, r.err.msg);
        import_result_free(&r);
        json_decref(d);
    }
    /* A clamped slot next to one the password does not open: wrong password, and why the
     * other was not tried. */
    json_t *slots = json_object_get(json_object_get(doc, "header"), "slots");
    json_t *big = json_deep_copy(slot0(doc));
    json_object_set_new(big, "n", json_integer(1 << 22));
    json_array_append_new(slots, big);
    import_json("aegis", doc, "wrong", &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH, "%s", r.err.msg);
    cr_assert(import_said(&r, "1 other password slot could not be tried"), "%s", r.err.msg);
    import_result_free(&r);
    json_decref(doc);
}

Test(aegis, aegis_without_password_slots_or_with_damage)
{
    json_t *doc = fixture_json(AEGIS_ENC), *d;
    struct import_result r;
    char *db;

    if (doc == NULL)
        SKIP_WITHOUT_FIXTURE(AEGIS_ENC);
    d = json_deep_copy(doc);
    json_object_set_new(slot0(d), "type", json_integer(2));
    import_json("aegis", d, "test", &r);
    cr_assert_eq(r.rc, OV_ERR_UNSUPPORTED);
    cr_assert(import_said(&r, "no password slot"), "%s", r.err.msg);
    import_result_free(&r);
    json_decref(d);

    static const struct {
        const char *key, *value, *says;
    } bad_hex[] = {
        { "key", "00", "'key' is 2 hex digits" }, { "salt", "zz", "'salt'" },
        { "salt", "", "'salt' is 0 hex digits" },
    };
    for (size_t i = 0; i < sizeof bad_hex / sizeof *bad_hex; i++) {
        d = json_deep_copy(doc);
        json_object_set_new(slot0(d), bad_hex[i].key, json_string(bad_hex[i].value));
        import_json("aegis", d, "test", &r);
        cr_assert_eq(r.rc, OV_ERR_INVALID, "case %zu: %s", i, r.err.msg);
        cr_assert(import_said(&r, bad_hex[i].says), "case %zu: %s", i, r.err.msg);
        import_result_free(&r);
        json_decref(d);
    }

    /* The content's ciphertext changed: the password is right, the file is damaged. */
    d = json_deep_copy(doc);
    db = strdup(json_string_value(json_object_get(d, "db")));
    db[10] = db[10] == 'A' ? 'B' : 'A';
    json_object_set_new(d, "db", json_string(db));
    import_json("aegis", d, "test", &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH);
    cr_assert(import_said(&r, "damaged file"), "%s", r.err.msg);
    import_result_free(&r);
    db[10] = '*';
    json_object_set_new(d, "db", json_string(db));
    import_json("aegis", d, "test", &r);
    cr_assert_eq(r.rc, OV_ERR_INVALID, "%s", r.err.msg);
    cr_assert(import_said(&r, "'db'"), "%s", r.err.msg);
    import_result_free(&r);
    free(db);
    json_decref(d);
    json_decref(doc);
}

Test(aegis, aegis_truncated_encrypted_file_fails_before_any_kdf)
{
    size_t len;
    char *data = fixture_read(AEGIS_ENC, &len);

    if (data == NULL)
        SKIP_WITHOUT_FIXTURE(AEGIS_ENC);
    cr_assert_eq(import_cuts_fail("aegis", data, len, "test", 0, 1), len);
    free(data);
}
