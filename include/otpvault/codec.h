/* Text encodings for secrets and URIs: Base32 (RFC 4648), Base64 (standard and URL-safe),
 * hex, and percent-decoding. Decoders write into caller buffers so that secrets can be
 * decoded straight into secure memory. */
#ifndef OTPVAULT_CODEC_H
#define OTPVAULT_CODEC_H

#include <stddef.h>
#include <stdint.h>
#include "otpvault/error.h"

/* Upper bound of decoded bytes for an encoded text of text_len characters. */
size_t ov_base32_decoded_max(size_t text_len);
/* Lenient Base32: any case; spaces, tabs, dashes and '=' padding ignored. A character outside
 * the alphabet is an error naming the character and its 1-based position in text; so is a
 * length no byte string encodes to (significant characters mod 8 in {1, 3, 6}).
 * Writes *out_len bytes to out (at least ov_base32_decoded_max(strlen(text)) bytes). */
int ov_base32_decode(const char *text, uint8_t *out, size_t *out_len, struct ov_error *err);
/* Upper case, no padding. out must hold ov_base32_encoded_len(len) + 1 bytes. */
size_t ov_base32_encoded_len(size_t len);
void ov_base32_encode(const uint8_t *data, size_t len, char *out);

/* Base64: accepts the standard and URL-safe alphabets, missing padding, and ignores
 * whitespace. */
size_t ov_base64_decoded_max(size_t text_len);
int ov_base64_decode(const char *text, size_t text_len, uint8_t *out, size_t *out_len,
                     struct ov_error *err);
size_t ov_base64_encoded_len(size_t len); /* with padding */
void ov_base64_encode(const uint8_t *data, size_t len, char *out, int url_safe);

/* Hex: either case on decode, lower case on encode. Whitespace is not allowed. */
int ov_hex_decode(const char *text, size_t text_len, uint8_t *out, size_t *out_len,
                  struct ov_error *err);
void ov_hex_encode(const uint8_t *data, size_t len, char *out);

/* Percent-decoding of text_len bytes into out (at most text_len + 1 bytes, NUL-terminated).
 * '+' is kept as '+' (Base64 in migration URIs depends on it). A '%' not followed by two hex
 * digits is an error naming its position. */
int ov_percent_decode(const char *text, size_t text_len, char *out, size_t *out_len,
                      struct ov_error *err);
/* Percent-encodes everything except RFC 3986 unreserved characters; extra_safe lists more
 * characters to keep (e.g. "@" in labels). Returns a malloc'd string. */
char *ov_percent_encode(const char *text, const char *extra_safe);

/* Length in bytes (1 to 4) of the well-formed UTF-8 character at s (len bytes available), or
 * 0 when the bytes there are not one (overlong forms, surrogates and code points above
 * U+10FFFF are not). */
size_t ov_utf8_char_len(const char *s, size_t len);

/* A short, printable excerpt of untrusted text for an error message: at most max_chars
 * characters of the len bytes at text (NUL bytes and invalid UTF-8 allowed), with '"' and
 * '\' backslash-escaped, control characters as \n, \r, \t or \xNN, invalid UTF-8 bytes as
 * \xNN, and "..." appended when cut. Valid UTF-8 characters are kept whole. out (out_size
 * bytes, at least 8) is always NUL-terminated. */
void ov_text_excerpt(const char *text, size_t len, size_t max_chars, char *out,
                     size_t out_size);

#endif
