/* Shared by the libFuzzer targets in tests/fuzz/ (built and run by `make fuzz`, see
 * tests/fuzz/run.sh). Each target file includes this header once and defines
 *   static void fuzz_seeds(void);   -- calls fuzz_seed() for its small generated seeds
 * and LLVMFuzzerTestOneInput. Run with FUZZ_WRITE_SEEDS=DIR, a target writes its seeds into
 * DIR and exits instead of fuzzing: the seeds live in code, not in the repository.
 *
 * Secure memory is switched off here, before libgcrypt starts: libgcrypt's secure pool is
 * one mmap'd block that AddressSanitizer cannot see into, and most parsers work on copies
 * of their input in secure memory (it holds secrets). With it off, gcry_malloc_secure is
 * plain malloc and every overflow in those copies is caught. Production is unaffected. */
#ifndef OTPVAULT_TESTS_FUZZ_H
#define OTPVAULT_TESTS_FUZZ_H

#include <gcrypt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static void fuzz_seeds(void);

/* Writes one seed into $FUZZ_WRITE_SEEDS/name. */
static inline void fuzz_seed(const char *name, const void *data, size_t len)
{
    const char *dir = getenv("FUZZ_WRITE_SEEDS");
    char path[4096];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, len, f) != len) {
        perror(path);
        exit(1);
    }
    fclose(f);
}

static inline void fuzz_seed_str(const char *name, const char *text)
{
    fuzz_seed(name, text, strlen(text));
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* Secure memory as in the program: the slab allocator (src/core/secmem.c) poisons free and
     * unused bytes for ASan itself, and a different allocation mode here would test other
     * code (it made jansson free slab blocks with free()). */
    if (ov_crypto_init() != 0)
        abort();
    if (getenv("FUZZ_WRITE_SEEDS") != NULL) {
        fuzz_seeds();
        exit(0);
    }
    return 0;
}

/* A NUL-terminated copy of the input, for the parsers that take C strings. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s == NULL)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
