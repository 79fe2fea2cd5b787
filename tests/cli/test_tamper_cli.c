/* A tampered vault through the real binary: every byte flipped in turn, and cut short, must
 * be refused whole by every command (exit 3, "wrong passphrase or damaged vault", nothing on
 * stdout), and neither it nor the previous generation may be written over. The library-level
 * versions (both bit masks, every truncation, appended bytes) are in test_vault.c. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/lib/cli_run.h"

static struct cli_env env;
static char prev_path[400], *prev;      /* the previous generation, which must not change */
static size_t prev_len;

static void setup(void)
{
    cli_env_setup(&env);
    cli_init_vault(&env);
    cli_add_uris(&env, "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub\n"
                       "otpauth://hotp/Bank:carol?secret=GEZDGNBVGY3TQOJQ&counter=5\n");
    snprintf(prev_path, sizeof prev_path, "%s.prev", env.vault);
    prev = read_file(prev_path, &prev_len);
    cr_assert_not_null(prev);
}

static void teardown(void)
{
    free(prev);
    cli_env_teardown(&env);
}

TestSuite(tamper_cli, .init = setup, .fini = teardown, .timeout = 240);

/* The commands take turns: readers, and a writer that must not overwrite what it cannot
 * read (nor keep it as the previous generation). */
static const char *const *command(size_t i)
{
    static const char *const list[] = { "list", NULL };
    static const char *const code[] = { "code", "--json", NULL };
    static const char *const one[] = { "code", "github", NULL };
    static const char *const add[] = { "add", "--uri", "-", NULL };
    static const char *const *const all[] = { list, code, one, add };
    return all[i % 4];
}

static void expect_refused(const char *bad, size_t len, const char *what, size_t turn)
{
    const char *const *args = command(turn);
    struct cli_result r;
    size_t after_len;
    char *after;

    cli_run(&r, &env, "otpauth://totp/New:x?secret=GEZDGNBVGY3TQOJQ\n", args);
    cr_assert_eq(r.status, 3, "%s, `%s`: exit %d: %s", what, args[0], r.status, r.err);
    cr_assert_str_eq(r.out, "", "%s, `%s`: printed from a damaged vault", what, args[0]);
    cr_assert(strstr(r.err, "wrong passphrase or damaged vault") != NULL, "%s: %s", what,
              r.err);
    cli_result_free(&r);
    after = read_file(env.vault, &after_len);
    cr_assert(after_len == len && memcmp(after, bad, len) == 0, "%s, `%s`: the file changed",
              what, args[0]);
    free(after);
    after = read_file(prev_path, &after_len);
    cr_assert(after_len == prev_len && memcmp(after, prev, prev_len) == 0,
              "%s, `%s`: the previous generation changed", what, args[0]);
    free(after);
}

Test(tamper_cli, every_flipped_byte_is_refused_by_every_command)
{
    size_t len;
    char *good = read_file(env.vault, &len);

    cr_assert_gt(len, 64 + 16);
    for (size_t i = 0; i < len; i++) {
        char what[64];
        /* A low bit and a high bit in turn: small and large changes to every field. */
        unsigned char mask = i % 2 ? 0x80 : 0x01;
        good[i] ^= (char)mask;
        write_file(env.vault, good, len);
        snprintf(what, sizeof what, "byte %zu of %zu ^ 0x%02x", i, len, mask);
        expect_refused(good, len, what, i);
        good[i] ^= (char)mask;
    }
    free(good);
}

/* Every length through the header, then every seventh (test_vault.c tries them all). */
Test(tamper_cli, truncations_are_refused)
{
    size_t len;
    char *good = read_file(env.vault, &len);

    for (size_t n = 0; n < len; n += n < 72 ? 1 : 7) {
        char what[64];
        write_file(env.vault, good, n);
        snprintf(what, sizeof what, "cut to %zu of %zu bytes", n, len);
        expect_refused(good, n, what, n);
    }
    free(good);
}
