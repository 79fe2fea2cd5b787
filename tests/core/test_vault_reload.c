/* ov_vault_reload: picking up another process's save with the kept key, and refusing when
 * the passphrase changed underneath. */
#include "tests/lib/vault_helpers.h"

TestSuite(vault_reload, .init = vt_setup, .fini = vt_teardown);

Test(vault_reload, picks_up_a_save_from_elsewhere)
{
    struct ov_vault app, other;
    struct ov_error err = { 0 };
    struct ov_account extra;
    const char *path = vt_path("v.otpv");

    vt_create_with(path, 3, &app);
    cr_assert_eq(ov_vault_open(path, PASS, PASS_LEN, &other, &err), OV_OK, "%s", err.msg);
    vt_make_account(&extra, 9);
    ov_account_list_push(&other.accounts, &extra);
    cr_assert_eq(ov_vault_save(&other, &err), OV_OK, "%s", err.msg);

    /* The app's save is refused, then a reload brings in the other's change... */
    app.accounts.items[0].counter = 42;
    cr_assert_eq(ov_vault_save(&app, &err), OV_ERR_CONFLICT);
    cr_assert_eq(ov_vault_reload(&app, &err), OV_OK, "%s", err.msg);
    cr_assert_eq(app.accounts.len, 4);
    vt_assert_lists_eq(&app.accounts, &other.accounts);
    cr_assert_eq(app.generation, other.generation);
    /* ...and the next save works. */
    app.accounts.items[1].counter = 43;
    cr_assert_eq(ov_vault_save(&app, &err), OV_OK, "%s", err.msg);
    ov_vault_close(&other);
    cr_assert_eq(ov_vault_open(path, PASS, PASS_LEN, &other, &err), OV_OK);
    cr_assert_eq(other.accounts.items[1].counter, 43);
    ov_vault_close(&other);
    ov_vault_close(&app);
}

Test(vault_reload, passphrase_changed_elsewhere)
{
    struct ov_vault app, other;
    struct ov_error err = { 0 };
    const char *path = vt_path("v.otpv");

    vt_create_with(path, 2, &app);
    cr_assert_eq(ov_vault_open(path, PASS, PASS_LEN, &other, &err), OV_OK);
    cr_assert_eq(ov_vault_change_passphrase(&other, "new one", 7, &small_kdf, &err), OV_OK,
                 "%s", err.msg);
    cr_assert_eq(ov_vault_reload(&app, &err), OV_ERR_AUTH);
    cr_assert(strstr(err.msg, "unlock it again") != NULL, "%s", err.msg);
    cr_assert_eq(app.accounts.len, 2);   /* unchanged */
    ov_vault_close(&other);
    ov_vault_close(&app);
}

Test(vault_reload, damaged_file_loads_nothing)
{
    struct ov_vault app;
    struct ov_error err = { 0 };
    const char *path = vt_path("v.otpv");
    size_t len;
    uint8_t *file;

    vt_create_with(path, 2, &app);
    file = vt_read(path, &len);
    file[len - 1] ^= 1;
    vt_write(path, file, len);
    free(file);
    cr_assert_eq(ov_vault_reload(&app, &err), OV_ERR_AUTH);
    cr_assert_eq(app.accounts.len, 2);
    ov_vault_close(&app);
}
