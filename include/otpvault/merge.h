/* Merging another copy of the vault into this one (a laptop's and a desktop's, a copy on a
 * USB stick, git's two sides, a Syncthing conflict copy), account by account through the
 * ids and change times sync.h keeps:
 * - an account in one copy only is kept, unless the other deleted it (a tombstone): then
 *   it goes, unless it was changed after the deletion (kept, and reported);
 * - an account changed in both copies keeps the later version; the other is reported
 *   (with a common ancestor, as git gives, a side that did not change it never wins);
 * - an HOTP counter is the larger of the two, so no code is ever used twice;
 * - the same account added in both copies (same type, secret, issuer and name under two
 *   ids) is kept once, under the smaller id.
 * The result does not depend on which copy is merged into which. Nothing is written here:
 * the caller saves (and the save keeps the other copy's change times). */
#ifndef OTPVAULT_MERGE_H
#define OTPVAULT_MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include "otpvault/error.h"
#include "otpvault/vault.h"

enum ov_merge_what {
    OV_MERGE_ADDED,          /* only in the other copy: added */
    OV_MERGE_UPDATED,        /* the other copy's version is the later: taken */
    OV_MERGE_KEPT_LATER,     /* this copy's version is the later: kept; the other's is named */
    OV_MERGE_CONFLICT,       /* changed in both since the common ancestor: the later kept */
    OV_MERGE_REMOVED,        /* deleted in the other copy: removed */
    OV_MERGE_KEPT_DELETED,   /* deleted in the other copy, changed here afterwards: kept */
    OV_MERGE_RESTORED,       /* deleted here, changed in the other copy afterwards: back */
    OV_MERGE_COUNTER,        /* HOTP counter raised to the other copy's */
    OV_MERGE_SAME_ACCOUNT,   /* added in both copies: kept once */
};

struct ov_merge_change {
    enum ov_merge_what what;
    char label[256];         /* the account ("Issuer: name"), as kept or removed */
    char detail[320];        /* what the other version had, the counters, ...; may be "" */
};

struct ov_merge_report {
    struct ov_merge_change *items;
    size_t len;
    size_t count[OV_MERGE_SAME_ACCOUNT + 1];   /* by what */
    bool changed;            /* the accounts or the tombstones differ from before */
};

/* Merges theirs into ours (both open; base, the common ancestor, may be NULL). ours gets
 * the merged accounts and tombstones; theirs and base are not changed. */
int ov_merge(struct ov_vault *ours, const struct ov_vault *theirs, const struct ov_vault *base,
             struct ov_merge_report *rep, struct ov_error *err);
void ov_merge_report_free(struct ov_merge_report *rep);
/* "added", "updated", ... for messages and JSON. */
const char *ov_merge_what_name(enum ov_merge_what what);

/* ---- conflict copies that sync tools leave beside the vault ---- */

/* The files beside the vault at vault_path that two machines changing it at once leave:
 * Syncthing's "vault.sync-conflict-20261208-101500-ABCDEFG.otpv", Nextcloud's and
 * ownCloud's "vault (conflicted copy 2026-12-08 101500).otpv" and
 * "vault_conflict-20261208-101500.otpv", Dropbox's "vault (Alice's conflicted copy
 * 2026-12-08).otpv". Regular files only, sorted by name; *paths is malloc'd (free each). */
int ov_conflict_copies_find(const char *vault_path, char ***paths, size_t *n,
                            struct ov_error *err);
void ov_conflict_copies_free(char **paths, size_t n);

#define OV_CONFLICT_NOTES 8

struct ov_conflict_merge {
    size_t found, merged;            /* copies beside the vault; merged and removed */
    struct ov_merge_report report;   /* what they changed, together */
    /* Copies left where they are, and why ("vault.sync-conflict-....otpv: made with
     * another passphrase; merge it with otpvault merge FILE"), and removals that failed. */
    char notes[OV_CONFLICT_NOTES][OV_ERROR_MSG_MAX];
    size_t nnotes;
};

/* Merges every conflict copy that opens with v's key into v, saves v (PATH.prev keeps the
 * vault as it was before) and then removes the copies it merged. A copy under another
 * passphrase, or damaged, is left as it is and noted. Nothing found: OV_OK, found == 0.
 * Meant for the moment the vault is opened for writing (with the writer lock held). */
int ov_conflict_copies_merge(struct ov_vault *v, int64_t now, struct ov_conflict_merge *out,
                             struct ov_error *err);
void ov_conflict_merge_free(struct ov_conflict_merge *m);

#endif
