#!/bin/sh
# The README's picture of the app, made from the app itself: a throw-away vault with sample
# accounts, the app run in a private tmux server at COLSxROWS, the pane captured with its
# colours (capture-pane -e) and drawn as SVG by tools/ansi2svg.
#
# usage: scripts/screenshot.sh [OUT.svg] [COLSxROWS]     (make screenshot: docs/screenshot.svg)
# env:   OTPVAULT_BIN (build/otpvault), ANSI2SVG (build/tools/ansi2svg)
set -eu

out=${1:-docs/screenshot.svg}
size=${2:-80x18}
cols=${size%x*}
rows=${size#*x}
bin=${OTPVAULT_BIN:-build/otpvault}
ansi2svg=${ANSI2SVG:-build/tools/ansi2svg}
for f in "$bin" "$ansi2svg"; do
    [ -x "$f" ] || { echo "screenshot: $f is missing (make screenshot builds it)" >&2; exit 1; }
done
command -v tmux >/dev/null 2>&1 || { echo "screenshot: tmux is not installed" >&2; exit 1; }

work=$(mktemp -d)
sock="otpvault-shot-$$"
cleanup() { tmux -L "$sock" kill-server 2>/dev/null || :; rm -rf "$work"; }
trap cleanup EXIT INT TERM

vault="$work/vault.otpv"
printf 'correct horse battery staple\n' > "$work/pass"
ov() {
    "$bin" --vault "$vault" --passphrase-file "$work/pass" "$@" >/dev/null 2>"$work/err" \
        || { cat "$work/err" >&2; exit 1; }
}
ov init --kdf-memory 1M --kdf-time 1
# Sample accounts only: the secrets are the RFC test keys and made-up ones.
add() { group=$1; shift; printf '%s\n' "$@" | ov add --uri - --group "$group"; }
add Work "otpauth://totp/GitHub:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub" \
    "otpauth://totp/AWS:root@prod?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=AWS&digits=8&period=60"
add Personal "otpauth://totp/Fastmail:alice@fastmail.com?secret=KRSXG5CTMVRXEZLUKRSXG5CT&issuer=Fastmail" \
    "otpauth://totp/Google:alice@gmail.com?secret=MFRGGZDFMZTWQ2LKMFRGGZDF&issuer=Google" \
    "otpauth://totp/Proton:alice@proton.me?secret=ONSWG4TFOQYTEMZUONSWG4TF&issuer=Proton"
printf '%s\n' "otpauth://hotp/Bank:alice?secret=GEZDGNBVGY3TQOJQ&counter=12&issuer=Bank" \
    "otpauth://totp/Steam:alice_gamer?secret=GEZDGNBVGY3TQOJQGEZDGNBV&issuer=Steam&encoder=steam" \
    | ov add --uri -

# No clipboard tool, no config of the user's: the picture is the same on every machine.
mkdir -p "$work/config"
printf 'set -g status off\nset -s set-clipboard on\n' > "$work/tmux.conf"
tmux -L "$sock" -f "$work/tmux.conf" new-session -d -s shot -x "$cols" -y "$rows" \
    "env -u DISPLAY -u WAYLAND_DISPLAY XDG_CONFIG_HOME=$work/config TERM=tmux-256color \
     $bin --vault $vault --passphrase-file $work/pass"
# Wait for the accounts; then (unless SCREENSHOT_WAIT=none) for the last seconds of a
# 30-second period, when the next codes show beside the current ones.
i=0
until tmux -L "$sock" capture-pane -p -t shot | grep -q "7 accounts"; do
    i=$((i + 1))
    [ "$i" -lt 100 ] || { echo "screenshot: the app did not show its accounts" >&2; exit 1; }
    sleep 0.1
done
if [ "${SCREENSHOT_WAIT:-rollover}" = rollover ]; then
    left=$((30 - $(date +%s) % 30))
    [ "$left" -le 4 ] && left=$((left + 30))
    sleep $((left - 4))
fi
sleep 1.2
# -N keeps trailing blanks, so a highlighted row keeps its colour to the edge.
tmux -L "$sock" capture-pane -p -e -N -t shot > "$work/capture"
tmp="$out.tmp.$$"
"$ansi2svg" -c "$cols" -r "$rows" -t "otpvault, the full-screen app" < "$work/capture" > "$tmp"
mv "$tmp" "$out"
echo "screenshot: $out ($cols x $rows)"
