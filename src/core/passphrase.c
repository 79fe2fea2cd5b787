/* Passphrase input and strength hints (see passphrase.h). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "otpvault/mem.h"
#include "otpvault/passphrase.h"

#define WEAK_LEN 10

char *ov_read_secret_line(int fd, size_t max, bool *truncated)
{
    char *buf = ov_secure_alloc(max + 1);
    size_t n = 0;
    bool got_any = false;

    *truncated = false;
    for (;;) {
        char ch;
        ssize_t r = read(fd, &ch, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got_any = true;
        if (ch == '\n')
            break;
        if (n == max) {
            *truncated = true;
            continue;
        }
        buf[n++] = ch;
    }
    if (n > 0 && buf[n - 1] == '\r')
        buf[--n] = '\0';
    if (!got_any) {
        ov_secure_free(buf, max + 1);
        return NULL;
    }
    /* Shrink to the real length so ov_secure_free_str wipes exactly what is used. */
    char *exact = ov_secure_strndup(buf, n);
    ov_secure_free(buf, max + 1);
    return exact;
}

int ov_passphrase_read_file(const char *path, char **out, struct ov_error *err)
{
    bool truncated;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    char *pass;

    *out = NULL;
    if (fd < 0)
        return ov_error_set(err, OV_ERR_IO, "%s: cannot read the passphrase file: %s", path,
                            strerror(errno));
    pass = ov_read_secret_line(fd, OV_PASSPHRASE_MAX, &truncated);
    close(fd);
    if (pass == NULL)
        return ov_error_set(err, OV_ERR_INVALID, "%s: the passphrase file is empty", path);
    if (truncated) {
        ov_secure_free_str(pass);
        return ov_error_set(err, OV_ERR_LIMIT, "%s: the passphrase is longer than %d bytes",
                            path, OV_PASSPHRASE_MAX);
    }
    *out = pass;
    return OV_OK;
}

enum ov_strength ov_passphrase_strength(const char *pass, const char **hint)
{
    bool lower = false, upper = false, digit = false, symbol = false, other = false;
    size_t len = strlen(pass), chars = 0;
    double pool = 0, bits;
    enum ov_strength s;

    for (const unsigned char *p = (const unsigned char *)pass; *p != '\0'; p++) {
        if ((*p & 0xC0) != 0x80)
            chars++;
        if (*p >= 'a' && *p <= 'z')
            lower = true;
        else if (*p >= 'A' && *p <= 'Z')
            upper = true;
        else if (*p >= '0' && *p <= '9')
            digit = true;
        else if (*p < 0x80)
            symbol = true;
        else
            other = true;
    }
    pool = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (symbol ? 33 : 0) +
           (other ? 100 : 0);
    bits = len > 0 && pool > 0 ? (double)chars * log2(pool) : 0;
    if (chars < WEAK_LEN || bits < 50)
        s = OV_STRENGTH_WEAK;
    else if (bits < 65)
        s = OV_STRENGTH_FAIR;
    else if (bits < 90)
        s = OV_STRENGTH_GOOD;
    else
        s = OV_STRENGTH_STRONG;
    if (hint != NULL) {
        static const char *const hints[] = {
            "weak: easy to guess; use 10 or more characters, or a few words",
            "fair: another word or two would make it strong",
            "good",
            "strong",
        };
        *hint = hints[s];
    }
    return s;
}
