/* See fixtures.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/lib/fixtures.h"

const char *fixtures_dir(void)
{
    const char *dir = getenv("FIXTURES_DIR");
    return dir != NULL && dir[0] != '\0' ? dir : "../shared/fixtures";
}

char *fixture_path(const char *rel)
{
    size_t n = strlen(fixtures_dir()) + strlen(rel) + 2;
    char *path = malloc(n);
    snprintf(path, n, "%s/%s", fixtures_dir(), rel);
    return path;
}

bool fixture_exists(const char *rel)
{
    char *path = fixture_path(rel);
    bool ok = access(path, R_OK) == 0;
    free(path);
    return ok;
}

char *fixture_read(const char *rel, size_t *len)
{
    char *path = fixture_path(rel);
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;

    free(path);
    if (f == NULL)
        return NULL;
    for (;;) {
        if (n + 4096 + 1 > cap)
            buf = realloc(buf, cap = cap * 2 + 8192);
        size_t got = fread(buf + n, 1, 4096, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    if (len != NULL)
        *len = n;
    return buf;
}
