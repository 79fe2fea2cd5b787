/* Base32, Base64, hex and percent-encoding. Decoders are lenient where real exports differ
 * (case, grouping characters, padding) and strict where a wrong guess would change the key:
 * an unknown character or an impossible length is an error that says where it is. */
#include <string.h>

#include "otpvault/codec.h"
#include "otpvault/mem.h"

static const char b32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
static const char b64_std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static const char hex_lower[] = "0123456789abcdef";

/* Printable form of a byte for messages: control and non-ASCII bytes as \xNN. */
static const char *char_repr(unsigned char c, char buf[8])
{
    static const char hexd[] = "0123456789ABCDEF";

    if (c >= 0x20 && c < 0x7f) {
        buf[0] = (char)c;
        buf[1] = '\0';
    } else {
        buf[0] = '\\';
        buf[1] = 'x';
        buf[2] = hexd[c >> 4];
        buf[3] = hexd[c & 15];
        buf[4] = '\0';
    }
    return buf;
}

static int bad_char(struct ov_error *err, unsigned char c, size_t pos)
{
    char buf[8];
    return ov_error_set(err, OV_ERR_INVALID, "invalid character '%s' at position %zu",
                        char_repr(c, buf), pos);
}

static int b32_value(unsigned char c)
{
    if (c >= 'a' && c <= 'z')
        c = (unsigned char)(c - 'a' + 'A');
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= '2' && c <= '7')
        return c - '2' + 26;
    return -1;
}

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Appends width bits of v to the accumulator; a byte goes out whenever there are eight. */
static void take_bits(uint32_t *acc, unsigned *bits, uint32_t v, unsigned width, uint8_t *out,
                      size_t *n)
{
    *acc = (*acc << width) | v;
    *bits += width;
    if (*bits >= 8) {
        *bits -= 8;
        out[(*n)++] = (uint8_t)(*acc >> *bits);
        *acc &= (1u << *bits) - 1;
    }
}

size_t ov_base32_decoded_max(size_t text_len)
{
    return text_len / 8 * 5 + 5;
}

int ov_base32_decode(const char *text, uint8_t *out, size_t *out_len, struct ov_error *err)
{
    uint32_t acc = 0;
    unsigned bits = 0;
    size_t n = 0, significant = 0;

    *out_len = 0;
    for (size_t i = 0; text[i] != '\0'; i++) {
        unsigned char c = (unsigned char)text[i];
        int v;

        /* Grouping and padding as shown on web pages and in andOTP exports. */
        if (is_space(c) || c == '-' || c == '=')
            continue;
        v = b32_value(c);
        if (v < 0) {
            ov_wipe(out, n);
            acc = 0;
            return bad_char(err, c, i + 1);
        }
        significant++;
        take_bits(&acc, &bits, (uint32_t)v, 5, out, &n);
    }
    acc = 0;
    switch (significant % 8) {
    case 1: case 3: case 6:
        ov_wipe(out, n);
        return ov_error_set(err, OV_ERR_INVALID,
                            "invalid Base32 length: %zu characters (length mod 8 is %zu, which "
                            "no byte string encodes to)", significant, significant % 8);
    default:
        break;
    }
    /* Leftover bits (fewer than 8) are padding; other decoders do not check them either. */
    *out_len = n;
    return OV_OK;
}

size_t ov_base32_encoded_len(size_t len)
{
    return (len * 8 + 4) / 5;
}

void ov_base32_encode(const uint8_t *data, size_t len, char *out)
{
    uint32_t acc = 0;
    unsigned bits = 0;
    size_t n = 0;

    for (size_t i = 0; i < len; i++) {
        acc = (acc << 8) | data[i];
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out[n++] = b32_alphabet[(acc >> bits) & 31];
        }
        acc &= (1u << bits) - 1;
    }
    if (bits > 0)
        out[n++] = b32_alphabet[(acc << (5 - bits)) & 31];
    out[n] = '\0';
    acc = 0;
}

size_t ov_base64_decoded_max(size_t text_len)
{
    return text_len / 4 * 3 + 3;
}

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

int ov_base64_decode(const char *text, size_t text_len, uint8_t *out, size_t *out_len,
                     struct ov_error *err)
{
    uint32_t acc = 0;
    unsigned bits = 0;
    size_t n = 0, significant = 0, padding = 0;

    *out_len = 0;
    for (size_t i = 0; i < text_len; i++) {
        unsigned char c = (unsigned char)text[i];
        int v;

        if (is_space(c))
            continue;
        if (c == '=') {
            padding++;
            continue;
        }
        v = b64_value(c);
        if (v < 0 || padding > 0) {
            ov_wipe(out, n);
            acc = 0;
            if (v >= 0)
                return ov_error_set(err, OV_ERR_INVALID,
                                    "Base64 data continues after '=' padding at position %zu",
                                    i + 1);
            return bad_char(err, c, i + 1);
        }
        significant++;
        take_bits(&acc, &bits, (uint32_t)v, 6, out, &n);
    }
    acc = 0;
    /* Missing or short padding is accepted; one dangling character cannot be a byte. */
    if (significant % 4 == 1 || padding > 2) {
        ov_wipe(out, n);
        return ov_error_set(err, OV_ERR_INVALID,
                            "invalid Base64 length: %zu characters and %zu '=' padding",
                            significant, padding);
    }
    *out_len = n;
    return OV_OK;
}

size_t ov_base64_encoded_len(size_t len)
{
    return (len + 2) / 3 * 4;
}

void ov_base64_encode(const uint8_t *data, size_t len, char *out, int url_safe)
{
    const char *alpha = url_safe ? b64_url : b64_std;
    size_t i = 0, n = 0;

    for (; i + 3 <= len; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8 | data[i + 2];
        out[n++] = alpha[v >> 18];
        out[n++] = alpha[(v >> 12) & 63];
        out[n++] = alpha[(v >> 6) & 63];
        out[n++] = alpha[v & 63];
    }
    if (len - i == 1) {
        uint32_t v = (uint32_t)data[i] << 16;
        out[n++] = alpha[v >> 18];
        out[n++] = alpha[(v >> 12) & 63];
        out[n++] = '=';
        out[n++] = '=';
    } else if (len - i == 2) {
        uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8;
        out[n++] = alpha[v >> 18];
        out[n++] = alpha[(v >> 12) & 63];
        out[n++] = alpha[(v >> 6) & 63];
        out[n++] = '=';
    }
    out[n] = '\0';
}

int ov_hex_decode(const char *text, size_t text_len, uint8_t *out, size_t *out_len,
                  struct ov_error *err)
{
    *out_len = 0;
    for (size_t i = 0; i < text_len; i++) {
        if (hex_value((unsigned char)text[i]) < 0) {
            ov_wipe(out, i / 2);
            return bad_char(err, (unsigned char)text[i], i + 1);
        }
        if (i % 2 == 1)
            out[i / 2] = (uint8_t)(hex_value((unsigned char)text[i - 1]) << 4 |
                                   hex_value((unsigned char)text[i]));
    }
    if (text_len % 2 != 0) {
        ov_wipe(out, text_len / 2);
        return ov_error_set(err, OV_ERR_INVALID,
                            "invalid hex length: %zu digits (an odd number)", text_len);
    }
    *out_len = text_len / 2;
    return OV_OK;
}

void ov_hex_encode(const uint8_t *data, size_t len, char *out)
{
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = hex_lower[data[i] >> 4];
        out[2 * i + 1] = hex_lower[data[i] & 15];
    }
    out[2 * len] = '\0';
}

int ov_percent_decode(const char *text, size_t text_len, char *out, size_t *out_len,
                      struct ov_error *err)
{
    size_t n = 0;

    for (size_t i = 0; i < text_len; i++) {
        if (text[i] != '%') {
            out[n++] = text[i];
            continue;
        }
        if (i + 2 >= text_len || hex_value((unsigned char)text[i + 1]) < 0 ||
            hex_value((unsigned char)text[i + 2]) < 0) {
            size_t shown = text_len - i < 3 ? text_len - i : 3;
            ov_wipe(out, n);
            out[0] = '\0';
            *out_len = 0;
            return ov_error_set(err, OV_ERR_INVALID,
                                "invalid percent escape '%.*s' at position %zu", (int)shown,
                                text + i, i + 1);
        }
        out[n++] = (char)(hex_value((unsigned char)text[i + 1]) << 4 |
                          hex_value((unsigned char)text[i + 2]));
        i += 2;
    }
    out[n] = '\0';
    *out_len = n;
    return OV_OK;
}

static int is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

char *ov_percent_encode(const char *text, const char *extra_safe)
{
    size_t len = strlen(text);
    char *out = ov_xmalloc(len * 3 + 1);
    size_t n = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (is_unreserved(c) || (extra_safe != NULL && c != '\0' && strchr(extra_safe, c))) {
            out[n++] = (char)c;
        } else {
            out[n++] = '%';
            out[n++] = "0123456789ABCDEF"[c >> 4];
            out[n++] = "0123456789ABCDEF"[c & 15];
        }
    }
    out[n] = '\0';
    return out;
}

size_t ov_utf8_char_len(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n;
    uint32_t cp, min;

    if (len == 0)
        return 0;
    if (u[0] < 0x80)
        return 1;
    if (u[0] >= 0xC2 && u[0] <= 0xDF) {
        n = 2;
        cp = u[0] & 0x1F;
        min = 0x80;
    } else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
        n = 3;
        cp = u[0] & 0x0F;
        min = 0x800;
    } else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
        n = 4;
        cp = u[0] & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (u[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

void ov_text_excerpt(const char *text, size_t len, size_t max_chars, char *out,
                     size_t out_size)
{
    static const char hexd[] = "0123456789ABCDEF";
    size_t i = 0, n = 0, chars = 0;

    /* Room for the longest escape (4), "..." and the NUL is kept back at every step. */
    while (i < len && chars < max_chars) {
        unsigned char c = (unsigned char)text[i];
        size_t clen = ov_utf8_char_len(text + i, len - i);
        char esc[5];
        size_t elen = 0;

        if (clen > 1) {
            if (n + clen + 4 > out_size)
                break;
            memcpy(out + n, text + i, clen);
            n += clen;
            i += clen;
            chars++;
            continue;
        }
        if (clen == 1 && c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            esc[elen++] = (char)c;
        } else {
            esc[elen++] = '\\';
            if (c == '"' || c == '\\') {
                esc[elen++] = (char)c;
            } else if (c == '\n' || c == '\r' || c == '\t') {
                esc[elen++] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
            } else {
                esc[elen++] = 'x';
                esc[elen++] = hexd[c >> 4];
                esc[elen++] = hexd[c & 15];
            }
        }
        if (n + elen + 4 > out_size)
            break;
        memcpy(out + n, esc, elen);
        n += elen;
        i++;
        chars++;
    }
    if (i < len && n + 4 <= out_size) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
}
