/* Key bindings: defaults, key names, and the config file's keys: mapping with errors that
 * point at file:line:column. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "otpvault/config.h"
#include "otpvault/keymap.h"

static char dir[] = "/tmp/otpvault-keymap-XXXXXX";
static char cfg_path[sizeof dir + 32];

static void setup(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(cfg_path, sizeof cfg_path, "%s/config.yaml", dir);
}

static void teardown(void)
{
    unlink(cfg_path);
    rmdir(dir);
}

TestSuite(keymap, .init = setup, .fini = teardown);

static int load(const char *text, struct ov_config *c, struct ov_error *err)
{
    FILE *f = fopen(cfg_path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    ov_config_defaults(c);
    return ov_config_load(cfg_path, false, c, err);
}

static void assert_error(const char *text, const char *where_what)
{
    struct ov_config c;
    struct ov_error err = { 0 };
    char want[OV_ERROR_MSG_MAX];
    snprintf(want, sizeof want, "%s:%s", cfg_path, where_what);
    cr_assert_eq(load(text, &c, &err), OV_ERR_INVALID, "should fail: %s", text);
    cr_assert_str_eq(err.msg, want);
    ov_config_free(&c);
}

Test(keymap, defaults_cover_the_keys_users_expect)
{
    struct ov_keymap m;
    ov_keymap_defaults(&m);
    cr_assert_eq(ov_keymap_lookup(&m, 'j'), OV_ACT_DOWN);
    cr_assert_eq(ov_keymap_lookup(&m, OV_KEY_DOWN), OV_ACT_DOWN);
    cr_assert_eq(ov_keymap_lookup(&m, 'k'), OV_ACT_UP);
    cr_assert_eq(ov_keymap_lookup(&m, 'g'), OV_ACT_TOP);
    cr_assert_eq(ov_keymap_lookup(&m, 'G'), OV_ACT_BOTTOM);
    cr_assert_eq(ov_keymap_lookup(&m, OV_KEY_PGDN), OV_ACT_PAGE_DOWN);
    cr_assert_eq(ov_keymap_lookup(&m, '/'), OV_ACT_FILTER);
    cr_assert_eq(ov_keymap_lookup(&m, OV_KEY_ENTER), OV_ACT_COPY);
    cr_assert_eq(ov_keymap_lookup(&m, 'y'), OV_ACT_COPY);
    cr_assert_eq(ov_keymap_lookup(&m, 'Y'), OV_ACT_COPY_URI);
    cr_assert_eq(ov_keymap_lookup(&m, ' '), OV_ACT_QR);
    cr_assert_eq(ov_keymap_lookup(&m, '+'), OV_ACT_COUNTER_NEXT);
    cr_assert_eq(ov_keymap_lookup(&m, '-'), OV_ACT_COUNTER_PREV);
    cr_assert_eq(ov_keymap_lookup(&m, 'a'), OV_ACT_ADD);
    cr_assert_eq(ov_keymap_lookup(&m, 'i'), OV_ACT_IMPORT);
    cr_assert_eq(ov_keymap_lookup(&m, 'e'), OV_ACT_EDIT);
    cr_assert_eq(ov_keymap_lookup(&m, 'd'), OV_ACT_DELETE);
    cr_assert_eq(ov_keymap_lookup(&m, '?'), OV_ACT_HELP);
    cr_assert_eq(ov_keymap_lookup(&m, 'L'), OV_ACT_LOCK);
    cr_assert_eq(ov_keymap_lookup(&m, 'q'), OV_ACT_QUIT);
    cr_assert_eq(ov_keymap_lookup(&m, 'x'), OV_ACT_NONE);
    /* Every action has a name, a help line and at least one key. */
    for (int a = 1; a < OV_ACT_COUNT; a++) {
        enum ov_action back;
        cr_assert_gt(m.nkeys[a], 0, "%s", ov_action_name((enum ov_action)a));
        cr_assert_gt(strlen(ov_action_help((enum ov_action)a)), 0);
        cr_assert_eq(ov_action_parse(ov_action_name((enum ov_action)a), &back), 0);
        cr_assert_eq((int)back, a);
    }
}

Test(keymap, key_names_round_trip)
{
    const char *names[] = { "q", "+", "/", "é", "Space", "Enter", "Esc", "Tab", "Backspace",
                            "Delete", "Up", "Down", "PgUp", "PgDn", "Home", "End", "F1", "F12",
                            "C-l", "S-Tab" };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        int key, again;
        char name[32], why[96];
        cr_assert_eq(ov_key_parse(names[i], &key, why, sizeof why), 0, "%s: %s", names[i], why);
        ov_key_name(key, name, sizeof name);
        cr_assert_str_eq(name, names[i]);
        cr_assert_eq(ov_key_parse(name, &again, why, sizeof why), 0);
        cr_assert_eq(again, key);
    }
    int key;
    char why[96];
    cr_assert_eq(ov_key_parse("ctrl-L", &key, why, sizeof why), 0);
    cr_assert_eq(key, 12);
    cr_assert_eq(ov_key_parse("^c", &key, why, sizeof why), 0);
    cr_assert_eq(key, 3);
    cr_assert_eq(ov_key_parse("pagedown", &key, why, sizeof why), 0);
    cr_assert_eq(key, OV_KEY_PGDN);
    cr_assert_eq(ov_key_parse("qq", &key, why, sizeof why), -1);
    cr_assert_eq(ov_key_parse("F13", &key, why, sizeof why), -1);
    cr_assert_eq(ov_key_parse("C-1", &key, why, sizeof why), -1);
    cr_assert_eq(ov_key_parse("", &key, why, sizeof why), -1);
}

Test(keymap, bindings_replace_defaults_and_take_keys_over)
{
    struct ov_keymap m;
    struct ov_config c;
    struct ov_error err = { 0 };
    char desc[64];

    cr_assert_eq(load("keys:\n"
                      "  copy: c\n"
                      "  down: \"j Down C-n\"\n"
                      "  quit: k\n"          /* k was up's: quit takes it */
                      "  undo: none\n", &c, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(c.nbindings, 4);
    ov_keymap_defaults(&m);
    ov_keymap_apply(&m, c.bindings, c.nbindings);
    cr_assert_eq(ov_keymap_lookup(&m, 'c'), OV_ACT_COPY);
    cr_assert_eq(ov_keymap_lookup(&m, 'y'), OV_ACT_NONE);
    cr_assert_eq(ov_keymap_lookup(&m, OV_KEY_ENTER), OV_ACT_NONE);
    cr_assert_eq(ov_keymap_lookup(&m, 14), OV_ACT_DOWN);
    cr_assert_eq(ov_keymap_lookup(&m, 'k'), OV_ACT_QUIT);
    cr_assert_eq(ov_keymap_lookup(&m, 'q'), OV_ACT_NONE);
    cr_assert_eq(ov_keymap_lookup(&m, OV_KEY_UP), OV_ACT_UP);
    cr_assert_eq(ov_keymap_lookup(&m, 'u'), OV_ACT_NONE);
    ov_keymap_describe(&m, OV_ACT_DOWN, desc, sizeof desc);
    cr_assert_str_eq(desc, "j, Down, C-n");
    ov_keymap_describe(&m, OV_ACT_UNDO, desc, sizeof desc);
    cr_assert_str_eq(desc, "(unbound)");
    ov_config_free(&c);
}

Test(keymap, config_copies_survive_layering)
{
    struct ov_config c;
    struct ov_error err = { 0 };
    cr_assert_eq(load("keys: {copy: c}\n", &c, &err), OV_OK, "%s", err.msg);
    /* A second file over the first rebinds the same action and keeps the others. */
    FILE *f = fopen(cfg_path, "w");
    fputs("keys: {copy: x, lock: C-l}\n", f);
    fclose(f);
    cr_assert_eq(ov_config_load(cfg_path, false, &c, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(c.nbindings, 2);
    cr_assert_eq(c.bindings[0].action, OV_ACT_COPY);
    cr_assert_eq(c.bindings[0].keys[0], 'x');
    cr_assert_eq(c.bindings[1].action, OV_ACT_LOCK);
    /* A failed load leaves the bindings as they were. */
    f = fopen(cfg_path, "w");
    fputs("keys: {copy: [x]}\n", f);
    fclose(f);
    cr_assert_neq(ov_config_load(cfg_path, false, &c, &err), OV_OK);
    cr_assert_eq(c.nbindings, 2);
    ov_config_free(&c);
}

Test(keymap, config_errors_point_at_the_mistake)
{
    assert_error("keys:\n  cpy: c\n",
                 "2:3: keys: unknown action \"cpy\" (actions: up, down, top, bottom, page_up, "
                 "page_down, filter, copy, copy_uri, qr, counter_next, counter_prev, add, import, "
                 "edit, rename, delete, undo, sort, show_next, transfer, drill, help, lock, quit)");
    assert_error("keys:\n  copy: Ctrl-\n",
                 "2:9: keys.copy: 'Ctrl-': expected one character or a key name like Enter, "
                 "PgDn, F1 or C-x");
    assert_error("keys:\n  copy: c\n  quit: c\n", "3:9: keys.quit: c is already bound to copy");
    assert_error("keys:\n  copy: c\n  copy: d\n", "3:3: keys.copy: duplicate action");
    assert_error("keys:\n  copy: \"c c\"\n", "2:9: keys.copy: 'c' is listed twice");
    assert_error("keys:\n  copy: \"a b c d e\"\n", "2:9: keys.copy: at most 4 keys per action");
    assert_error("keys:\n  quit: [q, Q]\n", "2:9: keys.quit: expected a key, got a list");
}
