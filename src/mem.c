/* Allocation helpers. Ordinary memory aborts on exhaustion (there is nothing sensible to do);
 * secrets go to libgcrypt's secure memory and are wiped before being returned. */
#include <gcrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/mem.h"

static void out_of_memory(size_t n, const char *what)
{
    fprintf(stderr, "otpvault: out of %s memory (%zu bytes)\n", what, n);
    abort();
}

void *ov_xmalloc(size_t n)
{
    void *p = malloc(n == 0 ? 1 : n);
    if (p == NULL)
        out_of_memory(n, "");
    return p;
}

void *ov_xcalloc(size_t count, size_t n)
{
    void *p = calloc(count == 0 ? 1 : count, n == 0 ? 1 : n);
    if (p == NULL)
        out_of_memory(count * n, "");
    return p;
}

void *ov_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n == 0 ? 1 : n);
    if (q == NULL)
        out_of_memory(n, "");
    return q;
}

char *ov_xstrdup(const char *s)
{
    return ov_xstrndup(s, strlen(s));
}

char *ov_xstrndup(const char *s, size_t n)
{
    char *p = ov_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void ov_wipe(void *p, size_t n)
{
    if (p != NULL && n > 0)
        explicit_bzero(p, n);
}

void *ov_secure_alloc(size_t n)
{
    void *p = gcry_calloc_secure(1, n == 0 ? 1 : n);
    if (p == NULL)
        out_of_memory(n, "secure");
    return p;
}

void *ov_secure_realloc(void *p, size_t old_n, size_t new_n)
{
    /* Not gcry_realloc: we want the old block wiped, whatever the allocator does. */
    void *q = ov_secure_alloc(new_n);
    if (p != NULL) {
        memcpy(q, p, old_n < new_n ? old_n : new_n);
        ov_secure_free(p, old_n);
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

void ov_secure_free(void *p, size_t n)
{
    if (p == NULL)
        return;
    ov_wipe(p, n);
    gcry_free(p);
}

void ov_secure_free_str(char *s)
{
    if (s != NULL)
        ov_secure_free(s, strlen(s) + 1);
}
