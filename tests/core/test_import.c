/* The import pipeline over text inputs: batches grouped across inputs by id and index,
 * incomplete batches held back, duplicates, per-entry failures. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/crypto.h"
#include "otpvault/import.h"
#include "otpvault/mem.h"
#include "otpvault/migration.h"
#include "otpvault/uri.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(import, .init = setup);

/* n TOTP accounts "Service<i>" / "user<i>" with distinct secrets. */
static void make_accounts(struct ov_account_list *l, size_t n)
{
    ov_account_list_init(l);
    for (size_t i = 0; i < n; i++) {
        struct ov_account a;
        uint8_t secret[20];
        char text[32];
        ov_account_init(&a);
        for (size_t b = 0; b < sizeof secret; b++)
            secret[b] = (uint8_t)(i * 31 + b);
        ov_account_set_secret(&a, secret, sizeof secret);
        snprintf(text, sizeof text, "Service%02zu", i);
        ov_account_set_text(&a.issuer, text);
        snprintf(text, sizeof text, "user%02zu", i);
        ov_account_set_text(&a.name, text);
        ov_account_list_push(l, &a);
    }
}

static struct ov_blob text_blob(const char *text, const char *name)
{
    return (struct ov_blob){ (const uint8_t *)text, strlen(text), name };
}

static bool has_note(const struct ov_import_report *r, const char *needle)
{
    for (size_t i = 0; i < r->nnotes; i++)
        if (strstr(r->notes[i].text, needle) != NULL)
            return true;
    return false;
}

static char **batch_uris(const struct ov_account_list *l, size_t per_qr, size_t *count)
{
    struct ov_error err = { 0 };
    char **uris;
    cr_assert_eq(ov_migration_encode_uris(l->items, l->len, per_qr, &uris, count, &err), OV_OK,
                 "%s", err.msg);
    return uris;
}

Test(import, batch_spread_over_inputs_is_put_in_index_order)
{
    struct ov_account_list l;
    struct ov_import_report r;
    struct ov_import_options o = { 0 };
    size_t count;
    char **uris;

    make_accounts(&l, 25);
    uris = batch_uris(&l, 10, &count);
    cr_assert_eq(count, 3);
    /* Scanned out of order, one per file. */
    struct ov_blob in[3] = { text_blob(uris[2], "c.txt"), text_blob(uris[0], "a.txt"),
                             text_blob(uris[1], "b.txt") };
    cr_assert_eq(ov_import_run(in, 3, &o, NULL, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 25);
    for (size_t i = 0; i < 25; i++)
        cr_assert(ov_account_same(&r.accounts.items[i], &l.items[i]), "account %zu", i);
    cr_assert_eq(r.inputs_failed, 0);
    ov_import_report_free(&r);
    ov_migration_uris_free(uris, count);
    ov_account_list_free(&l);
}

Test(import, incomplete_batch_imports_nothing_unless_allowed)
{
    struct ov_account_list l;
    struct ov_import_report r;
    struct ov_import_options o = { 0 };
    size_t count;
    char **uris;
    char text[8192];

    make_accounts(&l, 25);
    uris = batch_uris(&l, 10, &count);
    snprintf(text, sizeof text, "%s\n%s\n", uris[0], uris[2]);
    struct ov_blob in = text_blob(text, "shot.txt");
    cr_assert_neq(ov_import_run(&in, 1, &o, NULL, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 0);
    cr_assert(has_note(&r, "shot.txt: QR 2 of 3 is missing"));
    ov_import_report_free(&r);

    o.allow_partial = true;
    cr_assert_eq(ov_import_run(&in, 1, &o, NULL, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 15);
    cr_assert(ov_account_same(&r.accounts.items[10], &l.items[20]));
    ov_import_report_free(&r);
    ov_migration_uris_free(uris, count);
    ov_account_list_free(&l);
}

Test(import, same_qr_twice_is_read_once)
{
    struct ov_account_list l;
    struct ov_import_report r;
    struct ov_import_options o = { 0 };
    size_t count;
    char **uris;
    char text[8192];

    make_accounts(&l, 12);
    uris = batch_uris(&l, 10, &count);
    snprintf(text, sizeof text, "%s\n%s\n%s\n", uris[1], uris[0], uris[1]);
    struct ov_blob in = text_blob(text, "x.txt");
    cr_assert_eq(ov_import_run(&in, 1, &o, NULL, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 12);
    cr_assert(has_note(&r, "QR 2 of 2 seen twice"));
    ov_import_report_free(&r);
    ov_migration_uris_free(uris, count);
    ov_account_list_free(&l);
}

Test(import, duplicates_of_the_vault_are_counted_not_added)
{
    struct ov_account_list l, existing;
    struct ov_import_report r;
    struct ov_import_options o = { 0 };
    size_t count;
    char **uris;

    make_accounts(&l, 5);
    make_accounts(&existing, 2);
    uris = batch_uris(&l, 10, &count);
    struct ov_blob in = text_blob(uris[0], "one.txt");
    cr_assert_eq(ov_import_run(&in, 1, &o, &existing, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 3);
    cr_assert_eq(r.present, 2);
    cr_assert(has_note(&r, "already in the vault"));
    ov_import_report_free(&r);
    ov_migration_uris_free(uris, count);
    ov_account_list_free(&l);
    ov_account_list_free(&existing);
}

Test(import, bad_line_is_reported_and_the_rest_imports)
{
    struct ov_import_report r;
    struct ov_import_options o = { 0 };
    const char *text = "# my accounts\n"
                       "otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP\n"
                       "https://example.com/login\n"
                       "otpauth://totp/B:b?secret=JBSW1\n"
                       "otpauth://totp/C:c?secret=JBSWY3DPEHPK3PXQ\n";
    struct ov_blob in = text_blob(text, "list.txt");

    cr_assert_eq(ov_import_run(&in, 1, &o, NULL, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 2);
    cr_assert_eq(r.entries_failed, 2);
    cr_assert(has_note(&r, "list.txt: line 3: a web address"), "notes: %s", r.notes[0].text);
    cr_assert(has_note(&r, "list.txt: line 4:"));
    ov_import_report_free(&r);
}

Test(import, inputs_with_nothing_usable_fail)
{
    struct ov_import_report r;
    struct ov_import_options o = { 0 };
    struct ov_blob in[2] = { text_blob("", "empty.txt"),
                             text_blob("otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP\n", "ok.txt") };

    cr_assert_neq(ov_import_run(in, 2, &o, NULL, &r), OV_OK);
    cr_assert_eq(r.inputs_failed, 1);
    cr_assert(has_note(&r, "empty.txt: the file is empty"));
    ov_import_report_free(&r);

    /* Comments only: nothing to import, and nothing wrong either. */
    struct ov_blob comments = text_blob("# only a comment\n\n", "comments.txt");
    cr_assert_eq(ov_import_run(&comments, 1, &o, NULL, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 0);
    cr_assert(has_note(&r, "comments.txt: holds no accounts"));
    ov_import_report_free(&r);

    struct ov_blob prose = text_blob("Lorem ipsum dolor sit amet\n", "prose.txt");
    cr_assert_neq(ov_import_run(&prose, 1, &o, NULL, &r), OV_OK);
    cr_assert(has_note(&r, "prose.txt: line 1: plain text"));
    ov_import_report_free(&r);

    struct ov_blob junk = { (const uint8_t *)"\x01\x02\x03garbage", 10, "junk.bin" };
    cr_assert_neq(ov_import_run(&junk, 1, &o, NULL, &r), OV_OK);
    cr_assert(has_note(&r, "junk.bin: "));
    ov_import_report_free(&r);
}

Test(import, unknown_format_is_named)
{
    struct ov_import_report r;
    struct ov_import_options o = { .format = "nope" };
    struct ov_blob in = text_blob("otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP\n", "x.txt");
    cr_assert_neq(ov_import_run(&in, 1, &o, NULL, &r), OV_OK);
    cr_assert(has_note(&r, "'nope'"));
    ov_import_report_free(&r);
}

Test(import, plain_inputs_need_no_password)
{
    static const uint8_t png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13 };
    struct ov_blob text = text_blob("otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP\n", "a.txt");
    struct ov_blob picture = { png, sizeof png, "shot.png" };

    cr_assert_not(ov_import_wants_password(ov_import_pick(&text, NULL), &text));
    cr_assert_not(ov_import_wants_password(ov_import_pick(&picture, NULL), &picture));
    cr_assert_not(ov_import_wants_password(ov_import_pick(&text, "no-such-format"), &text));
    cr_assert_not(ov_import_wants_password(NULL, &text));
}

/* The importer picked once (to ask for a password) is the one that reads the input. */
Test(import, the_picked_importer_reads_without_a_second_sniff)
{
    struct ov_import_report r;
    struct ov_blob in = text_blob("otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP\n", "a.txt");
    const struct ov_importer *picked[1] = { ov_import_pick(&in, NULL) };
    struct ov_import_options o = { .picked = picked };

    cr_assert_str_eq(picked[0]->name, "otpauth");
    cr_assert_eq(ov_import_run(&in, 1, &o, NULL, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 1);
    ov_import_report_free(&r);
    /* Another importer given for the same bytes is used as given, not sniffed over. */
    picked[0] = ov_importer_find("aegis");
    cr_assert_neq(ov_import_run(&in, 1, &o, NULL, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 0);
    ov_import_report_free(&r);
}
