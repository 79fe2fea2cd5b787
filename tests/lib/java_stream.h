/* Java serialization streams of string maps, written by hand for the tests of FreeOTP 2.x
 * backups (importers/lib/java_string_map): a HashMap header, strings, the end marker. */
#ifndef TESTS_LIB_JAVA_STREAM_H
#define TESTS_LIB_JAVA_STREAM_H

#include <stddef.h>
#include <stdint.h>

struct jw {
    uint8_t buf[65536];
    size_t len;
};

void jw_put(struct jw *w, const void *p, size_t n);
void jw_put_be(struct jw *w, uint64_t v, size_t n);
/* The HashMap header up to and including the block data with the entry count. */
void jw_header(struct jw *w, const char *class_name, int two_fields, uint32_t size);
void jw_string(struct jw *w, const char *s);
void jw_end(struct jw *w);
/* A whole map of n key/value pairs. */
void jw_map(struct jw *w, const char *const *kv, size_t n);

#endif
