/* otpauth://, motp:// and steam:// URIs: parsing with the deviations of formats.md 20.3 and
 * the issuer/name contract of design.md 4.1, and formatting that reads back identically.
 * The URI text holds the secret, so every copy of it lives in secure memory. */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "otpvault/codec.h"
#include "otpvault/mem.h"
#include "otpvault/secret_text.h"
#include "otpvault/uri.h"

#define WARN_MAX 256

struct param {
    const char *key;   /* points into the secure copy of the URI */
    const char *raw;   /* still encoded, also in the copy */
    char *value;       /* decoded, secure memory; "" for a valueless flag; NULL if unused */
    size_t value_size; /* allocation size, for wiping */
    bool has_value;
};

/* Only these are decoded: a malformed value in a parameter we ignore (an icon URL, Ente's
 * codeDisplay) must not cost the user the account. */
static const char *const known_keys[] = { "secret", "issuer", "algorithm", "digits", "period",
                                          "counter", "encoder", "steam", "pin" };

struct query {
    struct param *items;
    size_t len;
};

struct warnings {
    char text[WARN_MAX];
};

static void warn(struct warnings *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warn(struct warnings *w, const char *fmt, ...)
{
    size_t used = strlen(w->text);
    va_list ap;

    if (used > 0 && used + 2 < sizeof w->text) {
        memcpy(w->text + used, "; ", 3);
        used += 2;
    }
    va_start(ap, fmt);
    vsnprintf(w->text + used, sizeof w->text - used, fmt, ap);
    va_end(ap);
}

/* Codec errors say "at position N"; we add which part of the URI N counts in. */
static int wrap_error(struct ov_error *err, int rc, const char *where)
{
    char inner[OV_ERROR_MSG_MAX];

    if (err == NULL)
        return rc;
    memcpy(inner, err->msg, sizeof inner);
    if (strstr(inner, " at position ") != NULL)
        return ov_error_set(err, rc, "%s of %s", inner, where);
    return ov_error_set(err, rc, "%s: %s", where, inner);
}

static void query_free(struct query *q)
{
    for (size_t i = 0; i < q->len; i++)
        ov_secure_free(q->items[i].value, q->items[i].value_size);
    free(q->items);
    memset(q, 0, sizeof *q);
}

/* Query values are decoded the Android way (what Aegis and most exporters rely on): '+' is a
 * space, then %XX. '%2B' therefore still gives a literal '+'. */
static int decode_query_value(const char *raw, size_t len, const char *key, struct param *p,
                              struct ov_error *err)
{
    char *tmp = ov_secure_alloc(len + 1);
    size_t out_len;
    int rc;

    for (size_t i = 0; i < len; i++)
        tmp[i] = raw[i] == '+' ? ' ' : raw[i];
    p->value_size = len + 1;
    p->value = ov_secure_alloc(p->value_size);
    rc = ov_percent_decode(tmp, len, p->value, &out_len, err);
    ov_secure_free(tmp, len + 1);
    if (rc != OV_OK) {
        char where[64];
        snprintf(where, sizeof where, "parameter %s", key);
        return wrap_error(err, rc, where);
    }
    if (strlen(p->value) != out_len)
        return ov_error_set(err, OV_ERR_INVALID, "parameter %s contains a NUL character (%%00)",
                            key);
    return OV_OK;
}

/* Splits "k=v&k2=v2&flag" in place (s is the secure copy) and decodes the values we use. Keys
 * are matched case-insensitively; empty segments ("&&") are skipped. */
static int parse_query(char *s, struct query *q, struct ov_error *err)
{
    size_t cap = 0;
    int rc;

    while (s != NULL && *s != '\0') {
        char *next = strchr(s, '&');
        char *eq;
        struct param *p;

        if (next != NULL)
            *next++ = '\0';
        if (*s == '\0') {
            s = next;
            continue;
        }
        if (q->len == cap) {
            cap = cap == 0 ? 8 : cap * 2;
            q->items = ov_xrealloc(q->items, cap * sizeof *q->items);
        }
        p = &q->items[q->len++];
        memset(p, 0, sizeof *p);
        eq = strchr(s, '=');
        if (eq != NULL)
            *eq++ = '\0';
        p->key = s;
        p->raw = eq != NULL ? eq : "";
        p->has_value = eq != NULL;
        for (size_t k = 0; k < sizeof known_keys / sizeof *known_keys; k++) {
            if (strcasecmp(s, known_keys[k]) == 0) {
                rc = decode_query_value(p->raw, strlen(p->raw), s, p, err);
                if (rc != OV_OK)
                    return rc;
                break;
            }
        }
        s = next;
    }
    return OV_OK;
}

/* The first occurrence wins, as with Android's Uri.getQueryParameter. Only known_keys are
 * looked up, so value is always decoded here. */
static const struct param *find_param(const struct query *q, const char *key)
{
    for (size_t i = 0; i < q->len; i++)
        if (q->items[i].value != NULL && strcasecmp(q->items[i].key, key) == 0)
            return &q->items[i];
    return NULL;
}

static const char *param_value(const struct query *q, const char *key)
{
    const struct param *p = find_param(q, key);
    return p != NULL ? p->value : NULL;
}

static int bad_value(struct ov_error *err, const char *key, const char *value)
{
    return ov_error_set(err, OV_ERR_INVALID, "unknown parameter value %s=%.40s%s", key, value,
                        strlen(value) > 40 ? "..." : "");
}

/* A plain decimal number: no sign, no spaces, no trailing text. */
static int parse_uint(const char *key, const char *value, uint64_t max, uint64_t *out,
                      struct ov_error *err)
{
    uint64_t v = 0;

    if (value[0] == '\0')
        return bad_value(err, key, value);
    for (const char *c = value; *c != '\0'; c++) {
        if (*c < '0' || *c > '9')
            return bad_value(err, key, value);
        if (v > (UINT64_MAX - (uint64_t)(*c - '0')) / 10)
            return ov_error_set(err, OV_ERR_INVALID, "parameter value %s=%.40s is too large",
                                key, value);
        v = v * 10 + (uint64_t)(*c - '0');
    }
    if (v > max)
        return ov_error_set(err, OV_ERR_INVALID,
                            "parameter value %s=%.40s is out of range (at most %" PRIu64 ")",
                            key, value, max);
    *out = v;
    return OV_OK;
}

static const char *skip_spaces(const char *s)
{
    while (*s == ' ')
        s++;
    return s;
}

static void set_text_n(char **field, const char *s, size_t n)
{
    char *copy = ov_xstrndup(s, n);
    free(*field);
    *field = copy;
}

/* design.md 4.1 (the contract): for "Issuer:Name" (the colon may have been %3A), name = the
 * part after the first colon with leading spaces removed, issuer = the issuer parameter if
 * present, else the prefix; without a colon the label is the name.
 * Two refinements: an empty issuer parameter counts as absent, and an issuer parameter that
 * itself contains a colon is matched as a whole prefix (so such issuers round-trip).
 * formats.md 20.3 would keep a many-colon label whole when the parameter differs from the
 * prefix; the contract splits it, and we follow the contract, with a warning. */
static void split_label(const char *label, const char *issuer_param, struct ov_account *out,
                        struct warnings *w)
{
    const char *colon = strchr(label, ':');
    size_t plen;

    if (issuer_param != NULL && issuer_param[0] == '\0')
        issuer_param = NULL;
    if (issuer_param != NULL) {
        plen = strlen(issuer_param);
        ov_account_set_text(&out->issuer, issuer_param);
        if (strncmp(label, issuer_param, plen) == 0 && label[plen] == ':') {
            ov_account_set_text(&out->name, skip_spaces(label + plen + 1));
        } else if (colon == NULL) {
            ov_account_set_text(&out->name, label);
        } else {
            int shown = colon - label > 60 ? 60 : (int)(colon - label);
            warn(w, "issuer parameter \"%.60s\" differs from the label prefix \"%.*s\"; "
                 "using the parameter", issuer_param, shown, label);
            ov_account_set_text(&out->name, skip_spaces(colon + 1));
        }
        return;
    }
    if (colon == NULL) {
        ov_account_set_text(&out->name, label);
        return;
    }
    set_text_n(&out->issuer, label, (size_t)(colon - label));
    ov_account_set_text(&out->name, skip_spaces(colon + 1));
}

void ov_account_normalise_label(struct ov_account *a)
{
    size_t ilen;
    char *rest;

    if (a->issuer == NULL || a->name == NULL)
        return;
    ilen = strlen(a->issuer);
    if (ilen == 0) {
        char *colon = strchr(a->name, ':');
        if (colon == NULL)
            return;
        char *issuer = ov_xstrndup(a->name, (size_t)(colon - a->name));
        rest = ov_xstrdup(skip_spaces(colon + 1));
        free(a->issuer);
        free(a->name);
        a->issuer = issuer;
        a->name = rest;
        return;
    }
    if (strncmp(a->name, a->issuer, ilen) == 0 && a->name[ilen] == ':') {
        rest = ov_xstrdup(skip_spaces(a->name + ilen + 1));
        free(a->name);
        a->name = rest;
    }
}

static bool has_prefix_nocase(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static bool truthy_flag(const struct param *p)
{
    return !p->has_value || p->value[0] == '\0' || strcmp(p->value, "1") == 0 ||
           strcasecmp(p->value, "true") == 0 || strcasecmp(p->value, "yes") == 0;
}

/* The defaults of an otpauth URI (RFC 6238 as Google reads it), then what the type fixes. */
static void apply_type_defaults(struct ov_account *out)
{
    out->algo = OV_SHA1;
    out->digits = 6;
    out->period = 30;
    ov_account_type_fixed(out);
}

/* steam://<Base32>, as Bitwarden stores Steam Guard keys. */
static int parse_steam_uri(char *rest, struct ov_account *out, struct ov_error *err)
{
    char *q = strchr(rest, '?');
    size_t len, dec_len;
    char *text;
    int rc;

    if (q != NULL)
        *q = '\0';
    len = strlen(rest);
    if (len == 0)
        return ov_error_set(err, OV_ERR_INVALID, "missing secret");
    text = ov_secure_alloc(len + 1);
    rc = ov_percent_decode(rest, len, text, &dec_len, err);
    if (rc != OV_OK) {
        ov_secure_free(text, len + 1);
        return wrap_error(err, rc, "the secret");
    }
    rc = ov_secret_text_set(out, text, OV_SECRET_BASE32, err);
    ov_secure_free(text, len + 1);
    if (rc != OV_OK)
        return rc;
    out->type = OV_STEAM;
    apply_type_defaults(out);
    ov_account_set_text(&out->issuer, "Steam");
    return OV_OK;
}

static int decode_label(const char *raw, size_t len, char **label, struct ov_error *err)
{
    size_t dec_len;
    int rc;

    *label = ov_xmalloc(len + 1);
    rc = ov_percent_decode(raw, len, *label, &dec_len, err);
    if (rc != OV_OK)
        return wrap_error(err, rc, "the label");
    if (strlen(*label) != dec_len)
        return ov_error_set(err, OV_ERR_INVALID, "the label contains a NUL character (%%00)");
    return OV_OK;
}

/* Whether a parameter is the number want (as parse_uint would read it). */
static bool param_equals(const char *value, uint64_t want)
{
    struct ov_error ignored = { 0 };
    uint64_t n;

    return parse_uint("", value, UINT64_MAX, &n, &ignored) == OV_OK && n == want;
}

/* Steam markers other than the type: KeePassXC's encoder=steam, Stratum's valueless &steam,
 * and - as a heuristic - issuer exactly "Steam" on a plain TOTP URI that sets no digits,
 * algorithm or period contradicting Steam Guard (Steam's own "uri" field, Stratum and FreeOTP
 * treat issuer "Steam" this way). */
static bool steam_marked(const struct query *q, const struct ov_account *out,
                         struct warnings *w)
{
    const struct param *p = find_param(q, "steam");
    const char *enc = param_value(q, "encoder");
    const char *digits = param_value(q, "digits");
    const char *algo = param_value(q, "algorithm");
    const char *period = param_value(q, "period");
    enum ov_algo a;

    if (enc != NULL && strcasecmp(enc, "steam") == 0)
        return true;
    if (p != NULL && truthy_flag(p))
        return true;
    /* By value, as apply_params reads them: "digits=05" is 5, so that the URI that
     * ov_uri_format writes for the account (digits=5) reads back as the same type. */
    if (strcmp(out->issuer, "Steam") == 0 && (digits == NULL || param_equals(digits, 5)) &&
        (algo == NULL || (ov_algo_parse(algo, &a) == 0 && a == OV_SHA1)) &&
        (period == NULL || param_equals(period, 30))) {
        warn(w, "issuer \"Steam\": read as a Steam Guard account");
        return true;
    }
    return false;
}

static int apply_params(const struct query *q, struct ov_account *out, struct warnings *w,
                        struct ov_error *err)
{
    const char *v;
    uint64_t n;
    int rc;

    if ((v = param_value(q, "algorithm")) != NULL && out->type != OV_MOTP) {
        enum ov_algo a;
        if (ov_algo_parse(v, &a) != 0)
            return bad_value(err, "algorithm", v);
        if (out->type == OV_STEAM && a != OV_SHA1)
            warn(w, "Steam codes use SHA1, ignoring algorithm=%.20s", v);
        else
            out->algo = a;
    }
    if ((v = param_value(q, "digits")) != NULL) {
        if ((rc = parse_uint("digits", v, UINT64_MAX, &n, err)) != OV_OK)
            return rc;
        if (n < OV_DIGITS_MIN || n > OV_DIGITS_MAX)
            return ov_error_set(err, OV_ERR_INVALID,
                                "parameter value digits=%" PRIu64 " is out of range (%d to %d)",
                                n, OV_DIGITS_MIN, OV_DIGITS_MAX);
        if (out->type == OV_STEAM && n != 5)
            warn(w, "Steam codes have 5 characters, ignoring digits=%" PRIu64, n);
        else
            out->digits = (unsigned)n;
    }
    if (out->type == OV_HOTP) {
        if ((v = param_value(q, "counter")) == NULL) {
            warn(w, "hotp without counter, using 0");
            out->counter = 0;
        } else if ((rc = parse_uint("counter", v, UINT64_MAX, &out->counter, err)) != OV_OK) {
            return rc;
        }
    } else if ((v = param_value(q, "period")) != NULL) {
        if ((rc = parse_uint("period", v, OV_PERIOD_MAX, &n, err)) != OV_OK)
            return rc;
        if (n == 0)
            return ov_error_set(err, OV_ERR_INVALID,
                                "parameter value period=0 is out of range (1 to %d)",
                                OV_PERIOD_MAX);
        out->period = (unsigned)n;
    }
    return OV_OK;
}

/* Yandex keeps its PIN in the URI as Base32 of the PIN text (Aegis). */
static int decode_yandex_pin(const char *text, struct ov_account *out, struct ov_error *err)
{
    size_t cap = ov_base32_decoded_max(strlen(text)), len;
    uint8_t *buf = ov_secure_alloc(cap + 1);
    int rc = ov_base32_decode(text, buf, &len, err);

    if (rc != OV_OK) {
        ov_secure_free(buf, cap + 1);
        return wrap_error(err, rc, "parameter pin");
    }
    if (memchr(buf, '\0', len) != NULL) {
        ov_secure_free(buf, cap + 1);
        return ov_error_set(err, OV_ERR_INVALID, "parameter pin decodes to a NUL character");
    }
    ov_secure_free_str(out->pin);
    out->pin = ov_secure_strndup((const char *)buf, len);
    ov_secure_free(buf, cap + 1);
    return OV_OK;
}

static int parse_type(const char *host, size_t len, enum ov_otp_type *type,
                      struct ov_error *err)
{
    char name[16];

    if (len == 0)
        return ov_error_set(err, OV_ERR_INVALID,
                            "missing OTP type after otpauth:// (expected totp or hotp)");
    if (len < sizeof name) {
        memcpy(name, host, len);
        name[len] = '\0';
        if (ov_otp_type_parse(name, type) == 0)
            return OV_OK;
    }
    return ov_error_set(err, OV_ERR_INVALID,
                        "unknown OTP type '%.*s' (expected totp, hotp, steam or yaotp)",
                        (int)(len > 20 ? 20 : len), host);
}

/* Everything after the scheme of otpauth:// and motp:// URIs. */
static int parse_otp_uri(char *rest, bool motp, struct ov_account *out, struct warnings *w,
                         struct ov_error *err)
{
    struct query q = {0};
    char *qmark = strchr(rest, '?');
    char *label_raw, *label = NULL;
    const char *v;
    int rc;

    if (qmark != NULL)
        *qmark++ = '\0';
    if (motp) {
        out->type = OV_MOTP;
        label_raw = rest;
        while (*label_raw == '/')
            label_raw++;
    } else {
        size_t hlen = strcspn(rest, "/");
        if ((rc = parse_type(rest, hlen, &out->type, err)) != OV_OK)
            return rc;
        label_raw = rest + hlen + (rest[hlen] == '/' ? 1 : 0);
    }
    apply_type_defaults(out);

    if ((rc = parse_query(qmark, &q, err)) != OV_OK)
        goto done;
    if ((rc = decode_label(label_raw, strlen(label_raw), &label, err)) != OV_OK)
        goto done;
    if ((v = param_value(&q, "secret")) == NULL) {
        rc = ov_error_set(err, OV_ERR_INVALID, "missing secret");
        goto done;
    }
    if ((rc = ov_secret_text_set(out, v, out->type == OV_MOTP ? OV_SECRET_HEX : OV_SECRET_BASE32,
                                  err)) != OV_OK)
        goto done;

    split_label(label, param_value(&q, "issuer"), out, w);
    if (out->type == OV_YANDEX && out->issuer[0] == '\0')
        ov_account_set_text(&out->issuer, "Yandex");

    if (out->type == OV_TOTP && steam_marked(&q, out, w)) {
        out->type = OV_STEAM;
        apply_type_defaults(out);
    }
    if ((rc = apply_params(&q, out, w, err)) != OV_OK)
        goto done;

    if (out->type == OV_YANDEX) {
        if ((v = param_value(&q, "pin")) != NULL && v[0] != '\0') {
            if ((rc = decode_yandex_pin(v, out, err)) != OV_OK)
                goto done;
        } else {
            warn(w, "Yandex account without a PIN; set one before use");
        }
    } else if (out->type == OV_MOTP) {
        warn(w, "mOTP URIs carry no PIN; set one before use");
    }
    rc = OV_OK;
done:
    free(label);
    query_free(&q);
    return rc;
}

int ov_uri_parse(const char *uri, struct ov_account *out, char *warning, size_t warning_len,
                 struct ov_error *err)
{
    struct warnings w;
    const char *start = uri, *end;
    char *copy;
    size_t len;
    int rc;

    ov_account_init(out);
    w.text[0] = '\0';
    if (warning != NULL && warning_len > 0)
        warning[0] = '\0';
    if (uri == NULL)
        return ov_error_set(err, OV_ERR_INVALID, "empty URI");
    if ((unsigned char)start[0] == 0xef && (unsigned char)start[1] == 0xbb &&
        (unsigned char)start[2] == 0xbf)
        start += 3;
    while (*start != '\0' && isspace((unsigned char)*start))
        start++;
    end = start + strlen(start);
    while (end > start && isspace((unsigned char)end[-1]))
        end--;
    len = (size_t)(end - start);
    if (len == 0)
        return ov_error_set(err, OV_ERR_INVALID, "empty URI");
    if (len > OV_URI_MAX)
        return ov_error_set(err, OV_ERR_LIMIT, "the URI is %zu bytes long, more than the %u "
                            "this program reads", len, OV_URI_MAX);

    copy = ov_secure_strndup(start, len);
    if (has_prefix_nocase(copy, "otpauth://")) {
        rc = parse_otp_uri(copy + 10, false, out, &w, err);
    } else if (has_prefix_nocase(copy, "motp://")) {
        rc = parse_otp_uri(copy + 7, true, out, &w, err);
    } else if (has_prefix_nocase(copy, "steam://")) {
        rc = parse_steam_uri(copy + 8, out, err);
    } else {
        size_t slen = strcspn(copy, ":");
        if (copy[slen] == ':')
            rc = ov_error_set(err, OV_ERR_UNSUPPORTED,
                              "unsupported URI scheme '%.*s:' (expected otpauth://, motp:// or "
                              "steam://)", (int)(slen > 20 ? 20 : slen), copy);
        else
            rc = ov_error_set(err, OV_ERR_INVALID,
                              "not a URI (expected otpauth://, motp:// or steam://)");
    }
    ov_secure_free(copy, len + 1);
    if (rc == OV_OK && warning != NULL && warning_len > 0)
        snprintf(warning, warning_len, "%s", w.text);
    return rc;
}

/* A growing string in secure memory: the formatted URI contains the secret. */
struct sbuf {
    char *p;
    size_t len, cap;
};

static void sbuf_add(struct sbuf *b, const char *s)
{
    size_t n = strlen(s);

    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap == 0 ? 256 : b->cap;
        while (b->len + n + 1 > cap)
            cap *= 2;
        b->p = ov_secure_realloc(b->p, b->cap, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
}

static void sbuf_addf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sbuf_addf(struct sbuf *b, const char *fmt, ...)
{
    char tmp[64];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    sbuf_add(b, tmp);
}

/* Adds an encoded text; '@' stays readable, everything else outside RFC 3986's unreserved
 * set (spaces, ':', '&', '+', UTF-8) is percent-encoded. */
static void sbuf_add_encoded(struct sbuf *b, const char *text)
{
    char *enc = ov_percent_encode(text, "@");
    sbuf_add(b, enc);
    free(enc);
}

static void sbuf_add_secret(struct sbuf *b, const struct ov_account *a, bool hex)
{
    size_t n = hex ? a->secret_len * 2 + 1 : ov_base32_encoded_len(a->secret_len) + 1;
    char *text = ov_secure_alloc(n);

    if (hex)
        ov_hex_encode(a->secret, a->secret_len, text);
    else
        ov_base32_encode(a->secret, a->secret_len, text);
    sbuf_add(b, text);
    ov_secure_free(text, n);
}

static const char *uri_type_name(enum ov_otp_type t)
{
    return t == OV_YANDEX ? "yaotp" : ov_otp_type_name(t);
}

char *ov_uri_format(const struct ov_account *a)
{
    struct sbuf b = {0};
    bool has_issuer = a->issuer != NULL && a->issuer[0] != '\0';
    const char *name = a->name != NULL ? a->name : "";

    if (a->type == OV_MOTP)
        sbuf_add(&b, "motp://");
    else
        sbuf_addf(&b, "otpauth://%s/", uri_type_name(a->type));
    if (has_issuer) {
        sbuf_add_encoded(&b, a->issuer);
        sbuf_add(&b, ":");
    } else if (strchr(name, ':') != NULL) {
        /* An empty issuer before the colon: "a:b" alone would read back as issuer "a". */
        sbuf_add(&b, ":");
    }
    sbuf_add_encoded(&b, name);
    sbuf_add(&b, "?secret=");
    sbuf_add_secret(&b, a, a->type == OV_MOTP);
    if (has_issuer) {
        sbuf_add(&b, "&issuer=");
        sbuf_add_encoded(&b, a->issuer);
    }
    if (a->type == OV_MOTP) {
        /* Aegis and Stratum write only the secret; defaults (MD5, 6, 10 s) stay implicit. */
        if (a->digits != 6)
            sbuf_addf(&b, "&digits=%u", a->digits);
        if (a->period != 10)
            sbuf_addf(&b, "&period=%u", a->period);
        return b.p;
    }
    sbuf_addf(&b, "&algorithm=%s&digits=%u", ov_algo_name(a->algo), a->digits);
    if (a->type == OV_HOTP)
        sbuf_addf(&b, "&counter=%" PRIu64, a->counter);
    else
        sbuf_addf(&b, "&period=%u", a->period);
    if (a->type == OV_YANDEX && a->pin != NULL && a->pin[0] != '\0') {
        size_t plen = strlen(a->pin), n = ov_base32_encoded_len(plen) + 1;
        char *pin = ov_secure_alloc(n);
        ov_base32_encode((const uint8_t *)a->pin, plen, pin);
        sbuf_add(&b, "&pin=");
        sbuf_add(&b, pin);
        ov_secure_free(pin, n);
    }
    return b.p;
}
