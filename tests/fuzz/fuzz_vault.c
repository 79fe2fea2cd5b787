/* libFuzzer target: the vault reader. The first byte picks what the rest is:
 *   0  a whole vault file: header checks (ov_vault_header_decode), then, when its KDF is
 *      cheap, ov_vault_open and ov_vault_peek on it as a file (a fuzzer cannot forge the
 *      GCM tag, so this is the path of every damaged file)
 *   1  a plaintext payload: ov_vault_deserialize; what it accepts must serialize and read
 *      back the same
 *   2  a plaintext payload sealed into a genuine vault with the right key: ov_vault_open
 *      must accept it exactly when the deserializer does, and load nothing otherwise. */
#include <unistd.h>

#include "fuzz.h"
#include "otpvault/mem.h"
#include "otpvault/sync.h"
#include "otpvault/vault.h"
#include "otpvault/vault_format.h"

#define PASS "fuzz passphrase"
static const struct ov_kdf_params cheap = { 64, 1, 1 };
static const uint8_t salt[OV_VAULT_SALT_LEN] = "fuzz salt 16 by";
static char path[64];

static void remove_file(void)
{
    unlink(path);
}

static void write_file(const uint8_t *data, size_t size)
{
    FILE *f;
    if (path[0] == '\0') {
        snprintf(path, sizeof path, "/tmp/otpvault-fuzz-vault.%ld", (long)getpid());
        atexit(remove_file);
    }
    f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
}

static bool same_text(const char *a, const char *b)
{
    return (a == NULL) == (b == NULL) && (a == NULL || strcmp(a, b) == 0);
}

static bool same_lists(const struct ov_account_list *x, const struct ov_account_list *y)
{
    if (x->len != y->len)
        return false;
    for (size_t i = 0; i < x->len; i++) {
        const struct ov_account *a = &x->items[i], *b = &y->items[i];
        if (a->type != b->type || a->algo != b->algo || a->digits != b->digits ||
            a->period != b->period || a->counter != b->counter || a->created != b->created ||
            a->last_used != b->last_used || a->secret_len != b->secret_len ||
            (a->secret_len > 0 && memcmp(a->secret, b->secret, a->secret_len) != 0) ||
            !same_text(a->issuer, b->issuer) || !same_text(a->name, b->name) ||
            !same_text(a->pin, b->pin) || !same_text(a->group, b->group) ||
            !same_text(a->note, b->note) || memcmp(a->id, b->id, sizeof a->id) != 0 ||
            a->modified != b->modified)
            return false;
    }
    return true;
}

static void file_mode(const uint8_t *data, size_t size)
{
    struct ov_vault_header h;
    struct ov_vault v;
    struct ov_error err;

    if (ov_vault_header_decode(data, size, &h, &err) != OV_OK)
        return;
    write_file(data, size);
    if (ov_vault_peek(path, NULL, NULL, &err) != OV_OK)
        abort(); /* the same header checks on the same bytes */
    if (h.kdf.memory_kib > 1024 || h.kdf.time_cost > 2)
        return; /* a genuine header asking for real work: nothing new to learn */
    if (ov_vault_open(path, PASS, sizeof PASS - 1, &v, &err) != OV_OK && v.path != NULL)
        abort(); /* a failed open leaves *out zeroed */
    ov_vault_close(&v);
}

static void payload_mode(const uint8_t *data, size_t size)
{
    struct ov_vault v = { 0 }, w = { 0 };
    struct ov_error err;
    uint8_t *buf;
    size_t len;

    if (ov_vault_deserialize(data, size, &v, &err) != OV_OK) {
        if (v.accounts.len != 0)
            abort(); /* untouched on failure */
        return;
    }
    if (ov_vault_serialize(&v, &buf, &len, &err) != OV_OK ||
        ov_vault_deserialize(buf, len, &w, &err) != OV_OK ||
        !same_lists(&v.accounts, &w.accounts) || v.ntombstones != w.ntombstones ||
        (v.ntombstones > 0 &&
         memcmp(v.tombstones, w.tombstones, v.ntombstones * sizeof *v.tombstones) != 0) ||
        v.last_merge != w.last_merge || !same_text(v.last_merge_from, w.last_merge_from)) {
        fprintf(stderr, "accepted payload does not round-trip: %s\n", err.msg);
        abort();
    }
    ov_secure_free(buf, len);
    ov_account_list_free(&v.accounts);
    ov_account_list_free(&w.accounts);
    ov_sync_free(&v);
    ov_sync_free(&w);
}

/* The file a genuine save would write for this payload. */
static uint8_t *seal(const uint8_t *plain, size_t len, size_t *file_len)
{
    static uint8_t *key;
    struct ov_vault_header h = { OV_VAULT_FORMAT_VERSION, OV_VAULT_AEAD_AES256GCM,
                                 OV_VAULT_KDF_ARGON2ID, cheap, { 0 }, { 0 }, 1 };
    struct ov_error err;
    uint8_t *file = malloc(OV_VAULT_HEADER_LEN + len + OV_VAULT_TAG_LEN);

    if (key == NULL) {
        key = malloc(OV_VAULT_KEY_LEN);
        if (ov_kdf_argon2id(PASS, sizeof PASS - 1, salt, sizeof salt, &cheap, key,
                            OV_VAULT_KEY_LEN, &err) != OV_OK)
            abort();
    }
    memcpy(h.salt, salt, sizeof salt);
    memset(h.nonce, 7, sizeof h.nonce);
    ov_vault_header_encode(&h, file);
    if (ov_aead_encrypt(key, h.nonce, file, OV_VAULT_HEADER_LEN, plain, len,
                        file + OV_VAULT_HEADER_LEN, &err) != OV_OK)
        abort();
    *file_len = OV_VAULT_HEADER_LEN + len + OV_VAULT_TAG_LEN;
    return file;
}

static void sealed_mode(const uint8_t *data, size_t size)
{
    struct ov_vault direct = { 0 }, opened;
    struct ov_error err;
    size_t len;
    uint8_t *file = seal(data, size, &len);
    int want = ov_vault_deserialize(data, size, &direct, &err);
    int got;

    write_file(file, len);
    free(file);
    got = ov_vault_open(path, PASS, sizeof PASS - 1, &opened, &err);
    if ((want == OV_OK) != (got == OV_OK) ||
        (got == OV_OK && !same_lists(&direct.accounts, &opened.accounts)) ||
        (got != OV_OK && (opened.path != NULL || opened.accounts.len != 0))) {
        fprintf(stderr, "open %d, deserialize %d: %s\n", got, want, err.msg);
        abort();
    }
    ov_account_list_free(&direct.accounts);
    ov_sync_free(&direct);
    ov_vault_close(&opened);
}

static void fuzz_seeds(void)
{
    char dir[] = "/tmp/otpvault-fuzz-seeds.XXXXXX", file[64];
    struct ov_vault v;
    struct ov_error err;
    uint8_t *buf, *seed;
    size_t len;

    if (mkdtemp(dir) == NULL)
        abort();
    snprintf(file, sizeof file, "%s/v.otpv", dir);
    if (ov_vault_create(file, PASS, sizeof PASS - 1, &cheap, &v, &err) != OV_OK)
        abort();
    for (unsigned i = 0; i < 3; i++) {
        struct ov_account a;
        uint8_t secret[10] = { (uint8_t)i, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
        ov_account_init(&a);
        ov_account_set_secret(&a, secret, sizeof secret);
        ov_account_set_text(&a.issuer, "Issuer");
        ov_account_set_text(&a.name, i == 1 ? "\xE5\xA4\xAA\xE9\x83\x8E" : "bob");
        if (i == 1) {
            a.type = OV_HOTP;
            a.counter = 9;
            ov_account_set_text(&a.group, "work");
        }
        if (i == 2) {
            a.type = OV_MOTP;
            a.algo = OV_MD5;
            a.period = 10;
            a.pin = ov_secure_strdup("1234");
            ov_account_set_text(&a.note, "note");
        }
        ov_account_list_push(&v.accounts, &a);
    }
    v.last_backup = 1700000000;
    if (ov_vault_save(&v, &err) != OV_OK || ov_vault_serialize(&v, &buf, &len, &err) != OV_OK)
        abort();
    seed = malloc(len + 1);
    memcpy(seed + 1, buf, len);
    for (uint8_t mode = 1; mode <= 2; mode++) {
        char name[32];
        seed[0] = mode;
        snprintf(name, sizeof name, "gen-payload-%u", mode);
        fuzz_seed(name, seed, len + 1);
    }
    free(seed);
    ov_secure_free(buf, len);
    ov_vault_close(&v);
    {
        FILE *f = fopen(file, "rb");
        uint8_t whole[4096];
        size_t n = f != NULL ? fread(whole + 1, 1, sizeof whole - 1, f) : 0;
        whole[0] = 0;
        fuzz_seed("gen-file", whole, n + 1);
        if (f != NULL)
            fclose(f);
    }
    unlink(file);
    snprintf(file, sizeof file, "%s/v.otpv.lock", dir);
    unlink(file);
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    switch (data[0] % 3) {
    case 0: file_mode(data + 1, size - 1); break;
    case 1: payload_mode(data + 1, size - 1); break;
    default: sealed_mode(data + 1, size - 1); break;
    }
    return 0;
}
