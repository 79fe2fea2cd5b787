/* otpvault's own vault and backup files as an import: recognised by their magic before any
 * other format (never "an encrypted andOTP backup"), read with their passphrase, accounts
 * exactly as stored with their ids and change times; wrong passphrase and damage refused. */
#include "otpvault/backup.h"
#include "otpvault/sync.h"
#include "otpvault/vault_format.h"
#include "tests/lib/import_harness.h"
#include "tests/lib/vault_helpers.h"

TestSuite(otpvault_import, .init = vt_setup, .fini = vt_teardown);

static uint8_t *vault_file(unsigned n, size_t *len, struct ov_vault *v)
{
    vt_create_with(vt_path("v.otpv"), n, v);
    return vt_read(vt_path("v.otpv"), len);
}

Test(otpvault_import, a_vault_and_a_backup_are_ours_before_any_other_format)
{
    struct ov_vault v;
    struct ov_error err = { 0 };
    struct ov_blob in;
    char *path = NULL;
    size_t len;
    uint8_t *file = vault_file(3, &len, &v);

    in = (struct ov_blob){ file, len, "v.otpv" };
    cr_assert_str_eq(ov_importer_detect(&in)->name, "otpvault");
    mkdir(vt_path("usb"), 0700);
    cr_assert_eq(ov_backup_write(&v, vt_path("usb"), NULL, 0, NULL, 1800000000, &path, &err),
                 0, "%s", err.msg);
    free(file);
    file = vt_read(path, &len);
    in = (struct ov_blob){ file, len, path };
    cr_assert_str_eq(ov_importer_detect(&in)->name, "otpvault");
    /* Only a header that decodes: the magic alone is not enough. */
    file[8] = 99;   /* format version */
    cr_assert_neq(ov_importer_detect(&in), ov_importer_find("otpvault"));
    free(file);
    free(path);
    ov_vault_close(&v);
}

Test(otpvault_import, accounts_come_back_exactly_with_their_ids)
{
    struct ov_vault v;
    struct import_result r;
    size_t len;
    uint8_t *file = vault_file(6, &len, &v);

    import_with("otpvault", file, len, PASS, &r);
    cr_assert_eq(r.rc, 0, "%s", r.err.msg);
    vt_assert_lists_eq(&v.accounts, &r.accounts);
    for (size_t i = 0; i < v.accounts.len; i++) {
        cr_assert_eq(memcmp(r.accounts.items[i].id, v.accounts.items[i].id, OV_ACCOUNT_ID_LEN), 0);
        cr_assert_eq(r.accounts.items[i].modified, v.accounts.items[i].modified);
    }
    import_result_free(&r);
    free(file);
    ov_vault_close(&v);
}

Test(otpvault_import, a_passphrase_is_needed_and_must_be_right)
{
    struct ov_vault v;
    struct import_result r;
    size_t len;
    uint8_t *file = vault_file(2, &len, &v);

    import_with("otpvault", file, len, NULL, &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH);
    cr_assert(import_error_has(&r, "a passphrase is needed"), "%s", r.err.msg);
    import_result_free(&r);
    import_with("otpvault", file, len, "not the passphrase", &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH);
    cr_assert(import_error_has(&r, "wrong passphrase or damaged"), "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 0);
    import_result_free(&r);
    /* Damage anywhere after the header, and every cut, is refused with nothing read. */
    for (size_t at = OV_VAULT_HEADER_LEN; at < len; at += 97) {
        file[at] ^= 0x40;
        import_with("otpvault", file, len, PASS, &r);
        cr_assert_eq(r.rc, OV_ERR_AUTH, "a flipped byte at %zu", at);
        cr_assert_eq(r.accounts.len, 0);
        import_result_free(&r);
        file[at] ^= 0x40;
    }
    for (size_t cut = 0; cut < len; cut += 53) {
        import_with("otpvault", file, cut, PASS, &r);
        cr_assert_neq(r.rc, 0, "cut at %zu", cut);
        cr_assert_eq(r.accounts.len, 0);
        import_result_free(&r);
    }
    free(file);
    ov_vault_close(&v);
}
