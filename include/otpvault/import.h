/* The import pipeline: inputs (files, stdin) -> importer per input -> accounts, with
 * Google Authenticator batches grouped across inputs by batch id and index, incomplete
 * batches held back, duplicates (against the vault and among the inputs) skipped, and every
 * problem reported with the input's name. The caller decides what to save. */
#ifndef OTPVAULT_IMPORT_H
#define OTPVAULT_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "otpvault/account.h"
#include "otpvault/error.h"
#include "otpvault/importer.h"

#define OV_IMPORT_MAX_INPUT (256u * 1024u * 1024u) /* bytes; a 100 MP PNG stays under it */

struct ov_import_options {
    const char *format;          /* an importer name (--format), NULL to detect by content */
    const char *password;        /* export password (secure memory, caller's), or NULL */
    size_t password_len;
    bool allow_partial;          /* import the QR codes of an incomplete batch that were read */
    /* How the face asks for that, for the message about an incomplete batch: "p" in the app;
     * NULL: "--allow-partial". */
    const char *allow_partial_how;
    /* The importer of each input, from ov_import_pick (which the caller needed first, to know
     * whether to ask for a password), so that no input is sniffed twice; NULL: picked here. */
    const struct ov_importer *const *picked;
};

enum ov_import_note_kind {
    OV_NOTE_INFO = 0,            /* e.g. a QR code seen twice */
    OV_NOTE_PRESENT,             /* an account already in the vault or among the inputs */
    OV_NOTE_ENTRY_FAILED,        /* one entry could not be read; the rest were */
    OV_NOTE_INPUT_FAILED,        /* a whole input could not be read */
};

struct ov_import_note {
    enum ov_import_note_kind kind;
    char text[OV_ERROR_MSG_MAX]; /* starts with the input's name */
};

struct ov_import_report {
    struct ov_account_list accounts; /* new accounts: input order, batches in index order */
    size_t present;                  /* skipped: already in the vault */
    size_t duplicates;               /* skipped: the same account twice among the inputs */
    size_t entries_failed;           /* entries that could not be read */
    size_t inputs_failed;            /* inputs that could not be read at all */
    struct ov_import_note *notes;
    size_t nnotes;
};

/* Reads every input. existing (may be NULL) is what the vault holds, for duplicates.
 * Returns OV_OK when every input was read (single entries may have failed: see the notes);
 * otherwise the status of the first input that failed (OV_ERR_INVALID, OV_ERR_AUTH for a
 * wrong export password, ...), with the report still complete for the other inputs. */
int ov_import_run(const struct ov_blob *inputs, size_t ninputs,
                  const struct ov_import_options *opts, const struct ov_account_list *existing,
                  struct ov_import_report *report);

void ov_import_report_free(struct ov_import_report *report);

/* Adds an import to the vault's list: moves the report's accounts whose skip flag is unset
 * (skip may be NULL: all of them) to the end of into, in report order, stamping created
 * with now where it is unknown; their slots in the report are left empty. With
 * recheck_present (the vault was reloaded since the import was read: another writer may
 * have added some of them), one into holds already is left in the report, counted in
 * report->present and flagged in skip. Returns how many were moved. */
size_t ov_import_commit(struct ov_import_report *report, bool *skip, bool recheck_present,
                        struct ov_account_list *into, int64_t now);
/* Undoes ov_import_commit after a failed save: the accounts from index mark of into on
 * (mark = into->len before the commit) go back to their slots in the report. skip is the
 * one the commit was given, which must not be NULL if recheck_present found any. */
void ov_import_uncommit(struct ov_import_report *report, const bool *skip,
                        struct ov_account_list *into, size_t mark);

/* The importer that would read in (the --format one, or detected by running every sniffer);
 * NULL if none. */
const struct ov_importer *ov_import_pick(const struct ov_blob *in, const char *format);
/* Whether imp (may be NULL) reading in takes an export password: it may ask for one and,
 * for formats with plain and encrypted variants, this input is the encrypted kind. */
bool ov_import_wants_password(const struct ov_importer *imp, const struct ov_blob *in);

#endif
