/* JSON output per the contract (design.md section 4), through jansson. */
#include <gcrypt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli_internal.h"
#include "otpvault/codec.h"
#include "otpvault/mem.h"

/* jansson's strings may hold secrets (import --dry-run --json): keep them all in secure
 * memory, wiped on free. */
static void json_secure_free(void *p)
{
    /* What jansson made before the switch below (the callers' arrays) came from malloc and
     * is freed here too. */
    if (p != NULL && !gcry_is_secure(p))
        free(p);
    else
        ov_secure_free_unsized(p);
}

static void use_secure_memory(void)
{
    static int done;
    if (!done) {
        json_set_alloc_funcs(ov_secure_alloc, json_secure_free);
        done = 1;
    }
}

/* Names should be UTF-8; if one is not, show it with '?' for the bad bytes rather than
 * dropping the key, which would break the contract. */
static json_t *json_text(const char *s)
{
    json_t *j = json_string(s);
    if (j == NULL) {
        char *copy = ov_xstrdup(s);
        for (char *p = copy; *p != '\0'; p++)
            if ((unsigned char)*p >= 0x80)
                *p = '?';
        j = json_string(copy);
        free(copy);
    }
    return j;
}

void *cli_json_account(const struct ov_account *a, enum cli_json_secret with_secret)
{
    json_t *o;
    bool hotp = a->type == OV_HOTP;

    use_secure_memory();
    o = json_object();
    json_object_set_new(o, "type", json_string(ov_otp_type_name(a->type)));
    json_object_set_new(o, "issuer", json_text(a->issuer));
    json_object_set_new(o, "name", json_text(a->name));
    if (with_secret == CLI_JSON_WITH_SECRET) {
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
    return o;
}

void cli_json_print_array(void *array)
{
    json_dumpf(array, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(array);
}
