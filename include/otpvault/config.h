/* The YAML config file ($XDG_CONFIG_HOME/otpvault/config.yaml), read with libyaml.
 * A missing file means defaults; a malformed one is an error naming file, line and column. */
#ifndef OTPVAULT_CONFIG_H
#define OTPVAULT_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include "otpvault/error.h"
#include "otpvault/keymap.h"

enum ov_clipboard_method {
    OV_CLIP_AUTO = 0, OV_CLIP_OSC52, OV_CLIP_WLCOPY, OV_CLIP_XCLIP, OV_CLIP_XSEL,
    OV_CLIP_PBCOPY, OV_CLIP_NONE
};
enum ov_color_mode { OV_COLOR_AUTO = 0, OV_COLOR_ALWAYS, OV_COLOR_NEVER };

struct ov_config {
    char *vault_path;             /* NULL: use the default location */
    unsigned lock_timeout;        /* seconds of idle before the TUI locks; 0 = never */
    enum ov_clipboard_method clipboard;
    unsigned clipboard_clear;     /* seconds; 0 = never clear */
    enum ov_color_mode color;
    char *theme;                  /* theme name, "default" */
    int64_t clock_offset;         /* seconds added to the system clock */
    char *backup_dir;             /* NULL: no automatic backups */
    unsigned backup_keep;         /* newest N backups kept */
    unsigned backup_warn_days;    /* warn when the last backup is older */
    unsigned sync_tombstone_days; /* sync.keep_deletions: how long deletions are kept for
                                   * merges (sync.h); 0 = forever */
    struct ov_key_binding *bindings; /* keys: action -> keys, in file order (malloc'd) */
    size_t nbindings;
};

/* Fills c with the defaults (allocates theme; release with ov_config_free). */
void ov_config_defaults(struct ov_config *c);
/* Loads path over the defaults. A missing file is not an error when missing_ok.
 * c must already hold a config (ov_config_defaults, or an earlier load: files layer).
 * Settings the file does not name keep their value in c. On error c is left unchanged and
 * err says "path:line:column: what" (OV_ERR_INVALID), or names the path (OV_ERR_NOT_FOUND,
 * OV_ERR_IO, OV_ERR_LIMIT). */
int ov_config_load(const char *path, bool missing_ok, struct ov_config *c,
                   struct ov_error *err);
/* The same from text already in memory (len bytes, need not be NUL-terminated); name stands
 * for the path in messages. Used by ov_config_load and by the fuzzer. */
int ov_config_load_text(const char *name, const char *text, size_t len, struct ov_config *c,
                        struct ov_error *err);
void ov_config_free(struct ov_config *c);

/* Default paths, honouring OTPVAULT_VAULT, XDG_*_HOME (when absolute) and HOME (else the
 * password database). Returned strings are malloc'd; NULL when no home directory is known. */
char *ov_default_config_path(void);
char *ov_default_vault_path(void);

#endif
