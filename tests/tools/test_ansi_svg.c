/* tools/ansi_svg.c, the converter behind the README's picture: colours and attributes from
 * SGR, cells on a fixed grid (wide characters take two), text escaped for XML, and every
 * other escape or control character kept out of the picture. Each SVG is parsed back with
 * libxml2, so a malformed picture fails here, not in a browser. */
#include <criterion/criterion.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/ansi_svg.h"

static char *svg_of(const char *in, int cols, int rows)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);

    cr_assert_not_null(out);
    cr_assert_eq(ansi_to_svg(in, strlen(in), cols, rows, "t<&>", out), 0);
    fclose(out);
    return buf;
}

/* The attribute attr of the first <text> whose content is exactly text ("" when none). */
static char *text_attr(const char *svg, const char *text, const char *attr)
{
    xmlDocPtr doc = xmlReadMemory(svg, (int)strlen(svg), "shot.svg", NULL, XML_PARSE_NONET);
    char *found = NULL;

    cr_assert_not_null(doc, "not well-formed XML:\n%s", svg);
    for (xmlNodePtr n = xmlDocGetRootElement(doc)->children; n != NULL && found == NULL; n = n->next) {
        xmlChar *content;
        if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "text") != 0)
            continue;
        content = xmlNodeGetContent(n);
        if (strcmp((const char *)content, text) == 0) {
            xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
            found = strdup(v != NULL ? (const char *)v : "");
            xmlFree(v);
        }
        xmlFree(content);
    }
    xmlFreeDoc(doc);
    return found != NULL ? found : strdup("");
}

static void utf8_locale(void)
{
    cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"));
}

TestSuite(ansi_svg, .init = utf8_locale);

Test(ansi_svg, colours_and_attributes_come_from_sgr)
{
    char *svg = svg_of("\x1b[1m\x1b[36mtitle\x1b[0m plain \x1b[31;2mdim\x1b[38;5;196mpal"
                       "\x1b[38;2;1;2;3mrgb\x1b[0m\n", 0, 0);
    char *fill = text_attr(svg, "title", "fill"), *weight = text_attr(svg, "title", "font-weight");

    /* Bold cyan is drawn in the bright cyan, as terminals do. */
    cr_expect_str_eq(fill, "#29b8db");
    cr_expect_str_eq(weight, "bold");
    free(fill);
    fill = text_attr(svg, "dim", "fill-opacity");
    cr_expect_str_eq(fill, "0.6");
    free(fill);
    fill = text_attr(svg, "pal", "fill");
    cr_expect_str_eq(fill, "#ff0000");   /* 196 in the 6x6x6 cube */
    free(fill);
    fill = text_attr(svg, "rgb", "fill");
    cr_expect_str_eq(fill, "#010203");
    free(fill);
    free(weight);
    free(svg);
}

Test(ansi_svg, reverse_video_paints_the_background)
{
    char *svg = svg_of("ab\x1b[7mselected\x1b[27m\n", 0, 0);
    char *fill = text_attr(svg, "selected", "fill");

    cr_expect_str_eq(fill, "#1c1c1c");   /* the default background, as text colour */
    cr_expect_not_null(strstr(svg, "<rect x=\"16.8\" y=\"0\" width=\"67.2\" height=\"17\" "
                                   "fill=\"#d0d0d0\"/>"), "%s", svg);
    free(fill);
    free(svg);
}

Test(ansi_svg, cells_stay_on_the_grid_after_wide_characters)
{
    char *svg = svg_of("\xe6\x97\xa5\xe6\x9c\xac\x1b[1mx\n\nrow3\n", 0, 0);
    char *x = text_attr(svg, "x", "x"), *y = text_attr(svg, "row3", "y");

    cr_expect_str_eq(x, "33.6");         /* two wide characters: column 4 */
    cr_expect_str_eq(y, "48");           /* the blank line is a row */
    free(x);
    free(y);
    free(svg);
}

Test(ansi_svg, the_pane_size_sets_the_picture_size)
{
    char *svg = svg_of("short\n", 80, 24);

    cr_expect_not_null(strstr(svg, "width=\"672\" height=\"408\""), "%s", svg);
    free(svg);
}

Test(ansi_svg, markup_controls_and_other_escapes_stay_out)
{
    char *svg = svg_of("<b>&amp;\"\x07\x01\x7f\x1b[2J\x1b(B\x1b[?25l\x1b]52;c;Zm9v\x07" "end"
                       "\xc2\x9b" "31m\xff!\n", 0, 0);
    char *t = text_attr(svg, "<b>&amp;\"end31m?!", "x");

    /* The text is exact (as XML content), the controls, the C1 CSI and the non-SGR
     * sequences are gone, the invalid byte is a '?'. */
    cr_expect_str_eq(t, "0.0", "%s", svg);
    cr_expect_null(strstr(svg, "\x07"));
    cr_expect_null(strstr(svg, "\x1b"));
    cr_expect_not_null(strstr(svg, "<title>t&lt;&amp;&gt;</title>"));
    free(t);
    free(svg);
}
