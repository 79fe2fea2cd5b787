/* Shared by the export, QR and backup suites: sample accounts of every kind, comparing
 * account lists, and re-importing an export through our own importers - or saying SKIP when
 * the importer for that format is not registered yet (it turns on when it lands). */
#ifndef OTPVAULT_TESTS_EXPORT_CHECK_H
#define OTPVAULT_TESTS_EXPORT_CHECK_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "otpvault/account.h"
#include "otpvault/import.h"
#include "otpvault/importer.h"
#include "otpvault/mem.h"

/* Kinds: 0 TOTP SHA1/6/30, 1 HOTP, 2 Steam, 3 mOTP (PIN), 4 TOTP SHA512/8/60 with group and
 * note, 5 Yandex (PIN), 6 TOTP SHA256/8/30 with a group, 7 HOTP SHA1/8. */
#define EC_KINDS 8

static inline void ec_make(struct ov_account *a, unsigned i, unsigned kind)
{
    uint8_t secret[20];
    char buf[64];

    ov_account_init(a);
    for (size_t k = 0; k < sizeof secret; k++)
        secret[k] = (uint8_t)(i * 31 + k * 7 + 3);
    ov_account_set_secret(a, secret, kind == 5 ? 16 : sizeof secret);
    snprintf(buf, sizeof buf, "Service %02u", i);
    ov_account_set_text(&a->issuer, buf);
    snprintf(buf, sizeof buf, "user%02u@example.com", i);
    ov_account_set_text(&a->name, buf);
    switch (kind) {
    case 1: a->type = OV_HOTP; a->counter = 1000 + i; break;
    case 2: a->type = OV_STEAM; a->digits = 5; break;
    case 3:
        a->type = OV_MOTP; a->algo = OV_MD5; a->period = 10;
        a->pin = ov_secure_strdup("1234");
        break;
    case 4:
        a->algo = OV_SHA512; a->digits = 8; a->period = 60;
        ov_account_set_text(&a->group, "work");
        ov_account_set_text(&a->note, "codes in the safe");
        break;
    case 5:
        a->type = OV_YANDEX; a->algo = OV_SHA256; a->digits = 8;
        a->pin = ov_secure_strdup("5678");
        break;
    case 6:
        a->algo = OV_SHA256; a->digits = 8;
        ov_account_set_text(&a->group, "home");
        break;
    case 7: a->type = OV_HOTP; a->digits = 8; a->counter = 7; break;
    default: break;
    }
}

/* n accounts; kinds cycle through the given list. */
static inline void ec_list(struct ov_account_list *l, size_t n, const unsigned *kinds,
                           size_t nkinds)
{
    ov_account_list_init(l);
    for (size_t i = 0; i < n; i++) {
        struct ov_account a;
        ec_make(&a, (unsigned)i, kinds[i % nkinds]);
        ov_account_list_push(l, &a);
    }
}

enum { EC_GROUPS = 1, EC_NOTES = 2 };

static inline bool ec_str_eq(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* got[i] is want[keep[i]]: every field an import gives back, plus group / note per flags. */
static inline void ec_assert_same(const struct ov_account_list *got,
                                  const struct ov_account_list *want, const size_t *keep,
                                  size_t nkeep, unsigned flags, const char *what)
{
    cr_assert_eq(got->len, nkeep, "%s: %zu accounts, expected %zu", what, got->len, nkeep);
    for (size_t i = 0; i < nkeep; i++) {
        const struct ov_account *a = &got->items[i], *b = &want->items[keep[i]];
        cr_assert(ov_account_same(a, b), "%s: account %zu is %s: %s (%s), expected %s: %s (%s)",
                  what, i, a->issuer, a->name, ov_otp_type_name(a->type), b->issuer, b->name,
                  ov_otp_type_name(b->type));
        cr_assert_eq(a->algo, b->algo, "%s: %s algorithm", what, b->name);
        cr_assert_eq(a->digits, b->digits, "%s: %s digits", what, b->name);
        if (b->type == OV_HOTP)
            cr_assert_eq(a->counter, b->counter, "%s: %s counter", what, b->name);
        else
            cr_assert_eq(a->period, b->period, "%s: %s period", what, b->name);
        cr_assert(ec_str_eq(a->pin, b->pin), "%s: %s PIN", what, b->name);
        if (flags & EC_GROUPS)
            cr_assert(ec_str_eq(a->group, b->group), "%s: %s group %s", what, b->name,
                      a->group != NULL ? a->group : "(none)");
        if (flags & EC_NOTES)
            cr_assert(ec_str_eq(a->note, b->note), "%s: %s note", what, b->name);
    }
}

/* Imports data with our importers (format: an importer name, or NULL to detect). false,
 * after a SKIP line, when that importer is not registered in this build. */
static inline bool ec_reimport(const char *importer, bool detect, const void *data, size_t len,
                               const char *password, struct ov_import_report *r)
{
    struct ov_import_options o = { 0 };
    struct ov_blob in = { data, len, "export" };
    int rc;

    if (ov_importer_find(importer) == NULL) {
        fprintf(stderr, "SKIP: no '%s' importer registered yet: the re-import check turns "
                "on when it lands\n", importer);
        return false;
    }
    o.format = detect ? NULL : importer;
    o.password = password;
    o.password_len = password != NULL ? strlen(password) : 0;
    if (detect)
        cr_assert_str_eq(ov_import_pick(&in, NULL)->name, importer,
                         "content detection picks another importer");
    rc = ov_import_run(&in, 1, &o, NULL, r);
    cr_assert_eq(rc, OV_OK, "re-import through %s: %s", importer,
                 r->nnotes > 0 ? r->notes[0].text : "(no note)");
    cr_assert_eq(r->entries_failed, 0, "re-import through %s: %s", importer,
                 r->nnotes > 0 ? r->notes[0].text : "(no note)");
    return true;
}

#endif
