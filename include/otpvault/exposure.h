/* Who besides the user could read the vault, or swap it for another file: the checks behind
 * the faces' warnings. A vault file others can read gives away its ciphertext to offline
 * guessing; a directory others can write (the vault's own, or a parent of it) lets them
 * replace the vault, or its .prev and lock files, with files of their choosing. */
#ifndef OTPVAULT_EXPOSURE_H
#define OTPVAULT_EXPOSURE_H

#include <stddef.h>

#define OV_EXPOSURE_MAX 8
#define OV_EXPOSURE_MSG_MAX 640

struct ov_exposure {
    size_t count;
    char msg[OV_EXPOSURE_MAX][OV_EXPOSURE_MSG_MAX]; /* each with the fix, e.g. "run: chmod" */
};

/* Checks the vault file at path (mode bits for group and others) and the directories that
 * hold it: its own, then each parent up to and including home when the vault is under home
 * (home NULL or "": up to the root). A directory is exposed when others, or a group that
 * is not the user's own, may write it, unless it has the sticky bit (as /tmp does: others
 * may not rename or remove entries they do not own there), or when it belongs to another
 * user than the user and root. Paths in the messages are as given or as resolved; callers
 * show them through the display form. Missing files are not reported. */
void ov_vault_exposure(const char *path, const char *home, struct ov_exposure *out);

#endif
