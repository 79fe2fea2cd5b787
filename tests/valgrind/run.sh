#!/bin/sh
# valgrind memcheck over the main command-line paths (issue 7): init, add, code, list, edit,
# import (a text list, pictures in every format, other apps' exports), passwd, rm, export,
# qr --png, backup and drill when this build has them, and the failures (wrong passphrase,
# damaged vault, usage). Any invalid access, use of
# uninitialised memory or leak (definite, indirect or possible) fails the run. Suppressions
# (tests/valgrind/otpvault.supp) are for third-party libraries only, each explained there.
#
# Environment: OTPVAULT_BIN (a build without sanitizers), FIXTURES_DIR (for the PNG; without
# it a screenshot from build/bench/mkshot is used, or that step is skipped).
set -u

bin=${OTPVAULT_BIN:?set OTPVAULT_BIN to the otpvault binary (not a sanitizer build)}
here=$(cd "$(dirname "$0")" && pwd)
fixtures=${FIXTURES_DIR:-$here/../../../shared/fixtures}
work=$(mktemp -d /tmp/otpvault-valgrind-XXXXXX)
trap 'rm -rf "$work"' EXIT
failed=0
runs=0

command -v valgrind >/dev/null 2>&1 || { echo "SKIP: valgrind is not installed"; exit 0; }

export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/data"
export LC_ALL=C.UTF-8
unset OTPVAULT_VAULT
mkdir -p "$HOME"
printf 'valgrind pass phrase\n' > "$work/pass"
printf 'new valgrind pass phrase\n' > "$work/newpass"
printf 'wrong\n' > "$work/wrong"
vault="$work/vault.otpv"

# vg WANT_STATUS STDIN_FILE ARGS...: one otpvault run under memcheck.
vg() {
    want=$1 input=$2
    shift 2
    runs=$((runs + 1))
    log="$work/vg.$runs.log"
    valgrind --tool=memcheck --quiet --error-exitcode=99 --leak-check=full \
        --show-leak-kinds=definite,indirect,possible \
        --errors-for-leak-kinds=definite,indirect,possible --track-origins=yes \
        --suppressions="$here/otpvault.supp" --gen-suppressions=all --log-file="$log" \
        "$bin" --vault "$vault" "$@" <"$input" >"$work/out" 2>"$work/err"
    got=$?
    if [ "$got" -eq 99 ] || [ -s "$log" ]; then
        echo "FAIL otpvault $*: memcheck reported:"
        sed 's/^/    /' "$log"
        failed=$((failed + 1))
    elif [ "$got" -ne "$want" ]; then
        echo "FAIL otpvault $*: exit $got, want $want: $(head -c 300 "$work/err")"
        failed=$((failed + 1))
    else
        echo "ok   otpvault $*"
    fi
}

printf '%s\n' 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub' \
    'otpauth://hotp/Bank:carol?secret=GEZDGNBVGY3TQOJQ&counter=5&issuer=Bank' > "$work/uris"
printf '%s\n' '# a list' 'otpauth://totp/Proton:dave?secret=GEZDGNBVGY3TQOJQGEZD' \
    'not a uri' > "$work/list.txt"
: > "$work/empty"

png=""
for f in "$fixtures/gauth-migration-synthetic/aegis_vectors_synthetic.png" \
         "$fixtures/extract-otp-secrets/tests-data/qr_but_without_otp.png"; do
    [ -f "$f" ] && { png=$f; break; }
done
if [ -z "$png" ] && [ -x "$(dirname "$bin")/bench/mkshot" ]; then
    "$(dirname "$bin")/bench/mkshot" "$work/shot.png" 2>/dev/null && png="$work/shot.png"
fi
# The other loaders, and a real export screenshot (zbar's QR decoder at work): read only.
pictures=""
for f in "$fixtures/junedkhatri31-ga-export-decoder/qr-code.jpg" \
         "$fixtures/extract-otp-secrets/docs/Exported-QR-codes_300px.webp" \
         "$fixtures/lennyerik-google-authenticator-export/simple_text_qr_code.gif" \
         "$fixtures/lennyerik-google-authenticator-export/demo_export.png"; do
    [ -f "$f" ] && pictures="$pictures $f"
done

vg 0 "$work/empty" --passphrase-file "$work/pass" init --kdf-memory 1M --kdf-time 1
vg 0 "$work/uris" --passphrase-file "$work/pass" add --uri -
vg 0 "$work/empty" --passphrase-file "$work/pass" code --at 59
vg 0 "$work/empty" --passphrase-file "$work/pass" code github --json
vg 0 "$work/empty" --passphrase-file "$work/pass" list
vg 0 "$work/empty" --passphrase-file "$work/pass" list --json
vg 0 "$work/empty" --passphrase-file "$work/pass" edit github --group work --note "a note"
vg 0 "$work/empty" --passphrase-file "$work/pass" import "$work/list.txt"
vg 0 "$work/empty" --passphrase-file "$work/pass" import --dry-run --json "$work/list.txt"
if [ -n "$png" ]; then
    vg 0 "$work/empty" --passphrase-file "$work/pass" import --dry-run "$png"
    vg 0 "$work/empty" --passphrase-file "$work/pass" import "$png"
else
    echo "SKIP import of a PNG: no fixture under $fixtures and no build/bench/mkshot"
fi
for f in $pictures; do
    case $f in *simple_text*) want=1 ;; *) want=0 ;; esac   # a QR code of plain text
    vg $want "$work/empty" import --dry-run "$f"
done
# Export files of other apps, plain and encrypted (their fixtures' password is "test"),
# through whichever importers this build has.
printf 'test\n' > "$work/export-pass"
for f in aegis-importers/aegis_plain.json aegis-importers/aegis_encrypted.json \
         aegis-importers/andotp_encrypted.bin aegis-importers/2fas_authenticator_encrypted.2fas \
         aegis-importers/freeotp_v2_api34.xml aegis-importers/authy_encrypted.xml \
         stratum-test-data/bitwarden.unencrypted.json; do
    [ -f "$fixtures/$f" ] || continue
    if "$bin" import --dry-run --import-password-file "$work/export-pass" "$fixtures/$f" \
            >/dev/null 2>&1; then
        vg 0 "$work/empty" import --dry-run --import-password-file "$work/export-pass" \
            "$fixtures/$f"
    else
        echo "SKIP import of $f: this build does not read it (with the password test)"
    fi
done
vg 1 "$work/empty" --passphrase-file "$work/pass" import "$work/empty"
vg 0 "$work/empty" --passphrase-file "$work/pass" passwd --new-passphrase-file "$work/newpass"
vg 3 "$work/empty" --passphrase-file "$work/wrong" list
vg 0 "$work/empty" --passphrase-file "$work/newpass" rm Bank:carol --yes
help=$("$bin" --help)
if echo "$help" | grep -q '^  export'; then
    vg 0 "$work/empty" --passphrase-file "$work/newpass" export --format otpauth \
        -o "$work/export.txt"
    vg 0 "$work/empty" --passphrase-file "$work/newpass" export --format aegis-encrypted \
        --export-password-file "$work/export-pass" -o "$work/export.json"
    vg 0 "$work/empty" --passphrase-file "$work/newpass" export --format gauth-migration
    vg 0 "$work/empty" import --dry-run --import-password-file "$work/export-pass" \
        "$work/export.json"
else
    echo "SKIP export: not in this build"
fi
if echo "$help" | grep -q '^  qr'; then
    vg 0 "$work/empty" --passphrase-file "$work/newpass" qr github --png "$work/qr.png"
    vg 0 "$work/empty" import --dry-run "$work/qr.png"
else
    echo "SKIP qr: not in this build"
fi
if echo "$help" | grep -q '^  backup'; then
    mkdir -p "$work/backups"
    vg 0 "$work/empty" --passphrase-file "$work/newpass" backup create "$work/backups"
    vg 0 "$work/empty" --passphrase-file "$work/newpass" backup list "$work/backups"
    backup=$(ls "$work/backups"/*.otpv | head -1)
    vg 0 "$work/empty" --passphrase-file "$work/newpass" backup verify "$backup"
    vg 0 "$work/empty" --passphrase-file "$work/newpass" drill "$backup" \
        --backup-passphrase-file "$work/newpass"
    # Several machines: a new one restored from the backup, a copy changed and merged
    # back, a Syncthing conflict copy merged by sync, a backup imported.
    vg 0 "$work/empty" --passphrase-file "$work/newpass" --vault "$work/machine2.otpv" \
        backup restore "$backup"
    printf '%s\n' 'otpauth://totp/Second:m?secret=KRSXG5CTMVRXEZLU&issuer=Second' \
        | "$bin" --vault "$work/machine2.otpv" --passphrase-file "$work/newpass" add --uri - \
        >/dev/null 2>&1
    vg 0 "$work/empty" --passphrase-file "$work/newpass" merge "$work/machine2.otpv"
    cp "$work/machine2.otpv" "$work/vault.sync-conflict-20261208-101500-ABCDEFG.otpv"
    vg 0 "$work/empty" --passphrase-file "$work/newpass" sync
    vg 0 "$work/empty" --passphrase-file "$work/newpass" import "$backup"
else
    echo "SKIP backup: not in this build"
fi
cp "$vault" "$work/good"
printf 'X' | dd of="$vault" bs=1 seek=100 conv=notrunc 2>/dev/null
vg 3 "$work/empty" --passphrase-file "$work/newpass" code
cp "$work/good" "$vault"
vg 2 "$work/empty" --passphrase-file "$work/newpass" frobnicate
vg 0 "$work/empty" --help

echo "valgrind: $runs runs, $failed failed"
[ "$failed" -eq 0 ]
