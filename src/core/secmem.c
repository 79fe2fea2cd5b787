/* Secure memory for secrets, over libgcrypt's secure pool.
 *
 * libgcrypt walks its pool block by block on every allocation and free, so with thousands of
 * live secrets (one per account) each call costs O(n). Small blocks therefore come from size
 * classes: slabs taken from libgcrypt and cut into equal objects, kept on free lists. Larger
 * blocks come straight from libgcrypt. Every block is preceded by a header giving its real
 * size, so a free wipes the whole block whatever size the caller passes.
 *
 * libgcrypt allocates its pool itself, so AddressSanitizer sees none of the blocks in it (one
 * libgcrypt block per secret would not help). Instead, under ASan, headers, free objects and
 * the unused end of each object are poisoned by hand: an overflow into a neighbour or a use
 * after free is then reported. */
#include <gcrypt.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/mem.h"

#if defined(__SANITIZE_ADDRESS__)
#define OV_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OV_ASAN 1
#endif
#endif
#ifdef OV_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* 16 KiB: the first (locked) pool is 1 MiB and each class in use holds a partly used slab;
 * 64 KiB measured no faster. */
#define SLAB_BYTES (16u * 1024u)
#define HDR_BYTES 16u /* a multiple of 8, so headers and objects never share an ASan granule */
#define LARGE UINT32_MAX
#define MAGIC_USED 0x6f765573u
#define MAGIC_FREE 0x6f764672u
#define EMPTY_KEPT 1u /* per class, so alloc/free around a slab boundary does not thrash */

static const size_t class_size[] = { 16, 32, 64, 128, 256, 512 };
#define NCLASS (sizeof class_size / sizeof class_size[0])

struct slab;

struct hdr {
    uint32_t magic; /* MAGIC_USED or MAGIC_FREE: a double or foreign free aborts */
    uint32_t cls;   /* index into class_size, or LARGE */
    union {
        struct slab *slab; /* slab object in use */
        struct hdr *next;  /* free slab object: its slab's free list */
        size_t size;       /* large block: the size asked for */
    } u;
};
_Static_assert(sizeof(struct hdr) <= HDR_BYTES, "the header fits its space");

struct slab {
    struct slab *prev, *next; /* its class's list of slabs that have a free object */
    struct hdr *free;
    uint32_t cls, used;
};
#define SLAB_HEAD ((sizeof(struct slab) + 15u) & ~(size_t)15u)

static struct {
    struct slab *avail;
    unsigned empty; /* slabs in avail with no object in use */
} classes[NCLASS];
static size_t slab_count;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static void (*wipe_hook)(const void *p, size_t size);

static void out_of_memory(size_t n)
{
    fprintf(stderr, "otpvault: out of secure memory (%zu bytes)\n", n);
    abort();
}

/* Going on would corrupt the free lists or libgcrypt's pool. */
static void bad_free(const void *p, const char *why)
{
    fprintf(stderr, "otpvault: secure free of %p: %s\n", p, why);
    abort();
}

static uint32_t class_of(size_t n)
{
    for (uint32_t c = 0; c < NCLASS; c++)
        if (n <= class_size[c])
            return c;
    return LARGE;
}

static void avail_push(struct slab *s)
{
    s->prev = NULL;
    s->next = classes[s->cls].avail;
    if (s->next != NULL)
        s->next->prev = s;
    classes[s->cls].avail = s;
}

static void avail_remove(struct slab *s)
{
    if (s->prev != NULL)
        s->prev->next = s->next;
    else
        classes[s->cls].avail = s->next;
    if (s->next != NULL)
        s->next->prev = s->prev;
}

/* A new empty slab on the avail list, its objects zero and (under ASan) poisoned. NULL when
 * libgcrypt has no room for it. Called with the lock held. */
static struct slab *slab_new(uint32_t c)
{
    size_t stride = HDR_BYTES + class_size[c];
    size_t count = (SLAB_BYTES - SLAB_HEAD) / stride;
    struct slab *s = gcry_calloc_secure(1, SLAB_BYTES);
    char *first;

    if (s == NULL)
        return NULL;
    s->cls = c;
    first = (char *)s + SLAB_HEAD;
    for (size_t i = count; i-- > 0;) { /* backwards, so the list is in address order */
        struct hdr *h = (struct hdr *)(first + i * stride);
        h->magic = MAGIC_FREE;
        h->cls = c;
        h->u.next = s->free;
        s->free = h;
    }
    POISON(first, SLAB_BYTES - SLAB_HEAD);
    avail_push(s);
    classes[c].empty++;
    slab_count++;
    return s;
}

/* An object of class c, or NULL if no slab could be had. */
static struct hdr *slab_take(uint32_t c)
{
    struct slab *s;
    struct hdr *h = NULL;

    pthread_mutex_lock(&lock);
    s = classes[c].avail != NULL ? classes[c].avail : slab_new(c);
    if (s != NULL) {
        if (s->used++ == 0)
            classes[c].empty--;
        h = s->free;
        UNPOISON(h, HDR_BYTES);
        s->free = h->u.next;
        h->magic = MAGIC_USED;
        h->u.slab = s;
        POISON(h, HDR_BYTES);
        if (s->free == NULL)
            avail_remove(s);
    }
    pthread_mutex_unlock(&lock);
    return h;
}

/* Puts a wiped object (its header unpoisoned) back on its slab's free list. */
static void slab_give(struct hdr *h)
{
    struct slab *s = h->u.slab, *dead = NULL;

    pthread_mutex_lock(&lock);
    if (s->free == NULL) /* it was full */
        avail_push(s);
    h->magic = MAGIC_FREE;
    h->u.next = s->free;
    s->free = h;
    POISON(h, HDR_BYTES);
    if (--s->used == 0) {
        if (classes[s->cls].empty < EMPTY_KEPT) {
            classes[s->cls].empty++;
        } else {
            avail_remove(s);
            slab_count--;
            dead = s;
        }
    }
    pthread_mutex_unlock(&lock);
    if (dead != NULL) {
        UNPOISON(dead, SLAB_BYTES); /* libgcrypt and its next users are not ours to trip */
        gcry_free(dead);
    }
}

static void *large_new(size_t n)
{
    struct hdr *h = n <= SIZE_MAX - HDR_BYTES ? gcry_calloc_secure(1, HDR_BYTES + n) : NULL;

    if (h == NULL)
        out_of_memory(n);
    h->magic = MAGIC_USED;
    h->cls = LARGE;
    h->u.size = n;
    POISON(h, HDR_BYTES);
    return (char *)h + HDR_BYTES;
}

void *ov_secure_alloc(size_t n)
{
    uint32_t c;
    struct hdr *h;
    void *p;

    if (n == 0)
        n = 1; /* as with gcry_calloc_secure before: one writable byte */
    c = class_of(n);
    h = c != LARGE ? slab_take(c) : NULL;
    if (h == NULL) /* large, or libgcrypt had no room for a slab but may have for n bytes */
        return large_new(n);
    p = (char *)h + HDR_BYTES;
    UNPOISON(p, n);
    memset(p, 0, n); /* free objects are wiped already; this also undoes a stray write */
    return p;
}

/* Frees p, wiping the whole block its header describes. claimed is what the caller says it
 * is (0 when it does not say): more than the block holds is a caller bug, so it aborts. */
static void secure_free(void *p, size_t claimed)
{
    struct hdr *h;
    size_t size;

    if (p == NULL)
        return;
    h = (struct hdr *)((char *)p - HDR_BYTES);
    UNPOISON(h, HDR_BYTES);
    if (h->magic != MAGIC_USED || (h->cls != LARGE && h->cls >= NCLASS))
        bad_free(p, h->magic == MAGIC_FREE ? "already freed" : "not a secure block");
    size = h->cls == LARGE ? h->u.size : class_size[h->cls];
    if (claimed > size)
        bad_free(p, "size larger than the block");
    UNPOISON(p, size);
    explicit_bzero(p, size);
    if (wipe_hook != NULL)
        wipe_hook(p, size);
    if (h->cls == LARGE) {
        gcry_free(h); /* header and block are unpoisoned: libgcrypt wipes them again */
        return;
    }
    POISON(p, size);
    slab_give(h);
}

void ov_secure_free(void *p, size_t n)
{
    secure_free(p, n);
}

void ov_secure_free_unsized(void *p)
{
    secure_free(p, 0);
}

void ov_secure_free_str(char *s)
{
    secure_free(s, 0); /* the whole block, also what lies past the NUL */
}

void *ov_secure_realloc(void *p, size_t old_n, size_t new_n)
{
    /* Always a new block: the old one is wiped, and the code stays simple. */
    void *q = ov_secure_alloc(new_n);
    if (p != NULL) {
        memcpy(q, p, old_n < new_n ? old_n : new_n);
        secure_free(p, old_n);
    }
    return q;
}

char *ov_secure_strdup(const char *s)
{
    return ov_secure_strndup(s, strlen(s));
}

char *ov_secure_strndup(const char *s, size_t n)
{
    char *p = ov_secure_alloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void ov_secure_set_wipe_hook(void (*hook)(const void *p, size_t size))
{
    wipe_hook = hook;
}

size_t ov_secure_slabs(void)
{
    size_t n;
    pthread_mutex_lock(&lock);
    n = slab_count;
    pthread_mutex_unlock(&lock);
    return n;
}
