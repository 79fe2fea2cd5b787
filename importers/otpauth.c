/* The "otpauth" format: a plain text list of URIs, one a line (formats.md 19); the reader
 * is importers/lib/uri_list.c, which formats holding such a list inside another file share. */
#include "otpvault/importer.h"
#include "lib/uri_list.h"

const struct ov_importer ov_importer_otpauth = {
    .name = "otpauth",
    .label = "Text list of otpauth:// and otpauth-migration:// URIs (Aegis, Ente, ...)",
    .sniff = ov_uri_list_sniff, .load = ov_uri_list_load,
};
