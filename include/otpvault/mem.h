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
/* a then b in a new string. */
char *ov_xconcat(const char *a, const char *b);
char *ov_xstrndup(const char *s, size_t n);

/* Secure memory (libgcrypt's pool, locked where the system allows): zero-filled on
 * allocation, wiped on free, thread-safe. Aborts with a message on exhaustion, like
 * ov_xmalloc. Each block records its own size, and a free wipes all of it: n only has to be
 * at most what was allocated (more aborts). Freeing NULL is a no-op; a double free, or a
 * pointer whose header is not a secure block's, aborts. */
void *ov_secure_alloc(size_t n);
void *ov_secure_realloc(void *p, size_t old_n, size_t new_n);
char *ov_secure_strdup(const char *s);
char *ov_secure_strndup(const char *s, size_t n);
void ov_secure_free(void *p, size_t n);
/* For callers that do not know the size (jansson's free function). */
void ov_secure_free_unsized(void *p);
/* Frees a secure string; what lies past its NUL in the block is wiped too. */
void ov_secure_free_str(char *s);

/* For tests. The hook is called on each free just after the block is wiped, while it still
 * belongs to the allocator (so the hook may read its size bytes); NULL removes it. Set it
 * before any thread allocates. ov_secure_slabs is the number of slabs held for small blocks. */
void ov_secure_set_wipe_hook(void (*hook)(const void *p, size_t size));
size_t ov_secure_slabs(void);

/* Wipes n bytes in a way the compiler cannot optimise away. */
void ov_wipe(void *p, size_t n);

#endif
