/* The YAML config: defaults, every key, durations, paths, and errors that point at
 * file:line:column. Each test writes its config under a fresh mkdtemp directory. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "otpvault/config.h"

static char dir[] = "/tmp/otpvault-config-XXXXXX";
static char cfg_path[sizeof dir + 32];

static void setup(void)
{
    cr_assert_not_null(mkdtemp(dir));
    snprintf(cfg_path, sizeof cfg_path, "%s/config.yaml", dir);
}

static void teardown(void)
{
    unlink(cfg_path);
    rmdir(dir);
}

TestSuite(config, .init = setup, .fini = teardown);

static void write_config(const char *text)
{
    FILE *f = fopen(cfg_path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
}

/* Loads text over the defaults; returns the status, leaving the result in c and err. */
static int load_text(const char *text, struct ov_config *c, struct ov_error *err)
{
    write_config(text);
    ov_config_defaults(c);
    return ov_config_load(cfg_path, false, c, err);
}

/* Asserts that text fails with exactly "cfg_path:where: what". */
static void assert_error(const char *text, const char *where, const char *what)
{
    struct ov_config c;
    struct ov_error err = { 0 };
    char want[OV_ERROR_MSG_MAX];

    snprintf(want, sizeof want, "%s:%s: %s", cfg_path, where, what);
    cr_assert_eq(load_text(text, &c, &err), OV_ERR_INVALID, "should fail: %s", text);
    cr_assert_eq(err.code, OV_ERR_INVALID);
    cr_assert_str_eq(err.msg, want);
    ov_config_free(&c);
}

static void assert_defaults(const struct ov_config *c)
{
    cr_assert_null(c->vault_path);
    cr_assert_eq(c->lock_timeout, 300);
    cr_assert_eq(c->clipboard, OV_CLIP_AUTO);
    cr_assert_eq(c->clipboard_clear, 30);
    cr_assert_eq(c->color, OV_COLOR_AUTO);
    cr_assert_str_eq(c->theme, "default");
    cr_assert_eq(c->clock_offset, 0);
    cr_assert_null(c->backup_dir);
    cr_assert_eq(c->backup_keep, 10);
    cr_assert_eq(c->backup_warn_days, 7);
}

Test(config, defaults)
{
    struct ov_config c;
    ov_config_defaults(&c);
    assert_defaults(&c);
    ov_config_free(&c);
    cr_assert_null(c.theme);
}

Test(config, empty_and_comment_only_files_give_defaults)
{
    const char *texts[] = { "", "# nothing yet\n\n", "---\n", "clipboard:\ntheme: ~\n" };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        struct ov_config c;
        struct ov_error err = { 0 };
        cr_assert_eq(load_text(texts[i], &c, &err), OV_OK, "%s", err.msg);
        assert_defaults(&c);
        ov_config_free(&c);
    }
}

Test(config, missing_file)
{
    struct ov_config c;
    struct ov_error err = { 0 };
    char path[sizeof cfg_path + 16];

    snprintf(path, sizeof path, "%s/absent.yaml", dir);
    ov_config_defaults(&c);
    cr_assert_eq(ov_config_load(path, true, &c, &err), OV_OK);
    assert_defaults(&c);
    cr_assert_eq(ov_config_load(path, false, &c, &err), OV_ERR_NOT_FOUND);
    cr_assert_eq(err.code, OV_ERR_NOT_FOUND);
    cr_assert(strstr(err.msg, path) != NULL, "message should name the path: %s", err.msg);
    assert_defaults(&c);
    ov_config_free(&c);
}

Test(config, directory_is_an_io_error)
{
    struct ov_config c;
    struct ov_error err = { 0 };
    ov_config_defaults(&c);
    cr_assert_eq(ov_config_load(dir, true, &c, &err), OV_ERR_IO);
    cr_assert(strstr(err.msg, dir) != NULL, "%s", err.msg);
    ov_config_free(&c);
}

Test(config, full_valid_file)
{
    struct ov_config c;
    struct ov_error err = { 0 };
    int rc = load_text("# every key\n"
                       "vault: /srv/otp/vault.otpv\n"
                       "lock_timeout: 5m\n"
                       "clock_offset: -12\n"
                       "clipboard:\n"
                       "  method: wl-copy\n"
                       "  clear_after: 45s\n"
                       "theme:\n"
                       "  name: solarized-dark\n"
                       "  color: never\n"
                       "backup:\n"
                       "  dir: \"/media/usb/otpvault\"\n"
                       "  keep: 3\n"
                       "  warn_after: 14d\n"
                       "sync:\n"
                       "  keep_deletions: 90d\n"
                       "keys:\n"
                       "  quit: q\n"
                       "  copy: 'y'\n"
                       "  lock: ctrl-x\n",
                       &c, &err);
    cr_assert_eq(rc, OV_OK, "%s", err.msg);
    cr_assert_str_eq(c.vault_path, "/srv/otp/vault.otpv");
    cr_assert_eq(c.lock_timeout, 300);
    cr_assert_eq(c.sync_tombstone_days, 90);
    cr_assert_eq(c.clock_offset, -12);
    cr_assert_eq(c.clipboard, OV_CLIP_WLCOPY);
    cr_assert_eq(c.clipboard_clear, 45);
    cr_assert_str_eq(c.theme, "solarized-dark");
    cr_assert_eq(c.color, OV_COLOR_NEVER);
    cr_assert_str_eq(c.backup_dir, "/media/usb/otpvault");
    cr_assert_eq(c.backup_keep, 3);
    cr_assert_eq(c.backup_warn_days, 14);
    ov_config_free(&c);
}

Test(config, flow_style_works_too)
{
    struct ov_config c;
    struct ov_error err = { 0 };
    cr_assert_eq(load_text("{clipboard: {method: none}, theme: {color: always}, keys: {}}\n",
                           &c, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(c.clipboard, OV_CLIP_NONE);
    cr_assert_eq(c.color, OV_COLOR_ALWAYS);
    ov_config_free(&c);
}

Test(config, every_enum_value_parses)
{
    const char *clip[] = { "auto", "osc52", "wl-copy", "xclip", "xsel", "pbcopy", "none" };
    for (int i = 0; i < 7; i++) {
        struct ov_config c;
        struct ov_error err = { 0 };
        char text[128];
        snprintf(text, sizeof text, "clipboard:\n  method: %s\n", clip[i]);
        cr_assert_eq(load_text(text, &c, &err), OV_OK, "%s", err.msg);
        cr_assert_eq((int)c.clipboard, i, "%s", clip[i]);
        ov_config_free(&c);
    }
}

Test(config, durations_with_units)
{
    static const struct { const char *text; unsigned lock, clear, warn; long long offset; } t[] = {
        { "lock_timeout: 0", 0, 30, 7, 0 },
        { "lock_timeout: 45", 45, 30, 7, 0 },
        { "lock_timeout: 30s", 30, 30, 7, 0 },
        { "lock_timeout: 5m", 300, 30, 7, 0 },
        { "lock_timeout: 1h", 3600, 30, 7, 0 },
        { "lock_timeout: 168h", 604800, 30, 7, 0 },
        { "lock_timeout: \"2m\"", 120, 30, 7, 0 },
        { "clipboard: {clear_after: 0}", 300, 0, 7, 0 },
        { "clipboard: {clear_after: 2m}", 300, 120, 7, 0 },
        { "backup: {warn_after: 30}", 300, 30, 30, 0 },
        { "backup: {warn_after: 30d}", 300, 30, 30, 0 },
        { "backup: {warn_after: 0}", 300, 30, 0, 0 },
        { "clock_offset: -90", 300, 30, 7, -90 },
        { "clock_offset: 2m", 300, 30, 7, 120 },
        { "clock_offset: -1h", 300, 30, 7, -3600 },
        { "clock_offset: -86400", 300, 30, 7, -86400 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        struct ov_config c;
        struct ov_error err = { 0 };
        char text[128];
        snprintf(text, sizeof text, "%s\n", t[i].text);
        cr_assert_eq(load_text(text, &c, &err), OV_OK, "%s: %s", t[i].text, err.msg);
        cr_assert_eq(c.lock_timeout, t[i].lock, "%s", t[i].text);
        cr_assert_eq(c.clipboard_clear, t[i].clear, "%s", t[i].text);
        cr_assert_eq(c.backup_warn_days, t[i].warn, "%s", t[i].text);
        cr_assert_eq(c.clock_offset, t[i].offset, "%s", t[i].text);
        ov_config_free(&c);
    }
}

Test(config, tilde_expands_to_home)
{
    struct ov_config c;
    struct ov_error err = { 0 };
    char want[sizeof dir + 64];

    setenv("HOME", dir, 1);
    cr_assert_eq(load_text("vault: ~/secrets/vault.otpv\nbackup:\n  dir: \"~\"\n", &c, &err),
                 OV_OK, "%s", err.msg);
    snprintf(want, sizeof want, "%s/secrets/vault.otpv", dir);
    cr_assert_str_eq(c.vault_path, want);
    cr_assert_str_eq(c.backup_dir, dir);
    ov_config_free(&c);
    /* A bare ~ is YAML's null: the setting keeps its default. */
    cr_assert_eq(load_text("backup:\n  dir: ~\n", &c, &err), OV_OK, "%s", err.msg);
    cr_assert_null(c.backup_dir);
    ov_config_free(&c);
}

Test(config, bad_duration_names_file_line_column)
{
    assert_error("# comment\nlock_timeout: soon\n", "2:15",
                 "lock_timeout: expected a duration like 300, 30s, 5m or 1h, got \"soon\"");
    assert_error("clipboard:\n  method: osc52\n  clear_after: 30 s\n", "3:16",
                 "clipboard.clear_after: expected a duration like 300, 30s, 5m or 1h, "
                 "got \"30 s\"");
    assert_error("lock_timeout: -5\n", "1:15",
                 "lock_timeout: expected a duration like 300, 30s, 5m or 1h, got \"-5\"");
    assert_error("lock_timeout: 1d\n", "1:15",
                 "lock_timeout: expected a duration like 300, 30s, 5m or 1h, got \"1d\"");
    assert_error("backup:\n    warn_after: 2w\n", "2:17",
                 "backup.warn_after: expected a number of days like 7 or 7d, got \"2w\"");
    assert_error("clock_offset: soon\n", "1:15",
                 "clock_offset: expected seconds like 0, -30, 90s or 2m, got \"soon\"");
    assert_error("backup: {keep: 3.5}\n", "1:16",
                 "backup.keep: expected a whole number, got \"3.5\"");
}

Test(config, numbers_are_bounded)
{
    assert_error("lock_timeout: 169h\n", "1:15",
                 "lock_timeout: \"169h\" is out of range "
                 "(allowed: 0 (never) to 1 week (604800 seconds))");
    /* Far past 64 bits: reported as out of range, never wrapped. */
    assert_error("lock_timeout: 99999999999999999999999999h\n", "1:15",
                 "lock_timeout: \"99999999999999999999999999h\" is out of range "
                 "(allowed: 0 (never) to 1 week (604800 seconds))");
    assert_error("lock_timeout: 9223372036854775807h\n", "1:15",
                 "lock_timeout: \"9223372036854775807h\" is out of range "
                 "(allowed: 0 (never) to 1 week (604800 seconds))");
    assert_error("backup:\n  keep: 0\n", "2:9",
                 "backup.keep: \"0\" is out of range (allowed: 1 to 1000)");
    assert_error("backup:\n  keep: 1001\n", "2:9",
                 "backup.keep: \"1001\" is out of range (allowed: 1 to 1000)");
    assert_error("clock_offset: -2d\n", "1:15",
                 "clock_offset: expected seconds like 0, -30, 90s or 2m, got \"-2d\"");
    assert_error("clock_offset: -25h\n", "1:15",
                 "clock_offset: \"-25h\" is out of range "
                 "(allowed: -86400 to 86400 seconds (one day either way))");
}

Test(config, unknown_key_is_named_with_its_location)
{
    assert_error("vault: /v\nlock_timout: 5m\n", "2:1",
                 "unknown key \"lock_timout\" (known keys: vault, lock_timeout, clock_offset, "
                 "clipboard, theme, backup, sync, keys)");
    assert_error("clipboard:\n  method: auto\n  clear: 10s\n", "3:3",
                 "unknown key \"clear\" in clipboard (known keys: method, clear_after)");
}

Test(config, keys_section_holds_bindings)
{
    struct ov_config c;
    struct ov_error err = { 0 };
    /* Bindings are checked (test_keymap.c has the details); other settings are untouched. */
    cr_assert_eq(load_text("keys:\n  quit: Q\n  lock: \"C-x C-c\"\n", &c, &err), OV_OK,
                 "%s", err.msg);
    assert_defaults(&c);
    cr_assert_eq(c.nbindings, 2);
    ov_config_free(&c);
    assert_error("keys:\n  anything: goes\n", "2:3",
                 "keys: unknown action \"anything\" (actions: up, down, top, bottom, page_up, "
                 "page_down, filter, copy, copy_uri, qr, counter_next, counter_prev, add, import, "
                 "edit, rename, delete, undo, sort, show_next, transfer, drill, help, lock, quit)");
    assert_error("keys:\n  quit: [q, Q]\n", "2:9", "keys.quit: expected a key, got a list");
    assert_error("keys: [q]\n", "1:7",
                 "keys: expected a mapping of actions to keys, got a list");
}

Test(config, bad_enum_lists_allowed_values)
{
    assert_error("clipboard:\n  method: xclp\n", "2:11",
                 "clipboard.method: expected one of auto, osc52, wl-copy, xclip, xsel, pbcopy, "
                 "none, got \"xclp\"");
    assert_error("theme:\n  color: yes\n", "2:10",
                 "theme.color: expected one of auto, always, never, got \"yes\"");
}

Test(config, wrong_types_are_located)
{
    assert_error("lock_timeout: [1, 2]\n", "1:15",
                 "lock_timeout: expected a single value, got a list");
    assert_error("vault:\n  path: /x\n", "2:3", "vault: expected a single value, got a mapping");
    assert_error("clipboard: osc52\n", "1:12", "clipboard: expected a mapping, got a single value");
    assert_error("backup:\n  - dir: /x\n", "2:3", "backup: expected a mapping, got a list");
    assert_error("- vault: /x\n", "1:1", "expected a mapping of settings, got a list");
    assert_error("just text\n", "1:1", "expected a mapping of settings, got a single value");
    assert_error("[a]: 1\n", "1:1", "expected a setting name, got a list");
}

Test(config, bad_paths_and_names)
{
    assert_error("vault: secrets/vault.otpv\n", "1:8",
                 "vault: expected an absolute path or one starting with ~/, "
                 "got \"secrets/vault.otpv\"");
    assert_error("vault: ~alice/v\n", "1:8",
                 "vault: expected an absolute path or one starting with ~/, got \"~alice/v\" "
                 "(~user is not supported)");
    assert_error("vault: \"\"\n", "1:8",
                 "vault: expected an absolute path or one starting with ~/, got \"\"");
    assert_error("vault: \"/a\\0b\"\n", "1:8", "vault: the value contains a NUL character");
    assert_error("theme:\n  name: ../../etc/x\n", "2:9",
                 "theme.name: expected a name of letters, digits, '-', '_' and '.', "
                 "got \"../../etc/x\"");
    assert_error("theme: {name: \"\\e[31mred\"}\n", "1:15",
                 "theme.name: expected a name of letters, digits, '-', '_' and '.', "
                 "got \"\\x1B[31mred\"");
}

Test(config, duplicate_keys_are_errors)
{
    assert_error("lock_timeout: 1m\nvault: /v\nlock_timeout: 2m\n", "3:1",
                 "lock_timeout: duplicate key");
}

Test(config, syntax_error_unclosed_quote)
{
    assert_error("theme:\n  name: \"dark\nbackup:\n  keep: 3\n", "5:1",
                 "found unexpected end of stream (while scanning a quoted scalar at 2:9)");
}

Test(config, syntax_error_bad_indentation)
{
    assert_error("clipboard:\n  method: auto\n   clear_after: 5s\n", "3:15",
                 "mapping values are not allowed in this context");
    assert_error("theme:\n    name: x\n  color: never\n", "3:3",
                 "did not find expected key (while parsing a block mapping at 1:1)");
}

Test(config, syntax_error_tab_indentation)
{
    assert_error("theme:\n\tname: x\n", "2:1",
                 "found character that cannot start any token "
                 "(while scanning for the next token at 2:1)");
}

Test(config, invalid_utf8_is_located)
{
    assert_error("theme:\n  name: ab\xff\n", "2:11", "invalid leading UTF-8 octet (byte 0xFF)");
}

Test(config, second_document_is_an_error)
{
    struct ov_config c;
    struct ov_error err = { 0 };

    assert_error("vault: /a\n---\nvault: /b\n", "3:1",
                 "a second YAML document; the config is a single document");
    assert_error("vault: /a\n---\n---\n...\n---\n- x\n", "6:1",
                 "a second YAML document; the config is a single document");
    /* Empty documents after the first are harmless. */
    cr_assert_eq(load_text("---\nvault: /a\n...\n---\n", &c, &err), OV_OK, "%s", err.msg);
    cr_assert_str_eq(c.vault_path, "/a");
    ov_config_free(&c);
}

Test(config, error_leaves_config_unchanged)
{
    struct ov_config c;
    struct ov_error err = { 0 };

    write_config("vault: /first\nlock_timeout: 1m\n");
    ov_config_defaults(&c);
    cr_assert_eq(ov_config_load(cfg_path, false, &c, &err), OV_OK, "%s", err.msg);
    write_config("vault: /second\nlock_timeout: never\n");
    cr_assert_eq(ov_config_load(cfg_path, false, &c, &err), OV_ERR_INVALID);
    cr_assert_str_eq(c.vault_path, "/first");
    cr_assert_eq(c.lock_timeout, 60);
    /* A later file layers over an earlier one: unnamed settings keep their values. */
    write_config("clipboard: {method: xsel}\n");
    cr_assert_eq(ov_config_load(cfg_path, false, &c, &err), OV_OK, "%s", err.msg);
    cr_assert_str_eq(c.vault_path, "/first");
    cr_assert_eq(c.clipboard, OV_CLIP_XSEL);
    ov_config_free(&c);
}

Test(config, default_vault_path_precedence)
{
    char *p;

    setenv("HOME", "/home/alice", 1);
    setenv("XDG_DATA_HOME", "/data", 1);
    setenv("OTPVAULT_VAULT", "/explicit/v.otpv", 1);
    p = ov_default_vault_path();
    cr_assert_str_eq(p, "/explicit/v.otpv");
    free(p);

    setenv("OTPVAULT_VAULT", "", 1);   /* empty counts as unset */
    p = ov_default_vault_path();
    cr_assert_str_eq(p, "/data/otpvault/vault.otpv");
    free(p);

    unsetenv("OTPVAULT_VAULT");
    setenv("XDG_DATA_HOME", "relative/data", 1);   /* XDG: relative values are ignored */
    p = ov_default_vault_path();
    cr_assert_str_eq(p, "/home/alice/.local/share/otpvault/vault.otpv");
    free(p);

    unsetenv("XDG_DATA_HOME");
    setenv("HOME", "/home/alice/", 1);
    p = ov_default_vault_path();
    cr_assert_str_eq(p, "/home/alice/.local/share/otpvault/vault.otpv");
    free(p);
}

Test(config, default_config_path_precedence)
{
    char *p;

    setenv("HOME", "/home/bob", 1);
    setenv("XDG_CONFIG_HOME", "/etc/xdg-bob", 1);
    p = ov_default_config_path();
    cr_assert_str_eq(p, "/etc/xdg-bob/otpvault/config.yaml");
    free(p);

    setenv("XDG_CONFIG_HOME", "", 1);
    p = ov_default_config_path();
    cr_assert_str_eq(p, "/home/bob/.config/otpvault/config.yaml");
    free(p);
}

Test(config, oversized_file_is_refused)
{
    struct ov_config c;
    struct ov_error err = { 0 };
    FILE *f = fopen(cfg_path, "w");

    cr_assert_not_null(f);
    for (int i = 0; i < 40000; i++)
        fputs("# padding padding padding padding\n", f);
    cr_assert_eq(fclose(f), 0);
    ov_config_defaults(&c);
    cr_assert_eq(ov_config_load(cfg_path, false, &c, &err), OV_ERR_LIMIT);
    cr_assert(strstr(err.msg, cfg_path) != NULL, "%s", err.msg);
    assert_defaults(&c);
    ov_config_free(&c);
}

Test(config, errors_without_an_error_struct)
{
    struct ov_config c;
    write_config("lock_timeout: soon\n");
    ov_config_defaults(&c);
    cr_assert_eq(ov_config_load(cfg_path, false, &c, NULL), OV_ERR_INVALID);
    ov_config_free(&c);
}

/* The example shipped in share/ must stay loadable as the format evolves. */
Test(config, shipped_example_loads)
{
    struct ov_config c;
    struct ov_error err = { 0 };

    ov_config_defaults(&c);
    cr_assert_eq(ov_config_load("share/config.yaml", false, &c, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(c.lock_timeout, 300);
    cr_assert_eq(c.clipboard_clear, 30);
    cr_assert_eq(c.backup_keep, 10);
    ov_config_free(&c);
}
