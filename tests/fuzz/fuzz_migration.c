/* libFuzzer target: Google Authenticator migration data. The input is tried as a raw
 * MigrationPayload (ov_migration_decode) and as the text of an otpauth-migration:// URI
 * (ov_migration_uri_data, then the decoder on what it yields). Whatever decodes must encode
 * and decode back to the same secrets and OTP settings. */
#include "fuzz.h"
#include "otpvault/account.h"
#include "otpvault/importer.h"
#include "otpvault/mem.h"
#include "otpvault/migration.h"

static void seed_accounts(struct ov_account_list *l)
{
    static const char *const names[][2] = {
        { "GitHub", "alice@example.com" }, { "", "Bank:carol" }, { "\xE6\x97\xA5", "x" },
    };
    ov_account_list_init(l);
    for (unsigned i = 0; i < 3; i++) {
        struct ov_account a;
        uint8_t secret[20];
        for (unsigned k = 0; k < sizeof secret; k++)
            secret[k] = (uint8_t)(i * 37 + k);
        ov_account_init(&a);
        ov_account_set_secret(&a, secret, 10 + 5 * i);
        ov_account_set_text(&a.issuer, names[i][0]);
        ov_account_set_text(&a.name, names[i][1]);
        if (i == 1) {
            a.type = OV_HOTP;
            a.counter = 42;
            a.algo = OV_SHA256;
            a.digits = 8;
        }
        ov_account_list_push(l, &a);
    }
}

static void fuzz_seeds(void)
{
    struct ov_migration_batch b = { 1, 2, 1, true, -12345 };
    struct ov_account_list l;
    struct ov_error err;
    uint8_t *payload;
    size_t len;
    char *uri;

    seed_accounts(&l);
    if (ov_migration_encode(l.items, l.len, &b, &payload, &len, &err) != OV_OK ||
        ov_migration_encode_uri(l.items, 1, NULL, &uri, &err) != OV_OK)
        abort();
    fuzz_seed("gen-payload", payload, len);
    fuzz_seed_str("gen-uri", uri);
    ov_secure_free(payload, len);
    ov_secure_free_str(uri);
    fuzz_seed_str("gen-uri-urlsafe", "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGG"
                  "pvaG4uZG9lQGV4YW1wbGUuY29tGgdFeGFtcGxlIAEoATACEAEYASAAKMvF_pMF");
    ov_account_list_free(&l);
}

static void round_trip(const struct ov_account_list *l, const struct ov_migration_batch *b)
{
    struct ov_migration_batch again = *b;
    struct ov_account_list back;
    struct ov_error err;
    uint8_t *out;
    size_t len;

    if (again.batch_size < 1 || again.batch_index < 0 || again.batch_index >= again.batch_size)
        return;
    if (ov_migration_encode(l->items, l->len, &again, &out, &len, &err) != OV_OK)
        abort(); /* everything the decoder produces can be carried */
    ov_account_list_init(&back);
    if (ov_migration_decode(out, len, &back, NULL, NULL, &err) != OV_OK || back.len != l->len)
        abort();
    for (size_t i = 0; i < l->len; i++) {
        /* Labels may change once more (4.1 applied again to a split name); secrets never. */
        if (back.items[i].secret_len != l->items[i].secret_len ||
            memcmp(back.items[i].secret, l->items[i].secret, l->items[i].secret_len) != 0 ||
            back.items[i].type != l->items[i].type || back.items[i].algo != l->items[i].algo ||
            back.items[i].digits != l->items[i].digits ||
            back.items[i].counter != l->items[i].counter)
            abort();
    }
    ov_account_list_free(&back);
    ov_secure_free(out, len);
}

static void decode(const uint8_t *data, size_t size)
{
    struct ov_account_list l;
    struct ov_migration_batch b;
    struct ov_import_opts issues = { 0 };
    struct ov_error err;

    ov_account_list_init(&l);
    if (ov_migration_decode(data, size, &l, &b, &issues, &err) == OV_OK && l.len > 0)
        round_trip(&l, &b);
    ov_account_list_free(&l);
    ov_import_opts_free(&issues);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    struct ov_error err;
    uint8_t *payload;
    size_t len;

    decode(data, size);
    if (ov_migration_uri_data(text, &payload, &len, &err) == OV_OK) {
        decode(payload, len);
        ov_secure_free(payload, len);
    }
    free(text);
    return 0;
}
