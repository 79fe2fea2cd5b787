/* See json_fields.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json_fields.h"
#include "otpvault/codec.h"

const char *jf_string(json_t *obj, const char *key, const char *def, struct ov_error *err)
{
    json_t *v = json_object_get(obj, key);

    if (v == NULL || json_is_null(v))
        return def;
    if (!json_is_string(v)) {
        ov_error_set(err, OV_ERR_INVALID, "'%s' is not a string", key);
        return NULL;
    }
    return json_string_value(v);
}

int jf_int(json_t *obj, const char *key, int64_t def, int64_t min, int64_t max, int64_t *out,
           struct ov_error *err)
{
    json_t *v = json_object_get(obj, key);
    int64_t n;

    if (v == NULL || json_is_null(v)) {
        n = def;
    } else if (json_is_integer(v)) {
        n = json_integer_value(v);
    } else if (json_is_real(v) && json_real_value(v) > -9.2e18 && json_real_value(v) < 9.2e18 &&
               json_real_value(v) == (double)(int64_t)json_real_value(v)) {
        /* 6.0 from apps that write every number as double (the range check first: casting
         * 1e300 to an integer is undefined). */
        n = (int64_t)json_real_value(v);
    } else if (json_is_string(v) && json_string_length(v) > 0) {
        char *end;
        errno = 0;
        n = strtoll(json_string_value(v), &end, 10);
        if (errno != 0 || *end != '\0') {
            char shown[96];
            ov_text_excerpt(json_string_value(v), json_string_length(v), 20, shown,
                            sizeof shown);
            return ov_error_set(err, OV_ERR_INVALID, "'%s' is not a number: \"%s\"", key,
                                shown);
        }
    } else {
        return ov_error_set(err, OV_ERR_INVALID, "'%s' is not a number", key);
    }
    if (n < min || n > max)
        return ov_error_set(err, OV_ERR_INVALID, "'%s' is %lld, outside %lld..%lld", key,
                            (long long)n, (long long)min, (long long)max);
    *out = n;
    return OV_OK;
}

bool jf_bool(json_t *obj, const char *key, bool def)
{
    json_t *v = json_object_get(obj, key);
    return json_is_boolean(v) ? json_is_true(v) : def;
}

int jf_parse(const void *data, size_t len, json_t **out, struct ov_error *err)
{
    json_error_t jerr;

    *out = json_loadb(data, len, JSON_DECODE_ANY, &jerr);
    if (*out == NULL) {
        /* jansson quotes the offending text: keep it printable. */
        char shown[sizeof jerr.text * 4];
        ov_text_excerpt(jerr.text, strlen(jerr.text), 80, shown, sizeof shown);
        return ov_error_set(err, OV_ERR_INVALID, "not valid JSON at line %d, column %d: %s",
                            jerr.line, jerr.column, shown);
    }
    return OV_OK;
}

const char *jf_type_name(const json_t *v)
{
    if (v == NULL)
        return "missing";
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "a value";
}

static const char *type_wanted(json_type type)
{
    switch (type) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    default: return "a boolean";
    }
}

int jf_get(json_t *obj, const char *key, json_type type, bool required, json_t **out,
           struct ov_error *err)
{
    json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

    *out = NULL;
    if (v == NULL || json_is_null(v)) {
        if (required)
            return ov_error_set(err, OV_ERR_INVALID, "'%s' is missing", key);
        return OV_OK;
    }
    if (json_typeof(v) != type && !(type == JSON_TRUE && json_is_boolean(v)))
        return ov_error_set(err, OV_ERR_INVALID, "'%s' is %s, expected %s", key,
                            jf_type_name(v), type_wanted(type));
    *out = v;
    return OV_OK;
}

const char *jf_string_req(json_t *obj, const char *key, struct ov_error *err)
{
    json_t *v;

    if (jf_get(obj, key, JSON_STRING, true, &v, err) != OV_OK)
        return NULL;
    return json_string_value(v);
}
