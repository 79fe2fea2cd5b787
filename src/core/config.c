/* The YAML config file, read with libyaml's document API.
 *
 * The file is read whole (it is small; a bound keeps a wrong path from eating memory), parsed
 * into a node tree, then walked against a table of known keys. Every error names the file and
 * the 1-based line:column of the node at fault, so a typo is found without guessing.
 *
 * Loading is transactional: the file is applied to a copy of *c, which replaces *c only when
 * the whole file is valid. The caller can report the error and carry on with what it had.
 * Because the file is applied over *c, a caller can also layer files (defaults, then a
 * system file, then the user's). A YAML null (`key:` with nothing, `~`, `null`) leaves a
 * setting as it was, so a section whose entries are all commented out is not an error. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "otpvault/config.h"
#include "otpvault/sync.h"
#include "otpvault/keymap.h"
#include "otpvault/mem.h"

/* Real configs are a few hundred bytes; anything this big is the wrong file. */
#define CONFIG_MAX_BYTES (1024 * 1024)
/* How much of a bad value is quoted back in a message. */
#define SHOW_MAX 40
/* libyaml 0.2.5 takes time quadratic in the depth of [ ] and { } nesting (100 000 levels:
 * a minute); a config needs three. Deeper text is refused before libyaml sees it. */
#define FLOW_DEPTH_MAX 64

enum kind {
    K_SECTION,   /* nested mapping described by sub */
    K_BINDINGS,  /* keys: action -> keys, validated by keymap.c, stored in bindings */
    K_PATH,      /* char *: absolute, or ~/ expanded */
    K_SECONDS,   /* unsigned: 300, 30s, 5m, 1h */
    K_DAYS,      /* unsigned: 7 or 7d */
    K_OFFSET,    /* int64_t: signed seconds, units as K_SECONDS */
    K_COUNT,     /* unsigned: a plain whole number */
    K_CLIPBOARD, /* enum ov_clipboard_method */
    K_COLOR,     /* enum ov_color_mode */
    K_NAME,      /* char *: a theme name */
};

struct key {
    const char *name;
    enum kind kind;
    size_t off;                 /* field in struct ov_config */
    long long min, max;         /* bounds for numeric kinds */
    const char *range;          /* the bounds, as said to the user */
    const struct key *sub;      /* entries of a K_SECTION */
};

#define FIELD(f) offsetof(struct ov_config, f)

static const struct key clipboard_keys[] = {
    { "method", K_CLIPBOARD, FIELD(clipboard), 0, 0, NULL, NULL },
    { "clear_after", K_SECONDS, FIELD(clipboard_clear), 0, 86400,
      "0 (never) to 1 day (86400 seconds)", NULL },
    { NULL, 0, 0, 0, 0, NULL, NULL },
};

static const struct key theme_keys[] = {
    { "name", K_NAME, FIELD(theme), 0, 0, NULL, NULL },
    { "color", K_COLOR, FIELD(color), 0, 0, NULL, NULL },
    { NULL, 0, 0, 0, 0, NULL, NULL },
};

static const struct key backup_keys[] = {
    { "dir", K_PATH, FIELD(backup_dir), 0, 0, NULL, NULL },
    { "keep", K_COUNT, FIELD(backup_keep), 1, 1000, "1 to 1000", NULL },
    { "warn_after", K_DAYS, FIELD(backup_warn_days), 0, 3650,
      "0 (never warn) to 3650 days", NULL },
    { NULL, 0, 0, 0, 0, NULL, NULL },
};

static const struct key sync_keys[] = {
    /* Long enough for a copy left in a drawer; a copy older than this may bring a deleted
     * account back. */
    { "keep_deletions", K_DAYS, FIELD(sync_tombstone_days), 0, 36500,
      "0 (forever) to 36500 days", NULL },
    { NULL, 0, 0, 0, 0, NULL, NULL },
};

static const struct key top_keys[] = {
    { "vault", K_PATH, FIELD(vault_path), 0, 0, NULL, NULL },
    /* A week: longer is "never", which 0 already says; the bound keeps unsigned safe. */
    { "lock_timeout", K_SECONDS, FIELD(lock_timeout), 0, 604800,
      "0 (never) to 1 week (604800 seconds)", NULL },
    /* A clock wrong by more than a day needs fixing, not an offset. */
    { "clock_offset", K_OFFSET, FIELD(clock_offset), -86400, 86400,
      "-86400 to 86400 seconds (one day either way)", NULL },
    { "clipboard", K_SECTION, 0, 0, 0, NULL, clipboard_keys },
    { "theme", K_SECTION, 0, 0, 0, NULL, theme_keys },
    { "backup", K_SECTION, 0, 0, 0, NULL, backup_keys },
    { "sync", K_SECTION, 0, 0, 0, NULL, sync_keys },
    { "keys", K_BINDINGS, 0, 0, 0, NULL, NULL },
    { NULL, 0, 0, 0, 0, NULL, NULL },
};

/* Indexed by the enum values in config.h. */
static const char *const clipboard_names[] = {
    "auto", "osc52", "wl-copy", "xclip", "xsel", "pbcopy", "none", NULL
};
static const char *const color_names[] = { "auto", "always", "never", NULL };

struct unit {
    char suffix;
    long long mult;
};
static const struct unit second_units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 0, 0 } };
static const struct unit day_units[] = { { 'd', 1 }, { 0, 0 } };
static const struct unit no_units[] = { { 0, 0 } };

struct ctx {
    const char *path;
    yaml_document_t *doc;
    struct ov_config *c;
    struct ov_error *err;
};

static int fail_at(const struct ctx *x, yaml_mark_t m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_at(const struct ctx *x, yaml_mark_t m, const char *fmt, ...)
{
    char what[OV_ERROR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return ov_error_set(x->err, OV_ERR_INVALID, "%s:%zu:%zu: %s", x->path, m.line + 1,
                        m.column + 1, what);
}

/* Quotes user text for a message: bounded, control bytes escaped, so a hostile or binary
 * file cannot put terminal escapes into the error the CLI prints. */
static const char *show(char *buf, size_t size, const char *s, size_t len)
{
    size_t o = 0, n = len > SHOW_MAX ? SHOW_MAX : len;

    /* Do not cut a UTF-8 sequence in half. */
    while (n < len && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    buf[o++] = '"';
    for (size_t i = 0; i < n && o + 8 < size; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch == 0x7F)
            o += (size_t)snprintf(buf + o, size - o, "\\x%02X", ch);
        else if (ch == '"' || ch == '\\')
            o += (size_t)snprintf(buf + o, size - o, "\\%c", ch);
        else
            buf[o++] = (char)ch;
    }
    buf[o++] = '"';
    if (n < len && o + 4 < size) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o] = '\0';
    return buf;
}

static const char *node_kind(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_MAPPING_NODE: return "a mapping";
    case YAML_SEQUENCE_NODE: return "a list";
    default: return "a single value";
    }
}

static bool is_null(const yaml_node_t *n)
{
    const char *s;

    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    s = (const char *)n->data.scalar.value;
    return strcmp(s, "") == 0 || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
           strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

static char *join(const char *dir, const char *rest)
{
    size_t dl = strlen(dir), rl = strlen(rest);
    char *p;

    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    p = ov_xmalloc(dl + 1 + rl + 1);
    memcpy(p, dir, dl);
    p[dl] = '/';
    memcpy(p + dl + 1, rest, rl + 1);
    return p;
}

/* $HOME, else the password database (HOME is unset under some service managers). */
static char *home_dir(void)
{
    const char *h = getenv("HOME");
    struct passwd pw, *res = NULL;
    char buf[4096];

    if (h != NULL && h[0] != '\0')
        return ov_xstrdup(h);
    if (getpwuid_r(getuid(), &pw, buf, sizeof buf, &res) == 0 && res != NULL &&
        res->pw_dir != NULL && res->pw_dir[0] != '\0')
        return ov_xstrdup(res->pw_dir);
    return NULL;
}

/* The XDG base directory rule: use $env when it is an absolute path (the spec says relative
 * values are invalid and must be ignored), else $HOME/fallback. */
static char *xdg_file(const char *env, const char *fallback, const char *leaf)
{
    const char *base = getenv(env);
    char *home, *dir, *path;

    if (base != NULL && base[0] == '/')
        return join(base, leaf);
    if ((home = home_dir()) == NULL)
        return NULL;
    dir = join(home, fallback);
    path = join(dir, leaf);
    free(home);
    free(dir);
    return path;
}

char *ov_default_config_path(void)
{
    return xdg_file("XDG_CONFIG_HOME", ".config", "otpvault/config.yaml");
}

char *ov_default_vault_path(void)
{
    const char *v = getenv("OTPVAULT_VAULT");

    if (v != NULL && v[0] != '\0')
        return ov_xstrdup(v);
    return xdg_file("XDG_DATA_HOME", ".local/share", "otpvault/vault.otpv");
}

void ov_config_defaults(struct ov_config *c)
{
    memset(c, 0, sizeof *c);
    c->vault_path = NULL;
    c->lock_timeout = 300;
    c->clipboard = OV_CLIP_AUTO;
    c->clipboard_clear = 30;
    c->color = OV_COLOR_AUTO;
    c->theme = ov_xstrdup("default");
    c->clock_offset = 0;
    c->backup_dir = NULL;
    c->backup_keep = 10;
    c->backup_warn_days = 7;
    c->sync_tombstone_days = OV_SYNC_TOMBSTONE_DAYS_DEFAULT;
}

void ov_config_free(struct ov_config *c)
{
    free(c->vault_path);
    free(c->theme);
    free(c->backup_dir);
    free(c->bindings);
    c->vault_path = c->theme = c->backup_dir = NULL;
    c->bindings = NULL;
    c->nbindings = 0;
}

static char *dup_or_null(const char *s)
{
    return s != NULL ? ov_xstrdup(s) : NULL;
}

static void config_copy(struct ov_config *dst, const struct ov_config *src)
{
    *dst = *src;
    dst->vault_path = dup_or_null(src->vault_path);
    dst->theme = dup_or_null(src->theme);
    dst->backup_dir = dup_or_null(src->backup_dir);
    dst->bindings = NULL;
    if (src->nbindings > 0) {
        dst->bindings = ov_xcalloc(src->nbindings, sizeof *dst->bindings);
        memcpy(dst->bindings, src->bindings, src->nbindings * sizeof *dst->bindings);
    }
}

/* [-]DIGITS[UNIT] -> *out. Returns 0, -1 for bad syntax, 1 when outside [min, max] (an
 * overlong number counts as too large rather than wrapping). */
static int parse_amount(const char *s, const struct unit *units, bool sign, long long min,
                        long long max, long long *out)
{
    bool neg = false, big = false;
    long long v = 0;

    if (sign && *s == '-') {
        neg = true;
        s++;
    }
    if (*s < '0' || *s > '9')
        return -1;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (v > (LLONG_MAX - 9) / 10)
            big = true;
        else
            v = v * 10 + (*s - '0');
    }
    if (*s != '\0') {
        const struct unit *u = units;
        while (u->suffix != 0 && !(u->suffix == s[0] && s[1] == '\0'))
            u++;
        if (u->suffix == 0)
            return -1;
        if (big || v > LLONG_MAX / u->mult)
            big = true;
        else
            v *= u->mult;
    }
    if (neg)
        v = -v;
    if (big || v < min || v > max)
        return 1;
    *out = v;
    return 0;
}

static int set_number(const struct ctx *x, const struct key *k, const char *name,
                      const yaml_node_t *v, void *field)
{
    const char *s = (const char *)v->data.scalar.value;
    const char *expect;
    const struct unit *units;
    char shown[SHOW_MAX * 4 + 8];
    long long n;
    int rc;

    switch (k->kind) {
    case K_SECONDS:
        units = second_units;
        expect = "a duration like 300, 30s, 5m or 1h";
        break;
    case K_OFFSET:
        units = second_units;
        expect = "seconds like 0, -30, 90s or 2m";
        break;
    case K_DAYS:
        units = day_units;
        expect = "a number of days like 7 or 7d";
        break;
    default:
        units = no_units;
        expect = "a whole number";
        break;
    }
    rc = parse_amount(s, units, k->kind == K_OFFSET, k->min, k->max, &n);
    show(shown, sizeof shown, s, v->data.scalar.length);
    if (rc < 0)
        return fail_at(x, v->start_mark, "%s: expected %s, got %s", name, expect, shown);
    if (rc > 0)
        return fail_at(x, v->start_mark, "%s: %s is out of range (allowed: %s)", name, shown,
                       k->range);
    if (k->kind == K_OFFSET)
        *(int64_t *)field = n;
    else
        *(unsigned *)field = (unsigned)n;
    return OV_OK;
}

static int find_name(const struct ctx *x, const char *name, const yaml_node_t *v,
                     const char *const *names)
{
    const char *s = (const char *)v->data.scalar.value;
    char list[256] = "", shown[SHOW_MAX * 4 + 8];
    size_t o = 0;

    for (int i = 0; names[i] != NULL; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    for (int i = 0; names[i] != NULL; i++)
        o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i > 0 ? ", " : "", names[i]);
    show(shown, sizeof shown, s, v->data.scalar.length);
    return fail_at(x, v->start_mark, "%s: expected one of %s, got %s", name, list, shown);
}

static int set_path(const struct ctx *x, const char *name, const yaml_node_t *v, char **out)
{
    const char *s = (const char *)v->data.scalar.value;
    char shown[SHOW_MAX * 4 + 8];
    char *path, *home;

    if (s[0] == '~' && (s[1] == '\0' || s[1] == '/')) {
        if ((home = home_dir()) == NULL)
            return fail_at(x, v->start_mark, "%s: cannot expand ~: HOME is not set", name);
        path = s[1] == '\0' ? ov_xstrdup(home) : join(home, s + 2);
        free(home);
    } else if (s[0] == '/') {
        path = ov_xstrdup(s);
    } else {
        show(shown, sizeof shown, s, v->data.scalar.length);
        /* Relative paths would depend on the directory otpvault was started from. */
        return fail_at(x, v->start_mark,
                       "%s: expected an absolute path or one starting with ~/, got %s%s", name,
                       shown, s[0] == '~' ? " (~user is not supported)" : "");
    }
    free(*out);
    *out = path;
    return OV_OK;
}

static int set_name(const struct ctx *x, const char *name, const yaml_node_t *v, char **out)
{
    const char *s = (const char *)v->data.scalar.value;
    size_t len = v->data.scalar.length;
    char shown[SHOW_MAX * 4 + 8];
    bool ok = len > 0 && len <= 64 && s[0] != '.';

    /* The name will select a theme file: keep it a plain file name. */
    for (size_t i = 0; ok && i < len; i++)
        ok = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
             (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' || s[i] == '.';
    if (!ok) {
        show(shown, sizeof shown, s, len);
        return fail_at(x, v->start_mark,
                       "%s: expected a name of letters, digits, '-', '_' and '.', got %s",
                       name, shown);
    }
    free(*out);
    *out = ov_xstrdup(s);
    return OV_OK;
}

/* Adds or replaces the binding of one action (a later file layered over an earlier one
 * rebinds the action). */
static void store_binding(struct ov_config *c, const struct ov_key_binding *b)
{
    for (size_t i = 0; i < c->nbindings; i++) {
        if (c->bindings[i].action == b->action) {
            c->bindings[i] = *b;
            return;
        }
    }
    c->bindings = ov_xrealloc(c->bindings, (c->nbindings + 1) * sizeof *c->bindings);
    c->bindings[c->nbindings++] = *b;
}

/* keys: a mapping of action names (keymap.c) to keys ("q", "j Down", "C-l", none). Each
 * action at most once, each key for at most one action within the mapping. */
static int set_bindings(const struct ctx *x, const char *name, const yaml_node_t *map)
{
    const yaml_node_t *seen_at[OV_ACT_COUNT] = { NULL };
    struct ov_key_binding got[OV_ACT_COUNT];
    size_t ngot = 0;

    if (map->type != YAML_MAPPING_NODE)
        return fail_at(x, map->start_mark, "%s: expected a mapping of actions to keys, got %s",
                       name, node_kind(map));
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        const yaml_node_t *k = yaml_document_get_node(x->doc, p->key);
        const yaml_node_t *v = yaml_document_get_node(x->doc, p->value);
        char shown[SHOW_MAX * 4 + 8], why[160], list[512] = "";
        const char *action_name, *text;
        struct ov_key_binding b;
        size_t o = 0;

        if (k->type != YAML_SCALAR_NODE)
            return fail_at(x, k->start_mark, "%s: expected an action name, got %s", name,
                           node_kind(k));
        action_name = (const char *)k->data.scalar.value;
        memset(&b, 0, sizeof b);
        if (ov_action_parse(action_name, &b.action) != 0) {
            for (int a = 1; a < OV_ACT_COUNT; a++)
                o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", a > 1 ? ", " : "",
                                      ov_action_name((enum ov_action)a));
            show(shown, sizeof shown, action_name, k->data.scalar.length);
            return fail_at(x, k->start_mark, "%s: unknown action %s (actions: %s)", name,
                           shown, list);
        }
        if (seen_at[b.action] != NULL)
            return fail_at(x, k->start_mark, "%s.%s: duplicate action", name, action_name);
        seen_at[b.action] = k;
        if (v->type != YAML_SCALAR_NODE)
            return fail_at(x, v->start_mark, "%s.%s: expected a key, got %s", name,
                           action_name, node_kind(v));
        text = (const char *)v->data.scalar.value;
        if (strlen(text) != v->data.scalar.length ||
            ov_keys_parse(text, b.keys, &b.nkeys, why, sizeof why) != 0) {
            if (strlen(text) != v->data.scalar.length)
                snprintf(why, sizeof why, "the value contains a NUL character");
            return fail_at(x, v->start_mark, "%s.%s: %s", name, action_name, why);
        }
        for (size_t i = 0; i < ngot; i++) {
            for (unsigned m = 0; m < got[i].nkeys; m++) {
                for (unsigned j = 0; j < b.nkeys; j++) {
                    char key[32];
                    if (got[i].keys[m] != b.keys[j])
                        continue;
                    ov_key_name(b.keys[j], key, sizeof key);
                    return fail_at(x, v->start_mark, "%s.%s: %s is already bound to %s", name,
                                   action_name, key, ov_action_name(got[i].action));
                }
            }
        }
        got[ngot++] = b;
    }
    for (size_t i = 0; i < ngot; i++)
        store_binding(x->c, &got[i]);
    return OV_OK;
}

static int walk_mapping(const struct ctx *x, const yaml_node_t *map, const struct key *table,
                        const char *section);

static int apply(const struct ctx *x, const struct key *k, const char *name,
                 const yaml_node_t *v)
{
    void *field = (char *)x->c + k->off;
    int i;

    if (is_null(v))
        return OV_OK;
    if (k->kind == K_BINDINGS)
        return set_bindings(x, name, v);
    if (k->kind == K_SECTION) {
        if (v->type != YAML_MAPPING_NODE)
            return fail_at(x, v->start_mark, "%s: expected a mapping, got %s", name,
                           node_kind(v));
        return walk_mapping(x, v, k->sub, name);
    }
    if (v->type != YAML_SCALAR_NODE)
        return fail_at(x, v->start_mark, "%s: expected a single value, got %s", name,
                       node_kind(v));
    /* A "\0" escape would silently cut the value short in C strings. */
    if (memchr(v->data.scalar.value, '\0', v->data.scalar.length) != NULL)
        return fail_at(x, v->start_mark, "%s: the value contains a NUL character", name);

    switch (k->kind) {
    case K_PATH:
        return set_path(x, name, v, (char **)field);
    case K_NAME:
        return set_name(x, name, v, (char **)field);
    case K_CLIPBOARD:
        if ((i = find_name(x, name, v, clipboard_names)) < 0)
            return i;
        *(enum ov_clipboard_method *)field = (enum ov_clipboard_method)i;
        return OV_OK;
    case K_COLOR:
        if ((i = find_name(x, name, v, color_names)) < 0)
            return i;
        *(enum ov_color_mode *)field = (enum ov_color_mode)i;
        return OV_OK;
    default:
        return set_number(x, k, name, v, field);
    }
}

static int walk_mapping(const struct ctx *x, const yaml_node_t *map, const struct key *table,
                        const char *section)
{
    unsigned long seen = 0;   /* tables are far shorter than the bits in a long */

    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        const yaml_node_t *k = yaml_document_get_node(x->doc, p->key);
        const yaml_node_t *v = yaml_document_get_node(x->doc, p->value);
        char shown[SHOW_MAX * 4 + 8], known[256] = "", name[64];
        const char *s;
        size_t i, o = 0;
        int rc;

        if (k->type != YAML_SCALAR_NODE)
            return fail_at(x, k->start_mark, "%s%sexpected a setting name, got %s",
                           section != NULL ? section : "", section != NULL ? ": " : "",
                           node_kind(k));
        s = (const char *)k->data.scalar.value;
        for (i = 0; table[i].name != NULL; i++)
            if (strlen(table[i].name) == k->data.scalar.length &&
                strcmp(table[i].name, s) == 0)
                break;
        if (table[i].name == NULL) {
            for (size_t j = 0; table[j].name != NULL; j++)
                o += (size_t)snprintf(known + o, sizeof known - o, "%s%s", j > 0 ? ", " : "",
                                      table[j].name);
            show(shown, sizeof shown, s, k->data.scalar.length);
            return fail_at(x, k->start_mark, "unknown key %s%s%s (known keys: %s)", shown,
                           section != NULL ? " in " : "", section != NULL ? section : "",
                           known);
        }
        if (section != NULL)
            snprintf(name, sizeof name, "%s.%s", section, table[i].name);
        else
            snprintf(name, sizeof name, "%s", table[i].name);
        if (seen & (1UL << i))
            return fail_at(x, k->start_mark, "%s: duplicate key", name);
        seen |= 1UL << i;
        if ((rc = apply(x, &table[i], name, v)) != OV_OK)
            return rc;
    }
    return OV_OK;
}

/* libyaml's own report: syntax errors carry a mark, reader (encoding) errors a byte offset. */
static int yaml_failure(const char *path, const yaml_parser_t *p, const char *text,
                        size_t len, struct ov_error *err)
{
    const char *problem = p->problem != NULL ? p->problem : "YAML syntax error";
    size_t line = 1, col = 1;

    if (p->error == YAML_MEMORY_ERROR)
        abort();   /* out of memory: policy is to stop, as ov_xmalloc does */
    if (p->error == YAML_READER_ERROR) {
        for (size_t i = 0; i < p->problem_offset && i < len; i++) {
            if (text[i] == '\n') {
                line++;
                col = 1;
            } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
                col++;
            }
        }
        if (p->problem_value >= 0)
            return ov_error_set(err, OV_ERR_INVALID, "%s:%zu:%zu: %s (byte 0x%02X)", path,
                                line, col, problem, (unsigned)p->problem_value);
        return ov_error_set(err, OV_ERR_INVALID, "%s:%zu:%zu: %s", path, line, col, problem);
    }
    line = p->problem_mark.line + 1;
    col = p->problem_mark.column + 1;
    if (p->context != NULL)
        return ov_error_set(err, OV_ERR_INVALID, "%s:%zu:%zu: %s (%s at %zu:%zu)", path, line,
                            col, problem, p->context, p->context_mark.line + 1,
                            p->context_mark.column + 1);
    return ov_error_set(err, OV_ERR_INVALID, "%s:%zu:%zu: %s", path, line, col, problem);
}

/* The first place where [ and { nest deeper than FLOW_DEPTH_MAX. Quoted scalars (opened
 * where YAML opens them: after a blank or an indicator) and comments are skipped, as libyaml
 * skips them, so a stray quote cannot hide brackets from the count. */
static int check_flow_depth(const char *path, const char *text, size_t len,
                            struct ov_error *err)
{
    size_t line = 1, col = 0;
    int depth = 0;
    char quote = 0;

    for (size_t i = 0; i < len; i++, col++) {
        char ch = text[i], before = i > 0 ? text[i - 1] : ' ';
        bool opens = isspace((unsigned char)before) || strchr("[{,:-?", before) != NULL;
        if (ch == '\n') {
            line++;
            col = (size_t)-1;
            quote = quote == '#' ? 0 : quote;
        } else if (quote == '"' && ch == '\\') {
            i++, col++;
        } else if (quote != 0) {
            quote = ch == quote ? 0 : quote;
        } else if ((ch == '"' || ch == '\'' || ch == '#') && opens) {
            quote = ch;
        } else if ((ch == '[' || ch == '{') && ++depth > FLOW_DEPTH_MAX) {
            return ov_error_set(err, OV_ERR_INVALID, "%s:%zu:%zu: nested more than %d "
                                "levels deep", path, line, col + 1, FLOW_DEPTH_MAX);
        } else if ((ch == ']' || ch == '}') && depth > 0) {
            depth--;
        }
    }
    return OV_OK;
}

static int parse(const char *path, const char *text, size_t len, struct ov_config *c,
                 struct ov_error *err)
{
    yaml_parser_t parser;
    yaml_document_t doc, next;
    const yaml_node_t *root;
    struct ctx x = { path, &doc, c, err };
    int rc = OV_OK;

    if ((rc = check_flow_depth(path, text, len, err)) != OV_OK)
        return rc;
    if (!yaml_parser_initialize(&parser))
        abort();
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        rc = yaml_failure(path, &parser, text, len, err);
        yaml_parser_delete(&parser);
        return rc;
    }
    root = yaml_document_get_root_node(&doc);
    if (root == NULL || is_null(root)) {
        /* Empty, or only comments: the defaults stand. */
    } else if (root->type != YAML_MAPPING_NODE) {
        rc = fail_at(&x, root->start_mark, "expected a mapping of settings, got %s",
                     node_kind(root));
    } else {
        rc = walk_mapping(&x, root, top_keys, NULL);
    }
    /* Further documents would be silently ignored; say so instead (empty ones are harmless,
     * e.g. a trailing ---). A NULL root means the end of the stream. */
    for (bool more = root != NULL; rc == OV_OK && more;) {
        const yaml_node_t *extra;
        if (!yaml_parser_load(&parser, &next)) {
            rc = yaml_failure(path, &parser, text, len, err);
            break;
        }
        extra = yaml_document_get_root_node(&next);
        more = extra != NULL;
        if (extra != NULL && !is_null(extra))
            rc = fail_at(&x, extra->start_mark,
                         "a second YAML document; the config is a single document");
        yaml_document_delete(&next);
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return rc;
}

/* Returns OV_OK with the contents, 1 when the file is missing and that is fine, or an error. */
static int read_config(const char *path, bool missing_ok, char **text, size_t *len,
                       struct ov_error *err)
{
    struct stat st;
    size_t n = 0, cap = 4096;
    char *buf;
    int fd;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        if (errno == ENOENT && missing_ok)
            return 1;
        return ov_error_set(err, errno == ENOENT ? OV_ERR_NOT_FOUND : OV_ERR_IO, "%s: %s",
                            path, strerror(errno));
    }
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return ov_error_set(err, OV_ERR_IO, "%s: is a directory, not a config file", path);
    }
    buf = ov_xmalloc(cap);
    for (;;) {
        ssize_t r;
        if (n == cap) {
            cap *= 2;
            buf = ov_xrealloc(buf, cap);
        }
        r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            free(buf);
            close(fd);
            return ov_error_set(err, OV_ERR_IO, "%s: %s", path, strerror(e));
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > CONFIG_MAX_BYTES) {
            free(buf);
            close(fd);
            return ov_error_set(err, OV_ERR_LIMIT, "%s: larger than %d bytes; "
                                "is this really the config file?", path, CONFIG_MAX_BYTES);
        }
    }
    close(fd);
    *text = buf;
    *len = n;
    return OV_OK;
}

int ov_config_load_text(const char *name, const char *text, size_t len, struct ov_config *c,
                        struct ov_error *err)
{
    struct ov_config next;
    int rc;

    if (len > CONFIG_MAX_BYTES)
        return ov_error_set(err, OV_ERR_LIMIT, "%s: larger than %d bytes; "
                            "is this really the config file?", name, CONFIG_MAX_BYTES);
    config_copy(&next, c);
    rc = parse(name, text, len, &next, err);
    if (rc != OV_OK) {
        ov_config_free(&next);
        return rc;
    }
    ov_config_free(c);
    *c = next;
    return OV_OK;
}

int ov_config_load(const char *path, bool missing_ok, struct ov_config *c,
                   struct ov_error *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc;

    if ((rc = read_config(path, missing_ok, &text, &len, err)) != OV_OK)
        return rc > 0 ? OV_OK : rc;
    rc = ov_config_load_text(path, text, len, c, err);
    free(text);
    return rc;
}
