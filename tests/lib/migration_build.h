/* Building migration payloads by hand for the tests, and decoding them with every result
 * collected (shared by test_migration.c and test_migration_damage.c). */
#ifndef OTPVAULT_TESTS_MIGRATION_BUILD_H
#define OTPVAULT_TESTS_MIGRATION_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "otpvault/account.h"
#include "otpvault/error.h"
#include "otpvault/importer.h"
#include "otpvault/migration.h"

/* A protobuf message under construction. */
struct pb {
    uint8_t b[8192];
    size_t n;
};

void pb_raw(struct pb *p, const void *data, size_t n);
void pb_varint(struct pb *p, uint64_t v);
void pb_tag(struct pb *p, uint64_t field, unsigned wire);
void pb_uint(struct pb *p, uint64_t field, uint64_t v);
void pb_bytes(struct pb *p, uint64_t field, const void *data, size_t n);
void pb_str(struct pb *p, uint64_t field, const char *s);
void pb_msg(struct pb *p, uint64_t field, const struct pb *m);

/* The 10-byte key of Google's examples, JBSWY3DPEHPK3PXP. */
extern const uint8_t mig_key10[10];

#define NONE (-1000) /* leave the field out */

/* An entry with the key, name and issuer (NULL: left out), then algorithm, digits and type
 * (NONE: left out). */
void mig_entry(struct pb *e, const char *name, const char *issuer, int64_t algo,
               int64_t digits, int64_t type);
/* The entries followed by version 1, batch_size 1, batch_index 0. */
void mig_payload(struct pb *p, const struct pb *entries, size_t n);

struct decoded {
    struct ov_account_list list;
    struct ov_migration_batch batch;
    struct ov_import_opts issues;
    struct ov_error err;
    int rc;
};

/* Decodes from an exactly sized heap copy, so AddressSanitizer sees any read past the end. */
void mig_decode(const struct pb *p, struct decoded *d);
void mig_decoded_free(struct decoded *d);
/* One entry "alice"/"Example" with the given enums, in a version 1 payload. */
void mig_decode_one(int64_t algo, int64_t digits, int64_t type, struct decoded *d);

void mig_expect_ok(const struct decoded *d, size_t accounts, size_t issues);
/* Failed with want in the message, and left neither accounts nor issues behind. */
void mig_expect_damaged(const struct decoded *d, const char *want);
/* Issue i has this position and contains want. */
void mig_expect_issue(const struct decoded *d, size_t i, size_t position, const char *want);

#endif
