/* See account_build.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "account_build.h"
#include "otpvault/codec.h"
#include "otpvault/mem.h"
#include "otpvault/uri.h"

int ab_from_uri(struct ov_account *a, const char *uri, struct ov_error *err)
{
    struct ov_account parsed;
    int rc = ov_uri_parse(uri, &parsed, NULL, 0, err);

    if (rc != OV_OK) {
        ov_account_free(&parsed);
        return rc;
    }
    ov_account_free(a);
    *a = parsed;
    return OV_OK;
}

int ab_unknown(struct ov_error *err, int code, const char *what, const char *value)
{
    char shown[96];

    ov_text_excerpt(value, strlen(value), 24, shown, sizeof shown);
    return ov_error_set(err, code, "unknown %s '%s'", what, shown);
}

int ab_algo(struct ov_account *a, const char *text, bool allow_md5, struct ov_error *err)
{
    if (ov_algo_parse(text, &a->algo) != 0 || (a->algo == OV_MD5 && !allow_md5))
        return ab_unknown(err, OV_ERR_INVALID, "algorithm", text);
    return OV_OK;
}

static void note_entry(struct ov_account *a, struct ov_import_opts *opts, size_t position,
                       const char *reason, bool info)
{
    char issuer[64] = "", name[64] = "", who[160] = "";

    if (a->issuer != NULL)
        ov_text_excerpt(a->issuer, strlen(a->issuer), 24, issuer, sizeof issuer);
    if (a->name != NULL)
        ov_text_excerpt(a->name, strlen(a->name), 24, name, sizeof name);
    if (issuer[0] != '\0' || name[0] != '\0')
        snprintf(who, sizeof who, " (%s%s%s)", issuer,
                 issuer[0] != '\0' && name[0] != '\0' ? ": " : "", name);
    if (info)
        ov_import_warning_add(opts, position, "entry %zu%s: %s", position, who, reason);
    else
        ov_import_issue_add(opts, position, "entry %zu%s: %s", position, who, reason);
    ov_account_free(a);
}

void ab_reject(struct ov_account *a, struct ov_import_opts *opts, size_t position,
               const char *reason)
{
    note_entry(a, opts, position, reason, false);
}

void ab_skip(struct ov_account *a, struct ov_import_opts *opts, size_t position,
             const char *reason)
{
    note_entry(a, opts, position, reason, true);
}

bool ab_add(struct ov_account *a, struct ov_import_opts *opts, size_t position,
            struct ov_account_list *out)
{
    struct ov_error err = { 0 };

    ov_account_normalise_label(a);
    if (ov_account_validate(a, &err) != OV_OK) {
        ab_reject(a, opts, position, err.msg);
        return false;
    }
    ov_account_list_push(out, a);
    return true;
}

int ab_type_name(struct ov_account *a, const char *text, const char *what,
                 struct ov_error *err)
{
    if (strcasecmp(text, "TOTP") == 0)
        a->type = OV_TOTP;
    else if (strcasecmp(text, "HOTP") == 0)
        a->type = OV_HOTP;
    else if (strcasecmp(text, "STEAM") == 0)
        a->type = OV_STEAM;
    else
        return ab_unknown(err, OV_ERR_INVALID, what, text);
    return OV_OK;
}
