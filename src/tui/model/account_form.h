/* The add and edit forms of the full-screen app as data: field texts in, a validated account
 * out, or the field at fault with a message. Either an otpauth:// URI or the separate fields;
 * label fields typed next to a URI override the URI's. */
#ifndef OTPVAULT_ACCOUNT_FORM_H
#define OTPVAULT_ACCOUNT_FORM_H

#include "otpvault/account.h"
#include "otpvault/error.h"

enum ov_form_field {
    OV_F_URI = 0, OV_F_ISSUER, OV_F_NAME, OV_F_SECRET, OV_F_TYPE, OV_F_ALGORITHM,
    OV_F_DIGITS, OV_F_PERIOD, OV_F_COUNTER, OV_F_GROUP, OV_F_NOTE,
    OV_F_COUNT
};

const char *ov_form_field_label(enum ov_form_field f);  /* "issuer", "secret (Base32)", ... */

/* Builds *out (initialised by the call; free it with ov_account_free even on error) from the
 * texts (NULL or "" = left empty). base: the account being edited, whose values stand where a
 * field is empty (the secret too); NULL when adding, where a secret or a URI is required.
 * On error *bad is the field to fix (OV_F_COUNT: the whole account) and err says why. */
int ov_account_from_form(const char *const texts[OV_F_COUNT], const struct ov_account *base,
                         struct ov_account *out, enum ov_form_field *bad,
                         struct ov_error *err);

/* Fills texts (malloc'd; free with ov_form_texts_free) from an account, for the edit form.
 * The URI and secret fields stay empty: the secret is kept unless a new one is typed. */
void ov_form_texts_from_account(const struct ov_account *a, char *texts[OV_F_COUNT]);
void ov_form_texts_free(char *texts[OV_F_COUNT]);

#endif
