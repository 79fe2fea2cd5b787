/* Battle.net Authenticator's internal preferences (formats.md 14), copied from a rooted
 * phone: com.blizzard.messenger.authenticator_preferences.xml. The serial and the device
 * secret are hex strings XOR-masked with a fixed key (57 bytes: formats.md says 56, but the
 * key it quotes, Aegis' and every other tool's is 57); the unmasked secret is itself hex
 * text (20 bytes). The older app (com.blizzard.bma, AUTH_STORE.xml) masked both at once:
 * AUTH_STORE.HASH unmasks to 40 hex characters of secret followed by the serial.
 * One account: TOTP SHA1, 8 digits, 30 s, issuer "Battle.net". */
#include <string.h>

#include "lib/android_prefs.h"
#include "otpvault/codec.h"
#include "otpvault/importer.h"
#include "otpvault/mem.h"

#define PREFIX "com.blizzard.messenger."
#define KEY_SERIAL PREFIX "AUTHENTICATOR_SERIAL"
#define KEY_SECRET PREFIX "AUTHENTICATOR_DEVICE_SECRET"
#define KEY_ENCRYPTION PREFIX "AUTHENTICATOR_CREDENTIALS_ENCRYPTION_TYPE"
#define KEY_OLD_HASH "com.blizzard.bma.AUTH_STORE.HASH"
#define OLD_SECRET_HEX 40

static const uint8_t mask[57] = {
    0x39, 0x8e, 0x27, 0xfc, 0x50, 0x27, 0x6a, 0x65, 0x60, 0x65, 0xb0, 0xe5, 0x25, 0xf4,
    0xc0, 0x6c, 0x04, 0xc6, 0x10, 0x75, 0x28, 0x6b, 0x8e, 0x7a, 0xed, 0xa5, 0x9d, 0xa9,
    0x81, 0x3b, 0x5d, 0xd6, 0xc8, 0x0d, 0x2f, 0xb3, 0x80, 0x68, 0x77, 0x3f, 0xa5, 0x9b,
    0xa4, 0x7c, 0x17, 0xca, 0x6c, 0x64, 0x79, 0x01, 0x5c, 0x1d, 0x5b, 0x8b, 0x8f, 0x6b,
    0x9a,
};

static int battlenet_sniff(const struct ov_blob *in)
{
    return ov_prefs_has_key(in, KEY_SECRET) || ov_prefs_has_key(in, KEY_SERIAL) ||
                   ov_prefs_has_key(in, KEY_OLD_HASH)
               ? 95
               : 0;
}

/* hex(masked) -> the masked bytes XOR the key, as NUL-terminated text in out (secure
 * memory, sizeof mask + 1 bytes). */
static int unmask(const struct ov_prefs *prefs, const char *key, char *out,
                  struct ov_error *err)
{
    const struct ov_prefs_string *s = ov_prefs_get(prefs, key);
    size_t len = 0;
    int rc;

    if (s == NULL)
        return ov_error_set(err, OV_ERR_INVALID, "no %s entry", key);
    if (s->value_len == 0 || s->value_len % 2 != 0 || s->value_len / 2 > sizeof mask)
        return ov_error_set(err, OV_ERR_INVALID, "%s is %zu characters, not the hex of at "
                            "most %zu masked bytes", key, s->value_len, sizeof mask);
    rc = ov_hex_decode(s->value, s->value_len, (uint8_t *)out, &len, err);
    if (rc != OV_OK) {
        ov_error_prefix(err, "%s", key);
        return rc;
    }
    for (size_t i = 0; i < len; i++)
        out[i] = (char)((uint8_t)out[i] ^ mask[i]);
    out[len] = '\0';
    if (strlen(out) != len)
        return ov_error_set(err, OV_ERR_INVALID, "%s does not unmask to text", key);
    return OV_OK;
}

static bool printable(const char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
            return false;
    return true;
}

/* serial (NUL-terminated) and hex text of the secret, from either app's keys. */
static int unmask_both(const struct ov_prefs *prefs, char *serial, char *hex,
                       struct ov_error *err)
{
    const struct ov_prefs_string *enc = ov_prefs_get(prefs, KEY_ENCRYPTION);
    int rc;

    if (ov_prefs_get(prefs, KEY_SECRET) == NULL && ov_prefs_get(prefs, KEY_OLD_HASH) != NULL) {
        rc = unmask(prefs, KEY_OLD_HASH, hex, err);
        if (rc == OV_OK && strlen(hex) <= OLD_SECRET_HEX)
            rc = ov_error_set(err, OV_ERR_INVALID, "%s is too short to hold a secret and a "
                              "serial", KEY_OLD_HASH);
        if (rc == OV_OK) {
            strcpy(serial, hex + OLD_SECRET_HEX);
            hex[OLD_SECRET_HEX] = '\0';
        }
        return rc;
    }
    /* Only masking is known; anything else would unmask to garbage. */
    if (enc != NULL && strcmp(enc->value, "MASK") != 0)
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "credentials protected by \"%.20s\" "
                            "(only MASK is known)", enc->value);
    rc = unmask(prefs, KEY_SERIAL, serial, err);
    if (rc == OV_OK)
        rc = unmask(prefs, KEY_SECRET, hex, err);
    return rc;
}

static int read_account(const struct ov_prefs *prefs, struct ov_account *a,
                        struct ov_error *err)
{
    char serial[sizeof mask + 1];
    char *hex = ov_secure_alloc(sizeof mask + 1);
    uint8_t *secret = ov_secure_alloc(sizeof mask);
    size_t secret_len = 0;
    int rc = unmask_both(prefs, serial, hex, err);

    if (rc == OV_OK && (serial[0] == '\0' || !printable(serial)))
        rc = ov_error_set(err, OV_ERR_INVALID, "the serial does not unmask to text");
    if (rc == OV_OK && ov_hex_decode(hex, strlen(hex), secret, &secret_len, err) != OV_OK)
        rc = ov_error_set(err, OV_ERR_INVALID, "the device secret does not unmask to hex");
    if (rc == OV_OK) {
        a->type = OV_TOTP;
        a->algo = OV_SHA1;
        a->digits = 8;
        a->period = 30;
        ov_account_set_text(&a->issuer, "Battle.net");
        ov_account_set_text(&a->name, serial);
        ov_account_set_secret(a, secret, secret_len);
        rc = ov_account_validate(a, err);
    }
    ov_secure_free(secret, sizeof mask);
    ov_secure_free(hex, sizeof mask + 1);
    return rc;
}

static int battlenet_load(const struct ov_blob *in, struct ov_import_opts *opts,
                          struct ov_account_list *out, struct ov_error *err)
{
    struct ov_prefs prefs;
    struct ov_account a;
    int rc = ov_prefs_parse(in, &prefs, err);

    if (rc != OV_OK)
        return rc;
    ov_account_init(&a);
    rc = read_account(&prefs, &a, err);
    if (rc == OV_OK)
        ov_account_list_push(out, &a);
    ov_account_free(&a);
    ov_prefs_free(&prefs);
    return rc;
}

const struct ov_importer ov_importer_battlenet = {
    .name = "battlenet",
    .label = "Battle.net Authenticator internal preferences (masked serial and secret)",
    .sniff = battlenet_sniff, .load = battlenet_load,
};
