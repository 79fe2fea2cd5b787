/* What a save stamps for merging (sync.h): ids for new accounts, the change time of edited
 * ones (not of HOTP use), tombstones for deleted ones and their pruning, renewed ids for
 * copies, and all of it kept across a reopen. */
#include "otpvault/otp.h"
#include "otpvault/sync.h"
#include "tests/lib/vault_helpers.h"

TestSuite(sync, .init = vt_setup, .fini = vt_teardown);

static void reopen(struct ov_vault *v)
{
    struct ov_error err = { 0 };
    char *path = strdup(v->path);

    ov_vault_close(v);
    cr_assert_eq(ov_vault_open(path, PASS, PASS_LEN, v, &err), 0, "%s", err.msg);
    free(path);
}

static void save(struct ov_vault *v)
{
    struct ov_error err = { 0 };
    cr_assert_eq(ov_vault_save(v, &err), 0, "%s", err.msg);
}

Test(sync, a_save_gives_new_accounts_ids_and_times_that_stay)
{
    struct ov_vault v;
    uint8_t ids[3][OV_ACCOUNT_ID_LEN];
    int64_t before = ov_now_ms();

    vt_create_with(vt_path("v.otpv"), 3, &v);
    for (size_t i = 0; i < 3; i++) {
        cr_assert(!ov_account_id_none(v.accounts.items[i].id));
        cr_assert_geq(v.accounts.items[i].modified, before);
        memcpy(ids[i], v.accounts.items[i].id, OV_ACCOUNT_ID_LEN);
    }
    cr_assert_neq(memcmp(ids[0], ids[1], OV_ACCOUNT_ID_LEN), 0);
    reopen(&v);
    for (size_t i = 0; i < 3; i++)
        cr_assert_eq(memcmp(v.accounts.items[i].id, ids[i], OV_ACCOUNT_ID_LEN), 0,
                     "account %zu has another id after a reopen", i);
    ov_vault_close(&v);
}

Test(sync, edits_are_stamped_and_hotp_use_is_not)
{
    struct ov_vault v;
    int64_t t0, t1;

    vt_create_with(vt_path("v.otpv"), 2, &v);   /* account 1 is HOTP */
    t0 = v.accounts.items[0].modified;
    t1 = v.accounts.items[1].modified;
    ov_set_clock_offset(60);
    v.accounts.items[1].counter += 5;
    v.accounts.items[1].last_used = 1;
    save(&v);
    cr_assert_eq(v.accounts.items[1].modified, t1, "a counter step is no edit");
    ov_account_set_text(&v.accounts.items[0].name, "renamed");
    save(&v);
    cr_assert_geq(v.accounts.items[0].modified, t0 + 60000, "the rename is stamped");
    cr_assert_eq(v.accounts.items[1].modified, t1);
    reopen(&v);
    cr_assert_geq(v.accounts.items[0].modified, t0 + 60000);
    ov_set_clock_offset(0);
    ov_vault_close(&v);
}

Test(sync, an_edit_is_later_than_what_it_edited_even_with_a_clock_behind)
{
    struct ov_vault v;
    int64_t t;

    vt_create_with(vt_path("v.otpv"), 1, &v);
    t = v.accounts.items[0].modified;
    ov_set_clock_offset(-3600);   /* this machine's clock is an hour behind */
    ov_account_set_text(&v.accounts.items[0].issuer, "Elsewhere");
    save(&v);
    ov_set_clock_offset(0);
    cr_assert_gt(v.accounts.items[0].modified, t);
    ov_vault_close(&v);
}

Test(sync, a_deletion_leaves_a_tombstone_and_an_undo_takes_it_back)
{
    struct ov_vault v;
    struct ov_account keep;
    uint8_t id[OV_ACCOUNT_ID_LEN];

    vt_create_with(vt_path("v.otpv"), 3, &v);
    memcpy(id, v.accounts.items[1].id, sizeof id);
    ov_account_copy(&keep, &v.accounts.items[1]);
    ov_account_list_remove(&v.accounts, 1);
    save(&v);
    cr_assert_eq(v.ntombstones, 1);
    cr_assert_eq(memcmp(v.tombstones[0].id, id, sizeof id), 0);
    cr_assert_gt(v.tombstones[0].deleted, keep.modified);
    reopen(&v);
    cr_assert_not_null(ov_sync_tombstone_find(&v, id), "the tombstone is on disk");
    /* The account comes back (an undo, a restore): it is no longer deleted, and it is
     * stamped so that it wins over the deletion in a merge. */
    ov_set_clock_offset(10);
    ov_account_list_insert(&v.accounts, &keep, 1);
    save(&v);
    ov_set_clock_offset(0);
    cr_assert_eq(v.ntombstones, 0);
    cr_assert_eq(memcmp(v.accounts.items[1].id, id, sizeof id), 0);
    cr_assert_gt(v.accounts.items[1].modified, v.accounts.items[0].modified);
    ov_vault_close(&v);
}

Test(sync, tombstones_older_than_the_configured_age_are_pruned)
{
    struct ov_vault v;

    vt_create_with(vt_path("v.otpv"), 3, &v);
    ov_sync_set_tombstone_days(30);
    ov_account_list_remove(&v.accounts, 0);
    save(&v);
    cr_assert_eq(v.ntombstones, 1);
    ov_set_clock_offset(29 * 86400);
    ov_account_list_remove(&v.accounts, 0);
    save(&v);
    cr_assert_eq(v.ntombstones, 2, "29 days: both kept");
    ov_set_clock_offset(31 * 86400);
    save(&v);
    cr_assert_eq(v.ntombstones, 1, "31 days: the first one is gone");
    ov_set_clock_offset(0);
    ov_sync_set_tombstone_days(OV_SYNC_TOMBSTONE_DAYS_DEFAULT);
    ov_vault_close(&v);
}

Test(sync, a_copied_account_gets_its_own_id)
{
    struct ov_vault v;
    struct ov_account twin;

    vt_create_with(vt_path("v.otpv"), 1, &v);
    ov_account_copy(&twin, &v.accounts.items[0]);
    ov_account_list_push(&v.accounts, &twin);
    save(&v);
    cr_assert_neq(memcmp(v.accounts.items[0].id, v.accounts.items[1].id, OV_ACCOUNT_ID_LEN), 0);
    ov_vault_close(&v);
}

Test(sync, ids_print_and_parse)
{
    uint8_t id[OV_ACCOUNT_ID_LEN], back[OV_ACCOUNT_ID_LEN];
    char text[2 * OV_ACCOUNT_ID_LEN + 1];

    for (size_t i = 0; i < sizeof id; i++)
        id[i] = (uint8_t)(i * 17 + 3);
    ov_account_id_text(id, text);
    cr_assert_str_eq(text, "031425364758697a8b9cadbecfe0f102");
    cr_assert_eq(ov_account_id_parse(text, back), 0);
    cr_assert_eq(memcmp(id, back, sizeof id), 0);
    cr_assert_eq(ov_account_id_parse("03142536-4758-697a-8b9c-ADBECFE0F102", back), 0, "a UUID");
    cr_assert_eq(memcmp(id, back, sizeof id), 0);
    cr_assert_eq(ov_account_id_parse("031425364758697a8b9cadbecfe0f10", back), -1, "short");
    cr_assert_eq(ov_account_id_parse("031425364758697a8b9cadbecfe0f10200", back), -1, "long");
    cr_assert_eq(ov_account_id_parse("g31425364758697a8b9cadbecfe0f102", back), -1);
    cr_assert_eq(ov_account_id_parse("00000000000000000000000000000000", back), -1, "none");
}

Test(sync, tombstones_and_the_merge_note_round_trip)
{
    struct ov_vault v;

    vt_create_with(vt_path("v.otpv"), 2, &v);
    ov_account_list_remove(&v.accounts, 0);
    v.last_merge = 1800000000;
    v.last_merge_from = strdup("laptop: /media/usb/vault.otpv");
    save(&v);
    reopen(&v);
    cr_assert_eq(v.ntombstones, 1);
    cr_assert_eq(v.last_merge, 1800000000);
    cr_assert_str_eq(v.last_merge_from, "laptop: /media/usb/vault.otpv");
    ov_vault_close(&v);
}
