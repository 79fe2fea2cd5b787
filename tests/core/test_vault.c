/* Vault create/open: round trips, wrong passphrase, tampering and truncation anywhere,
 * crafted KDF parameters, peek, passphrase change. Saving: test_vault_save.c. */
#include <time.h>

#include "otpvault/vault_format.h"
#include "tests/lib/vault_helpers.h"

TestSuite(vault, .init = vt_setup, .fini = vt_teardown);

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Nothing loaded: open zeroes *out on failure, so close is a no-op and nothing leaks. */
static void assert_nothing_loaded(const struct ov_vault *v)
{
    cr_assert_eq(v->accounts.len, 0);
    cr_assert_null(v->accounts.items);
    cr_assert_null(v->key);
    cr_assert_null(v->path);
}

static void assert_damaged(const char *path, const char *what)
{
    struct ov_vault v;
    struct ov_error err = { 0 };
    int rc = ov_vault_open(path, PASS, PASS_LEN, &v, &err);
    cr_assert_eq(rc, OV_ERR_AUTH, "%s: expected OV_ERR_AUTH, got %d (%s)", what, rc, err.msg);
    cr_assert_eq(err.code, OV_ERR_AUTH);
    cr_assert(strstr(err.msg, "wrong passphrase or damaged vault") != NULL, "%s: %s", what,
              err.msg);
    assert_nothing_loaded(&v);
}

Test(vault, round_trip_keeps_every_field)
{
    const char *path = vt_path("v.otpv");
    struct ov_vault v, w;
    struct ov_error err = { 0 };
    struct ov_account a;
    struct stat st;

    vt_create_with(path, 10, &v);
    /* UTF-8 everywhere a user can type, negative times, a big HOTP counter, a Yandex PIN. */
    ov_account_init(&a);
    ov_account_set_secret(&a, (const uint8_t *)"\x00\x01\xff secret", 10);
    ov_account_set_text(&a.issuer, "Bänk 銀行 🏦");
    ov_account_set_text(&a.name, "zoë@例え.jp");
    ov_account_set_text(&a.group, "");
    ov_account_set_text(&a.note, "línea 1\nline 2 \t with tabs");
    a.type = OV_YANDEX;
    a.algo = OV_SHA256;
    a.digits = 8;
    a.period = 30;
    a.counter = UINT64_MAX;
    a.pin = ov_secure_strdup("pïn 0000");
    a.created = -1;
    a.last_used = INT64_MAX;
    ov_account_list_push(&v.accounts, &a);
    v.last_backup = 1720000000;
    v.last_drill = INT64_MIN;
    cr_assert_eq(ov_vault_save(&v, &err), 0, "%s", err.msg);

    cr_assert_eq(ov_vault_open(path, PASS, PASS_LEN, &w, &err), 0, "%s", err.msg);
    vt_assert_lists_eq(&v.accounts, &w.accounts);
    cr_assert_eq(w.accounts.items[10].type, OV_YANDEX);
    cr_assert_str_eq(w.accounts.items[10].group, "");
    cr_assert_null(w.accounts.items[0].group);
    cr_assert_eq(w.last_backup, 1720000000);
    cr_assert_eq(w.last_drill, INT64_MIN);
    cr_assert_eq(w.kdf.memory_kib, small_kdf.memory_kib);
    cr_assert_eq(w.kdf.time_cost, small_kdf.time_cost);
    cr_assert_eq(w.kdf.lanes, small_kdf.lanes);
    cr_assert_eq(w.generation, v.generation);
    cr_assert_eq(memcmp(w.salt, v.salt, sizeof v.salt), 0);
    cr_assert_eq(memcmp(w.file_hash, v.file_hash, sizeof v.file_hash), 0);
    cr_assert_str_eq(w.path, path);
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600, "vault mode %o", st.st_mode & 0777);
    ov_vault_close(&v);
    ov_vault_close(&w);
    cr_assert_null(w.key);
}

Test(vault, thousand_accounts_round_trip)
{
    const char *path = vt_path("big.otpv");
    struct ov_vault v, w;
    struct ov_error err = { 0 };

    vt_create_with(path, 1000, &v);
    cr_assert_eq(ov_vault_open(path, PASS, PASS_LEN, &w, &err), 0, "%s", err.msg);
    cr_assert_eq(w.accounts.len, 1000);
    vt_assert_lists_eq(&v.accounts, &w.accounts);
    ov_vault_close(&v);
    ov_vault_close(&w);
}

Test(vault, create_makes_private_directories_and_refuses_to_overwrite)
{
    const char *path = vt_path("a/b/c/v.otpv");
    struct ov_vault v, w;
    struct ov_error err = { 0 };
    struct stat st;

    cr_assert_eq(ov_vault_create(path, PASS, PASS_LEN, &small_kdf, &v, &err), 0, "%s",
                 err.msg);
    cr_assert_eq(v.generation, 1);
    cr_assert_eq(stat(vt_path("a/b/c"), &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0700, "directory mode %o", st.st_mode & 0777);
    cr_assert_eq(stat(vt_path("a"), &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0700);
    cr_assert_eq(ov_vault_create(path, "other", 5, &small_kdf, &w, &err), OV_ERR_EXISTS);
    cr_assert(strstr(err.msg, path) != NULL, "%s", err.msg);
    assert_nothing_loaded(&w);
    /* The original still opens with its own passphrase. */
    cr_assert_eq(ov_vault_open(path, PASS, PASS_LEN, &w, &err), 0, "%s", err.msg);
    cr_assert_eq(w.accounts.len, 0);
    ov_vault_close(&w);
    ov_vault_close(&v);
}

Test(vault, create_rejects_kdf_parameters_it_could_not_open)
{
    struct ov_kdf_params weak = { 8, 1, 1 }, wide = { 1024, 1, 200 }, slow = { 1024, 101, 1 };
    struct ov_vault v;
    struct ov_error err = { 0 };

    cr_assert_eq(ov_vault_create(vt_path("w"), PASS, PASS_LEN, &weak, &v, &err),
                 OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "memory") != NULL, "%s", err.msg);
    cr_assert_eq(ov_vault_create(vt_path("w"), PASS, PASS_LEN, &wide, &v, &err),
                 OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "lanes") != NULL, "%s", err.msg);
    cr_assert_eq(ov_vault_create(vt_path("w"), PASS, PASS_LEN, &slow, &v, &err),
                 OV_ERR_INVALID);
    cr_assert_eq(access(vt_path("w"), F_OK), -1);
}

Test(vault, open_missing_file_is_not_found)
{
    struct ov_vault v;
    struct ov_error err = { 0 };
    cr_assert_eq(ov_vault_open(vt_path("nope/v.otpv"), PASS, PASS_LEN, &v, &err),
                 OV_ERR_NOT_FOUND);
    cr_assert(strstr(err.msg, "nope/v.otpv") != NULL, "%s", err.msg);
    assert_nothing_loaded(&v);
}

Test(vault, wrong_passphrase_is_auth_error)
{
    const char *path = vt_path("v.otpv");
    struct ov_vault v, w;
    struct ov_error err = { 0 };

    vt_create_with(path, 3, &v);
    cr_assert_eq(ov_vault_open(path, "correct horse battery stapler", PASS_LEN + 1, &w, &err),
                 OV_ERR_AUTH);
    cr_assert(strstr(err.msg, "wrong passphrase or damaged vault") != NULL, "%s", err.msg);
    cr_assert(strstr(err.msg, path) != NULL, "%s", err.msg);
    assert_nothing_loaded(&w);
    cr_assert_eq(ov_vault_open(path, "", 0, &w, &err), OV_ERR_AUTH);
    assert_nothing_loaded(&w);
    ov_vault_close(&v);
}

Test(vault, every_flipped_byte_is_rejected, .timeout = 120)
{
    const char *path = vt_path("v.otpv"), *bad = vt_path("bad.otpv");
    struct ov_vault v;
    uint8_t *file;
    size_t len;

    vt_create_with(path, 1, &v);
    ov_vault_close(&v);
    file = vt_read(path, &len);
    cr_assert_gt(len, OV_VAULT_HEADER_LEN + OV_VAULT_TAG_LEN);
    for (size_t i = 0; i < len; i++) {
        /* A low bit and a high bit: small and large changes to every field. */
        static const uint8_t masks[] = { 0x01, 0x80 };
        for (size_t m = 0; m < sizeof masks; m++) {
            char what[64];
            file[i] ^= masks[m];
            vt_write(bad, file, len);
            file[i] ^= masks[m];
            snprintf(what, sizeof what, "byte %zu ^ 0x%02x", i, masks[m]);
            assert_damaged(bad, what);
        }
    }
    free(file);
}

Test(vault, every_truncation_and_any_appended_bytes_are_rejected, .timeout = 120)
{
    const char *path = vt_path("v.otpv"), *bad = vt_path("bad.otpv");
    struct ov_vault v;
    uint8_t *file, *longer;
    size_t len;

    vt_create_with(path, 2, &v);
    ov_vault_close(&v);
    file = vt_read(path, &len);
    for (size_t n = 0; n < len; n++) {
        char what[64];
        vt_write(bad, file, n);
        snprintf(what, sizeof what, "truncated to %zu of %zu bytes", n, len);
        assert_damaged(bad, what);
    }
    longer = malloc(2 * len);
    memcpy(longer, file, len);
    memcpy(longer + len, file, len);
    vt_write(bad, longer, len + 1);
    assert_damaged(bad, "one byte appended");
    vt_write(bad, longer, len + 16);
    assert_damaged(bad, "16 bytes appended");
    vt_write(bad, longer, 2 * len);
    assert_damaged(bad, "the file twice");
    free(longer);
    free(file);
}

Test(vault, other_files_are_rejected_as_damaged)
{
    const char *bad = vt_path("bad.otpv");
    uint8_t zeros[200] = { 0 };

    vt_write(bad, (const uint8_t *)"", 0);
    assert_damaged(bad, "empty file");
    vt_write(bad, zeros, sizeof zeros);
    assert_damaged(bad, "zeros");
    vt_write(bad, (const uint8_t *)"otpauth://totp/x?secret=JBSWY3DPEHPK3PXP\n", 40);
    assert_damaged(bad, "text");
}

struct patch {
    size_t offset;
    uint32_t value;
};

/* Writes path to bad with up to two u32 header fields replaced (offset 0: unused). */
static void patch_u32(const char *path, const char *bad, const struct patch *p, size_t n)
{
    size_t len;
    uint8_t *file = vt_read(path, &len);
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; p[k].offset != 0 && i < 4; i++)
            file[p[k].offset + i] = (uint8_t)(p[k].value >> (8 * i));
    vt_write(bad, file, len);
    free(file);
}

Test(vault, crafted_kdf_parameters_are_refused_before_the_kdf_runs)
{
    const char *path = vt_path("v.otpv"), *bad = vt_path("bad.otpv");
    struct { struct patch p[2]; const char *word; } cases[] = {
        { { { 12, OV_KDF_MAX_MEMORY_KIB + 1 }, { 16, OV_KDF_MAX_TIME } }, "memory" },
        { { { 12, UINT32_MAX }, { 0, 0 } }, "memory" },
        { { { 12, OV_KDF_MIN_MEMORY_KIB - 1 }, { 0, 0 } }, "memory" },
        { { { 16, OV_KDF_MAX_TIME + 1 }, { 0, 0 } }, "time" },
        { { { 16, 0 }, { 0, 0 } }, "time" },
        { { { 20, 0 }, { 0, 0 } }, "lanes" },
        { { { 20, OV_KDF_MAX_LANES + 1 }, { 0, 0 } }, "lanes" },
        { { { 12, 64 }, { 20, 9 } }, "per lane" }, /* 64 KiB for 9 lanes */
    };
    struct ov_vault v;

    vt_create_with(path, 1, &v);
    ov_vault_close(&v);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct ov_error err = { 0 };
        double t0;
        int rc;
        patch_u32(path, bad, cases[i].p, 2);
        t0 = now_s();
        rc = ov_vault_open(bad, PASS, PASS_LEN, &v, &err);
        /* Past the bounds the KDF would take minutes or fail with ENOMEM. */
        cr_assert_lt(now_s() - t0, 0.5, "case %zu took too long: the KDF ran", i);
        cr_assert_eq(rc, OV_ERR_AUTH, "case %zu: %d %s", i, rc, err.msg);
        cr_assert(strstr(err.msg, "wrong passphrase or damaged vault") != NULL, "%s", err.msg);
        cr_assert(strstr(err.msg, cases[i].word) != NULL, "case %zu: %s", i, err.msg);
        assert_nothing_loaded(&v);
        cr_assert_eq(ov_vault_peek(bad, NULL, NULL, &err), OV_ERR_AUTH);
    }
}

Test(vault, peek_reads_the_header_without_a_passphrase)
{
    const char *path = vt_path("v.otpv");
    struct ov_vault v;
    struct ov_kdf_params kdf;
    struct ov_error err = { 0 };
    uint64_t gen = 0;

    vt_create_with(path, 2, &v);
    cr_assert_eq(ov_vault_peek(path, &kdf, &gen, &err), 0, "%s", err.msg);
    cr_assert_eq(gen, 2);
    cr_assert_eq(kdf.memory_kib, small_kdf.memory_kib);
    cr_assert_eq(kdf.time_cost, small_kdf.time_cost);
    cr_assert_eq(kdf.lanes, small_kdf.lanes);
    cr_assert_eq(ov_vault_peek(vt_path("missing"), &kdf, &gen, &err), OV_ERR_NOT_FOUND);
    ov_vault_close(&v);
}

Test(vault, header_is_little_endian_as_documented)
{
    const char *path = vt_path("v.otpv");
    struct ov_vault v;
    uint8_t *file;
    size_t len;

    vt_create_with(path, 1, &v);
    file = vt_read(path, &len);
    cr_assert_eq(memcmp(file, "OTPVAULT", 8), 0);
    cr_assert_eq(file[8], 1);
    cr_assert_eq(file[9], 0);
    cr_assert_eq(file[10], OV_VAULT_AEAD_AES256GCM);
    cr_assert_eq(file[11], OV_VAULT_KDF_ARGON2ID);
    cr_assert_eq((uint32_t)(file[12] | file[13] << 8), small_kdf.memory_kib);
    cr_assert_eq((uint32_t)file[16], small_kdf.time_cost);
    cr_assert_eq((uint32_t)file[20], small_kdf.lanes);
    cr_assert_eq(memcmp(file + 24, v.salt, 16), 0);
    cr_assert_eq(file[52], 2); /* generation: created 1, saved once */
    for (int i = 60; i < 64; i++)
        cr_assert_eq(file[i], 0);
    free(file);
    ov_vault_close(&v);
}

Test(vault, change_passphrase_re_keys_with_a_new_salt)
{
    const char *path = vt_path("v.otpv");
    struct ov_kdf_params stronger = { 2048, 2, 1 }, kdf;
    struct ov_vault v, w;
    struct ov_error err = { 0 };
    uint8_t old_salt[16];

    vt_create_with(path, 5, &v);
    memcpy(old_salt, v.salt, sizeof old_salt);
    cr_assert_eq(ov_vault_change_passphrase(&v, "new pass", 8, &stronger, &err), 0, "%s",
                 err.msg);
    cr_assert_neq(memcmp(old_salt, v.salt, sizeof old_salt), 0);

    cr_assert_eq(ov_vault_open(path, PASS, PASS_LEN, &w, &err), OV_ERR_AUTH);
    cr_assert(strstr(err.msg, "wrong passphrase or damaged vault") != NULL, "%s", err.msg);
    cr_assert_eq(ov_vault_open(path, "new pass", 8, &w, &err), 0, "%s", err.msg);
    vt_assert_lists_eq(&v.accounts, &w.accounts);
    cr_assert_eq(memcmp(w.salt, v.salt, sizeof v.salt), 0);
    cr_assert_eq(w.kdf.memory_kib, 2048);
    cr_assert_eq(w.kdf.time_cost, 2);
    ov_vault_close(&w);
    cr_assert_eq(ov_vault_peek(path, &kdf, NULL, &err), 0);
    cr_assert_eq(kdf.lanes, 1);

    /* The previous generation is the old-passphrase file, as a way back. */
    cr_assert_eq(ov_vault_open(vt_path("v.otpv.prev"), PASS, PASS_LEN, &w, &err), 0, "%s",
                 err.msg);
    vt_assert_lists_eq(&v.accounts, &w.accounts);
    ov_vault_close(&w);

    /* Later saves use the new key without asking again. */
    ov_account_list_remove(&v.accounts, 0);
    cr_assert_eq(ov_vault_save(&v, &err), 0, "%s", err.msg);
    cr_assert_eq(ov_vault_open(path, "new pass", 8, &w, &err), 0, "%s", err.msg);
    cr_assert_eq(w.accounts.len, 4);
    ov_vault_close(&w);
    ov_vault_close(&v);
}

Test(vault, failed_passphrase_change_keeps_the_old_key)
{
    const char *path = vt_path("v.otpv");
    struct ov_vault v, w;
    struct ov_error err = { 0 };
    uint8_t *orig, old_salt[16];
    size_t len;

    vt_create_with(path, 2, &v);
    memcpy(old_salt, v.salt, sizeof old_salt);
    orig = vt_read(path, &len);
    vt_write(path, (const uint8_t *)"changed", 7);
    cr_assert_eq(ov_vault_change_passphrase(&v, "new", 3, NULL, &err), OV_ERR_CONFLICT);
    cr_assert_eq(memcmp(old_salt, v.salt, sizeof old_salt), 0);
    vt_write(path, orig, len);
    cr_assert_eq(ov_vault_save(&v, &err), 0, "%s", err.msg);
    cr_assert_eq(ov_vault_open(path, PASS, PASS_LEN, &w, &err), 0, "%s", err.msg);
    ov_vault_close(&w);
    cr_assert_eq(ov_vault_change_passphrase(&v, "new", 3, &(struct ov_kdf_params){ 1, 1, 1 },
                                            &err), OV_ERR_INVALID);
    free(orig);
    ov_vault_close(&v);
}

Test(vault, default_kdf_parameters_stay_strong)
{
    struct ov_kdf_params def = { OV_KDF_DEFAULT_MEMORY_KIB, OV_KDF_DEFAULT_TIME,
                                 OV_KDF_DEFAULT_LANES };
    cr_assert_geq(OV_KDF_DEFAULT_MEMORY_KIB, 64u * 1024u, "default below 64 MiB");
    cr_assert_geq(OV_KDF_DEFAULT_TIME, 1);
    cr_assert_geq(OV_KDF_DEFAULT_LANES, 1);
    cr_assert_eq(ov_vault_kdf_check(&def, NULL), 0);
}

Test(vault, create_without_parameters_uses_the_defaults, .timeout = 60)
{
    const char *path = vt_path("v.otpv");
    struct ov_vault v;
    struct ov_kdf_params kdf;
    struct ov_error err = { 0 };

    cr_assert_eq(ov_vault_create(path, PASS, PASS_LEN, NULL, &v, &err), 0, "%s", err.msg);
    cr_assert_eq(ov_vault_peek(path, &kdf, NULL, &err), 0, "%s", err.msg);
    cr_assert_eq(kdf.memory_kib, OV_KDF_DEFAULT_MEMORY_KIB);
    cr_assert_eq(kdf.time_cost, OV_KDF_DEFAULT_TIME);
    cr_assert_eq(kdf.lanes, OV_KDF_DEFAULT_LANES);
    ov_vault_close(&v);
}
