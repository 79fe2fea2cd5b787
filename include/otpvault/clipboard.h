/* Copying a code: which method to use (OSC 52 over SSH or when configured, wrapped for tmux;
 * else wl-copy, xclip, xsel or pbcopy, whichever is installed), the OSC 52 bytes, running a
 * tool with the text on a pipe (never in argv), and clearing later only where the clipboard
 * can be read back and still holds what we put there. The caller writes OSC 52 bytes to the
 * terminal itself: the core never prints. */
#ifndef OTPVAULT_CLIPBOARD_H
#define OTPVAULT_CLIPBOARD_H

#include <stdbool.h>
#include <stddef.h>
#include "otpvault/config.h"
#include "otpvault/error.h"

/* What the choice depends on; ov_clip_env_from_process fills it from getenv. */
struct ov_clip_env {
    const char *ssh_connection, *ssh_tty, *tmux, *wayland_display, *display, *path;
};

struct ov_clip_choice {
    enum ov_clipboard_method method;  /* never OV_CLIP_AUTO */
    bool tmux;                        /* OSC 52: wrap in a tmux passthrough */
    const char *why;                  /* "over SSH", "configured", "no clipboard tool" */
};

void ov_clip_env_from_process(struct ov_clip_env *env);
void ov_clipboard_choose(enum ov_clipboard_method configured, const struct ov_clip_env *env,
                         struct ov_clip_choice *out);
/* "OSC 52 (tmux)", "wl-copy", "none": for the status line. */
void ov_clipboard_describe(const struct ov_clip_choice *c, char *out, size_t n);
/* Whether program is an executable file in one of path's directories. */
bool ov_program_in_path(const char *program, const char *path);

/* ESC ] 52 ; c ; base64(text) BEL, and with tmux: ESC P tmux; <that, ESC doubled> ESC \.
 * Returns a secure-memory buffer (free with ov_secure_free(buf, *len)). */
char *ov_osc52_sequence(const char *text, size_t text_len, bool tmux, size_t *len);

/* Runs the tool of method (wl-copy, xclip, xsel, pbcopy) with text on its stdin.
 * The tool is looked up in the process's PATH. */
int ov_clipboard_copy_tool(enum ov_clipboard_method method, const char *text, size_t len,
                           struct ov_error *err);
/* Whether the method's clipboard can be read back (so that a clear can be checked). */
bool ov_clipboard_can_read_back(enum ov_clipboard_method method);
/* Empties the clipboard if it still holds exactly text (read back with wl-paste, xclip -o,
 * xsel -o or pbpaste). *cleared says whether it did; OV_ERR_UNSUPPORTED when the method
 * cannot read back. */
int ov_clipboard_clear_if_ours(enum ov_clipboard_method method, const char *text, size_t len,
                               bool *cleared, struct ov_error *err);

#endif
