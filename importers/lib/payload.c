/* See payload.h. */
#include "payload.h"
#include "otpvault/qr_payload.h"

/* Payloads are parsed in secure memory, which cannot hand out one block larger than its pool
 * (256 KiB with libgcrypt 1.10: ov_secure_alloc aborts). No real payload comes near this;
 * a QR code holds under 3 KiB. */
#define PAYLOAD_MAX (64u * 1024u)

int ov_import_payload(const void *data, size_t len, const char *unit, size_t position,
                      struct ov_import_opts *opts, struct ov_account_list *out,
                      struct ov_error *err)
{
    struct ov_import_opts local = { 0 };
    struct ov_qr_payload info;
    size_t first = out->len;
    int rc;

    if (len > PAYLOAD_MAX)
        return ov_error_set(err, OV_ERR_LIMIT, "%zu bytes, too long for a URI (at most %u)",
                            len, PAYLOAD_MAX);
    rc = ov_qr_payload_parse(data, len, out, &info, &local, err);

    /* Issues come back numbered by entry inside the payload; say where the payload was. */
    for (size_t i = 0; i < local.nissues; i++) {
        const struct ov_import_issue *is = &local.issues[i];
        void (*add)(struct ov_import_opts *, size_t, const char *, ...) =
            is->warning ? ov_import_warning_add : ov_import_issue_add;
        if (info.is_migration && is->position > 0)
            add(opts, position, "%s %zu, entry %zu: %s", unit, position, is->position,
                is->message);
        else
            add(opts, position, "%s %zu: %s", unit, position, is->message);
    }
    ov_import_opts_free(&local);
    if (rc != OV_OK)
        return rc;
    if (info.is_migration) {
        struct ov_import_batch_mark mark = {
            .first = first,
            .count = out->len - first,
            .position = position,
            .batch_id = info.batch.batch_id,
            .batch_index = info.batch.has_batch_index ? info.batch.batch_index : 0,
            .batch_size = info.batch.batch_size,
        };
        ov_import_mark_add(opts, &mark);
    }
    return OV_OK;
}
