/* The CLI's I/O: messages, passphrases and prompts, number parsing, opening and saving. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "cli_internal.h"
#include "otpvault/atomic_file.h"
#include "otpvault/display.h"
#include "otpvault/exposure.h"
#include "otpvault/mem.h"
#include "otpvault/passphrase.h"

#define URI_LINE_MAX 16384

/* Messages quote untrusted text (names from exports, file names, the core's messages
 * about them): the whole line goes out in its display form, so nothing in it can reach
 * the terminal as a control. */
static void message(const char *prefix, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void message(const char *prefix, const char *fmt, va_list ap)
{
    char *text = NULL, *shown;

    if (vasprintf(&text, fmt, ap) < 0)
        return;
    shown = ov_display_dup(text);
    fprintf(stderr, "%s%s\n", prefix, shown);
    free(shown);
    free(text);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    message("otpvault: ", fmt, ap);
    va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    message("otpvault: warning: ", fmt, ap);
    va_end(ap);
}

void cli_out(FILE *out, const char *fmt, ...)
{
    char *text = NULL, *shown;
    size_t n;
    bool newline;
    va_list ap;

    va_start(ap, fmt);
    n = (size_t)vasprintf(&text, fmt, ap);
    va_end(ap);
    if (text == NULL || n == (size_t)-1)
        return;
    newline = n > 0 && text[n - 1] == '\n';
    if (newline)
        text[n - 1] = '\0';
    shown = ov_display_dup(text);
    fputs(shown, out);
    if (newline)
        fputc('\n', out);
    free(shown);
    free(text);
}

void cli_print_shown(FILE *out, const char *untrusted)
{
    char *shown = ov_display_dup(untrusted);
    fputs(shown, out);
    free(shown);
}

int cli_exit_status(int ov_status)
{
    switch (ov_status) {
    case OV_OK: return OV_EXIT_OK;
    case OV_ERR_AUTH: return OV_EXIT_AUTH;
    default: return OV_EXIT_FAIL;
    }
}

int cli_fail(const struct ov_error *err)
{
    cli_error("%s", err->msg[0] != '\0' ? err->msg : ov_status_str(err->code));
    return cli_exit_status(err->code);
}

char *cli_read_passphrase_file(const char *path)
{
    struct ov_error err = { 0 };
    char *pass;

    if (ov_passphrase_read_file(path, &pass, &err) != OV_OK) {
        cli_error("%s", err.msg);
        return NULL;
    }
    return pass;
}

static int open_tty(void)
{
    return open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
}

bool cli_have_tty(void)
{
    int fd = open_tty();
    if (fd < 0)
        return false;
    close(fd);
    return true;
}

/* The prompt and the answer go through /dev/tty, never stdout: piped output stays clean. */
char *cli_prompt_secret(const char *prompt, const char *file_option)
{
    struct termios saved, quiet;
    bool truncated, restore;
    char *secret;
    int fd = open_tty();

    if (fd < 0) {
        if (file_option != NULL)
            cli_error("no terminal to ask for the %s; use %s", prompt, file_option);
        else
            cli_error("no terminal to ask for the %s", prompt);
        return NULL;
    }
    {
        /* The prompt may name a file ("password of FILE"). */
        char *shown = ov_display_dup(prompt);
        bool failed = write(fd, shown, strlen(shown)) < 0 || write(fd, ": ", 2) < 0;
        free(shown);
        if (failed) {
            close(fd);
            return NULL;
        }
    }
    restore = tcgetattr(fd, &saved) == 0;
    if (restore) {
        quiet = saved;
        quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
        tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    secret = ov_read_secret_line(fd, OV_PASSPHRASE_MAX, &truncated);
    if (restore)
        tcsetattr(fd, TCSAFLUSH, &saved);
    if (write(fd, "\n", 1) < 0) {
        /* nothing to do: the newline is cosmetic */
    }
    close(fd);
    if (secret != NULL && truncated) {
        cli_error("the %s is longer than %d bytes", prompt, OV_PASSPHRASE_MAX);
        ov_secure_free_str(secret);
        return NULL;
    }
    if (secret == NULL)
        cli_error("no %s given", prompt);
    return secret;
}

/* The vault passphrase as the command line says to get it. */
static char *cli_vault_passphrase(const struct cli *c, const char *prompt)
{
    if (c->passphrase_file != NULL)
        return cli_read_passphrase_file(c->passphrase_file);
    return cli_prompt_secret(prompt, "--passphrase-file");
}

/* Prompts are read unbuffered, a byte at a time, so that plain answers and hidden ones
 * (read from the same descriptor) can follow each other without stdio buffering in between. */
char *cli_prompt_line(const char *prompt, const char *def)
{
    bool truncated;
    char *secure, *line;

    if (isatty(STDIN_FILENO)) {
        /* Prompts quote names ("remove ...") and defaults are names: both are shown. */
        cli_print_shown(stderr, prompt);
        if (def != NULL && def[0] != '\0') {
            fputs(" [", stderr);
            cli_print_shown(stderr, def);
            fputc(']', stderr);
        }
        fputs(": ", stderr);
        fflush(stderr);
    }
    secure = ov_read_secret_line(STDIN_FILENO, URI_LINE_MAX, &truncated);
    if (secure == NULL)
        return NULL;
    line = ov_xstrdup(secure[0] == '\0' && def != NULL ? def : secure);
    ov_secure_free_str(secure);
    return line;
}

char *cli_prompt_hidden(const char *prompt)
{
    bool truncated;
    char *secret;

    if (isatty(STDIN_FILENO))
        return cli_prompt_secret(prompt, NULL);
    secret = ov_read_secret_line(STDIN_FILENO, OV_PASSPHRASE_MAX, &truncated);
    if (secret == NULL)
        cli_error("no %s given", prompt);
    return secret;
}

char *cli_read_stdin_line_secure(void)
{
    bool truncated;
    char *line = ov_read_secret_line(STDIN_FILENO, URI_LINE_MAX, &truncated);
    if (line != NULL && truncated) {
        cli_error("stdin: a line is longer than %d bytes", URI_LINE_MAX);
        ov_secure_free_str(line);
        return NULL;
    }
    return line;
}

bool cli_confirm(const char *question)
{
    char *answer = cli_prompt_line(question, "y/N");
    bool yes = answer != NULL && (strcmp(answer, "y") == 0 || strcmp(answer, "Y") == 0 ||
                                  strcmp(answer, "yes") == 0);
    free(answer);
    return yes;
}

int cli_parse_uint(const char *text, uint64_t max, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (text == NULL || text[0] < '0' || text[0] > '9')
        return -1;
    errno = 0;
    v = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0' || v > max)
        return -1;
    *out = v;
    return 0;
}

int cli_parse_int64(const char *text, int64_t *out)
{
    char *end;
    long long v;

    if (text == NULL || text[0] == '\0')
        return -1;
    errno = 0;
    v = strtoll(text, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

int cli_parse_size_kib(const char *text, uint32_t *kib)
{
    char *end;
    unsigned long long v, mult = 1024; /* a bare number is MiB */

    if (text == NULL || text[0] < '0' || text[0] > '9')
        return -1;
    errno = 0;
    v = strtoull(text, &end, 10);
    if (errno != 0)
        return -1;
    if (*end == 'K' || *end == 'k')
        mult = 1, end++;
    else if (*end == 'M' || *end == 'm')
        mult = 1024, end++;
    else if (*end == 'G' || *end == 'g')
        mult = 1024 * 1024, end++;
    if (*end == 'i' && end[1] == 'B')
        end += 2;
    else if (*end == 'B')
        end++;
    if (*end != '\0' || v > UINT32_MAX / mult)
        return -1;
    *kib = (uint32_t)(v * mult);
    return 0;
}

/* A vault others can read, or a directory others can write, is not broken, but the user
 * should know. */
static void warn_if_exposed(const char *path)
{
    struct ov_exposure exp;

    ov_vault_exposure(path, getenv("HOME"), &exp);
    for (size_t i = 0; i < exp.count; i++)
        cli_warn("%s", exp.msg[i]);
}

int cli_open_vault_at(const struct cli *c, const char *path, struct ov_vault *v,
                      char **keep_pass)
{
    struct ov_error err = { 0 };
    struct stat st;
    char *pass;
    int rc;

    if (keep_pass != NULL)
        *keep_pass = NULL;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT)
            cli_error("%s: no vault here yet; create one with: otpvault init, or restore a "
                      "backup with: otpvault backup restore FILE", path);
        else
            cli_error("%s: %s", path, strerror(errno));
        return OV_EXIT_FAIL;
    }
    /* Before any prompt: a FIFO would hang the read, a device or directory is no vault. */
    if (!S_ISREG(st.st_mode)) {
        cli_error("%s is %s, not a vault file; give the vault's path with --vault", path,
                  ov_file_kind(st.st_mode));
        return OV_EXIT_FAIL;
    }
    warn_if_exposed(path);
    pass = cli_vault_passphrase(c, "vault passphrase");
    if (pass == NULL)
        return OV_EXIT_FAIL;
    rc = ov_vault_open(path, pass, strlen(pass), v, &err);
    if (rc == OV_OK && keep_pass != NULL)
        *keep_pass = pass;
    else
        ov_secure_free_str(pass);
    if (rc != OV_OK) {
        if (strstr(err.msg, path) == NULL)
            ov_error_prefix(&err, "%s", path);
        return cli_fail(&err);
    }
    return OV_EXIT_OK;
}

int cli_open_vault(const struct cli *c, struct ov_vault *v)
{
    return cli_open_vault_at(c, c->vault_path, v, NULL);
}

int cli_begin_write_found(struct ov_vault *v, bool *reloaded, size_t *conflicts_found)
{
    struct ov_error err = { 0 };
    bool changed;

    if (ov_vault_begin_write(v, OV_VAULT_WRITER_WAIT_MS, &changed, &err) != OV_OK)
        return cli_fail(&err);
    if (reloaded != NULL)
        *reloaded = changed;
    /* Opened for writing: conflict copies a sync tool left beside it come back in first. */
    return cli_merge_conflict_copies(v, conflicts_found);
}

int cli_begin_write(struct ov_vault *v, bool *reloaded)
{
    return cli_begin_write_found(v, reloaded, NULL);
}

int cli_save_vault(struct ov_vault *v)
{
    struct ov_error err = { 0 };
    if (ov_vault_save(v, &err) != OV_OK)
        return cli_fail(&err);
    return OV_EXIT_OK;
}
