/* Exporters: the vault's accounts in other apps' formats, so that accounts can move out
 * (formats.md 1, 2.1, 4, 19, 20; design.md 4 for our own JSON). One table, like the importers;
 * every format re-imports through our own importers to the same accounts.
 *
 * An exporter never prints: it fills a buffer (secure memory: plain exports hold secrets)
 * and lists the accounts it had to leave out, each with the reason. */
#ifndef OTPVAULT_EXPORT_H
#define OTPVAULT_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "otpvault/account.h"
#include "otpvault/error.h"

struct ov_export_opts {
    const char *password;      /* aegis-encrypted: the export password (caller's memory) */
    size_t password_len;
    int64_t now;               /* timestamps written into the file; 0: the clock */
};

/* An account the format cannot carry, left out. */
struct ov_export_skip {
    size_t index;              /* into the exported list */
    char reason[256];          /* "Steam: gamer: Steam accounts cannot be moved to ..." */
};

struct ov_export_out {
    uint8_t *data;             /* secure memory */
    size_t len, cap;
    size_t count;              /* accounts written */
    struct ov_export_skip *skipped;
    size_t nskipped;
    /* What the written accounts lose because the format has no room for it: "the otpauth
     * format has no room for groups or notes: 2 accounts lose their group, 1 its note".
     * Empty when nothing is lost. */
    char lost[256];
};

/* What a format keeps beside the OTP parameters (struct ov_exporter.keeps). */
enum { OV_EXPORT_KEEPS_GROUP = 1 << 0, OV_EXPORT_KEEPS_NOTE = 1 << 1 };

struct ov_exporter {
    const char *name;          /* --format NAME */
    const char *label;
    bool needs_password;       /* asks for an export password */
    bool encrypted;            /* the output reveals no secret without that password */
    unsigned keeps;            /* OV_EXPORT_KEEPS_*: what else the format carries */
    int (*write)(const struct ov_account_list *in, const struct ov_export_opts *opts,
                 struct ov_export_out *out, struct ov_error *err);
};

/* The table, terminated by NULL. */
extern const struct ov_exporter *const ov_exporters[];
const struct ov_exporter *ov_exporter_find(const char *name);

/* Runs an exporter into a fresh *out (free with ov_export_out_free, also after errors).
 * OV_ERR_INVALID when no account at all could be exported. */
int ov_export_run(const struct ov_exporter *e, const struct ov_account_list *in,
                  const struct ov_export_opts *opts, struct ov_export_out *out,
                  struct ov_error *err);
void ov_export_out_free(struct ov_export_out *out);

/* Writes data to path, 0600, atomically: never a partial file (full disk, unwritable or
 * missing directory: the error names it and nothing is left behind). An existing path is
 * OV_ERR_EXISTS unless force, which replaces it atomically. */
int ov_export_write_file(const char *path, const void *data, size_t len, bool force,
                         struct ov_error *err);

/* --- for the exporters (exporters/FORMAT.c) --------------------------------------- */

void ov_export_append_str(struct ov_export_out *out, const char *s);
struct json_t;
/* Dumps doc (which it frees) with indent spaces and keys in order, and appends it with the
 * characters the display form escapes written as \uXXXX (display.h: ov_json_safe: the same
 * data, safe to print), then a newline. OV_ERR_NOMEM "cannot write the <what>". */
int ov_export_append_json_doc(struct ov_export_out *out, struct json_t *doc, int indent,
                              const char *what, struct ov_error *err);
/* For formats that keep groups apart from the entries (Aegis, 2FAS): the object named name
 * in the JSON array groups, or a new one appended, with a fresh UUID at id_key; *created
 * says which. */
struct json_t *ov_export_json_group(struct json_t *groups, const char *name,
                                    const char *id_key, bool *created);
/* Records a skipped account; the reason is prefixed with a's label (a NULL: the message
 * names the account already). */
void ov_export_skip(struct ov_export_out *out, size_t index, const struct ov_account *a,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A random UUID version 4, lower case, into out (37 bytes). */
void ov_uuid4(char out[37]);

/* jansson, with every allocation in secure memory (its strings hold secrets). Idempotent;
 * call before creating any JSON value that will hold a secret. */
void ov_json_use_secure_memory(void);

/* One account as a JSON object of the contract (design.md 4): type, issuer, name, secret
 * (when with_secret), algorithm, digits, period, counter, then group and note when set, and
 * pin (mOTP / Yandex, with_secret only). Returns a new json_t *. */
struct json_t;
struct json_t *ov_account_json(const struct ov_account *a, bool with_secret);

#endif
