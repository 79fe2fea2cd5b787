/* Measures Argon2id unlock time, to pick OV_KDF_DEFAULT_TIME / _LANES (vault.h).
 * Not built by make; build and run after `make`:
 *   cc -std=c11 -D_GNU_SOURCE -O2 -Iinclude bench/kdf_time.c build/libotpvault.a \
 *      $(pkg-config --libs libgcrypt) -lpthread -o build/kdf_time
 *   ./build/kdf_time [memory_kib [lanes [runs [time_from [time_to]]]]]
 * Prints the median wall time of `runs` derivations for each time cost in the range
 * (default 1..24 with the default memory and lanes), then, without arguments, the median
 * time of ov_vault_open on a vault created with the defaults (what a user waits for). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <unistd.h>

#include "otpvault/crypto.h"
#include "otpvault/vault.h"

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    unsigned memory = argc > 1 ? (unsigned)atoi(argv[1]) : OV_KDF_DEFAULT_MEMORY_KIB;
    unsigned lanes = argc > 2 ? (unsigned)atoi(argv[2]) : OV_KDF_DEFAULT_LANES;
    int runs = argc > 3 ? atoi(argv[3]) : 7;
    unsigned from = argc > 4 ? (unsigned)atoi(argv[4]) : 1;
    unsigned to = argc > 5 ? (unsigned)atoi(argv[5]) : 24;
    uint8_t salt[16] = { 1 }, key[32];
    double t[64];

    if (runs < 1 || runs > 64 || ov_crypto_init() != 0)
        return 1;
    for (unsigned cost = from; cost <= to; cost++) {
        struct ov_kdf_params p = { memory, cost, lanes };
        for (int i = 0; i < runs; i++) {
            double t0 = seconds();
            if (ov_kdf_argon2id("correct horse", 13, salt, sizeof salt, &p, key, sizeof key,
                                NULL) != 0)
                return 1;
            t[i] = seconds() - t0;
        }
        qsort(t, (size_t)runs, sizeof *t, cmp_double);
        printf("memory %u KiB, lanes %u, time %u: median %.3f s (min %.3f, max %.3f, %d runs)\n",
               memory, lanes, cost, t[runs / 2], t[0], t[runs - 1], runs);
    }
    if (argc == 1) {
        char path[] = "/tmp/kdf_time.XXXXXX";
        struct ov_vault v;
        int fd = mkstemp(path);
        if (fd < 0)
            return 1;
        close(fd);
        unlink(path);
        if (ov_vault_create(path, "correct horse", 13, NULL, &v, NULL) != 0)
            return 1;
        ov_vault_close(&v);
        for (int i = 0; i < runs; i++) {
            double t0 = seconds();
            if (ov_vault_open(path, "correct horse", 13, &v, NULL) != 0)
                return 1;
            t[i] = seconds() - t0;
            ov_vault_close(&v);
        }
        qsort(t, (size_t)runs, sizeof *t, cmp_double);
        printf("ov_vault_open with the defaults (%u KiB, time %u, lanes %u): median %.3f s "
               "(min %.3f, max %.3f, %d runs)\n", OV_KDF_DEFAULT_MEMORY_KIB,
               OV_KDF_DEFAULT_TIME, OV_KDF_DEFAULT_LANES, t[runs / 2], t[0], t[runs - 1],
               runs);
        unlink(path);
        char aux[sizeof path + 8];
        snprintf(aux, sizeof aux, "%s.lock", path);
        unlink(aux);
    }
    return 0;
}
