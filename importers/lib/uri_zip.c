/* See uri_zip.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "otpvault/codec.h"
#include "uri_list.h"
#include "uri_zip.h"
#include "zip_archive.h"

/* All members read from one archive together: the bound on what an archive may inflate to. */
#define TOTAL_MAX (4u * OV_ZIP_MAX_MEMBER_BYTES)
#define NAME_CHARS 60

static bool base_name_is(const char *path, const char *want)
{
    const char *slash = strrchr(path, '/');
    return strcasecmp(slash != NULL ? slash + 1 : path, want) == 0;
}

/* "a.txt, b.html": the archive's member names, for messages. */
static void list_members(struct ov_zip *z, char *buf, size_t size)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < z->count && used + 1 < size; i++) {
        const char *name = ov_zip_member(z, i);
        char shown[NAME_CHARS * 4 + 8];
        if (name == NULL)
            continue;
        ov_text_excerpt(name, strlen(name), NAME_CHARS, shown, sizeof shown);
        int n = snprintf(buf + used, size - used, "%s%s", used > 0 ? ", " : "", shown);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    if (used >= size && size > 4)
        memcpy(buf + size - 4, "...", 4);
    if (buf[0] == '\0')
        snprintf(buf, size, "only directories");
}

/* Parses one member's text as a URI list; its issues and batch marks move to opts. */
static int load_member(const struct ov_blob *m, struct ov_import_opts *opts,
                       struct ov_account_list *out, struct ov_error *err)
{
    struct ov_import_opts local = { 0 };
    int rc = ov_uri_list_load(m, &local, out, err);

    for (size_t i = 0; i < local.nissues; i++)
        ov_import_issue_add(opts, local.issues[i].position, "%s: %s", m->name,
                            local.issues[i].message);
    for (size_t i = 0; i < local.nmarks; i++)
        ov_import_mark_add(opts, &local.marks[i]);
    ov_import_opts_free(&local);
    return rc;
}

int ov_zip_uri_lists_load(const struct ov_blob *in, const char *member,
                          struct ov_import_opts *opts, struct ov_account_list *out,
                          struct ov_error *err)
{
    struct ov_zip z;
    size_t found = 0, loaded = 0, total = 0;
    char names[240];
    int rc;

    if ((rc = ov_zip_open(in, &z, err)) != OV_OK)
        goto done;
    for (size_t i = 0; i < z.count; i++) {
        const char *name = ov_zip_member(&z, i);
        char shown[NAME_CHARS * 4 + 8]; /* the name from the archive, safe to print */
        struct ov_error e = { 0 };
        struct ov_sensitive_buf data;
        struct ov_blob m;
        size_t len;

        if (name == NULL || (member != NULL && !base_name_is(name, member)))
            continue;
        ov_text_excerpt(name, strlen(name), NAME_CHARS, shown, sizeof shown);
        found++;
        if ((rc = ov_zip_read(&z, i, opts->password, opts->password_len, &data, &len,
                              err)) != OV_OK)
            goto done;
        total += len;
        m = (struct ov_blob){ data.data, len, shown };
        if (total > TOTAL_MAX) {
            rc = ov_error_set(err, OV_ERR_LIMIT, "%s: the archive inflates to more than %u "
                              "MiB", in->name, TOTAL_MAX >> 20);
        } else if (member != NULL || ov_uri_list_sniff(&m) > OV_SNIFF_FALLBACK) {
            rc = load_member(&m, opts, out, &e);
            if (rc != OV_OK)
                rc = ov_error_set(err, rc, "%s: %s", in->name, e.msg);
            else
                loaded++;
        }
        ov_sensitive_free(&data);
        if (rc != OV_OK)
            goto done;
    }
    list_members(&z, names, sizeof names);
    if (z.count == 0)
        rc = ov_error_set(err, OV_ERR_INVALID, "%s: the archive contains no files", in->name);
    else if (member != NULL && found == 0)
        rc = ov_error_set(err, OV_ERR_INVALID, "%s: no %s in the archive (it holds %s)",
                          in->name, member, names);
    else if (loaded == 0)
        rc = ov_error_set(err, OV_ERR_INVALID, "%s: no otpauth:// URI list in the archive "
                          "(it holds %s)", in->name, names);
done:
    ov_zip_close(&z);
    return rc;
}
