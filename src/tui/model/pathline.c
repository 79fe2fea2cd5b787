/* See pathline.h. One scanner reads words the way a shell would (without expansions other
 * than ~), for splitting the whole line and for finding the word being completed. */
#include <dirent.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "otpvault/mem.h"
#include "tui/model/pathline.h"

/* A growing NUL-terminated string. */
struct str {
    char *s;
    size_t len, cap;
};

static void str_putn(struct str *b, const char *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = ov_xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void str_put(struct str *b, char c)
{
    str_putn(b, &c, 1);
}

/* One word as the scanner read it. */
struct word {
    struct str text;  /* quotes and escapes removed */
    bool tilde;       /* began with an unquoted ~ */
    char quote;       /* the quote still open where the word stopped, or 0 */
};

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Reads the word at or after *pos (spaces skipped), stopping at end. Returns false when only
 * spaces are left (w untouched). */
static bool next_word(const char *line, size_t end, size_t *pos, struct word *w)
{
    size_t i = *pos;

    while (i < end && is_space(line[i]))
        i++;
    *pos = i;
    if (i >= end)
        return false;
    w->text.len = 0;
    str_putn(&w->text, "", 0);
    w->tilde = line[i] == '~';
    w->quote = 0;
    for (; i < end; i++) {
        char c = line[i];
        if (w->quote == '\'') {
            if (c == '\'')
                w->quote = 0;
            else
                str_put(&w->text, c);
        } else if (w->quote == '"') {
            /* Inside double quotes a backslash escapes only what would end or spoil them. */
            if (c == '"')
                w->quote = 0;
            else if (c == '\\' && i + 1 < end && (line[i + 1] == '"' || line[i + 1] == '\\'))
                str_put(&w->text, line[++i]);
            else
                str_put(&w->text, c);
        } else if (is_space(c)) {
            break;
        } else if (c == '\'' || c == '"') {
            w->quote = c;
        } else if (c == '\\' && i + 1 < end) {
            str_put(&w->text, line[++i]);
        } else {
            str_put(&w->text, c);   /* a backslash at the very end stays as typed */
        }
    }
    *pos = i;
    return true;
}

/* The directory ~ or ~user stands for, or NULL when unknown. */
static const char *home_of(const char *user, size_t ulen, const char *home)
{
    struct passwd *pw;
    char name[256];

    if (ulen == 0) {
        if (home != NULL && home[0] != '\0')
            return home;
        pw = getpwuid(getuid());
        return pw != NULL ? pw->pw_dir : NULL;
    }
    if (ulen >= sizeof name)
        return NULL;
    memcpy(name, user, ulen);
    name[ulen] = '\0';
    pw = getpwnam(name);
    return pw != NULL ? pw->pw_dir : NULL;
}

/* text with a leading unquoted ~ or ~user replaced by the home directory (when known). */
static char *expand(const char *text, bool tilde, const char *home)
{
    const char *slash, *dir;
    size_t ulen;
    struct str out = { 0 };

    if (!tilde || text[0] != '~')
        return ov_xstrdup(text);
    slash = strchr(text, '/');
    ulen = (slash != NULL ? (size_t)(slash - text) : strlen(text)) - 1;
    dir = home_of(text + 1, ulen, home);
    if (dir == NULL)
        return ov_xstrdup(text);
    str_putn(&out, dir, strlen(dir));
    str_putn(&out, text + 1 + ulen, strlen(text + 1 + ulen));
    return out.s;
}

void ov_pathline_free(struct ov_pathline *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->paths[i]);
        free(p->words[i]);
    }
    free(p->paths);
    free(p->words);
    memset(p, 0, sizeof *p);
}

int ov_pathline_split(const char *line, const char *home, struct ov_pathline *out,
                      struct ov_error *err)
{
    struct word w = { 0 };
    size_t pos = 0, end = strlen(line);
    int rc = OV_OK;

    memset(out, 0, sizeof *out);
    while (next_word(line, end, &pos, &w)) {
        if (w.quote != 0) {
            rc = ov_error_set(err, OV_ERR_INVALID, "a %s quote (%c) is not closed",
                              w.quote == '"' ? "double" : "single", w.quote);
            break;
        }
        if (w.text.len == 0) {
            rc = ov_error_set(err, OV_ERR_INVALID, "an empty name ('' or \"\") is not a path");
            break;
        }
        out->paths = ov_xrealloc(out->paths, (out->n + 1) * sizeof *out->paths);
        out->words = ov_xrealloc(out->words, (out->n + 1) * sizeof *out->words);
        out->paths[out->n] = expand(w.text.s, w.tilde, home);
        out->words[out->n] = ov_xstrdup(w.text.s);
        out->n++;
    }
    free(w.text.s);
    if (rc != OV_OK)
        ov_pathline_free(out);
    return rc;
}

/* Appends n bytes of a file name so that the scanner reads them back as they are, in the
 * quoting state the word is in. */
static void put_quoted(struct str *b, const char *s, size_t n, char quote, bool word_start)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (quote == '\'') {
            if (c == '\'')
                str_putn(b, "'\\''", 4);   /* close, an escaped quote, reopen */
            else
                str_put(b, c);
        } else if (quote == '"') {
            if (c == '"' || c == '\\')
                str_put(b, '\\');
            str_put(b, c);
        } else {
            if (is_space(c) || c == '\'' || c == '"' || c == '\\' ||
                (c == '~' && word_start && i == 0))
                str_put(b, '\\');
            str_put(b, c);
        }
    }
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_dir(const char *dir, const char *name)
{
    struct str p = { 0 };
    struct stat st;
    bool yes;

    str_putn(&p, dir, strlen(dir));
    if (p.len > 0 && p.s[p.len - 1] != '/')
        str_put(&p, '/');
    str_putn(&p, name, strlen(name));
    yes = stat(p.s, &st) == 0 && S_ISDIR(st.st_mode);
    free(p.s);
    return yes;
}

/* The names in dir that start with base, sorted; dot files only when base starts with one. */
static size_t list_matches(const char *dir, const char *base, char ***names_out)
{
    size_t blen = strlen(base), n = 0;
    char **names = NULL;
    struct dirent *e;
    DIR *d = opendir(dir);

    *names_out = NULL;
    if (d == NULL)
        return 0;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (e->d_name[0] == '.' && base[0] != '.')
            continue;
        if (strncmp(e->d_name, base, blen) != 0)
            continue;
        names = ov_xrealloc(names, (n + 1) * sizeof *names);
        names[n++] = ov_xstrdup(e->d_name);
    }
    closedir(d);
    if (n > 0)
        qsort(names, n, sizeof *names, compare_names);
    *names_out = names;
    return n;
}

/* The bytes every name shares, not cutting a UTF-8 character in two. */
static size_t common_prefix(char **names, size_t n)
{
    size_t len = strlen(names[0]);

    for (size_t i = 1; i < n; i++) {
        size_t k = 0;
        while (k < len && names[i][k] == names[0][k])
            k++;
        len = k;
    }
    while (len > 0 && ((unsigned char)names[0][len] & 0xC0) == 0x80)
        len--;
    return len;
}

int ov_pathline_complete(const char *line, size_t cursor, const char *home,
                         struct ov_path_completion *out)
{
    struct word w = { 0 };
    struct str ins = { 0 };
    size_t pos = 0, word_end = (size_t)-1, blen, common, nnames;
    const char *text, *slash, *base;
    char *dirpart, *dir, **names;

    memset(out, 0, sizeof *out);
    if (cursor > strlen(line))
        cursor = strlen(line);
    while (next_word(line, cursor, &pos, &w))
        word_end = pos;
    if (word_end != cursor) {
        /* The cursor follows a space: a new, empty word. */
        w.text.len = 0;
        str_putn(&w.text, "", 0);
        w.tilde = false;
        w.quote = 0;
    }
    text = w.text.s;
    str_putn(&ins, "", 0);
    out->insert = ins.s;
    if (w.tilde && strchr(text, '/') == NULL) {
        /* ~ alone becomes ~/; user names are not completed. */
        if (strcmp(text, "~") == 0 && w.quote == 0) {
            str_put(&ins, '/');
            out->insert = ins.s;
            out->nmatches = 1;
        }
        free(w.text.s);
        return OV_OK;
    }
    slash = strrchr(text, '/');
    base = slash != NULL ? slash + 1 : text;
    dirpart = ov_xstrndup(text, (size_t)(base - text));
    dir = dirpart[0] != '\0' ? expand(dirpart, w.tilde, home) : ov_xstrdup(".");
    nnames = list_matches(dir, base, &names);
    out->nmatches = nnames;
    if (nnames > 0) {
        blen = strlen(base);
        common = common_prefix(names, nnames);
        put_quoted(&ins, names[0] + blen, common - blen, w.quote, w.text.len == 0);
        if (nnames == 1) {
            if (is_dir(dir, names[0])) {
                str_put(&ins, '/');
            } else {
                if (w.quote != 0)
                    str_put(&ins, w.quote);
                str_put(&ins, ' ');
            }
        } else {
            out->nshown = nnames < OV_COMPLETE_SHOWN ? nnames : OV_COMPLETE_SHOWN;
            out->shown = ov_xcalloc(out->nshown, sizeof *out->shown);
            for (size_t i = 0; i < out->nshown; i++) {
                struct str s = { 0 };
                str_putn(&s, names[i], strlen(names[i]));
                if (is_dir(dir, names[i]))
                    str_put(&s, '/');
                out->shown[i] = s.s;
            }
        }
        out->insert = ins.s;
    }
    for (size_t i = 0; i < nnames; i++)
        free(names[i]);
    free(names);
    free(dir);
    free(dirpart);
    free(w.text.s);
    return OV_OK;
}

void ov_path_completion_free(struct ov_path_completion *c)
{
    for (size_t i = 0; i < c->nshown; i++)
        free(c->shown[i]);
    free(c->shown);
    free(c->insert);
    memset(c, 0, sizeof *c);
}
