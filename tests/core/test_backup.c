/* Backups in the core: names and order, atomic 0600 files never over another, pruning, the
 * vault's key or another passphrase, damaged and wrong-passphrase backups, comparing and
 * merging, recording the last backup without moving PATH.prev, and the status line's data. */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <sys/resource.h>

#include "otpvault/backup.h"
#include "otpvault/otp.h"
#include "tests/lib/vault_helpers.h"

TestSuite(backup, .init = vt_setup, .fini = vt_teardown);

#define T0 1767225600   /* 2026-01-01 00:00:00 UTC */

static char *write_backup(const struct ov_vault *v, const char *dir, int64_t when,
                          const char *pass)
{
    struct ov_error err = { 0 };
    char *path = NULL;
    cr_assert_eq(ov_backup_write(v, dir, pass, pass != NULL ? strlen(pass) : 0, NULL, when,
                                 &path, &err), OV_OK, "%s", err.msg);
    return path;
}

static const char *base(const char *path)
{
    return strrchr(path, '/') + 1;
}

Test(backup, names_carry_the_time_and_never_overwrite)
{
    struct ov_vault v;
    struct ov_backup_files f;
    struct ov_error err = { 0 };
    struct stat st;
    char *a, *b, *c;

    vt_create_with(vt_path("v.otpv"), 3, &v);
    cr_assert_eq(mkdir(vt_path("bk"), 0700), 0);
    a = write_backup(&v, vt_path("bk"), T0, NULL);
    b = write_backup(&v, vt_path("bk"), T0, NULL);      /* same second */
    c = write_backup(&v, vt_path("bk"), T0 + 3600, NULL);
    cr_assert_str_eq(base(a), "otpvault-20260101-000000.otpv");
    cr_assert_str_eq(base(b), "otpvault-20260101-000000-2.otpv");
    cr_assert_str_eq(base(c), "otpvault-20260101-010000.otpv");
    cr_assert_eq(stat(a, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600);
    cr_assert_eq(ov_backup_scan(vt_path("bk"), &f, &err), OV_OK);
    cr_assert_eq(f.len, 3);
    cr_assert_str_eq(f.items[0].path, c);   /* newest first */
    cr_assert_str_eq(f.items[1].path, b);   /* the second of the same second */
    cr_assert_str_eq(f.items[2].path, a);
    cr_assert_eq(f.items[2].time, T0);
    cr_assert_eq(ov_backup_file_time(c), T0 + 3600);
    ov_backup_files_free(&f);
    cr_assert_eq(vt_count_temp_files(vt_path("bk")), 0);
    free(a);
    free(b);
    free(c);
    ov_vault_close(&v);
}

Test(backup, scan_ignores_other_files_and_a_missing_directory_is_not_found)
{
    struct ov_backup_files f;
    struct ov_error err = { 0 };

    cr_assert_eq(mkdir(vt_path("bk"), 0700), 0);
    vt_write(vt_path("bk/notes.txt"), (const uint8_t *)"x", 1);
    vt_write(vt_path("bk/otpvault-20260101-000000.otpv.tmp.abc"), (const uint8_t *)"x", 1);
    cr_assert_eq(ov_backup_scan(vt_path("bk"), &f, &err), OV_OK);
    cr_assert_eq(f.len, 0);
    ov_backup_files_free(&f);
    cr_assert_eq(ov_backup_scan(vt_path("usb"), &f, &err), OV_ERR_NOT_FOUND);
    cr_assert(strstr(err.msg, "usb") != NULL && strstr(err.msg, "plugged") != NULL, "%s",
              err.msg);
}

Test(backup, a_missing_directory_is_never_created)
{
    struct ov_vault v;
    struct ov_error err = { 0 };
    struct stat st;
    char *path = NULL;

    vt_create_with(vt_path("v.otpv"), 1, &v);
    cr_assert_eq(ov_backup_write(&v, vt_path("usb/otpvault"), NULL, 0, NULL, T0, &path, &err),
                 OV_ERR_NOT_FOUND);
    cr_assert_null(path);
    cr_assert_neq(stat(vt_path("usb"), &st), 0, "an unplugged stick's path must stay absent");
    ov_vault_close(&v);
}

Test(backup, prune_keeps_the_newest)
{
    struct ov_vault v;
    struct ov_backup_files f;
    struct ov_error err = { 0 };
    size_t removed;

    vt_create_with(vt_path("v.otpv"), 1, &v);
    cr_assert_eq(mkdir(vt_path("bk"), 0700), 0);
    for (int i = 0; i < 5; i++)
        free(write_backup(&v, vt_path("bk"), T0 + i * 86400, NULL));
    cr_assert_eq(ov_backup_prune(vt_path("bk"), 2, &removed, &err), OV_OK);
    cr_assert_eq(removed, 3);
    cr_assert_eq(ov_backup_scan(vt_path("bk"), &f, &err), OV_OK);
    cr_assert_eq(f.len, 2);
    cr_assert_eq(f.items[0].time, T0 + 4 * 86400);
    cr_assert_eq(f.items[1].time, T0 + 3 * 86400);
    ov_backup_files_free(&f);
    ov_vault_close(&v);
}

Test(backup, opens_with_the_vault_key_or_its_own_passphrase)
{
    struct ov_vault v, b;
    struct ov_error err = { 0 };
    bool needs;
    char *same, *other;

    vt_create_with(vt_path("v.otpv"), 5, &v);
    cr_assert_eq(mkdir(vt_path("bk"), 0700), 0);
    same = write_backup(&v, vt_path("bk"), T0, NULL);
    other = write_backup(&v, vt_path("bk"), T0 + 1, "another one");
    cr_assert_eq(ov_backup_open(same, &v, NULL, 0, &b, &needs, &err), OV_OK, "%s", err.msg);
    vt_assert_lists_eq(&b.accounts, &v.accounts);
    ov_vault_close(&b);
    /* A backup is a vault file: the vault's passphrase opens it the ordinary way too. */
    cr_assert_eq(ov_vault_open(same, PASS, PASS_LEN, &b, &err), OV_OK, "%s", err.msg);
    ov_vault_close(&b);
    cr_assert_eq(ov_backup_open(other, &v, NULL, 0, &b, &needs, &err), OV_ERR_AUTH);
    cr_assert(needs);
    cr_assert_eq(ov_backup_open(other, &v, "wrong", 5, &b, &needs, &err), OV_ERR_AUTH);
    cr_assert(strstr(err.msg, "wrong passphrase or damaged backup") != NULL, "%s", err.msg);
    cr_assert_eq(ov_backup_open(other, &v, "another one", 11, &b, &needs, &err), OV_OK);
    vt_assert_lists_eq(&b.accounts, &v.accounts);
    ov_vault_close(&b);
    free(same);
    free(other);
    ov_vault_close(&v);
}

Test(backup, a_damaged_backup_says_so_and_loads_nothing)
{
    struct ov_vault v, b;
    struct ov_error err = { 0 };
    uint8_t *data;
    size_t len;
    char *path;

    vt_create_with(vt_path("v.otpv"), 3, &v);
    cr_assert_eq(mkdir(vt_path("bk"), 0700), 0);
    path = write_backup(&v, vt_path("bk"), T0, NULL);
    data = vt_read(path, &len);
    data[len / 2] ^= 0x40;
    vt_write(path, data, len);
    cr_assert_eq(ov_backup_open(path, &v, NULL, 0, &b, NULL, &err), OV_ERR_AUTH);
    cr_assert(strstr(err.msg, "damaged backup") != NULL && strstr(err.msg, path) != NULL,
              "%s", err.msg);
    cr_assert_eq(b.accounts.len, 0);
    vt_write(path, data, 40);   /* truncated inside the header */
    cr_assert_eq(ov_backup_open(path, &v, NULL, 0, &b, NULL, &err), OV_ERR_AUTH);
    free(data);
    free(path);
    ov_vault_close(&v);
}

Test(backup, create_records_the_backup_without_moving_prev)
{
    struct ov_vault v, again;
    struct ov_error err = { 0 };
    struct ov_backup_status s;
    uint8_t *prev;
    size_t prev_len;
    char *path = NULL;

    vt_create_with(vt_path("v.otpv"), 2, &v);
    struct ov_account a;
    vt_make_account(&a, 7);
    ov_account_list_push(&v.accounts, &a);
    cr_assert_eq(ov_vault_save(&v, &err), OV_OK);
    prev = vt_read(vt_path("v.otpv.prev"), &prev_len);
    ov_backup_status(&v, 7, T0, &s);
    cr_assert(s.changed_since);
    cr_assert(s.too_old, "never backed up");
    cr_assert_eq(mkdir(vt_path("bk"), 0700), 0);
    cr_assert_eq(ov_backup_create(&v, vt_path("bk"), 10, NULL, 0, T0, &path, &err), OV_OK,
                 "%s", err.msg);
    cr_assert(vt_same_file(vt_path("v.otpv.prev"), prev, prev_len),
              "recording the backup moved PATH.prev: the previous accounts would be lost");
    cr_assert_eq(ov_vault_open(vt_path("v.otpv"), PASS, PASS_LEN, &again, &err), OV_OK);
    cr_assert_eq(again.last_backup, T0);
    cr_assert(again.has_backup_digest);
    ov_backup_status(&again, 7, T0 + 86400, &s);
    cr_assert_not(s.changed_since);
    cr_assert_not(s.too_old);
    ov_backup_status(&again, 7, T0 + 8 * 86400, &s);
    cr_assert(s.too_old);
    ov_backup_status(&again, 0, T0 + 800 * 86400, &s);
    cr_assert_not(s.too_old, "warn_after 0: never warn");
    /* last_used is not a change; a counter is. */
    again.accounts.items[0].last_used = T0 + 5;
    ov_backup_status(&again, 7, T0, &s);
    cr_assert_not(s.changed_since);
    again.accounts.items[1].counter++;
    ov_backup_status(&again, 7, T0, &s);
    cr_assert(s.changed_since);
    ov_vault_close(&again);
    free(prev);
    free(path);
    ov_vault_close(&v);
}

Test(backup, an_empty_vault_never_backed_up_needs_no_warning)
{
    struct ov_vault v;
    struct ov_backup_status s;

    vt_create_with(vt_path("v.otpv"), 0, &v);
    ov_backup_status(&v, 7, T0, &s);
    cr_assert_not(s.changed_since);
    cr_assert_not(s.too_old);
    ov_vault_close(&v);
}

Test(backup, compare_and_merge)
{
    struct ov_vault v;
    struct ov_account_list b;
    struct ov_backup_diff d;

    vt_create_with(vt_path("v.otpv"), 5, &v);
    ov_account_list_init(&b);
    for (unsigned i = 1; i < 7; i++) {   /* lacks 0, has 5 and 6 extra */
        struct ov_account a;
        vt_make_account(&a, i);
        ov_account_list_push(&b, &a);
    }
    b.items[0].counter -= 3;   /* account 1 (HOTP): an older counter */
    ov_backup_compare(&v.accounts, &b, &d);
    cr_assert_eq(d.nmissing, 1);
    cr_assert_eq(d.missing[0], 0);
    cr_assert_eq(d.ndifferent, 1);
    cr_assert_eq(d.different[0], 1);
    cr_assert_eq(d.nextra, 2);
    cr_assert(ov_backup_diff_loses(&d));
    cr_assert_not(ov_backup_diff_same(&d));
    ov_backup_diff_free(&d);
    cr_assert_eq(ov_backup_merge(&v.accounts, &b), 2);
    cr_assert_eq(v.accounts.len, 7);
    cr_assert_eq(v.accounts.items[1].counter, b.items[0].counter + 3, "the vault's own kept");
    cr_assert_eq(ov_backup_merge(&v.accounts, &b), 0, "merging twice adds nothing");
    ov_account_list_free(&b);
    ov_vault_close(&v);
}

Test(backup, digest_sees_every_setting_but_not_use)
{
    struct ov_account_list l;
    uint8_t d1[32], d2[32];

    ov_account_list_init(&l);
    for (unsigned i = 0; i < 5; i++) {
        struct ov_account a;
        vt_make_account(&a, i);
        ov_account_list_push(&l, &a);
    }
    ov_accounts_digest(&l, d1);
    l.items[2].last_used = 99;
    ov_accounts_digest(&l, d2);
    cr_assert_eq(memcmp(d1, d2, 32), 0);
    ov_account_set_text(&l.items[4].note, "another note");
    ov_accounts_digest(&l, d2);
    cr_assert_neq(memcmp(d1, d2, 32), 0);
    ov_account_list_free(&l);
}

Test(backup, ages_read_like_a_person_would_say_them)
{
    char s[64];
    ov_format_age(0, T0, s, sizeof s);
    cr_assert_str_eq(s, "never");
    ov_format_age(T0 - 10, T0, s, sizeof s);
    cr_assert_str_eq(s, "just now");
    ov_format_age(T0 - 120, T0, s, sizeof s);
    cr_assert_str_eq(s, "2 minutes ago");
    ov_format_age(T0 - 3600, T0, s, sizeof s);
    cr_assert_str_eq(s, "1 hour ago");
    ov_format_age(T0 - 3 * 86400 - 5, T0, s, sizeof s);
    cr_assert_str_eq(s, "3 days ago");
    ov_format_age(T0 - 21 * 86400, T0, s, sizeof s);
    cr_assert_str_eq(s, "3 weeks ago");
    ov_format_age(T0 - 400 * 86400, T0, s, sizeof s);
    cr_assert_str_eq(s, "13 months ago");
    ov_format_age(T0 + 3600, T0, s, sizeof s);
    cr_assert(strstr(s, "future") != NULL, "%s", s);
}

static int child_backup_full_disk(char *msg, size_t msg_size)
{
    struct rlimit lim = { 4096, 4096 };
    struct ov_error err = { 0 };
    struct ov_vault v;
    char *path = NULL;
    size_t n;

    if (vt_try_create(vt_path("v.otpv"), 40, &v, &err) != 0) {
        snprintf(msg, msg_size, "%s", err.msg);
        return 2;
    }
    if (mkdir(vt_path("bk"), 0700) != 0)
        return 3;
    signal(SIGXFSZ, SIG_IGN);
    if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
        return 4;
    if (ov_backup_write(&v, vt_path("bk"), NULL, 0, NULL, T0, &path, &err) != OV_ERR_IO)
        return 5;
    snprintf(msg, msg_size, "%s", err.msg);
    if (path != NULL || vt_try_read(vt_path("bk/otpvault-20260101-000000.otpv"), &n) != NULL)
        return 6;
    return vt_count_temp_files(vt_path("bk")) == 0 ? 0 : 7;
}

Test(backup, no_space_leaves_no_partial_backup)
{
    char msg[512];
    int rc = vt_in_child(child_backup_full_disk, msg, sizeof msg);
    cr_assert_eq(rc, 0, "child check %d: %s", rc, msg);
    cr_assert(strstr(msg, "File too large") != NULL, "%s", msg);
}
