/* What one QR code (or one line of a text file) holds: an otpauth://, motp:// or steam://
 * account, a Google Authenticator otpauth-migration:// batch, or something else - in which
 * case the error says what it is ("a web address (https://...)", "Wi-Fi network settings",
 * "plain text (\"...\")", "binary data (N bytes)"), so a user who scanned the wrong code knows
 * which one it was. */
#ifndef OTPVAULT_QR_PAYLOAD_H
#define OTPVAULT_QR_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include "otpvault/account.h"
#include "otpvault/error.h"
#include "otpvault/importer.h"
#include "otpvault/migration.h"

/* Longer authenticator payloads are refused (OV_ERR_LIMIT) before they are copied into secure
 * memory: a QR code holds under 3 KB, and the largest migration URI we read is under this. */
#define OV_QR_PAYLOAD_MAX (8u * 1024u * 1024u)

enum ov_qr_content {
    OV_QR_OTPAUTH = 0, /* otpauth://, motp:// or steam://: one account */
    OV_QR_MIGRATION,   /* otpauth-migration://: accounts plus batch fields */
    OV_QR_EMPTY,       /* nothing but white space */
    OV_QR_WEB,         /* http://, https://, www. */
    OV_QR_WIFI,        /* WIFI:S:...;T:...;P:...;; */
    OV_QR_CONTACT,     /* vCard, MeCard */
    OV_QR_EMAIL,       /* mailto:, MATMSG:, a bare address */
    OV_QR_PHONE,       /* tel: */
    OV_QR_SMS,         /* sms:, smsto: */
    OV_QR_GEO,         /* geo: */
    OV_QR_CALENDAR,    /* BEGIN:VEVENT / VCALENDAR */
    OV_QR_PAYMENT,     /* bitcoin:, ethereum:, lightning:, ... */
    OV_QR_OTHER_LINK,  /* any other scheme://... */
    OV_QR_BARE_KEY,    /* only Base32 characters: a secret key with no account around it */
    OV_QR_TEXT,        /* any other text */
    OV_QR_BINARY,      /* NUL bytes, control characters or invalid UTF-8 */
};

struct ov_qr_payload {
    enum ov_qr_content content;       /* set even when the call fails */
    bool is_migration;                /* content == OV_QR_MIGRATION */
    struct ov_migration_batch batch;  /* migration only; zeroed otherwise */
    size_t added;                     /* accounts appended to the list */
};

/* Classifies len bytes of decoded QR text (need not be NUL-terminated or valid UTF-8;
 * surrounding white space and a BOM are ignored) and, for the two authenticator kinds,
 * appends the accounts to out.
 * - otpauth/motp/steam: one account; a parse failure is the call's error (nothing added).
 *   A warning from the URI parser becomes an issue at position 1.
 * - otpauth-migration: as ov_migration_parse_uri: per-entry problems go to issues (may be
 *   NULL) by 1-based position and the rest are added; a damaged payload is the call's error.
 *   A short reader-app prefix ("QR-Code:otpauth-migration://...") is tolerated, with an
 *   issue at position 0 saying it was ignored.
 * - an authenticator payload over OV_QR_PAYLOAD_MAX bytes: OV_ERR_LIMIT, nothing added.
 * - anything else: OV_ERR_INVALID, with a message saying what the content is ("a web address
 *   (https://example.com), not an authenticator export"); at most about 40 characters are
 *   quoted, control characters escaped, and Wi-Fi passwords or bare keys never.
 * info (may be NULL) receives the kind, the batch fields and the count added. */
int ov_qr_payload_parse(const void *data, size_t len, struct ov_account_list *out,
                        struct ov_qr_payload *info, struct ov_import_opts *issues,
                        struct ov_error *err);

/* A short noun phrase for a content kind ("a web address", "Wi-Fi network settings"). */
const char *ov_qr_content_name(enum ov_qr_content c);

#endif
