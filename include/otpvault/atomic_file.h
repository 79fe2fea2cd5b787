/* Durable file operations for files that must never be half-written: bounded reads, atomic
 * replacement (temp file in the same directory, fsync, rename, directory fsync) that can keep
 * the previous version, advisory writer locks, and parent directory creation.
 *
 * Every function reports failures as OV_ERR_IO (or the code named below) with a message that
 * names the path and the system error. */
#ifndef OTPVAULT_ATOMIC_FILE_H
#define OTPVAULT_ATOMIC_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "otpvault/error.h"

/* "a directory", "a FIFO (named pipe)", "a character device", ... for a stat mode. */
const char *ov_file_kind(unsigned mode);

/* Whether path (symbolic links followed) is a regular file, without opening it:
 * OV_ERR_NOT_FOUND when absent, OV_ERR_INVALID naming what it is instead ("PATH is a FIFO
 * (named pipe), not a regular file"), OV_ERR_IO for other failures. */
int ov_regular_file_check(const char *path, struct ov_error *err);

/* Reads the whole regular file at path into a new malloc'd buffer (*buf, *len; free()).
 * OV_ERR_NOT_FOUND when it does not exist, OV_ERR_LIMIT when it is larger than max_len; a FIFO,
 * device, socket or directory is refused at once (OV_ERR_IO naming what it is), never read
 * and never waited on. */
int ov_file_read(const char *path, size_t max_len, uint8_t **buf, size_t *len,
                 struct ov_error *err);

/* Replaces path with data (mode 0600) so that a crash leaves either the old or the new file:
 * write a temp file next to it, fsync, rename over path, fsync the directory. When prev_path
 * is not NULL and path exists, the current file is kept as prev_path (hard link, or a copy
 * where links are not supported) before the rename. On failure the temp files are removed
 * and path is untouched. *committed (may be NULL) says whether path now holds data, which can
 * be true on failure when only the final directory fsync failed. The caller serialises
 * writers (ov_lock_acquire). */
int ov_atomic_replace(const char *path, const void *data, size_t len, const char *prev_path,
                      bool *committed, struct ov_error *err);

/* Creates path with data (mode 0600) only if it does not exist yet (OV_ERR_EXISTS otherwise):
 * the same temp file + fsync, then a no-replace link/rename and a directory fsync. A crash,
 * a full disk or an unwritable directory never leaves a partial file under path (nor a temp
 * file behind). For exports and backups, which must not overwrite what is there. */
int ov_atomic_create(const char *path, const void *data, size_t len, struct ov_error *err);

/* Removes what a replacement of path killed midway leaves behind: its temp files
 * "<path>.tmp.XXXXXX" (and their ".prev" links) and those of prev_path (may be NULL). They
 * never make a later replacement fail, but each holds a full copy of the data. Call it only
 * while holding the writer lock: another writer's temp file looks the same. */
void ov_atomic_remove_leftovers(const char *path, const char *prev_path);

/* Takes an exclusive flock on lock_path (created 0600 if missing), polling for up to
 * timeout_ms: OV_ERR_LOCKED if it is still held by someone else after that. The file is left
 * in place on release: removing it would let two writers lock different inodes. */
int ov_lock_acquire(const char *lock_path, unsigned timeout_ms, int *fd_out,
                    struct ov_error *err);
void ov_lock_release(int fd);

/* Creates the missing parent directories of path with mode 0700 (existing ones are left as
 * they are). */
int ov_mkdir_parents(const char *path, struct ov_error *err);

#endif
