/* Clipboard methods (see clipboard.h). Tools are started with posix_spawnp and get the text
 * through a pipe, so it never shows in argv (ps) or the environment. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "otpvault/clipboard.h"
#include "otpvault/codec.h"
#include "otpvault/mem.h"

extern char **environ;

#define TOOL_TIMEOUT_MS 2000
#define READ_BACK_MAX 4096

struct tool {
    enum ov_clipboard_method method;
    const char *copy[5];    /* argv that reads the text on stdin */
    const char *paste[5];   /* argv that prints the clipboard, NULL when none */
    const char *clear[5];   /* argv that empties it (stdin is an empty pipe) */
    const char *needs_env;  /* the display it talks to: WAYLAND_DISPLAY, DISPLAY, none */
};

static const struct tool tools[] = {
    { OV_CLIP_WLCOPY, { "wl-copy", NULL }, { "wl-paste", "--no-newline", NULL },
      { "wl-copy", "--clear", NULL }, "WAYLAND_DISPLAY" },
    { OV_CLIP_XCLIP, { "xclip", "-selection", "clipboard", "-in", NULL },
      { "xclip", "-selection", "clipboard", "-out", NULL },
      { "xclip", "-selection", "clipboard", "-in", NULL }, "DISPLAY" },
    { OV_CLIP_XSEL, { "xsel", "--clipboard", "--input", NULL },
      { "xsel", "--clipboard", "--output", NULL }, { "xsel", "--clipboard", "--clear", NULL },
      "DISPLAY" },
    { OV_CLIP_PBCOPY, { "pbcopy", NULL }, { "pbpaste", NULL }, { "pbcopy", NULL }, NULL },
};

static const struct tool *tool_of(enum ov_clipboard_method m)
{
    for (size_t i = 0; i < sizeof tools / sizeof *tools; i++)
        if (tools[i].method == m)
            return &tools[i];
    return NULL;
}

static const char *nonempty(const char *s)
{
    return s != NULL && s[0] != '\0' ? s : NULL;
}

static int read_output(const char *const *argv, char **out, size_t *out_len,
                       struct ov_error *err);

/* One option of the tmux server this process runs under (tmux show -gv NAME), into out;
 * NULL when tmux does not answer within the tool timeout. */
static const char *tmux_option(const char *name, char *out, size_t n)
{
    const char *argv[] = { "tmux", "show-options", "-gv", name, NULL };
    struct ov_error err = { 0 };
    char *text;
    size_t len;

    if (read_output(argv, &text, &len, &err) != OV_OK)
        return NULL;
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        len--;
    if (len == 0 || len >= n) {
        ov_secure_free(text, READ_BACK_MAX + 1);
        return NULL;
    }
    memcpy(out, text, len);
    out[len] = '\0';
    ov_secure_free(text, READ_BACK_MAX + 1);
    return out;
}

void ov_clip_env_from_process(struct ov_clip_env *env)
{
    env->ssh_connection = nonempty(getenv("SSH_CONNECTION"));
    env->ssh_tty = nonempty(getenv("SSH_TTY"));
    env->tmux = nonempty(getenv("TMUX"));
    env->wayland_display = nonempty(getenv("WAYLAND_DISPLAY"));
    env->display = nonempty(getenv("DISPLAY"));
    env->path = getenv("PATH");
    env->tmux_set_clipboard = env->tmux_allow_passthrough = NULL;
}

void ov_clip_env_ask_tmux(struct ov_clip_env *env)
{
    static char set_clipboard[32], allow_passthrough[32];

    if (env->tmux == NULL)
        return;
    env->tmux_set_clipboard = tmux_option("set-clipboard", set_clipboard, sizeof set_clipboard);
    env->tmux_allow_passthrough = tmux_option("allow-passthrough", allow_passthrough,
                                              sizeof allow_passthrough);
}

enum ov_tmux_route ov_tmux_route(const char *set_clipboard, const char *allow_passthrough)
{
    if (set_clipboard != NULL && strcmp(set_clipboard, "on") == 0)
        return OV_TMUX_SET_CLIPBOARD;
    /* tmux before 3.3 has no allow-passthrough and passes everything through; a tmux that
     * did not answer at all gets the old default too. Only an explicit "off" blocks. */
    if (allow_passthrough == NULL || strcmp(allow_passthrough, "off") != 0)
        return OV_TMUX_PASSTHROUGH;
    return OV_TMUX_BLOCKED;
}

bool ov_program_in_path(const char *program, const char *path)
{
    char dir[4096];

    if (path == NULL)
        path = "/usr/bin:/bin";
    while (*path != '\0') {
        const char *end = strchr(path, ':');
        size_t n = end != NULL ? (size_t)(end - path) : strlen(path);
        struct stat st;
        if (n > 0 && n + strlen(program) + 2 < sizeof dir) {
            snprintf(dir, sizeof dir, "%.*s/%s", (int)n, path, program);
            if (stat(dir, &st) == 0 && S_ISREG(st.st_mode) && access(dir, X_OK) == 0)
                return true;
        }
        path += n + (end != NULL);
    }
    return false;
}

static bool tool_usable(const struct tool *t, const struct ov_clip_env *env)
{
    const char *display = NULL;

    if (t->needs_env != NULL)
        display = strcmp(t->needs_env, "DISPLAY") == 0 ? env->display : env->wayland_display;
    return (t->needs_env == NULL || display != NULL) && ov_program_in_path(t->copy[0], env->path);
}

void ov_clipboard_choose(enum ov_clipboard_method configured, const struct ov_clip_env *env,
                         struct ov_clip_choice *out)
{
    out->tmux_route = env->tmux != NULL
                          ? ov_tmux_route(env->tmux_set_clipboard, env->tmux_allow_passthrough)
                          : OV_TMUX_NONE;
    out->tmux = out->tmux_route == OV_TMUX_PASSTHROUGH;
    if (configured != OV_CLIP_AUTO) {
        out->method = configured;
        out->why = "configured";
        return;
    }
    /* Over SSH a local tool would fill the server's clipboard, not the user's. */
    if (env->ssh_connection != NULL || env->ssh_tty != NULL) {
        out->method = OV_CLIP_OSC52;
        out->why = "over SSH";
        return;
    }
    for (size_t i = 0; i < sizeof tools / sizeof *tools; i++) {
        if (tool_usable(&tools[i], env)) {
            out->method = tools[i].method;
            out->why = "found";
            return;
        }
    }
    /* Many terminals accept OSC 52 locally too; it is the best remaining chance. */
    out->method = OV_CLIP_OSC52;
    out->why = "no clipboard tool found";
}

void ov_clipboard_describe(const struct ov_clip_choice *c, char *out, size_t n)
{
    const struct tool *t = tool_of(c->method);

    if (c->method == OV_CLIP_OSC52)
        snprintf(out, n, "OSC 52%s", c->tmux_route == OV_TMUX_BLOCKED   ? " blocked by tmux"
                                     : c->tmux_route == OV_TMUX_NONE ? ""
                                                                     : " via tmux");
    else if (t != NULL)
        snprintf(out, n, "%s", t->copy[0]);
    else
        snprintf(out, n, "none");
}

char *ov_osc52_sequence(const char *text, size_t text_len, bool tmux, size_t *len)
{
    static const char head[] = "\033]52;c;", tail[] = "\a";
    static const char tmux_head[] = "\033Ptmux;", tmux_tail[] = "\033\\";
    size_t b64 = ov_base64_encoded_len(text_len);
    size_t plain_len = sizeof head - 1 + b64 + sizeof tail - 1;
    /* Worst case with tmux: every ESC of the inner sequence doubled (there is one). */
    size_t cap = plain_len + 1 + sizeof tmux_head + sizeof tmux_tail + 1;
    char *out = ov_secure_alloc(cap), *p = out;

    if (tmux) {
        memcpy(p, tmux_head, sizeof tmux_head - 1);
        p += sizeof tmux_head - 1;
        *p++ = '\033'; /* tmux passes "ESC ESC" through as one ESC */
    }
    memcpy(p, head, sizeof head - 1);
    p += sizeof head - 1;
    ov_base64_encode((const uint8_t *)text, text_len, p, 0);
    p += b64;
    memcpy(p, tail, sizeof tail - 1);
    p += sizeof tail - 1;
    if (tmux) {
        memcpy(p, tmux_tail, sizeof tmux_tail - 1);
        p += sizeof tmux_tail - 1;
    }
    *p = '\0';
    *len = (size_t)(p - out);
    return out;
}

static long ms_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* Waits for pid up to TOOL_TIMEOUT_MS; a tool that hangs (no display answering) is killed.
 * Returns its exit status, or -1. */
static int wait_tool(pid_t pid)
{
    struct timespec start;
    int status;

    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        if (r < 0 && errno != EINTR)
            return -1;
        if (ms_since(&start) > TOOL_TIMEOUT_MS) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return -1;
        }
        nanosleep(&(struct timespec){ 0, 5 * 1000 * 1000 }, NULL);
    }
}

/* Starts argv with stdin from in_fd and stdout to out_fd (-1: /dev/null); stderr is dropped
 * so a tool's complaints cannot scribble over the full-screen app. */
static int spawn_tool(const char *const *argv, int in_fd, int out_fd, pid_t *pid,
                      struct ov_error *err)
{
    posix_spawn_file_actions_t fa;
    int rc;

    posix_spawn_file_actions_init(&fa);
    if (in_fd >= 0)
        posix_spawn_file_actions_adddup2(&fa, in_fd, STDIN_FILENO);
    else
        posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    if (out_fd >= 0)
        posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
    else
        posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    rc = posix_spawnp(pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return ov_error_set(err, OV_ERR_IO, "%s: %s", argv[0], strerror(rc));
    return OV_OK;
}

static int write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Runs argv with text on its stdin. */
static int run_with_input(const char *const *argv, const char *text, size_t len,
                          struct ov_error *err)
{
    int fds[2] = { -1, -1 }, rc, status;
    pid_t pid;
    void (*old_pipe)(int);

    if (pipe2(fds, O_CLOEXEC) != 0)
        return ov_error_set(err, OV_ERR_IO, "pipe: %s", strerror(errno));
    rc = spawn_tool(argv, fds[0], -1, &pid, err);
    close(fds[0]);
    if (rc != OV_OK) {
        close(fds[1]);
        return rc;
    }
    /* A tool that dies early must not kill us with SIGPIPE. */
    old_pipe = signal(SIGPIPE, SIG_IGN);
    rc = write_all(fds[1], text, len);
    close(fds[1]);
    signal(SIGPIPE, old_pipe);
    status = wait_tool(pid);
    /* A tool that quit before reading says more by its exit status than by the broken pipe. */
    if (rc != 0 && status == 0)
        return ov_error_set(err, OV_ERR_IO, "%s: could not hand it the text", argv[0]);
    if (status != 0)
        return ov_error_set(err, OV_ERR_IO, "%s failed (exit status %d)", argv[0], status);
    return OV_OK;
}

int ov_clipboard_copy_tool(enum ov_clipboard_method method, const char *text, size_t len,
                           struct ov_error *err)
{
    const struct tool *t = tool_of(method);

    if (t == NULL)
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "no clipboard tool for this method");
    return run_with_input(t->copy, text, len, err);
}

bool ov_clipboard_can_read_back(enum ov_clipboard_method method)
{
    const struct tool *t = tool_of(method);
    return t != NULL && t->paste[0] != NULL;
}

/* argv's output, up to READ_BACK_MAX bytes, into secure memory (a paste tool's is whatever
 * the user copied last, maybe a password). */
static int read_output(const char *const *argv, char **out, size_t *out_len,
                       struct ov_error *err)
{
    char *buf = ov_secure_alloc(READ_BACK_MAX + 1);
    struct timespec start;
    size_t n = 0;
    int fds[2], rc;
    pid_t pid;

    if (pipe2(fds, O_CLOEXEC) != 0) {
        ov_secure_free(buf, READ_BACK_MAX + 1);
        return ov_error_set(err, OV_ERR_IO, "pipe: %s", strerror(errno));
    }
    rc = spawn_tool(argv, -1, fds[1], &pid, err);
    close(fds[1]);
    if (rc != OV_OK) {
        close(fds[0]);
        ov_secure_free(buf, READ_BACK_MAX + 1);
        return rc;
    }
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        struct pollfd p = { fds[0], POLLIN, 0 };
        long left = TOOL_TIMEOUT_MS - ms_since(&start);
        ssize_t r;
        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            break;
        r = read(fds[0], buf + n, READ_BACK_MAX + 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
        if (n > READ_BACK_MAX)
            break;
    }
    close(fds[0]);
    wait_tool(pid);
    *out = buf;
    *out_len = n;
    return OV_OK;
}

int ov_clipboard_clear_if_ours(enum ov_clipboard_method method, const char *text, size_t len,
                               bool *cleared, struct ov_error *err)
{
    const struct tool *t = tool_of(method);
    char *now = NULL;
    size_t n = 0;
    bool ours;
    int rc;

    *cleared = false;
    if (!ov_clipboard_can_read_back(method))
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "this clipboard cannot be read back");
    if ((rc = read_output(t->paste, &now, &n, err)) != OV_OK)
        return rc;
    /* Some tools add a newline on output. */
    if (n == len + 1 && now[len] == '\n')
        n--;
    ours = n == len && memcmp(now, text, len) == 0;
    ov_secure_free(now, READ_BACK_MAX + 1);
    if (!ours)
        return OV_OK;   /* the user copied something else since: leave it alone */
    /* An empty stdin: xclip and pbcopy copy "", wl-copy --clear and xsel --clear ignore it. */
    rc = run_with_input(t->clear, "", 0, err);
    *cleared = rc == OV_OK;
    return rc;
}
