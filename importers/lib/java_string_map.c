/* See java_string_map.h. Grammar (Java Object Serialization Specification, chapter 6),
 * restricted to what HashMap<String,String> produces:
 *   stream    = AC ED 00 05  TC_OBJECT classDesc  fieldValues  annotation
 *   classDesc = TC_CLASSDESC utf(name) u64(serialVersionUID) u8(flags) u16(nfields)
 *               { u8(typecode) utf(fieldname) } TC_ENDBLOCKDATA TC_NULL
 *   annotation = blockdata(capacity:u32 size:u32) size * (string string) TC_ENDBLOCKDATA
 *   string    = TC_STRING u16 len bytes | TC_LONGSTRING u64 len bytes | TC_REFERENCE u32 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "java_string_map.h"
#include "otpvault/mem.h"

#define TC_NULL 0x70
#define TC_REFERENCE 0x71
#define TC_CLASSDESC 0x72
#define TC_OBJECT 0x73
#define TC_STRING 0x74
#define TC_BLOCKDATA 0x77
#define TC_ENDBLOCKDATA 0x78
#define TC_BLOCKDATALONG 0x7A
#define TC_LONGSTRING 0x7C
#define BASE_HANDLE 0x7E0000u
#define SC_WRITE_METHOD 0x01
#define SC_SERIALIZABLE 0x02

#define HASHMAP_CLASS "java.util.HashMap"
#define HASHMAP_SUID 0x0507DAC1C31660D1ull /* 362498820763181265 */
#define MAX_FIELDS 8

struct reader {
    const uint8_t *p;
    size_t len, pos;
    /* Handles in assignment order; strings point at the text (owned by the map or by
     * `spare`), other objects are NULL. */
    const char **handles;
    size_t nhandles;
    struct ov_error *err;
};

static int truncated(struct reader *r, size_t need)
{
    return ov_error_set(r->err, OV_ERR_INVALID, "Java serialization stream cut short at byte "
                        "%zu (%zu more bytes needed)", r->pos, need - (r->len - r->pos));
}

static int need(struct reader *r, size_t n)
{
    return r->len - r->pos >= n ? OV_OK : truncated(r, n);
}

static uint64_t get_be(struct reader *r, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v << 8 | r->p[r->pos++];
    return v;
}

static int read_be(struct reader *r, size_t n, uint64_t *out)
{
    int rc = need(r, n);
    if (rc == OV_OK)
        *out = get_be(r, n);
    return rc;
}

static int expect_byte(struct reader *r, uint8_t want, const char *what)
{
    int rc = need(r, 1);
    if (rc != OV_OK)
        return rc;
    if (r->p[r->pos] != want)
        return ov_error_set(r->err, OV_ERR_UNSUPPORTED, "Java serialization: byte %zu is "
                            "0x%02x, expected %s (0x%02x); not a plain HashMap<String,String>",
                            r->pos, r->p[r->pos], what, want);
    r->pos++;
    return OV_OK;
}

static void add_handle(struct reader *r, const char *text)
{
    r->handles = ov_xrealloc(r->handles, (r->nhandles + 1) * sizeof *r->handles);
    r->handles[r->nhandles++] = text;
}

static bool is_cont(uint8_t b)
{
    return (b & 0xC0) == 0x80;
}

/* Decodes one modified-UTF-8 unit (1 to 3 bytes) at s[i]; returns its length or 0. */
static size_t mutf8_unit(const uint8_t *s, size_t n, size_t i, uint32_t *cp)
{
    uint8_t b = s[i];

    if (b >= 0x01 && b < 0x80) {
        *cp = b;
        return 1;
    }
    if ((b & 0xE0) == 0xC0 && i + 1 < n && is_cont(s[i + 1])) {
        *cp = (uint32_t)(b & 0x1F) << 6 | (s[i + 1] & 0x3F);
        /* C0 80 is Java's NUL; other overlong forms are never written. */
        return *cp >= 0x80 || *cp == 0 ? 2 : 0;
    }
    if ((b & 0xF0) == 0xE0 && i + 2 < n && is_cont(s[i + 1]) && is_cont(s[i + 2])) {
        *cp = (uint32_t)(b & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F);
        return *cp >= 0x800 ? 3 : 0;
    }
    return 0;
}

static size_t put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18);
    o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Java's modified UTF-8 (surrogate pairs as two 3-byte units, NUL as C0 80) to UTF-8. The
 * output is never longer than the input. Returns a malloc'd string or NULL (err set). */
static char *decode_mutf8(struct reader *r, const uint8_t *s, size_t n, size_t *out_len)
{
    char *out = ov_xmalloc(n + 1);
    size_t o = 0;

    for (size_t i = 0; i < n;) {
        uint32_t cp, lo;
        size_t k = mutf8_unit(s, n, i, &cp);
        const char *why = NULL;

        if (k == 0)
            why = "invalid modified UTF-8";
        else if (cp == 0)
            why = "a NUL character";
        else if (cp >= 0xDC00 && cp <= 0xDFFF)
            why = "an unpaired low surrogate";
        else if (cp >= 0xD800 && cp <= 0xDBFF) {
            size_t k2 = i + k < n ? mutf8_unit(s, n, i + k, &lo) : 0;
            if (k2 != 3 || lo < 0xDC00 || lo > 0xDFFF)
                why = "an unpaired high surrogate";
            else {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                k += k2;
            }
        }
        if (why != NULL) {
            ov_wipe(out, o);
            free(out);
            ov_error_set(r->err, OV_ERR_INVALID, "Java serialization: string with %s at "
                         "byte %zu", why, r->pos - n + i);
            return NULL;
        }
        o += put_utf8(out + o, cp);
        i += k;
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

/* utf = u16 length + modified UTF-8, as in class and field names. */
static char *read_short_utf(struct reader *r, size_t *out_len)
{
    uint64_t n;

    if (read_be(r, 2, &n) != OV_OK || need(r, (size_t)n) != OV_OK)
        return NULL;
    r->pos += (size_t)n;
    return decode_mutf8(r, r->p + r->pos - n, (size_t)n, out_len);
}

/* The field list of the class description: only 4-byte primitives are expected (float
 * loadFactor, int threshold since API 34); *values_len is the size of their values. */
static int read_fields(struct reader *r, size_t nfields, size_t *values_len)
{
    *values_len = 0;
    for (size_t i = 0; i < nfields; i++) {
        uint64_t type;
        size_t len;
        int rc = read_be(r, 1, &type);
        char *fname;

        if (rc != OV_OK)
            return rc;
        if (type != 'F' && type != 'I')
            return ov_error_set(r->err, OV_ERR_UNSUPPORTED, "Java serialization: HashMap "
                                "field of type '%c' (only float and int are expected)",
                                type >= 0x20 && type < 0x7F ? (int)type : '?');
        fname = read_short_utf(r, &len);
        if (fname == NULL)
            return r->err->code;
        free(fname);
        *values_len += 4;
    }
    return OV_OK;
}

/* TC_CLASSDESC of java.util.HashMap, through its (empty) annotation and null superclass. */
static int read_class_desc(struct reader *r, size_t *values_len)
{
    size_t name_len;
    uint64_t suid, flags, nfields;
    char *name;
    int rc = expect_byte(r, TC_CLASSDESC, "a class description");

    if (rc != OV_OK)
        return rc;
    name = read_short_utf(r, &name_len);
    if (name == NULL)
        return r->err->code;
    if (strcmp(name, HASHMAP_CLASS) != 0) {
        rc = ov_error_set(r->err, OV_ERR_UNSUPPORTED, "Java serialization of a %.60s, not "
                          "the java.util.HashMap a FreeOTP backup holds", name);
        free(name);
        return rc;
    }
    free(name);
    if ((rc = read_be(r, 8, &suid)) != OV_OK || (rc = read_be(r, 1, &flags)) != OV_OK ||
        (rc = read_be(r, 2, &nfields)) != OV_OK)
        return rc;
    if (suid != HASHMAP_SUID || flags != (SC_WRITE_METHOD | SC_SERIALIZABLE))
        return ov_error_set(r->err, OV_ERR_UNSUPPORTED, "Java serialization: unexpected "
                            "HashMap class version or flags");
    if (nfields > MAX_FIELDS)
        return ov_error_set(r->err, OV_ERR_UNSUPPORTED, "Java serialization: HashMap with "
                            "%u fields", (unsigned)nfields);
    add_handle(r, NULL);
    if ((rc = read_fields(r, (size_t)nfields, values_len)) != OV_OK)
        return rc;
    if ((rc = expect_byte(r, TC_ENDBLOCKDATA, "the end of the class annotation")) != OV_OK)
        return rc;
    return expect_byte(r, TC_NULL, "no superclass");
}

/* Block data of HashMap.writeObject: capacity and size, 8 bytes, possibly split. */
static int read_sizes(struct reader *r, uint64_t *size)
{
    uint8_t buf[8];
    size_t have = 0;

    while (have < sizeof buf) {
        uint64_t tc, n;
        int rc = read_be(r, 1, &tc);
        if (rc != OV_OK)
            return rc;
        if (tc == TC_BLOCKDATA)
            rc = read_be(r, 1, &n);
        else if (tc == TC_BLOCKDATALONG)
            rc = read_be(r, 4, &n);
        else
            return ov_error_set(r->err, OV_ERR_UNSUPPORTED, "Java serialization: byte %zu "
                                "is 0x%02x, expected the HashMap's block data", r->pos - 1,
                                (unsigned)tc);
        if (rc != OV_OK)
            return rc;
        if (n > sizeof buf - have)
            return ov_error_set(r->err, OV_ERR_UNSUPPORTED, "Java serialization: %llu bytes "
                                "of block data where the HashMap writes 8",
                                (unsigned long long)(n + have));
        if ((rc = need(r, (size_t)n)) != OV_OK)
            return rc;
        memcpy(buf + have, r->p + r->pos, (size_t)n);
        r->pos += (size_t)n;
        have += (size_t)n;
    }
    *size = (uint64_t)buf[4] << 24 | (uint64_t)buf[5] << 16 | (uint64_t)buf[6] << 8 | buf[7];
    return OV_OK;
}

/* One key or value: a new string, or a reference to an earlier one. */
static char *read_string(struct reader *r, size_t *out_len)
{
    uint64_t tc, n;
    char *s;

    if (read_be(r, 1, &tc) != OV_OK)
        return NULL;
    switch (tc) {
    case TC_STRING:
    case TC_LONGSTRING:
        if (read_be(r, tc == TC_STRING ? 2 : 8, &n) != OV_OK)
            return NULL;
        if (n > r->len - r->pos) {
            ov_error_set(r->err, OV_ERR_INVALID, "Java serialization stream cut short: a "
                         "string of %llu bytes at byte %zu runs past the end",
                         (unsigned long long)n, r->pos);
            return NULL;
        }
        r->pos += (size_t)n;
        s = decode_mutf8(r, r->p + r->pos - n, (size_t)n, out_len);
        if (s != NULL)
            add_handle(r, s);
        return s;
    case TC_REFERENCE:
        if (read_be(r, 4, &n) != OV_OK)
            return NULL;
        if (n < BASE_HANDLE || n - BASE_HANDLE >= r->nhandles ||
            r->handles[n - BASE_HANDLE] == NULL) {
            ov_error_set(r->err, OV_ERR_INVALID, "Java serialization: byte %zu refers to "
                         "object 0x%llx, which is not an earlier string", r->pos - 5,
                         (unsigned long long)n);
            return NULL;
        }
        s = ov_xstrdup(r->handles[n - BASE_HANDLE]);
        *out_len = strlen(s);
        return s;
    case TC_NULL:
        ov_error_set(r->err, OV_ERR_UNSUPPORTED, "Java serialization: a null key or value at "
                     "byte %zu", r->pos - 1);
        return NULL;
    default:
        ov_error_set(r->err, OV_ERR_UNSUPPORTED, "Java serialization: byte %zu is 0x%02x "
                     "where a string was expected (only String keys and values are read)",
                     r->pos - 1, (unsigned)tc);
        return NULL;
    }
}

static int read_entries(struct reader *r, uint64_t size, struct ov_jmap *out)
{
    /* Each entry takes at least 6 bytes (two empty TC_STRINGs): bounds the allocation. */
    if (size > (r->len - r->pos) / 6)
        return ov_error_set(r->err, OV_ERR_INVALID, "Java serialization: the HashMap claims "
                            "%llu entries, more than the %zu bytes left can hold",
                            (unsigned long long)size, r->len - r->pos);
    out->items = ov_xcalloc(size > 0 ? (size_t)size : 1, sizeof *out->items);
    for (uint64_t i = 0; i < size; i++) {
        struct ov_jmap_entry *e = &out->items[out->len];
        size_t klen;

        e->key = read_string(r, &klen);
        if (e->key == NULL)
            return r->err->code;
        e->value = read_string(r, &e->value_len);
        out->len++; /* counted now so the key is freed even if the value fails */
        if (e->value == NULL)
            return r->err->code;
    }
    return expect_byte(r, TC_ENDBLOCKDATA, "the end of the HashMap");
}

int ov_jmap_read(const uint8_t *data, size_t len, struct ov_jmap *out, struct ov_error *err)
{
    struct reader r = { .p = data, .len = len, .err = err };
    static const uint8_t magic[4] = { 0xAC, 0xED, 0x00, 0x05 };
    size_t values_len = 0;
    uint64_t size = 0;
    int rc;

    out->items = NULL;
    out->len = 0;
    if (len < 4 || memcmp(data, magic, 4) != 0)
        return ov_error_set(err, OV_ERR_INVALID, "not a Java serialization stream (no "
                            "AC ED 00 05 magic)");
    r.pos = 4;
    rc = expect_byte(&r, TC_OBJECT, "an object");
    if (rc == OV_OK)
        rc = read_class_desc(&r, &values_len);
    if (rc == OV_OK) {
        add_handle(&r, NULL); /* the HashMap object itself */
        rc = need(&r, values_len);
    }
    if (rc == OV_OK) {
        r.pos += values_len; /* loadFactor, threshold: HashMap sizes itself anyway */
        rc = read_sizes(&r, &size);
    }
    if (rc == OV_OK)
        rc = read_entries(&r, size, out);
    if (rc == OV_OK && r.pos != r.len)
        rc = ov_error_set(err, OV_ERR_INVALID, "Java serialization: %zu unexpected bytes "
                          "after the HashMap", r.len - r.pos);
    free(r.handles);
    if (rc != OV_OK)
        ov_jmap_free(out);
    return rc;
}

const struct ov_jmap_entry *ov_jmap_get(const struct ov_jmap *m, const char *key)
{
    for (size_t i = 0; i < m->len; i++)
        if (strcmp(m->items[i].key, key) == 0)
            return &m->items[i];
    return NULL;
}

void ov_jmap_free(struct ov_jmap *m)
{
    for (size_t i = 0; i < m->len; i++) {
        free(m->items[i].key);
        if (m->items[i].value != NULL) {
            ov_wipe(m->items[i].value, m->items[i].value_len);
            free(m->items[i].value);
        }
    }
    free(m->items);
    m->items = NULL;
    m->len = 0;
}
