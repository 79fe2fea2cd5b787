/* JSON output per the contract (design.md section 4), through jansson. The mapping of an
 * account lives in the core (export.h), shared with the json export. */
#include <jansson.h>
#include <stdio.h>

#include "cli_internal.h"
#include "otpvault/display.h"
#include "otpvault/export.h"
#include "otpvault/mem.h"

void *cli_json_account(const struct ov_account *a, enum cli_json_secret with_secret)
{
    return ov_account_json(a, with_secret == CLI_JSON_WITH_SECRET);
}

/* The names keep their exact characters; controls, C1, bidi and invisible characters among
 * them are written as \uXXXX, so the JSON is safe to print to a terminal. jansson allocates
 * in secure memory (import --dry-run --json prints secrets). */
void cli_json_print_array(void *array)
{
    char *text, *safe;

    ov_json_use_secure_memory();
    text = json_dumps(array, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(array);
    if (text == NULL) {
        cli_error("cannot write the JSON (out of memory)");
        return;
    }
    safe = ov_json_safe(text);
    ov_secure_free_str(text);
    fputs(safe, stdout);
    fputc('\n', stdout);
    ov_secure_free_str(safe);
}
