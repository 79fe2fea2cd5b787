/* Aegis, andOTP and 2FAS: content details (groups, PINs, notes, label splitting, schema
 * defaults), and the encrypted variants: no password, wrong password, every password slot,
 * clamped KDF parameters, damaged and truncated ciphertext. KDFs run a bounded number of
 * times: truncations that break the JSON stop before any KDF. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(import_json_crypto, .init = setup);

/* --- Aegis content ------------------------------------------------------------------------ */

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

Test(import_json_crypto, aegis_v3_groups_notes_pins_and_aegis_rules)
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

Test(import_json_crypto, aegis_v2_group_names_and_file_level_errors)
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

/* --- Aegis encryption --------------------------------------------------------------------- */

#define AEGIS_ENC "aegis-importers/aegis_encrypted.json"

static json_t *slot0(json_t *doc)
{
    return json_array_get(json_object_get(json_object_get(doc, "header"), "slots"), 0);
}

Test(import_json_crypto, aegis_needs_the_right_password)
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

Test(import_json_crypto, aegis_tries_every_password_slot)
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

Test(import_json_crypto, aegis_untrusted_scrypt_parameters_are_clamped)
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

Test(import_json_crypto, aegis_without_password_slots_or_with_damage)
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

Test(import_json_crypto, aegis_truncated_encrypted_file_fails_before_any_kdf)
{
    size_t len;
    char *data = fixture_read(AEGIS_ENC, &len);

    if (data == NULL)
        SKIP_WITHOUT_FIXTURE(AEGIS_ENC);
    cr_assert_eq(import_cuts_fail("aegis", data, len, "test", 0, 1), len);
    free(data);
}

/* --- andOTP ------------------------------------------------------------------------------- */

Test(import_json_crypto, andotp_entries_labels_tags_and_types)
{
    const char *doc =
        "[{\"secret\":\"JBSWY3DPEHPK3PXP====\",\"label\":\"Acme - alice - home\",\"type\":\"totp\","
        "\"tags\":[\"Work\",\"x\"],\"last_used\":1700000000123},"
        "{\"secret\":\"JBSWY3DPEHPK3PXQ\",\"issuer\":\"Deno\",\"label\":\"Deno:Mason\",\"type\":"
        "\"HOTP\",\"counter\":3,\"digits\":null,\"period\":null,\"algorithm\":null},"
        "{\"secret\":\"JBSWY3DPEHPK3PXR\",\"issuer\":\"V\",\"label\":\"s\",\"type\":\"steam\","
        "\"digits\":5},"
        "{\"secret\":\"JBSWY3DPEHPK3PXS\",\"issuer\":\"M\",\"label\":\"m\",\"type\":\"MOTP\"},"
        "{\"secret\":\"JBSWY3DPEHPK3PXT\",\"issuer\":\"F\",\"label\":\"f\",\"type\":\"FOO\"},"
        "{\"secret\":\"JBSWY3DPEHPK3PXU\",\"issuer\":\"G\",\"label\":\"g\",\"algorithm\":\"MD5\"},"
        "{\"issuer\":\"H\",\"label\":\"h\",\"type\":\"TOTP\"},"
        "{\"secret\":7,\"issuer\":\"J\",\"label\":\"j\"},"
        "{\"secret\":\"JBSWY3DPEHPK3PXV\",\"issuer\":5,\"label\":\"k\"}]";
    struct import_result r;

    import_str("andotp", doc, NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 3, "%s", import_first_issue(&r));
    cr_assert_str_eq(r.accounts.items[0].issuer, "Acme", "old andOTP: 'Issuer - Name'");
    cr_assert_str_eq(r.accounts.items[0].name, "alice - home");
    cr_assert_str_eq(r.accounts.items[0].group, "Work");
    cr_assert_eq(r.accounts.items[0].last_used, 1700000000);
    cr_assert_str_eq(r.accounts.items[1].name, "Mason");
    cr_assert_eq(r.accounts.items[1].type, OV_HOTP);
    cr_assert_eq(r.accounts.items[1].counter, 3);
    cr_assert_eq(r.accounts.items[1].digits, 6);
    cr_assert_eq(r.accounts.items[2].type, OV_STEAM);
    cr_assert_eq(import_infos(&r), 1);
    cr_assert(import_said(&r, "entry 4 (M: m): andOTP does not export the PIN"));
    cr_assert_eq(import_failures(&r), 5);
    cr_assert(import_said(&r, "unknown OTP type 'FOO'"));
    cr_assert(import_said(&r, "unknown algorithm 'MD5'"));
    cr_assert(import_said(&r, "entry 7 (H: h): 'secret' is missing"));
    cr_assert(import_said(&r, "'secret' is a number"));
    cr_assert(import_said(&r, "'issuer' is not a string"));
    import_result_free(&r);
}

#define ANDOTP_NEW "aegis-importers/andotp_encrypted.bin"
#define ANDOTP_OLD "aegis-importers/andotp_encrypted_old.bin"

Test(import_json_crypto, andotp_encrypted_needs_the_password)
{
    static const char *const files[] = { ANDOTP_NEW, ANDOTP_OLD };

    SKIP_WITHOUT_FIXTURE(ANDOTP_NEW);
    for (size_t i = 0; i < 2; i++) {
        size_t len;
        char *data = fixture_read(files[i], &len);
        struct import_result r;

        import_with("andotp", data, len, NULL, &r);
        cr_assert_eq(r.rc, OV_ERR_AUTH);
        cr_assert(import_said(&r, "a password is needed"), "%s", r.err.msg);
        import_result_free(&r);
        import_with("andotp", data, len, "", &r);
        cr_assert_eq(r.rc, OV_ERR_AUTH, "an empty password is a wrong one");
        import_result_free(&r);
        import_with("andotp", data, len, "test", &r);
        cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
        import_result_free(&r);
        free(data);
    }
}

Test(import_json_crypto, andotp_truncated_and_damaged_backups)
{
    size_t len, n;
    char *data;

    SKIP_WITHOUT_FIXTURE(ANDOTP_OLD);
    /* Old format: SHA-256 only, so every length. */
    data = fixture_read(ANDOTP_OLD, &len);
    cr_assert_eq(import_cuts_fail("andotp", data, len, "test", 0, 1), len);
    for (size_t i = 0; i < len; i += 37) {
        struct import_result r;
        data[i] ^= 0x40;
        import_with("andotp", data, len, "test", &r);
        cr_assert_eq(r.rc, OV_ERR_AUTH, "flipped byte %zu", i);
        import_result_free(&r);
        data[i] ^= 0x40;
    }
    free(data);
    /* New format: each try runs PBKDF2, so every length of the header, then cut points. */
    data = fixture_read(ANDOTP_NEW, &len);
    n = import_cuts_fail("andotp", data, 64, "test", 0, 1);
    n += import_cuts_fail("andotp", data, len, "test", 64, 149);
    cr_assert_gt(n, 70);
    free(data);
}

static void write_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

Test(import_json_crypto, andotp_iteration_count_beyond_the_bound_runs_no_kdf)
{
    size_t len;
    uint8_t *data = (uint8_t *)fixture_read(ANDOTP_NEW, &len);
    struct import_result r;

    if (data == NULL)
        SKIP_WITHOUT_FIXTURE(ANDOTP_NEW);
    write_be32(data, (uint32_t)OV_UNTRUSTED_PBKDF2_MAX_ITER + 1);
    import_with("andotp", data, len, "test", &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH);
    cr_assert(import_said(&r, "10000001 PBKDF2 iterations, more than the 10000000 allowed"),
              "%s", r.err.msg);
    import_result_free(&r);
    /* 4 billion iterations would take hours: the test's timeout shows it never ran. */
    write_be32(data, 0xFFFFFFFFu);
    import_with("andotp", data, len, "test", &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH);
    import_result_free(&r);
    free(data);
}

/* An encrypted backup of our own making around arbitrary plaintext. */
static uint8_t *andotp_seal(const char *plain, const char *pw, uint32_t iterations,
                            size_t *len)
{
    size_t plen = strlen(plain), head = iterations > 0 ? 28 : 12;
    uint8_t *out = calloc(1, head + plen + 16), key[32];
    struct ov_error err;

    if (iterations > 0) {
        write_be32(out, iterations);
        memset(out + 4, 0x11, 12);  /* salt */
        memset(out + 16, 0x22, 12); /* nonce */
        cr_assert_eq(ov_kdf_pbkdf2(OV_SHA1, pw, strlen(pw), out + 4, 12, iterations, key, 32,
                                   &err), OV_OK);
    } else {
        memset(out, 0x33, 12);
        ov_hash(OV_SHA256, pw, strlen(pw), key);
    }
    cr_assert_eq(ov_aes_gcm_encrypt(key, 32, out + head - 12, 12, NULL, 0,
                                    (const uint8_t *)plain, plen, out + head,
                                    out + head + plen, &err), OV_OK);
    *len = head + plen + 16;
    return out;
}

Test(import_json_crypto, andotp_decrypted_content_is_checked)
{
    struct import_result r;
    size_t len;
    uint8_t *box;

    box = andotp_seal("hello", "pw", 0, &len);
    import_with("andotp", box, len, "pw", &r);
    cr_assert_eq(r.rc, OV_ERR_INVALID);
    cr_assert(import_said(&r, "the decrypted backup: not valid JSON"), "%s", r.err.msg);
    import_result_free(&r);
    free(box);
    box = andotp_seal("{\"a\":1}", "pw", 1000, &len);
    import_with("andotp", box, len, "pw", &r);
    cr_assert_eq(r.rc, OV_ERR_INVALID);
    cr_assert(import_said(&r, "expected an array of entries"), "%s", r.err.msg);
    import_result_free(&r);
    free(box);
    box = andotp_seal("[{\"secret\":\"JBSWY3DPEHPK3PXP\",\"issuer\":\"A\",\"label\":\"a\","
                      "\"type\":\"TOTP\"}]", "pw", 1000, &len);
    import_with("andotp", box, len, "pw", &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 1);
    import_result_free(&r);
    free(box);
}

Test(import_json_crypto, andotp_sniff_leaves_pages_and_magic_alone)
{
    const struct ov_importer *imp = ov_importer_find("andotp");
    uint8_t buf[2048];
    struct ov_blob in = { buf, sizeof buf, "x" };

    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(i * 7 + 1);
    cr_assert_eq(imp->sniff(&in), 0, "whole 1 KiB pages: SQLCipher");
    in.len = 2000;
    cr_assert_eq(imp->sniff(&in), 10, "other binary: perhaps andOTP, low confidence");
    memcpy(buf, "\x89PNG", 4);
    cr_assert_eq(imp->sniff(&in), 0);
    memcpy(buf, "PK\x03\x04", 4);
    cr_assert_eq(imp->sniff(&in), 0);
    memset(buf, 'A', sizeof buf);
    cr_assert_eq(imp->sniff(&in), 0, "text is never an encrypted backup");
    in.len = 20;
    buf[0] = 1;
    cr_assert_eq(imp->sniff(&in), 0, "too short");
}

/* --- 2FAS --------------------------------------------------------------------------------- */

Test(import_json_crypto, twofas_fields_defaults_and_groups)
{
    const char *doc =
        "{\"schemaVersion\":4,\"groups\":[{\"id\":\"g\",\"name\":\"Home\"}],\"services\":["
        "{\"name\":\"A\",\"secret\":\"jbsw y3dp-ehpk 3pxp\",\"groupId\":\"g\",\"otp\":{\"account\":"
        "\"a\",\"tokenType\":\"HOTP\",\"counter\":7,\"algorithm\":null,\"digits\":null}},"
        "{\"name\":\"\",\"secret\":\"JBSWY3DPEHPK3PXQ\",\"groupId\":\"nope\",\"otp\":{\"issuer\":"
        "\"I\",\"account\":\"b\",\"tokenType\":\"STEAM\",\"digits\":5}},"
        "{\"name\":\"C\",\"secret\":\"JBSWY3DPEHPK3PXR\"},"
        "{\"name\":\"D\",\"secret\":\"JBSWY3DPEHPK3PXS\",\"otp\":{\"tokenType\":\"FOO\"}},"
        "{\"name\":\"E\",\"secret\":\"JBSWY3DPEHPK3PXT\",\"otp\":{\"period\":-5}},"
        "{\"name\":\"F\",\"otp\":{}},"
        "{\"name\":\"G\",\"secret\":\"JBSWY3DPEHPK3PXU\",\"otp\":\"x\"},"
        "null]}";
    struct import_result r;

    import_str("2fas", doc, NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 3, "%s", import_first_issue(&r));
    cr_assert_eq(r.accounts.items[0].type, OV_HOTP);
    cr_assert_eq(r.accounts.items[0].counter, 7);
    cr_assert_eq(r.accounts.items[0].algo, OV_SHA1);
    cr_assert_str_eq(r.accounts.items[0].group, "Home");
    cr_assert_eq(r.accounts.items[1].type, OV_STEAM);
    cr_assert_str_eq(r.accounts.items[1].issuer, "I", "empty service name: the OTP issuer");
    cr_assert_null(r.accounts.items[1].group);
    cr_assert_eq(r.accounts.items[2].period, 30);
    cr_assert_eq(import_failures(&r), 5);
    cr_assert(import_said(&r, "unknown token type 'FOO'"));
    cr_assert(import_said(&r, "'period' is -5"));
    cr_assert(import_said(&r, "entry 6 (F): 'secret' is missing"));
    cr_assert(import_said(&r, "'otp' is a string, expected an object"));
    cr_assert(import_said(&r, "entry 8: is missing, expected an object") ||
              import_said(&r, "entry 8: is null"), "%s", import_first_issue(&r));
    import_result_free(&r);
}

Test(import_json_crypto, twofas_file_level_errors)
{
    static const struct {
        const char *doc;
        int rc;
        const char *says;
    } cases[] = {
        { "{\"schemaVersion\":5,\"services\":[]}", OV_ERR_UNSUPPORTED, "schema version 5" },
        { "{\"schemaVersion\":0,\"services\":[]}", OV_ERR_UNSUPPORTED, "schema version 0" },
        { "{\"services\":[]}", OV_ERR_INVALID, "no 'schemaVersion'" },
        { "{\"schemaVersion\":null,\"services\":[]}", OV_ERR_INVALID, "no 'schemaVersion'" },
        { "{\"schemaVersion\":\"x\",\"services\":[]}", OV_ERR_INVALID, "'schemaVersion'" },
        { "{\"schemaVersion\":2,\"services\":{}}", OV_ERR_INVALID, "'services' is an object" },
        { "{\"schemaVersion\":2}", OV_ERR_INVALID, "'services' is missing" },
        { "{\"schemaVersion\":2,\"services\":null}", OV_ERR_INVALID, "'services' is missing" },
        { "{\"schemaVersion\":2,\"services\":[],\"groups\":{}}", OV_ERR_INVALID, "'groups'" },
        { "{\"schemaVersion\":2,\"servicesEncrypted\":7}", OV_ERR_INVALID,
          "'servicesEncrypted' is a number" },
        { "{\"schemaVersion\":2,\"servicesEncrypted\":\"abc\"}", OV_ERR_INVALID,
          "not ciphertext:salt:IV" },
        { "{\"schemaVersion\":2,\"servicesEncrypted\":\"!!!!:AAAA:AAAA\"}", OV_ERR_INVALID,
          "the ciphertext" },
        { "{\"schemaVersion\":2,\"servicesEncrypted\":\"AAAA:AAAA:AAAA\"}", OV_ERR_INVALID,
          "3-byte ciphertext" },
        { "{\"schemaVersion\":2,\"servicesEncrypted\":\"AAAAAAAAAAAAAAAAAAAAAA==:AAAA:\"}",
          OV_ERR_INVALID, "0-byte IV" },
        { "[]", OV_ERR_INVALID, "expected an object" },
    };
    struct import_result r;

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        import_str("2fas", cases[i].doc, "pw", &r);
        cr_assert_eq(r.rc, cases[i].rc, "case %zu: %d %s", i, r.rc, r.err.msg);
        cr_assert(import_said(&r, cases[i].says), "case %zu: %s", i, r.err.msg);
        import_result_free(&r);
    }
    /* With "services": [] and an empty servicesEncrypted, the plain list is read. */
    import_str("2fas", "{\"schemaVersion\":2,\"services\":[],\"servicesEncrypted\":\"\"}", NULL,
               &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    import_result_free(&r);
}

#define TWOFAS_ENC "aegis-importers/2fas_authenticator_encrypted_v3.2fas"

Test(import_json_crypto, twofas_encrypted_password_damage_and_truncation)
{
    json_t *doc = fixture_json(TWOFAS_ENC), *d;
    struct import_result r;
    size_t len;
    char *data, *enc;

    if (doc == NULL)
        SKIP_WITHOUT_FIXTURE(TWOFAS_ENC);
    import_json("2fas", doc, NULL, &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH);
    cr_assert(import_said(&r, "a password is needed"), "%s", r.err.msg);
    import_result_free(&r);
    import_json("2fas", doc, "TEST", &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH);
    cr_assert_str_eq(r.err.msg, "wrong password or damaged file");
    import_result_free(&r);

    /* Cut the ciphertext (to a shorter valid Base64 text), and change one character. */
    enc = strdup(json_string_value(json_object_get(doc, "servicesEncrypted")));
    d = json_deep_copy(doc);
    json_object_set_new(d, "servicesEncrypted", json_string(enc + 8));
    import_json("2fas", d, "test", &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH, "%s", r.err.msg);
    import_result_free(&r);
    enc[5] = enc[5] == 'A' ? 'B' : 'A';
    json_object_set_new(d, "servicesEncrypted", json_string(enc));
    import_json("2fas", d, "test", &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH, "%s", r.err.msg);
    import_result_free(&r);
    free(enc);
    json_decref(d);
    json_decref(doc);

    data = fixture_read(TWOFAS_ENC, &len);
    cr_assert_eq(import_cuts_fail("2fas", data, len, "test", 0, 3), (len + 2) / 3);
    free(data);
}

Test(import_json_crypto, twofas_decrypted_content_is_checked)
{
    const char *plain = "{\"not\":\"a list\"}";
    uint8_t salt[256], iv[12], key[32], *ct;
    size_t plen = strlen(plain);
    char *b64ct, b64salt[400], b64iv[32], *field;
    struct ov_error err;
    struct import_result r;
    json_t *doc;

    memset(salt, 0x5a, sizeof salt);
    memset(iv, 0x6b, sizeof iv);
    cr_assert_eq(ov_kdf_pbkdf2(OV_SHA256, "pw", 2, salt, sizeof salt, 10000, key, 32, &err),
                 OV_OK);
    ct = malloc(plen + 16);
    cr_assert_eq(ov_aes_gcm_encrypt(key, 32, iv, 12, NULL, 0, (const uint8_t *)plain, plen, ct,
                                    ct + plen, &err), OV_OK);
    b64ct = malloc(ov_base64_encoded_len(plen + 16) + 1);
    ov_base64_encode(ct, plen + 16, b64ct, 0);
    ov_base64_encode(salt, sizeof salt, b64salt, 0);
    ov_base64_encode(iv, sizeof iv, b64iv, 0);
    field = malloc(strlen(b64ct) + strlen(b64salt) + strlen(b64iv) + 3);
    sprintf(field, "%s:%s:%s", b64ct, b64salt, b64iv);
    doc = json_pack("{s:i,s:[],s:s}", "schemaVersion", 3, "services", "servicesEncrypted",
                    field);
    import_json("2fas", doc, "pw", &r);
    cr_assert_eq(r.rc, OV_ERR_INVALID, "%s", r.err.msg);
    cr_assert(import_said(&r, "the services are an object"), "%s", r.err.msg);
    import_result_free(&r);
    json_decref(doc);
    free(field);
    free(b64ct);
    free(ct);
}
