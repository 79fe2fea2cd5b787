/* Our own JSON (design.md 4, the contract array with secrets), and the account-to-JSON
 * mapping the command line's list/code/import output uses too. jansson allocates in secure
 * memory: its strings hold secrets. */
#include <gcrypt.h>
#include <jansson.h>
#include <stdlib.h>

#include "otpvault/codec.h"
#include "otpvault/display.h"
#include "otpvault/export.h"
#include "otpvault/mem.h"
#include "otpvault/sync.h"

static void *json_secure_malloc(size_t n)
{
    return ov_secure_alloc(n);
}

/* What jansson made before the switch (a caller's json_array(), say) came from malloc and is
 * freed here too. */
static void json_secure_free(void *p)
{
    if (p != NULL && !gcry_is_secure(p))
        free(p);
    else
        ov_secure_free_unsized(p);
}

void ov_json_use_secure_memory(void)
{
    static int done;
    if (!done) {
        json_set_alloc_funcs(json_secure_malloc, json_secure_free);
        done = 1;
    }
}

/* Names should be UTF-8. JSON cannot carry a byte that is not; each such byte becomes
 * U+FFFD and every valid character around it is kept, rather than dropping the key, which
 * would break the contract. */
static json_t *json_text(const char *s)
{
    json_t *j = json_string(s);
    size_t len = strlen(s), used = 0;
    char *fixed;

    if (j != NULL)
        return j;
    fixed = ov_xmalloc(len * 3 + 1);
    while (len > 0) {
        struct ov_display_unit u;
        ov_display_next(s, len, &u);
        if (u.valid) {
            memcpy(fixed + used, s, u.len);
            used += u.len;
        } else {
            memcpy(fixed + used, "\xef\xbf\xbd", 3);
            used += 3;
        }
        s += u.len;
        len -= u.len;
    }
    fixed[used] = '\0';
    j = json_string(fixed);
    free(fixed);
    return j;
}

json_t *ov_account_json(const struct ov_account *a, bool with_secret)
{
    json_t *o;
    bool hotp = a->type == OV_HOTP;

    ov_json_use_secure_memory();
    o = json_object();
    json_object_set_new(o, "type", json_string(ov_otp_type_name(a->type)));
    json_object_set_new(o, "issuer", json_text(a->issuer));
    json_object_set_new(o, "name", json_text(a->name));
    if (with_secret) {
        char *b32 = ov_secure_alloc(ov_base32_encoded_len(a->secret_len) + 1);
        ov_base32_encode(a->secret, a->secret_len, b32);
        json_object_set_new(o, "secret", json_string(b32));
        ov_secure_free_str(b32);
    }
    json_object_set_new(o, "algorithm", json_string(ov_algo_name(a->algo)));
    json_object_set_new(o, "digits", json_integer(a->digits));
    json_object_set_new(o, "period", hotp ? json_null() : json_integer(a->period));
    json_object_set_new(o, "counter", hotp ? json_integer((json_int_t)a->counter) : json_null());
    if (a->group != NULL)
        json_object_set_new(o, "group", json_text(a->group));
    if (a->note != NULL && a->note[0] != '\0')
        json_object_set_new(o, "note", json_text(a->note));
    /* An extra key (design.md 4 allows them): without it mOTP and Yandex could not come back. */
    if (with_secret && a->pin != NULL)
        json_object_set_new(o, "pin", json_text(a->pin));
    /* The account's identity (sync.h), so that scripts and a later merge know it again;
     * with the secrets, also when it last changed. */
    if (!ov_account_id_none(a->id)) {
        char id[2 * OV_ACCOUNT_ID_LEN + 1];
        ov_account_id_text(a->id, id);
        json_object_set_new(o, "id", json_string(id));
    }
    if (with_secret && a->modified != 0)
        json_object_set_new(o, "modified", json_integer((json_int_t)a->modified));
    return o;
}

static int write_json(const struct ov_account_list *in, const struct ov_export_opts *opts,
                      struct ov_export_out *out, struct ov_error *err)
{
    json_t *arr;
    int rc;

    (void)opts;
    ov_json_use_secure_memory();
    arr = json_array();
    for (size_t i = 0; i < in->len; i++)
        json_array_append_new(arr, ov_account_json(&in->items[i], true));
    if ((rc = ov_export_append_json_doc(out, arr, 2, "JSON", err)) != OV_OK)
        return rc;
    out->count = in->len;
    return OV_OK;
}

const struct ov_exporter ov_exporter_json = {
    .name = "json", .label = "otpvault's JSON (the list --json contract, secrets included)",
    .write = write_json,
    .keeps = OV_EXPORT_KEEPS_GROUP | OV_EXPORT_KEEPS_NOTE,
};
