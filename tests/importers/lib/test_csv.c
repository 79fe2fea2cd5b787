/* The RFC 4180 reader under the importers: quoting, line ends, damage. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "importers/lib/csv.h"

/* Reads every record of text; fields joined by '|' and records by '/'. */
static char *read_all(const char *text, size_t len, int *rc_out, struct ov_error *err)
{
    struct csv_reader r;
    struct csv_record rec;
    char *out = calloc(1, 4096);
    int rc;

    csv_init(&r, text, len);
    while ((rc = csv_next(&r, &rec, err)) == 1) {
        for (size_t i = 0; i < rec.nfields; i++) {
            strcat(out, rec.fields[i]);
            if (i + 1 < rec.nfields)
                strcat(out, "|");
        }
        strcat(out, "/");
        csv_record_free(&rec);
    }
    csv_record_free(&rec);
    *rc_out = rc;
    return out;
}

static void check(const char *text, const char *want)
{
    struct ov_error err = { 0 };
    int rc;
    char *got = read_all(text, strlen(text), &rc, &err);

    cr_assert_eq(rc, 0, "%s: %s", text, err.msg);
    cr_assert_str_eq(got, want, "input \"%s\"", text);
    free(got);
}

Test(csv, plain_fields_and_line_ends)
{
    check("a,b,c\n1,2,3\n", "a|b|c/1|2|3/");
    check("a,b\r\n1,2\r\n", "a|b/1|2/");
    check("a,b\r1,2", "a|b/1|2/");          /* lone CR, no final line end */
    check("a,,\n,,\n", "a||/||/");
    check("\xEF\xBB\xBF" "x,y\n", "x|y/");   /* BOM */
    check("", "");
    check("\n\n", "//");                    /* two blank records */
}

Test(csv, quoting)
{
    check("\"a,b\",c\n", "a,b|c/");
    check("\"say \"\"hi\"\"\",x\n", "say \"hi\"|x/");
    check("\"line1\nline2\",z\n", "line1\nline2|z/");
    check("\"crlf\r\ninside\",z\r\n", "crlf\r\ninside|z/");
    check("\"\",\"\"\n", "|/");
    check("ab\"c,d\n", "ab\"c|d/");         /* a quote inside an unquoted field is kept */
    check("\"ab\"cd,e\n", "abcd|e/");       /* text after a closing quote is appended */
}

Test(csv, record_lines_count_breaks_inside_quotes)
{
    const char *text = "h1,h2\n\"a\nb\nc\",x\nlast,y\n";
    struct csv_reader r;
    struct csv_record rec;
    struct ov_error err = { 0 };
    size_t lines[3], n = 0;

    csv_init(&r, text, strlen(text));
    while (csv_next(&r, &rec, &err) == 1) {
        lines[n++] = rec.line;
        csv_record_free(&rec);
    }
    csv_record_free(&rec);
    cr_assert_eq(n, 3);
    cr_assert_eq(lines[0], 1);
    cr_assert_eq(lines[1], 2);
    cr_assert_eq(lines[2], 5);
}

Test(csv, unterminated_quote_is_an_error_naming_its_line)
{
    struct ov_error err = { 0 };
    int rc;
    char *got = read_all("a,b\nc,\"open\nmore", 16, &rc, &err);

    cr_assert_eq(rc, OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "line 2") != NULL, "%s", err.msg);
    cr_assert(strstr(err.msg, "not closed") != NULL, "%s", err.msg);
    cr_assert_str_eq(got, "a|b/");
    free(got);
}

Test(csv, too_many_fields)
{
    size_t n = 10000;
    char *text = malloc(n + 1);
    struct ov_error err = { 0 };
    int rc;

    memset(text, ',', n);
    text[n] = '\0';
    free(read_all(text, n, &rc, &err));
    cr_assert_eq(rc, OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "more than") != NULL, "%s", err.msg);
    free(text);
}

Test(csv, every_prefix_of_a_quoted_file_is_read_or_refused)
{
    const char *text = "name,\"no,tes\",login_totp\r\n\"A \"\"B\"\"\",\"x\ny\",otpauth://x\r\n";
    size_t len = strlen(text);

    for (size_t cut = 0; cut <= len; cut++) {
        struct ov_error err = { 0 };
        char *copy = malloc(cut + 1);
        int rc;
        memcpy(copy, text, cut);
        free(read_all(copy, cut, &rc, &err));
        cr_assert(rc == 0 || (rc == OV_ERR_INVALID && err.msg[0] != '\0'), "cut %zu", cut);
        free(copy);
    }
}
