/* See uri_list.h. A plain text list of URIs, one per line (formats.md 19): otpauth://, motp://, steam:// and
 * Google Authenticator's otpauth-migration:// (as QR readers print them). Tolerates a BOM,
 * CRLF, surrounding blanks, blank lines and '#' comments. A bad line is a per-entry issue;
 * the rest still import. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "otpvault/importer.h"
#include "payload.h"
#include "uri_list.h"

static const char *const schemes[] = { "otpauth://", "otpauth-migration://", "motp://",
                                        "steam://" };

static bool has_uri_scheme(const char *line, size_t len)
{
    for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++) {
        size_t n = strlen(schemes[i]);
        if (len >= n && strncasecmp(line, schemes[i], n) == 0)
            return true;
    }
    return false;
}

/* Calls fn for each meaningful line: trimmed, not blank, not a comment. Stops early when fn
 * returns non-zero and returns that value. */
static int for_each_line(const struct ov_blob *in,
                         int (*fn)(const char *line, size_t len, size_t lineno, void *ctx),
                         void *ctx)
{
    const char *p = (const char *)in->data;
    const char *end = p + in->len;
    size_t lineno = 0;

    if (in->len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl != NULL ? nl : end;
        const char *s = p, *e = stop;
        int rc;

        lineno++;
        while (s < e && isspace((unsigned char)*s))
            s++;
        while (e > s && isspace((unsigned char)e[-1]))
            e--;
        p = nl != NULL ? nl + 1 : end;
        if (s == e || *s == '#')
            continue;
        rc = fn(s, (size_t)(e - s), lineno, ctx);
        if (rc != 0)
            return rc;
    }
    return 0;
}

struct sniff {
    int score;
    size_t lines;
};

static int sniff_line(const char *line, size_t len, size_t lineno, void *ctx)
{
    struct sniff *sn = ctx;

    if (has_uri_scheme(line, len)) {
        sn->score = sn->lines == 0 ? 90 : 70;
        return 1;
    }
    /* "QR-Code:otpauth-migration://..." as some reader apps copy it: a short label, not a
     * JSON or CSV field that happens to hold a URI (those formats have importers). */
    const char *at = memmem(line, len, "otpauth", 7);
    if (at != NULL && at - line <= 16 && has_uri_scheme(at, len - (size_t)(at - line))) {
        const char *p = line;
        while (p < at && strchr("\"',{[;", *p) == NULL)
            p++;
        if (p == at) {
            sn->score = 60;
            return 1;
        }
    }
    return ++sn->lines >= 16; /* a list has its URIs near the top */
}

/* Any other text gets a low score: if no export format claims it, reading it line by line
 * at least says what each line holds ("a web address", "plain text"). */
int ov_uri_list_sniff(const struct ov_blob *in)
{
    struct sniff sn = { 0, 0 };
    if (in->len == 0 || memchr(in->data, '\0', in->len) != NULL)
        return 0;
    for_each_line(in, sniff_line, &sn);
    return sn.score > 0 ? sn.score : OV_SNIFF_FALLBACK;
}

struct load_ctx {
    struct ov_import_opts *opts;
    struct ov_account_list *out;
};

static int load_line(const char *line, size_t len, size_t lineno, void *vctx)
{
    struct load_ctx *ctx = vctx;
    struct ov_error err = { 0 };

    /* Lines that are not URIs still go through the payload parser: it says what they are. */
    if (ov_import_payload(line, len, "line", lineno, ctx->opts, ctx->out, &err) != OV_OK)
        ov_import_issue_add(ctx->opts, lineno, "line %zu: %s", lineno, err.msg);
    return 0;
}

int ov_uri_list_load(const struct ov_blob *in, struct ov_import_opts *opts,
                     struct ov_account_list *out, struct ov_error *err)
{
    struct load_ctx ctx = { opts, out };
    size_t before = out->len, issues_before = opts->nissues;

    if (in->len == 0)
        return ov_error_set(err, OV_ERR_INVALID, "%s: the file is empty", in->name);
    if (memchr(in->data, '\0', in->len) != NULL)
        return ov_error_set(err, OV_ERR_INVALID, "%s: binary data, not a text list of URIs",
                            in->name);
    for_each_line(in, load_line, &ctx);
    if (out->len == before && opts->nmarks == 0 && opts->nissues > issues_before)
        return ov_error_set(err, OV_ERR_INVALID,
                            "%s: no otpauth:// or otpauth-migration:// URI could be read",
                            in->name);
    return OV_OK; /* blank lines and comments only: nothing to import, nothing wrong */
}
