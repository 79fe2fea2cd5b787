/* libFuzzer target: every importer of the registry (ov_importers[], so formats added later
 * are fuzzed without touching this file), each forced to read the input as --format would:
 * sniff must answer 0..100, load must fail cleanly or hand over storable accounts and batch
 * marks that point inside them. A quarter of the inputs (by size) come with an export
 * password, so the decryption paths run too. */
#include "fuzz.h"
#include "fuzz_check.h"
#include "otpvault/importer.h"

#define PASSWORD "fuzz password"

static void fuzz_seeds(void)
{
    fuzz_seed_str("gen-uris", "# list\r\notpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP\r\n\r\n"
                  "otpauth://hotp/C:d?secret=GEZDGNBVGY3TQOJQ&counter=1\nnot a uri\n");
    fuzz_seed_str("gen-json", "{\"version\":1,\"header\":{\"slots\":null},\"db\":{\"entries\":"
                  "[{\"type\":\"totp\",\"name\":\"n\",\"issuer\":\"i\",\"info\":{\"secret\":"
                  "\"JBSWY3DPEHPK3PXP\",\"algo\":\"SHA1\",\"digits\":6,\"period\":30}}]}}");
    fuzz_seed_str("gen-csv", "name,secret,issuer\nalice,JBSWY3DPEHPK3PXP,GitHub\n");
    fuzz_seed_str("gen-xml", "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n"
                  "<map>\n<string name=\"k\">v</string>\n</map>\n");
}

static void check_marks(const struct ov_import_opts *o, size_t n, const char *who)
{
    for (size_t i = 0; i < o->nmarks; i++) {
        if (o->marks[i].first > n || o->marks[i].count > n - o->marks[i].first) {
            fprintf(stderr, "%s: batch mark %zu covers accounts past the list\n", who, i);
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ov_blob in = { data, size, "fuzz-input" };
    bool with_password = size % 4 == 3;

    for (size_t i = 0; ov_importers[i] != NULL; i++) {
        const struct ov_importer *imp = ov_importers[i];
        struct ov_import_opts opts = { 0 };
        struct ov_account_list out;
        struct ov_error err;
        int score = imp->sniff(&in);

        if (score < 0 || score > 100) {
            fprintf(stderr, "%s: sniff answered %d\n", imp->name, score);
            abort();
        }
        if (imp->is_encrypted != NULL)
            (void)imp->is_encrypted(&in);
        if (with_password) {
            opts.password = PASSWORD;
            opts.password_len = sizeof PASSWORD - 1;
        }
        ov_account_list_init(&out);
        if (imp->load(&in, &opts, &out, &err) == OV_OK) {
            fuzz_check_storable(&out, imp->name);
            check_marks(&opts, out.len, imp->name);
        }
        ov_account_list_free(&out);
        ov_import_opts_free(&opts);
    }
    return 0;
}
