/* Commands about the vault itself: init, passwd, and the list of formats. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_internal.h"
#include "otpvault/export.h"
#include "otpvault/importer.h"
#include "otpvault/mem.h"
#include "otpvault/passphrase.h"

/* --kdf-memory and --kdf-time over the defaults (or the vault's current ones). */
static int kdf_from_options(const struct cli *c, struct ov_kdf_params *kdf)
{
    uint64_t t;

    if (c->kdf_memory != NULL) {
        if (cli_parse_size_kib(c->kdf_memory, &kdf->memory_kib) != 0 ||
            kdf->memory_kib < OV_KDF_MIN_MEMORY_KIB || kdf->memory_kib > OV_KDF_MAX_MEMORY_KIB) {
            cli_error("--kdf-memory: expected a size from %uK to %uG like 64M or 256M, got '%s'",
                      OV_KDF_MIN_MEMORY_KIB, OV_KDF_MAX_MEMORY_KIB / (1024 * 1024),
                      c->kdf_memory);
            return OV_EXIT_USAGE;
        }
        if (kdf->memory_kib < OV_KDF_DEFAULT_MEMORY_KIB)
            cli_warn("a KDF memory below 64 MiB makes the passphrase easier to guess; "
                     "use it only for tests");
    }
    if (c->kdf_time != NULL) {
        if (cli_parse_uint(c->kdf_time, OV_KDF_MAX_TIME, &t) != 0 || t < 1) {
            cli_error("--kdf-time: expected 1 to %u passes, got '%s'", OV_KDF_MAX_TIME,
                      c->kdf_time);
            return OV_EXIT_USAGE;
        }
        kdf->time_cost = (uint32_t)t;
    }
    if (kdf->memory_kib < 8 * kdf->lanes)
        kdf->lanes = 1;
    return OV_EXIT_OK;
}

/* A new passphrase or password: from a file, or typed twice on the terminal. Secure
 * memory. */
char *cli_new_secret(const char *file, const char *what, const char *file_option)
{
    const char *hint;
    char *first, *second;
    char prompt[64];

    if (file != NULL) {
        first = cli_read_passphrase_file(file);
    } else {
        snprintf(prompt, sizeof prompt, "new %s", what);
        first = cli_prompt_secret(prompt, file_option);
        if (first == NULL)
            return NULL;
        snprintf(prompt, sizeof prompt, "repeat the new %s", what);
        second = cli_prompt_secret(prompt, file_option);
        if (second == NULL || strcmp(first, second) != 0) {
            if (second != NULL)
                cli_error("the two %ss differ; nothing was changed", what);
            ov_secure_free_str(first);
            ov_secure_free_str(second);
            return NULL;
        }
        ov_secure_free_str(second);
    }
    if (first != NULL && first[0] == '\0') {
        cli_error("the %s is empty; nothing was changed", what);
        ov_secure_free_str(first);
        return NULL;
    }
    if (first != NULL && ov_passphrase_strength(first, &hint) == OV_STRENGTH_WEAK)
        cli_warn("the %s is %s", what, hint);
    return first;
}

int cmd_init(struct cli *c)
{
    struct ov_kdf_params kdf = { OV_KDF_DEFAULT_MEMORY_KIB, OV_KDF_DEFAULT_TIME,
                                 OV_KDF_DEFAULT_LANES };
    struct ov_error err = { 0 };
    struct ov_vault v;
    struct stat st;
    char *pass;
    int status = kdf_from_options(c, &kdf);

    if (status != OV_EXIT_OK)
        return status;
    if (stat(c->vault_path, &st) == 0) {
        cli_error("%s: a vault already exists there; nothing was changed", c->vault_path);
        return OV_EXIT_FAIL;
    }
    pass = c->passphrase_file != NULL ? cli_read_passphrase_file(c->passphrase_file)
                                      : cli_new_secret(NULL, "passphrase", "--passphrase-file");
    if (pass == NULL)
        return OV_EXIT_FAIL;
    if (pass[0] == '\0') {
        cli_error("%s: the passphrase is empty", c->passphrase_file);
        ov_secure_free_str(pass);
        return OV_EXIT_FAIL;
    }
    if (ov_vault_create(c->vault_path, pass, strlen(pass), &kdf, &v, &err) != OV_OK) {
        ov_secure_free_str(pass);
        return cli_fail(&err);
    }
    ov_secure_free_str(pass);
    ov_vault_close(&v);
    cli_out(stdout, "created %s\n", c->vault_path);
    return OV_EXIT_OK;
}

int cmd_passwd(struct cli *c)
{
    struct ov_error err = { 0 };
    struct ov_vault v;
    struct ov_kdf_params kdf;
    char *pass;
    int status = cli_open_vault(c, &v);

    if (status != OV_EXIT_OK)
        return status;
    kdf = v.kdf;
    status = kdf_from_options(c, &kdf);
    if (status == OV_EXIT_OK) {
        pass = cli_new_secret(c->new_passphrase_file, "passphrase", "--new-passphrase-file");
        if (pass == NULL) {
            status = OV_EXIT_FAIL;
        } else {
            /* Re-encrypts the vault as it is under the lock, not as it was when opened. */
            status = cli_begin_write(&v, NULL);
            if (status == OV_EXIT_OK &&
                ov_vault_change_passphrase(&v, pass, strlen(pass), &kdf, &err) != OV_OK)
                status = cli_fail(&err);
            if (status == OV_EXIT_OK)
                cli_out(stdout, "passphrase changed for %s\n", c->vault_path);
            ov_secure_free_str(pass);
        }
    }
    ov_vault_close(&v);
    return status;
}

int cmd_formats(struct cli *c)
{
    (void)c;
    for (size_t i = 0; ov_importers[i] != NULL; i++)
        cli_out(stdout, "import  %-16s %s%s\n", ov_importers[i]->name, ov_importers[i]->label,
               ov_importers[i]->needs_password ? " [password]" : "");
    for (size_t i = 0; ov_exporters[i] != NULL; i++)
        cli_out(stdout, "export  %-16s %s%s\n", ov_exporters[i]->name, ov_exporters[i]->label,
               ov_exporters[i]->needs_password ? " [password]" : "");
    return OV_EXIT_OK;
}
