/* See java_stream.h. */
#include <criterion/criterion.h>
#include <string.h>

#include "tests/lib/java_stream.h"

void jw_put(struct jw *w, const void *p, size_t n)
{
    cr_assert_leq(w->len + n, sizeof w->buf);
    memcpy(w->buf + w->len, p, n);
    w->len += n;
}

void jw_put_be(struct jw *w, uint64_t v, size_t n)
{
    for (size_t i = n; i-- > 0;) {
        uint8_t b = (uint8_t)(v >> (8 * i));
        jw_put(w, &b, 1);
    }
}

/* The HashMap header up to and including the block data with the entry count. */
void jw_header(struct jw *w, const char *class_name, int two_fields, uint32_t size)
{
    static const uint8_t magic[] = { 0xAC, 0xED, 0x00, 0x05, 0x73, 0x72 };

    w->len = 0;
    jw_put(w, magic, sizeof magic);
    jw_put_be(w, strlen(class_name), 2);
    jw_put(w, class_name, strlen(class_name));
    jw_put_be(w, 0x0507DAC1C31660D1ull, 8);
    jw_put_be(w, 0x03, 1);
    jw_put_be(w, two_fields ? 2 : 1, 2);
    jw_put(w, "F\x00\x0aloadFactor", 13);
    if (two_fields)
        jw_put(w, "I\x00\x09threshold", 12);
    jw_put(w, "\x78\x70\x3f\x40\x00\x00", 6);
    if (two_fields)
        jw_put_be(w, 12, 4);
    jw_put(w, "\x77\x08", 2);
    jw_put_be(w, 16, 4);
    jw_put_be(w, size, 4);
}

void jw_string(struct jw *w, const char *s)
{
    jw_put_be(w, 0x74, 1);
    jw_put_be(w, strlen(s), 2);
    jw_put(w, s, strlen(s));
}

void jw_end(struct jw *w)
{
    jw_put_be(w, 0x78, 1);
}

/* A whole map of n key/value pairs. */
void jw_map(struct jw *w, const char *const *kv, size_t n)
{
    jw_header(w, "java.util.HashMap", 0, (uint32_t)n);
    for (size_t i = 0; i < 2 * n; i++)
        jw_string(w, kv[i]);
    jw_end(w);
}

