/* What an importer reports beside its accounts: per-entry issues and warnings, and the
 * batch marks of migration payloads (importer.h). Core, because the core's own readers of
 * migration payloads and QR codes report through them too. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "otpvault/importer.h"
#include "otpvault/mem.h"

static void add_issue(struct ov_import_opts *opts, size_t position, bool warning,
                      const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

static void add_issue(struct ov_import_opts *opts, size_t position, bool warning,
                      const char *fmt, va_list ap)
{
    struct ov_import_issue *issue;

    opts->issues = ov_xrealloc(opts->issues, (opts->nissues + 1) * sizeof *opts->issues);
    issue = &opts->issues[opts->nissues++];
    issue->position = position;
    issue->warning = warning;
    vsnprintf(issue->message, sizeof issue->message, fmt, ap);
}

void ov_import_issue_add(struct ov_import_opts *opts, size_t position, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_issue(opts, position, false, fmt, ap);
    va_end(ap);
}

void ov_import_warning_add(struct ov_import_opts *opts, size_t position, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_issue(opts, position, true, fmt, ap);
    va_end(ap);
}

void ov_import_mark_add(struct ov_import_opts *opts, const struct ov_import_batch_mark *mark)
{
    opts->marks = ov_xrealloc(opts->marks, (opts->nmarks + 1) * sizeof *opts->marks);
    opts->marks[opts->nmarks++] = *mark;
}

void ov_import_opts_free(struct ov_import_opts *opts)
{
    free(opts->issues);
    free(opts->marks);
    opts->issues = NULL;
    opts->nissues = 0;
    opts->marks = NULL;
    opts->nmarks = 0;
}
