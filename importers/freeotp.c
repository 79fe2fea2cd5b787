/* FreeOTP 1.x and FreeOTP+ internal tokens.xml (formats.md 5.1, 6): Android preferences
 * whose <string name="Issuer:Label"> entries each hold a token JSON with the secret as
 * signed bytes; "tokenOrder" (the display order) is skipped. Entries are taken in file
 * order; HOTP counters are kept as stored (FreeOTP stores the URI counter - 1). */
#include <string.h>

#include "lib/android_prefs.h"
#include "lib/freeotp_token.h"
#include "lib/json_fields.h"
#include "otpvault/codec.h"
#include "otpvault/importer.h"

static int freeotp_sniff(const struct ov_blob *in)
{
    if (ov_prefs_has_key(in, "tokenOrder"))
        return 90;
    /* A tokens.xml that never had its order saved: token JSON in string entries. */
    if (ov_prefs_looks_like(in) && memmem(in->data, in->len, "&quot;secret&quot;", 18) &&
        memmem(in->data, in->len, "&quot;label&quot;", 17))
        return 60;
    return 0;
}

static int read_token(const struct ov_prefs_string *s, struct ov_account *a,
                      struct ov_error *err)
{
    json_t *token;
    int rc = jf_parse(s->value, s->value_len, &token, err);

    if (rc != OV_OK)
        return rc;
    rc = ov_freeotp_token(token, NULL, 0, a, err);
    json_decref(token); /* holds the secret bytes: let go of it at once */
    return rc;
}

static int freeotp_load(const struct ov_blob *in, struct ov_import_opts *opts,
                        struct ov_account_list *out, struct ov_error *err)
{
    struct ov_prefs prefs;
    size_t position = 0;
    int rc = ov_prefs_parse(in, &prefs, err);

    if (rc != OV_OK)
        return rc;
    for (size_t i = 0; i < prefs.len; i++) {
        const struct ov_prefs_string *s = &prefs.items[i];
        struct ov_account a;
        struct ov_error e = { 0 };
        char what[64];

        if (strcmp(s->name, "tokenOrder") == 0)
            continue;
        position++;
        ov_account_init(&a);
        if (read_token(s, &a, &e) == OV_OK) {
            ov_account_list_push(out, &a);
        } else {
            ov_text_excerpt(s->name, strlen(s->name), 40, what, sizeof what);
            ov_import_issue_add(opts, position, "entry %zu (\"%s\"): %s", position, what,
                                e.msg);
        }
        ov_account_free(&a);
    }
    ov_prefs_free(&prefs);
    if (position == 0)
        return ov_error_set(err, OV_ERR_INVALID, "no FreeOTP token in these preferences");
    return OV_OK;
}

const struct ov_importer ov_importer_freeotp = {
    .name = "freeotp", .label = "FreeOTP 1.x / FreeOTP+ internal tokens.xml (Android preferences)",
    .sniff = freeotp_sniff, .load = freeotp_load,
};
