/* JSON output per the contract (design.md section 4), through jansson. The mapping of an
 * account lives in the core (export.h), shared with the json export. */
#include <jansson.h>
#include <stdio.h>

#include "cli_internal.h"
#include "otpvault/export.h"

void *cli_json_account(const struct ov_account *a, enum cli_json_secret with_secret)
{
    return ov_account_json(a, with_secret == CLI_JSON_WITH_SECRET);
}

void cli_json_print_array(void *array)
{
    json_dumpf(array, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(array);
}
