/* otpvault import, end to end through the binary: dry runs, the JSON contract with secrets,
 * one atomic save, duplicates, and inputs that cannot be read leaving the vault untouched. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/cli_run.h"
#include "tests/lib/fixtures.h"

#define SYNTHETIC "gauth-migration-synthetic/aegis_vectors_synthetic.txt"

static struct cli_env env;

static void setup(void) { cli_env_setup(&env); }
static void teardown(void) { cli_env_teardown(&env); }

TestSuite(cli_import, .init = setup, .fini = teardown, .timeout = 60);

Test(cli_import, dry_run_json_prints_accounts_with_secrets_and_changes_nothing)
{
    struct cli_result r;
    json_error_t jerr;
    json_t *arr, *o;
    char *path;

    SKIP_WITHOUT_FIXTURE(SYNTHETIC);
    path = fixture_path(SYNTHETIC);
    cli_run(&r, &env, NULL, ARGS("import", "--dry-run", "--json", path));
    cr_assert_eq(r.status, 0, "%s", r.err);
    arr = json_loads(r.out, 0, &jerr);
    cr_assert_not_null(arr, "%s", r.out);
    cr_assert_eq(json_array_size(arr), 2);
    o = json_array_get(arr, 0);
    cr_assert_str_eq(json_string_value(json_object_get(o, "issuer")), "Deno");
    cr_assert_str_eq(json_string_value(json_object_get(o, "name")), "Mason");
    cr_assert_str_eq(json_string_value(json_object_get(o, "secret")),
                     "4SJHB4GSD43FZBAI7C2HLRJGPQ");
    cr_assert_eq(json_integer_value(json_object_get(o, "period")), 30);
    o = json_array_get(arr, 1);
    cr_assert_str_eq(json_string_value(json_object_get(o, "type")), "hotp");
    cr_assert_eq(json_integer_value(json_object_get(o, "counter")), 1);
    cr_assert(json_is_null(json_object_get(o, "period")));
    cr_assert(strstr(r.err, "found 2 accounts") != NULL, "summary on stderr: %s", r.err);
    cr_assert_null(fopen(env.vault, "r"), "a dry run needs no vault and creates none");
    json_decref(arr);
    free(path);
    cli_result_free(&r);
}

Test(cli_import, import_saves_once_and_skips_what_is_present)
{
    struct cli_result r;
    char *path;

    SKIP_WITHOUT_FIXTURE(SYNTHETIC);
    path = fixture_path(SYNTHETIC);
    cli_init_vault(&env);
    cli_add_uris(&env, "otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno\n");
    cli_run(&r, &env, NULL, ARGS("import", path));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "imported 1 account, 1 already present, 0 failed") != NULL,
              "got: %s", r.out);
    cr_assert(strstr(r.err, "already in the vault") != NULL, "%s", r.err);
    cli_result_free(&r);
    /* Aegis vector V4 at its stored counter. */
    cli_run(&r, &env, NULL, ARGS("code", "issuu"));
    cr_assert_str_eq(r.out, "253717\n");
    cli_result_free(&r);
    free(path);
}

Test(cli_import, an_unreadable_input_imports_nothing)
{
    struct cli_result r;
    char good[400], bad[400];
    char *before, *after;
    size_t n1, n2;

    cli_init_vault(&env);
    snprintf(good, sizeof good, "%s/good.txt", env.dir);
    snprintf(bad, sizeof bad, "%s/bad.bin", env.dir);
    write_file(good, "otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP\n", 42);
    write_file(bad, "\x89garbage\x01\x02", 11);
    before = read_file(env.vault, &n1);
    cli_run(&r, &env, NULL, ARGS("import", good, bad));
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, bad) != NULL, "the message names the input: %s", r.err);
    cr_assert(strstr(r.err, "nothing was imported") != NULL, "%s", r.err);
    after = read_file(env.vault, &n2);
    cr_assert(n1 == n2 && memcmp(before, after, n1) == 0);
    free(before);
    free(after);
    cli_result_free(&r);
}

Test(cli_import, stdin_and_usage_errors)
{
    struct cli_result r;
    cli_run(&r, &env, "otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP\n",
            ARGS("import", "--dry-run", "-"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "A: a") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "JBSWY3DPEHPK3PXP") == NULL, "text output shows no secrets");
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("import", "--format", "nonesuch", "-"));
    cr_assert_eq(r.status, 2);
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("import"));
    cr_assert_eq(r.status, 2);
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("import", "--dry-run", "/nonexistent/file.png"));
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "/nonexistent/file.png") != NULL);
    cli_result_free(&r);
}
