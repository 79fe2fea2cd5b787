/* Screenshots and photos of QR codes (PNG, JPEG, WebP, GIF): Google Authenticator's
 * "Transfer accounts" codes, or plain otpauth:// codes. Every QR code in the picture is read;
 * one that holds something else is reported with what it holds. */
#include "otpvault/image.h"
#include "otpvault/importer.h"
#include "otpvault/qr_payload.h"
#include "otpvault/qrscan.h"
#include "lib/payload.h"

static int qr_image_sniff(const struct ov_blob *in)
{
    return ov_image_sniff(in->data, in->len) != OV_IMAGE_UNKNOWN ? 100 : 0;
}

static int qr_image_load(const struct ov_blob *in, struct ov_import_opts *opts,
                         struct ov_account_list *out, struct ov_error *err)
{
    struct ov_qr_list codes = { 0 };
    struct ov_error first_err = { 0 };
    size_t read_ok = 0, count;
    size_t issues_before = opts->nissues;
    int rc = ov_qr_scan_file_data(in->data, in->len, in->name, &codes, err);

    if (rc != OV_OK)
        return rc;
    count = codes.count;
    for (size_t i = 0; i < count; i++) {
        struct ov_error e = { 0 };
        if (ov_import_payload(codes.codes[i].data, codes.codes[i].len, "QR", i + 1, opts, out,
                              &e) == OV_OK) {
            read_ok++;
            continue;
        }
        if (first_err.msg[0] == '\0')
            first_err = e;
        ov_import_issue_add(opts, i + 1, "QR %zu of %zu: %s", i + 1, count, e.msg);
    }
    ov_qr_list_free(&codes);
    if (read_ok > 0)
        return OV_OK;
    /* Nothing usable: one error for the input says it all; the per-QR issues would repeat
     * it. */
    opts->nissues = issues_before;
    if (count == 1)
        return ov_error_set(err, first_err.code, "%s: QR code: %s", in->name, first_err.msg);
    return ov_error_set(err, OV_ERR_INVALID,
                        "%s: none of its %zu QR codes is an authenticator export (QR 1: %s)",
                        in->name, count, first_err.msg);
}

const struct ov_importer ov_importer_qr_image = {
    .name = "qr-image",
    .label = "Screenshot or photo of QR codes: Google Authenticator export or otpauth:// "
             "(PNG, JPEG, WebP, GIF)",
    .sniff = qr_image_sniff, .load = qr_image_load,
};
