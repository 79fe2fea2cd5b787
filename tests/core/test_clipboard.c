/* Clipboard: method choice from the environment, OSC 52 bytes (plain and wrapped for tmux),
 * and the tool path end to end with stand-in wl-copy/wl-paste scripts that keep the
 * "clipboard" in a file, so no display is needed. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "otpvault/clipboard.h"
#include "otpvault/crypto.h"
#include "otpvault/mem.h"

static char dir[] = "/tmp/otpvault-clip-XXXXXX";
static char bin[sizeof dir + 8], store[sizeof dir + 16], argv_log[sizeof dir + 16];

static void write_script(const char *name, const char *body)
{
    char path[256];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", bin, name);
    f = fopen(path, "w");
    cr_assert_not_null(f);
    fprintf(f, "#!/bin/sh\n%s\n", body);
    fclose(f);
    chmod(path, 0755);
}

static void setup(void)
{
    cr_assert_eq(ov_crypto_init(), 0);
}

static void tools_setup(void)
{
    char body[512];
    setup();
    cr_assert_not_null(mkdtemp(dir));
    snprintf(bin, sizeof bin, "%s/bin", dir);
    snprintf(store, sizeof store, "%s/clipboard", dir);
    snprintf(argv_log, sizeof argv_log, "%s/argv", dir);
    mkdir(bin, 0700);
    /* wl-copy: stdin -> store (or --clear empties it); every argv is logged. */
    snprintf(body, sizeof body,
             "echo \"$@\" >> %s\nif [ \"$1\" = --clear ]; then : > %s; else /bin/cat > %s; fi",
             argv_log, store, store);
    write_script("wl-copy", body);
    snprintf(body, sizeof body, "/bin/cat %s", store);
    write_script("wl-paste", body);
    setenv("PATH", bin, 1);
}

static void tools_teardown(void)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "/bin/rm -rf %s", dir);
    if (system(cmd) != 0)
        cr_log_warn("could not remove %s", dir);
}

static char *slurp(const char *path)
{
    static char buf[1024];
    FILE *f = fopen(path, "r");
    size_t n = 0;
    buf[0] = '\0';
    if (f != NULL) {
        n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
    }
    buf[n] = '\0';
    return buf;
}

TestSuite(clipboard, .init = setup);
TestSuite(clipboard_tools, .init = tools_setup, .fini = tools_teardown);

static const struct ov_clip_env bare = { NULL, NULL, NULL, NULL, NULL, "/nonexistent", NULL, NULL };

Test(clipboard, osc52_over_ssh_and_wrapped_for_tmux)
{
    struct ov_clip_env env = bare;
    struct ov_clip_choice c;
    char desc[64];

    env.ssh_connection = "10.0.0.1 50000 10.0.0.2 22";
    env.display = ":0";
    env.path = "/usr/bin:/bin";
    ov_clipboard_choose(OV_CLIP_AUTO, &env, &c);
    cr_assert_eq(c.method, OV_CLIP_OSC52);
    cr_assert_not(c.tmux);
    cr_assert_str_eq(c.why, "over SSH");
    env.ssh_connection = NULL;
    env.ssh_tty = "/dev/pts/3";
    env.tmux = "/tmp/tmux-0/default,123,0";
    env.tmux_allow_passthrough = "on";
    ov_clipboard_choose(OV_CLIP_AUTO, &env, &c);
    cr_assert_eq(c.method, OV_CLIP_OSC52);
    cr_assert(c.tmux, "wrapped for tmux's passthrough");
    cr_assert_eq(c.tmux_route, OV_TMUX_PASSTHROUGH);
    ov_clipboard_describe(&c, desc, sizeof desc);
    cr_assert_str_eq(desc, "OSC 52 via tmux");
    env.tmux_set_clipboard = "on";
    ov_clipboard_choose(OV_CLIP_AUTO, &env, &c);
    cr_assert_not(c.tmux, "set-clipboard on takes the plain sequence");
    cr_assert_eq(c.tmux_route, OV_TMUX_SET_CLIPBOARD);
    env.tmux_set_clipboard = "external";
    env.tmux_allow_passthrough = "off";
    ov_clipboard_choose(OV_CLIP_AUTO, &env, &c);
    cr_assert_eq(c.tmux_route, OV_TMUX_BLOCKED);
    ov_clipboard_describe(&c, desc, sizeof desc);
    cr_assert_str_eq(desc, "OSC 52 blocked by tmux");
}

/* tmux lets an application's OSC 52 through with set-clipboard on (plain) or with
 * allow-passthrough on or all (wrapped); its defaults (external, off) drop it. */
Test(clipboard, tmux_route_follows_its_options)
{
    static const struct {
        const char *set_clipboard, *allow_passthrough;
        enum ov_tmux_route route;
    } cases[] = {
        { "on", "off", OV_TMUX_SET_CLIPBOARD },   { "on", "on", OV_TMUX_SET_CLIPBOARD },
        { "external", "on", OV_TMUX_PASSTHROUGH }, { "off", "all", OV_TMUX_PASSTHROUGH },
        { "external", "off", OV_TMUX_BLOCKED },    { "off", "off", OV_TMUX_BLOCKED },
        /* tmux before 3.3 has no allow-passthrough (no answer) and passes it through. */
        { "external", NULL, OV_TMUX_PASSTHROUGH }, { NULL, NULL, OV_TMUX_PASSTHROUGH },
        { NULL, "on", OV_TMUX_PASSTHROUGH },       { NULL, "off", OV_TMUX_BLOCKED },
    };

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        cr_assert_eq(ov_tmux_route(cases[i].set_clipboard, cases[i].allow_passthrough),
                     cases[i].route, "case %zu", i);
}

Test(clipboard, configured_method_wins)
{
    struct ov_clip_env env = bare;
    struct ov_clip_choice c;
    env.ssh_tty = "/dev/pts/3";
    ov_clipboard_choose(OV_CLIP_XSEL, &env, &c);
    cr_assert_eq(c.method, OV_CLIP_XSEL);
    ov_clipboard_choose(OV_CLIP_NONE, &env, &c);
    cr_assert_eq(c.method, OV_CLIP_NONE);
    ov_clipboard_choose(OV_CLIP_OSC52, &bare, &c);
    cr_assert_eq(c.method, OV_CLIP_OSC52);
    cr_assert_str_eq(c.why, "configured");
}

Test(clipboard_tools, local_tools_need_their_display)
{
    struct ov_clip_env env = bare;
    struct ov_clip_choice c;
    env.path = bin;
    /* wl-copy is installed, but without WAYLAND_DISPLAY it cannot work: OSC 52 fallback. */
    ov_clipboard_choose(OV_CLIP_AUTO, &env, &c);
    cr_assert_eq(c.method, OV_CLIP_OSC52);
    cr_assert_str_eq(c.why, "no clipboard tool found");
    env.wayland_display = "wayland-0";
    ov_clipboard_choose(OV_CLIP_AUTO, &env, &c);
    cr_assert_eq(c.method, OV_CLIP_WLCOPY);
    /* xclip comes next when there is an X display and no Wayland. */
    write_script("xclip", "/bin/cat > /dev/null");
    env.wayland_display = NULL;
    env.display = ":1";
    ov_clipboard_choose(OV_CLIP_AUTO, &env, &c);
    cr_assert_eq(c.method, OV_CLIP_XCLIP);
    write_script("pbcopy", "/bin/cat > /dev/null");
    env.display = NULL;
    ov_clipboard_choose(OV_CLIP_AUTO, &env, &c);
    cr_assert_eq(c.method, OV_CLIP_PBCOPY);
    cr_assert(ov_program_in_path("pbcopy", env.path));
    cr_assert_not(ov_program_in_path("pbpaste", env.path));
}

Test(clipboard, osc52_bytes)
{
    size_t len;
    char *seq = ov_osc52_sequence("492039", 6, false, &len);
    /* base64("492039") = "NDkyMDM5" */
    cr_assert_eq(len, strlen("\033]52;c;NDkyMDM5\a"));
    cr_assert_eq(memcmp(seq, "\033]52;c;NDkyMDM5\a", len), 0);
    ov_secure_free(seq, len);
    seq = ov_osc52_sequence("12345678", 8, true, &len);
    const char *want = "\033Ptmux;\033\033]52;c;MTIzNDU2Nzg=\a\033\\";
    cr_assert_eq(len, strlen(want));
    cr_assert_eq(memcmp(seq, want, len), 0);
    ov_secure_free(seq, len);
}

Test(clipboard_tools, copy_through_a_pipe_then_clear_only_if_still_ours)
{
    struct ov_error err = { 0 };
    bool cleared;

    cr_assert_eq(ov_clipboard_copy_tool(OV_CLIP_WLCOPY, "492039", 6, &err), OV_OK, "%s",
                 err.msg);
    cr_assert_str_eq(slurp(store), "492039");
    /* The code went through stdin: the tool's argv never held it. */
    cr_assert_null(strstr(slurp(argv_log), "492039"));
    cr_assert(ov_clipboard_can_read_back(OV_CLIP_WLCOPY));
    cr_assert_eq(ov_clipboard_clear_if_ours(OV_CLIP_WLCOPY, "492039", 6, &cleared, &err),
                 OV_OK, "%s", err.msg);
    cr_assert(cleared);
    cr_assert_str_eq(slurp(store), "");

    /* Something else copied since: left alone. */
    cr_assert_eq(ov_clipboard_copy_tool(OV_CLIP_WLCOPY, "my other text", 13, &err), OV_OK);
    cr_assert_eq(ov_clipboard_clear_if_ours(OV_CLIP_WLCOPY, "492039", 6, &cleared, &err),
                 OV_OK);
    cr_assert_not(cleared);
    cr_assert_str_eq(slurp(store), "my other text");
}

Test(clipboard_tools, failures_are_reported)
{
    struct ov_error err = { 0 };
    bool cleared;
    cr_assert_eq(ov_clipboard_copy_tool(OV_CLIP_XSEL, "1", 1, &err), OV_ERR_IO);
    cr_assert(strstr(err.msg, "xsel") != NULL, "%s", err.msg);
    write_script("xsel", "exit 3");
    cr_assert_eq(ov_clipboard_copy_tool(OV_CLIP_XSEL, "1", 1, &err), OV_ERR_IO);
    cr_assert(strstr(err.msg, "exit status 3") != NULL, "%s", err.msg);
    cr_assert_not(ov_clipboard_can_read_back(OV_CLIP_OSC52));
    cr_assert_eq(ov_clipboard_clear_if_ours(OV_CLIP_OSC52, "1", 1, &cleared, &err),
                 OV_ERR_UNSUPPORTED);
}
