/* The checks behind "readable by other users" and "writable by other users" warnings. */
#include <limits.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "otpvault/exposure.h"
#include "otpvault/mem.h"

static void add(struct ov_exposure *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void add(struct ov_exposure *out, const char *fmt, ...)
{
    va_list ap;

    if (out->count >= OV_EXPOSURE_MAX)
        return;
    va_start(ap, fmt);
    vsnprintf(out->msg[out->count], sizeof out->msg[out->count], fmt, ap);
    va_end(ap);
    out->count++;
}

static void check_dir(const char *dir, struct ov_exposure *out)
{
    struct stat st;
    uid_t me = geteuid();

    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return;
    if (st.st_uid != me && st.st_uid != 0) {
        add(out, "%s, which holds the vault, belongs to another user (uid %u), who can "
            "replace the vault", dir, (unsigned)st.st_uid);
        return;
    }
    if (st.st_mode & S_ISVTX)
        return;
    if ((st.st_mode & S_IWOTH) || ((st.st_mode & S_IWGRP) && st.st_gid != getegid()))
        add(out, "%s, which holds the vault, can be written by other users (mode %03o), "
            "who can replace the vault; run: chmod go-w %s", dir,
            (unsigned)(st.st_mode & 0777), dir);
}

/* Whether dir is home or inside it (both resolved). */
static bool under(const char *dir, const char *home)
{
    size_t n = strlen(home);
    return strncmp(dir, home, n) == 0 && (dir[n] == '/' || dir[n] == '\0' ||
                                          (n == 1 && home[0] == '/'));
}

void ov_vault_exposure(const char *path, const char *home, struct ov_exposure *out)
{
    struct stat st;
    char *real, *real_home = NULL, *slash;
    bool stop_at_home;

    out->count = 0;
    if (stat(path, &st) != 0)
        return;
    if (S_ISREG(st.st_mode) && (st.st_mode & 077) != 0)
        add(out, "%s is readable by other users (mode %03o); run: chmod 600 %s", path,
            (unsigned)(st.st_mode & 0777), path);
    if ((real = realpath(path, NULL)) == NULL)
        return;
    if (home != NULL && home[0] != '\0')
        real_home = realpath(home, NULL);
    stop_at_home = real_home != NULL && under(real, real_home);
    /* Walk up from the vault's own directory. */
    while ((slash = strrchr(real, '/')) != NULL) {
        if (slash == real)
            slash[1] = '\0'; /* the root */
        else
            *slash = '\0';
        check_dir(real, out);
        if ((stop_at_home && strcmp(real, real_home) == 0) || strcmp(real, "/") == 0)
            break;
    }
    free(real_home);
    free(real);
}
