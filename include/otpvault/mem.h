/* Memory helpers: ordinary allocations that abort on out-of-memory (a programmer-level
 * failure we cannot recover from), and secure allocations for secrets, which live in
 * libgcrypt's locked secure memory and are wiped before they are freed. */
#ifndef OTPVAULT_MEM_H
#define OTPVAULT_MEM_H

#include <stddef.h>

void *ov_xmalloc(size_t n);
void *ov_xcalloc(size_t count, size_t n);
void *ov_xrealloc(void *p, size_t n);
char *ov_xstrdup(const char *s);
char *ov_xstrndup(const char *s, size_t n);

/* Secure memory: zero-filled on allocation, wiped on free. ov_secure_free(NULL, n) is a no-op.
 * Aborts with a message on exhaustion, like ov_xmalloc. */
void *ov_secure_alloc(size_t n);
void *ov_secure_realloc(void *p, size_t old_n, size_t new_n);
char *ov_secure_strdup(const char *s);
char *ov_secure_strndup(const char *s, size_t n);
void ov_secure_free(void *p, size_t n);
/* Frees a NUL-terminated secure string, wiping its whole length. */
void ov_secure_free_str(char *s);

/* Wipes n bytes in a way the compiler cannot optimise away. */
void ov_wipe(void *p, size_t n);

#endif
