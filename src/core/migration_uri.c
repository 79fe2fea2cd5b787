/* otpauth-migration://offline?data=<Base64>: getting the payload out of the text a QR reader
 * (or a person pasting it) produced, and writing the text Google Authenticator writes.
 * The data= value is the whole secret store, so every copy of it is in secure memory. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "otpvault/codec.h"
#include "otpvault/mem.h"
#include "otpvault/migration.h"

#define SCHEME "otpauth-migration://"
#define URI_PREFIX "otpauth-migration://offline?data="

static bool is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static bool is_b64_char(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '+' || c == '/' || c == '-' || c == '_';
}

/* Finds the raw (still percent-encoded) value of data= in the query of uri[0..len). The first
 * occurrence wins, as with Android's getQueryParameter. */
static int find_data(const char *uri, size_t len, const char **value, size_t *value_len,
                     struct ov_error *err)
{
    const char *q = memchr(uri, '?', len);
    const char *end = uri + len;
    const char *hash;

    if (q == NULL)
        return ov_error_set(err, OV_ERR_INVALID,
                            "otpauth-migration URI has no data= parameter (no query at all)");
    /* Base64 never contains '#': whatever follows is a fragment. */
    hash = memchr(q, '#', (size_t)(end - q));
    if (hash != NULL)
        end = hash;
    for (const char *p = q + 1; p < end;) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp != NULL ? amp : end;

        if (stop - p >= 5 && strncasecmp(p, "data=", 5) == 0) {
            *value = p + 5;
            *value_len = (size_t)(stop - p - 5);
            return OV_OK;
        }
        p = stop + 1;
    }
    return ov_error_set(err, OV_ERR_INVALID, "otpauth-migration URI has no data= parameter");
}

/* Percent-decodes the raw value, checks that what remains is Base64, and decodes it.
 * Positions in messages count characters of the value as written, which is what the user can
 * look at. */
static int decode_data(const char *raw, size_t raw_len, uint8_t **data, size_t *len,
                       struct ov_error *err)
{
    char *text;
    size_t text_len, cap, ri = 0, padding = 0;
    uint8_t *buf;
    int rc;

    /* Even fully percent-encoded, the Base64 of the largest payload we read is shorter than
     * this. Refused before any copy: secure memory cannot hand out one block beyond its pool
     * size (16 MiB) and aborts instead. */
    if (raw_len > 4u * OV_MIGRATION_MAX_PAYLOAD)
        return ov_error_set(err, OV_ERR_LIMIT, "data= is %zu characters long, more than the "
                            "%d bytes of migration data this program reads could take",
                            raw_len, OV_MIGRATION_MAX_PAYLOAD);
    text = ov_secure_alloc(raw_len + 1);
    rc = ov_percent_decode(raw, raw_len, text, &text_len, err);
    if (rc != OV_OK) {
        ov_secure_free(text, raw_len + 1);
        ov_error_prefix(err, "data= is not valid");
        return rc;
    }
    for (size_t ti = 0; ti < text_len; ti++) {
        unsigned char c = (unsigned char)text[ti];
        size_t pos = ri + 1;

        ri += raw[ri] == '%' ? 3 : 1;
        /* A reader that decoded the query form-style turned '+' into ' ': undo that. */
        if (c == ' ')
            c = (unsigned char)(text[ti] = '+');
        if (is_blank(c))
            continue; /* line breaks in a pasted value */
        if (c == '=') {
            padding++;
            continue;
        }
        if (!is_b64_char(c) || padding > 0) {
            char shown[16];
            ov_text_excerpt((const char *)&c, 1, 1, shown, sizeof shown);
            ov_secure_free(text, raw_len + 1);
            return ov_error_set(err, OV_ERR_INVALID,
                                "data= is not valid Base64 at position %zu ('%s'%s)", pos, shown,
                                padding > 0 ? " after '=' padding" : "");
        }
    }
    cap = ov_base64_decoded_max(text_len);
    buf = ov_secure_alloc(cap);
    /* Missing '=' padding is accepted by the decoder itself. */
    rc = ov_base64_decode(text, text_len, buf, len, err);
    ov_secure_free(text, raw_len + 1);
    if (rc != OV_OK) {
        ov_secure_free(buf, cap);
        ov_error_prefix(err, "data= is not valid Base64");
        return rc;
    }
    if (*len == 0) {
        ov_secure_free(buf, cap);
        return ov_error_set(err, OV_ERR_INVALID, "otpauth-migration URI has an empty data= "
                            "parameter");
    }
    /* Hand out an exact-size block so the caller can free it with the length it knows. */
    *data = ov_secure_alloc(*len);
    memcpy(*data, buf, *len);
    ov_secure_free(buf, cap);
    return OV_OK;
}

int ov_migration_uri_data(const char *uri, uint8_t **data, size_t *len, struct ov_error *err)
{
    size_t n = strlen(uri), vlen = 0;
    const char *value = NULL;
    int rc;

    *data = NULL;
    *len = 0;
    if (n >= 3 && memcmp(uri, "\xEF\xBB\xBF", 3) == 0) {
        uri += 3;
        n -= 3;
    }
    while (n > 0 && is_blank((unsigned char)*uri)) {
        uri++;
        n--;
    }
    while (n > 0 && is_blank((unsigned char)uri[n - 1]))
        n--;
    if (n < strlen(SCHEME) || strncasecmp(uri, SCHEME, strlen(SCHEME)) != 0)
        return ov_error_set(err, OV_ERR_INVALID, "not an otpauth-migration:// URI");
    if ((rc = find_data(uri, n, &value, &vlen, err)) != OV_OK)
        return rc;
    if (vlen == 0)
        return ov_error_set(err, OV_ERR_INVALID, "otpauth-migration URI has an empty data= "
                            "parameter");
    return decode_data(value, vlen, data, len, err);
}

int ov_migration_parse_uri(const char *uri, struct ov_account_list *out,
                           struct ov_migration_batch *batch, struct ov_import_opts *issues,
                           struct ov_error *err)
{
    uint8_t *data;
    size_t len;
    int rc;

    if (batch != NULL)
        memset(batch, 0, sizeof *batch);
    rc = ov_migration_uri_data(uri, &data, &len, err);
    if (rc != OV_OK)
        return rc;
    rc = ov_migration_decode(data, len, out, batch, issues, err);
    ov_secure_free(data, len);
    return rc;
}

/* Base64's '+', '/' and '=' are the only characters that need escaping in the query. */
static char *format_uri(const uint8_t *payload, size_t len)
{
    static const char hexd[] = "0123456789ABCDEF";
    size_t b64_len = ov_base64_encoded_len(len);
    char *b64 = ov_secure_alloc(b64_len + 1);
    size_t cap = strlen(URI_PREFIX) + b64_len * 3 + 1, n = strlen(URI_PREFIX);
    char *uri = ov_secure_alloc(cap);

    ov_base64_encode(payload, len, b64, 0);
    memcpy(uri, URI_PREFIX, n);
    for (size_t i = 0; i < b64_len; i++) {
        unsigned char c = (unsigned char)b64[i];
        if (c == '+' || c == '/' || c == '=') {
            uri[n++] = '%';
            uri[n++] = hexd[c >> 4];
            uri[n++] = hexd[c & 15];
        } else {
            uri[n++] = (char)c;
        }
    }
    uri[n] = '\0';
    ov_secure_free(b64, b64_len + 1);
    /* Trim to the real length: ov_secure_free_str wipes strlen + 1 bytes. */
    char *exact = ov_secure_strndup(uri, n);
    ov_secure_free(uri, cap);
    return exact;
}

int ov_migration_encode_uri(const struct ov_account *accounts, size_t n,
                            const struct ov_migration_batch *batch, char **uri,
                            struct ov_error *err)
{
    uint8_t *payload;
    size_t len;
    int rc;

    *uri = NULL;
    rc = ov_migration_encode(accounts, n, batch, &payload, &len, err);
    if (rc != OV_OK)
        return rc;
    *uri = format_uri(payload, len);
    ov_secure_free(payload, len);
    return OV_OK;
}

int ov_migration_encode_uris(const struct ov_account *accounts, size_t n, size_t per_qr,
                             char ***uris, size_t *count, struct ov_error *err)
{
    struct ov_migration_batch b = { 1, 0, 0, true, 0 };
    size_t nuris;
    char **list;
    int rc;

    *uris = NULL;
    *count = 0;
    if (per_qr == 0)
        per_qr = OV_MIGRATION_PER_QR;
    if (n == 0)
        return ov_error_set(err, OV_ERR_INVALID, "no accounts to put in the migration data");
    /* Check everything first, so that a bad account last does not waste the others' work. */
    for (size_t i = 0; i < n; i++)
        if ((rc = ov_migration_check_account(&accounts[i], err)) != OV_OK)
            return rc;
    nuris = (n + per_qr - 1) / per_qr;
    if (nuris > INT32_MAX)
        return ov_error_set(err, OV_ERR_LIMIT, "too many QR codes (%zu)", nuris);
    list = ov_xcalloc(nuris, sizeof *list);
    b.batch_size = (int32_t)nuris;
    b.batch_id = ov_migration_new_batch_id();
    for (size_t i = 0; i < nuris; i++) {
        size_t first = i * per_qr, k = n - first < per_qr ? n - first : per_qr;

        b.batch_index = (int32_t)i;
        rc = ov_migration_encode_uri(accounts + first, k, &b, &list[i], err);
        if (rc != OV_OK) {
            ov_migration_uris_free(list, i);
            return rc;
        }
    }
    *uris = list;
    *count = nuris;
    return OV_OK;
}

void ov_migration_uris_free(char **uris, size_t count)
{
    if (uris == NULL)
        return;
    for (size_t i = 0; i < count; i++)
        ov_secure_free_str(uris[i]);
    free(uris);
}
