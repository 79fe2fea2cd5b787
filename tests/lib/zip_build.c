/* See zip_build.h. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/zip_build.h"

uint8_t *zip_make(const struct zip_member *m, size_t n, const char *password, size_t *len)
{
    zip_error_t ze;
    zip_source_t *src;
    zip_t *za;
    uint8_t *out;
    zip_int64_t size;

    zip_error_init(&ze);
    src = zip_source_buffer_create(NULL, 0, 0, &ze);
    cr_assert_not_null(src);
    zip_source_keep(src);
    za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    cr_assert_not_null(za, "%s", zip_error_strerror(&ze));
    for (size_t i = 0; i < n; i++) {
        size_t nl = strlen(m[i].name);
        if (m[i].name[nl - 1] == '/') {
            cr_assert_geq(zip_dir_add(za, m[i].name, 0), 0);
            continue;
        }
        size_t dl = m[i].len != 0 ? m[i].len : strlen(m[i].data);
        zip_source_t *s = zip_source_buffer(za, m[i].data, dl, 0);
        zip_int64_t idx = zip_file_add(za, m[i].name, s, 0);
        cr_assert_geq(idx, 0, "%s", zip_strerror(za));
        if (m[i].method != ZIP_EM_NONE &&
            zip_file_set_encryption(za, (zip_uint64_t)idx, m[i].method, password) != 0) {
            zip_discard(za);
            zip_source_free(src);
            return NULL;
        }
    }
    cr_assert_eq(zip_close(za), 0, "%s", zip_strerror(za));
    cr_assert_eq(zip_source_open(src), 0);
    zip_source_seek(src, 0, SEEK_END);
    size = zip_source_tell(src);
    zip_source_seek(src, 0, SEEK_SET);
    out = malloc((size_t)size + 1);
    cr_assert_eq(zip_source_read(src, out, (zip_uint64_t)size), size);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
    *len = (size_t)size;
    return out;
}
