/* The table of import formats. Adding a format: one file in importers/ (named after the
 * format), one line here. */
#include <string.h>

#include "otpvault/importer.h"

extern const struct ov_importer ov_importer_otpvault;
extern const struct ov_importer ov_importer_freeotp;
extern const struct ov_importer ov_importer_freeotp2;
extern const struct ov_importer ov_importer_authy;
extern const struct ov_importer ov_importer_battlenet;
extern const struct ov_importer ov_importer_totpauth;
extern const struct ov_importer ov_importer_aegis;
extern const struct ov_importer ov_importer_andotp;
extern const struct ov_importer ov_importer_2fas;
extern const struct ov_importer ov_importer_freeotp_plus;
extern const struct ov_importer ov_importer_proton;
extern const struct ov_importer ov_importer_duo;
extern const struct ov_importer ov_importer_steam;
extern const struct ov_importer ov_importer_lastpass;
extern const struct ov_importer ov_importer_bitwarden_authenticator;
extern const struct ov_importer ov_importer_stratum;
extern const struct ov_importer ov_importer_stratum_html;
extern const struct ov_importer ov_importer_bitwarden;
extern const struct ov_importer ov_importer_ente;
extern const struct ov_importer ov_importer_msauth_db;
extern const struct ov_importer ov_importer_gauth_db;
extern const struct ov_importer ov_importer_stratum_db;
extern const struct ov_importer ov_importer_authplus;
extern const struct ov_importer ov_importer_winauth;
extern const struct ov_importer ov_importer_otpauth_zip;
extern const struct ov_importer ov_importer_otpauth;
extern const struct ov_importer ov_importer_qr_image;
extern const struct ov_importer ov_importer_json;

const struct ov_importer *const ov_importers[] = {
    &ov_importer_otpvault,
    &ov_importer_qr_image,
    &ov_importer_freeotp,
    &ov_importer_freeotp2,
    &ov_importer_authy,
    &ov_importer_battlenet,
    &ov_importer_totpauth,
    &ov_importer_aegis,
    &ov_importer_andotp,
    &ov_importer_2fas,
    &ov_importer_freeotp_plus,
    &ov_importer_proton,
    &ov_importer_duo,
    &ov_importer_steam,
    &ov_importer_lastpass,
    &ov_importer_bitwarden_authenticator,
    &ov_importer_stratum,
    &ov_importer_stratum_html,
    &ov_importer_bitwarden,
    &ov_importer_ente,
    &ov_importer_msauth_db,
    &ov_importer_gauth_db,
    &ov_importer_stratum_db,
    &ov_importer_authplus,
    &ov_importer_winauth,
    &ov_importer_otpauth_zip,
    &ov_importer_json,
    &ov_importer_otpauth,
    NULL,
};

const struct ov_importer *ov_importer_find(const char *name)
{
    for (size_t i = 0; ov_importers[i] != NULL; i++)
        if (strcmp(ov_importers[i]->name, name) == 0)
            return ov_importers[i];
    return NULL;
}

const struct ov_importer *ov_importer_detect(const struct ov_blob *in)
{
    const struct ov_importer *best = NULL;
    int best_score = 0;

    /* Our own files first, by their magic: no guess of another format may claim them. */
    if (ov_importer_otpvault.sniff(in) > 0)
        return &ov_importer_otpvault;
    for (size_t i = 0; ov_importers[i] != NULL; i++) {
        int score = ov_importers[i]->sniff(in);
        if (score > best_score) {
            best = ov_importers[i];
            best_score = score;
        }
    }
    return best;
}
