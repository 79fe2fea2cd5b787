/* tools/ansi_svg.c: a terminal capture with colours (UTF-8 and SGR) as an SVG picture. */
#ifndef OTPVAULT_TOOLS_ANSI_SVG_H
#define OTPVAULT_TOOLS_ANSI_SVG_H

#include <stddef.h>
#include <stdio.h>

/* Draws the len bytes at in on a grid of at least cols x rows cells (0: as the text needs)
 * and writes the SVG to out, titled title. Character widths come from wcwidth, so the
 * caller sets a UTF-8 locale. Returns 0, or -1 when out could not be written. */
int ansi_to_svg(const char *in, size_t len, int cols, int rows, const char *title, FILE *out);

#endif
