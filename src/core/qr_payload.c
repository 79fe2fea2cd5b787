/* Classifying the text of one QR code. The authenticator kinds go to their parsers; for the
 * rest we say what the code holds, because "not an otpauth URI" does not tell a user with a
 * screenshot of three QR codes which one they scanned. The text may hold a secret, so it is
 * copied only into secure memory. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "otpvault/codec.h"
#include "otpvault/mem.h"
#include "otpvault/qr_payload.h"
#include "otpvault/uri.h"

#define QUOTE_CHARS 40
#define PREFIX_MAX 24 /* "QR-Code:" and the like, added by some reader apps */
#define NOT_EXPORT "not an authenticator export"

static bool is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static bool starts_with(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && strncasecmp(s, prefix, n) == 0;
}

static bool has_otpauth_scheme(const char *s, size_t len)
{
    static const char *const schemes[] = { "otpauth://", "motp://", "steam://" };

    for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++)
        if (starts_with(s, len, schemes[i]))
            return true;
    return false;
}

/* Binary: what no text QR code holds. Tab, CR and LF are text. */
static bool is_binary(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        size_t clen = ov_utf8_char_len(s + i, len - i);

        if (clen == 0 || c == 0x7f || (c < 0x20 && c != '\t' && c != '\r' && c != '\n'))
            return true;
        i += clen;
    }
    return false;
}

/* "user@example.com": one '@', a dot after it, no spaces. */
static bool is_email(const char *s, size_t len)
{
    const char *at = memchr(s, '@', len);
    const char *end = s + len;

    if (at == NULL || at == s || memchr(at + 1, '@', (size_t)(end - at - 1)) != NULL)
        return false;
    for (size_t i = 0; i < len; i++)
        if (is_blank((unsigned char)s[i]) || s[i] == '/' || s[i] == ':')
            return false;
    const char *dot = memchr(at + 1, '.', (size_t)(end - at - 1));
    return dot != NULL && dot > at + 1 && dot < end - 1;
}

/* Only Base32 characters (and the grouping spaces and dashes people add), long enough to be
 * a key: someone encoded the bare secret. */
static bool is_bare_key(const char *s, size_t len, size_t *significant)
{
    size_t n = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '-' || c == '=')
            continue;
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7')))
            return false;
        n++;
    }
    *significant = n;
    /* 16 characters = 80 bits, the shortest key in common use; a word that short and in
     * one case only (e.g. "HELLO") is more likely text. */
    return n >= 16 && n % 8 != 1 && n % 8 != 3 && n % 8 != 6;
}

/* A scheme "name://" with a plausible name. */
static bool has_link_scheme(const char *s, size_t len)
{
    for (size_t i = 0; i < len && i < 32; i++) {
        char c = s[i];
        if (c == ':')
            return i > 0 && len - i >= 3 && s[i + 1] == '/' && s[i + 2] == '/';
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))))
            return false;
    }
    return false;
}

static const struct {
    const char *prefix;
    enum ov_qr_content content;
} known_prefixes[] = {
    { "http://", OV_QR_WEB }, { "https://", OV_QR_WEB }, { "www.", OV_QR_WEB },
    { "WIFI:", OV_QR_WIFI },
    { "BEGIN:VCARD", OV_QR_CONTACT }, { "MECARD:", OV_QR_CONTACT },
    { "mailto:", OV_QR_EMAIL }, { "MATMSG:", OV_QR_EMAIL },
    { "tel:", OV_QR_PHONE },
    { "sms:", OV_QR_SMS }, { "smsto:", OV_QR_SMS }, { "mms:", OV_QR_SMS },
    { "geo:", OV_QR_GEO },
    { "BEGIN:VEVENT", OV_QR_CALENDAR }, { "BEGIN:VCALENDAR", OV_QR_CALENDAR },
    { "bitcoin:", OV_QR_PAYMENT }, { "ethereum:", OV_QR_PAYMENT },
    { "litecoin:", OV_QR_PAYMENT }, { "bitcoincash:", OV_QR_PAYMENT },
    { "monero:", OV_QR_PAYMENT }, { "dogecoin:", OV_QR_PAYMENT },
    { "lightning:", OV_QR_PAYMENT },
};

const char *ov_qr_content_name(enum ov_qr_content c)
{
    switch (c) {
    case OV_QR_OTPAUTH: return "an otpauth:// account";
    case OV_QR_MIGRATION: return "a Google Authenticator export";
    case OV_QR_EMPTY: return "no text";
    case OV_QR_WEB: return "a web address";
    case OV_QR_WIFI: return "Wi-Fi network settings";
    case OV_QR_CONTACT: return "a contact card";
    case OV_QR_EMAIL: return "an e-mail address";
    case OV_QR_PHONE: return "a phone number";
    case OV_QR_SMS: return "a text message";
    case OV_QR_GEO: return "a map location";
    case OV_QR_CALENDAR: return "a calendar event";
    case OV_QR_PAYMENT: return "a payment request";
    case OV_QR_OTHER_LINK: return "a link";
    case OV_QR_BARE_KEY: return "a bare secret key";
    case OV_QR_TEXT: return "plain text";
    case OV_QR_BINARY: return "binary data";
    }
    return "unknown content";
}

static enum ov_qr_content classify_other(const char *s, size_t len)
{
    size_t key_chars;

    if (len == 0)
        return OV_QR_EMPTY;
    if (is_binary(s, len))
        return OV_QR_BINARY;
    for (size_t i = 0; i < sizeof known_prefixes / sizeof *known_prefixes; i++)
        if (starts_with(s, len, known_prefixes[i].prefix))
            return known_prefixes[i].content;
    if (has_link_scheme(s, len))
        return OV_QR_OTHER_LINK;
    if (is_email(s, len))
        return OV_QR_EMAIL;
    if (is_bare_key(s, len, &key_chars))
        return OV_QR_BARE_KEY;
    return OV_QR_TEXT;
}

/* The message for content that is not ours. Quoting is left out where the text is private
 * (Wi-Fi passwords, contact details, keys) or says nothing (binary). s[0..len) is the
 * trimmed text; binary data is counted as it came (total bytes), white space and all. */
static int not_an_export(enum ov_qr_content c, const char *s, size_t len, size_t total,
                         struct ov_error *err)
{
    char quoted[QUOTE_CHARS * 4 + 8];
    size_t key_chars = 0;

    ov_text_excerpt(s, len, QUOTE_CHARS, quoted, sizeof quoted);
    switch (c) {
    case OV_QR_EMPTY:
        return ov_error_set(err, OV_ERR_INVALID, "no text (empty), " NOT_EXPORT);
    case OV_QR_BINARY:
        return ov_error_set(err, OV_ERR_INVALID, "binary data (%zu bytes), " NOT_EXPORT,
                            total);
    case OV_QR_TEXT:
        return ov_error_set(err, OV_ERR_INVALID, "plain text (\"%s\"), " NOT_EXPORT, quoted);
    case OV_QR_BARE_KEY:
        is_bare_key(s, len, &key_chars);
        return ov_error_set(err, OV_ERR_INVALID, "a bare secret key (%zu Base32 characters) "
                            "with no account name or settings, " NOT_EXPORT "; add it by hand",
                            key_chars);
    case OV_QR_WIFI:
    case OV_QR_CONTACT:
    case OV_QR_SMS:
    case OV_QR_CALENDAR:
        return ov_error_set(err, OV_ERR_INVALID, "%s, " NOT_EXPORT, ov_qr_content_name(c));
    default:
        return ov_error_set(err, OV_ERR_INVALID, "%s (%s), " NOT_EXPORT,
                            ov_qr_content_name(c), quoted);
    }
}

/* Some reader apps put a label in front of the text they decoded ("QR-Code:otpauth-..."):
 * a short run of letters, digits, '-', '_' or spaces ending in ':'. Returns the offset of
 * the URI behind it, or 0. */
static size_t reader_prefix(const char *s, size_t len)
{
    size_t i = 0;

    while (i < len && i < PREFIX_MAX) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == ' '))
            break;
        i++;
    }
    if (i == 0 || i >= len || s[i] != ':')
        return 0;
    i++;
    while (i < len && s[i] == ' ')
        i++;
    if (starts_with(s + i, len - i, "otpauth-migration://") ||
        starts_with(s + i, len - i, "otpauth://"))
        return i;
    return 0;
}

static int parse_otpauth(const char *uri, struct ov_account_list *out,
                         struct ov_import_opts *issues, struct ov_error *err)
{
    struct ov_account a;
    char warning[256];
    int rc = ov_uri_parse(uri, &a, warning, sizeof warning, err);

    if (rc != OV_OK) {
        size_t n = strcspn(uri, ":");
        ov_account_free(&a);
        ov_error_prefix(err, "%.*s:// URI", (int)n, uri);
        return rc;
    }
    if (warning[0] != '\0' && issues != NULL)
        ov_import_warning_add(issues, 1, "%s", warning);
    ov_account_list_push(out, &a);
    return OV_OK;
}

int ov_qr_payload_parse(const void *data, size_t len, struct ov_account_list *out,
                        struct ov_qr_payload *info, struct ov_import_opts *issues,
                        struct ov_error *err)
{
    struct ov_qr_payload local;
    const char *s = data, *prefix;
    size_t before = out->len, orig_len = len, skip;
    char *copy;
    int rc;

    if (info == NULL)
        info = &local;
    memset(info, 0, sizeof *info);
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        s += 3;
        len -= 3;
    }
    while (len > 0 && is_blank((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len > 0 && is_blank((unsigned char)s[len - 1]))
        len--;
    prefix = s;
    skip = reader_prefix(s, len);
    s += skip;
    len -= skip;

    if (starts_with(s, len, "otpauth-migration://")) {
        info->content = OV_QR_MIGRATION;
        info->is_migration = true;
    } else if (has_otpauth_scheme(s, len)) {
        info->content = OV_QR_OTPAUTH;
    } else {
        info->content = classify_other(s, len);
        return not_an_export(info->content, s, len, orig_len, err);
    }
    if (memchr(s, '\0', len) != NULL)
        return ov_error_set(err, OV_ERR_INVALID, "the URI contains a NUL byte");
    if (len > OV_QR_PAYLOAD_MAX)
        return ov_error_set(err, OV_ERR_LIMIT, "the URI is %zu bytes long, more than the %u "
                            "this program reads", len, OV_QR_PAYLOAD_MAX);

    copy = ov_secure_strndup(s, len); /* holds the secret(s) */
    if (info->is_migration)
        rc = ov_migration_parse_uri(copy, out, &info->batch, issues, err);
    else
        rc = parse_otpauth(copy, out, issues, err);
    ov_secure_free_str(copy);
    info->added = out->len - before;
    if (rc == OV_OK && skip > 0 && issues != NULL) {
        char shown[PREFIX_MAX * 4 + 8];
        ov_text_excerpt(prefix, skip, PREFIX_MAX + 2, shown, sizeof shown);
        ov_import_warning_add(issues, 0, "ignored \"%s\" in front of the URI", shown);
    }
    return rc;
}
