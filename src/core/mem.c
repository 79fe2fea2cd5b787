/* Allocation helpers. Ordinary memory aborts on exhaustion (there is nothing sensible to do).
 * Secure memory for secrets is in src/secmem.c. */
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

char *ov_xconcat(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = ov_xmalloc(la + lb + 1);

    memcpy(s, a, la);
    memcpy(s + la, b, lb + 1);
    return s;
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
