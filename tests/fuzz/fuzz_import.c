/* libFuzzer target: the import pipeline (ov_import_run) as `otpvault import` drives it:
 * formats detected by content, several inputs (the input is cut at each "@@next@@"), a
 * Google Authenticator batch spread over them, duplicates against a vault. Whatever it
 * returns must be storable in the vault. */
#include "fuzz.h"
#include "fuzz_check.h"
#include "otpvault/import.h"
#include "otpvault/migration.h"

#define SEP "@@next@@"
#define MAX_INPUTS 4

static void fuzz_seeds(void)
{
    struct ov_account a[2];
    struct ov_migration_batch b0 = { 1, 2, 0, true, 77 }, b1 = { 1, 2, 1, true, 77 };
    struct ov_error err;
    char *u0, *u1, *text;
    size_t n;

    for (unsigned i = 0; i < 2; i++) {
        uint8_t secret[10] = { (uint8_t)i, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
        ov_account_init(&a[i]);
        ov_account_set_secret(&a[i], secret, sizeof secret);
        ov_account_set_text(&a[i].issuer, i ? "Bank" : "GitHub");
        ov_account_set_text(&a[i].name, "alice");
    }
    if (ov_migration_encode_uri(&a[0], 1, &b0, &u0, &err) != OV_OK ||
        ov_migration_encode_uri(&a[1], 1, &b1, &u1, &err) != OV_OK)
        abort();
    /* The batch out of order over two inputs, with a duplicate of the vault's account. */
    n = strlen(u0) + strlen(u1) + 200;
    text = malloc(n);
    snprintf(text, n, "%s\n" SEP "%s\notpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP\n",
             u1, u0);
    fuzz_seed_str("gen-batch", text);
    free(text);
    ov_secure_free_str(u0);
    ov_secure_free_str(u1);
    ov_account_free(&a[0]);
    ov_account_free(&a[1]);
    fuzz_seed_str("gen-empty-part", "otpauth://totp/A:b?secret=GEZDGNBV" SEP SEP "x");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t github[] = { 'H', 'e', 'l', 'l', 'o', '!', 0xde, 0xad, 0xbe, 0xef };
    struct ov_blob inputs[MAX_INPUTS];
    struct ov_import_options opts = { .allow_partial = size % 2 == 1 };
    struct ov_account_list existing;
    struct ov_account a;
    struct ov_import_report report;
    const uint8_t *p = data, *end = data + size;
    size_t n = 0;

    /* What a vault holds: JBSWY3DPEHPK3PXP is "Hello!\xde\xad\xbe\xef". */
    ov_account_list_init(&existing);
    ov_account_init(&a);
    ov_account_set_secret(&a, github, sizeof github);
    ov_account_set_text(&a.issuer, "GitHub");
    ov_account_set_text(&a.name, "alice");
    ov_account_list_push(&existing, &a);

    while (n < MAX_INPUTS) {
        const uint8_t *cut = n + 1 < MAX_INPUTS ? memmem(p, (size_t)(end - p), SEP, 8) : NULL;
        const uint8_t *stop = cut != NULL ? cut : end;
        inputs[n] = (struct ov_blob){ p, (size_t)(stop - p), n == 0 ? "first" : "next" };
        n++;
        if (cut == NULL)
            break;
        p = cut + 8;
    }
    ov_import_run(inputs, n, &opts, &existing, &report);
    fuzz_check_storable(&report.accounts, "import");
    for (size_t i = 0; i < report.accounts.len; i++) {
        if (ov_account_same(&report.accounts.items[i], &existing.items[0])) {
            fprintf(stderr, "an account already in the vault was imported again\n");
            abort();
        }
    }
    ov_import_report_free(&report);
    ov_account_list_free(&existing);
    return 0;
}
