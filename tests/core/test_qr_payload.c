/* The text of one QR code: authenticator content goes to its parser, everything else gets a
 * message saying what it is. Also the excerpt helper those messages use. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "otpvault/account.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/importer.h"
#include "otpvault/qr_payload.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(qr_payload, .init = setup);

#define MIGRATION_URI "otpauth-migration://offline?data=CiUKEOSScPDSHzZchAj4tHXFJnwSBU1hc29uGgREZW5vIAEoATACCigKEMOcxF7S6ZvozC%2BhS2VO3WcSBUphbWVzGgVJc3N1dSABKAEwATgBEAEYASAAKK76p7P7%2F%2F%2F%2F%2FwE%3D"

/* Classifies text (len bytes), which must fail with exactly want and the given kind, and
 * must leave the list alone. */
static void rejected_n(const char *text, size_t len, enum ov_qr_content kind, const char *want)
{
    struct ov_account_list l;
    struct ov_qr_payload info;
    struct ov_import_opts issues = {0};
    struct ov_error err = {0};

    ov_account_list_init(&l);
    cr_assert_eq(ov_qr_payload_parse(text, len, &l, &info, &issues, &err), OV_ERR_INVALID,
                 "%s should be rejected", want);
    cr_assert_str_eq(err.msg, want);
    cr_assert_eq(info.content, kind, "%s: kind %d", want, (int)info.content);
    cr_assert_not(info.is_migration);
    cr_assert_eq(info.added, 0);
    cr_assert_eq(l.len, 0);
    cr_assert_eq(issues.nissues, 0);
    ov_account_list_free(&l);
}

static void rejected(const char *text, enum ov_qr_content kind, const char *want)
{
    rejected_n(text, strlen(text), kind, want);
}

Test(qr_payload, each_kind_of_other_content_says_what_it_is)
{
    rejected("https://example.com", OV_QR_WEB,
             "a web address (https://example.com), not an authenticator export");
    rejected("HTTP://EXAMPLE.COM/A", OV_QR_WEB,
             "a web address (HTTP://EXAMPLE.COM/A), not an authenticator export");
    rejected("www.example.org", OV_QR_WEB,
             "a web address (www.example.org), not an authenticator export");
    rejected("WIFI:S:Home;T:WPA;P:correct horse;;", OV_QR_WIFI,
             "Wi-Fi network settings, not an authenticator export");
    rejected("BEGIN:VCARD\nVERSION:3.0\nFN:Alice\nEND:VCARD", OV_QR_CONTACT,
             "a contact card, not an authenticator export");
    rejected("MECARD:N:Alice;TEL:123;;", OV_QR_CONTACT,
             "a contact card, not an authenticator export");
    rejected("mailto:alice@example.com", OV_QR_EMAIL,
             "an e-mail address (mailto:alice@example.com), not an authenticator export");
    rejected("alice@example.com", OV_QR_EMAIL,
             "an e-mail address (alice@example.com), not an authenticator export");
    rejected("MATMSG:TO:a@b.c;SUB:Hi;BODY:x;;", OV_QR_EMAIL,
             "an e-mail address (MATMSG:TO:a@b.c;SUB:Hi;BODY:x;;), not an authenticator export");
    rejected("tel:+15551234567", OV_QR_PHONE,
             "a phone number (tel:+15551234567), not an authenticator export");
    rejected("SMSTO:+15551234567:hello", OV_QR_SMS,
             "a text message, not an authenticator export");
    rejected("geo:48.85,2.35", OV_QR_GEO,
             "a map location (geo:48.85,2.35), not an authenticator export");
    rejected("BEGIN:VEVENT\nSUMMARY:Party\nEND:VEVENT", OV_QR_CALENDAR,
             "a calendar event, not an authenticator export");
    rejected("bitcoin:1BoatSLRHtKNngkdXEeobR76b53LETtpyT?amount=1", OV_QR_PAYMENT,
             "a payment request (bitcoin:1BoatSLRHtKNngkdXEeobR76b53LETtp...), not an "
             "authenticator export");
    rejected("ftp://files.example.com/a", OV_QR_OTHER_LINK,
             "a link (ftp://files.example.com/a), not an authenticator export");
    rejected("Hello world", OV_QR_TEXT,
             "plain text (\"Hello world\"), not an authenticator export");
    rejected("test", OV_QR_TEXT, "plain text (\"test\"), not an authenticator export");
    rejected("NOT A otpauth-migration:// URL", OV_QR_TEXT,
             "plain text (\"NOT A otpauth-migration:// URL\"), not an authenticator export");
    rejected("", OV_QR_EMPTY, "no text (empty), not an authenticator export");
    rejected(" \r\n\t ", OV_QR_EMPTY, "no text (empty), not an authenticator export");
    rejected_n("\xde\xad\xbe\xef", 4, OV_QR_BINARY,
               "binary data (4 bytes), not an authenticator export");
    rejected_n("otp\0auth", 8, OV_QR_BINARY,
               "binary data (8 bytes), not an authenticator export");
    rejected("a\x01z", OV_QR_BINARY, "binary data (3 bytes), not an authenticator export");
    /* Counted as it came, surrounding white space included (found by fuzzing: the excerpt
     * once read the untrimmed length from the trimmed start). */
    rejected("  \xde\xad\xbe\xef\n", OV_QR_BINARY,
             "binary data (7 bytes), not an authenticator export");
}

Test(qr_payload, quoting_is_short_escaped_and_keeps_characters_whole)
{
    rejected("Lorem ipsum dolor sit amet, consetetur sadipscing elitr", OV_QR_TEXT,
             "plain text (\"Lorem ipsum dolor sit amet, consetetur s...\"), not an "
             "authenticator export");
    rejected("line one\nline \"two\"\tend\\", OV_QR_TEXT,
             "plain text (\"line one\\nline \\\"two\\\"\\tend\\\\\"), not an authenticator "
             "export");
    /* 45 two-byte characters: 40 are quoted, none is cut in half. */
    char text[128] = "", want[256];
    for (int i = 0; i < 45; i++)
        strcat(text, "\xc3\xa9");
    snprintf(want, sizeof want, "plain text (\"%.*s...\"), not an authenticator export", 80,
             text);
    rejected(text, OV_QR_TEXT, want);
    /* zbar's charset guess for DE AD BE EF (lennyerik non_utf8_qr_code.jpg) is valid text. */
    rejected("\xe7\x8c\xba\xe6\xa9\x98", OV_QR_TEXT,
             "plain text (\"\xe7\x8c\xba\xe6\xa9\x98\"), not an authenticator export");
}

Test(qr_payload, private_content_is_never_quoted)
{
    struct ov_account_list l;
    struct ov_error err = {0};
    const char *wifi = "WIFI:T:WPA;S:Home;P:hunter2hunter2;;";
    const char *key = "JBSW Y3DP EHPK 3PXP";

    ov_account_list_init(&l);
    cr_assert_eq(ov_qr_payload_parse(wifi, strlen(wifi), &l, NULL, NULL, &err), OV_ERR_INVALID);
    cr_assert_null(strstr(err.msg, "hunter2"));
    cr_assert_eq(ov_qr_payload_parse(key, strlen(key), &l, NULL, NULL, &err), OV_ERR_INVALID);
    cr_assert_str_eq(err.msg, "a bare secret key (16 Base32 characters) with no account name "
                              "or settings, not an authenticator export; add it by hand");
    ov_account_list_free(&l);
}

Test(qr_payload, otpauth_motp_and_steam_give_one_account)
{
    static const char *const uris[] = {
        "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",
        "  OTPAUTH://HOTP/Bank:bob?secret=JBSWY3DPEHPK3PXP&counter=5\r\n",
        "motp://Motp:user?secret=0123456789abcdef",
        "steam://JBSWY3DPEHPK3PXP",
    };
    static const enum ov_otp_type types[] = { OV_TOTP, OV_HOTP, OV_MOTP, OV_STEAM };
    struct ov_account_list l;

    ov_account_list_init(&l);
    for (size_t i = 0; i < 4; i++) {
        struct ov_qr_payload info;
        struct ov_error err = {0};
        cr_assert_eq(ov_qr_payload_parse(uris[i], strlen(uris[i]), &l, &info, NULL, &err),
                     OV_OK, "%s: %s", uris[i], err.msg);
        cr_assert_eq(info.content, OV_QR_OTPAUTH);
        cr_assert_not(info.is_migration);
        cr_assert_eq(info.added, 1);
        cr_assert_eq(l.len, i + 1);
        cr_assert_eq(l.items[i].type, types[i]);
    }
    cr_assert_str_eq(l.items[0].issuer, "GitHub");
    cr_assert_str_eq(l.items[0].name, "alice");
    cr_assert_eq(l.items[1].counter, 5);
    ov_account_list_free(&l);
}

Test(qr_payload, a_bad_otpauth_uri_says_which_kind_failed)
{
    struct ov_account_list l;
    struct ov_qr_payload info;
    struct ov_error err = {0};
    const char *uri = "otpauth://totp/x?issuer=y";

    ov_account_list_init(&l);
    cr_assert_eq(ov_qr_payload_parse(uri, strlen(uri), &l, &info, NULL, &err), OV_ERR_INVALID);
    cr_assert_eq(info.content, OV_QR_OTPAUTH);
    cr_assert_str_eq(err.msg, "otpauth:// URI: missing secret");
    cr_assert_eq(l.len, 0);
    ov_account_list_free(&l);
}

Test(qr_payload, a_migration_gives_its_accounts_and_batch)
{
    struct ov_account_list l;
    struct ov_qr_payload info;
    struct ov_import_opts issues = {0};
    struct ov_error err = {0};

    ov_account_list_init(&l);
    cr_assert_eq(ov_qr_payload_parse(MIGRATION_URI, strlen(MIGRATION_URI), &l, &info, &issues,
                                     &err), OV_OK, "%s", err.msg);
    cr_assert_eq(info.content, OV_QR_MIGRATION);
    cr_assert(info.is_migration);
    cr_assert_eq(info.added, 2);
    cr_assert_eq(info.batch.batch_id, -1234567890);
    cr_assert_eq(info.batch.batch_size, 1);
    cr_assert_eq(issues.nissues, 0);
    cr_assert_str_eq(l.items[1].issuer, "Issuu");
    cr_assert_eq(l.items[1].type, OV_HOTP);
    ov_account_list_free(&l);
}

Test(qr_payload, a_damaged_migration_is_an_error_with_the_kind_set)
{
    struct ov_account_list l;
    struct ov_qr_payload info;
    struct ov_error err = {0};
    const char *uri = "otpauth-migration://offline?data=XXXX";

    ov_account_list_init(&l);
    cr_assert_eq(ov_qr_payload_parse(uri, strlen(uri), &l, &info, NULL, &err), OV_ERR_INVALID);
    cr_assert(info.is_migration);
    cr_assert(strstr(err.msg, "damaged at byte 1") != NULL, "%s", err.msg);
    ov_account_list_free(&l);
}

Test(qr_payload, a_reader_apps_prefix_is_tolerated_with_a_note)
{
    static const char *const texts[] = { "QR-Code:" MIGRATION_URI, "QR Code: " MIGRATION_URI };
    for (size_t i = 0; i < 2; i++) {
        struct ov_account_list l;
        struct ov_qr_payload info;
        struct ov_import_opts issues = {0};
        struct ov_error err = {0};

        ov_account_list_init(&l);
        cr_assert_eq(ov_qr_payload_parse(texts[i], strlen(texts[i]), &l, &info, &issues, &err),
                     OV_OK, "%s", err.msg);
        cr_assert_eq(info.added, 2);
        cr_assert_eq(issues.nissues, 1);
        cr_assert_eq(issues.issues[0].position, 0);
        cr_assert(strstr(issues.issues[0].message, "ignored \"QR") != NULL, "%s",
                  issues.issues[0].message);
        ov_account_list_free(&l);
        ov_import_opts_free(&issues);
    }
    /* A sentence that happens to contain a URI is not a prefix. */
    rejected("Scan: this is not otpauth://totp/x", OV_QR_TEXT,
             "plain text (\"Scan: this is not otpauth://totp/x\"), not an authenticator "
             "export");
}

Test(qr_payload, excerpts)
{
    char out[64];

    ov_text_excerpt("abc", 3, 40, out, sizeof out);
    cr_assert_str_eq(out, "abc");
    ov_text_excerpt("abcdef", 6, 3, out, sizeof out);
    cr_assert_str_eq(out, "abc...");
    ov_text_excerpt("a\0b\x7f\xff", 5, 40, out, sizeof out);
    cr_assert_str_eq(out, "a\\x00b\\x7F\\xFF");
    /* A small buffer: cut, still terminated, never half a character. */
    ov_text_excerpt("\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac", 9, 40, out, 8);
    cr_assert_str_eq(out, "\xe2\x82\xac...");
    cr_assert_eq(ov_utf8_char_len("\xc0\x80", 2), 0, "overlong");
    cr_assert_eq(ov_utf8_char_len("\xed\xa0\x80", 3), 0, "surrogate");
    cr_assert_eq(ov_utf8_char_len("\xf4\x90\x80\x80", 4), 0, "above U+10FFFF");
    cr_assert_eq(ov_utf8_char_len("\xf0\x9f\x98\x80", 4), 4);
    cr_assert_eq(ov_utf8_char_len("\xf0\x9f\x98", 3), 0, "cut short");
}

Test(qr_payload, content_names)
{
    for (int c = OV_QR_OTPAUTH; c <= OV_QR_BINARY; c++)
        cr_assert_neq(strcmp(ov_qr_content_name((enum ov_qr_content)c), "unknown content"), 0);
}
