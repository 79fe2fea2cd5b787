/* Add/edit form validation (see account_form.h). Messages name the field and what was seen,
 * so the form can put the cursor on it. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/model/account_form.h"
#include "otpvault/codec.h"
#include "otpvault/mem.h"
#include "otpvault/secret_text.h"
#include "otpvault/uri.h"

static const char *const labels[OV_F_COUNT] = {
    [OV_F_URI] = "otpauth:// URI", [OV_F_ISSUER] = "issuer", [OV_F_NAME] = "name",
    [OV_F_SECRET] = "secret (Base32)", [OV_F_TYPE] = "type", [OV_F_ALGORITHM] = "algorithm",
    [OV_F_DIGITS] = "digits", [OV_F_PERIOD] = "period (s)", [OV_F_COUNTER] = "counter",
    [OV_F_GROUP] = "group", [OV_F_NOTE] = "note",
};

const char *ov_form_field_label(enum ov_form_field f)
{
    return (unsigned)f < OV_F_COUNT ? labels[f] : "";
}

static bool filled(const char *s)
{
    return s != NULL && s[0] != '\0';
}

static int fail(enum ov_form_field f, enum ov_form_field *bad, struct ov_error *err,
                const char *what, const char *seen)
{
    *bad = f;
    if (seen != NULL)
        return ov_error_set(err, OV_ERR_INVALID, "%s: %s, got '%.40s'", labels[f], what, seen);
    return ov_error_set(err, OV_ERR_INVALID, "%s: %s", labels[f], what);
}

static int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (s[0] < '0' || s[0] > '9')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int set_secret(const char *text, struct ov_account *a, enum ov_form_field *bad,
                      struct ov_error *err)
{
    struct ov_error why = { 0 };

    if (ov_secret_text_set(a, text, OV_SECRET_BASE32, &why) != OV_OK)
        return fail(OV_F_SECRET, bad, err, why.msg, NULL);
    return OV_OK;
}

/* The OTP parameters typed in the separate fields. */
static int apply_params(const char *const t[OV_F_COUNT], struct ov_account *a,
                        enum ov_form_field *bad, struct ov_error *err)
{
    enum ov_otp_type was = a->type;
    uint64_t n;

    /* mOTP and Yandex need a PIN the form does not ask for: keep them, never switch to them. */
    if (filled(t[OV_F_TYPE]) &&
        (ov_otp_type_parse(t[OV_F_TYPE], &a->type) != 0 ||
         ((a->type == OV_MOTP || a->type == OV_YANDEX) && a->type != was)))
        return fail(OV_F_TYPE, bad, err, "expected totp, hotp or steam", t[OV_F_TYPE]);
    if (filled(t[OV_F_ALGORITHM]) && ov_algo_parse(t[OV_F_ALGORITHM], &a->algo) != 0)
        return fail(OV_F_ALGORITHM, bad, err, "expected SHA1, SHA256, SHA512 or MD5",
                    t[OV_F_ALGORITHM]);
    if (filled(t[OV_F_DIGITS])) {
        if (parse_u64(t[OV_F_DIGITS], OV_DIGITS_MIN, OV_DIGITS_MAX, &n) != 0)
            return fail(OV_F_DIGITS, bad, err, "expected 1 to 10", t[OV_F_DIGITS]);
        a->digits = (unsigned)n;
    }
    if (filled(t[OV_F_PERIOD])) {
        if (parse_u64(t[OV_F_PERIOD], 1, OV_PERIOD_MAX, &n) != 0)
            return fail(OV_F_PERIOD, bad, err, "expected 1 to 2147483 seconds", t[OV_F_PERIOD]);
        a->period = (unsigned)n;
    }
    if (filled(t[OV_F_COUNTER])) {
        if (parse_u64(t[OV_F_COUNTER], 0, UINT64_MAX, &n) != 0)
            return fail(OV_F_COUNTER, bad, err, "expected a whole number", t[OV_F_COUNTER]);
        a->counter = n;
    }
    if (a->type == OV_STEAM) {
        /* Steam codes have fixed parameters; "steam" alone is enough. */
        a->algo = OV_SHA1;
        a->digits = 5;
        a->period = 30;
    }
    return OV_OK;
}

int ov_account_from_form(const char *const t[OV_F_COUNT], const struct ov_account *base,
                         struct ov_account *out, enum ov_form_field *bad,
                         struct ov_error *err)
{
    struct ov_error why = { 0 };
    int rc;

    *bad = OV_F_COUNT;
    if (filled(t[OV_F_URI])) {
        char warning[128];
        if (filled(t[OV_F_SECRET])) {
            ov_account_init(out);
            return fail(OV_F_SECRET, bad, err, "give the URI or the secret, not both", NULL);
        }
        if (ov_uri_parse(t[OV_F_URI], out, warning, sizeof warning, &why) != OV_OK)
            return fail(OV_F_URI, bad, err, why.msg, NULL);
    } else if (base != NULL) {
        ov_account_copy(out, base);
        if (filled(t[OV_F_SECRET]) && (rc = set_secret(t[OV_F_SECRET], out, bad, err)) != OV_OK)
            return rc;
        if ((rc = apply_params(t, out, bad, err)) != OV_OK)
            return rc;
    } else {
        ov_account_init(out);
        if (!filled(t[OV_F_SECRET]))
            return fail(OV_F_SECRET, bad, err, "paste an otpauth:// URI above, or type the "
                        "secret", NULL);
        if ((rc = set_secret(t[OV_F_SECRET], out, bad, err)) != OV_OK)
            return rc;
        if ((rc = apply_params(t, out, bad, err)) != OV_OK)
            return rc;
    }
    /* Labels: typed ones win; editing may also clear group and note. */
    if (filled(t[OV_F_ISSUER]) || (base != NULL && !filled(t[OV_F_URI])))
        ov_account_set_text(&out->issuer, t[OV_F_ISSUER] != NULL ? t[OV_F_ISSUER] : "");
    if (filled(t[OV_F_NAME]) || (base != NULL && !filled(t[OV_F_URI])))
        ov_account_set_text(&out->name, t[OV_F_NAME] != NULL ? t[OV_F_NAME] : "");
    if (filled(t[OV_F_GROUP]) || base != NULL)
        ov_account_set_text(&out->group, filled(t[OV_F_GROUP]) ? t[OV_F_GROUP] : NULL);
    if (filled(t[OV_F_NOTE]) || base != NULL)
        ov_account_set_text(&out->note, filled(t[OV_F_NOTE]) ? t[OV_F_NOTE] : NULL);
    if (out->issuer[0] == '\0' && out->name[0] == '\0')
        return fail(OV_F_NAME, bad, err, "give the account a name or an issuer", NULL);
    if (ov_account_validate(out, &why) != OV_OK) {
        *bad = OV_F_COUNT;
        return ov_error_set(err, OV_ERR_INVALID, "%s", why.msg);
    }
    return OV_OK;
}

void ov_form_texts_from_account(const struct ov_account *a, char *t[OV_F_COUNT])
{
    char num[32];

    for (int i = 0; i < OV_F_COUNT; i++)
        t[i] = NULL;
    t[OV_F_ISSUER] = ov_xstrdup(a->issuer);
    t[OV_F_NAME] = ov_xstrdup(a->name);
    t[OV_F_TYPE] = ov_xstrdup(ov_otp_type_name(a->type));
    t[OV_F_ALGORITHM] = ov_xstrdup(ov_algo_name(a->algo));
    snprintf(num, sizeof num, "%u", a->digits);
    t[OV_F_DIGITS] = ov_xstrdup(num);
    snprintf(num, sizeof num, "%u", a->period);
    t[OV_F_PERIOD] = ov_xstrdup(num);
    snprintf(num, sizeof num, "%" PRIu64, a->counter);
    t[OV_F_COUNTER] = ov_xstrdup(num);
    t[OV_F_GROUP] = ov_xstrdup(a->group != NULL ? a->group : "");
    t[OV_F_NOTE] = ov_xstrdup(a->note != NULL ? a->note : "");
}

void ov_form_texts_free(char *t[OV_F_COUNT])
{
    for (int i = 0; i < OV_F_COUNT; i++) {
        free(t[i]);
        t[i] = NULL;
    }
}
