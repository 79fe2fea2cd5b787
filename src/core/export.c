/* The table of export formats and what they share: the output buffer, skipped accounts,
 * UUIDs, and writing the result to a file. Adding a format: one file, one line here. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "otpvault/atomic_file.h"
#include "otpvault/crypto.h"
#include "otpvault/display.h"
#include "otpvault/export.h"
#include "otpvault/mem.h"

extern const struct ov_exporter ov_exporter_otpauth;
extern const struct ov_exporter ov_exporter_gauth_migration;
extern const struct ov_exporter ov_exporter_aegis;
extern const struct ov_exporter ov_exporter_aegis_encrypted;
extern const struct ov_exporter ov_exporter_2fas;
extern const struct ov_exporter ov_exporter_json;

const struct ov_exporter *const ov_exporters[] = {
    &ov_exporter_otpauth,
    &ov_exporter_gauth_migration,
    &ov_exporter_aegis,
    &ov_exporter_aegis_encrypted,
    &ov_exporter_2fas,
    &ov_exporter_json,
    NULL,
};

const struct ov_exporter *ov_exporter_find(const char *name)
{
    for (size_t i = 0; ov_exporters[i] != NULL; i++)
        if (strcmp(ov_exporters[i]->name, name) == 0)
            return ov_exporters[i];
    return NULL;
}

static void ov_export_append(struct ov_export_out *out, const void *data, size_t len)
{
    if (out->len + len + 1 > out->cap) {
        size_t cap = out->cap ? out->cap : 4096;
        while (cap < out->len + len + 1)
            cap *= 2;
        out->data = ov_secure_realloc(out->data, out->cap, cap);
        out->cap = cap;
    }
    memcpy(out->data + out->len, data, len);
    out->len += len;
    out->data[out->len] = '\0';   /* text formats can be used as strings */
}

void ov_export_append_str(struct ov_export_out *out, const char *s)
{
    ov_export_append(out, s, strlen(s));
}

static void append_json(struct ov_export_out *out, const char *json)
{
    char *safe = ov_json_safe(json);
    ov_export_append_str(out, safe);
    ov_secure_free_str(safe);
}

int ov_export_append_json_doc(struct ov_export_out *out, json_t *doc, int indent,
                              const char *what, struct ov_error *err)
{
    char *text = json_dumps(doc, JSON_INDENT(indent) | JSON_PRESERVE_ORDER);

    json_decref(doc);
    if (text == NULL)
        return ov_error_set(err, OV_ERR_NOMEM, "cannot write the %s", what);
    append_json(out, text);
    ov_export_append_str(out, "\n");
    ov_secure_free_str(text);   /* jansson's allocation is ours: secure memory */
    return OV_OK;
}

json_t *ov_export_json_group(json_t *groups, const char *name, const char *id_key,
                             bool *created)
{
    size_t i;
    json_t *g;
    char uuid[37];

    *created = false;
    json_array_foreach(groups, i, g) {
        if (strcmp(json_string_value(json_object_get(g, "name")), name) == 0)
            return g;
    }
    ov_uuid4(uuid);
    g = json_object();
    json_object_set_new(g, id_key, json_string(uuid));
    json_object_set_new(g, "name", json_string(name));
    json_array_append_new(groups, g);
    *created = true;
    return g;
}

void ov_export_skip(struct ov_export_out *out, size_t index, const struct ov_account *a,
                    const char *fmt, ...)
{
    struct ov_export_skip *s;
    char label[160], why[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    out->skipped = ov_xrealloc(out->skipped, (out->nskipped + 1) * sizeof *out->skipped);
    s = &out->skipped[out->nskipped++];
    s->index = index;
    if (a == NULL)
        snprintf(s->reason, sizeof s->reason, "%s", why);
    else
        snprintf(s->reason, sizeof s->reason, "%s: %s",
                 ov_account_label(a, label, sizeof label), why);
}

void ov_uuid4(char out[37])
{
    uint8_t b[16];
    char hex[33];

    ov_random(b, sizeof b);
    b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);   /* version 4 */
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);   /* RFC 4122 variant */
    for (size_t i = 0; i < sizeof b; i++)
        snprintf(hex + 2 * i, 3, "%02x", b[i]);
    snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

static bool was_skipped(const struct ov_export_out *out, size_t index)
{
    for (size_t i = 0; i < out->nskipped; i++)
        if (out->skipped[i].index == index)
            return true;
    return false;
}

/* Counts the written accounts whose group or note the format drops, and says so. */
static void say_what_is_lost(const struct ov_exporter *e, const struct ov_account_list *in,
                             struct ov_export_out *out)
{
    bool keeps_group = e->keeps & OV_EXPORT_KEEPS_GROUP;
    bool keeps_note = e->keeps & OV_EXPORT_KEEPS_NOTE;
    size_t groups = 0, notes = 0;
    char what[64] = "";

    for (size_t i = 0; i < in->len; i++) {
        const struct ov_account *a = &in->items[i];
        if (was_skipped(out, i))
            continue;
        groups += !keeps_group && a->group != NULL && a->group[0] != '\0';
        notes += !keeps_note && a->note != NULL && a->note[0] != '\0';
    }
    if (groups > 0)
        snprintf(what, sizeof what, "%zu account%s lose%s %s group", groups,
                 groups == 1 ? "" : "s", groups == 1 ? "s" : "", groups == 1 ? "its" : "their");
    if (notes > 0 && groups > 0)
        snprintf(what + strlen(what), sizeof what - strlen(what), ", %zu %s note", notes,
                 notes == 1 ? "its" : "their");
    else if (notes > 0)
        snprintf(what, sizeof what, "%zu account%s lose%s %s note", notes,
                 notes == 1 ? "" : "s", notes == 1 ? "s" : "", notes == 1 ? "its" : "their");
    if (groups > 0 || notes > 0)
        snprintf(out->lost, sizeof out->lost, "the %s format has no room for %s: %s", e->name,
                 !keeps_group && !keeps_note ? "groups or notes" : !keeps_group ? "groups"
                                                                                : "notes",
                 what);
}

int ov_export_run(const struct ov_exporter *e, const struct ov_account_list *in,
                  const struct ov_export_opts *opts, struct ov_export_out *out,
                  struct ov_error *err)
{
    int rc;

    memset(out, 0, sizeof *out);
    if (e->needs_password && (opts->password == NULL || opts->password_len == 0))
        return ov_error_set(err, OV_ERR_INVALID, "the %s format needs an export password",
                            e->name);
    rc = e->write(in, opts, out, err);
    if (rc == OV_OK && out->count == 0 && in->len > 0)
        return ov_error_set(err, OV_ERR_INVALID, "none of the %zu accounts can be written "
                            "as %s", in->len, e->name);
    if (rc == OV_OK)
        say_what_is_lost(e, in, out);
    return rc;
}

void ov_export_out_free(struct ov_export_out *out)
{
    ov_secure_free(out->data, out->cap);
    free(out->skipped);
    memset(out, 0, sizeof *out);
}

int ov_export_write_file(const char *path, const void *data, size_t len, bool force,
                         struct ov_error *err)
{
    if (force)
        return ov_atomic_replace(path, data, len, NULL, NULL, err);
    return ov_atomic_create(path, data, len, err);
}
