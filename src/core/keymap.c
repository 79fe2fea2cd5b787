/* Actions and key bindings of the full-screen app (see keymap.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "otpvault/keymap.h"

struct action_info {
    const char *name;
    const char *help;
    int defaults[OV_KEYS_PER_ACTION]; /* 0-terminated */
};

/* Indexed by enum ov_action. Defaults follow less/vim/htop habits (issue 4). */
static const struct action_info actions[OV_ACT_COUNT] = {
    [OV_ACT_NONE] = { "none", "", { 0 } },
    [OV_ACT_UP] = { "up", "move up", { OV_KEY_UP, 'k' } },
    [OV_ACT_DOWN] = { "down", "move down", { OV_KEY_DOWN, 'j' } },
    [OV_ACT_TOP] = { "top", "first account", { 'g', OV_KEY_HOME } },
    [OV_ACT_BOTTOM] = { "bottom", "last account", { 'G', OV_KEY_END } },
    [OV_ACT_PAGE_UP] = { "page_up", "page up", { OV_KEY_PGUP } },
    [OV_ACT_PAGE_DOWN] = { "page_down", "page down", { OV_KEY_PGDN } },
    [OV_ACT_FILTER] = { "filter", "filter as you type (Enter keeps, Esc clears)", { '/' } },
    [OV_ACT_COPY] = { "copy", "copy the code", { OV_KEY_ENTER, 'y' } },
    [OV_ACT_COPY_URI] = { "copy_uri", "copy the otpauth:// URI (asks first: it holds the secret)",
                          { 'Y' } },
    [OV_ACT_QR] = { "qr", "show the account's QR code", { ' ' } },
    [OV_ACT_COUNTER_NEXT] = { "counter_next", "HOTP: next counter and its code", { '+' } },
    [OV_ACT_COUNTER_PREV] = { "counter_prev", "HOTP: previous counter and its code", { '-' } },
    [OV_ACT_ADD] = { "add", "add an account (otpauth:// URI or fields)", { 'a' } },
    [OV_ACT_IMPORT] = { "import", "import accounts from pictures or export files (previewed)",
                        { 'i' } },
    [OV_ACT_EDIT] = { "edit", "edit the account", { 'e' } },
    [OV_ACT_RENAME] = { "rename", "rename the account (issuer and name)", { 'r' } },
    [OV_ACT_DELETE] = { "delete", "delete the account (asks first)", { 'd' } },
    [OV_ACT_UNDO] = { "undo", "undo the last delete", { 'u' } },
    [OV_ACT_SORT] = { "sort", "sort by issuer, name or recent use", { 's' } },
    [OV_ACT_SHOW_NEXT] = { "show_next", "always show the next code", { 'n' } },
    [OV_ACT_TRANSFER] = { "transfer", "QR codes to move the listed accounts to a phone "
                          "(Google Authenticator transfer; n/p between codes)", { 'M' } },
    [OV_ACT_DRILL] = { "drill", "recovery drill: open the newest backup with its passphrase "
                       "and check every account", { 'D' } },
    [OV_ACT_HELP] = { "help", "this help", { '?', OV_KEY_F1 } },
    [OV_ACT_LOCK] = { "lock", "lock now (wipes secrets)", { 'L' } },
    [OV_ACT_QUIT] = { "quit", "quit", { 'q' } },
};

struct key_name {
    const char *name;
    int key;
};

/* The first spelling of each key is the one ov_key_name prints. */
static const struct key_name key_names[] = {
    { "Space", ' ' }, { "Enter", OV_KEY_ENTER }, { "Return", OV_KEY_ENTER },
    { "Esc", OV_KEY_ESC }, { "Escape", OV_KEY_ESC }, { "Tab", '\t' },
    { "S-Tab", OV_KEY_BTAB }, { "Backspace", OV_KEY_BACKSPACE },
    { "Delete", OV_KEY_DELETE }, { "Del", OV_KEY_DELETE }, { "Insert", OV_KEY_INSERT },
    { "Up", OV_KEY_UP }, { "Down", OV_KEY_DOWN }, { "Left", OV_KEY_LEFT },
    { "Right", OV_KEY_RIGHT }, { "Home", OV_KEY_HOME }, { "End", OV_KEY_END },
    { "PgUp", OV_KEY_PGUP }, { "PageUp", OV_KEY_PGUP }, { "PgDn", OV_KEY_PGDN },
    { "PageDown", OV_KEY_PGDN },
    { NULL, 0 },
};

void ov_keymap_defaults(struct ov_keymap *m)
{
    memset(m, 0, sizeof *m);
    for (int a = 0; a < OV_ACT_COUNT; a++)
        for (unsigned i = 0; i < OV_KEYS_PER_ACTION && actions[a].defaults[i] != 0; i++)
            m->keys[a][m->nkeys[a]++] = actions[a].defaults[i];
}

static void unbind_key(struct ov_keymap *m, int key)
{
    for (int a = 0; a < OV_ACT_COUNT; a++) {
        unsigned o = 0;
        for (unsigned i = 0; i < m->nkeys[a]; i++)
            if (m->keys[a][i] != key)
                m->keys[a][o++] = m->keys[a][i];
        m->nkeys[a] = o;
    }
}

void ov_keymap_apply(struct ov_keymap *m, const struct ov_key_binding *b, size_t n)
{
    /* In order, so that when two bindings claim a key the later one wins. */
    for (size_t i = 0; i < n; i++) {
        for (unsigned k = 0; k < b[i].nkeys; k++)
            unbind_key(m, b[i].keys[k]);
        for (unsigned k = 0; k < b[i].nkeys; k++)
            m->keys[b[i].action][k] = b[i].keys[k];
        m->nkeys[b[i].action] = b[i].nkeys;
    }
}

enum ov_action ov_keymap_lookup(const struct ov_keymap *m, int key)
{
    for (int a = 1; a < OV_ACT_COUNT; a++)
        for (unsigned i = 0; i < m->nkeys[a]; i++)
            if (m->keys[a][i] == key)
                return (enum ov_action)a;
    return OV_ACT_NONE;
}

void ov_keymap_describe(const struct ov_keymap *m, enum ov_action a, char *out, size_t n)
{
    size_t o = 0;

    out[0] = '\0';
    if (m->nkeys[a] == 0) {
        snprintf(out, n, "(unbound)");
        return;
    }
    for (unsigned i = 0; i < m->nkeys[a] && o < n; i++) {
        char name[32];
        ov_key_name(m->keys[a][i], name, sizeof name);
        o += (size_t)snprintf(out + o, n - o, "%s%s", i > 0 ? ", " : "", name);
    }
}

const char *ov_action_name(enum ov_action a)
{
    return (unsigned)a < OV_ACT_COUNT ? actions[a].name : "none";
}

const char *ov_action_help(enum ov_action a)
{
    return (unsigned)a < OV_ACT_COUNT ? actions[a].help : "";
}

int ov_action_parse(const char *name, enum ov_action *out)
{
    for (int a = 1; a < OV_ACT_COUNT; a++) {
        if (strcmp(name, actions[a].name) == 0) {
            *out = (enum ov_action)a;
            return 0;
        }
    }
    return -1;
}

int ov_key_parse(const char *text, int *key, char *why, size_t why_len)
{
    size_t len = strlen(text);
    mbstate_t st;
    wchar_t wc;
    size_t n;

    for (const struct key_name *k = key_names; k->name != NULL; k++) {
        if (strcasecmp(text, k->name) == 0) {
            *key = k->key;
            return 0;
        }
    }
    if ((text[0] == 'F' || text[0] == 'f') && len >= 2 && len <= 3) {
        char *end;
        long f = strtol(text + 1, &end, 10);
        if (*end == '\0' && f >= 1 && f <= 12) {
            *key = OV_KEY_F1 + (int)f - 1;
            return 0;
        }
    }
    /* C-x, Ctrl-x, ^x: the letter's control code. */
    const char *letter = NULL;
    if (len == 3 && (strncasecmp(text, "C-", 2) == 0))
        letter = text + 2;
    else if (len == 6 && strncasecmp(text, "Ctrl-", 5) == 0)
        letter = text + 5;
    else if (len == 2 && text[0] == '^')
        letter = text + 1;
    if (letter != NULL) {
        char c = (char)(*letter | 0x20);
        if (c >= 'a' && c <= 'z') {
            *key = c - 'a' + 1;
            return 0;
        }
        snprintf(why, why_len, "a control key is C- and a letter a to z");
        return -1;
    }
    memset(&st, 0, sizeof st);
    n = mbrtowc(&wc, text, len, &st);
    if (len > 0 && n == len && wc > 0x20 && wc != 0x7f && wcwidth(wc) > 0) {
        *key = (int)wc;
        return 0;
    }
    if (len > 0 && n == len)
        snprintf(why, why_len, "name this key (Space, Tab, C-x, ...)");
    else
        snprintf(why, why_len, "expected one character or a key name like Enter, PgDn, F1 "
                               "or C-x");
    return -1;
}

int ov_keys_parse(const char *text, int *keys, unsigned *n, char *why, size_t why_len)
{
    char buf[128], *save = NULL;

    *n = 0;
    if (strcmp(text, "none") == 0)
        return 0;
    if (strlen(text) >= sizeof buf) {
        snprintf(why, why_len, "too long");
        return -1;
    }
    memcpy(buf, text, strlen(text) + 1);
    for (char *tok = strtok_r(buf, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save)) {
        int key;
        char inner[96];
        if (*n == OV_KEYS_PER_ACTION) {
            snprintf(why, why_len, "at most %d keys per action", OV_KEYS_PER_ACTION);
            return -1;
        }
        if (ov_key_parse(tok, &key, inner, sizeof inner) != 0) {
            snprintf(why, why_len, "'%.32s': %s", tok, inner);
            return -1;
        }
        for (unsigned i = 0; i < *n; i++) {
            if (keys[i] == key) {
                snprintf(why, why_len, "'%.32s' is listed twice", tok);
                return -1;
            }
        }
        keys[(*n)++] = key;
    }
    if (*n == 0) {
        snprintf(why, why_len, "expected a key, or none");
        return -1;
    }
    return 0;
}

void ov_key_name(int key, char *out, size_t n)
{
    for (const struct key_name *k = key_names; k->name != NULL; k++) {
        if (k->key == key) {
            snprintf(out, n, "%s", k->name);
            return;
        }
    }
    if (key >= OV_KEY_F1 && key <= OV_KEY_F12) {
        snprintf(out, n, "F%d", key - OV_KEY_F1 + 1);
    } else if (key >= 1 && key <= 26) {
        snprintf(out, n, "C-%c", 'a' + key - 1);
    } else if (key > 0 && key < OV_KEY_BASE) {
        mbstate_t st;
        char mb[MB_LEN_MAX + 1];
        size_t len;
        memset(&st, 0, sizeof st);
        len = wcrtomb(mb, (wchar_t)key, &st);
        if (len == (size_t)-1)
            snprintf(out, n, "U+%04X", (unsigned)key);
        else
            snprintf(out, n, "%.*s", (int)len, mb);
    } else {
        snprintf(out, n, "?");
    }
}
