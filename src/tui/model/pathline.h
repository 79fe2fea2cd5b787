/* A line of file paths as typed at the app's import prompt: words separated by spaces, with
 * the quoting a shell user expects for names with spaces ('single', "double", backslash),
 * a leading ~ or ~user for a home directory, and Tab completion of file names. No globs and
 * no variables: a path is exactly what was typed. Curses-free, so it is tested alone. */
#ifndef OTPVAULT_PATHLINE_H
#define OTPVAULT_PATHLINE_H

#include <stddef.h>
#include "otpvault/error.h"

struct ov_pathline {
    char **paths;   /* to open: quotes removed, ~ expanded */
    char **words;   /* for messages: quotes removed, ~ as typed */
    size_t n;
};

/* Splits line into paths. home is what ~ stands for (NULL: the user database's entry).
 * OV_ERR_INVALID when a quote is left open (the message says which). An empty line gives
 * n == 0. */
int ov_pathline_split(const char *line, const char *home, struct ov_pathline *out,
                      struct ov_error *err);
void ov_pathline_free(struct ov_pathline *p);

#define OV_COMPLETE_SHOWN 32   /* at most this many candidates are listed */

struct ov_path_completion {
    char *insert;       /* to insert at the cursor, quoted to fit the line ("" for nothing) */
    char **shown;       /* when several names fit: the first OV_COMPLETE_SHOWN, sorted, with
                           '/' after directories */
    size_t nshown;
    size_t nmatches;    /* how many names fit in all */
};

/* Completes the path that ends at byte offset cursor of line: the longest prefix every
 * matching name shares; a single match is finished with '/' (a directory) or a closing
 * quote and a space. Dot files are offered only for a word that starts with a dot.
 * Returns OV_OK (nmatches 0 when nothing fits or the directory cannot be read). */
int ov_pathline_complete(const char *line, size_t cursor, const char *home,
                         struct ov_path_completion *out);
void ov_path_completion_free(struct ov_path_completion *c);

#endif
