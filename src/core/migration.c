/* Google Authenticator MigrationPayload (formats.md 2.1): a hand-written protobuf reader and
 * writer for the one message we need. A general protobuf library would be more code than the
 * format, and this way every length is checked where it is read. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/mem.h"
#include "otpvault/migration.h"
#include "otpvault/uri.h"

enum wire { WIRE_VARINT = 0, WIRE_I64 = 1, WIRE_LEN = 2, WIRE_SGROUP = 3, WIRE_EGROUP = 4,
            WIRE_I32 = 5 };

/* Field numbers (formats.md 2.1). */
enum { PAYLOAD_OTP = 1, PAYLOAD_VERSION, PAYLOAD_BATCH_SIZE, PAYLOAD_BATCH_INDEX,
       PAYLOAD_BATCH_ID };
enum { OTP_SECRET = 1, OTP_NAME, OTP_ISSUER, OTP_ALGORITHM, OTP_DIGITS, OTP_TYPE, OTP_COUNTER };

#define VERSION_KNOWN_MAX 2
#define LABEL_CHARS 20 /* of issuer and of name, when an issue names its entry */

/* ---- reading ------------------------------------------------------------------------- */

/* A view of one message inside the payload. Offsets count from the start of the payload so
 * that messages about nested entries still point at the right byte. */
struct pb_reader {
    const uint8_t *buf;
    size_t pos;
    size_t end;
};

struct pb_field {
    uint32_t number;
    enum wire wire;
    size_t start;   /* offset of the tag */
    uint64_t value; /* VARINT (fixed-width values are skipped, never used) */
    size_t data;    /* LEN: offset of the contents */
    size_t len;     /* LEN: length of the contents */
};

/* Where and why reading failed. */
struct pb_damage {
    size_t at; /* 0-based offset */
    char why[160];
};

static int damaged(struct pb_damage *d, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int damaged(struct pb_damage *d, size_t at, const char *fmt, ...)
{
    va_list ap;

    d->at = at;
    va_start(ap, fmt);
    vsnprintf(d->why, sizeof d->why, fmt, ap);
    va_end(ap);
    return -1;
}

/* Base-128 varint, at most 10 bytes. Bits beyond 64 in the 10th byte are dropped, as
 * protobuf's own parsers do; an 11th byte means the data is not protobuf. */
static int pb_varint(struct pb_reader *r, uint64_t *out, struct pb_damage *d)
{
    size_t start = r->pos;
    uint64_t v = 0;

    for (unsigned i = 0; i < 10; i++) {
        uint8_t b;

        if (r->pos >= r->end)
            return damaged(d, start, "a number runs past the end of the data");
        b = r->buf[r->pos++];
        v |= (uint64_t)(b & 0x7f) << (7 * i);
        if ((b & 0x80) == 0) {
            *out = v;
            return 0;
        }
    }
    return damaged(d, start, "a number is longer than the 10 bytes protobuf allows");
}

static const char *wire_name(enum wire w)
{
    switch (w) {
    case WIRE_VARINT: return "a number";
    case WIRE_I64: return "a 64-bit value";
    case WIRE_LEN: return "a length-delimited field";
    case WIRE_I32: return "a 32-bit value";
    default: return "a group";
    }
}

/* Reads the next field of the current message. Returns 1 with *f filled, 0 at the end of
 * the message, -1 on damage. Unknown fields are returned too; the caller ignores them. */
static int pb_next(struct pb_reader *r, struct pb_field *f, struct pb_damage *d)
{
    uint64_t tag, len;

    if (r->pos >= r->end)
        return 0;
    memset(f, 0, sizeof *f);
    f->start = r->pos;
    if (pb_varint(r, &tag, d) != 0)
        return -1;
    if (tag >> 3 == 0 || tag >> 3 > 0x1FFFFFFF)
        return damaged(d, f->start, "invalid field number %" PRIu64, tag >> 3);
    f->number = (uint32_t)(tag >> 3);
    f->wire = (enum wire)(tag & 7);
    switch (f->wire) {
    case WIRE_VARINT:
        return pb_varint(r, &f->value, d) == 0 ? 1 : -1;
    case WIRE_I64:
    case WIRE_I32: {
        size_t need = f->wire == WIRE_I64 ? 8 : 4;
        if (r->end - r->pos < need)
            return damaged(d, f->start, "field %" PRIu32 " needs %zu bytes, only %zu remain",
                           f->number, need, r->end - r->pos);
        r->pos += need;
        return 1;
    }
    case WIRE_LEN:
        if (pb_varint(r, &len, d) != 0)
            return -1;
        if (len > r->end - r->pos)
            return damaged(d, f->start,
                           "field %" PRIu32 " says %" PRIu64 " bytes follow, but only %zu remain",
                           f->number, len, r->end - r->pos);
        f->data = r->pos;
        f->len = (size_t)len;
        r->pos += (size_t)len;
        return 1;
    case WIRE_SGROUP:
    case WIRE_EGROUP:
        /* Deprecated proto2 groups: this proto3 message never has them. */
        return damaged(d, f->start, "field %" PRIu32 " is a group (wire type %d), which this "
                       "format never uses", f->number, (int)f->wire);
    default:
        return damaged(d, f->start, "invalid wire type %d", (int)f->wire);
    }
}

/* One OtpParameters entry as read, before it is checked. Strings point into the payload. */
struct raw_entry {
    size_t secret, secret_len, name, name_len, issuer, issuer_len;
    uint64_t algorithm, digits, type, counter;
};

struct decode_ctx {
    const uint8_t *buf;
    struct ov_import_opts *issues;
    size_t position; /* 1-based entry number */
    char label[200]; /* how issues name the entry: " (Issuer: name)" */
};

static void entry_issue(struct decode_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void entry_warning(struct decode_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void entry_note(struct decode_ctx *c, bool warning, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static void entry_note(struct decode_ctx *c, bool warning, const char *fmt, va_list ap)
{
    char msg[200];

    if (c->issues == NULL)
        return;
    vsnprintf(msg, sizeof msg, fmt, ap);
    (warning ? ov_import_warning_add : ov_import_issue_add)(c->issues, c->position,
                                                          "entry %zu%s: %s", c->position,
                                                          c->label, msg);
}

/* The entry is skipped. */
static void entry_issue(struct decode_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    entry_note(c, false, fmt, ap);
    va_end(ap);
}

/* The entry is kept; something about it deserves a note. */
static void entry_warning(struct decode_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    entry_note(c, true, fmt, ap);
    va_end(ap);
}

static const char *const entry_field_names[] = { "", "secret", "name", "issuer", "algorithm",
                                                 "digits", "type", "counter" };

static int read_entry(struct decode_ctx *c, const struct pb_field *outer, struct raw_entry *e,
                      struct pb_damage *d)
{
    struct pb_reader r = { c->buf, outer->data, outer->data + outer->len };
    struct pb_field f;
    int rc;

    memset(e, 0, sizeof *e);
    while ((rc = pb_next(&r, &f, d)) == 1) {
        bool want_len = f.number <= OTP_ISSUER;

        if (f.number < OTP_SECRET || f.number > OTP_COUNTER)
            continue; /* unknown: newer exporters may add fields */
        if (f.wire != (want_len ? WIRE_LEN : WIRE_VARINT))
            return damaged(d, f.start, "field %" PRIu32 " (%s) is %s, expected %s", f.number,
                           entry_field_names[f.number], wire_name(f.wire),
                           wire_name(want_len ? WIRE_LEN : WIRE_VARINT));
        /* Repeated scalar fields: the last one wins, as in every protobuf parser. */
        switch (f.number) {
        case OTP_SECRET: e->secret = f.data; e->secret_len = f.len; break;
        case OTP_NAME: e->name = f.data; e->name_len = f.len; break;
        case OTP_ISSUER: e->issuer = f.data; e->issuer_len = f.len; break;
        case OTP_ALGORITHM: e->algorithm = f.value; break;
        case OTP_DIGITS: e->digits = f.value; break;
        case OTP_TYPE: e->type = f.value; break;
        default: e->counter = f.value; break;
        }
    }
    return rc;
}

/* Copies a protobuf string into a C string. A NUL byte cannot be kept (every layer above
 * uses C strings), so it fails; invalid UTF-8 is replaced by U+FFFD so that the account
 * still imports and JSON output stays valid, with a note. */
static int copy_text(struct decode_ctx *c, size_t off, size_t len, const char *what,
                     char **out)
{
    const char *s = (const char *)c->buf + off;
    size_t n = 0;
    bool replaced = false;
    char *t;

    if (memchr(s, '\0', len) != NULL) {
        entry_issue(c, "the %s contains a NUL byte", what);
        return -1;
    }
    t = ov_xmalloc(len * 3 + 1); /* each bad byte becomes 3 bytes of U+FFFD */
    for (size_t i = 0; i < len;) {
        size_t clen = ov_utf8_char_len(s + i, len - i);
        if (clen == 0) {
            memcpy(t + n, "\xEF\xBF\xBD", 3);
            n += 3;
            i++;
            replaced = true;
            continue;
        }
        memcpy(t + n, s + i, clen);
        n += clen;
        i += clen;
    }
    t[n] = '\0';
    if (replaced)
        entry_warning(c, "the %s is not valid UTF-8; invalid bytes were replaced by U+FFFD",
                    what);
    free(*out);
    *out = t;
    return 0;
}

/* Checks and converts one entry. Returns 0 with *a filled, or -1 after adding an issue. */
static int convert_entry(struct decode_ctx *c, const struct raw_entry *e, struct ov_account *a)
{
    /* Enums are int32 on the wire: a negative value arrives sign-extended. */
    int64_t algorithm = (int32_t)(uint32_t)e->algorithm;
    int64_t digits = (int32_t)(uint32_t)e->digits;
    int64_t type = (int32_t)(uint32_t)e->type;

    if (copy_text(c, e->name, e->name_len, "name", &a->name) != 0 ||
        copy_text(c, e->issuer, e->issuer_len, "issuer", &a->issuer) != 0)
        return -1;
    ov_account_normalise_label(a);
    if (a->issuer[0] != '\0' || a->name[0] != '\0') {
        char shown[LABEL_CHARS * 4 + 8];
        size_t ilen = strlen(a->issuer);
        const char *what = ilen > 0 ? a->issuer : a->name;
        ov_text_excerpt(what, strlen(what), LABEL_CHARS, shown, sizeof shown);
        if (ilen > 0 && a->name[0] != '\0') {
            char name[LABEL_CHARS * 4 + 8];
            ov_text_excerpt(a->name, strlen(a->name), LABEL_CHARS, name, sizeof name);
            snprintf(c->label, sizeof c->label, " (%s: %s)", shown, name);
        } else {
            snprintf(c->label, sizeof c->label, " (%s)", shown);
        }
    }
    if (e->secret_len == 0) {
        entry_issue(c, "the secret is empty");
        return -1;
    }
    if (e->secret_len > OV_SECRET_MAX) {
        entry_issue(c, "the secret is %zu bytes, more than %d", e->secret_len, OV_SECRET_MAX);
        return -1;
    }
    switch (algorithm) {
    case 0: case 1: a->algo = OV_SHA1; break;
    case 2: a->algo = OV_SHA256; break;
    case 3: a->algo = OV_SHA512; break;
    case 4: a->algo = OV_MD5; break; /* Aegis refuses MD5; we can compute it, so we keep it */
    default:
        entry_issue(c, "unknown algorithm value %" PRId64 " (known: 1 SHA1, 2 SHA256, "
                    "3 SHA512, 4 MD5)", algorithm);
        return -1;
    }
    switch (digits) {
    case 0: case 1: a->digits = 6; break;
    case 2: a->digits = 8; break;
    default:
        entry_issue(c, "unknown digits value %" PRId64 " (known: 1 for 6 digits, 2 for 8)",
                    digits);
        return -1;
    }
    switch (type) {
    case 0: case 2: a->type = OV_TOTP; break;
    case 1: a->type = OV_HOTP; break;
    default:
        entry_issue(c, "unknown OTP type value %" PRId64 " (known: 1 HOTP, 2 TOTP)", type);
        return -1;
    }
    if (a->type == OV_HOTP) {
        if ((int64_t)e->counter < 0) {
            entry_issue(c, "the HOTP counter is negative (%" PRId64 ")", (int64_t)e->counter);
            return -1;
        }
        a->counter = e->counter;
    }
    a->period = 30; /* the payload has no period */
    ov_account_set_secret(a, c->buf + e->secret, e->secret_len);
    return 0;
}

static int payload_error(struct ov_error *err, const struct pb_damage *d)
{
    return ov_error_set(err, OV_ERR_INVALID, "the migration data is damaged at byte %zu: %s",
                        d->at + 1, d->why);
}

/* The payload-level int32 fields; a wrong wire type there means the data is not ours. */
static int batch_field(const struct pb_field *f, struct ov_migration_batch *b,
                       struct pb_damage *d)
{
    static const char *const names[] = { "", "", "version", "batch_size", "batch_index",
                                         "batch_id" };

    if (f->wire != WIRE_VARINT)
        return damaged(d, f->start, "field %" PRIu32 " (%s) is %s, expected a number",
                       f->number, names[f->number], wire_name(f->wire));
    /* int32 on the wire: negative values are 10-byte sign-extended varints. */
    int32_t v = (int32_t)(uint32_t)f->value;
    switch (f->number) {
    case PAYLOAD_VERSION: b->version = v; break;
    case PAYLOAD_BATCH_SIZE: b->batch_size = v; break;
    case PAYLOAD_BATCH_INDEX: b->batch_index = v; b->has_batch_index = true; break;
    default: b->batch_id = v; break;
    }
    return 0;
}

int ov_migration_decode(const uint8_t *data, size_t len, struct ov_account_list *out,
                        struct ov_migration_batch *batch, struct ov_import_opts *issues,
                        struct ov_error *err)
{
    struct pb_reader r = { data, 0, len };
    struct decode_ctx c = { data, issues, 0, "" };
    struct ov_migration_batch b = { 0 };
    struct ov_account_list found;
    struct pb_damage d = { 0, "" };
    struct pb_field f;
    size_t issues_before = issues != NULL ? issues->nissues : 0;
    int rc;

    if (batch != NULL)
        memset(batch, 0, sizeof *batch);
    if (len == 0)
        return ov_error_set(err, OV_ERR_INVALID, "the migration data is empty");
    if (len > OV_MIGRATION_MAX_PAYLOAD)
        return ov_error_set(err, OV_ERR_LIMIT, "the migration data is %zu bytes, more than "
                            "the %d this program reads", len, OV_MIGRATION_MAX_PAYLOAD);
    ov_account_list_init(&found);
    while ((rc = pb_next(&r, &f, &d)) == 1) {
        struct raw_entry e;
        struct ov_account a;

        if (f.number > PAYLOAD_BATCH_ID)
            continue;
        if (f.number != PAYLOAD_OTP) {
            if (batch_field(&f, &b, &d) != 0) {
                rc = -1;
                break;
            }
            continue;
        }
        if (f.wire != WIRE_LEN) {
            rc = damaged(&d, f.start, "field 1 (an account) is %s, expected %s",
                         wire_name(f.wire), wire_name(WIRE_LEN));
            break;
        }
        /* The outer framing is intact, so a damaged entry costs only that entry. */
        c.position++;
        c.label[0] = '\0';
        if (read_entry(&c, &f, &e, &d) != 0) {
            entry_issue(&c, "damaged at byte %zu: %s", d.at + 1, d.why);
            continue;
        }
        ov_account_init(&a);
        if (convert_entry(&c, &e, &a) != 0) {
            ov_account_free(&a);
            continue;
        }
        ov_account_list_push(&found, &a);
    }
    if (rc == 0 && c.position == 0) {
        ov_account_list_free(&found);
        return ov_error_set(err, OV_ERR_INVALID, "the migration data holds no accounts");
    }
    if (rc != 0) {
        ov_account_list_free(&found);
        if (issues != NULL)
            issues->nissues = issues_before;
        return payload_error(err, &d);
    }
    if ((b.version > VERSION_KNOWN_MAX || b.version < 0) && issues != NULL)
        ov_import_warning_add(issues, 0, "migration data version %" PRId32 " is not one this "
                            "program knows (1 and 2); reading it anyway", b.version);
    for (size_t i = 0; i < found.len; i++)
        ov_account_list_push(out, &found.items[i]);
    found.len = 0;
    ov_account_list_free(&found);
    if (batch != NULL)
        *batch = b;
    return OV_OK;
}

/* ---- writing ------------------------------------------------------------------------- */

/* With buf == NULL the writer only counts, so sizes are known before anything is written. */
struct pb_writer {
    uint8_t *buf;
    size_t len;
};

static void put_byte(struct pb_writer *w, uint8_t b)
{
    if (w->buf != NULL)
        w->buf[w->len] = b;
    w->len++;
}

static void put_varint(struct pb_writer *w, uint64_t v)
{
    while (v >= 0x80) {
        put_byte(w, (uint8_t)(v | 0x80));
        v >>= 7;
    }
    put_byte(w, (uint8_t)v);
}

static void put_tag(struct pb_writer *w, uint32_t number, enum wire wire)
{
    put_varint(w, (uint64_t)number << 3 | (uint64_t)wire);
}

/* int32 fields are sign-extended to 64 bits, so a negative one takes 10 bytes. */
static void put_int32_field(struct pb_writer *w, uint32_t number, int32_t v)
{
    put_tag(w, number, WIRE_VARINT);
    put_varint(w, (uint64_t)(int64_t)v);
}

static void put_bytes_field(struct pb_writer *w, uint32_t number, const void *p, size_t n)
{
    put_tag(w, number, WIRE_LEN);
    put_varint(w, n);
    if (w->buf != NULL && n > 0)
        memcpy(w->buf + w->len, p, n);
    w->len += n;
}

static void put_entry_body(struct pb_writer *w, const struct ov_account *a)
{
    static const uint8_t algo_enum[] = { [OV_SHA1] = 1, [OV_SHA256] = 2, [OV_SHA512] = 3,
                                         [OV_MD5] = 4 };

    put_bytes_field(w, OTP_SECRET, a->secret, a->secret_len);
    /* proto3: empty strings and zero numbers are left out. */
    if (a->name[0] != '\0')
        put_bytes_field(w, OTP_NAME, a->name, strlen(a->name));
    if (a->issuer[0] != '\0')
        put_bytes_field(w, OTP_ISSUER, a->issuer, strlen(a->issuer));
    put_tag(w, OTP_ALGORITHM, WIRE_VARINT);
    put_varint(w, algo_enum[a->algo]);
    put_tag(w, OTP_DIGITS, WIRE_VARINT);
    put_varint(w, a->digits == 8 ? 2 : 1);
    put_tag(w, OTP_TYPE, WIRE_VARINT);
    put_varint(w, a->type == OV_HOTP ? 1 : 2);
    if (a->type == OV_HOTP && a->counter != 0) {
        put_tag(w, OTP_COUNTER, WIRE_VARINT);
        put_varint(w, a->counter);
    }
}

static void put_payload(struct pb_writer *w, const struct ov_account *accounts, size_t n,
                        const struct ov_migration_batch *b)
{
    for (size_t i = 0; i < n; i++) {
        struct pb_writer count = { NULL, 0 };
        put_entry_body(&count, &accounts[i]);
        put_tag(w, PAYLOAD_OTP, WIRE_LEN);
        put_varint(w, count.len);
        put_entry_body(w, &accounts[i]);
    }
    put_int32_field(w, PAYLOAD_VERSION, b->version);
    put_int32_field(w, PAYLOAD_BATCH_SIZE, b->batch_size);
    put_int32_field(w, PAYLOAD_BATCH_INDEX, b->batch_index);
    if (b->batch_id != 0)
        put_int32_field(w, PAYLOAD_BATCH_ID, b->batch_id);
}

static int unsupported(struct ov_error *err, const struct ov_account *a, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "GitHub: alice: <why>", so that the caller can show which account was left out. */
static int unsupported(struct ov_error *err, const struct ov_account *a, const char *fmt, ...)
{
    char issuer[128], name[128], why[256];
    const char *iss = a->issuer != NULL ? a->issuer : "";
    const char *nm = a->name != NULL ? a->name : "";
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    ov_text_excerpt(iss, strlen(iss), 40, issuer, sizeof issuer);
    ov_text_excerpt(nm, strlen(nm), 40, name, sizeof name);
    if (issuer[0] != '\0' && name[0] != '\0')
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "%s: %s: %s", issuer, name, why);
    return ov_error_set(err, OV_ERR_UNSUPPORTED, "%s: %s",
                        issuer[0] != '\0' ? issuer : name[0] != '\0' ? name : "(unnamed)", why);
}

int ov_migration_check_account(const struct ov_account *a, struct ov_error *err)
{
    if (a->type != OV_TOTP && a->type != OV_HOTP)
        return unsupported(err, a, "%s accounts cannot be moved to Google Authenticator "
                           "(only TOTP and HOTP)", ov_otp_type_name(a->type));
    if ((unsigned)a->algo > OV_MD5)
        return unsupported(err, a, "unknown algorithm %d", (int)a->algo);
    if (a->digits != 6 && a->digits != 8)
        return unsupported(err, a, "%u-digit codes cannot be moved to Google Authenticator "
                           "(only 6 or 8)", a->digits);
    if (a->type == OV_TOTP && a->period != 30)
        return unsupported(err, a, "a %u-second period cannot be moved to Google "
                           "Authenticator (always 30 seconds)", a->period);
    if (a->type == OV_HOTP && a->counter > (uint64_t)INT64_MAX)
        return unsupported(err, a, "the HOTP counter %" PRIu64 " is too large for the "
                           "transfer format", a->counter);
    if (a->secret == NULL || a->secret_len == 0)
        return unsupported(err, a, "the secret is empty");
    if (a->issuer == NULL || a->name == NULL)
        return unsupported(err, a, "issuer and name must be set");
    return OV_OK;
}

int32_t ov_migration_new_batch_id(void)
{
    uint32_t v;

    do
        ov_random(&v, sizeof v);
    while (v == 0);
    return (int32_t)v;
}

int ov_migration_encode(const struct ov_account *accounts, size_t n,
                        const struct ov_migration_batch *batch, uint8_t **out, size_t *out_len,
                        struct ov_error *err)
{
    struct ov_migration_batch b = { 1, 1, 0, true, 0 };
    struct pb_writer count = { NULL, 0 }, w;
    int rc;

    *out = NULL;
    *out_len = 0;
    if (n == 0)
        return ov_error_set(err, OV_ERR_INVALID, "no accounts to put in the migration data");
    for (size_t i = 0; i < n; i++)
        if ((rc = ov_migration_check_account(&accounts[i], err)) != OV_OK)
            return rc;
    if (batch != NULL)
        b = *batch;
    else
        b.batch_id = ov_migration_new_batch_id();
    if (b.batch_size < 1 || b.batch_index < 0 || b.batch_index >= b.batch_size)
        return ov_error_set(err, OV_ERR_INVALID, "batch index %" PRId32 " does not fit a "
                            "batch of %" PRId32 " QR codes", b.batch_index, b.batch_size);
    put_payload(&count, accounts, n, &b);
    if (count.len > OV_MIGRATION_MAX_PAYLOAD)
        return ov_error_set(err, OV_ERR_LIMIT, "the migration data would be %zu bytes, more "
                            "than %d", count.len, OV_MIGRATION_MAX_PAYLOAD);
    w.buf = ov_secure_alloc(count.len);
    w.len = 0;
    put_payload(&w, accounts, n, &b);
    *out = w.buf;
    *out_len = w.len;
    return OV_OK;
}
