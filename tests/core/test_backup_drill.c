/* The automatic backup after saves (directory present, absent, nothing changed, a new
 * passphrase) and the recovery drill (good, broken, wrong passphrase, lossy backups). */
#include <criterion/criterion.h>
#include <errno.h>

#include "otpvault/backup.h"
#include "otpvault/otp.h"
#include "tests/lib/vault_helpers.h"

static void fini(void)
{
    ov_backup_auto_enable(NULL, 0);
    vt_teardown();
}

TestSuite(backup_auto, .init = vt_setup, .fini = fini);
TestSuite(drill, .init = vt_setup, .fini = vt_teardown);

static size_t count_backups(const char *dir)
{
    struct ov_backup_files f;
    struct ov_error err = { 0 };
    size_t n;
    cr_assert_eq(ov_backup_scan(dir, &f, &err), OV_OK, "%s", err.msg);
    n = f.len;
    ov_backup_files_free(&f);
    return n;
}

static void add(struct ov_vault *v, unsigned i)
{
    struct ov_account a;
    vt_make_account(&a, i);
    ov_account_list_push(&v->accounts, &a);
}

Test(backup_auto, every_change_is_backed_up_and_recorded)
{
    struct ov_auto_backup_result r;
    struct ov_error err = { 0 };
    struct ov_vault v, b;

    vt_create_with(vt_path("v.otpv"), 2, &v);
    cr_assert_eq(mkdir(vt_path("usb"), 0700), 0);
    ov_backup_auto_enable(vt_path("usb"), 3);
    add(&v, 5);
    cr_assert_eq(ov_vault_save(&v, &err), OV_OK);
    ov_backup_auto_take(&r);
    cr_assert_eq(r.state, OV_AUTO_MADE, "%s", r.message);
    cr_assert_eq(r.message[0], '\0', "%s", r.message);
    cr_assert_neq(v.last_backup, 0);
    cr_assert_eq(ov_backup_open(r.path, &v, NULL, 0, &b, NULL, &err), OV_OK, "%s", err.msg);
    vt_assert_lists_eq(&b.accounts, &v.accounts);
    ov_vault_close(&b);
    /* Using a code is a save, not a change: no new backup. */
    v.accounts.items[0].last_used = ov_now();
    cr_assert_eq(ov_vault_save(&v, &err), OV_OK);
    ov_backup_auto_take(&r);
    cr_assert_eq(r.state, OV_AUTO_UNCHANGED);
    cr_assert_eq(count_backups(vt_path("usb")), 1);
    /* Five more changes: the newest three are kept. */
    for (unsigned i = 10; i < 15; i++) {
        add(&v, i);
        cr_assert_eq(ov_vault_save(&v, &err), OV_OK);
    }
    cr_assert_eq(count_backups(vt_path("usb")), 3);
    ov_vault_close(&v);
    /* The record is in the file. */
    cr_assert_eq(ov_vault_open(vt_path("v.otpv"), PASS, PASS_LEN, &v, &err), OV_OK);
    cr_assert_neq(v.last_backup, 0);
    ov_vault_close(&v);
}

Test(backup_auto, an_absent_directory_does_not_fail_the_change)
{
    struct ov_auto_backup_result r;
    struct ov_error err = { 0 };
    struct ov_vault v, again;
    struct stat st;

    vt_create_with(vt_path("v.otpv"), 1, &v);
    ov_backup_auto_enable(vt_path("usb/otpvault"), 10);
    add(&v, 3);
    cr_assert_eq(ov_vault_save(&v, &err), OV_OK, "the save itself must succeed");
    ov_backup_auto_take(&r);
    cr_assert_eq(r.state, OV_AUTO_DIR_ABSENT);
    cr_assert(strstr(r.message, "usb/otpvault") != NULL && strstr(r.message, "absent") != NULL,
              "%s", r.message);
    cr_assert_neq(stat(vt_path("usb"), &st), 0, "nothing created in its place");
    cr_assert_eq(v.last_backup, 0);
    cr_assert_eq(ov_vault_open(vt_path("v.otpv"), PASS, PASS_LEN, &again, &err), OV_OK);
    cr_assert_eq(again.accounts.len, 2, "the change reached the vault");
    ov_vault_close(&again);
    /* Plugged back in: the next save catches up, even one that changes nothing new. */
    cr_assert_eq(mkdir(vt_path("usb"), 0700), 0);
    cr_assert_eq(mkdir(vt_path("usb/otpvault"), 0700), 0);
    v.accounts.items[0].last_used = 1;
    cr_assert_eq(ov_vault_save(&v, &err), OV_OK);
    ov_backup_auto_take(&r);
    cr_assert_eq(r.state, OV_AUTO_MADE, "%s", r.message);
    ov_vault_close(&v);
}

Test(backup_auto, a_new_passphrase_is_backed_up_even_with_the_same_accounts)
{
    struct ov_auto_backup_result r;
    struct ov_error err = { 0 };
    struct ov_vault v, b;

    vt_create_with(vt_path("v.otpv"), 2, &v);
    cr_assert_eq(mkdir(vt_path("usb"), 0700), 0);
    ov_backup_auto_enable(vt_path("usb"), 10);
    cr_assert_eq(ov_vault_change_passphrase(&v, "new one", 7, NULL, &err), OV_OK, "%s", err.msg);
    ov_backup_auto_take(&r);
    cr_assert_eq(r.state, OV_AUTO_MADE, "%s", r.message);
    cr_assert_eq(ov_vault_open(r.path, "new one", 7, &b, &err), OV_OK, "%s", err.msg);
    ov_vault_close(&b);
    ov_vault_close(&v);
}

Test(backup_auto, off_means_no_hook)
{
    struct ov_auto_backup_result r;
    struct ov_error err = { 0 };
    struct ov_vault v;

    ov_backup_auto_enable(NULL, 0);
    vt_create_with(vt_path("v.otpv"), 2, &v);
    add(&v, 4);
    cr_assert_eq(ov_vault_save(&v, &err), OV_OK);
    ov_backup_auto_take(&r);
    cr_assert_eq(r.state, OV_AUTO_NONE);
    ov_vault_close(&v);
}

/* ---- drill ---- */

static char *backup_of(struct ov_vault *v, const char *pass)
{
    struct ov_error err = { 0 };
    char *path = NULL;
    if (mkdir(vt_path("bk"), 0700) != 0)
        cr_assert_eq(errno, EEXIST);
    cr_assert_eq(ov_backup_write(v, vt_path("bk"), pass, pass != NULL ? strlen(pass) : 0,
                                 NULL, ov_now(), &path, &err), OV_OK, "%s", err.msg);
    return path;
}

Test(drill, a_good_backup_passes_and_the_date_is_recorded)
{
    struct ov_drill_report rep;
    struct ov_error err = { 0 };
    struct ov_vault v, again;
    char *path;

    vt_create_with(vt_path("v.otpv"), 5, &v);
    path = backup_of(&v, "backup pass");
    cr_assert_eq(ov_backup_drill(&v, path, "backup pass", 11, 1767225600, &rep, &err), OV_OK,
                 "%s", err.msg);
    cr_assert(rep.passed);
    cr_assert_eq(rep.checked, 5);
    cr_assert_eq(rep.backup_accounts, 5);
    ov_drill_report_free(&rep);
    cr_assert_eq(ov_vault_open(vt_path("v.otpv"), PASS, PASS_LEN, &again, &err), OV_OK);
    cr_assert_eq(again.last_drill, 1767225600);
    ov_vault_close(&again);
    free(path);
    ov_vault_close(&v);
}

Test(drill, the_vault_passphrase_works_for_a_backup_under_the_vault_key)
{
    struct ov_drill_report rep;
    struct ov_error err = { 0 };
    struct ov_vault v;
    char *path;

    vt_create_with(vt_path("v.otpv"), 3, &v);
    path = backup_of(&v, NULL);
    cr_assert_eq(ov_backup_drill(&v, path, PASS, PASS_LEN, ov_now(), &rep, &err), OV_OK);
    cr_assert(rep.passed);
    ov_drill_report_free(&rep);
    free(path);
    ov_vault_close(&v);
}

Test(drill, a_broken_backup_fails_and_nothing_is_recorded)
{
    struct ov_drill_report rep;
    struct ov_error err = { 0 };
    struct ov_vault v;
    uint8_t *data;
    size_t len;
    char *path;

    vt_create_with(vt_path("v.otpv"), 3, &v);
    path = backup_of(&v, NULL);
    data = vt_read(path, &len);
    data[len - 5] ^= 1;   /* in the tag */
    vt_write(path, data, len);
    cr_assert_eq(ov_backup_drill(&v, path, PASS, PASS_LEN, ov_now(), &rep, &err), OV_ERR_AUTH);
    cr_assert_not(rep.passed);
    cr_assert(strstr(err.msg, "wrong passphrase or damaged backup") != NULL, "%s", err.msg);
    cr_assert_eq(v.last_drill, 0);
    /* and a wrong passphrase on an intact one */
    free(path);
    path = backup_of(&v, NULL);
    cr_assert_eq(ov_backup_drill(&v, path, "nope", 4, ov_now(), &rep, &err), OV_ERR_AUTH);
    cr_assert_eq(v.last_drill, 0);
    cr_assert_eq(ov_backup_drill(&v, vt_path("bk/none.otpv"), PASS, PASS_LEN, ov_now(), &rep,
                                 &err), OV_ERR_NOT_FOUND);
    free(data);
    free(path);
    ov_vault_close(&v);
}

Test(drill, an_old_backup_fails_and_says_what_would_be_lost)
{
    struct ov_drill_report rep;
    struct ov_error err = { 0 };
    struct ov_vault v;
    char *path;

    vt_create_with(vt_path("v.otpv"), 3, &v);
    path = backup_of(&v, NULL);
    add(&v, 8);                      /* not in the backup */
    v.accounts.items[1].counter += 2;  /* HOTP moved on since: another code */
    cr_assert_eq(ov_vault_save(&v, &err), OV_OK);
    cr_assert_eq(ov_backup_drill(&v, path, PASS, PASS_LEN, ov_now(), &rep, &err), OV_OK);
    cr_assert_not(rep.passed);
    cr_assert_eq(rep.diff.nmissing, 1);
    cr_assert_eq(rep.diff.missing[0], 3);
    cr_assert_eq(rep.ncode_differs, 1);
    cr_assert_eq(rep.code_differs[0], 1);
    cr_assert_eq(v.last_drill, 0);
    ov_drill_report_free(&rep);
    free(path);
    ov_vault_close(&v);
}
