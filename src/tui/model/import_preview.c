/* See import_preview.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tui/model/import_preview.h"

/* snprintf at out + *used, never past n, keeping *used within the buffer. */
static void append(char *out, size_t n, size_t *used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void append(char *out, size_t n, size_t *used, const char *fmt, ...)
{
    va_list ap;
    int w;

    if (*used >= n)
        return;
    va_start(ap, fmt);
    w = vsnprintf(out + *used, n - *used, fmt, ap);
    va_end(ap);
    if (w > 0)
        *used = *used + (size_t)w < n ? *used + (size_t)w : n - 1;
}

void ov_import_summary(const struct ov_import_report *r, bool brief, char *out, size_t n)
{
    size_t used = 0;

    if (n == 0)
        return;
    out[0] = '\0';
    append(out, n, &used, "%zu new, %zu %s, %zu failed", r->accounts.len, r->present,
           brief ? "present" : "already in the vault", r->entries_failed);
    if (r->duplicates > 0)
        append(out, n, &used, ", %zu twice%s", r->duplicates, brief ? "" : " in the inputs");
    if (r->inputs_failed > 0)
        append(out, n, &used, "; %zu input%s %s", r->inputs_failed,
               r->inputs_failed == 1 ? "" : "s", brief ? "unread" : "could not be read");
}

void ov_import_account_params(const struct ov_account *a, char *out, size_t n)
{
    char type[16];
    size_t i;
    const char *name = ov_otp_type_name(a->type);

    for (i = 0; name[i] != '\0' && i < sizeof type - 1; i++)
        type[i] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 'a' + 'A' : name[i]);
    type[i] = '\0';
    if (a->type == OV_HOTP)
        snprintf(out, n, "%s %s, %u digits, counter %llu", type, ov_algo_name(a->algo),
                 a->digits, (unsigned long long)a->counter);
    else
        snprintf(out, n, "%s %s, %u digits, %u s", type, ov_algo_name(a->algo), a->digits,
                 a->period);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL && slash[1] != '\0' ? slash + 1 : path;
}

void ov_import_done_message(size_t added, size_t present, const char *const *names,
                            size_t nnames, char *out, size_t n)
{
    size_t used = 0;

    if (n == 0)
        return;
    out[0] = '\0';
    append(out, n, &used, "imported %zu account%s", added, added == 1 ? "" : "s");
    if (nnames == 1)
        append(out, n, &used, " from %s", base_name(names[0]));
    else if (nnames == 2)
        append(out, n, &used, " from %s and %s", base_name(names[0]), base_name(names[1]));
    else if (nnames > 2)
        append(out, n, &used, " from %zu files", nnames);
    if (present > 0)
        append(out, n, &used, " (%zu already present)", present);
}
