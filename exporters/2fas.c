/* 2FAS Authenticator backups (formats.md 4), plain, schema version 4: the newest schema,
 * which carries TOTP, HOTP and Steam with their digits, period or counter, algorithm and
 * group. mOTP and Yandex (and MD5) have no place in it: those accounts are left out, named. */
#include <jansson.h>
#include <string.h>

#include "otpvault/codec.h"
#include "otpvault/export.h"
#include "otpvault/mem.h"
#include "otpvault/otp.h"
#include "otpvault/uri.h"

#define SCHEMA_VERSION 4
#define APP_VERSION_CODE 5000009   /* the 2FAS release whose schema 4 this follows */

static const char *token_type(enum ov_otp_type t)
{
    switch (t) {
    case OV_TOTP: return "TOTP";
    case OV_HOTP: return "HOTP";
    case OV_STEAM: return "STEAM";
    default: return NULL;
    }
}

/* The group's id, creating the group on first use. */
static const char *group_id(json_t *groups, const char *name, json_int_t ms)
{
    bool created;
    json_t *g = ov_export_json_group(groups, name, "id", &created);

    if (created) {
        json_object_set_new(g, "isExpanded", json_true());
        json_object_set_new(g, "updatedAt", json_integer(ms));
    }
    return json_string_value(json_object_get(g, "id"));
}

/* Two letters for the label icon 2FAS draws when it has no brand icon. */
static void icon_text(const struct ov_account *a, char out[16])
{
    const char *s = a->issuer[0] != '\0' ? a->issuer : a->name;
    size_t n = 0;

    for (size_t i = 0; s[i] != '\0' && n < 2; i++)
        if ((unsigned char)s[i] < 0x80 && s[i] != ' ')
            out[n++] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]);
    out[n] = '\0';
}

static json_t *service(const struct ov_account *a, size_t position, json_t *groups,
                       json_int_t ms)
{
    json_t *s = json_object(), *otp = json_object(), *order = json_object();
    json_t *icon = json_object(), *label = json_object();
    char *b32 = ov_secure_alloc(ov_base32_encoded_len(a->secret_len) + 1), *link, text[16];

    ov_base32_encode(a->secret, a->secret_len, b32);
    link = ov_uri_format(a);
    json_object_set_new(otp, "link", json_string(link));
    ov_secure_free_str(link);
    json_object_set_new(otp, "label", json_string(a->name));
    json_object_set_new(otp, "account", json_string(a->name));
    json_object_set_new(otp, "issuer", json_string(a->issuer));
    json_object_set_new(otp, "digits", json_integer(a->digits));
    if (a->type == OV_HOTP)
        json_object_set_new(otp, "counter", json_integer((json_int_t)a->counter));
    else
        json_object_set_new(otp, "period", json_integer(a->period));
    json_object_set_new(otp, "algorithm", json_string(ov_algo_name(a->algo)));
    json_object_set_new(otp, "tokenType", json_string(token_type(a->type)));
    json_object_set_new(otp, "source", json_string("Link"));
    json_object_set_new(order, "position", json_integer((json_int_t)position));
    icon_text(a, text);
    json_object_set_new(label, "text", json_string(text));
    json_object_set_new(label, "backgroundColor", json_string("Default"));
    json_object_set_new(icon, "selected", json_string("Label"));
    json_object_set_new(icon, "label", label);

    /* 2FAS keeps the issuer as the service name (and reads it back from there). */
    json_object_set_new(s, "name", json_string(a->issuer));
    json_object_set_new(s, "secret", json_string(b32));
    ov_secure_free_str(b32);
    json_object_set_new(s, "updatedAt", json_integer(ms));
    json_object_set_new(s, "otp", otp);
    json_object_set_new(s, "order", order);
    json_object_set_new(s, "icon", icon);
    if (a->group != NULL && a->group[0] != '\0')
        json_object_set_new(s, "groupId", json_string(group_id(groups, a->group, ms)));
    return s;
}

static int write_2fas(const struct ov_account_list *in, const struct ov_export_opts *opts,
                      struct ov_export_out *out, struct ov_error *err)
{
    json_int_t ms = (json_int_t)(opts->now != 0 ? opts->now : ov_now()) * 1000;
    json_t *root, *services, *groups;

    ov_json_use_secure_memory();
    root = json_object();
    services = json_array();
    groups = json_array();
    for (size_t i = 0; i < in->len; i++) {
        const struct ov_account *a = &in->items[i];
        json_t *s;
        if (token_type(a->type) == NULL) {
            ov_export_skip(out, i, a, "2FAS has no %s accounts", ov_otp_type_name(a->type));
            continue;
        }
        if (a->algo == OV_MD5) {
            ov_export_skip(out, i, a, "2FAS has no MD5 algorithm");
            continue;
        }
        s = service(a, out->count, groups, ms);
        if (json_object_get(s, "name") == NULL ||
            json_object_get(json_object_get(s, "otp"), "account") == NULL) {
            json_decref(s);
            ov_export_skip(out, i, a, "the name or issuer is not valid UTF-8");
            continue;
        }
        json_array_append_new(services, s);
        out->count++;
    }
    json_object_set_new(root, "services", services);
    json_object_set_new(root, "groups", groups);
    json_object_set_new(root, "updatedAt", json_integer(ms));
    json_object_set_new(root, "schemaVersion", json_integer(SCHEMA_VERSION));
    json_object_set_new(root, "appVersionCode", json_integer(APP_VERSION_CODE));
    json_object_set_new(root, "appVersionName", json_string("otpvault " OV_VERSION));
    json_object_set_new(root, "appOrigin", json_string("android"));
    return ov_export_append_json_doc(out, root, 2, "2FAS JSON", err);
}

const struct ov_exporter ov_exporter_2fas = {
    .name = "2fas",
    .label = "2FAS Authenticator backup, plain (.2fas, schema 4; no mOTP or Yandex)",
    .write = write_2fas,
    .keeps = OV_EXPORT_KEEPS_GROUP,
};
