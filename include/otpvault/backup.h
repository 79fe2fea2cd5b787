/* Backups the user holds: timestamped copies of the vault in a directory (a USB stick, a
 * second disk), the comparison of a backup with the vault, merge and replace restores, the
 * automatic backup after every change, and the recovery drill.
 *
 * A backup is a vault file (vault_format.h) named otpvault-YYYYMMDD-HHMMSS[-TAG].otpv (UTC),
 * written atomically (0600, never over an existing file). Made under the vault's key it
 * opens with the vault's passphrase (and with the vault's key, without a KDF, while the
 * passphrase is unchanged); made under another passphrase it has its own salt. Either way
 * `otpvault --vault BACKUP list` reads it like any vault. */
#ifndef OTPVAULT_BACKUP_H
#define OTPVAULT_BACKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "otpvault/account.h"
#include "otpvault/error.h"
#include "otpvault/vault.h"

#define OV_BACKUP_PREFIX "otpvault-"
#define OV_BACKUP_SUFFIX ".otpv"

/* ---- files ------------------------------------------------------------------------- */

struct ov_backup_file {
    char *path;
    int64_t time;        /* from the name (UTC); the file's mtime if the name has none */
};

struct ov_backup_files {
    struct ov_backup_file *items;   /* newest first */
    size_t len;
};

/* The backups in dir (files named as above), newest first. OV_ERR_NOT_FOUND when dir does
 * not exist (an unplugged stick), OV_ERR_IO when it cannot be read. */
int ov_backup_scan(const char *dir, struct ov_backup_files *out, struct ov_error *err);
void ov_backup_files_free(struct ov_backup_files *f);
/* When the backup at path was made: the time in its name, else its mtime; 0 if unknown. */
int64_t ov_backup_file_time(const char *path);

/* Writes a backup of v into dir (which must exist: a missing directory is OV_ERR_NOT_FOUND,
 * never created, so an unmounted stick's mount point is not filled instead). pass NULL: under
 * v's key; otherwise under pass with a fresh salt and v's KDF parameters. tag (may be NULL)
 * is added to the name ("before-restore"). *path_out (malloc'd) names the new file. Does not
 * prune and records nothing in v. */
int ov_backup_write(const struct ov_vault *v, const char *dir, const char *pass,
                    size_t pass_len, const char *tag, int64_t now, char **path_out,
                    struct ov_error *err);

/* Deletes the oldest backups in dir beyond the newest keep (keep 0 means keep all).
 * *removed (may be NULL) counts them. */
int ov_backup_prune(const char *dir, unsigned keep, size_t *removed, struct ov_error *err);

/* write + prune + record: last_backup = now and backup_digest saved in the vault with
 * ov_vault_save_meta. The backup stands even if recording it fails (the error says so). */
int ov_backup_create(struct ov_vault *v, const char *dir, unsigned keep, const char *pass,
                     size_t pass_len, int64_t now, char **path_out, struct ov_error *err);

/* Opens a backup: with v's key when it was made under it (no KDF), else with pass (NULL:
 * OV_ERR_AUTH and *needs_pass set). Wrong passphrase or damage: OV_ERR_AUTH "wrong
 * passphrase or damaged backup". out is a closed-over vault (ov_vault_close it). */
int ov_backup_open(const char *path, const struct ov_vault *v, const char *pass,
                   size_t pass_len, struct ov_vault *out, bool *needs_pass,
                   struct ov_error *err);

/* A new machine: creates the vault at vault_path (which must not exist: OV_ERR_EXISTS) from
 * the open backup, under pass with the backup's KDF parameters: its accounts with their ids
 * and change times, its tombstones and its backup and drill dates, so that later merges
 * with the other machines' copies line up. On failure no vault is left at vault_path.
 * *out is the new vault, open. */
int ov_backup_restore_new(const char *vault_path, const struct ov_vault *backup,
                          const char *pass, size_t pass_len, struct ov_vault *out,
                          struct ov_error *err);

/* ---- comparing --------------------------------------------------------------------- */

/* SHA-256 over what makes the accounts what they are (type, algorithm, issuer, name, secret,
 * PIN, digits, period, counter, group, note; not last_used or created), in order. */
void ov_accounts_digest(const struct ov_account_list *l, uint8_t out[32]);

/* Same identity (ov_account_same) and same settings: what a restore would give back. */
bool ov_account_equivalent(const struct ov_account *a, const struct ov_account *b);

struct ov_backup_diff {
    size_t *missing;     /* vault indices: not in the backup (lost if restored from it) */
    size_t nmissing;
    size_t *different;   /* vault indices: in the backup with other settings (counter...) */
    size_t ndifferent;
    size_t *extra;       /* backup indices: not in the vault (a merge would add them) */
    size_t nextra;
};

void ov_backup_compare(const struct ov_account_list *vault,
                       const struct ov_account_list *backup, struct ov_backup_diff *d);
void ov_backup_diff_free(struct ov_backup_diff *d);
/* Restoring from the backup would lose something: missing or different accounts. */
bool ov_backup_diff_loses(const struct ov_backup_diff *d);
/* The backup holds exactly the vault's accounts. */
bool ov_backup_diff_same(const struct ov_backup_diff *d);

/* Appends copies of the backup's accounts that the vault lacks (ov_account_same); returns
 * how many. Accounts present in both keep the vault's version. */
size_t ov_backup_merge(struct ov_account_list *vault, const struct ov_account_list *backup);

/* ---- the recovery drill ------------------------------------------------------------ */

struct ov_drill_report {
    struct ov_backup_diff diff;  /* vault against the backup */
    size_t *code_differs;        /* vault indices: present, but another code at `now` */
    size_t ncode_differs;
    size_t checked;              /* vault accounts compared */
    size_t backup_accounts;
    bool passed;                 /* every account present with the same code */
};

/* Decrypts the backup at path with pass (always through the KDF: the drill proves the
 * passphrase is known, not that the vault's key works) in memory, and checks that every vault
 * account is there and gives the same code at now. On a pass, v->last_drill = now is saved
 * (ov_vault_save_meta). A backup that does not open: OV_ERR_AUTH / OV_ERR_NOT_FOUND, the
 * report is empty and nothing is recorded. A failed drill is OV_OK with passed false. */
int ov_backup_drill(struct ov_vault *v, const char *path, const char *pass, size_t pass_len,
                    int64_t now, struct ov_drill_report *rep, struct ov_error *err);
void ov_drill_report_free(struct ov_drill_report *rep);

/* ---- automatic backups --------------------------------------------------------------- */

enum ov_auto_backup_state {
    OV_AUTO_NONE = 0,      /* no save since enabled, or backups are off */
    OV_AUTO_MADE,          /* a backup was written */
    OV_AUTO_UNCHANGED,     /* the accounts equal the last backup's: nothing to do */
    OV_AUTO_DIR_ABSENT,    /* backup.dir does not exist (stick unplugged) */
    OV_AUTO_FAILED,        /* it exists but the backup could not be written */
};

struct ov_auto_backup_result {
    enum ov_auto_backup_state state;
    char path[1024];               /* the backup made */
    char message[OV_ERROR_MSG_MAX]; /* why it was not, naming the directory */
};

/* From now on every successful ov_vault_save (and passphrase change) writes a backup to dir,
 * keeping keep, when the accounts changed since the last backup (always after a passphrase
 * change). A missing directory or a failed write never fails the save: the result says so.
 * dir NULL turns it off. The strings are copied. */
void ov_backup_auto_enable(const char *dir, unsigned keep);
/* The result of the latest attempt; state OV_AUTO_NONE if none happened since the last
 * ov_backup_auto_take. */
void ov_backup_auto_take(struct ov_auto_backup_result *out);
/* Peeks without clearing. */
const struct ov_auto_backup_result *ov_backup_auto_last(void);

/* ---- status for the faces ------------------------------------------------------------ */

struct ov_backup_status {
    int64_t last_backup, last_drill;  /* 0: never */
    bool changed_since;               /* accounts differ from the last backup's */
    bool too_old;                     /* last backup older than warn_days (or never) */
};

void ov_backup_status(const struct ov_vault *v, unsigned warn_days, int64_t now,
                      struct ov_backup_status *s);

/* "just now", "5 minutes ago", "3 days ago", "never" (t == 0). */
void ov_format_age(int64_t t, int64_t now, char *out, size_t n);

#endif
