/* A bounded reader for exactly one kind of Java Object Serialization stream: a
 * java.util.HashMap<String,String> written by ObjectOutputStream.writeObject (FreeOTP 2's
 * backup, formats.md 5.2). It understands TC_OBJECT with the HashMap class descriptor
 * (primitive fields only), the block data HashMap.writeObject writes, TC_STRING,
 * TC_LONGSTRING and TC_REFERENCE to an earlier string; anything else is refused with the
 * offset and what was found. Strings come out as standard UTF-8 (Java's modified UTF-8
 * converted; a NUL character or an unpaired surrogate is an error). */
#ifndef IMPORTERS_JAVA_STRING_MAP_H
#define IMPORTERS_JAVA_STRING_MAP_H

#include <stddef.h>
#include <stdint.h>
#include "otpvault/error.h"

struct ov_jmap_entry {
    char *key;
    char *value;
    size_t value_len;
};

struct ov_jmap {
    struct ov_jmap_entry *items;  /* stream order (HashMap bucket order) */
    size_t len;
};

/* Reads the whole stream (trailing bytes are an error). On success the caller frees *out
 * with ov_jmap_free (values are wiped). Errors are OV_ERR_INVALID or OV_ERR_UNSUPPORTED. */
int ov_jmap_read(const uint8_t *data, size_t len, struct ov_jmap *out, struct ov_error *err);
/* The value for key (the first, Java keys are unique), or NULL. */
const struct ov_jmap_entry *ov_jmap_get(const struct ov_jmap *m, const char *key);
void ov_jmap_free(struct ov_jmap *m);

#endif
