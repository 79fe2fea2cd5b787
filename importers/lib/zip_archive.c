/* See zip_archive.h. Plaintext passes through libzip's own buffers (decryption, inflate) on
 * its way to ours; those are ordinary heap we cannot wipe. Ours are sensitive_buf.h's. */
#include <string.h>

#include "otpvault/codec.h"
#include "otpvault/mem.h"
#include "zip_archive.h"

#define NAME_CHARS 60

bool ov_zip_magic(const struct ov_blob *in)
{
    return in->len >= 4 && memcmp(in->data, "PK", 2) == 0 &&
           ((in->data[2] == 3 && in->data[3] == 4) || (in->data[2] == 5 && in->data[3] == 6));
}

int ov_zip_open(const struct ov_blob *in, struct ov_zip *z, struct ov_error *err)
{
    zip_error_t ze;
    zip_source_t *src;
    zip_int64_t n;

    memset(z, 0, sizeof *z);
    z->name = in->name;
    if (!ov_zip_magic(in))
        return ov_error_set(err, OV_ERR_INVALID, "%s: not a ZIP archive", in->name);
    zip_error_init(&ze);
    src = zip_source_buffer_create(in->data, in->len, 0, &ze);
    if (src != NULL) {
        z->za = zip_open_from_source(src, ZIP_RDONLY, &ze);
        if (z->za == NULL)
            zip_source_free(src); /* the archive owns the source only once opened */
    }
    if (z->za == NULL) {
        int rc = ov_error_set(err, OV_ERR_INVALID, "%s: damaged or truncated ZIP archive (%s)",
                              in->name, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return rc;
    }
    zip_error_fini(&ze);
    n = zip_get_num_entries(z->za, 0);
    if (n < 0)
        return ov_error_set(err, OV_ERR_INVALID, "%s: damaged ZIP archive", in->name);
    if (n > OV_ZIP_MAX_MEMBERS)
        return ov_error_set(err, OV_ERR_LIMIT, "%s: the archive has %lld members, more than "
                            "the %d an export could hold", in->name, (long long)n,
                            OV_ZIP_MAX_MEMBERS);
    z->count = (size_t)n;
    return OV_OK;
}

void ov_zip_close(struct ov_zip *z)
{
    if (z->za != NULL)
        zip_discard(z->za);
    z->za = NULL;
    z->count = 0;
}

const char *ov_zip_member(struct ov_zip *z, size_t i)
{
    const char *name = i < z->count ? zip_get_name(z->za, i, ZIP_FL_ENC_GUESS) : NULL;
    size_t len = name != NULL ? strlen(name) : 0;

    return len == 0 || name[len - 1] == '/' ? NULL : name;
}

static bool ov_zip_member_encrypted(struct ov_zip *z, size_t i)
{
    zip_stat_t st;

    zip_stat_init(&st);
    return i < z->count && zip_stat_index(z->za, i, 0, &st) == 0 &&
           (st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE;
}

bool ov_zip_has_encrypted(const struct ov_blob *in)
{
    struct ov_zip z;
    bool found = false;

    if (ov_zip_open(in, &z, NULL) == OV_OK)
        for (size_t i = 0; i < z.count && !found; i++)
            found = ov_zip_member_encrypted(&z, i);
    ov_zip_close(&z);
    return found;
}

/* Maps a libzip error while opening or reading a member to our status and message. With an
 * encrypted member, damage after the one-byte password check is what a wrong password looks
 * like (ZipCrypto lets 1 wrong password in 256 pass that check): both say so. */
static int member_error(struct ov_zip *z, const char *shown, bool encrypted, zip_error_t *ze,
                        struct ov_error *err)
{
    int code = zip_error_code_zip(ze);

    switch (code) {
    case ZIP_ER_NOPASSWD:
        return ov_error_set(err, OV_ERR_AUTH, "%s: %s is encrypted: a password is needed",
                            z->name, shown);
    case ZIP_ER_WRONGPASSWD:
        return ov_error_set(err, OV_ERR_AUTH, "%s: wrong password or damaged file", z->name);
    case ZIP_ER_ENCRNOTSUPP:
    case ZIP_ER_COMPNOTSUPP:
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "%s: %s: %s", z->name, shown,
                            zip_error_strerror(ze));
    case ZIP_ER_MEMORY:
        return ov_error_set(err, OV_ERR_NOMEM, "%s: out of memory", z->name);
    default:
        if (encrypted)
            return ov_error_set(err, OV_ERR_AUTH, "%s: wrong password or damaged file (%s: %s)",
                                z->name, shown, zip_error_strerror(ze));
        return ov_error_set(err, OV_ERR_INVALID, "%s: damaged ZIP archive (%s: %s)", z->name,
                            shown, zip_error_strerror(ze));
    }
}

/* Reads the opened member f into buf (cap bytes, one more than its declared size). */
static int read_all(struct ov_zip *z, zip_file_t *f, const char *shown, bool encrypted,
                    uint8_t *buf, size_t cap, size_t *len, struct ov_error *err)
{
    size_t total = 0;

    for (;;) {
        zip_int64_t n = zip_fread(f, buf + total, cap - total);
        if (n < 0)
            return member_error(z, shown, encrypted, zip_file_get_error(f), err);
        if (n == 0)
            break;
        total += (size_t)n;
        /* The spare byte filled: the member inflates to more than its header says. */
        if (total == cap)
            return ov_error_set(err, encrypted ? OV_ERR_AUTH : OV_ERR_INVALID, "%s: %s "
                                "inflates to more than the %zu bytes its header says%s",
                                z->name, shown, cap - 1,
                                encrypted ? " (wrong password or damaged file)" : "");
    }
    if (total != cap - 1)
        return ov_error_set(err, encrypted ? OV_ERR_AUTH : OV_ERR_INVALID, "%s: %s is %zu "
                            "bytes, not the %zu its header says%s", z->name, shown, total,
                            cap - 1, encrypted ? " (wrong password or damaged file)" : "");
    *len = total;
    return OV_OK;
}

int ov_zip_read(struct ov_zip *z, size_t i, const char *password, size_t password_len,
                struct ov_sensitive_buf *out, size_t *len, struct ov_error *err)
{
    const char *raw = i < z->count ? zip_get_name(z->za, i, ZIP_FL_ENC_GUESS) : NULL;
    char shown[NAME_CHARS * 4 + 8];
    zip_stat_t st;
    zip_file_t *f;
    char *pw = NULL;
    uint8_t *buf;
    size_t cap;
    bool encrypted;
    int rc;

    *out = (struct ov_sensitive_buf){ 0 };
    *len = 0;
    ov_text_excerpt(raw != NULL ? raw : "?", raw != NULL ? strlen(raw) : 1, NAME_CHARS, shown,
                    sizeof shown);
    zip_stat_init(&st);
    if (raw == NULL || zip_stat_index(z->za, i, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
        return ov_error_set(err, OV_ERR_INVALID, "%s: damaged ZIP archive (member %zu)",
                            z->name, i + 1);
    if (st.size > OV_ZIP_MAX_MEMBER_BYTES)
        return ov_error_set(err, OV_ERR_LIMIT, "%s: %s is %llu bytes uncompressed, more than "
                            "the %u MiB an export could need", z->name, shown,
                            (unsigned long long)st.size, OV_ZIP_MAX_MEMBER_BYTES >> 20);
    encrypted = (st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE;
    if (encrypted && password == NULL)
        return ov_error_set(err, OV_ERR_AUTH, "%s: %s is encrypted: a password is needed",
                            z->name, shown);
    if (encrypted) {
        pw = ov_secure_strndup(password, password_len);
        f = zip_fopen_index_encrypted(z->za, i, 0, pw);
    } else {
        f = zip_fopen_index(z->za, i, 0);
    }
    if (f == NULL) {
        rc = member_error(z, shown, encrypted, zip_get_error(z->za), err);
        ov_secure_free(pw, pw != NULL ? password_len + 1 : 0);
        return rc;
    }
    cap = (size_t)st.size + 1;
    buf = ov_sensitive_alloc(out, cap);
    rc = read_all(z, f, shown, encrypted, buf, cap, len, err);
    zip_fclose(f);
    ov_secure_free(pw, pw != NULL ? password_len + 1 : 0);
    if (rc != OV_OK) {
        ov_sensitive_free(out);
        *len = 0;
        return rc;
    }
    buf[*len] = '\0';
    return OV_OK;
}
