/* libFuzzer target: the YAML config (ov_config_load_text, what ov_config_load runs on the
 * file's bytes). A config that fails must leave the settings as they were. */
#include "fuzz.h"
#include "otpvault/config.h"

static void fuzz_seeds(void)
{
    fuzz_seed_str("gen-full",
                  "vault: ~/secrets/vault.otpv\nlock_timeout: 5m\nclock_offset: -3\n"
                  "clipboard:\n  method: osc52\n  clear_after: 30s\ntheme:\n  name: default\n"
                  "  color: never\nbackup:\n  dir: /media/usb\n  keep: 10\n  warn_after: 7d\n"
                  "keys:\n  copy: c\n  down: \"j Down C-n\"\n  undo: none\n");
    fuzz_seed_str("gen-flow", "{clipboard: {method: none}, keys: {quit: [q, C-c]}}\n");
    fuzz_seed_str("gen-anchors", "a: &x {method: auto}\nclipboard: *x\n---\n...\n");
    fuzz_seed_str("gen-tags", "lock_timeout: !!int 0x10\n\"vault\": '/v'\n? theme\n: {}\n");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ov_config c;
    struct ov_error err;

    ov_config_defaults(&c);
    if (ov_config_load_text("fuzz.yaml", (const char *)data, size, &c, &err) != OV_OK &&
        (c.vault_path != NULL || c.nbindings != 0 || c.backup_dir != NULL ||
         strcmp(c.theme, "default") != 0)) {
        fprintf(stderr, "a failed load changed the settings\n");
        abort();
    }
    ov_config_free(&c);
    return 0;
}
