/* Stratum / Authenticator Pro HTML backup (formats.md 7.4): a table whose rows hold each
 * account's URI as <code>otpauth://...</code> next to its QR code. Stratum writes the URIs
 * unescaped; entity-escaped ones (&amp;) from other writers are decoded too. */
#include <string.h>
#include <strings.h>

#include "otpvault/importer.h"
#include "otpvault/mem.h"
#include "lib/payload.h"

#define OPEN "<code>"
#define CLOSE "</code>"
/* Secure memory cannot hold one block past its pool size (256 KiB); URIs are far shorter. */
#define CODE_MAX (64u * 1024u)

static const char *find_nocase(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);

    for (size_t i = 0; n <= len && i <= len - n; i++)
        if (strncasecmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

static bool is_uri_start(const char *p, size_t len)
{
    static const char *const schemes[] = { "otpauth://", "motp://" };

    for (size_t i = 0; i < 2; i++)
        if (len >= strlen(schemes[i]) && strncasecmp(p, schemes[i], strlen(schemes[i])) == 0)
            return true;
    return false;
}

static int html_sniff(const struct ov_blob *in)
{
    const char *text = (const char *)in->data, *code;

    if (memchr(in->data, '\0', in->len) != NULL || find_nocase(text, in->len, "<html") == NULL)
        return 0;
    code = find_nocase(text, in->len, OPEN);
    if (code == NULL)
        return 0;
    code += strlen(OPEN);
    return is_uri_start(code, in->len - (size_t)(code - text)) ? 85 : 0;
}

/* Decodes the five XML entities (and leaves anything else as it is) into out, which holds
 * len + 1 bytes. */
static size_t decode_entities(const char *s, size_t len, char *out)
{
    static const struct { const char *entity; char c; } ents[] = {
        { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' },
        { "&#39;", '\'' }, { "&apos;", '\'' },
    };
    size_t n = 0;

    for (size_t i = 0; i < len;) {
        size_t k;
        for (k = 0; k < sizeof ents / sizeof *ents; k++) {
            size_t el = strlen(ents[k].entity);
            if (len - i >= el && memcmp(s + i, ents[k].entity, el) == 0) {
                out[n++] = ents[k].c;
                i += el;
                break;
            }
        }
        if (k == sizeof ents / sizeof *ents)
            out[n++] = s[i++];
    }
    out[n] = '\0';
    return n;
}

static int html_load(const struct ov_blob *in, struct ov_import_opts *opts,
                     struct ov_account_list *out, struct ov_error *err)
{
    const char *p = (const char *)in->data, *end = p + in->len;
    size_t row = 0;

    if (memchr(in->data, '\0', in->len) != NULL)
        return ov_error_set(err, OV_ERR_INVALID, "binary data, not an HTML page");
    for (;;) {
        const char *open = find_nocase(p, (size_t)(end - p), OPEN), *start, *close;
        struct ov_error rerr = { 0 };
        size_t len;
        char *uri;

        if (open == NULL)
            break;
        row++;
        start = open + strlen(OPEN);
        close = find_nocase(start, (size_t)(end - start), CLOSE);
        if (close == NULL) {
            ov_import_issue_add(opts, row, "row %zu: <code> is not closed (truncated file?)",
                                row);
            break;
        }
        p = close + strlen(CLOSE);
        if ((size_t)(close - start) > CODE_MAX) {
            ov_import_issue_add(opts, row, "row %zu: %zu bytes in <code>, too long for a URI",
                                row, (size_t)(close - start));
            continue;
        }
        /* The URI holds the secret: decode it in secure memory. */
        uri = ov_secure_alloc((size_t)(close - start) + 1);
        len = decode_entities(start, (size_t)(close - start), uri);
        if (ov_import_payload(uri, len, "row", row, opts, out, &rerr) != OV_OK)
            ov_import_issue_add(opts, row, "row %zu: %s", row, rerr.msg);
        ov_secure_free(uri, (size_t)(close - start) + 1);
    }
    if (row == 0)
        return ov_error_set(err, OV_ERR_INVALID, "no <code>otpauth://...</code> row found "
                            "(not a Stratum HTML backup)");
    return OV_OK;
}

const struct ov_importer ov_importer_stratum_html = {
    .name = "stratum-html",
    .label = "Stratum / Authenticator Pro HTML backup (URIs in <code> rows)", .sniff = html_sniff,
    .load = html_load,
};
