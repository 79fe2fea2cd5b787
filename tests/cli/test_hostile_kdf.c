/* KDF parameters meant to exhaust memory or time: in a vault header (authenticated only after
 * the KDF has run, so the bounds are checked first) and in an export file (Aegis-like, with
 * scrypt). Each runs in a child whose time and memory are measured (tests/bounded.c); where
 * the point is an allocation that cannot succeed, RLIMIT_AS makes it fail, which
 * AddressSanitizer builds cannot do: those cases print SKIP there. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/bounded.h"
#include "tests/lib/cli_run.h"
#include "otpvault/crypto.h"
#include "otpvault/import.h"
#include "otpvault/importer.h"
#include "otpvault/vault.h"
#include "otpvault/vault_format.h"
#include "tests/lib/vault_helpers.h"

TestSuite(hostile_kdf, .init = vt_setup, .fini = vt_teardown, .timeout = 120);

static bool skip_under_asan(const char *test)
{
    if (!bounded_under_asan())
        return false;
    fprintf(stderr, "SKIP: hostile_kdf/%s: needs RLIMIT_AS, which AddressSanitizer's shadow "
            "memory rules out (the plain build runs it)\n", test);
    return true;
}

static int argon2_at_4_gib(void *arg, char *msg, size_t n)
{
    struct ov_kdf_params kdf = { OV_ARGON2_MAX_KIB, 1, 4 };
    struct ov_error err = { 0 };
    uint8_t out[32];
    int rc = ov_kdf_argon2id("p", 1, (const uint8_t *)"saltsalt", 8, &kdf, out, 32, &err);

    (void)arg;
    snprintf(msg, n, "%d %s", rc, err.msg);
    return rc == OV_ERR_LIMIT && strstr(err.msg, "4 GiB") != NULL ? 0 : 1;
}

/* libgcrypt 1.10 sizes Argon2's buffer as 1024 * blocks in 32 bits: 4 GiB came out as 0
 * (EINVAL: `init --kdf-memory 4G`, which the CLI allowed, failed), and anything above would
 * have overflowed the buffer. Now refused before libgcrypt is called, at every entry. */
Test(hostile_kdf, argon2_at_4_gib_is_refused_before_libgcrypt_sees_it)
{
    struct bounded b;
    struct cli_env env;
    struct cli_result r;

    bounded_run(argon2_at_4_gib, NULL, 64, 10, &b);
    cr_assert(b.exited && b.status == 0, "%s (signal %d)", b.msg, b.signal);
    cr_assert_lt(b.seconds, 1.0);
    cr_assert_lt(b.grew_kib, 64 * 1024);
    cli_env_setup(&env);
    cli_run(&r, &env, NULL, ARGS("init", "--kdf-memory", "4G"));
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.err, "from 64K to 2G") != NULL, "%s", r.err);
    cr_assert_neq(access(env.vault, F_OK), 0);
    cli_result_free(&r);
    cli_env_teardown(&env);
}

struct open_case {
    const char *path;
};

static int open_vault(void *arg, char *msg, size_t n)
{
    const struct open_case *c = arg;
    struct ov_error err = { 0 };
    struct ov_vault v;
    int rc = ov_vault_open(c->path, PASS, PASS_LEN, &v, &err);

    snprintf(msg, n, "%d %s", rc, err.msg);
    ov_vault_close(&v);
    /* Out of memory is not a wrong passphrase: the user must not be told so. */
    return rc == OV_ERR_NOMEM && strstr(err.msg, c->path) != NULL &&
           strstr(err.msg, "MiB of memory") != NULL && strstr(err.msg, "passphrase") == NULL
           ? 0 : 1;
}

/* A header at the largest memory a vault may ask for, in a process that cannot have it:
 * the allocation fails inside libgcrypt and comes back as a clear error, not an abort.
 * (It used to come back as "wrong passphrase or damaged vault": libgcrypt allocates when
 * the KDF handle is opened, and a failure there was not recognised as out of memory.) */
Test(hostile_kdf, a_vault_header_asking_for_more_memory_than_there_is_is_a_clear_error)
{
    const char *path = vt_path("v.otpv");
    struct open_case c = { path };
    struct ov_vault v;
    struct bounded b;
    uint8_t *file;
    size_t len;

    if (skip_under_asan("a_vault_header_asking_for_more_memory_than_there_is_is_a_clear_error"))
        return;
    vt_create_with(path, 1, &v);
    ov_vault_close(&v);
    file = vt_read(path, &len);
    for (int i = 0; i < 4; i++) {
        file[12 + i] = (uint8_t)(OV_KDF_MAX_MEMORY_KIB >> (8 * i));   /* memory */
        file[16 + i] = (uint8_t)(OV_KDF_MAX_TIME >> (8 * i));         /* passes */
    }
    vt_write(path, file, len);
    bounded_run(open_vault, &c, 512, 20, &b);
    cr_assert(b.exited && b.status == 0, "%s (signal %d after %.1f s)", b.msg, b.signal,
              b.seconds);
    cr_assert_lt(b.seconds, 5.0);
    free(file);
}

static int scrypt_without_memory(void *arg, char *msg, size_t n)
{
    struct ov_error err = { 0 };
    uint8_t out[32];
    int rc = ov_kdf_scrypt("p", 1, (const uint8_t *)"s", 1, OV_UNTRUSTED_SCRYPT_MAX_N, 8, 1,
                           out, 32, &err);
    (void)arg;
    snprintf(msg, n, "%d %s", rc, err.msg);
    return rc != OV_OK && strstr(err.msg, "scrypt") != NULL ? 0 : 1;
}

/* scrypt at the largest N an export may ask for needs 1 GiB; without it, an error. */
Test(hostile_kdf, scrypt_without_the_memory_it_needs_is_an_error_not_an_abort)
{
    struct bounded b;

    if (skip_under_asan("scrypt_without_the_memory_it_needs_is_an_error_not_an_abort"))
        return;
    bounded_run(scrypt_without_memory, NULL, 256, 20, &b);
    cr_assert(b.exited && b.status == 0, "%s (signal %d)", b.msg, b.signal);
    cr_assert_lt(b.seconds, 2.0);
}

/* An Aegis export whose one password slot asks for scrypt with n and p. */
static char *aegis_like(unsigned long long n, unsigned p)
{
    char *json = malloc(1024);
    snprintf(json, 1024,
             "{\"version\": 1, \"header\": {\"slots\": [{\"type\": 1, \"uuid\": "
             "\"a9bb7f3d-3ee4-4a4e-9b6b-2b0d2c6f6b7e\", \"key\": \"%064d\", \"key_params\": "
             "{\"nonce\": \"%024d\", \"tag\": \"%032d\"}, \"n\": %llu, \"r\": 8, \"p\": %u, "
             "\"salt\": \"%064d\", \"repaired\": true}], \"params\": {\"nonce\": \"%024d\", "
             "\"tag\": \"%032d\"}}, \"db\": \"AAAA\"}", 0, 0, 0, n, p, 0, 0, 0);
    return json;
}

struct export_case {
    const char *json;
    const char *want;       /* in the failure note, when an Aegis importer exists */
};

static int import_export(void *arg, char *msg, size_t n)
{
    const struct export_case *c = arg;
    struct ov_blob in = { (const uint8_t *)c->json, strlen(c->json), "crafted.json" };
    struct ov_import_options opts = { .password = "password", .password_len = 8 };
    struct ov_import_report r;
    const char *note = NULL;
    int rc = ov_import_run(&in, 1, &opts, NULL, &r);

    for (size_t i = 0; i < r.nnotes; i++)
        if (r.notes[i].kind == OV_NOTE_INPUT_FAILED && note == NULL)
            note = r.notes[i].text;
    snprintf(msg, n, "status %d: %s", rc, note != NULL ? note : "(no note)");
    rc = rc == OV_OK ? 1
       : note == NULL || strncmp(note, "crafted.json", 12) != 0 ? 2
       : ov_importer_find("aegis") != NULL && strstr(note, c->want) == NULL ? 3
       : 0;
    ov_import_report_free(&r);
    return rc;
}

Test(hostile_kdf, an_export_asking_for_scrypt_n_2_30_or_too_much_work_is_refused_at_once)
{
    char *huge_n = aegis_like(1ull << 30, 1), *many_p = aegis_like(1ull << 20, 16);
    const struct export_case cases[] = {
        { huge_n, "scrypt N=1073741824" },
        { many_p, "p=16" },
    };

    for (size_t i = 0; i < 2; i++) {
        struct bounded b;
        bounded_run(import_export, (void *)&cases[i], 128, 20, &b);
        cr_assert(b.exited && b.status == 0, "case %zu: %s (signal %d, %.1f s)", i, b.msg,
                  b.signal, b.seconds);
        cr_assert_lt(b.seconds, 2.0, "case %zu took %.1f s: the KDF ran", i, b.seconds);
        cr_assert_lt(b.grew_kib, 128 * 1024, "case %zu grew by %ld KiB", i, b.grew_kib);
    }
    free(huge_n);
    free(many_p);
}
