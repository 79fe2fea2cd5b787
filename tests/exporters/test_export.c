/* Exports: every format re-imports to the same accounts, through our own importers where they
 * exist (a SKIP line otherwise) and through an independent reading of the format here, so
 * the check never depends on the importer alone. */
#include <criterion/criterion.h>
#include <gcrypt.h>
#include <jansson.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "tests/lib/export_check.h"
#include "otpvault/backup.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/export.h"
#include "otpvault/migration.h"
#include "otpvault/uri.h"
#include "tests/lib/vault_helpers.h"

TestSuite(export, .init = vt_setup, .fini = vt_teardown);

static const unsigned all_kinds[] = { 0, 1, 2, 3, 4, 5, 6, 7 };

static void run(const char *format, const struct ov_account_list *l, const char *password,
                struct ov_export_out *out)
{
    struct ov_export_opts o = { password, password != NULL ? strlen(password) : 0, 0 };
    struct ov_error err = { 0 };
    const struct ov_exporter *e = ov_exporter_find(format);

    cr_assert_not_null(e, "no exporter %s", format);
    cr_assert_eq(ov_export_run(e, l, &o, out, &err), OV_OK, "%s: %s", format, err.msg);
}

/* Positions of the accounts whose kind is not in skip. */
static size_t keep_except(const struct ov_account_list *l, bool (*skip)(const struct ov_account *),
                          size_t *keep)
{
    size_t n = 0;
    for (size_t i = 0; i < l->len; i++)
        if (!skip(&l->items[i]))
            keep[n++] = i;
    return n;
}

static bool is_motp(const struct ov_account *a) { return a->type == OV_MOTP; }

static void assert_skipped(const struct ov_export_out *out, const struct ov_account_list *l,
                           bool (*skip)(const struct ov_account *), const char *why)
{
    size_t n = 0;
    for (size_t i = 0; i < l->len; i++) {
        if (!skip(&l->items[i]))
            continue;
        cr_assert(n < out->nskipped, "account %zu was not reported as left out", i);
        cr_assert_eq(out->skipped[n].index, i);
        cr_assert(strstr(out->skipped[n].reason, l->items[i].name) != NULL, "%s",
                  out->skipped[n].reason);
        cr_assert(strstr(out->skipped[n].reason, why) != NULL, "%s", out->skipped[n].reason);
        n++;
    }
    cr_assert_eq(out->nskipped, n, "%zu left out, expected %zu", out->nskipped, n);
}

Test(export, otpauth_list_round_trip_and_motp_left_out_with_the_reason)
{
    struct ov_account_list l;
    struct ov_export_out out;
    struct ov_import_report r;
    size_t keep[64], n;

    ec_list(&l, 16, all_kinds, EC_KINDS);
    run("otpauth", &l, NULL, &out);
    n = keep_except(&l, is_motp, keep);
    assert_skipped(&out, &l, is_motp, "PIN");
    cr_assert_eq(out.count, n);
    /* one URI a line, nothing else */
    for (char *p = (char *)out.data; *p != '\0'; p = strchr(p, '\n') + 1)
        cr_assert(strncmp(p, "otpauth://", 10) == 0, "%.40s", p);
    if (ec_reimport("otpauth", true, out.data, out.len, NULL, &r)) {
        ec_assert_same(&r.accounts, &l, keep, n, 0, "otpauth");
        ov_import_report_free(&r);
    }
    ov_export_out_free(&out);
    ov_account_list_free(&l);
}

static bool not_in_migration(const struct ov_account *a)
{
    return ov_migration_check_account(a, NULL) != OV_OK;
}

Test(export, gauth_migration_lines_form_one_batch_and_round_trip)
{
    struct ov_account_list l;
    struct ov_export_out out;
    struct ov_import_report r;
    size_t keep[64], n, lines = 0;
    int32_t batch_id = 0;

    ec_list(&l, 32, all_kinds, EC_KINDS);   /* 4 of each: 20 carried (kinds 0, 1, 6, 7) */
    run("gauth-migration", &l, NULL, &out);
    n = keep_except(&l, not_in_migration, keep);
    cr_assert_eq(n, 16);
    assert_skipped(&out, &l, not_in_migration, "Google Authenticator");
    for (char *p = (char *)out.data; *p != '\0'; lines++) {
        char *nl = strchr(p, '\n');
        struct ov_account_list part;
        struct ov_migration_batch b;
        struct ov_error err = { 0 };
        *nl = '\0';
        ov_account_list_init(&part);
        cr_assert_eq(ov_migration_parse_uri(p, &part, &b, NULL, &err), OV_OK, "%s", err.msg);
        cr_assert_eq(b.batch_size, 2);
        cr_assert_eq(b.batch_index, (int32_t)lines);
        cr_assert_eq(part.len, lines == 0 ? 10u : 6u);
        if (lines == 0)
            batch_id = b.batch_id;
        cr_assert_eq(b.batch_id, batch_id, "one batch id across the codes");
        cr_assert_neq(b.batch_id, 0);
        ov_account_list_free(&part);
        *nl = '\n';
        p = nl + 1;
    }
    cr_assert_eq(lines, 2);
    if (ec_reimport("otpauth", true, out.data, out.len, NULL, &r)) {
        ec_assert_same(&r.accounts, &l, keep, n, 0, "gauth-migration");
        ov_import_report_free(&r);
    }
    ov_export_out_free(&out);
    ov_account_list_free(&l);
}

/* ---- an independent reading of Aegis content (formats.md 1.3) ---- */

static void aegis_entries(json_t *db, struct ov_account_list *l)
{
    json_t *groups = json_object_get(db, "groups"), *e;
    size_t i;

    cr_assert_eq(json_integer_value(json_object_get(db, "version")), 3);
    cr_assert(json_is_array(groups));
    cr_assert(json_is_true(json_object_get(db, "icons_optimized")));
    ov_account_list_init(l);
    json_array_foreach(json_object_get(db, "entries"), i, e) {
        json_t *info = json_object_get(e, "info"), *g;
        const char *secret = json_string_value(json_object_get(info, "secret"));
        struct ov_account a;
        uint8_t key[128];
        size_t klen, k;

        ov_account_init(&a);
        cr_assert_eq(strlen(json_string_value(json_object_get(e, "uuid"))), 36);
        cr_assert_eq(ov_otp_type_parse(json_string_value(json_object_get(e, "type")), &a.type), 0);
        ov_account_set_text(&a.issuer, json_string_value(json_object_get(e, "issuer")));
        ov_account_set_text(&a.name, json_string_value(json_object_get(e, "name")));
        cr_assert_eq(ov_base32_decode(secret, key, &klen, NULL), OV_OK);
        cr_assert_null(strchr(secret, '='), "Aegis writes Base32 without padding");
        ov_account_set_secret(&a, key, klen);
        cr_assert_eq(ov_algo_parse(json_string_value(json_object_get(info, "algo")), &a.algo), 0);
        a.digits = (unsigned)json_integer_value(json_object_get(info, "digits"));
        if (a.type == OV_HOTP)
            a.counter = (uint64_t)json_integer_value(json_object_get(info, "counter"));
        else
            a.period = (unsigned)json_integer_value(json_object_get(info, "period"));
        if (json_object_get(info, "pin") != NULL)
            a.pin = ov_secure_strdup(json_string_value(json_object_get(info, "pin")));
        if (json_string_length(json_object_get(e, "note")) > 0)
            ov_account_set_text(&a.note, json_string_value(json_object_get(e, "note")));
        cr_assert(json_is_null(json_object_get(e, "icon")));
        cr_assert(json_is_false(json_object_get(e, "favorite")));
        json_array_foreach(json_object_get(e, "groups"), k, g) {
            size_t j;
            json_t *def;
            json_array_foreach(groups, j, def)
                if (strcmp(json_string_value(json_object_get(def, "uuid")),
                           json_string_value(g)) == 0)
                    ov_account_set_text(&a.group,
                                        json_string_value(json_object_get(def, "name")));
            cr_assert_not_null(a.group, "entry group uuid without a group");
        }
        ov_account_list_push(l, &a);
    }
}

static json_t *parse(const struct ov_export_out *out)
{
    json_error_t jerr;
    json_t *root = json_loadb((const char *)out->data, out->len, 0, &jerr);
    cr_assert_not_null(root, "not JSON: %s (line %d)", jerr.text, jerr.line);
    return root;
}

static size_t keep_all(const struct ov_account_list *l, size_t *keep)
{
    for (size_t i = 0; i < l->len; i++)
        keep[i] = i;
    return l->len;
}

Test(export, aegis_plain_is_an_aegis_vault_with_groups_and_round_trips)
{
    struct ov_account_list l, back;
    struct ov_export_out out;
    struct ov_import_report r;
    size_t keep[64], n;
    json_t *root, *header;

    ec_list(&l, 16, all_kinds, EC_KINDS);
    run("aegis", &l, NULL, &out);
    cr_assert_eq(out.nskipped, 0);
    cr_assert(strstr((char *)out.data, "\n    \"header\": {") != NULL, "4-space indent");
    root = parse(&out);
    cr_assert_eq(json_integer_value(json_object_get(root, "version")), 1);
    header = json_object_get(root, "header");
    cr_assert(json_is_null(json_object_get(header, "slots")));
    cr_assert(json_is_null(json_object_get(header, "params")));
    aegis_entries(json_object_get(root, "db"), &back);
    cr_assert_eq(json_array_size(json_object_get(json_object_get(root, "db"), "groups")), 2,
                 "one group each for 'work' and 'home'");
    n = keep_all(&l, keep);
    ec_assert_same(&back, &l, keep, n, EC_GROUPS | EC_NOTES, "aegis (read here)");
    if (ec_reimport("aegis", true, out.data, out.len, NULL, &r)) {
        ec_assert_same(&r.accounts, &l, keep, n, EC_GROUPS | EC_NOTES, "aegis");
        ov_import_report_free(&r);
    }
    json_decref(root);
    ov_account_list_free(&back);
    ov_export_out_free(&out);
    ov_account_list_free(&l);
}

/* formats.md 1.2 by hand with libgcrypt: scrypt -> unwrap the master key -> decrypt db. */
static json_t *aegis_decrypt_here(json_t *root, const char *password)
{
    json_t *header = json_object_get(root, "header");
    json_t *slot = json_array_get(json_object_get(header, "slots"), 0);
    json_t *kp = json_object_get(slot, "key_params"), *params = json_object_get(header, "params");
    uint8_t salt[32], key[32], wrapped[32], master[32], nonce[12], tag[16];
    const char *b64 = json_string_value(json_object_get(root, "db"));
    size_t n, ct_len;
    uint8_t *ct = malloc(strlen(b64)), *plain;
    gcry_cipher_hd_t h;
    json_error_t jerr;
    json_t *db;

    cr_assert_eq(json_array_size(json_object_get(header, "slots")), 1);
    cr_assert_eq(json_integer_value(json_object_get(slot, "type")), 1);
    cr_assert_eq(json_integer_value(json_object_get(slot, "n")), 32768);
    cr_assert_eq(json_integer_value(json_object_get(slot, "r")), 8);
    cr_assert_eq(json_integer_value(json_object_get(slot, "p")), 1);
    cr_assert(json_is_true(json_object_get(slot, "repaired")));
    cr_assert(json_is_false(json_object_get(slot, "is_backup")));
    cr_assert_eq(strlen(json_string_value(json_object_get(slot, "uuid"))), 36);
#define HEX(obj, key, buf)                                                                  \
    do {                                                                                    \
        const char *t_ = json_string_value(json_object_get(obj, key));                      \
        cr_assert_eq(strlen(t_), 2 * sizeof(buf), "%s is %zu hex digits", key, strlen(t_)); \
        cr_assert_eq(ov_hex_decode(t_, strlen(t_), buf, &n, NULL), OV_OK);                  \
        for (const char *c_ = t_; *c_; c_++)                                                \
            cr_assert(!(*c_ >= 'A' && *c_ <= 'F'), "%s: lower-case hex", key);              \
    } while (0)
    HEX(slot, "salt", salt);
    HEX(slot, "key", wrapped);
    HEX(kp, "nonce", nonce);
    HEX(kp, "tag", tag);
    cr_assert_eq(gcry_kdf_derive(password, strlen(password), GCRY_KDF_SCRYPT, 32768, salt,
                                 sizeof salt, 1, sizeof key, key), 0);
    cr_assert_eq(gcry_cipher_open(&h, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_GCM, 0), 0);
    gcry_cipher_setkey(h, key, sizeof key);
    gcry_cipher_setiv(h, nonce, sizeof nonce);
    cr_assert_eq(gcry_cipher_decrypt(h, master, sizeof master, wrapped, sizeof wrapped), 0);
    cr_assert_eq(gcry_cipher_checktag(h, tag, sizeof tag), 0, "the slot does not unwrap");
    gcry_cipher_close(h);
    HEX(params, "nonce", nonce);
    HEX(params, "tag", tag);
#undef HEX
    cr_assert_eq(ov_base64_decode(b64, strlen(b64), ct, &ct_len, NULL), OV_OK);
    cr_assert_null(strchr(b64, '-'), "standard Base64");
    plain = calloc(ct_len + 1, 1);
    cr_assert_eq(gcry_cipher_open(&h, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_GCM, 0), 0);
    gcry_cipher_setkey(h, master, sizeof master);
    gcry_cipher_setiv(h, nonce, sizeof nonce);
    cr_assert_eq(gcry_cipher_decrypt(h, plain, ct_len, ct, ct_len), 0);
    cr_assert_eq(gcry_cipher_checktag(h, tag, sizeof tag), 0, "the content does not decrypt");
    gcry_cipher_close(h);
    db = json_loadb((const char *)plain, ct_len, 0, &jerr);
    cr_assert_not_null(db, "decrypted content is not JSON: %s", jerr.text);
    free(ct);
    free(plain);
    return db;
}

Test(export, aegis_encrypted_decrypts_by_the_formats_recipe_and_round_trips)
{
    struct ov_account_list l, back;
    struct ov_export_out out, again;
    struct ov_import_report r;
    size_t keep[64], n;
    json_t *root, *db, *root2;

    ec_list(&l, 8, all_kinds, EC_KINDS);
    run("aegis-encrypted", &l, "export pw", &out);
    root = parse(&out);
    cr_assert_eq(json_integer_value(json_object_get(root, "version")), 1);
    cr_assert(json_is_string(json_object_get(root, "db")));
    cr_assert_null(strstr((char *)out.data, "Service 00"), "names must not be readable");
    db = aegis_decrypt_here(root, "export pw");
    aegis_entries(db, &back);
    n = keep_all(&l, keep);
    ec_assert_same(&back, &l, keep, n, EC_GROUPS | EC_NOTES, "aegis-encrypted (read here)");
    /* Fresh salt, nonces and master key every time. */
    run("aegis-encrypted", &l, "export pw", &again);
    root2 = parse(&again);
    cr_assert_str_neq(json_string_value(json_object_get(root, "db")),
                      json_string_value(json_object_get(root2, "db")));
    if (ec_reimport("aegis", true, out.data, out.len, "export pw", &r)) {
        struct ov_import_options o = { .password = "wrong", .password_len = 5 };
        struct ov_blob in = { out.data, out.len, "export" };
        ec_assert_same(&r.accounts, &l, keep, n, EC_GROUPS | EC_NOTES, "aegis-encrypted");
        ov_import_report_free(&r);
        cr_assert_eq(ov_import_run(&in, 1, &o, NULL, &r), OV_ERR_AUTH);
        ov_import_report_free(&r);
    }
    json_decref(root);
    json_decref(root2);
    json_decref(db);
    ov_account_list_free(&back);
    ov_export_out_free(&out);
    ov_export_out_free(&again);
    ov_account_list_free(&l);
}

Test(export, aegis_encrypted_needs_a_password)
{
    struct ov_account_list l;
    struct ov_export_out out;
    struct ov_export_opts o = { 0 };
    struct ov_error err = { 0 };

    ec_list(&l, 2, all_kinds, 1);
    cr_assert_eq(ov_export_run(ov_exporter_find("aegis-encrypted"), &l, &o, &out, &err),
                 OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "password") != NULL, "%s", err.msg);
    ov_export_out_free(&out);
    ov_account_list_free(&l);
}

static bool not_in_2fas(const struct ov_account *a)
{
    return a->type == OV_MOTP || a->type == OV_YANDEX;
}

Test(export, twofas_schema_4_round_trips_and_says_what_it_cannot_carry)
{
    struct ov_account_list l;
    struct ov_export_out out;
    struct ov_import_report r;
    size_t keep[64], n, i;
    json_t *root, *s, *groups;

    ec_list(&l, 16, all_kinds, EC_KINDS);
    run("2fas", &l, NULL, &out);
    n = keep_except(&l, not_in_2fas, keep);
    assert_skipped(&out, &l, not_in_2fas, "2FAS has no");
    root = parse(&out);
    cr_assert_eq(json_integer_value(json_object_get(root, "schemaVersion")), 4);
    cr_assert_str_eq(json_string_value(json_object_get(root, "appOrigin")), "android");
    groups = json_object_get(root, "groups");
    cr_assert_eq(json_array_size(groups), 2);
    cr_assert_eq(json_array_size(json_object_get(root, "services")), n);
    json_array_foreach(json_object_get(root, "services"), i, s) {
        const struct ov_account *a = &l.items[keep[i]];
        json_t *otp = json_object_get(s, "otp");
        const char *tt = json_string_value(json_object_get(otp, "tokenType"));
        uint8_t key[64];
        size_t klen;
        cr_assert_str_eq(json_string_value(json_object_get(s, "name")), a->issuer);
        cr_assert_str_eq(json_string_value(json_object_get(otp, "account")), a->name);
        cr_assert_str_eq(tt, a->type == OV_HOTP ? "HOTP" : a->type == OV_STEAM ? "STEAM"
                                                                              : "TOTP");
        cr_assert_eq(ov_base32_decode(json_string_value(json_object_get(s, "secret")), key,
                                      &klen, NULL), OV_OK);
        cr_assert(klen == a->secret_len && memcmp(key, a->secret, klen) == 0);
        cr_assert_eq(json_integer_value(json_object_get(otp, "digits")), a->digits);
        cr_assert_eq(json_integer_value(json_object_get(json_object_get(s, "order"),
                                                        "position")), (json_int_t)i);
        cr_assert_eq(json_object_get(s, "groupId") != NULL, a->group != NULL);
    }
    if (ec_reimport("2fas", true, out.data, out.len, NULL, &r)) {
        ec_assert_same(&r.accounts, &l, keep, n, EC_GROUPS, "2fas");
        ov_import_report_free(&r);
    }
    json_decref(root);
    ov_export_out_free(&out);
    ov_account_list_free(&l);
}

Test(export, json_is_the_contract_with_secrets_and_round_trips)
{
    struct ov_account_list l, back;
    struct ov_export_out out;
    struct ov_import_report r;
    size_t keep[64], n, i;
    json_t *root, *o;

    ec_list(&l, 16, all_kinds, EC_KINDS);
    run("json", &l, NULL, &out);
    cr_assert_eq(out.nskipped, 0);
    root = parse(&out);
    cr_assert(json_is_array(root));
    ov_account_list_init(&back);
    json_array_foreach(root, i, o) {
        struct ov_account a;
        uint8_t key[64];
        size_t klen;
        json_t *pin = json_object_get(o, "pin"), *g = json_object_get(o, "group");
        json_t *note = json_object_get(o, "note");
        ov_account_init(&a);
        cr_assert_eq(ov_otp_type_parse(json_string_value(json_object_get(o, "type")), &a.type), 0);
        ov_account_set_text(&a.issuer, json_string_value(json_object_get(o, "issuer")));
        ov_account_set_text(&a.name, json_string_value(json_object_get(o, "name")));
        cr_assert_eq(ov_base32_decode(json_string_value(json_object_get(o, "secret")), key,
                                      &klen, NULL), OV_OK);
        ov_account_set_secret(&a, key, klen);
        cr_assert_eq(ov_algo_parse(json_string_value(json_object_get(o, "algorithm")), &a.algo), 0);
        a.digits = (unsigned)json_integer_value(json_object_get(o, "digits"));
        if (a.type == OV_HOTP) {
            cr_assert(json_is_null(json_object_get(o, "period")));
            a.counter = (uint64_t)json_integer_value(json_object_get(o, "counter"));
        } else {
            cr_assert(json_is_null(json_object_get(o, "counter")));
            a.period = (unsigned)json_integer_value(json_object_get(o, "period"));
        }
        if (pin != NULL)
            a.pin = ov_secure_strdup(json_string_value(pin));
        if (g != NULL)
            ov_account_set_text(&a.group, json_string_value(g));
        if (note != NULL)
            ov_account_set_text(&a.note, json_string_value(note));
        ov_account_list_push(&back, &a);
    }
    n = keep_all(&l, keep);
    ec_assert_same(&back, &l, keep, n, EC_GROUPS | EC_NOTES, "json (read here)");
    if (ec_reimport("json", false, out.data, out.len, NULL, &r)) {
        ec_assert_same(&r.accounts, &l, keep, n, EC_GROUPS | EC_NOTES, "json");
        ov_import_report_free(&r);
    }
    json_decref(root);
    ov_account_list_free(&back);
    ov_export_out_free(&out);
    ov_account_list_free(&l);
}

Test(export, nothing_exportable_is_an_error_that_says_why)
{
    static const unsigned steam_only[] = { 2 };
    struct ov_account_list l;
    struct ov_export_out out;
    struct ov_export_opts o = { 0 };
    struct ov_error err = { 0 };

    ec_list(&l, 3, steam_only, 1);
    cr_assert_eq(ov_export_run(ov_exporter_find("gauth-migration"), &l, &o, &out, &err),
                 OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "none of the 3") != NULL, "%s", err.msg);
    cr_assert_eq(out.nskipped, 3, "the reasons are there for the caller to show");
    ov_export_out_free(&out);
    ov_account_list_free(&l);
}

Test(export, every_format_is_in_the_table)
{
    static const char *const names[] = { "otpauth", "gauth-migration", "aegis",
                                         "aegis-encrypted", "2fas", "json" };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        cr_assert_not_null(ov_exporter_find(names[i]), "%s", names[i]);
    cr_assert_null(ov_exporter_find("nope"));
    cr_assert(ov_exporter_find("aegis-encrypted")->encrypted);
    cr_assert_not(ov_exporter_find("json")->encrypted);
}

/* ---- files ---- */

static mode_t mode_of(const char *path)
{
    struct stat st;
    cr_assert_eq(stat(path, &st), 0, "%s", path);
    return st.st_mode & 0777;
}

Test(export, files_are_0600_never_overwritten_unless_forced)
{
    struct ov_error err = { 0 };
    const char *path = vt_path("out.json");

    umask(022);
    cr_assert_eq(ov_export_write_file(path, "one", 3, false, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(mode_of(path), 0600);
    cr_assert_eq(ov_export_write_file(path, "two", 3, false, &err), OV_ERR_EXISTS);
    cr_assert(vt_same_file(path, (const uint8_t *)"one", 3));
    cr_assert_eq(ov_export_write_file(path, "three", 5, true, &err), OV_OK, "%s", err.msg);
    cr_assert(vt_same_file(path, (const uint8_t *)"three", 5));
    cr_assert_eq(mode_of(path), 0600);
    cr_assert_eq(vt_count_temp_files(test_dir), 0);
}

Test(export, a_missing_directory_is_a_clear_error_and_leaves_nothing)
{
    struct ov_error err = { 0 };
    const char *path = vt_path("absent/out.json");

    cr_assert_eq(ov_export_write_file(path, "x", 1, false, &err), OV_ERR_IO);
    cr_assert(strstr(err.msg, "absent") != NULL && strstr(err.msg, "No such file") != NULL,
              "%s", err.msg);
    cr_assert_eq(vt_count_temp_files(test_dir), 0);
}

static int child_full_disk(char *msg, size_t msg_size)
{
    static char big[64 * 1024];
    struct rlimit lim = { 8192, 8192 };
    struct ov_error err = { 0 };
    const char *path = vt_path("big.json");
    size_t n;

    memset(big, 'x', sizeof big);
    signal(SIGXFSZ, SIG_IGN);
    if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
        return 2;
    if (ov_export_write_file(path, big, sizeof big, false, &err) != OV_ERR_IO)
        return 3;
    snprintf(msg, msg_size, "%s", err.msg);
    if (vt_try_read(path, &n) != NULL)
        return 4;   /* no partial file under the name */
    return vt_count_temp_files(test_dir) == 0 ? 0 : 5;
}

Test(export, a_write_failure_leaves_no_partial_file)
{
    char msg[512];
    int rc = vt_in_child(child_full_disk, msg, sizeof msg);
    cr_assert_eq(rc, 0, "child check %d: %s", rc, msg);
    cr_assert(strstr(msg, "File too large") != NULL, "%s", msg);
}

#define SKIP_NO_NAMESPACE 77

/* A read-only file system (root ignores directory permissions, a read-only mount it cannot):
 * neither an export nor a backup leaves anything behind, and both say why. */
static int child_read_only(char *msg, size_t msg_size)
{
    const char *dir = vt_path("ro");
    struct ov_error err = { 0 };
    struct ov_vault v;
    char *path = NULL;

    if (vt_try_create(vt_path("v.otpv"), 2, &v, &err) != 0 || mkdir(dir, 0700) != 0)
        return 2;
    if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
        mount("tmpfs", dir, "tmpfs", 0, "size=1m,mode=0700") != 0 ||
        mount(NULL, dir, NULL, MS_REMOUNT | MS_RDONLY, NULL) != 0)
        return SKIP_NO_NAMESPACE;
    if (ov_export_write_file(vt_path("ro/x.json"), "x", 1, false, &err) != OV_ERR_IO)
        return 3;
    snprintf(msg, msg_size, "%s", err.msg);
    if (strstr(err.msg, "Read-only file system") == NULL)
        return 4;
    if (ov_backup_write(&v, dir, NULL, 0, NULL, 1767225600, &path, &err) != OV_ERR_IO ||
        path != NULL)
        return 5;
    if (strstr(err.msg, "Read-only file system") == NULL) {
        snprintf(msg, msg_size, "%s", err.msg);
        return 6;
    }
    return vt_count_temp_files(dir) == 0 ? 0 : 7;
}

Test(export, a_read_only_target_is_a_clear_error)
{
    char msg[512];
    int rc = vt_in_child(child_read_only, msg, sizeof msg);
    if (rc == SKIP_NO_NAMESPACE) {
        vt_teardown();
        cr_skip_test("cannot mount a read-only tmpfs in a private mount namespace (needs "
                     "CAP_SYS_ADMIN); the file-size limit test covers write failures");
    }
    cr_assert_eq(rc, 0, "child check %d: %s", rc, msg);
}

Test(export, our_json_importer_reports_bad_entries_and_keeps_the_rest)
{
    static const char text[] =
        "[{\"type\": \"totp\", \"issuer\": \"A\", \"name\": \"a\", \"secret\": \"JBSWY3DPEHPK3PXP\","
        " \"algorithm\": \"SHA1\", \"digits\": 6, \"period\": 30, \"counter\": null},"
        " {\"type\": \"totp\", \"issuer\": \"B\", \"name\": \"b\", \"secret\": \"not base32!\","
        " \"algorithm\": \"SHA1\", \"digits\": 6, \"period\": 30, \"counter\": null},"
        " {\"type\": \"motp\", \"issuer\": \"C\", \"name\": \"c\", \"secret\": \"JBSWY3DPEHPK3PXP\","
        " \"algorithm\": \"MD5\", \"digits\": 6, \"period\": 10, \"counter\": null}]";
    struct ov_import_options o = { 0 };
    struct ov_import_report r;
    struct ov_blob in = { (const uint8_t *)text, sizeof text - 1, "mine.json" };

    cr_assert_str_eq(ov_import_pick(&in, NULL)->name, "json");
    cr_assert_eq(ov_import_run(&in, 1, &o, NULL, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 1);
    cr_assert_str_eq(r.accounts.items[0].issuer, "A");
    cr_assert_eq(r.entries_failed, 2, "the bad secret and the mOTP without its PIN");
    ov_import_report_free(&r);
    in.data = (const uint8_t *)"{\"a\": 1}";
    in.len = 8;
    o.format = "json";
    cr_assert_eq(ov_import_run(&in, 1, &o, NULL, &r), OV_ERR_INVALID);
    ov_import_report_free(&r);
}

/* What each format has no room for is said, counted over the accounts written. */
Test(export, what_a_format_cannot_carry_is_said)
{
    static const struct {
        const char *format, *lost;
    } formats[] = {
        { "otpauth", "the otpauth format has no room for groups or notes: 2 accounts lose "
                     "their group, 1 its note" },
        { "gauth-migration", "the gauth-migration format has no room for groups or notes: "
                             "2 accounts lose their group, 1 its note" },
        { "2fas", "the 2fas format has no room for notes: 1 account loses its note" },
        { "aegis", "" },
        { "json", "" },
    };
    struct ov_account_list l;
    struct ov_error err = { 0 };

    static const char *const uris[] = { "otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP",
                                        "otpauth://totp/B:b?secret=GEZDGNBVGY3TQOJQ",
                                        "otpauth://totp/C:c?secret=KRSXG5CTMVRXEZLU" };

    ov_account_list_init(&l);
    for (size_t i = 0; i < 3; i++) {
        struct ov_account a;   /* ov_uri_parse initialises it */
        cr_assert_eq(ov_uri_parse(uris[i], &a, NULL, 0, &err), OV_OK, "%s", err.msg);
        ov_account_list_push(&l, &a);
    }
    ov_account_set_text(&l.items[0].group, "Work");
    ov_account_set_text(&l.items[1].group, "Home");
    ov_account_set_text(&l.items[1].note, "the old phone");
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
        struct ov_export_out out;
        run(formats[i].format, &l, NULL, &out);
        cr_assert_str_eq(out.lost, formats[i].lost, "%s", formats[i].format);
        ov_export_out_free(&out);
    }
    ov_account_list_free(&l);
}
