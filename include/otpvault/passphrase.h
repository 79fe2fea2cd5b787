/* Passphrases: reading one from a file descriptor or a file into secure memory, and a rough
 * strength hint for new ones. Shared by the CLI and the full-screen app. */
#ifndef OTPVAULT_PASSPHRASE_H
#define OTPVAULT_PASSPHRASE_H

#include <stdbool.h>
#include <stddef.h>
#include "otpvault/error.h"

#define OV_PASSPHRASE_MAX 1024

/* One line (up to max bytes) from fd into secure memory, without the newline (and a CR
 * before it). Reads a byte at a time so nothing past the first line is consumed (a pipe
 * shared with other data). NULL at end of input before any byte; *truncated when the line
 * was longer than max (the rest of it is consumed). */
char *ov_read_secret_line(int fd, size_t max, bool *truncated);

/* The first line of path (/dev/fd/N works) into *out (secure memory; free with
 * ov_secure_free_str). Errors name the path: unreadable, empty, longer than
 * OV_PASSPHRASE_MAX. */
int ov_passphrase_read_file(const char *path, char **out, struct ov_error *err);

enum ov_strength { OV_STRENGTH_WEAK = 0, OV_STRENGTH_FAIR, OV_STRENGTH_GOOD,
                   OV_STRENGTH_STRONG };

/* A rough estimate from length and the kinds of characters used, with a one-line hint such
 * as "weak: use 10 or more characters, or a few words". Not a guarantee: it only catches
 * the obviously short. */
enum ov_strength ov_passphrase_strength(const char *pass, const char **hint);

#endif
