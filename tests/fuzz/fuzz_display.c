/* libFuzzer target: the display form (display.h) and JSON escaping. For any bytes:
 *   - the display form holds no control byte (C0, DEL) and is valid UTF-8 holding no
 *     character the display form escapes (it is its own display form);
 *   - it is a pure function: the same input gives the same output, malloc'd or into a
 *     fixed buffer (which holds a prefix of whole units), and widths agree with it;
 *   - a JSON string of valid input, made safe, parses back to the exact input. */
#include <jansson.h>
#include <locale.h>

#include "fuzz.h"
#include "otpvault/display.h"
#include "otpvault/mem.h"
#include "otpvault/textwidth.h"

static void fuzz_seeds(void)
{
    static const char *const seeds[] = {
        "\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07",
        "\x1b[2J\r\x7f\x07",
        ("\xc2\x9b" "2J \x9b" "2J"),
        ("Bidi\xe2\x80\xae" "moc.elgoog \xe2\x81\xa6x\xe2\x81\xa9"),
        "\xe6\x97\xa5\xe6\x9c\xac e\xcc\x81 \xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb",
        "\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80\xff",
        "\xf3\xa0\x81\x81\xef\xbb\xbf\xe2\x80\x8b\xef\xbf\xbf",
    };
    char name[32];
    for (size_t i = 0; i < sizeof seeds / sizeof *seeds; i++) {
        snprintf(name, sizeof name, "gen-%02zu", i);
        fuzz_seed_str(name, seeds[i]);
    }
}

static void check_shown(const char *shown)
{
    size_t len = strlen(shown);

    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)shown[i];
        if (b < 0x20 || b == 0x7f) {
            fprintf(stderr, "control byte 0x%02x in the display form\n", b);
            abort();
        }
    }
    /* Valid UTF-8 with nothing left to escape. */
    for (const char *p = shown; len > 0;) {
        struct ov_display_unit u;
        ov_display_next(p, len, &u);
        if (!u.valid || u.unsafe) {
            fprintf(stderr, "the display form is not its own display form\n");
            abort();
        }
        p += u.len;
        len -= u.len;
    }
}

static void check_json(const char *s)
{
    json_t *str = json_string(s), *back;
    char *raw, *safe;

    if (str == NULL)
        return; /* not valid UTF-8: JSON output never holds it */
    raw = json_dumps(str, JSON_ENCODE_ANY);
    safe = ov_json_safe(raw);
    if (!ov_display_is_plain(safe)) {
        fprintf(stderr, "JSON made safe still holds something to escape\n");
        abort();
    }
    back = json_loads(safe, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (back == NULL || strcmp(json_string_value(back), s) != 0) {
        fprintf(stderr, "JSON made safe does not give the data back\n");
        abort();
    }
    json_decref(back);
    ov_secure_free_str(safe);
    free(raw);
    json_decref(str);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s, *a, *b, fixed[64], fit[64];
    size_t n;

    if (size > 4096)
        return 0;
    setlocale(LC_ALL, "C.UTF-8");
    s = fuzz_cstr(data, size);
    a = ov_display_dup(s);
    b = ov_display_dup(s);
    check_shown(a);
    if (strcmp(a, b) != 0) {
        fprintf(stderr, "the display form is not a pure function\n");
        abort();
    }
    ov_display_into(s, fixed, sizeof fixed);
    n = strlen(fixed);
    if (strncmp(fixed, a, n) != 0) {
        fprintf(stderr, "the fixed-buffer form is not a prefix of the display form\n");
        abort();
    }
    check_shown(fixed);
    if (ov_display_is_plain(s) != (strcmp(s, a) == 0)) {
        fprintf(stderr, "ov_display_is_plain disagrees with the display form\n");
        abort();
    }
    if (ov_text_width(s) != ov_text_width(a)) {
        fprintf(stderr, "the width is not that of the display form\n");
        abort();
    }
    ov_text_fit(s, 20, fit, sizeof fit);
    check_shown(fit);
    check_json(s);
    free(b);
    free(a);
    free(s);
    return 0;
}
