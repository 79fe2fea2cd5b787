/* Android SharedPreferences XML, the "internal" files several apps keep under
 * /data/data/<app>/shared_prefs/ (formats.md 0): <map> holding <string name="K">text</string>
 * and typed scalars (<int name="K" value="..."/>, <boolean .../>, ...). Only the <string>
 * entries carry what importers need, so only those are collected (as Aegis does). */
#ifndef IMPORTERS_ANDROID_PREFS_H
#define IMPORTERS_ANDROID_PREFS_H

#include <stdbool.h>
#include <stddef.h>
#include "otpvault/error.h"
#include "otpvault/importer.h"

/* Larger than any real preferences file (they are held in memory by the app itself). */
#define OV_PREFS_MAX_INPUT (32u * 1024u * 1024u)

struct ov_prefs_string {
    char *name;         /* the name attribute, UTF-8 */
    char *value;        /* the element's text, entities decoded, UTF-8 */
    size_t value_len;
};

struct ov_prefs {
    struct ov_prefs_string *items;  /* document order */
    size_t len;
};

/* For sniffers, without parsing: the input starts (after a BOM and blanks) with an XML
 * declaration or <map, and has a <map> element. */
bool ov_prefs_looks_like(const struct ov_blob *in);
/* For sniffers: ov_prefs_looks_like, and an attribute name="key" appears. */
bool ov_prefs_has_key(const struct ov_blob *in, const char *key);

/* Parses the file with libxml2: no network, no DTD (a DOCTYPE is refused, so no entity can
 * expand), size bounded. Errors (OV_ERR_INVALID, OV_ERR_LIMIT) name the line and the
 * problem. On success the caller frees *out with ov_prefs_free (values are wiped). */
int ov_prefs_parse(const struct ov_blob *in, struct ov_prefs *out, struct ov_error *err);
/* The value of the string entry `name` (the last one, as Android keeps), or NULL. */
const struct ov_prefs_string *ov_prefs_get(const struct ov_prefs *p, const char *name);
void ov_prefs_free(struct ov_prefs *p);

#endif
