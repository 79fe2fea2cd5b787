/* A QR code as rows of text for a terminal: two modules per character cell vertically with
 * the half blocks ▀ ▄ █ and space, a 4-module quiet zone on every side. A character's
 * "ink" is a dark module: the TUI draws these rows black on white whatever the terminal's
 * theme, which is what phone scanners expect. */
#ifndef OTPVAULT_QRDRAW_H
#define OTPVAULT_QRDRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
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
/* --- error correction chosen to fit ----------------------------------------------- */

enum ov_qr_ecc { OV_QR_ECC_L = 0, OV_QR_ECC_M, OV_QR_ECC_Q, OV_QR_ECC_H };

struct ov_qr_matrix {
    int side;                 /* modules per side, without the quiet zone */
    unsigned char *dark;      /* side * side, row-major, 1 = dark (secure memory) */
    enum ov_qr_ecc ecc;
};

/* Encodes text (8-bit mode) at the highest error-correction level whose symbol is at most
 * max_side modules wide; L, the smallest symbol, when none is (or max_side <= 0): big
 * payloads such as a 10-account transfer code get L, a short otpauth:// URI gets H.
 * OV_ERR_LIMIT when the text does not fit a QR code at all. */
int ov_qr_encode(const char *text, int max_side, struct ov_qr_matrix *out,
                 struct ov_error *err);
void ov_qr_matrix_free(struct ov_qr_matrix *m);

/* ov_qrdraw_text for a terminal of cols x rows cells with reserve_rows kept free: the
 * highest error-correction level that still fits; L when none does (then ov_qrdraw_fits
 * says no, and q->cols x q->rows + reserve_rows is the size needed). *ecc may be NULL. */
int ov_qrdraw_text_fit(const char *text, int cols, int rows, int reserve_rows,
                       struct ov_qrdraw *out, enum ov_qr_ecc *ecc, struct ov_error *err);

/* A PNG picture of the code for printing or another machine: 1-bit grey, scale pixels per
 * module, the 4-module quiet zone, error correction as ov_qr_encode with symbols up to
 * OV_QR_PNG_MAX_SIDE. *png is secure memory (the picture holds the secret): free with
 * ov_secure_free(*png, *len). */
#define OV_QR_PNG_MAX_SIDE 97   /* version 20: past it, L keeps the modules large */
int ov_qr_png(const char *text, int scale, uint8_t **png, size_t *len, struct ov_error *err);

/* Whether the drawing fits a terminal of cols x rows cells, leaving reserve_rows free. */
bool ov_qrdraw_fits(const struct ov_qrdraw *q, int cols, int rows, int reserve_rows);
void ov_qrdraw_free(struct ov_qrdraw *q);

#endif
