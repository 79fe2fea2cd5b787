/* A small RFC 4180 CSV reader for export files: comma-separated fields, quoted fields with
 * doubled quotes, commas and line breaks inside, CRLF or LF line ends, an optional UTF-8 BOM.
 * Lenient where spreadsheets are (a quote inside an unquoted field is kept as it is, text
 * after a closing quote is appended); an unterminated quoted field is an error, since it
 * would swallow the rest of the file. Fields can hold passwords and keys: they are wiped
 * when the record is freed. */
#ifndef IMPORTERS_CSV_H
#define IMPORTERS_CSV_H

#include <stddef.h>
#include "otpvault/error.h"

struct csv_reader {
    const char *p, *end;
    size_t line;            /* 1-based line the next record starts on */
};

struct csv_record {
    char **fields;          /* NUL-terminated; a NUL inside a field cuts it short */
    size_t *sizes;          /* allocation size of each field, for wiping */
    size_t nfields;
    size_t line;            /* line the record starts on */
};

void csv_init(struct csv_reader *r, const void *data, size_t len);
/* Reads the next record into rec (freed by the caller with csv_record_free, also after an
 * error). Returns 1 for a record, 0 at the end of the data, or OV_ERR_INVALID naming the
 * line where the problem starts. */
int csv_next(struct csv_reader *r, struct csv_record *rec, struct ov_error *err);
void csv_record_free(struct csv_record *rec);
/* Whether the record is one empty field: a blank line. */
int csv_record_blank(const struct csv_record *rec);

#endif
