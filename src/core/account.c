/* Account records and lists: ownership of secrets, validation, matching. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "otpvault/account.h"
#include "otpvault/mem.h"

static const char *const type_names[] = { "totp", "hotp", "steam", "motp", "yandex" };
static const char *const algo_names[] = { "SHA1", "SHA256", "SHA512", "MD5" };

void ov_account_init(struct ov_account *a)
{
    memset(a, 0, sizeof *a);
    a->type = OV_TOTP;
    a->algo = OV_SHA1;
    a->issuer = ov_xstrdup("");
    a->name = ov_xstrdup("");
    a->digits = 6;
    a->period = 30;
}

void ov_account_free(struct ov_account *a)
{
    if (a == NULL)
        return;
    free(a->issuer);
    free(a->name);
    free(a->group);
    free(a->note);
    ov_secure_free(a->secret, a->secret_len);
    ov_secure_free_str(a->pin);
    memset(a, 0, sizeof *a);
}

static char *dup_or_null(const char *s)
{
    return s != NULL ? ov_xstrdup(s) : NULL;
}

void ov_account_copy(struct ov_account *dst, const struct ov_account *src)
{
    *dst = *src;
    dst->issuer = dup_or_null(src->issuer);
    dst->name = dup_or_null(src->name);
    dst->group = dup_or_null(src->group);
    dst->note = dup_or_null(src->note);
    dst->secret = NULL;
    dst->secret_len = 0;
    if (src->secret != NULL)
        ov_account_set_secret(dst, src->secret, src->secret_len);
    dst->pin = src->pin != NULL ? ov_secure_strdup(src->pin) : NULL;
}

void ov_account_set_secret(struct ov_account *a, const uint8_t *secret, size_t len)
{
    uint8_t *copy = ov_secure_alloc(len);
    memcpy(copy, secret, len);
    ov_secure_free(a->secret, a->secret_len);
    a->secret = copy;
    a->secret_len = len;
}

void ov_account_set_text(char **field, const char *value)
{
    char *copy = dup_or_null(value);
    free(*field);
    *field = copy;
}

int ov_account_validate(const struct ov_account *a, struct ov_error *err)
{
    if (a->secret == NULL || a->secret_len == 0)
        return ov_error_set(err, OV_ERR_INVALID, "the secret is empty");
    if (a->secret_len > OV_SECRET_MAX)
        return ov_error_set(err, OV_ERR_INVALID, "the secret is %zu bytes, more than %d",
                            a->secret_len, OV_SECRET_MAX);
    if ((unsigned)a->type > OV_YANDEX)
        return ov_error_set(err, OV_ERR_INVALID, "unknown OTP type %d", (int)a->type);
    if ((unsigned)a->algo > OV_MD5)
        return ov_error_set(err, OV_ERR_INVALID, "unknown algorithm %d", (int)a->algo);
    if (a->digits < OV_DIGITS_MIN || a->digits > OV_DIGITS_MAX)
        return ov_error_set(err, OV_ERR_INVALID, "digits must be 1 to 10, not %u", a->digits);
    if (a->type != OV_HOTP && (a->period < 1 || a->period > OV_PERIOD_MAX))
        return ov_error_set(err, OV_ERR_INVALID, "period must be 1 to %d seconds, not %u",
                            OV_PERIOD_MAX, a->period);
    if (a->type == OV_STEAM && (a->algo != OV_SHA1 || a->digits != 5))
        return ov_error_set(err, OV_ERR_INVALID, "Steam codes are SHA1 with 5 characters");
    if (a->type == OV_MOTP && (a->pin == NULL || a->pin[0] == '\0'))
        return ov_error_set(err, OV_ERR_INVALID, "an mOTP account needs a PIN");
    if (a->issuer == NULL || a->name == NULL)
        return ov_error_set(err, OV_ERR_INVALID, "issuer and name must be set");
    return OV_OK;
}

bool ov_account_same(const struct ov_account *a, const struct ov_account *b)
{
    return a->type == b->type && a->secret_len == b->secret_len &&
           (a->secret_len == 0 || memcmp(a->secret, b->secret, a->secret_len) == 0) &&
           strcmp(a->issuer, b->issuer) == 0 && strcmp(a->name, b->name) == 0;
}

bool ov_account_list_has(const struct ov_account_list *l, const struct ov_account *a)
{
    for (size_t i = 0; i < l->len; i++)
        if (ov_account_same(&l->items[i], a))
            return true;
    return false;
}

const char *ov_account_label(const struct ov_account *a, char *out, size_t n)
{
    snprintf(out, n, "%s%s%s", a->issuer,
             a->issuer[0] != '\0' && a->name[0] != '\0' ? ": " : "", a->name);
    return out;
}

/* ASCII case folding is enough for the query: UTF-8 bytes above 0x7f compare exactly. */
static bool contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0)
        return true;
    for (; *hay != '\0'; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return false;
}

bool ov_account_matches(const struct ov_account *a, const char *query)
{
    if (query == NULL || query[0] == '\0')
        return true;
    if (contains_nocase(a->issuer, query) || contains_nocase(a->name, query))
        return true;
    /* "github:alice" should find issuer GitHub, name alice@example.com. */
    const char *colon = strchr(query, ':');
    if (colon != NULL) {
        size_t ilen = (size_t)(colon - query);
        return strlen(a->issuer) >= ilen && strncasecmp(a->issuer, query, ilen) == 0 &&
               contains_nocase(a->name, colon + 1);
    }
    return false;
}

const char *ov_otp_type_name(enum ov_otp_type t)
{
    return (unsigned)t <= OV_YANDEX ? type_names[t] : "unknown";
}

const char *ov_algo_name(enum ov_algo a)
{
    return (unsigned)a <= OV_MD5 ? algo_names[a] : "unknown";
}

int ov_otp_type_parse(const char *s, enum ov_otp_type *out)
{
    for (size_t i = 0; i < sizeof type_names / sizeof *type_names; i++) {
        if (strcasecmp(s, type_names[i]) == 0) {
            *out = (enum ov_otp_type)i;
            return 0;
        }
    }
    if (strcasecmp(s, "yaotp") == 0) {
        *out = OV_YANDEX;
        return 0;
    }
    return -1;
}

int ov_algo_parse(const char *s, enum ov_algo *out)
{
    char norm[16];
    size_t n = 0;

    if (strncasecmp(s, "hmac", 4) == 0)
        s += 4;
    for (; *s != '\0'; s++) {
        if (*s == '-' || *s == '_')
            continue;
        if (n + 1 >= sizeof norm)
            return -1;
        norm[n++] = (char)toupper((unsigned char)*s);
    }
    norm[n] = '\0';
    for (size_t i = 0; i < sizeof algo_names / sizeof *algo_names; i++) {
        if (strcmp(norm, algo_names[i]) == 0) {
            *out = (enum ov_algo)i;
            return 0;
        }
    }
    return -1;
}

void ov_account_type_fixed(struct ov_account *a)
{
    switch (a->type) {
    case OV_STEAM:
        a->algo = OV_SHA1;
        a->digits = 5;
        break;
    case OV_MOTP:
        a->algo = OV_MD5;
        a->digits = 6;
        a->period = 10;
        break;
    case OV_YANDEX:
        a->algo = OV_SHA256;
        a->digits = 8;
        break;
    default:
        break;
    }
}

void ov_account_list_init(struct ov_account_list *l)
{
    memset(l, 0, sizeof *l);
}

void ov_account_list_free(struct ov_account_list *l)
{
    for (size_t i = 0; i < l->len; i++)
        ov_account_free(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

void ov_account_list_push(struct ov_account_list *l, struct ov_account *a)
{
    if (l->len == l->cap) {
        l->cap = l->cap == 0 ? 16 : l->cap * 2;
        l->items = ov_xrealloc(l->items, l->cap * sizeof *l->items);
    }
    l->items[l->len++] = *a;
    memset(a, 0, sizeof *a);
}

void ov_account_list_insert(struct ov_account_list *l, struct ov_account *a, size_t index)
{
    struct ov_account moved;

    ov_account_list_push(l, a);
    if (index >= l->len - 1)
        return;
    moved = l->items[l->len - 1];
    memmove(&l->items[index + 1], &l->items[index], (l->len - 1 - index) * sizeof *l->items);
    l->items[index] = moved;
}

void ov_account_list_remove(struct ov_account_list *l, size_t index)
{
    if (index >= l->len)
        return;
    ov_account_free(&l->items[index]);
    memmove(&l->items[index], &l->items[index + 1],
            (l->len - index - 1) * sizeof *l->items);
    l->len--;
}
