/* The command line, end to end: the contracts of design.md sections 3 and 4 (arguments,
 * JSON, exit statuses) and "bad input: clear error, nothing lost". */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/lib/cli_run.h"

/* RFC 6238 Appendix B seeds as Base32, with their published codes. */
#define RFC_SHA1 "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
#define RFC_SHA256 "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA"
#define URI_SHA1 "otpauth://totp/Example:alice@example.com?secret=" RFC_SHA1 \
                 "&issuer=Example&digits=8"
#define URI_SHA256 "otpauth://totp/Other:bob?secret=" RFC_SHA256 \
                   "&algorithm=SHA256&digits=8&period=30"
#define URI_HOTP "otpauth://hotp/Counter:carol?secret=" RFC_SHA1 "&counter=5"

static struct cli_env env;

static void setup(void)
{
    cli_env_setup(&env);
}

static void teardown(void)
{
    cli_env_teardown(&env);
}

TestSuite(cli, .init = setup, .fini = teardown, .timeout = 60);

Test(cli, version_and_help)
{
    struct cli_result r;
    cli_run(&r, &env, NULL, ARGS("--version"));
    cr_assert_eq(r.status, 0);
    cr_assert(strncmp(r.out, "otpvault ", 9) == 0, "got: %s", r.out);
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("--help"));
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "code [QUERY]") != NULL);
    cr_assert(strstr(r.out, "exit status") != NULL);
    cli_result_free(&r);
}

Test(cli, usage_errors_exit_2)
{
    struct cli_result r;
    cli_run(&r, &env, NULL, ARGS("frobnicate"));
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "frobnicate") != NULL);
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("list", "--bogus"));
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "--bogus") != NULL);
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("list", "--at", "5"));
    cr_assert_eq(r.status, 2, "--at is for code only");
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("code", "--at", "soon"));
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "soon") != NULL);
    cli_result_free(&r);
}

Test(cli, init_creates_private_vault_and_refuses_to_overwrite)
{
    struct cli_result r;
    struct stat st;
    char *before, *after;
    size_t n1, n2;

    cli_init_vault(&env);
    cr_assert_eq(stat(env.vault, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600, "mode %o", st.st_mode & 0777);
    before = read_file(env.vault, &n1);
    cli_run(&r, &env, NULL, ARGS("init", "--kdf-memory", "1M", "--kdf-time", "1"));
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "already exists") != NULL, "got: %s", r.err);
    after = read_file(env.vault, &n2);
    cr_assert(n1 == n2 && memcmp(before, after, n1) == 0, "init must not touch the vault");
    free(before);
    free(after);
    cli_result_free(&r);
}

Test(cli, code_at_matches_rfc6238)
{
    struct cli_result r;
    cli_init_vault(&env);
    cli_add_uris(&env, URI_SHA1 "\n" URI_SHA256 "\n");
    cli_run(&r, &env, NULL, ARGS("code", "example", "--at", "59"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_eq(r.out, "94287082\n");
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("code", "other", "--at", "1111111109"));
    cr_assert_str_eq(r.out, "68084774\n");
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("code", "--at", "1234567890"));
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "89005924") != NULL, "got: %s", r.out);
    cr_assert(strstr(r.out, "91819424") != NULL, "got: %s", r.out);
    cli_result_free(&r);
}

static json_t *parse_json(const char *text)
{
    json_error_t jerr;
    json_t *j = json_loads(text, 0, &jerr);
    cr_assert_not_null(j, "not JSON (%s): %s", jerr.text, text);
    cr_assert(json_is_array(j));
    return j;
}

Test(cli, code_json_follows_the_contract)
{
    struct cli_result r;
    json_t *arr, *o;

    cli_init_vault(&env);
    cli_add_uris(&env, URI_SHA1 "\n" URI_HOTP "\n");
    cli_run(&r, &env, NULL, ARGS("code", "--at", "59", "--json"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    arr = parse_json(r.out);
    cr_assert_eq(json_array_size(arr), 2);
    o = json_array_get(arr, 0);
    cr_assert_str_eq(json_string_value(json_object_get(o, "type")), "totp");
    cr_assert_str_eq(json_string_value(json_object_get(o, "issuer")), "Example");
    cr_assert_str_eq(json_string_value(json_object_get(o, "name")), "alice@example.com");
    cr_assert_str_eq(json_string_value(json_object_get(o, "algorithm")), "SHA1");
    cr_assert_eq(json_integer_value(json_object_get(o, "digits")), 8);
    cr_assert_eq(json_integer_value(json_object_get(o, "period")), 30);
    cr_assert(json_is_null(json_object_get(o, "counter")));
    cr_assert_str_eq(json_string_value(json_object_get(o, "code")), "94287082");
    cr_assert_eq(json_integer_value(json_object_get(o, "remaining")), 1);
    cr_assert_null(json_object_get(o, "secret"), "code --json must not print secrets");
    o = json_array_get(arr, 1);
    cr_assert_str_eq(json_string_value(json_object_get(o, "type")), "hotp");
    cr_assert_eq(json_integer_value(json_object_get(o, "counter")), 5);
    cr_assert(json_is_null(json_object_get(o, "period")));
    /* RFC 4226 Appendix D: counter 5 gives 254676. */
    cr_assert_str_eq(json_string_value(json_object_get(o, "code")), "254676");
    json_decref(arr);
    cli_result_free(&r);
}

Test(cli, list_json_keeps_order_and_omits_secrets)
{
    struct cli_result r;
    json_t *arr;

    cli_init_vault(&env);
    cli_add_uris(&env, URI_HOTP "\n" URI_SHA1 "\n" URI_SHA256 "\n");
    cli_run(&r, &env, NULL, ARGS("list", "--json"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    arr = parse_json(r.out);
    cr_assert_eq(json_array_size(arr), 3);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(arr, 0), "issuer")),
                     "Counter");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(arr, 2), "issuer")),
                     "Other");
    for (size_t i = 0; i < 3; i++)
        cr_assert_null(json_object_get(json_array_get(arr, i), "secret"));
    cr_assert(strstr(r.out, RFC_SHA1) == NULL);
    json_decref(arr);
    cli_result_free(&r);
}

Test(cli, wrong_passphrase_exits_3_and_leaves_the_file)
{
    struct cli_result r;
    char *before, *after;
    size_t n1, n2;

    cli_init_vault(&env);
    cli_add_uris(&env, URI_SHA1 "\n");
    before = read_file(env.vault, &n1);
    write_file(env.passfile, "wrong horse\n", 12);
    cli_run(&r, &env, NULL, ARGS("add", "--uri", "-"));
    cr_assert_eq(r.status, 3);
    cr_assert(strstr(r.err, "wrong passphrase or damaged vault") != NULL, "got: %s", r.err);
    after = read_file(env.vault, &n2);
    cr_assert(n1 == n2 && memcmp(before, after, n1) == 0);
    free(before);
    free(after);
    cli_result_free(&r);
}

Test(cli, damaged_vault_exits_3)
{
    struct cli_result r;
    char *data;
    size_t n;

    cli_init_vault(&env);
    cli_add_uris(&env, URI_SHA1 "\n");
    data = read_file(env.vault, &n);
    data[n / 2] ^= 0x01;
    write_file(env.vault, data, n);
    cli_run(&r, &env, NULL, ARGS("list"));
    cr_assert_eq(r.status, 3);
    cr_assert(strstr(r.err, "wrong passphrase or damaged vault") != NULL, "got: %s", r.err);
    cr_assert_str_eq(r.out, "", "nothing may be shown from a damaged vault");
    cli_result_free(&r);
    data[n / 2] ^= 0x01;
    write_file(env.vault, data, n - 7);
    cli_run(&r, &env, NULL, ARGS("list"));
    cr_assert_eq(r.status, 3, "a truncated vault is damaged");
    free(data);
    cli_result_free(&r);
}

Test(cli, invalid_base32_names_the_position)
{
    struct cli_result r;
    cli_init_vault(&env);
    cli_run(&r, &env, "otpauth://totp/X:y?secret=JBSW1Y3DPEHPK3PXP\n", ARGS("add", "--uri", "-"));
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "'1'") != NULL && strstr(r.err, "5") != NULL, "got: %s", r.err);
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("list", "--json"));
    cr_assert_str_eq(r.out, "[]\n", "nothing may be added: %s", r.out);
    cli_result_free(&r);
}

Test(cli, add_rejects_duplicates_and_literal_uri_warns)
{
    struct cli_result r;
    cli_init_vault(&env);
    cli_add_uris(&env, URI_SHA1 "\n");
    cli_run(&r, &env, URI_SHA1 "\n", ARGS("add", "--uri", "-"));
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "already in the vault") != NULL, "got: %s", r.err);
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("add", "--uri", URI_SHA256));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "command line") != NULL, "a warning is due: %s", r.err);
    cli_result_free(&r);
}

Test(cli, interactive_add_reads_answers)
{
    struct cli_result r;
    cli_init_vault(&env);
    /* issuer, name, secret, type, algorithm, digits, period */
    cli_run(&r, &env, "Acme\nme@acme\n" RFC_SHA1 "\ntotp\nSHA1\n8\n30\n", ARGS("add"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("code", "acme", "--at", "59"));
    cr_assert_str_eq(r.out, "94287082\n");
    cli_result_free(&r);
    cli_run(&r, &env, "Bad\nme\nnot*base32\n", ARGS("add"));
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "secret") != NULL, "got: %s", r.err);
    cli_result_free(&r);
}

Test(cli, rm_needs_one_match_and_confirmation)
{
    struct cli_result r;
    cli_init_vault(&env);
    cli_add_uris(&env, URI_SHA1 "\n" URI_SHA256 "\n" URI_HOTP "\n");
    cli_run(&r, &env, NULL, ARGS("rm", "o"));
    cr_assert_eq(r.status, 1, "'o' is ambiguous");
    cr_assert(strstr(r.err, "matches 3 accounts") != NULL, "got: %s", r.err);
    cli_result_free(&r);
    cli_run(&r, &env, "n\n", ARGS("rm", "other"));
    cr_assert_eq(r.status, 1, "declined");
    cli_result_free(&r);
    /* No terminal to confirm on: the refusal says how to go ahead. */
    cli_run(&r, &env, NULL, ARGS("rm", "other"));
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "nothing removed") != NULL && strstr(r.err, "--yes") != NULL,
              "%s", r.err);
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("rm", "other", "--yes"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("list"));
    cr_assert(strstr(r.out, "Other") == NULL);
    cr_assert(strstr(r.out, "Example") != NULL);
    cli_result_free(&r);
}

Test(cli, edit_changes_fields_and_validates)
{
    struct cli_result r;
    cli_init_vault(&env);
    cli_add_uris(&env, URI_SHA1 "\n");
    cli_run(&r, &env, NULL, ARGS("edit", "example", "--issuer", "Renamed", "--group", "work"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("list", "--json"));
    cr_assert(strstr(r.out, "\"Renamed\"") != NULL && strstr(r.out, "\"work\"") != NULL,
              "got: %s", r.out);
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("edit", "renamed", "--digits", "11"));
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "11") != NULL);
    cli_result_free(&r);
}

Test(cli, passwd_reencrypts)
{
    struct cli_result r;
    char newpass[400];

    cli_init_vault(&env);
    cli_add_uris(&env, URI_SHA1 "\n");
    snprintf(newpass, sizeof newpass, "%s/newpass", env.dir);
    write_file(newpass, "battery staple\n", 15);
    cli_run(&r, &env, NULL, ARGS("passwd", "--new-passphrase-file", newpass));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("list"));
    cr_assert_eq(r.status, 3, "the old passphrase must no longer open it");
    cli_result_free(&r);
    write_file(env.passfile, "battery staple\n", 15);
    cli_run(&r, &env, NULL, ARGS("code", "example", "--at", "59"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_eq(r.out, "94287082\n");
    cli_result_free(&r);
}

Test(cli, config_yaml_error_names_file_line_column)
{
    struct cli_result r;
    char path[400];
    snprintf(path, sizeof path, "%s/bad.yaml", env.dir);
    const char *yaml = "lock_timeout: 5m\nclipboard:\n  method: [osc52\n";
    write_file(path, yaml, strlen(yaml));
    cli_run(&r, &env, NULL, ARGS("--config", path, "list"));
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "bad.yaml:") != NULL, "got: %s", r.err);
    cr_assert(strstr(r.err, ":4:") != NULL || strstr(r.err, ":3:") != NULL, "got: %s", r.err);
    cli_result_free(&r);
}

Test(cli, failed_save_keeps_the_old_vault)
{
    struct cli_result r;
    const char *argv[] = { getenv("OTPVAULT_BIN"), "--vault", env.vault, "--passphrase-file",
                           env.passfile, "add", "--uri", "-", NULL };
    char *before, *after, *listing;
    size_t n1, n2;

    cr_assert_not_null(argv[0], "OTPVAULT_BIN must be set");
    cli_init_vault(&env);
    cli_add_uris(&env, URI_SHA1 "\n");
    before = read_file(env.vault, &n1);
    /* A file-size limit below the vault's size: writing the new file fails like a full disk. */
    cli_run_raw(&r, &env, URI_SHA256 "\n", argv, (long)n1 / 2);
    cr_assert_eq(r.status, 1, "save must fail: %s", r.err);
    cr_assert(strstr(r.err, env.dir) != NULL, "the message names the file: %s", r.err);
    after = read_file(env.vault, &n2);
    cr_assert(n1 == n2 && memcmp(before, after, n1) == 0, "the old vault must be intact");
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("list"));
    listing = r.out;
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(listing, "Example") != NULL && strstr(listing, "Other") == NULL);
    free(before);
    free(after);
    cli_result_free(&r);
}

Test(cli, unwritable_location_is_a_clear_error)
{
    struct cli_result r;
    char blocker[400], vault[500];
    const char *argv[] = { getenv("OTPVAULT_BIN"), "--vault", vault, "--passphrase-file",
                           env.passfile, "init", "--kdf-memory", "1M", NULL };
    snprintf(blocker, sizeof blocker, "%s/file", env.dir);
    write_file(blocker, "x", 1);
    snprintf(vault, sizeof vault, "%s/sub/vault.otpv", blocker);
    cli_run_raw(&r, &env, NULL, argv, 0);
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, blocker) != NULL, "got: %s", r.err);
    cli_result_free(&r);
}

Test(cli, passphrase_from_dev_fd)
{
    struct cli_result r;
    char script[1200];
    const char *argv[] = { "/bin/sh", "-c", script, NULL };

    cli_init_vault(&env);
    cli_add_uris(&env, URI_SHA1 "\n");
    snprintf(script, sizeof script,
             "printf 'correct horse\\n' | { exec 3<&0; '%s' --vault '%s' --passphrase-file "
             "/dev/fd/3 code example --at 59 </dev/null; }",
             getenv("OTPVAULT_BIN"), env.vault);
    cli_run_raw(&r, &env, NULL, argv, 0);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_eq(r.out, "94287082\n");
    cli_result_free(&r);
}

Test(cli, formats_lists_importers)
{
    struct cli_result r;
    cli_run(&r, &env, NULL, ARGS("formats"));
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "otpauth") != NULL, "got: %s", r.out);
    cli_result_free(&r);
}

Test(cli, no_terminal_and_no_passphrase_file_is_an_error)
{
    struct cli_result r;
    const char *argv[] = { getenv("OTPVAULT_BIN"), "--vault", env.vault, "list", NULL };
    cli_init_vault(&env);
    cli_run_raw(&r, &env, NULL, argv, 0);
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "--passphrase-file") != NULL, "got: %s", r.err);
    cli_result_free(&r);
}

/* code --next: the counter goes up and is saved before the code is printed (RFC 4226
 * vectors: counter 6 is 287922, 7 is 162583), never for a TOTP account, and a failed save
 * prints no code. */
Test(cli, code_next_advances_and_saves_the_hotp_counter_first)
{
    struct cli_result r;

    cli_init_vault(&env);
    cli_add_uris(&env, URI_SHA1 "\n" URI_HOTP "\n");
    cli_run(&r, &env, NULL, ARGS("code", "--next", "carol"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_eq(r.out, "287922\n");
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("code", "--next", "carol", "--json"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "\"code\": \"162583\"") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "\"counter\": 7") != NULL, "%s", r.out);
    cli_result_free(&r);
    /* Without --next the code is the one at the saved counter: nothing moves. */
    cli_run(&r, &env, NULL, ARGS("code", "carol"));
    cr_assert_str_eq(r.out, "162583\n");
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("code", "carol"));
    cr_assert_str_eq(r.out, "162583\n");
    cli_result_free(&r);

    cli_run(&r, &env, NULL, ARGS("code", "--next", "Example"));
    cr_assert_eq(r.status, 2, "a TOTP account: %s", r.out);
    cr_assert(strstr(r.err, "HOTP") != NULL, "%s", r.err);
    cr_assert_eq(r.out[0], '\0');
    cli_result_free(&r);
    cli_run(&r, &env, NULL, ARGS("code", "--next"));
    cr_assert_eq(r.status, 2);
    cli_result_free(&r);

    /* A save that fails (a file-size limit below the vault's size, like a full disk): no
     * code, and the counter as it was. */
    {
        const char *argv[] = { getenv("OTPVAULT_BIN"), "--vault", env.vault,
                               "--passphrase-file", env.passfile, "code", "--next", "carol",
                               NULL };
        size_t n;
        free(read_file(env.vault, &n));
        cr_assert_not_null(argv[0], "OTPVAULT_BIN must be set");
        cli_run_raw(&r, &env, NULL, argv, (long)n / 2);
        cr_assert_neq(r.status, 0);
        cr_assert_eq(r.out[0], '\0', "no code without the counter on disk: %s", r.out);
        cli_result_free(&r);
    }
    cli_run(&r, &env, NULL, ARGS("code", "carol"));
    cr_assert_str_eq(r.out, "162583\n");
    cli_result_free(&r);
}
