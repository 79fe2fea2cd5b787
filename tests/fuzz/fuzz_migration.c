/* libFuzzer target for the migration decoder and the QR text classifier: the input is tried
 * as a raw MigrationPayload and as QR text. Whatever decodes must encode and decode back to
 * the same accounts. Build (not part of `make`):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE \
 *     -Iinclude tests/fuzz/fuzz_migration.c src/*.c importers/*.c \
 *     $(pkg-config --cflags --libs libgcrypt yaml-0.1 jansson) -o build/fuzz_migration
 * (src/main.c and src/cli*.c excluded: `ls src/*.c | grep -v -e main.c -e /cli`). */
#include <stdlib.h>
#include <string.h>

#include "otpvault/account.h"
#include "otpvault/crypto.h"
#include "otpvault/importer.h"
#include "otpvault/mem.h"
#include "otpvault/migration.h"
#include "otpvault/qr_payload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    struct ov_account_list l;
    struct ov_migration_batch b;
    struct ov_import_opts issues = {0};
    struct ov_qr_payload info;
    struct ov_error err;

    if (!ready) {
        ov_crypto_init();
        ready = 1;
    }
    ov_account_list_init(&l);
    if (ov_migration_decode(data, size, &l, &b, &issues, &err) == OV_OK && l.len > 0)
        round_trip(&l, &b);
    ov_account_list_free(&l);
    ov_import_opts_free(&issues);

    ov_account_list_init(&l);
    ov_qr_payload_parse(data, size, &l, &info, &issues, &err);
    ov_account_list_free(&l);
    ov_import_opts_free(&issues);
    return 0;
}
