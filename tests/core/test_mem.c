/* Secure memory: zeroed on allocation, wiped on free (seen through the allocator's wipe hook,
 * while the block is still the allocator's), the block's own size trusted over the caller's,
 * random and concurrent use. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>

#include "otpvault/crypto.h"
#include "otpvault/mem.h"

#if defined(__SANITIZE_ADDRESS__)
#define TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN 1
#endif
#endif
#ifdef TEST_ASAN
#include <sanitizer/asan_interface.h>
#endif

static void setup(void) { ov_crypto_init(); }

TestSuite(mem, .init = setup);

static bool all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i] != 0)
            return false;
    return true;
}

/* What the wipe hook saw on the last free. */
static size_t wiped_size;
static bool wiped_zero;

static void record_wipe(const void *p, size_t size)
{
    wiped_size = size;
    wiped_zero = all_zero(p, size);
}

static void watch_wipes(void)
{
    wiped_size = 0;
    wiped_zero = false;
    ov_secure_set_wipe_hook(record_wipe);
}

static const size_t sizes[] = { 0, 1, 15, 16, 17, 20, 32, 33, 100, 511, 512, 513, 4096, 70000 };
#define NSIZES (sizeof sizes / sizeof sizes[0])

Test(mem, allocations_are_zero_also_when_reused)
{
    for (size_t i = 0; i < NSIZES; i++) {
        size_t n = sizes[i];
        unsigned char *p = ov_secure_alloc(n);
        cr_assert(all_zero(p, n), "fresh block of %zu bytes", n);
        memset(p, 0xa5, n);
        uintptr_t old = (uintptr_t)p;
        ov_secure_free(p, n);
        unsigned char *q = ov_secure_alloc(n);
        if (n <= 512) /* small blocks come back last in, first out: the same object */
            cr_assert_eq((uintptr_t)q, old, "size %zu should reuse the object just freed", n);
        cr_assert(all_zero(q, n), "reused block of %zu bytes", n);
        cr_assert_eq((uintptr_t)q % 8, 0, "aligned");
        ov_secure_free(q, n);
    }
}

Test(mem, free_wipes_the_whole_block)
{
    watch_wipes();
    unsigned char *p = ov_secure_alloc(20);
    memset(p, 0x5a, 20);
    ov_secure_free(p, 20);
    cr_assert_eq(wiped_size, 32, "a 20-byte block lives in the 32-byte class");
    cr_assert(wiped_zero);

    p = ov_secure_alloc(1000);
    memset(p, 0x5a, 1000);
    ov_secure_free(p, 1000);
    cr_assert_eq(wiped_size, 1000, "a large block is wiped to its size");
    cr_assert(wiped_zero);
    ov_secure_set_wipe_hook(NULL);
}

Test(mem, free_wipes_more_than_the_caller_says)
{
    watch_wipes();
    unsigned char *p = ov_secure_alloc(100);
    memset(p, 0x5a, 100);
    ov_secure_free(p, 1);
    cr_assert_eq(wiped_size, 128);
    cr_assert(wiped_zero);
    ov_secure_set_wipe_hook(NULL);
}

Test(mem, free_str_wipes_past_the_nul)
{
    watch_wipes();
    char *s = ov_secure_alloc(100);
    memset(s, 'x', 99); /* secret bytes after the string's end */
    s[3] = '\0';
    ov_secure_free_str(s);
    cr_assert_eq(wiped_size, 128);
    cr_assert(wiped_zero);
    ov_secure_set_wipe_hook(NULL);
}

Test(mem, unsized_free_wipes_by_the_header)
{
    watch_wipes();
    for (size_t i = 0; i < NSIZES; i++) {
        size_t n = sizes[i];
        unsigned char *p = ov_secure_alloc(n);
        memset(p, 0x77, n);
        ov_secure_free_unsized(p);
        cr_assert_geq(wiped_size, n == 0 ? 1 : n, "size %zu", n);
        cr_assert(wiped_zero, "size %zu", n);
    }
    ov_secure_set_wipe_hook(NULL);
}

Test(mem, freeing_null_does_nothing)
{
    ov_secure_free(NULL, 10);
    ov_secure_free_unsized(NULL);
    ov_secure_free_str(NULL);
}

Test(mem, strdup_and_strndup)
{
    char *a = ov_secure_strdup("secret");
    char *b = ov_secure_strndup("secret", 3);
    cr_assert_str_eq(a, "secret");
    cr_assert_str_eq(b, "sec");
    ov_secure_free_str(a);
    ov_secure_free_str(b);
}

Test(mem, realloc_keeps_the_content)
{
    unsigned char *p = ov_secure_realloc(NULL, 0, 10);
    cr_assert(all_zero(p, 10));
    memcpy(p, "0123456789", 10);
    p = ov_secure_realloc(p, 10, 2000); /* small to large */
    cr_assert_eq(memcmp(p, "0123456789", 10), 0);
    cr_assert(all_zero(p + 10, 1990), "the new part is zero");
    p = ov_secure_realloc(p, 2000, 40); /* and back */
    cr_assert_eq(memcmp(p, "0123456789", 10), 0);
    cr_assert(all_zero(p + 10, 30));
    p = ov_secure_realloc(p, 40, 4);
    cr_assert_eq(memcmp(p, "0123", 4), 0);
    ov_secure_free(p, 4);
}

/* The abort message is expected: keep it out of the test output. */
static void setup_quiet(void)
{
    setup();
    cr_redirect_stderr();
}

Test(mem, double_free_aborts, .init = setup_quiet, .signal = SIGABRT)
{
    void *p = ov_secure_alloc(8);
    ov_secure_free(p, 8);
    ov_secure_free(p, 8);
}

Test(mem, freeing_more_than_allocated_aborts, .init = setup_quiet, .signal = SIGABRT)
{
    void *p = ov_secure_alloc(8);
    ov_secure_free(p, 17);
}

/* xorshift64: a fixed sequence, so a failure can be reproduced. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

struct live {
    unsigned char *p;
    size_t n;
    unsigned char fill;
};

/* ops random allocations and frees over slots live blocks, each filled with its own byte and
 * checked before it is freed: blocks that overlapped would show. Returns false on a mismatch. */
static bool churn(uint64_t seed, size_t slots, size_t ops)
{
    struct live *l = calloc(slots, sizeof *l);
    bool ok = true;

    for (size_t i = 0; i < ops && ok; i++) {
        uint64_t r = next_random(&seed);
        struct live *b = &l[r % slots];
        if (b->p != NULL) {
            for (size_t k = 0; k < b->n && ok; k++)
                ok = b->p[k] == b->fill;
            if (r & (1u << 20))
                ov_secure_free(b->p, b->n);
            else
                ov_secure_free_unsized(b->p);
            b->p = NULL;
        } else {
            /* mostly small, some past the largest class */
            b->n = (r >> 32) % 8 == 0 ? 513 + (r >> 40) % 3000 : (r >> 40) % 513;
            b->p = ov_secure_alloc(b->n);
            ok = all_zero(b->p, b->n);
            b->fill = (unsigned char)(r >> 24) | 1;
            memset(b->p, b->fill, b->n);
        }
    }
    for (size_t i = 0; i < slots; i++)
        ov_secure_free(l[i].p, l[i].n);
    free(l);
    return ok;
}

Test(mem, random_sizes_in_random_order)
{
    size_t before = ov_secure_slabs();
    cr_assert(churn(0x9e3779b97f4a7c15u, 4000, 60000));
    /* Everything is free again: at most one empty slab is kept per size class. */
    cr_assert_leq(ov_secure_slabs(), before + 6);
}

Test(mem, many_small_blocks_and_their_slabs)
{
    enum { N = 5000 };
    static void *p[N];
    size_t before = ov_secure_slabs();
    for (size_t i = 0; i < N; i++)
        p[i] = ov_secure_alloc(26);
    cr_assert_gt(ov_secure_slabs(), before + 10);
    for (size_t i = 0; i < N; i++)
        ov_secure_free(p[i], 26);
    cr_assert_leq(ov_secure_slabs(), before + 1);
}

static void *churn_thread(void *arg)
{
    return churn((uint64_t)(uintptr_t)arg, 500, 40000) ? arg : NULL;
}

Test(mem, four_threads_at_once)
{
    pthread_t t[4];
    void *ret;
    for (uintptr_t i = 0; i < 4; i++)
        cr_assert_eq(pthread_create(&t[i], NULL, churn_thread, (void *)(i * 7919 + 1)), 0);
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(pthread_join(t[i], &ret), 0);
        cr_assert_not_null(ret, "thread %d saw a corrupted block", i);
    }
}

#ifdef TEST_ASAN
/* Under ASan the pool's headers, object tails and free objects are poisoned, so overflows
 * and uses after free are reported although libgcrypt's pool is invisible to ASan. */
Test(mem, asan_sees_block_bounds)
{
    unsigned char *p = ov_secure_alloc(20);
    cr_assert_not(__asan_address_is_poisoned(p));
    cr_assert_not(__asan_address_is_poisoned(p + 19));
    cr_assert(__asan_address_is_poisoned(p + 20), "past the end of the block");
    cr_assert(__asan_address_is_poisoned(p - 1), "the header");
    uintptr_t old = (uintptr_t)p;
    ov_secure_free(p, 20);
    cr_assert(__asan_address_is_poisoned((void *)old), "a freed object");

    p = ov_secure_alloc(600);
    cr_assert_not(__asan_address_is_poisoned(p + 599));
    cr_assert(__asan_address_is_poisoned(p - 1), "a large block's header");
    ov_secure_free(p, 600);
}
#endif
