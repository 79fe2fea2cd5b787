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

/* What the choice depends on; ov_clip_env_from_process fills it from getenv, and
 * ov_clip_env_ask_tmux, inside tmux, from the tmux server (tmux show -gv): its set-clipboard
 * and allow-passthrough options (NULL when tmux did not answer, or has no such option). */
struct ov_clip_env {
    const char *ssh_connection, *ssh_tty, *tmux, *wayland_display, *display, *path;
    const char *tmux_set_clipboard, *tmux_allow_passthrough;
};

/* How an OSC 52 copy gets out of tmux. tmux takes a plain OSC 52 from an application only
 * with set-clipboard on (it then keeps a buffer and tells the terminal); with "external",
 * its default, and "off" it drops it. A passthrough-wrapped one reaches the terminal only
 * with allow-passthrough on (off by default in tmux 3.3). */
enum ov_tmux_route {
    OV_TMUX_NONE = 0,          /* not inside tmux */
    OV_TMUX_SET_CLIPBOARD,     /* plain OSC 52 */
    OV_TMUX_PASSTHROUGH,       /* wrapped in ESC P tmux; ... ESC \ */
    OV_TMUX_BLOCKED,           /* neither: the copy cannot arrive */
};

/* The route for those two option values (NULL: unknown; a tmux without allow-passthrough,
 * before 3.3, passes it through). */
enum ov_tmux_route ov_tmux_route(const char *set_clipboard, const char *allow_passthrough);
/* The one line of ~/.tmux.conf that lets a copy through. */
#define OV_TMUX_FIX "set -g set-clipboard on"

struct ov_clip_choice {
    enum ov_clipboard_method method;  /* never OV_CLIP_AUTO */
    bool tmux;                        /* OSC 52: wrap in a tmux passthrough */
    enum ov_tmux_route tmux_route;    /* OSC 52 inside tmux: how (or whether) it gets out */
    const char *why;                  /* "over SSH", "configured", "no clipboard tool" */
};

void ov_clip_env_from_process(struct ov_clip_env *env);
/* Runs tmux (twice, bounded by the tool timeout): only worth it when OSC 52 is the method. */
void ov_clip_env_ask_tmux(struct ov_clip_env *env);
void ov_clipboard_choose(enum ov_clipboard_method configured, const struct ov_clip_env *env,
                         struct ov_clip_choice *out);
/* "OSC 52", "OSC 52 via tmux", "OSC 52 blocked by tmux", "wl-copy", "none": for the status
 * line. */
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
