/* The full-screen app (src/tui/): started by the command line with no command on a terminal.
 * Not part of the core library; this header keeps curses out of its callers. */
#ifndef OTPVAULT_TUI_H
#define OTPVAULT_TUI_H

#include "otpvault/config.h"
#include "otpvault/qrplan.h"

struct ov_tui_opts {
    const char *vault_path;        /* resolved by the CLI (--vault, env, config, default) */
    const char *passphrase_file;   /* --passphrase-file for the first unlock, or NULL */
    const struct ov_config *config;
};

/* Runs the app until the user quits or a signal ends it. Returns an exit status (0; 3 after
 * too many wrong passphrases; 1 when the terminal cannot be used; 128 + signal). */
int ov_tui_main(const struct ov_tui_opts *opts);

/* Shows QR pages full screen on the alternate screen, black on white with a quiet zone
 * whatever the theme: n / Space / Right next, p / Left previous, q / Esc / Ctrl-C quits; a
 * terminal too small says how big it must be. Nothing stays in the scrollback. Returns an
 * exit status (0; 1 when the terminal cannot be used; 128 + signal). */
int ov_tui_show_qr(const struct ov_qr_plan *plan);

#endif
