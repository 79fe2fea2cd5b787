/* Java serialization streams of string maps (importers/lib/java_string_map), as FreeOTP
 * 2.x backups hold them. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importers/lib/java_string_map.h"
#include "otpvault/crypto.h"
#include "tests/lib/java_stream.h"
#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(java_string_map, .init = setup, .timeout = 120);

static int read_map(const struct jw *w, struct ov_jmap *m, struct ov_error *err)
{
    memset(err, 0, sizeof *err);
    return ov_jmap_read(w->buf, w->len, m, err);
}

static void expect_stream_error(const struct jw *w, int code, const char *needle)
{
    struct ov_jmap m;
    struct ov_error err;

    cr_assert_eq(read_map(w, &m, &err), code, "%s", err.msg);
    cr_assert(strstr(err.msg, needle) != NULL, "%s", err.msg);
    cr_assert_eq(m.len, 0);
}

Test(java_string_map, java_strings_references_and_long_strings)
{
    struct jw w;
    struct ov_jmap m;
    struct ov_error err;

    jw_header(&w, "java.util.HashMap", 1, 3);
    /* "k\U0001F600" in modified UTF-8 (a surrogate pair), and a NUL-free 2-byte form. */
    jw_string(&w, "k\xED\xA0\xBD\xED\xB8\x80");
    jw_string(&w, "caf\xC3\xA9");
    jw_put_be(&w, 0x7C, 1); /* TC_LONGSTRING */
    jw_put_be(&w, 2, 8);
    jw_put(&w, "lk", 2);
    jw_put_be(&w, 0x71, 1); /* TC_REFERENCE to the second string (handles 0, 1: class, map) */
    jw_put_be(&w, 0x7E0003, 4);
    jw_string(&w, "k3");
    jw_string(&w, "");
    jw_end(&w);
    cr_assert_eq(read_map(&w, &m, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(m.len, 3);
    cr_assert_str_eq(m.items[0].key, "k\xF0\x9F\x98\x80");
    cr_assert_str_eq(m.items[0].value, "caf\xC3\xA9");
    cr_assert_str_eq(m.items[1].key, "lk");
    cr_assert_str_eq(m.items[1].value, "caf\xC3\xA9");
    cr_assert_str_eq(ov_jmap_get(&m, "k3")->value, "");
    cr_assert_null(ov_jmap_get(&m, "nope"));
    ov_jmap_free(&m);

    /* API 34 writes a second field (threshold). */
    jw_header(&w, "java.util.HashMap", 1, 1);
    jw_string(&w, "a");
    jw_string(&w, "b");
    jw_end(&w);
    cr_assert_eq(read_map(&w, &m, &err), OV_OK, "%s", err.msg);
    ov_jmap_free(&m);
    jw_header(&w, "java.util.HashMap", 0, 1);
    jw_string(&w, "a");
    jw_string(&w, "b");
    jw_end(&w);
    cr_assert_eq(read_map(&w, &m, &err), OV_OK, "%s", err.msg);
    ov_jmap_free(&m);
}

Test(java_string_map, java_streams_refused)
{
    struct jw w;

    jw_header(&w, "java.util.TreeMap", 1, 0);
    jw_end(&w);
    expect_stream_error(&w, OV_ERR_UNSUPPORTED, "java.util.TreeMap");

    jw_header(&w, "java.util.HashMap", 1, 1);
    jw_string(&w, "a");
    jw_put_be(&w, 0x70, 1); /* TC_NULL value */
    jw_end(&w);
    jw_string(&w, "padding"); /* so the entry count is plausible */
    expect_stream_error(&w, OV_ERR_UNSUPPORTED, "null");

    jw_header(&w, "java.util.HashMap", 1, 1);
    jw_string(&w, "a");
    jw_put_be(&w, 0x73, 1); /* another object */
    jw_string(&w, "padding");
    expect_stream_error(&w, OV_ERR_UNSUPPORTED, "where a string was expected");

    jw_header(&w, "java.util.HashMap", 1, 1);
    jw_string(&w, "a");
    jw_put_be(&w, 0x71, 1);
    jw_put_be(&w, 0x7E0001, 4); /* the map itself, not a string */
    jw_end(&w);
    expect_stream_error(&w, OV_ERR_INVALID, "not an earlier string");

    jw_header(&w, "java.util.HashMap", 1, 1);
    jw_string(&w, "a");
    jw_string(&w, "\xED\xA0\xBD"); /* a lone high surrogate */
    jw_end(&w);
    expect_stream_error(&w, OV_ERR_INVALID, "unpaired high surrogate");

    jw_header(&w, "java.util.HashMap", 1, 1);
    jw_string(&w, "a");
    jw_string(&w, "x\xC0\x80y"); /* Java's NUL */
    jw_end(&w);
    expect_stream_error(&w, OV_ERR_INVALID, "NUL");

    jw_header(&w, "java.util.HashMap", 1, 1);
    jw_string(&w, "a");
    jw_string(&w, "\xF0\x9F\x98\x80"); /* 4-byte UTF-8 is not modified UTF-8 */
    jw_end(&w);
    expect_stream_error(&w, OV_ERR_INVALID, "invalid modified UTF-8");

    jw_header(&w, "java.util.HashMap", 1, 0x7FFFFFFF);
    jw_end(&w);
    expect_stream_error(&w, OV_ERR_INVALID, "claims 2147483647 entries");

    jw_header(&w, "java.util.HashMap", 1, 0);
    jw_end(&w);
    jw_put_be(&w, 0x78, 1);
    expect_stream_error(&w, OV_ERR_INVALID, "unexpected bytes after");

    jw_header(&w, "java.util.HashMap", 1, 1);
    jw_put_be(&w, 0x7C, 1);
    jw_put_be(&w, 0xFFFFFFFFFFFFFFFFull, 8);
    expect_stream_error(&w, OV_ERR_INVALID, "runs past the end");

    w.len = 0;
    jw_put(&w, "\xAC\xED\x00\x05\x73\x72\x00\x11java.util.HashMap", 25);
    jw_put_be(&w, 0x0507DAC1C31660D1ull, 8);
    jw_put(&w, "\x03\x00\x01L\x00\x01x", 7); /* an object field */
    expect_stream_error(&w, OV_ERR_UNSUPPORTED, "field of type 'L'");

    w.len = 0;
    jw_put(&w, "\xAC\xED\x00\x05\x73\x72\x00\x11java.util.HashMap", 25);
    jw_put_be(&w, 1, 8); /* another serialVersionUID */
    jw_put(&w, "\x03\x00\x00\x78\x70", 5);
    expect_stream_error(&w, OV_ERR_UNSUPPORTED, "class version");

    w.len = 0;
    jw_put(&w, "PK\x03\x04", 4);
    expect_stream_error(&w, OV_ERR_INVALID, "AC ED 00 05");
}
