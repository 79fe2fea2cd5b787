/* The full-screen app's actions and the keys bound to them: defaults, names for the config
 * file's `keys:` mapping and for the help overlay. Keys are curses-independent codes: a
 * Unicode code point for a character (control characters as themselves, Ctrl-A = 1), and
 * OV_KEY_* above the Unicode range for the named keys; the TUI translates curses' codes. */
#ifndef OTPVAULT_KEYMAP_H
#define OTPVAULT_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

enum ov_action {
    OV_ACT_NONE = 0,
    OV_ACT_UP, OV_ACT_DOWN, OV_ACT_TOP, OV_ACT_BOTTOM, OV_ACT_PAGE_UP, OV_ACT_PAGE_DOWN,
    OV_ACT_FILTER, OV_ACT_COPY, OV_ACT_COPY_URI, OV_ACT_QR, OV_ACT_COUNTER_NEXT,
    OV_ACT_COUNTER_PREV, OV_ACT_ADD, OV_ACT_IMPORT, OV_ACT_EDIT, OV_ACT_RENAME, OV_ACT_DELETE,
    OV_ACT_UNDO, OV_ACT_SORT, OV_ACT_SHOW_NEXT, OV_ACT_HELP, OV_ACT_LOCK, OV_ACT_QUIT,
    OV_ACT_COUNT
};

enum {
    OV_KEY_ESC = 27,
    OV_KEY_BASE = 0x110000,
    OV_KEY_UP = OV_KEY_BASE, OV_KEY_DOWN, OV_KEY_LEFT, OV_KEY_RIGHT, OV_KEY_HOME, OV_KEY_END,
    OV_KEY_PGUP, OV_KEY_PGDN, OV_KEY_ENTER, OV_KEY_BACKSPACE, OV_KEY_DELETE, OV_KEY_INSERT,
    OV_KEY_BTAB,
    OV_KEY_F1, /* F1 .. F12 follow */
    OV_KEY_F12 = OV_KEY_F1 + 11,
};

#define OV_KEYS_PER_ACTION 4

/* One line of the config's keys: mapping: the action and the keys it gets (none: unbound). */
struct ov_key_binding {
    enum ov_action action;
    int keys[OV_KEYS_PER_ACTION];
    unsigned nkeys;
};

struct ov_keymap {
    int keys[OV_ACT_COUNT][OV_KEYS_PER_ACTION];
    unsigned nkeys[OV_ACT_COUNT];
};

void ov_keymap_defaults(struct ov_keymap *m);
/* Each binding replaces its action's keys; a key taken by a binding is removed from the
 * action that had it by default (the user's choice wins). */
void ov_keymap_apply(struct ov_keymap *m, const struct ov_key_binding *b, size_t n);
enum ov_action ov_keymap_lookup(const struct ov_keymap *m, int key);
/* "Enter, y" (the action's keys, for the help overlay); "(unbound)" when it has none. */
void ov_keymap_describe(const struct ov_keymap *m, enum ov_action a, char *out, size_t n);

/* "copy", "page_down", ... (the config's spelling) and a one-line description. */
const char *ov_action_name(enum ov_action a);
const char *ov_action_help(enum ov_action a);
int ov_action_parse(const char *name, enum ov_action *out);

/* One key: a single character ("q", "+", "é"), a name (Space, Enter, Esc, Tab, Backspace,
 * Delete, Insert, Up, Down, Left, Right, Home, End, PgUp, PgDn, F1..F12; any case), or a
 * control key (C-x, Ctrl-x, ^x). Returns 0, or -1 with a reason in why. */
int ov_key_parse(const char *text, int *key, char *why, size_t why_len);
/* Keys separated by spaces ("j Down"), or "none" for no key. */
int ov_keys_parse(const char *text, int *keys, unsigned *n, char *why, size_t why_len);
/* The name ov_key_parse reads back: "y", "Enter", "C-l", "PgDn". */
void ov_key_name(int key, char *out, size_t n);

#endif
