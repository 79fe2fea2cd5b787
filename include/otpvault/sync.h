/* What merging copies of one vault needs, kept in the vault itself (merge.h does the merge).
 *
 * Every account has a random identity (ov_account.id) for its whole life, and the time its
 * settings or labels last changed (ov_account.modified). A deleted account leaves a
 * tombstone (ov_vault.tombstones: its id and when), pruned after a configurable age, so a
 * merge can tell "deleted here" from "added there".
 *
 * No face sets these by hand: each save compares the accounts with the marks taken when the
 * vault was read (ov_vault.marks: id and digest of each account) and stamps what changed
 * (ov_sync_stamp): a new account gets an id, a changed one the save's time, a missing one a
 * tombstone. A merge that takes another copy's version marks it as read, so the save keeps
 * that copy's time instead of claiming the change as its own.
 *
 * Vaults written before identities existed (payload format 1) get ids derived from each
 * account's type, secret, issuer and name, so two old copies of one vault agree on them. */
#ifndef OTPVAULT_SYNC_H
#define OTPVAULT_SYNC_H

#include <stdbool.h>
#include <stdint.h>
#include "otpvault/account.h"
#include "otpvault/vault.h"

#define OV_SYNC_TOMBSTONE_DAYS_DEFAULT 365u
#define OV_SYNC_MAX_TOMBSTONES 100000u

/* SHA-256 of what a user edits: type, algorithm, issuer, name, secret, PIN, digits, period,
 * group, note. Not the HOTP counter, last_used, created, modified or the id. */
void ov_account_content_digest(const struct ov_account *a, uint8_t out[32]);

bool ov_account_id_none(const uint8_t id[OV_ACCOUNT_ID_LEN]);
/* 32 lower-case hex digits. */
void ov_account_id_text(const uint8_t id[OV_ACCOUNT_ID_LEN], char out[2 * OV_ACCOUNT_ID_LEN + 1]);
/* 32 hex digits, dashes anywhere ignored (a UUID); 0, or -1 for anything else. */
int ov_account_id_parse(const char *s, uint8_t id[OV_ACCOUNT_ID_LEN]);
int ov_account_id_cmp(const uint8_t a[OV_ACCOUNT_ID_LEN], const uint8_t b[OV_ACCOUNT_ID_LEN]);

/* Gives each account without an id the one derived from its content (and its rank among
 * accounts identical in type, secret, issuer and name). */
void ov_sync_legacy_ids(struct ov_account_list *l);

/* The marks become the accounts as they are now. */
void ov_sync_mark_all(struct ov_vault *v);

/* The index of the account with this id, or (size_t)-1. */
size_t ov_sync_find(const struct ov_account_list *l, const uint8_t id[OV_ACCOUNT_ID_LEN]);
/* Marks a as read (replacing its mark): the next save does not stamp it. */
void ov_sync_mark_put(struct ov_vault *v, const struct ov_account *a);
/* Forgets the mark of id: an account removed by a merge leaves no tombstone of this save
 * (the other copy's is taken instead). */
void ov_sync_mark_drop(struct ov_vault *v, const uint8_t id[OV_ACCOUNT_ID_LEN]);

const struct ov_tombstone *ov_sync_tombstone_find(const struct ov_vault *v,
                                                  const uint8_t id[OV_ACCOUNT_ID_LEN]);
/* Records a deletion; an existing tombstone keeps the later time and the larger counter. */
void ov_sync_tombstone_put(struct ov_vault *v, const uint8_t id[OV_ACCOUNT_ID_LEN],
                           int64_t deleted, uint64_t counter);
void ov_sync_tombstone_drop(struct ov_vault *v, const uint8_t id[OV_ACCOUNT_ID_LEN]);

/* What every save does first (see above), at now (unix ms). An edit is stamped later than
 * the version it edited even when this machine's clock is behind. Tombstones older than
 * the configured age are pruned, the oldest first beyond OV_SYNC_MAX_TOMBSTONES. */
void ov_sync_stamp(struct ov_vault *v, int64_t now_ms);

/* How long tombstones are kept (process-wide; 0 keeps them forever). A copy not merged
 * within that time may bring a deleted account back. */
void ov_sync_set_tombstone_days(unsigned days);

/* dst gets copies of src's accounts (appended, ids and times kept) and src's tombstones in
 * place of its own: another copy of the same vault's contents. Marks are not copied. */
void ov_sync_copy(struct ov_vault *dst, const struct ov_vault *src);

/* Frees the tombstones, marks and merge note of v. */
void ov_sync_free(struct ov_vault *v);

#endif
