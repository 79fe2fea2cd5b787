/* Reading members of a ZIP archive held in memory (libzip, read-only), including members
 * encrypted with a password (traditional PKWARE "ZipCrypto", or WinZip AES). The archive is
 * untrusted: the member count and every member's size are bounded, and the bytes a member
 * really inflates to are counted, so a zip bomb stops at the bound. */
#ifndef IMPORTERS_ZIP_ARCHIVE_H
#define IMPORTERS_ZIP_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zip.h>

#include "otpvault/error.h"
#include "otpvault/importer.h"
#include "sensitive_buf.h"

#define OV_ZIP_MAX_MEMBERS 1000
#define OV_ZIP_MAX_MEMBER_BYTES (16u * 1024u * 1024u) /* an export of 100,000 URIs fits */

struct ov_zip {
    zip_t *za;
    size_t count;       /* members, directories included */
    const char *name;   /* the input's name, for messages */
};

/* Whether in starts like a ZIP archive: a local file header, or the end record of an empty
 * archive. */
bool ov_zip_magic(const struct ov_blob *in);

/* OV_ERR_INVALID (not a ZIP archive, damaged) or OV_ERR_LIMIT (too many members). Always
 * call ov_zip_close, even after an error. */
int ov_zip_open(const struct ov_blob *in, struct ov_zip *z, struct ov_error *err);
void ov_zip_close(struct ov_zip *z);

/* The name of member i (UTF-8), or NULL when it is a directory or has no readable name. */
const char *ov_zip_member(struct ov_zip *z, size_t i);
/* Whether in is a ZIP archive with an encrypted member (for importer.is_encrypted). */
bool ov_zip_has_encrypted(const struct ov_blob *in);

/* Reads member i whole into buf (sensitive_buf.h), NUL-terminated; *len excludes the NUL.
 * The caller frees buf, also after an error. An encrypted member needs the password: without
 * one, or with a wrong one, OV_ERR_AUTH. A damaged member is OV_ERR_INVALID, one larger than
 * OV_ZIP_MAX_MEMBER_BYTES OV_ERR_LIMIT. Messages name the input and the member. */
int ov_zip_read(struct ov_zip *z, size_t i, const char *password, size_t password_len,
                struct ov_sensitive_buf *buf, size_t *len, struct ov_error *err);

#endif
