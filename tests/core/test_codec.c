/* Base32, Base64, hex and percent-encoding: RFC 4648 vectors, round trips, leniency and
 * error messages that point at the offending character. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/mem.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(codec, .init = setup);

/* RFC 4648 section 10. */
static const char *const plain[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
static const char *const b32[] = { "", "MY", "MZXQ", "MZXW6", "MZXW6YQ", "MZXW6YTB",
                                   "MZXW6YTBOI" };
static const char *const b64[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=",
                                   "Zm9vYmFy" };

static void expect_b32(const char *text, const char *want)
{
    uint8_t out[64];
    size_t len = 99;
    struct ov_error err = {0};

    cr_assert_eq(ov_base32_decode(text, out, &len, &err), OV_OK, "\"%s\": %s", text, err.msg);
    cr_assert_eq(len, strlen(want), "\"%s\" decoded to %zu bytes", text, len);
    cr_assert(memcmp(out, want, len) == 0, "\"%s\" decoded wrongly", text);
}

Test(codec, base32_rfc4648_vectors_encode_and_decode)
{
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
        char enc[32];
        size_t n = strlen(plain[i]);
        cr_assert_eq(ov_base32_encoded_len(n), strlen(b32[i]));
        ov_base32_encode((const uint8_t *)plain[i], n, enc);
        cr_assert_str_eq(enc, b32[i]);
        expect_b32(b32[i], plain[i]);
    }
}

Test(codec, base32_is_lenient_about_case_spaces_dashes_and_padding)
{
    expect_b32("mzxw6ytboi", "foobar");
    expect_b32("MzXw 6yTb\tOi", "foobar");
    expect_b32("mzxw-6ytb-oi", "foobar");
    expect_b32("MZXW6YTBOI======", "foobar");
    expect_b32("MZXW6YQ=", "foob");
    expect_b32("  MY  ", "f");
}

Test(codec, base32_reports_invalid_character_and_position)
{
    uint8_t out[32];
    size_t len;
    struct ov_error err = {0};

    cr_assert_eq(ov_base32_decode("MZXW1YTB", out, &len, &err), OV_ERR_INVALID);
    cr_assert_str_eq(err.msg, "invalid character '1' at position 5");
    /* Positions count the ignored characters too, as the user sees them. */
    cr_assert_eq(ov_base32_decode("MZ-X 8", out, &len, &err), OV_ERR_INVALID);
    cr_assert_str_eq(err.msg, "invalid character '8' at position 6");
    cr_assert_eq(ov_base32_decode("MZX\x01", out, &len, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "\\x01") != NULL, "%s", err.msg);
}

Test(codec, base32_rejects_lengths_no_bytes_encode_to)
{
    /* Significant lengths mod 8 of 1, 3 and 6 are impossible; 0, 2, 4, 5 and 7 are not. */
    static const char *const bad[] = { "M", "MZX", "MZXW6Y", "MZXW6YTBO", "MZXW6YTBOIM",
                                       "POAKSPDOASKDOS", "OIDJAOSIJDOASIJDS", "M=======" };
    uint8_t out[32];
    size_t len;

    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct ov_error err = {0};
        cr_assert_eq(ov_base32_decode(bad[i], out, &len, &err), OV_ERR_INVALID, "%s", bad[i]);
        cr_assert(strstr(err.msg, "length") != NULL, "%s: %s", bad[i], err.msg);
        cr_assert_eq(len, 0);
    }
    struct ov_error err = {0};
    cr_assert_eq(ov_base32_decode("MZXW 6Y", out, &len, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "6 characters") != NULL, "%s", err.msg);
}

Test(codec, base32_round_trips_every_length)
{
    uint8_t data[70], back[70];
    char text[128];

    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 37 + 11);
    for (size_t n = 0; n <= sizeof data; n++) {
        size_t len;
        ov_base32_encode(data, n, text);
        cr_assert_eq(strlen(text), ov_base32_encoded_len(n));
        cr_assert_leq(n, ov_base32_decoded_max(strlen(text)));
        cr_assert_eq(ov_base32_decode(text, back, &len, NULL), OV_OK, "length %zu", n);
        cr_assert_eq(len, n);
        cr_assert(memcmp(back, data, n) == 0, "length %zu", n);
    }
}

static void expect_b64(const char *text, const uint8_t *want, size_t want_len)
{
    uint8_t out[64];
    size_t len = 99;
    struct ov_error err = {0};

    cr_assert_eq(ov_base64_decode(text, strlen(text), out, &len, &err), OV_OK, "\"%s\": %s",
                 text, err.msg);
    cr_assert_eq(len, want_len, "\"%s\" decoded to %zu bytes", text, len);
    cr_assert(memcmp(out, want, len) == 0, "\"%s\" decoded wrongly", text);
}

Test(codec, base64_rfc4648_vectors_encode_and_decode)
{
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
        char enc[32];
        size_t n = strlen(plain[i]);
        cr_assert_eq(ov_base64_encoded_len(n), strlen(b64[i]));
        ov_base64_encode((const uint8_t *)plain[i], n, enc, 0);
        cr_assert_str_eq(enc, b64[i]);
        expect_b64(b64[i], (const uint8_t *)plain[i], n);
    }
}

Test(codec, base64_accepts_url_safe_missing_padding_and_whitespace)
{
    static const uint8_t bytes[] = { 0xfb, 0xff, 0xbf, 0xfe };
    char enc[16];

    ov_base64_encode(bytes, 3, enc, 0);
    cr_assert_str_eq(enc, "+/+/");
    ov_base64_encode(bytes, 3, enc, 1);
    cr_assert_str_eq(enc, "-_-_");
    expect_b64("+/+/", bytes, 3);
    expect_b64("-_-_", bytes, 3);
    expect_b64("+/+/_g", bytes, 4);
    expect_b64("+/+/_g==", bytes, 4);
    expect_b64("Zm9v\nYmFy\r\n", (const uint8_t *)"foobar", 6);
    expect_b64(" Zm9vYg ", (const uint8_t *)"foob", 4);
}

Test(codec, base64_reports_bad_characters_and_lengths)
{
    uint8_t out[16];
    size_t len;
    struct ov_error err = {0};

    cr_assert_eq(ov_base64_decode("Zm9*", 4, out, &len, &err), OV_ERR_INVALID);
    cr_assert_str_eq(err.msg, "invalid character '*' at position 4");
    cr_assert_eq(ov_base64_decode("Zm9vY", 5, out, &len, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "length") != NULL, "%s", err.msg);
    cr_assert_eq(ov_base64_decode("Zg==Zg==", 8, out, &len, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "position 5") != NULL, "%s", err.msg);
}

Test(codec, base64_round_trips_both_alphabets)
{
    uint8_t data[50], back[50];
    char text[80];

    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(255 - i * 7);
    for (int url = 0; url <= 1; url++) {
        for (size_t n = 0; n <= sizeof data; n++) {
            size_t len;
            ov_base64_encode(data, n, text, url);
            cr_assert_leq(n, ov_base64_decoded_max(strlen(text)));
            cr_assert_eq(ov_base64_decode(text, strlen(text), back, &len, NULL), OV_OK);
            cr_assert_eq(len, n);
            cr_assert(memcmp(back, data, n) == 0, "length %zu url %d", n, url);
        }
    }
}

Test(codec, hex_decodes_either_case_and_encodes_lower_case)
{
    static const uint8_t want[] = { 0xde, 0xad, 0xbe, 0xef, 0x01 };
    uint8_t out[8];
    char text[16];
    size_t len;

    cr_assert_eq(ov_hex_decode("DEADbeef01", 10, out, &len, NULL), OV_OK);
    cr_assert_eq(len, 5);
    cr_assert(memcmp(out, want, 5) == 0);
    ov_hex_encode(want, 5, text);
    cr_assert_str_eq(text, "deadbeef01");
    cr_assert_eq(ov_hex_decode("", 0, out, &len, NULL), OV_OK);
    cr_assert_eq(len, 0);
}

Test(codec, hex_reports_bad_characters_and_odd_length)
{
    uint8_t out[8];
    size_t len;
    struct ov_error err = {0};

    cr_assert_eq(ov_hex_decode("abcg", 4, out, &len, &err), OV_ERR_INVALID);
    cr_assert_str_eq(err.msg, "invalid character 'g' at position 4");
    cr_assert_eq(ov_hex_decode("ab cd", 5, out, &len, &err), OV_ERR_INVALID);
    cr_assert_str_eq(err.msg, "invalid character ' ' at position 3");
    cr_assert_eq(ov_hex_decode("abc", 3, out, &len, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "odd") != NULL, "%s", err.msg);
}

Test(codec, percent_decode_keeps_plus)
{
    char out[32];
    size_t len;

    cr_assert_eq(ov_percent_decode("a%20b+c%2Bd%3a", 14, out, &len, NULL), OV_OK);
    cr_assert_str_eq(out, "a b+c+d:");
    cr_assert_eq(len, 8);
    cr_assert_eq(ov_percent_decode("%C3%A4", 6, out, &len, NULL), OV_OK);
    cr_assert_str_eq(out, "\xc3\xa4");
    /* %00 decodes, and out_len tells the caller a NUL is inside. */
    cr_assert_eq(ov_percent_decode("x%00y", 5, out, &len, NULL), OV_OK);
    cr_assert_eq(len, 3);
    cr_assert_eq(out[1], '\0');
    /* Only text_len bytes are read. */
    cr_assert_eq(ov_percent_decode("ab%zz", 2, out, &len, NULL), OV_OK);
    cr_assert_str_eq(out, "ab");
}

Test(codec, percent_decode_reports_bad_escape_position)
{
    char out[32];
    size_t len;
    struct ov_error err = {0};

    cr_assert_eq(ov_percent_decode("ab%zz", 5, out, &len, &err), OV_ERR_INVALID);
    cr_assert_str_eq(err.msg, "invalid percent escape '%zz' at position 3");
    cr_assert_eq(ov_percent_decode("abc%4", 5, out, &len, &err), OV_ERR_INVALID);
    cr_assert_str_eq(err.msg, "invalid percent escape '%4' at position 4");
    cr_assert_eq(ov_percent_decode("100%", 4, out, &len, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "position 4") != NULL, "%s", err.msg);
}

Test(codec, percent_encode_keeps_unreserved_and_extra_safe)
{
    char *s = ov_percent_encode("ACME Co:john@example.com~_.-", "@");
    cr_assert_str_eq(s, "ACME%20Co%3Ajohn@example.com~_.-");
    free(s);
    s = ov_percent_encode("a+b&c=d/\xc3\xa4", NULL);
    cr_assert_str_eq(s, "a%2Bb%26c%3Dd%2F%C3%A4");
    free(s);
}

Test(codec, percent_encode_then_decode_round_trips)
{
    const char *text = "Air Canada: 100% +sure & /x?\xe2\x82\xac";
    char *enc = ov_percent_encode(text, "@");
    char out[128];
    size_t len;

    cr_assert_eq(ov_percent_decode(enc, strlen(enc), out, &len, NULL), OV_OK);
    cr_assert_str_eq(out, text);
    free(enc);
}
