/* Pluggable importers (design.md section 2): one file per format under importers/, one line
 * in src/core/import_registry.c. */
#ifndef OTPVAULT_IMPORTER_H
#define OTPVAULT_IMPORTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "otpvault/account.h"
#include "otpvault/error.h"

/* An input file held in memory. */
struct ov_blob {
    const uint8_t *data;
    size_t len;
    const char *name;   /* file name or "-" for stdin, used in messages */
};

/* A problem with one entry that did not stop the rest. */
struct ov_import_issue {
    size_t position;    /* 1-based entry or line number; 0 for the input as a whole */
    /* Not a failure: a note on an entry that was read, or on one skipped on purpose because
     * the source app cannot export it completely. Not counted as failed. */
    bool warning;
    char message[256];
};

/* Accounts that came from one part of a multi-QR Google Authenticator export: the import
 * pipeline groups parts by batch id and index across all inputs (never by scan order) and
 * checks that the batch is complete. */
struct ov_import_batch_mark {
    size_t first, count;        /* the accounts out->items[first .. first + count) */
    size_t position;            /* line or QR number in the input, for messages */
    int32_t batch_id;
    int32_t batch_index;        /* 0-based */
    int32_t batch_size;         /* 0 or 1: a single QR */
};

struct ov_import_opts {
    const char *password;       /* export password, NULL if none given */
    size_t password_len;
    /* Filled by the importer: per-entry problems (skipped entries) and notes. */
    struct ov_import_issue *issues;
    size_t nissues;
    /* Filled by importers that read migration payloads. */
    struct ov_import_batch_mark *marks;
    size_t nmarks;
};

/* The sniff score of the URI-list importer for text it cannot place: such text is read line
 * by line (to say what each line holds) only when no other importer claims it. */
#define OV_SNIFF_FALLBACK 1

struct ov_importer {
    const char *name;        /* "otpauth", "aegis", "gauth-qr", ... (used by --format) */
    const char *label;       /* "Aegis Authenticator (plain or encrypted JSON)" */
    int (*sniff)(const struct ov_blob *in);   /* 0..100 confidence */
    int (*load)(const struct ov_blob *in, struct ov_import_opts *opts,
                struct ov_account_list *out, struct ov_error *err);
    bool needs_password;     /* may ask for the export's password */
    /* For formats with plain and encrypted variants: whether this input is encrypted (so the
     * CLI asks for a password only then). NULL means "whenever needs_password". Without a
     * password, load must fail with OV_ERR_AUTH saying a password is needed; with a wrong
     * one, OV_ERR_AUTH "wrong password or damaged file", distinct from format errors. */
    bool (*is_encrypted)(const struct ov_blob *in);
};

/* The table of formats, terminated by an entry with name == NULL. */
extern const struct ov_importer *const ov_importers[];

const struct ov_importer *ov_importer_find(const char *name);
/* The importer that recognises the content best, or NULL (confidence 0 everywhere). */
const struct ov_importer *ov_importer_detect(const struct ov_blob *in);

/* Records a per-entry problem in opts (kept even when opts->issues is full: last wins). */
void ov_import_issue_add(struct ov_import_opts *opts, size_t position, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Records a warning, not counted as failed: the entry was read but deserves a note, or it
 * was skipped on purpose (a kind of entry the source app cannot export completely). */
void ov_import_warning_add(struct ov_import_opts *opts, size_t position, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ov_import_mark_add(struct ov_import_opts *opts, const struct ov_import_batch_mark *mark);
/* Frees the issues and marks (not the password, which the caller owns). */
void ov_import_opts_free(struct ov_import_opts *opts);

#endif
