/* See csv.h. Each field is measured first and then copied into an allocation of its exact
 * size, so no partial copy of a secret is left behind by a growing buffer. */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "otpvault/mem.h"

/* A crafted line of commas must not turn into millions of allocations. */
#define FIELDS_MAX 4096

void csv_init(struct csv_reader *r, const void *data, size_t len)
{
    r->p = data;
    r->end = r->p + len;
    r->line = 1;
    if (len >= 3 && memcmp(r->p, "\xEF\xBB\xBF", 3) == 0)
        r->p += 3;
}

static int is_break(char c)
{
    return c == ',' || c == '\n' || c == '\r';
}

/* Finds where the field starting at p stops (at ',', a line end or the end of data), its
 * decoded length and the line breaks inside it. */
static int field_extent(const char *p, const char *end, const char **stop, size_t *len,
                        size_t *lines)
{
    size_t n = 0;

    *lines = 0;
    if (p < end && *p == '"') {
        for (p++;; p++) {
            if (p == end)
                return -1;
            if (*p == '"') {
                if (p + 1 < end && p[1] == '"') {
                    p++;
                } else {
                    p++;
                    break;
                }
            } else if (*p == '\n') {
                (*lines)++;
            }
            n++;
        }
    }
    while (p < end && !is_break(*p)) {
        p++;
        n++;
    }
    *stop = p;
    *len = n;
    return 0;
}

static void field_copy(const char *p, const char *stop, char *out)
{
    if (p < stop && *p == '"') {
        for (p++; p < stop; p++) {
            if (*p == '"') {
                if (p + 1 < stop && p[1] == '"') {
                    p++;
                } else {
                    p++;
                    break;
                }
            }
            *out++ = *p;
        }
    }
    while (p < stop)
        *out++ = *p++;
    *out = '\0';
}

static void push_field(struct csv_record *rec, const char *p, const char *stop, size_t len)
{
    rec->fields = ov_xrealloc(rec->fields, (rec->nfields + 1) * sizeof *rec->fields);
    rec->sizes = ov_xrealloc(rec->sizes, (rec->nfields + 1) * sizeof *rec->sizes);
    rec->fields[rec->nfields] = ov_xmalloc(len + 1);
    rec->sizes[rec->nfields] = len + 1;
    field_copy(p, stop, rec->fields[rec->nfields]);
    rec->nfields++;
}

int csv_next(struct csv_reader *r, struct csv_record *rec, struct ov_error *err)
{
    memset(rec, 0, sizeof *rec);
    rec->line = r->line;
    if (r->p >= r->end)
        return 0;
    for (;;) {
        const char *stop;
        size_t len, lines;

        if (field_extent(r->p, r->end, &stop, &len, &lines) != 0) {
            r->p = r->end;
            return ov_error_set(err, OV_ERR_INVALID, "line %zu: a quoted field is not closed "
                                "(truncated file?)", r->line);
        }
        if (rec->nfields == FIELDS_MAX) {
            r->p = r->end;
            return ov_error_set(err, OV_ERR_INVALID, "line %zu: more than %d fields",
                                rec->line, FIELDS_MAX);
        }
        push_field(rec, r->p, stop, len);
        r->line += lines;
        r->p = stop;
        if (r->p == r->end)
            return 1;
        if (*r->p == ',') {
            r->p++;
            continue;
        }
        /* A line end: LF, CRLF, or a lone CR from old Mac tools. */
        if (*r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n')
            r->p++;
        r->p++;
        r->line++;
        return 1;
    }
}

void csv_record_free(struct csv_record *rec)
{
    for (size_t i = 0; i < rec->nfields; i++) {
        ov_wipe(rec->fields[i], rec->sizes[i]);
        free(rec->fields[i]);
    }
    free(rec->fields);
    free(rec->sizes);
    memset(rec, 0, sizeof *rec);
}

int csv_record_blank(const struct csv_record *rec)
{
    return rec->nfields == 1 && rec->fields[0][0] == '\0';
}
