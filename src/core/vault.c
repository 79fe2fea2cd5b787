/* The encrypted vault: create, open, save, change passphrase, peek.
 *
 * File layout and payload: vault_format.c. Durable replacement and locks: atomic_file.c.
 * Here: the key schedule (derive once at open, keep the key in secure memory so saves need no
 * KDF and no passphrase), the all-or-nothing open, and the save protocol:
 *   encrypt with a fresh nonce -> lock PATH.lock -> the file still hashes to what we opened?
 *   -> remove temp files a killed writer left -> temp + fsync -> PATH.prev -> rename
 *   -> directory fsync -> unlock.
 * Anything that makes a vault unreadable (bad header, failed tag, bad contents) is reported
 * as one status, OV_ERR_AUTH, with "wrong passphrase or damaged vault" in the message: the
 * CLI maps it to exit status 3, and nothing is loaded. */
#include <gcrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "otpvault/atomic_file.h"
#include "otpvault/mem.h"
#include "otpvault/otp.h"
#include "otpvault/sync.h"
#include "otpvault/vault.h"
#include "otpvault/vault_format.h"

#define DAMAGED "wrong passphrase or damaged vault"

static unsigned lock_timeout_ms = OV_VAULT_LOCK_TIMEOUT_MS;
static ov_vault_save_hook save_hook;
static void *save_hook_ctx;

void ov_vault_set_save_hook(ov_vault_save_hook hook, void *ctx)
{
    save_hook = hook;
    save_hook_ctx = ctx;
}

void ov_vault_set_lock_timeout_ms(unsigned ms)
{
    lock_timeout_ms = ms;
}

static void sha256(const uint8_t *data, size_t len, uint8_t out[32])
{
    gcry_md_hash_buffer(GCRY_MD_SHA256, out, data, len);
}

/* "PATH: wrong passphrase or damaged vault (detail)"; detail may be NULL. */
static int damaged(struct ov_error *err, const char *path, const char *detail)
{
    char copy[OV_ERROR_MSG_MAX];

    if (detail == NULL || detail[0] == '\0')
        return ov_error_set(err, OV_ERR_AUTH, "%s: " DAMAGED, path);
    /* detail may point into err->msg, which we are about to overwrite. */
    snprintf(copy, sizeof copy, "%s", detail);
    return ov_error_set(err, OV_ERR_AUTH, "%s: " DAMAGED " (%s)", path, copy);
}

static int crypto_ready(struct ov_error *err)
{
    if (ov_crypto_init() != OV_OK)
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "libgcrypt 1.10 or later is needed");
    return OV_OK;
}

/* Reads the vault file and checks its header, without any KDF. */
static int read_checked(const char *path, uint8_t **file, size_t *len,
                        struct ov_vault_header *h, struct ov_error *err)
{
    struct ov_error detail = { 0 };
    int rc = ov_file_read(path, OV_VAULT_MAX_FILE, file, len, err);

    if (rc == OV_ERR_LIMIT)
        return damaged(err, path, "larger than any vault");
    if (rc != OV_OK)
        return rc;
    rc = ov_vault_header_decode(*file, *len, h, &detail);
    if (rc != OV_OK) {
        free(*file);
        *file = NULL;
        return damaged(err, path, detail.msg);
    }
    return OV_OK;
}

static int derive_key(const char *pass, size_t pass_len, const uint8_t *salt,
                      const struct ov_kdf_params *kdf, uint8_t **key_out,
                      struct ov_error *err)
{
    uint8_t *key = ov_secure_alloc(OV_VAULT_KEY_LEN);
    int rc = ov_kdf_argon2id(pass, pass_len, salt, OV_VAULT_SALT_LEN, kdf, key,
                             OV_VAULT_KEY_LEN, err);
    if (rc != OV_OK) {
        ov_secure_free(key, OV_VAULT_KEY_LEN);
        return rc;
    }
    *key_out = key;
    return OV_OK;
}

/* Decrypts file (header h already checked) with key and loads its accounts into v (which
 * is untouched on failure). Errors are reported as the vault being unreadable. */
static int decrypt_into(const char *path, const uint8_t *file, size_t len,
                        const struct ov_vault_header *h, const uint8_t *key,
                        struct ov_vault *v, struct ov_error *err)
{
    struct ov_error detail = { 0 };
    size_t plain_len = len - OV_VAULT_HEADER_LEN - OV_VAULT_TAG_LEN;
    uint8_t *plain = ov_secure_alloc(plain_len);
    int rc;

    if (ov_aead_decrypt(key, h->nonce, file, OV_VAULT_HEADER_LEN, file + OV_VAULT_HEADER_LEN,
                        len - OV_VAULT_HEADER_LEN, plain, NULL) != OV_OK) {
        ov_secure_free(plain, plain_len);
        return damaged(err, path, NULL);
    }
    rc = ov_vault_deserialize(plain, plain_len, v, &detail);
    ov_secure_free(plain, plain_len);
    if (rc == OV_ERR_UNSUPPORTED)
        return ov_error_set(err, rc, "%s: %s", path, detail.msg);
    if (rc != OV_OK) {
        /* Authentic but unreadable contents: still never half-load. */
        ov_error_prefix(&detail, "contents");
        return damaged(err, path, detail.msg);
    }
    return OV_OK;
}

/* The vault in file (len bytes, already read, header not yet checked), decrypted with the
 * key pass derives. name is what messages call it. */
static int decode_file(const char *name, const uint8_t *file, size_t len, const char *pass,
                       size_t pass_len, struct ov_vault *out, struct ov_error *err)
{
    struct ov_vault v;
    struct ov_vault_header h;
    struct ov_error detail = { 0 };
    int rc;

    memset(out, 0, sizeof *out);
    memset(&v, 0, sizeof v);
    if ((rc = crypto_ready(err)) != OV_OK)
        return rc;
    if (ov_vault_header_decode(file, len, &h, &detail) != OV_OK)
        return damaged(err, name, detail.msg);
    rc = derive_key(pass, pass_len, h.salt, &h.kdf, &v.key, &detail);
    if (rc == OV_ERR_NOMEM) {
        rc = ov_error_set(err, rc, "%s: %s", name, detail.msg);
        goto fail;
    }
    if (rc != OV_OK) {
        rc = damaged(err, name, detail.msg);
        goto fail;
    }
    if ((rc = decrypt_into(name, file, len, &h, v.key, &v, err)) != OV_OK)
        goto fail;
    v.kdf = h.kdf;
    memcpy(v.salt, h.salt, sizeof v.salt);
    v.generation = h.generation;
    sha256(file, len, v.file_hash);
    *out = v;
    return OV_OK;

fail:
    ov_vault_close(&v);
    return rc;
}

int ov_vault_decode(const uint8_t *file, size_t len, const char *name, const char *pass,
                    size_t pass_len, struct ov_vault *out, struct ov_error *err)
{
    if (len > OV_VAULT_MAX_FILE) {
        memset(out, 0, sizeof *out);
        return damaged(err, name, "larger than any vault");
    }
    return decode_file(name, file, len, pass, pass_len, out, err);
}

int ov_vault_open(const char *path, const char *pass, size_t pass_len, struct ov_vault *out,
                  struct ov_error *err)
{
    struct ov_vault_header h;
    uint8_t *file = NULL;
    size_t len;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = crypto_ready(err)) != OV_OK)
        return rc;
    if ((rc = read_checked(path, &file, &len, &h, err)) != OV_OK)
        return rc;
    rc = decode_file(path, file, len, pass, pass_len, out, err);
    free(file);
    if (rc == OV_OK)
        out->path = ov_xstrdup(path);
    return rc;
}

static bool same_key_params(const struct ov_vault_header *h, const struct ov_vault *v)
{
    return memcmp(h->salt, v->salt, sizeof v->salt) == 0 &&
           h->kdf.memory_kib == v->kdf.memory_kib && h->kdf.time_cost == v->kdf.time_cost &&
           h->kdf.lanes == v->kdf.lanes;
}

int ov_vault_open_with_key(const char *path, const struct ov_vault *like,
                           struct ov_vault *out, bool *other_passphrase,
                           struct ov_error *err)
{
    struct ov_vault v;
    struct ov_vault_header h;
    uint8_t *file = NULL;
    size_t len;
    int rc;

    memset(out, 0, sizeof *out);
    memset(&v, 0, sizeof v);
    if (other_passphrase != NULL)
        *other_passphrase = false;
    if (like->key == NULL)
        return ov_error_set(err, OV_ERR_INVALID, "the vault is not open");
    if ((rc = read_checked(path, &file, &len, &h, err)) != OV_OK)
        return rc;
    if (!same_key_params(&h, like)) {
        free(file);
        if (other_passphrase != NULL)
            *other_passphrase = true;
        return ov_error_set(err, OV_ERR_AUTH, "%s: made with another passphrase (or before "
                            "the vault's passphrase was changed)", path);
    }
    v.key = ov_secure_alloc(OV_VAULT_KEY_LEN);
    memcpy(v.key, like->key, OV_VAULT_KEY_LEN);
    rc = decrypt_into(path, file, len, &h, v.key, &v, err);
    if (rc == OV_OK) {
        v.path = ov_xstrdup(path);
        v.kdf = h.kdf;
        memcpy(v.salt, h.salt, sizeof v.salt);
        v.generation = h.generation;
        sha256(file, len, v.file_hash);
        *out = v;
    } else {
        ov_vault_close(&v);
    }
    free(file);
    return rc;
}

int ov_vault_reload(struct ov_vault *v, struct ov_error *err)
{
    struct ov_vault_header h;
    uint8_t *file = NULL;
    size_t len;
    int rc;

    if (v->key == NULL || v->path == NULL)
        return ov_error_set(err, OV_ERR_INVALID, "the vault is not open");
    if ((rc = read_checked(v->path, &file, &len, &h, err)) != OV_OK)
        return rc;
    /* Same salt and KDF: same passphrase-derived key (a passwd elsewhere changes the salt). */
    if (!same_key_params(&h, v)) {
        free(file);
        return ov_error_set(err, OV_ERR_AUTH, "%s: its passphrase was changed elsewhere; "
                            "unlock it again", v->path);
    }
    rc = decrypt_into(v->path, file, len, &h, v->key, v, err);
    if (rc == OV_OK) {
        v->generation = h.generation;
        sha256(file, len, v->file_hash);
    }
    free(file);
    return rc;
}

/* The whole new file: header with a fresh nonce, then the encrypted payload. */
int ov_vault_encode(const struct ov_vault *v, uint64_t generation, uint8_t **file,
                    size_t *len, struct ov_error *err)
{
    struct ov_vault_header h = {
        .version = OV_VAULT_FORMAT_VERSION,
        .aead_id = OV_VAULT_AEAD_AES256GCM,
        .kdf_id = OV_VAULT_KDF_ARGON2ID,
        .kdf = v->kdf,
        .generation = generation,
    };
    uint8_t *plain, *out;
    size_t plain_len;
    int rc;

    if (v->key == NULL)
        return ov_error_set(err, OV_ERR_INVALID, "the vault is not open");
    if ((rc = ov_vault_serialize(v, &plain, &plain_len, err)) != OV_OK)
        return rc;
    memcpy(h.salt, v->salt, sizeof h.salt);
    /* A random 96-bit nonce per save: GCM stays safe far beyond any plausible save count. */
    ov_random(h.nonce, sizeof h.nonce);
    out = ov_xmalloc(OV_VAULT_HEADER_LEN + plain_len + OV_VAULT_TAG_LEN);
    ov_vault_header_encode(&h, out);
    rc = ov_aead_encrypt(v->key, h.nonce, out, OV_VAULT_HEADER_LEN, plain, plain_len,
                         out + OV_VAULT_HEADER_LEN, err);
    ov_secure_free(plain, plain_len);
    if (rc != OV_OK) {
        free(out);
        return rc;
    }
    *file = out;
    *len = OV_VAULT_HEADER_LEN + plain_len + OV_VAULT_TAG_LEN;
    return OV_OK;
}

/* Where to write: a symlinked vault (dotfiles) is updated at its target, so the link stays. */
static char *resolve_target(const char *path)
{
    struct stat st;
    char *real;

    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && (real = realpath(path, NULL)) != NULL)
        return real;
    return ov_xstrdup(path);
}

/* Under the lock: is the file on disk still the one we opened (or absent, when creating)? */
static int check_unchanged(const struct ov_vault *v, const char *target, bool creating,
                           struct ov_error *err)
{
    uint8_t *cur, hash[32];
    size_t cur_len;
    int rc = ov_file_read(target, OV_VAULT_MAX_FILE, &cur, &cur_len, err);

    if (creating) {
        if (rc == OV_ERR_NOT_FOUND)
            return OV_OK;
        if (rc == OV_OK)
            free(cur);
        return ov_error_set(err, OV_ERR_EXISTS, "%s already exists; it was not overwritten",
                            v->path);
    }
    if (rc == OV_ERR_NOT_FOUND)
        return ov_error_set(err, OV_ERR_CONFLICT, "%s was removed since it was opened; "
                            "nothing was saved", v->path);
    if (rc == OV_ERR_LIMIT)
        return ov_error_set(err, OV_ERR_CONFLICT, "%s changed on disk since it was opened; "
                            "nothing was saved", v->path);
    if (rc != OV_OK)
        return rc;
    sha256(cur, cur_len, hash);
    free(cur);
    if (memcmp(hash, v->file_hash, sizeof hash) != 0)
        return ov_error_set(err, OV_ERR_CONFLICT, "%s changed on disk since it was opened; "
                            "nothing was saved", v->path);
    return OV_OK;
}

static bool file_matches(const struct ov_vault *v, const char *target, struct ov_error *err,
                         int *rc)
{
    uint8_t *cur, hash[32];
    size_t cur_len;

    *rc = ov_file_read(target, OV_VAULT_MAX_FILE, &cur, &cur_len, err);
    if (*rc == OV_ERR_NOT_FOUND) {
        *rc = ov_error_set(err, OV_ERR_CONFLICT, "%s was removed since it was opened",
                           v->path);
        return false;
    }
    if (*rc != OV_OK)
        return false;
    sha256(cur, cur_len, hash);
    free(cur);
    return memcmp(hash, v->file_hash, sizeof hash) == 0;
}

int ov_vault_begin_write(struct ov_vault *v, unsigned wait_ms, bool *reloaded,
                         struct ov_error *err)
{
    char *target, *lock_path;
    int fd = -1, rc;

    *reloaded = false;
    if (v->key == NULL || v->path == NULL)
        return ov_error_set(err, OV_ERR_INVALID, "the vault is not open");
    if (v->write_locked)
        return OV_OK;
    target = resolve_target(v->path);
    lock_path = ov_xconcat(target, ".lock");
    rc = ov_lock_acquire(lock_path, wait_ms, &fd, err);
    if (rc == OV_ERR_LOCKED)
        ov_error_prefix(err, "%s: another process kept the vault busy; nothing was saved",
                        v->path);
    if (rc == OV_OK && !file_matches(v, target, err, &rc) && rc == OV_OK) {
        rc = ov_vault_reload(v, err);
        *reloaded = rc == OV_OK;
    }
    if (rc == OV_OK) {
        v->write_locked = true;
        v->write_lock_fd = fd;
    } else {
        ov_lock_release(fd);
    }
    free(lock_path);
    free(target);
    return rc;
}

void ov_vault_end_write(struct ov_vault *v)
{
    if (!v->write_locked)
        return;
    ov_lock_release(v->write_lock_fd);
    v->write_locked = false;
    v->write_lock_fd = -1;
}

/* keep_prev: move PATH.prev forward (not for a new file, nor for bookkeeping saves). */
static int vault_write(struct ov_vault *v, bool creating, bool keep_prev,
                       struct ov_error *err)
{
    char *target, *lock_path, *prev_path;
    uint8_t *file;
    size_t len;
    bool committed = false;
    int lock_fd = -1;
    int rc;

    if (v->key == NULL || v->path == NULL)
        return ov_error_set(err, OV_ERR_INVALID, "the vault is not open");
    ov_sync_stamp(v, ov_now_ms());
    rc = ov_vault_encode(v, v->generation + 1, &file, &len, err);
    if (rc != OV_OK)
        return rc;
    target = resolve_target(v->path);
    lock_path = ov_xconcat(target, ".lock");
    prev_path = ov_xconcat(target, ".prev");
    /* Inside ov_vault_begin_write the lock is already ours. */
    rc = v->write_locked ? OV_OK : ov_lock_acquire(lock_path, lock_timeout_ms, &lock_fd, err);
    if (rc == OV_ERR_LOCKED)
        ov_error_prefix(err, "%s: another process is saving this vault; nothing was saved",
                        v->path);
    if (rc == OV_OK)
        rc = check_unchanged(v, target, creating, err);
    /* Under the lock, temp files next to the vault are a killed writer's: clear them. */
    if (rc == OV_OK)
        ov_atomic_remove_leftovers(target, prev_path);
    if (rc == OV_OK)
        rc = ov_atomic_replace(target, file, len, keep_prev ? prev_path : NULL, &committed,
                               err);
    /* Committed even if the final directory fsync failed: the file is ours now. */
    if (committed) {
        v->generation++;
        sha256(file, len, v->file_hash);
        ov_sync_mark_all(v);   /* what the next save compares with */
    }
    ov_lock_release(lock_fd);
    free(prev_path);
    free(lock_path);
    free(target);
    free(file);
    return rc;
}

int ov_vault_write_copy(struct ov_vault *v, const char *path, struct ov_error *err)
{
    uint8_t *file;
    size_t len;
    int rc;

    ov_sync_stamp(v, ov_now_ms());
    if ((rc = ov_vault_encode(v, v->generation + 1, &file, &len, err)) != OV_OK)
        return rc;
    rc = ov_atomic_replace(path, file, len, NULL, NULL, err);
    free(file);
    return rc;
}

int ov_vault_save(struct ov_vault *v, struct ov_error *err)
{
    int rc = vault_write(v, false, true, err);

    if (rc == OV_OK && save_hook != NULL)
        save_hook(v, false, save_hook_ctx);
    return rc;
}

int ov_vault_save_meta(struct ov_vault *v, struct ov_error *err)
{
    return vault_write(v, false, false, err);
}

int ov_vault_create(const char *path, const char *pass, size_t pass_len,
                    const struct ov_kdf_params *kdf, struct ov_vault *out,
                    struct ov_error *err)
{
    struct ov_kdf_params params = { OV_KDF_DEFAULT_MEMORY_KIB, OV_KDF_DEFAULT_TIME,
                                    OV_KDF_DEFAULT_LANES };
    struct ov_vault v;
    struct stat st;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = crypto_ready(err)) != OV_OK)
        return rc;
    if (kdf != NULL)
        params = *kdf;
    if ((rc = ov_vault_kdf_check(&params, err)) != OV_OK)
        return rc;
    /* Early, friendly refusal; the check that counts is repeated under the lock. */
    if (lstat(path, &st) == 0)
        return ov_error_set(err, OV_ERR_EXISTS, "%s already exists; it was not overwritten",
                            path);
    if ((rc = ov_mkdir_parents(path, err)) != OV_OK)
        return rc;
    memset(&v, 0, sizeof v);
    v.kdf = params;
    ov_random(v.salt, sizeof v.salt);
    if ((rc = derive_key(pass, pass_len, v.salt, &params, &v.key, err)) != OV_OK)
        return rc;
    v.path = ov_xstrdup(path);
    rc = vault_write(&v, true, false, err);
    if (rc != OV_OK) {
        ov_vault_close(&v);
        return rc;
    }
    *out = v;
    return OV_OK;
}

int ov_vault_change_passphrase(struct ov_vault *v, const char *new_pass, size_t new_pass_len,
                               const struct ov_kdf_params *kdf, struct ov_error *err)
{
    struct ov_kdf_params old_kdf = v->kdf, params = kdf != NULL ? *kdf : v->kdf;
    uint8_t old_salt[OV_VAULT_SALT_LEN], *old_key = v->key, *new_key;
    uint64_t old_generation = v->generation;
    int rc;

    if ((rc = ov_vault_kdf_check(&params, err)) != OV_OK)
        return rc;
    memcpy(old_salt, v->salt, sizeof old_salt);
    ov_random(v->salt, sizeof v->salt);
    rc = derive_key(new_pass, new_pass_len, v->salt, &params, &new_key, err);
    if (rc == OV_OK) {
        v->key = new_key;
        v->kdf = params;
        rc = vault_write(v, false, true, err);
    }
    if (rc != OV_OK && v->generation == old_generation) {
        /* Nothing reached the disk: keep matching the file that is there. */
        if (v->key != old_key)
            ov_secure_free(v->key, OV_VAULT_KEY_LEN);
        v->key = old_key;
        v->kdf = old_kdf;
        memcpy(v->salt, old_salt, sizeof old_salt);
        return rc;
    }
    ov_secure_free(old_key, OV_VAULT_KEY_LEN);
    if (rc == OV_OK && save_hook != NULL)
        save_hook(v, true, save_hook_ctx);
    return rc;
}

void ov_vault_close(struct ov_vault *v)
{
    if (v == NULL)
        return;
    ov_vault_end_write(v);
    free(v->path);
    ov_account_list_free(&v->accounts);
    ov_sync_free(v);
    ov_secure_free(v->key, OV_VAULT_KEY_LEN);
    ov_wipe(v, sizeof *v);
}

int ov_vault_peek(const char *path, struct ov_kdf_params *kdf, uint64_t *generation,
                  struct ov_error *err)
{
    struct ov_vault_header h;
    uint8_t *file;
    size_t len;
    int rc = read_checked(path, &file, &len, &h, err);

    if (rc != OV_OK)
        return rc;
    free(file);
    if (kdf != NULL)
        *kdf = h.kdf;
    if (generation != NULL)
        *generation = h.generation;
    return OV_OK;
}
