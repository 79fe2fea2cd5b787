/* otpvault's own files: a vault, or a backup (which is a vault file), read with its
 * passphrase. Recognised by the magic and a header that decodes, before any other format
 * is asked (import_registry.c), so no sniffer of a format without a magic claims them.
 * Accounts keep their ids and change times (sync.h): an account imported from a backup of
 * this same vault is the same account to a later merge. */
#include <string.h>

#include "otpvault/importer.h"
#include "otpvault/vault.h"
#include "otpvault/vault_format.h"

static int otpvault_sniff(const struct ov_blob *in)
{
    struct ov_vault_header h;

    if (in->len < 8 || memcmp(in->data, OV_VAULT_MAGIC, 8) != 0)
        return 0;
    return ov_vault_header_decode(in->data, in->len, &h, NULL) == OV_OK ? 100 : 0;
}

static bool otpvault_is_encrypted(const struct ov_blob *in)
{
    (void)in;
    return true;   /* always: a vault is never plain */
}

static int otpvault_load(const struct ov_blob *in, struct ov_import_opts *opts,
                         struct ov_account_list *out, struct ov_error *err)
{
    struct ov_vault v;
    int rc;

    if (opts->password == NULL)
        return ov_error_set(err, OV_ERR_AUTH, "a passphrase is needed: otpvault vaults and "
                            "backups are always encrypted (the vault's passphrase, or the "
                            "backup's own)");
    rc = ov_vault_decode(in->data, in->len, in->name, opts->password, opts->password_len, &v,
                         err);
    if (rc != OV_OK)
        return rc;
    /* Exactly as stored (no label rule: these are already ours, and were validated). */
    for (size_t i = 0; i < v.accounts.len; i++) {
        struct ov_account a;
        ov_account_copy(&a, &v.accounts.items[i]);
        ov_account_list_push(out, &a);
    }
    ov_vault_close(&v);
    (void)opts;
    return OV_OK;
}

const struct ov_importer ov_importer_otpvault = {
    .name = "otpvault",
    .label = "otpvault vault or backup (.otpv, encrypted)",
    .sniff = otpvault_sniff, .load = otpvault_load,
    .needs_password = true, .is_encrypted = otpvault_is_encrypted,
};
