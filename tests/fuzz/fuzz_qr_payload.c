/* libFuzzer target: what a QR code (or a line of a text list) holds (ov_qr_payload_parse):
 * otpauth, migration, or something else that must be named without quoting secrets. The
 * counts it reports must match what it appended. */
#include "fuzz.h"
#include "otpvault/account.h"
#include "otpvault/importer.h"
#include "otpvault/qr_payload.h"

static void fuzz_seeds(void)
{
    static const char *const seeds[] = {
        "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",
        ("QR-Code:otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGGpvaG4uZG9lQGV4YW1wbGUu"
         "Y29tGgdFeGFtcGxlIAEoATACEAEYASAAKMvF%2FpMF"),
        "https://example.com/login?next=/",
        "WIFI:S:home;T:WPA;P:secret password;;",
        "BEGIN:VCARD\nVERSION:3.0\nFN:Alice\nEND:VCARD",
        "MECARD:N:Alice;EMAIL:a@example.com;;",
        "mailto:alice@example.com",
        "tel:+123456",
        "smsto:+123:hello",
        "geo:48.85,2.35",
        "BEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT",
        "bitcoin:1BoatSLRHtKNngkdXEeobR76b53LETtpyT?amount=1",
        "JBSWY3DPEHPK3PXP",
        "hello world",
        "\xEF\xBB\xBF \t steam://GEZDGNBVGY3TQOJQ",
    };
    char name[32];
    for (size_t i = 0; i < sizeof seeds / sizeof *seeds; i++) {
        snprintf(name, sizeof name, "gen-%02zu", i);
        fuzz_seed_str(name, seeds[i]);
    }
    fuzz_seed("gen-binary", "\x00\x01\xff\xfe otpauth://", 16);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ov_account_list l;
    struct ov_import_opts issues = { 0 };
    struct ov_qr_payload info;
    struct ov_error err;
    int rc;

    ov_account_list_init(&l);
    rc = ov_qr_payload_parse(data, size, &l, &info, &issues, &err);
    if (info.added != l.len || (rc != OV_OK && l.len != 0) ||
        info.is_migration != (info.content == OV_QR_MIGRATION) ||
        ov_qr_content_name(info.content) == NULL)
        abort();
    ov_account_list_free(&l);
    ov_import_opts_free(&issues);
    return 0;
}
