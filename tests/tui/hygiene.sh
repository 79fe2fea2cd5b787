#!/usr/bin/env bash
# Secret hygiene of the full-screen app, from the terminal's side (issue 7), driven by tmux
# like tests/tui/run.sh: everything the app writes to its terminal is recorded (pipe-pane),
# and no typed passphrase and no secret may appear in it, nor in the pane and its scrollback
# after exit; a copy made with a clipboard tool is cleared after clipboard.clear_after; the
# app runs without core dumps. The command line's side is tests/cli/test_secret_hygiene.c.
#
# Environment: OTPVAULT_BIN. Prints one line per test, then "N passed, M failed".
set -u

bin=${OTPVAULT_BIN:?set OTPVAULT_BIN to the otpvault binary}
sock=otpvault-hygiene-$$
work=$(mktemp -d /tmp/otpvault-hygiene-XXXXXX)
passed=0
failed=0
session=""

T() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() {
    T kill-server >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT

export LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config"
unset SSH_CONNECTION SSH_TTY NO_COLOR WAYLAND_DISPLAY DISPLAY OTPVAULT_VAULT
mkdir -p "$HOME"
pass='hygiene pass phrase'
printf '%s\n' "$pass" > "$work/pass"
vault="$work/vault.otpv"
# The secrets, as Base32 and as the lower case a terminal would show just as well.
s1=JBSWY3DPEHPK3PXP
s2=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ
s3=MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U
ov() { "$bin" --vault "$vault" --passphrase-file "$work/pass" "$@"; }

ov init --kdf-memory 1M --kdf-time 1 >/dev/null 2>&1 || { echo "cannot create a vault"; exit 1; }
printf '%s\n' "otpauth://totp/GitHub:alice?secret=$s1&issuer=GitHub" \
    "otpauth://hotp/Bank:carol?secret=$s2&counter=5&issuer=Bank" | ov add --uri - >/dev/null \
    || { echo "cannot add accounts"; exit 1; }

screen() { T capture-pane -p -t "$session"; }

wait_for() {
    local text=$1 limit=${2:-5} i=0
    while [ "$i" -lt $((limit * 20)) ]; do
        screen | grep -qF -- "$text" && return 0
        sleep 0.05
        i=$((i + 1))
    done
    why="timed out waiting for '$text'; the screen was:"$'\n'"$(screen)"
    return 1
}

open_pane() {
    session="h$((passed + failed))"
    T new-session -d -s "$session" -x 80 -y 24 "env PS1='$ ' bash --norc --noprofile" \
        || return 1
    T set-option -t "$session" status off >/dev/null
    wait_for '$'
}

app_pid() { pgrep -P "$(T display -p -t "$session" '#{pane_pid}')" -n; }
keys() { T send-keys -t "$session" "$@"; }
type_text() { T send-keys -t "$session" -l "$1"; }
run_app() {
    T send-keys -t "$session" -l "$*; echo EXIT=\$?"
    T send-keys -t "$session" Enter
}

close_pane() {
    [ -n "$session" ] || return 0
    local pid
    pid=$(app_pid 2>/dev/null)
    [ -n "$pid" ] && keys Escape Escape q && sleep 0.3
    T kill-session -t "$session" >/dev/null 2>&1
    session=""
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    return 0
}

run() {
    why=""
    if "$1"; then
        passed=$((passed + 1))
        echo "ok   $1"
    else
        failed=$((failed + 1))
        echo "FAIL $1: $why"
    fi
    close_pane
}

# leaks FILE: the secrets and the passphrase that FILE holds, if any.
leaks() {
    local s
    for s in "$pass" "$s1" "$s2" "$s3" "${s1,,}" "${s2,,}" "${s3,,}"; do
        grep -qaF -- "$s" "$1" && printf '"%s" ' "$s"
    done
}

# Unlocks by typing (echo off), then uses what shows or handles secrets: filter, help, the
# QR code, an add with a new secret, copy, lock and unlock again, quit.
test_typed_passphrase_and_secrets_never_reach_the_terminal() {
    open_pane || return 1
    T pipe-pane -t "$session" -o "cat >> $work/stream"
    run_app "$bin" --vault "$vault"
    wait_for "passphrase" || return 1
    type_text "$pass" && keys Enter && wait_for "2 accounts" || return 1
    keys / && type_text git && keys Enter && wait_for "filter: git" && keys Escape || return 1
    keys '?' && wait_for "copy" && keys Escape || return 1
    keys g Space && sleep 0.3 && keys x || return 1
    keys a && wait_for "Add an account" || return 1
    type_text "otpauth://totp/Acme:dave?secret=$s3&issuer=Acme" && keys Enter \
        && wait_for "added Acme: dave" || return 1
    keys g Enter && wait_for "copied" || return 1
    keys L && wait_for "locked" && type_text "$pass" && keys Enter && wait_for "3 accounts" \
        || return 1
    keys q && wait_for "EXIT=0" || return 1
    sleep 0.2
    T pipe-pane -t "$session"
    grep -qaF "GitHub" "$work/stream" || { why="the app's output was not recorded"; return 1; }
    local bad
    bad=$(leaks "$work/stream")
    [ -z "$bad" ] || { why="written to the terminal: $bad"; return 1; }
    T capture-pane -p -S - -E - -t "$session" > "$work/scrollback"
    bad=$(leaks "$work/scrollback")
    [ -z "$bad" ] || { why="left in the pane or its scrollback: $bad"; return 1; }
}

# A stand-in wl-copy/wl-paste keep "the clipboard" in a file; the config asks for wl-copy
# and a 2-second clear.
test_clipboard_is_cleared_as_configured() {
    mkdir -p "$work/bin" "$work/cfg"
    printf '#!/bin/sh\necho "$@" >> %s/argv\nif [ "$1" = --clear ]; then : > %s/clip; else cat > %s/clip; fi\n' \
        "$work" "$work" "$work" > "$work/bin/wl-copy"
    printf '#!/bin/sh\ncat %s/clip\n' "$work" > "$work/bin/wl-paste"
    chmod 755 "$work/bin/wl-copy" "$work/bin/wl-paste"
    printf 'clipboard:\n  method: wl-copy\n  clear_after: 2s\n' > "$work/cfg/clip.yaml"
    open_pane || return 1
    run_app env "PATH=$work/bin:$PATH" "$bin" --vault "$vault" --passphrase-file "$work/pass" \
        --config "$work/cfg/clip.yaml"
    wait_for "accounts" || return 1
    keys / && type_text github && keys Enter && keys Enter \
        && wait_for "copied with wl-copy; cleared in 2s" || return 1
    local copied
    copied=$(cat "$work/clip" 2>/dev/null)
    [[ $copied =~ ^[0-9]{6}$ ]] || { why="the clipboard holds '$copied', not a code"; return 1; }
    grep -qF -- "$copied" "$work/argv" && { why="the code was on wl-copy's command line"; return 1; }
    wait_for "clipboard cleared" 6 || return 1
    [ ! -s "$work/clip" ] || { why="still in the clipboard: $(cat "$work/clip")"; return 1; }
    keys q && wait_for "EXIT=0"
}

test_no_core_dumps_in_the_app() {
    open_pane || return 1
    run_app "$bin" --vault "$vault"
    wait_for "passphrase" || return 1
    local pid
    pid=$(app_pid)
    [ -n "$pid" ] || { why="no app process"; return 1; }
    grep -E '^Max core file size +0 +0 ' "/proc/$pid/limits" >/dev/null \
        || { why="$(grep 'core file' "/proc/$pid/limits")"; return 1; }
    keys C-c && wait_for "EXIT="
}

T start-server \; set-option -g exit-empty off
echo "tui hygiene tests (tmux $(tmux -V | cut -d' ' -f2), private socket $sock)"
for t in test_typed_passphrase_and_secrets_never_reach_the_terminal \
         test_clipboard_is_cleared_as_configured test_no_core_dumps_in_the_app; do
    run "$t"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
