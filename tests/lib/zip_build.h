/* ZIP archives for the ZIP importers' tests (Authenticator Plus, WinAuth, otpauth lists):
 * members plain or encrypted (ZipCrypto, WinZip AES), and directories. */
#ifndef TESTS_LIB_ZIP_BUILD_H
#define TESTS_LIB_ZIP_BUILD_H

#include <stddef.h>
#include <stdint.h>
#include <zip.h>

struct zip_member {
    const char *name;      /* ending in '/': a directory */
    const void *data;
    size_t len;            /* 0: strlen(data) */
    zip_uint16_t method;   /* ZIP_EM_NONE, ZIP_EM_TRAD_PKWARE, ZIP_EM_AES_256 */
};

/* The bytes of an archive holding the members (malloc'd); NULL when libzip cannot write the
 * requested encryption. */
uint8_t *zip_make(const struct zip_member *m, size_t n, const char *password, size_t *len);

#endif
