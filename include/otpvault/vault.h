/* The encrypted vault file (design.md section 5).
 *
 * On disk: a fixed binary header (magic, format version, KDF id and parameters, salt, nonce),
 * authenticated as associated data, then AES-256-GCM ciphertext of the serialized accounts
 * and its tag. Saves are atomic and keep the previous generation as PATH.prev; one writer at
 * a time (PATH.lock); a vault that changed on disk since it was opened is never overwritten.
 * Readers (open without save) never take the lock. A read-modify-write (a command-line add,
 * an edit in the app) holds the lock across the whole change with ov_vault_begin_write, so
 * writers queue one after another instead of failing. */
#ifndef OTPVAULT_VAULT_H
#define OTPVAULT_VAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "otpvault/account.h"
#include "otpvault/crypto.h"
#include "otpvault/error.h"

/* Defaults: at least 64 MiB and about 0.5 s of Argon2id on a 2-core machine. Measured with
 * bench/kdf_time.c on the 2-core development VM (AMD EPYC): ov_vault_open takes 0.36 s
 * median (0.35-0.43 s across runs); one 64 MiB pass over 2 lanes is ~18 ms. */
#define OV_KDF_DEFAULT_MEMORY_KIB (64u * 1024u)
#define OV_KDF_DEFAULT_TIME 20u
#define OV_KDF_DEFAULT_LANES 2u
/* What we accept when reading a vault header: bounds against a crafted file. */
#define OV_KDF_MIN_MEMORY_KIB 64u
/* 2 GiB: libgcrypt 1.10 sizes Argon2's memory as 1024 * blocks in 32 bits, so 4 GiB fails
 * (EINVAL) and more would overflow its buffer; ov_kdf_argon2id refuses 4 GiB and up. */
#define OV_KDF_MAX_MEMORY_KIB (2u * 1024u * 1024u)
#define OV_KDF_MAX_TIME 100u
#define OV_KDF_MAX_LANES 64u
/* How long a save waits for another writer's PATH.lock before OV_ERR_LOCKED. */
#define OV_VAULT_LOCK_TIMEOUT_MS 3000u
/* How long ov_vault_begin_write queues behind other writers: each holds the lock for one
 * decrypt, encrypt and fsync (milliseconds), so even a long queue moves within this. */
#define OV_VAULT_WRITER_WAIT_MS 60000u

/* An account deleted at `deleted` (unix ms): what a merge needs to tell "deleted here" from
 * "added there" (sync.h). Its HOTP counter is kept so that an account brought back by a
 * later change elsewhere never reuses a code used here. Pruned after the configured age. */
struct ov_tombstone {
    uint8_t id[OV_ACCOUNT_ID_LEN];
    int64_t deleted;
    uint64_t counter;
};

/* An account as it was read (or last saved), for telling at the next save which ones
 * changed, were added or were deleted (sync.h). Not on disk. */
struct ov_sync_mark {
    uint8_t id[OV_ACCOUNT_ID_LEN];
    uint8_t digest[32];
    int64_t modified;
    uint64_t counter;
};

struct ov_vault {
    char *path;
    struct ov_account_list accounts;
    struct ov_kdf_params kdf;
    uint8_t *key;           /* secure memory: the derived key, kept to save without asking */
    uint8_t salt[16];
    uint64_t generation;    /* incremented on every save; stored in the header */
    uint8_t file_hash[32];  /* SHA-256 of the file as opened, to detect outside changes */
    int64_t last_backup;    /* unix seconds, 0 = never (used by backups) */
    int64_t last_drill;     /* unix seconds, 0 = never */
    /* ov_accounts_digest (backup.h) of the accounts when the last backup was made, so that
     * "changed since the last backup" is known without the backup at hand. */
    uint8_t backup_digest[32];
    bool has_backup_digest;
    /* Syncing (sync.h): deletions, sorted by id; the accounts as read, sorted by id; the
     * latest merge of another copy (unix seconds, 0 never) and what it came from. */
    struct ov_tombstone *tombstones;
    size_t ntombstones;
    struct ov_sync_mark *marks;
    size_t nmarks;
    int64_t last_merge;
    char *last_merge_from;
    bool write_locked;      /* between ov_vault_begin_write and ov_vault_end_write */
    int write_lock_fd;      /* PATH.lock while write_locked */
};

/* Creates a new empty vault file at path (parent directories created 0700). Fails with
 * OV_ERR_EXISTS if the file exists. kdf NULL means the defaults. On success *out is open. */
int ov_vault_create(const char *path, const char *pass, size_t pass_len,
                    const struct ov_kdf_params *kdf, struct ov_vault *out,
                    struct ov_error *err);

/* Opens and decrypts the whole vault. Wrong passphrase, a flipped byte, a truncated file:
 * OV_ERR_AUTH ("wrong passphrase or damaged vault") and nothing loaded. On any failure *out
 * is left zeroed (ov_vault_close on it is a harmless no-op); OV_ERR_NOT_FOUND when the file
 * does not exist. Never takes the writer lock. */
int ov_vault_open(const char *path, const char *pass, size_t pass_len, struct ov_vault *out,
                  struct ov_error *err);

/* The same for a vault file already in memory (an import of a backup): name is what
 * messages call it; out->path stays NULL (it cannot be saved). */
int ov_vault_decode(const uint8_t *file, size_t len, const char *name, const char *pass,
                    size_t pass_len, struct ov_vault *out, struct ov_error *err);

/* Writes the accounts back: lock, check the file still is what we opened (else
 * OV_ERR_CONFLICT), fresh nonce, temp file + fsync + keep previous generation + rename +
 * directory fsync. On any failure the file on disk is the old one (OV_ERR_LOCKED after
 * waiting for another writer, OV_ERR_INVALID for an invalid account, OV_ERR_IO naming the
 * path and the system error). One exception: if only the final directory fsync fails, the
 * new file is in place, v is updated, and OV_ERR_IO says so. */
int ov_vault_save(struct ov_vault *v, struct ov_error *err);

/* Saves bookkeeping (last_backup, last_drill, backup_digest) like ov_vault_save, but without
 * moving PATH.prev forward (it keeps the previous generation of the *accounts*) and without
 * running the save hook. */
int ov_vault_save_meta(struct ov_vault *v, struct ov_error *err);

/* A function run after every successful ov_vault_save and ov_vault_change_passphrase
 * (rekeyed = true), e.g. the automatic backup (backup.h). It must not fail the save: it
 * reports through its own channel. NULL turns it off. Process-wide. */
typedef void (*ov_vault_save_hook)(struct ov_vault *v, bool rekeyed, void *ctx);
void ov_vault_set_save_hook(ov_vault_save_hook hook, void *ctx);

/* Encodes the vault as a complete file (header with a fresh nonce, then the ciphertext)
 * under v's key, salt and KDF, with the given generation: the bytes a save would write.
 * Backups are such files. *file is malloc'd (it is ciphertext). */
int ov_vault_encode(const struct ov_vault *v, uint64_t generation, uint8_t **file,
                    size_t *len, struct ov_error *err);

/* Writes v, stamped as a save stamps it (sync.h), as a complete vault file at path instead
 * of its own: atomically, 0600, no PATH.prev, no lock, no save hook (a git merge driver's
 * result, written where git asks). v's own file and bookkeeping are not touched. */
int ov_vault_write_copy(struct ov_vault *v, const char *path, struct ov_error *err);

/* Opens a vault-format file with an already derived key, without any KDF: only when the
 * file's salt and KDF parameters equal like's (the same passphrase-derived key), else
 * OV_ERR_AUTH saying the file has another passphrase (other_passphrase set when given).
 * Wrong key or damage: OV_ERR_AUTH as ov_vault_open. out->key is a copy of like's key. */
int ov_vault_open_with_key(const char *path, const struct ov_vault *like,
                           struct ov_vault *out, bool *other_passphrase,
                           struct ov_error *err);

/* Reads the file again after another process changed it (a save gave OV_ERR_CONFLICT), with
 * the key kept from open: no passphrase, no KDF. The accounts are replaced only on success.
 * OV_ERR_AUTH when the salt or KDF changed (a passwd elsewhere): the caller must ask for
 * the passphrase and open again; also when the file is now unreadable. */
int ov_vault_reload(struct ov_vault *v, struct ov_error *err);

/* Starts a read-modify-write: waits up to wait_ms for the writer lock (PATH.lock) and holds
 * it until ov_vault_end_write or ov_vault_close, so saves in between cannot conflict with
 * another writer. If the file changed since v was read, it is read again with the kept key
 * (as ov_vault_reload) and *reloaded is set: the caller then applies its change to the
 * accounts as they are now. On failure the lock is not held and v is unchanged:
 * OV_ERR_LOCKED after the wait, OV_ERR_AUTH when the passphrase was changed elsewhere,
 * OV_ERR_CONFLICT when the file was removed. */
int ov_vault_begin_write(struct ov_vault *v, unsigned wait_ms, bool *reloaded,
                         struct ov_error *err);
/* Releases the writer lock (a no-op when not held). */
void ov_vault_end_write(struct ov_vault *v);

/* Re-encrypts under a new passphrase with a new salt (and kdf, if not NULL), then saves.
 * If the save fails, v keeps the old key, salt and parameters (matching the file on disk). */
int ov_vault_change_passphrase(struct ov_vault *v, const char *new_pass, size_t new_pass_len,
                               const struct ov_kdf_params *kdf, struct ov_error *err);

/* Wipes the key and accounts and frees everything. */
void ov_vault_close(struct ov_vault *v);

/* Changes how long saves wait for the lock (process-wide; tests shorten it). */
void ov_vault_set_lock_timeout_ms(unsigned ms);

/* Reads only the header (no passphrase): KDF parameters and generation, for tooling. */
int ov_vault_peek(const char *path, struct ov_kdf_params *kdf, uint64_t *generation,
                  struct ov_error *err);

/* Serialization of an account list (the plaintext inside the vault), exposed for tests and
 * for backups. The buffer is secure memory; free with ov_secure_free(buf, len). Serialize
 * validates every account and refuses (OV_ERR_INVALID / OV_ERR_LIMIT) what deserialize
 * would refuse. Deserialize replaces v->accounts, last_backup and last_drill only on
 * success (v is untouched on failure): OV_ERR_INVALID for malformed input,
 * OV_ERR_UNSUPPORTED for a newer payload format or an unknown critical field. */
int ov_vault_serialize(const struct ov_vault *v, uint8_t **buf, size_t *len,
                       struct ov_error *err);
int ov_vault_deserialize(const uint8_t *buf, size_t len, struct ov_vault *v,
                         struct ov_error *err);

#endif
