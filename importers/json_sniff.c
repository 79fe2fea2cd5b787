/* See json_sniff.h. */
#include <string.h>

#include "json_sniff.h"

struct scan {
    const char *p, *end;
};

static void skip_ws(struct scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n'))
        s->p++;
}

/* At an opening quote: moves past the closing one. Returns false if the text ends first. */
static bool skip_string(struct scan *s)
{
    for (s->p++; s->p < s->end; s->p++) {
        if (*s->p == '\\')
            s->p++;
        else if (*s->p == '"') {
            s->p++;
            return true;
        }
    }
    return false;
}

/* Skips one value of any kind, stopping before the ',' or '}' that follows it. */
static bool skip_value(struct scan *s)
{
    size_t depth = 0;

    while (s->p < s->end) {
        char c = *s->p;
        if (c == '"') {
            if (!skip_string(s))
                return false;
            continue;
        }
        if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (depth == 0)
                return true;
            depth--;
        } else if (c == ',' && depth == 0) {
            return true;
        }
        s->p++;
    }
    return false;
}

bool js_top_keys(const struct ov_blob *in, const char *const *keys, size_t nkeys, bool *found)
{
    struct scan s = { (const char *)in->data, (const char *)in->data + in->len };

    memset(found, 0, nkeys * sizeof *found);
    if (in->len >= 3 && memcmp(s.p, "\xEF\xBB\xBF", 3) == 0)
        s.p += 3;
    skip_ws(&s);
    if (s.p == s.end || *s.p != '{')
        return false;
    s.p++;
    for (;;) {
        const char *key;
        size_t key_len;

        skip_ws(&s);
        if (s.p == s.end || *s.p != '"')
            return true; /* '}' or malformed: either way the scan is over */
        key = s.p + 1;
        if (!skip_string(&s))
            return true;
        key_len = (size_t)(s.p - 1 - key);
        skip_ws(&s);
        if (s.p == s.end || *s.p != ':')
            return true;
        s.p++;
        for (size_t i = 0; i < nkeys; i++)
            if (strlen(keys[i]) == key_len && memcmp(keys[i], key, key_len) == 0)
                found[i] = true;
        if (!skip_value(&s) || *s.p != ',')
            return true;
        s.p++;
    }
}

size_t js_count_top_keys(const struct ov_blob *in, const char *const *keys, size_t nkeys)
{
    bool found[16];
    size_t n = 0;

    if (nkeys > sizeof found / sizeof *found || !js_top_keys(in, keys, nkeys, found))
        return 0;
    for (size_t i = 0; i < nkeys; i++)
        n += found[i];
    return n;
}
