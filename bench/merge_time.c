/* The merge of two copies of a 10,000-account vault, each with 1,000 changes of its own
 * (edits, renames, adds, deletions, HOTP use), timed from the two open vaults to the merged
 * file's bytes: ov_merge, the save's stamp, and the encryption of the result (what
 * `otpvault merge` does beyond the unlocks and the disk write). Prints the median and the
 * worst of the runs in milliseconds, and the merged account count as a check.
 *
 *   merge_time [ACCOUNTS] [CHANGES] [RUNS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_clock.h"

#include "otpvault/crypto.h"
#include "otpvault/mem.h"
#include "otpvault/merge.h"
#include "otpvault/sync.h"
#include "otpvault/vault.h"

static uint64_t rng = 12345;

static uint32_t rnd(uint32_t n)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)((rng >> 33) % n);
}

static void make_account(struct ov_account *a, size_t i)
{
    uint8_t secret[20];
    char text[64];

    ov_account_init(a);
    for (size_t k = 0; k < sizeof secret; k++)
        secret[k] = (uint8_t)(i * 131 + k * 7 + (i >> 8));
    ov_account_set_secret(a, secret, sizeof secret);
    snprintf(text, sizeof text, "Service %zu", i % 997);
    ov_account_set_text(&a->issuer, text);
    snprintf(text, sizeof text, "user%zu@example.com", i);
    ov_account_set_text(&a->name, text);
    if (i % 10 == 0) {
        a->type = OV_HOTP;
        a->counter = i;
    }
}

static void clone(struct ov_vault *dst, const struct ov_vault *src)
{
    memset(dst, 0, sizeof *dst);
    ov_sync_copy(dst, src);
    dst->kdf = src->kdf;
    dst->key = ov_secure_alloc(32);
    memcpy(dst->key, src->key, 32);
    ov_sync_mark_all(dst);
}

/* changes of one copy: a quarter each edits, renames, adds and deletions (HOTP use among
 * the edits), then the save's stamp. */
static void change(struct ov_vault *v, size_t changes, size_t first_new, int64_t when)
{
    char text[64];

    for (size_t c = 0; c < changes; c++) {
        size_t i = rnd((uint32_t)v->accounts.len);
        struct ov_account *a = &v->accounts.items[i];
        struct ov_account fresh;
        switch (c % 4) {
        case 0:
            if (a->type == OV_HOTP)
                a->counter += 3;
            else
                ov_account_set_text(&a->note, "edited");
            break;
        case 1:
            snprintf(text, sizeof text, "renamed%zu", c);
            ov_account_set_text(&a->name, text);
            break;
        case 2:
            make_account(&fresh, first_new + c);
            ov_account_list_push(&v->accounts, &fresh);
            break;
        default:
            ov_account_list_remove(&v->accounts, i);
        }
    }
    ov_sync_stamp(v, when);
    ov_sync_mark_all(v);
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)atol(argv[1]) : 10000;
    size_t changes = argc > 2 ? (size_t)atol(argv[2]) : 1000;
    int runs = argc > 3 ? atoi(argv[3]) : 9;
    struct ov_vault base, a, b;
    struct ov_error err = { 0 };
    double times[64];
    size_t merged = 0;

    if (ov_crypto_init() != OV_OK || runs < 1 || runs > 64) {
        fprintf(stderr, "merge_time: no libgcrypt, or RUNS outside 1..64\n");
        return 1;
    }
    memset(&base, 0, sizeof base);
    base.kdf = (struct ov_kdf_params){ 1024, 1, 1 };
    base.key = ov_secure_alloc(32);
    ov_random(base.key, 32);
    for (size_t i = 0; i < n; i++) {
        struct ov_account acc;
        make_account(&acc, i);
        ov_account_list_push(&base.accounts, &acc);
    }
    ov_sync_stamp(&base, 1800000000000);
    ov_sync_mark_all(&base);
    clone(&a, &base);
    clone(&b, &base);
    change(&a, changes, n, 1800000001000);
    change(&b, changes, 2 * n, 1800000002000);

    for (int r = 0; r < runs; r++) {
        struct ov_vault ours;
        struct ov_merge_report rep;
        uint8_t *file;
        size_t len;
        double t0;
        clone(&ours, &a);
        t0 = now_ms();
        if (ov_merge(&ours, &b, NULL, &rep, &err) != OV_OK ||
            (ov_sync_stamp(&ours, 1800000003000),
             ov_vault_encode(&ours, 2, &file, &len, &err)) != OV_OK) {
            fprintf(stderr, "merge_time: %s\n", err.msg);
            return 1;
        }
        times[r] = now_ms() - t0;
        merged = ours.accounts.len;
        free(file);
        ov_merge_report_free(&rep);
        ov_vault_close(&ours);
    }
    qsort(times, (size_t)runs, sizeof *times, cmp);
    printf("merge_ms_median %.1f\nmerge_ms_max %.1f\naccounts %zu\n", times[runs / 2],
           times[runs - 1], merged);
    ov_vault_close(&a);
    ov_vault_close(&b);
    ov_vault_close(&base);
    return 0;
}
