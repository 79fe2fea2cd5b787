/* A QR code as rows of text for a terminal: two modules per character cell vertically with
 * the half blocks ▀ ▄ █ and space, a 4-module quiet zone on every side. A character's
 * "ink" is a dark module: the TUI draws these rows black on white whatever the terminal's
 * theme, which is what phone scanners expect. */
#ifndef OTPVAULT_QRDRAW_H
#define OTPVAULT_QRDRAW_H

#include <stdbool.h>
#include <stddef.h>
#include "otpvault/error.h"

#define OV_QR_QUIET 4

struct ov_qrdraw {
    int modules;      /* modules per side of the symbol, without the quiet zone */
    int cols, rows;   /* character cells the drawing needs */
    char **lines;     /* rows lines of UTF-8 text (secure memory: a QR of an otpauth URI
                         holds the secret) */
    size_t line_size; /* bytes allocated per line */
};

/* Encodes text (error correction level L, modes mixed for the smallest symbol) and draws it. OV_ERR_LIMIT when it is too long
 * for a QR code. */
int ov_qrdraw_text(const char *text, struct ov_qrdraw *out, struct ov_error *err);
/* Draws a module matrix (1 = dark), side x side, row-major: the part tests can check. */
void ov_qrdraw_matrix(const unsigned char *dark, int side, struct ov_qrdraw *out);
/* Whether the drawing fits a terminal of cols x rows cells, leaving reserve_rows free. */
bool ov_qrdraw_fits(const struct ov_qrdraw *q, int cols, int rows, int reserve_rows);
void ov_qrdraw_free(struct ov_qrdraw *q);

#endif
