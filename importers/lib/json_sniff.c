/* See json_sniff.h. */
#include <string.h>

#include "json_sniff.h"

#define MAX_DEPTH 64 /* deeper containers are counted but not told apart: no probe goes there */

static size_t skip_prefix(const struct ov_blob *in)
{
    size_t i = 0;

    if (in->len >= 3 && memcmp(in->data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < in->len && (in->data[i] == ' ' || in->data[i] == '\t' || in->data[i] == '\n' ||
                           in->data[i] == '\r'))
        i++;
    return i;
}

char js_kind(const struct ov_blob *in)
{
    size_t i = skip_prefix(in);

    if (i >= in->len || (in->data[i] != '{' && in->data[i] != '['))
        return 0;
    /* Export files are text: a NUL byte means binary data that happens to start with '{'. */
    if (memchr(in->data, '\0', in->len) != NULL)
        return 0;
    return (char)in->data[i];
}

/* The end of the string whose opening quote is at i (index of the closing quote), or len.
 * memchr does the walking: strings are most of an export file. */
static size_t string_end(const uint8_t *p, size_t len, size_t i)
{
    for (i++; i < len;) {
        const uint8_t *q = memchr(p + i, '"', len - i);
        size_t end, slashes = 0;

        if (q == NULL)
            return len;
        end = (size_t)(q - p);
        /* Escaped when preceded by an odd number of backslashes. */
        while (end - slashes > i && p[end - slashes - 1] == '\\')
            slashes++;
        if (slashes % 2 == 0)
            return end;
        i = end + 1;
    }
    return len;
}

static size_t match_key(struct js_probe *probes, size_t n, const uint8_t *key, size_t klen,
                        int depth, size_t *remaining)
{
    size_t matched = 0;

    for (size_t k = 0; k < n; k++) {
        struct js_probe *pr = &probes[k];
        if (pr->found || pr->depth != depth || strlen(pr->key) != klen ||
            memcmp(pr->key, key, klen) != 0)
            continue;
        pr->found = true;
        pr->value_start = 0; /* set when the value starts */
        (*remaining)--;
        matched |= (size_t)1 << k;
    }
    return matched;
}

char js_scan(const struct ov_blob *in, struct js_probe *probes, size_t nprobes)
{
    const uint8_t *p = in->data;
    size_t len = in->len, remaining = nprobes, pending = 0;
    bool is_object[MAX_DEPTH], expect_key = false;
    int depth = 0;
    char kind = js_kind(in);

    for (size_t k = 0; k < nprobes; k++) {
        probes[k].found = false;
        probes[k].value_start = 0;
    }
    if (kind == 0 || nprobes > sizeof(size_t) * 8)
        return kind;
    for (size_t i = skip_prefix(in); i < len && (remaining > 0 || pending != 0); i++) {
        uint8_t c = p[i];

        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':')
            continue;
        /* The first byte of a value: note it for the probes its key matched. */
        if (pending != 0) {
            for (size_t k = 0; k < nprobes; k++)
                if (pending & ((size_t)1 << k))
                    probes[k].value_start = (char)c;
            pending = 0;
        }
        switch (c) {
        case '{':
        case '[':
            if (depth < MAX_DEPTH)
                is_object[depth] = c == '{';
            depth++;
            expect_key = c == '{';
            break;
        case '}':
        case ']':
            if (depth > 0)
                depth--;
            expect_key = false;
            break;
        case ',':
            expect_key = depth > 0 && depth <= MAX_DEPTH && is_object[depth - 1];
            break;
        case '"': {
            size_t end = string_end(p, len, i);
            if (end >= len)
                return kind; /* cut inside a string */
            if (expect_key)
                pending = match_key(probes, nprobes, p + i + 1, end - i - 1, depth,
                                    &remaining);
            expect_key = false;
            i = end;
            break;
        }
        default:
            break; /* numbers, true, false, null: nothing to track */
        }
    }
    return kind;
}

#define TOP_KEYS_MAX 16

bool js_top_keys(const struct ov_blob *in, const char *const *keys, size_t nkeys, bool *found)
{
    struct js_probe probes[TOP_KEYS_MAX];
    char kind;

    if (nkeys > TOP_KEYS_MAX)
        nkeys = TOP_KEYS_MAX;
    for (size_t i = 0; i < nkeys; i++)
        probes[i] = (struct js_probe){ .key = keys[i], .depth = 1 };
    kind = js_scan(in, probes, nkeys);
    for (size_t i = 0; i < nkeys; i++)
        found[i] = kind == '{' && probes[i].found;
    return kind == '{';
}

size_t js_count_top_keys(const struct ov_blob *in, const char *const *keys, size_t nkeys)
{
    bool found[TOP_KEYS_MAX];
    size_t n = 0;

    if (nkeys > TOP_KEYS_MAX)
        nkeys = TOP_KEYS_MAX;
    if (!js_top_keys(in, keys, nkeys, found))
        return 0;
    for (size_t i = 0; i < nkeys; i++)
        n += found[i];
    return n;
}

bool js_object_with(const struct ov_blob *in, const char *a, const char *b)
{
    struct js_probe p[] = { { a, 1, false, 0 }, { b, 1, false, 0 } };

    return js_scan(in, p, 2) == '{' && p[0].found && p[1].found;
}

bool js_top_string(const struct ov_blob *in, const char *key)
{
    struct js_probe p[] = { { key, 1, false, 0 } };

    js_scan(in, p, 1);
    return p[0].found && p[0].value_start == '"';
}
