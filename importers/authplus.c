/* Authenticator Plus (formats.md 17): "Backup & Restore -> Export as Text and HTML" writes a
 * ZIP archive, encrypted with the backup password (ZipCrypto), whose Accounts.txt is a URI
 * list.
 *
 * Its other backup, a .db file, is a SQLCipher database (the whole file encrypted, no
 * header). We do not read it; recognising it lets us say so, and what to do instead, rather
 * than fail with "unknown format" or, worse, import nothing without a word. */
#include <string.h>
#include <strings.h>

#include "otpvault/importer.h"
#include "lib/uri_zip.h"
#include "lib/zip_archive.h"

#define MEMBER "Accounts.txt"

/* Magic numbers of formats that are not SQLCipher, though as dense as it: an encrypted
 * database has no header at all (its first 16 bytes are the random KDF salt). */
static const char *const other_magic[] = {
    "SQLite format 3", "PK\003\004", "PK\005\006", "\x89PNG", "\xFF\xD8\xFF", "GIF8",
    "RIFF", "%PDF", "\xAC\xED", "AUTHENTICATORPRO", "AuthenticatorPro", "\x1F\x8B", "BZh",
    "\3757zXZ", /* xz: the octal escape keeps "7" out of a hex one */
};

/* Whether in looks like a SQLCipher database: whole 1 KiB pages (SQLCipher 3; 4 uses 4 KiB),
 * at least a schema page and a table page, and bytes indistinguishable from random from the
 * first one on. */
static bool looks_like_sqlcipher(const struct ov_blob *in)
{
    bool seen[256] = { false };
    size_t distinct = 0;
    uint32_t head;

    if (in->len < 2048 || in->len % 1024 != 0)
        return false;
    for (size_t i = 0; i < sizeof other_magic / sizeof *other_magic; i++)
        if (memcmp(in->data, other_magic[i], strlen(other_magic[i])) == 0)
            return false;
    /* andOTP's encrypted backups (also headerless) start with their PBKDF2 iteration count. */
    head = (uint32_t)in->data[0] << 24 | (uint32_t)in->data[1] << 16 |
           (uint32_t)in->data[2] << 8 | in->data[3];
    if (head >= 1000 && head <= 10000000)
        return false;
    /* 1024 random bytes take about 250 of the 256 values; text or structured data far fewer. */
    for (size_t i = 0; i < 1024; i++) {
        distinct += !seen[in->data[i]];
        seen[in->data[i]] = true;
    }
    return distinct >= 200;
}

static bool has_member(const struct ov_blob *in)
{
    struct ov_zip z;
    bool found = false;

    if (ov_zip_open(in, &z, NULL) == OV_OK) {
        for (size_t i = 0; i < z.count && !found; i++) {
            const char *name = ov_zip_member(&z, i);
            const char *base = name != NULL ? strrchr(name, '/') : NULL;
            found = name != NULL && strcasecmp(base != NULL ? base + 1 : name, MEMBER) == 0;
        }
    }
    ov_zip_close(&z);
    return found;
}

static int authplus_sniff(const struct ov_blob *in)
{
    if (ov_zip_magic(in))
        return has_member(in) ? 80 : 0;
    /* Low: a guess from the absence of structure, for a clear refusal. */
    return looks_like_sqlcipher(in) ? 20 : 0;
}

static int authplus_load(const struct ov_blob *in, struct ov_import_opts *opts,
                         struct ov_account_list *out, struct ov_error *err)
{
    if (ov_zip_magic(in))
        return ov_zip_uri_lists_load(in, MEMBER, opts, out, err);
    if (looks_like_sqlcipher(in))
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "%s: unsupported format (looks like an "
                            "encrypted Authenticator Plus database, SQLCipher); in "
                            "Authenticator Plus, use Backup & Restore > Export as Text and "
                            "HTML and import that ZIP file", in->name);
    return ov_error_set(err, OV_ERR_INVALID, "%s: not an Authenticator Plus export (a ZIP "
                        "archive holding %s)", in->name, MEMBER);
}

static bool authplus_encrypted(const struct ov_blob *in)
{
    return ov_zip_magic(in) && ov_zip_has_encrypted(in);
}

const struct ov_importer ov_importer_authplus = {
    .name = "authplus",
    .label = "Authenticator Plus export (password-protected ZIP with Accounts.txt)",
    .sniff = authplus_sniff, .load = authplus_load, .needs_password = true,
    .is_encrypted = authplus_encrypted,
};
