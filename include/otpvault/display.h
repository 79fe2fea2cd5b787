/* The display form of untrusted text: what any face may send to a terminal.
 *
 * Names, issuers, notes, file names and QR payloads come from outside and may hold escape
 * sequences (ESC ] 52 sets a terminal's clipboard), C1 controls, bidi overrides that make
 * "elgoog.com" read as "moc.elgoog", or bytes that are not UTF-8. The display form shows
 * each of those visibly and emits none of them:
 *   - C0 controls and DEL, and bytes that are not part of valid UTF-8:  \x1b  \x7f  \x9b
 *   - C1 controls, bidi embeddings/overrides/isolates and marks, invisible formatting
 *     characters (zero-width space, word joiner, BOM, line/paragraph separators, tags,
 *     Hangul fillers) and noncharacters:                                \u202e  \U000e0041
 * Everything else (ordinary text in any script, wide characters, combining marks, emoji
 * with their joiners and variation selectors) is kept byte for byte. The form is a pure
 * function of its input, valid UTF-8, and holds no byte below 0x20 nor 0x7F.
 *
 * The data itself is never changed: stored names and exports keep the original characters;
 * JSON output keeps them too, escaped as \uXXXX (ov_json_safe). */
#ifndef OTPVAULT_DISPLAY_H
#define OTPVAULT_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One step through text: the next character or stray byte at s (len > 0 bytes left). */
struct ov_display_unit {
    size_t len;         /* bytes of s it covers, >= 1 */
    uint32_t cp;        /* the code point, or the stray byte's value when !valid */
    bool valid;         /* false: a byte that is not part of valid UTF-8 */
    bool unsafe;        /* shown escaped (always true when !valid) */
};
void ov_display_next(const char *s, size_t len, struct ov_display_unit *u);

/* One step of the display form: the piece shown for the unit at s (len > 0 bytes left),
 * either s itself or its escape written into esc; returns the bytes of s consumed. Lets a
 * caller cut the display form at whole units (ov_text_fit). */
#define OV_DISPLAY_ESCAPE_MAX 11 /* "\U0010ffff" and the NUL */
size_t ov_display_step(const char *s, size_t len, char esc[OV_DISPLAY_ESCAPE_MAX],
                       const char **piece, size_t *piece_len);


/* The display form, malloc'd (aborts on exhaustion like ov_xmalloc). NULL gives "". */
char *ov_display_dup(const char *s);

/* The display form into out (out_size > 0, always NUL-terminated); escapes and characters
 * are never cut in half. Returns out. */
const char *ov_display_into(const char *s, char *out, size_t out_size);

/* Whether s is already its own display form (nothing to escape). */
bool ov_display_is_plain(const char *s);

/* Serialized JSON (valid UTF-8, as jansson writes it) with every character the display
 * form escapes written as \uXXXX instead (surrogate pairs above U+FFFF), so the JSON stays
 * the same data and is safe to print. Such characters can only occur inside strings, so
 * the result is equally valid JSON. In secure memory (the JSON may hold secrets): free with
 * ov_secure_free_str. */
char *ov_json_safe(const char *json);

#endif
