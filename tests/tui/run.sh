#!/usr/bin/env bash
# tmux-driven tests of the full-screen app: a private tmux server, panes of fixed sizes, keys
# sent with send-keys, the screen read with capture-pane. Nothing sleeps for a fixed long
# time: every step polls the pane for the text it expects, with a timeout.
#
# Environment: OTPVAULT_BIN, the binary under test; FIXTURES_DIR (default ../shared/fixtures)
# and MKSHOT (default bench/mkshot next to the binary) for the screenshot import, skipped with
# a SKIP line when neither is there. Prints one line per test and ends with
# "N passed, M failed"; exits non-zero when any failed.
set -u

bin=${OTPVAULT_BIN:?set OTPVAULT_BIN to the otpvault binary}
sock=otpvault-test-$$
work=$(mktemp -d /tmp/otpvault-tui-XXXXXX)
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
printf 'tui test pass\n' > "$work/pass"
vault="$work/vault.otpv"
# The app reads no clipboard tool here (no display): copying goes through OSC 52.
ov() { "$bin" --vault "$vault" --passphrase-file "$work/pass" "$@"; }

ov init --kdf-memory 1M --kdf-time 1 >/dev/null 2>&1 || { echo "cannot create a vault"; exit 1; }
ov add --uri - >/dev/null <<'EOF' || { echo "cannot add accounts"; exit 1; }
otpauth://totp/GitHub:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub
otpauth://totp/Google:bob@gmail.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Google
otpauth://totp/%E6%97%A5%E6%9C%AC:%E5%A4%AA%E9%83%8E?secret=GEZDGNBVGY3TQOJQ&issuer=%E6%97%A5%E6%9C%AC
otpauth://hotp/Bank:carol?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=5&issuer=Bank
otpauth://totp/Example:eight?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example&digits=8&period=60
otpauth://totp/Steam:gamer?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Steam&encoder=steam
EOF

# Inputs for the import tests: two new accounts, one the vault has, and a line that is not
# an account; and one QR code of a two-code Google Authenticator export (batch id 7, index 0;
# the protobuf written out by hand: one TOTP account Part/one).
cat > "$work/import-uris.txt" <<'EOF'
# exported from somewhere
otpauth://totp/GitHub:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub
otpauth://totp/Acme:dave?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme
otpauth://hotp/Bank:carol?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=5&issuer=Bank&algorithm=SHA256
not a uri
EOF
part=$(printf '\x0a\x1d\x0a\x0aHello!\xde\xad\xbe\xef\x12\x03one\x1a\x04Part\x20\x01\x28\x01\x30\x02'\
'\x10\x01\x18\x02\x20\x00\x28\x07' | base64 -w0 | sed 's/+/%2B/g; s,/,%2F,g; s/=/%3D/g')
printf 'otpauth-migration://offline?data=%s\n' "$part" > "$work/part-1-of-2.txt"
FIXTURES_DIR=${FIXTURES_DIR:-../shared/fixtures}

# ---- helpers ----

screen() { T capture-pane -p -t "$session"; }

# wait_for TEXT [SECONDS]: until the pane shows TEXT (a fixed string).
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

wait_gone() {
    local text=$1 limit=${2:-5} i=0
    while [ "$i" -lt $((limit * 20)) ]; do
        screen | grep -qF -- "$text" || return 0
        sleep 0.05
        i=$((i + 1))
    done
    why="'$text' stayed on screen"
    return 1
}

# A fresh session running a plain shell, so that the app can be started and left again.
open_pane() {
    local w=${1:-80} h=${2:-24}
    session="t$((passed + failed))"
    T new-session -d -s "$session" -x "$w" -y "$h" \
        "env PS1='$ ' bash --norc --noprofile" || return 1
    T set-option -t "$session" status off >/dev/null
    wait_for '$'
}

# Quits an app still running in the pane before the pane goes, and makes sure it is gone:
# a test never leaves a process behind, whatever state it failed in.
close_pane() {
    [ -n "$session" ] || return 0
    local pid i=0
    pid=$(app_pid 2>/dev/null)
    if [ -n "$pid" ]; then
        keys Escape Escape q
        while kill -0 "$pid" 2>/dev/null && [ $i -lt 40 ]; do sleep 0.05; i=$((i + 1)); done
    fi
    T kill-session -t "$session" >/dev/null 2>&1
    session=""
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    return 0
}

# start_app [ENV=VALUE ...] [-- ARGS]: runs the app in the pane and waits for the list.
start_app() {
    local envs="" args=""
    while [ $# -gt 0 ]; do
        if [ "$1" = -- ]; then shift; args="$*"; break; fi
        envs="$envs $1"
        shift
    done
    T send-keys -t "$session" -l \
        "env$envs $bin --vault $vault --passphrase-file $work/pass $args; echo EXIT=\$?"
    T send-keys -t "$session" Enter
}

app_pid() {
    local shell
    shell=$(T display -p -t "$session" '#{pane_pid}')
    pgrep -P "$shell" -n
}

keys() { T send-keys -t "$session" "$@"; }
type_text() { T send-keys -t "$session" -l "$1"; }

# "492039" -> "492 039", as the app groups codes.
group() {
    local c=$1 n=${#1}
    if [[ ! $c =~ ^[0-9]+$ ]] || [ "$n" -le 4 ]; then echo "$c"; return; fi
    echo "${c:0:$((n / 2))} ${c:$((n / 2))}"
}

cli_code() { ov code "$1" --at "${2:-$(date +%s)}" 2>/dev/null; }

# new_vault [URI...]: a vault at $vault holding these accounts (the import tests each set
# their own with `local vault`, so the shared one keeps its six accounts).
new_vault() {
    rm -f "$vault" "$vault.prev"
    ov init --kdf-memory 1M --kdf-time 1 >/dev/null 2>&1 || { why="cannot create $vault"; return 1; }
    [ $# -eq 0 ] || printf '%s\n' "$@" | ov add --uri - >/dev/null 2>&1 \
        || { why="cannot add to $vault"; return 1; }
}
github_uri="otpauth://totp/GitHub:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub"

# shows_cli_code LABEL QUERY: LABEL's row shows the code `otpvault code QUERY --at` gives for
# the second of the capture (retried when the capture straddles a second or a rollover).
shows_cli_code() {
    local label=$1 query=$2 try t0 t1 cap code
    for try in 1 2 3 4 5 6; do
        t0=$(date +%s)
        cap=$(screen)
        t1=$(date +%s)
        if [ "$t0" -ne "$t1" ] || [ $((t0 % 30)) -eq 0 ]; then
            sleep 0.3
            continue
        fi
        code=$(ov code "$query" --at "$t0" 2>/dev/null)
        echo "$cap" | grep -F -- "$label" | grep -qF -- "$(group "$code")" && return 0
        why="at $t0 the row of $label lacks $code"$'\n'"$cap"
        return 1
    done
    why="could not capture within one second"
    return 1
}

# screen_has TEXT...: every TEXT is on screen now.
screen_has() {
    local s want
    s=$(screen)
    for want in "$@"; do
        echo "$s" | grep -qF -- "$want" || { why="the screen lacks '$want':"$'\n'"$s"; return 1; }
    done
}

run() {
    local name=$1
    why=""
    if "$name"; then
        passed=$((passed + 1))
        echo "ok   $name"
    else
        failed=$((failed + 1))
        echo "FAIL $name: $why"
    fi
    close_pane
}

# ---- tests ----

# The codes on screen equal `otpvault code --at` for the same second; retried when the
# capture straddles a second or falls on a rollover, where the screen may lag a tick.
test_codes_match_cli() {
    open_pane && start_app && wait_for "6 accounts" || return 1
    local try t0 t1 cap
    for try in 1 2 3 4 5 6; do
        t0=$(date +%s)
        cap=$(screen)
        t1=$(date +%s)
        if [ "$t0" -ne "$t1" ] || [ $((t0 % 30)) -eq 0 ]; then
            sleep 0.3
            continue
        fi
        local bad=""
        while read -r code _ label; do
            local who=${label%%:*} want
            want=$(group "$code")
            case $label in Bank:*) continue ;; esac   # HOTP: hidden until asked for
            echo "$cap" | grep -F -- "$who" | grep -qF -- "$want" || bad="$bad $who($want)"
        done < <(ov code --at "$t0" 2>/dev/null)
        [ -z "$bad" ] && return 0
        why="at $t0 the screen lacks:$bad"$'\n'"$cap"
        return 1
    done
    why="could not capture within one second"
    return 1
}

test_filter() {
    open_pane && start_app && wait_for "6 accounts" || return 1
    keys / && type_text "GOO" && wait_for "/GOO" && wait_gone "GitHub" || return 1
    screen | grep -qF "Google" || { why="Google filtered out"; return 1; }
    header_has "1 of 6" || return 1   # the count of what is shown, while the filter is typed
    keys Enter && wait_for "filter: GOO" && header_has "1 of 6" || return 1
    keys Escape && wait_for "GitHub" && wait_for "6 accounts"
}

test_hotp_increment_persists() {
    open_pane && start_app && wait_for "#5" || return 1
    keys g && keys + && wait_for "counter 6, saved" && wait_for "#6" || return 1
    local code
    code=$(ov code Bank 2>/dev/null)
    screen | grep -F "Bank" | grep -qF "$(group "$code")" \
        || { why="screen does not show the counter-6 code $code"; return 1; }
    keys q && wait_for "EXIT=0" || return 1
    keys C-l
    start_app && wait_for "#6" || return 1
    keys - && wait_for "#5" && keys q && wait_for "EXIT=0" || return 1
    [ "$(ov code Bank 2>/dev/null)" != "$code" ] || { why="- did not persist"; return 1; }
}

# check_osc52 FILE WRAPPED: the pipe-pane capture holds the OSC 52 of GitHub's code.
check_osc52() {
    local file=$1 wrapped=$2 now c b64 want i
    now=$(date +%s)
    for i in 0 1 2; do
        c=$(cli_code github $((now - i)))
        b64=$(printf '%s' "$c" | base64)
        if [ "$wrapped" = yes ]; then
            want=$(printf '\033Ptmux;\033\033]52;c;%s\a\033\\' "$b64")
        else
            want=$(printf '\033]52;c;%s\a' "$b64")
        fi
        grep -qF -- "$want" "$file" && return 0
    done
    why="no OSC 52 of $c (wrapped: $wrapped) in: $(od -c "$file" | grep -F ']' | head -3)"
    return 1
}

copy_github() {
    local out=$1
    keys / && type_text github && keys Enter && wait_for "filter: github" || return 1
    T pipe-pane -t "$session" -o "cat >> $out"
    keys Enter && wait_for "code copied (OSC 52" || return 1
    sleep 0.2
    T pipe-pane -t "$session"
}

# Inside tmux the copy takes the way tmux lets through, checked on tmux's own options: a
# plain OSC 52 with set-clipboard on (tmux then holds it as a buffer, which proves it
# arrived), the passthrough with allow-passthrough on, and neither by default: then the app
# says so and names the line of tmux config that fixes it.
tmux_clipboard() { T set -g set-clipboard "$1" \; set -g allow-passthrough "$2"; }

test_copy_osc52_tmux() {
    tmux_clipboard on off
    T delete-buffer 2>/dev/null
    open_pane && start_app SSH_CONNECTION=10.0.0.1 && wait_for "6 accounts" || return 1
    screen | grep -qF "OSC 52 via tmux" || { why="status line: $(screen | tail -n 1)"; return 1; }
    copy_github "$work/osc-tmux" && check_osc52 "$work/osc-tmux" no || return 1
    local code buffer
    buffer=$(T show-buffer 2>/dev/null)
    code=$(cli_code github)
    [ "$buffer" = "$code" ] || [ "$buffer" = "$(cli_code github $(($(date +%s) - 2)))" ] || {
        why="tmux's buffer holds '$buffer', not the code"; return 1; }
    tmux_clipboard external off
}

test_copy_osc52_tmux_passthrough() {
    tmux_clipboard external on
    open_pane && start_app SSH_CONNECTION=10.0.0.1 && wait_for "6 accounts" || return 1
    copy_github "$work/osc-pass" && check_osc52 "$work/osc-pass" yes || return 1
    tmux_clipboard external off
}

test_copy_osc52_tmux_blocked_is_said() {
    tmux_clipboard external off
    open_pane && start_app SSH_CONNECTION=10.0.0.1 && wait_for "6 accounts" || return 1
    wait_for "OSC 52 blocked by tmux" || return 1
    keys / && type_text github && keys Enter && wait_for "filter: github" || return 1
    T pipe-pane -t "$session" -o "cat >> $work/osc-blocked"
    keys Enter && wait_for "not copied" && wait_for "set -g set-clipboard on" || return 1
    sleep 0.2
    T pipe-pane -t "$session"
    if grep -qF "]52;" "$work/osc-blocked" 2>/dev/null; then
        why="an OSC 52 was sent that tmux drops"; return 1
    fi
}

test_copy_osc52_plain() {
    open_pane && start_app -u TMUX SSH_TTY=/dev/pts/9 && wait_for "6 accounts" || return 1
    screen | grep -qF "OSC 52" || { why="status line does not name OSC 52"; return 1; }
    copy_github "$work/osc-plain" && check_osc52 "$work/osc-plain" no
}

test_resize() {
    open_pane 80 24 && start_app && wait_for "alice@example.com" || return 1
    screen | grep -qF "NAME" || { why="no NAME column at 80x24"; return 1; }
    T resize-window -t "$session" -x 40 -y 12 && wait_gone "NAME" || return 1
    wait_for "GitHub: alice" && wait_for "ACCOUNT" || return 1
    T resize-window -t "$session" -x 100 -y 30 && wait_for "NAME"
}

test_small_terminal() {
    open_pane 40 10 && start_app && wait_for "6 accounts" || return 1
    local code
    code=$(cli_code github)
    wait_for "GitHub: alice" && wait_for "$(group "$code")" 2 || {
        code=$(cli_code github)   # rolled over meanwhile
        wait_for "$(group "$code")" 2 || return 1
    }
    keys G && wait_for "Steam: gamer" && keys / && type_text "ban" && wait_for "#5"
}

# Narrow windows keep a countdown: the most common period (30 s here, one account has 60 s),
# or the selected account's, even where the header has room for nothing else.
header_has() {
    local text=$1 i=0
    while [ "$i" -lt 60 ]; do
        screen | head -n 1 | grep -qF -- "$text" && return 0
        sleep 0.05
        i=$((i + 1))
    done
    why="the header lacks '$text': $(screen | head -n 1)"
    return 1
}

test_narrow_header_keeps_a_countdown() {
    open_pane 60 20 && start_app && wait_for "6 accounts" || return 1
    header_has "30s" || return 1
    T resize-window -t "$session" -x 40 -y 10 && sleep 0.3 && header_has "30s" || return 1
    T resize-window -t "$session" -x 30 -y 10 && sleep 0.3 && header_has "30s" || return 1
    keys / && type_text "eight" && keys Enter && wait_for "Example" && header_has "60s"
}

test_lock_and_unlock() {
    open_pane && start_app && wait_for "6 accounts" || return 1
    keys L && wait_for "locked" && wait_gone "GitHub" || return 1
    local code
    code=$(cli_code github)
    screen | grep -qF "$(group "$code")" && { why="a code is still on screen"; return 1; }
    type_text "tui test pass" && keys Enter && wait_for "unlocked: 6 accounts"
}

test_wrong_passphrase() {
    open_pane && start_app && wait_for "6 accounts" || return 1
    keys L && wait_for "locked" || return 1
    type_text "not it" && keys Enter && wait_for "wrong passphrase or damaged vault (try 1 of 5)" \
        || return 1
    # Typing during the delay is ignored; then the right one works.
    wait_gone "again in" && type_text "tui test pass" && keys Enter \
        && wait_for "unlocked: 6 accounts"
}

test_quit_restores_terminal() {
    open_pane && start_app && wait_for "6 accounts" || return 1
    [ "$(T display -p -t "$session" '#{alternate_on}')" = 1 ] \
        || { why="the app did not use the alternate screen"; return 1; }
    keys q && wait_for "EXIT=0" || return 1
    [ "$(T display -p -t "$session" '#{alternate_on}')" = 0 ] \
        || { why="still on the alternate screen"; return 1; }
    local now c
    now=$(date +%s)
    for c in $(ov code --at "$now" | awk '{print $1}') $(ov code --at $((now - 1)) | awk '{print $1}'); do
        T capture-pane -p -S - -t "$session" | grep -qF -- "$(group "$c")" \
            && { why="code $c is left in the pane or its scrollback"; return 1; }
    done
    return 0
}

test_ctrl_c_and_signals() {
    open_pane && start_app && wait_for "6 accounts" || return 1
    keys C-c && wait_for "EXIT=130" || return 1
    [ "$(T display -p -t "$session" '#{alternate_on}')" = 0 ] || { why="Ctrl-C left the alternate screen on"; return 1; }
    keys C-l && start_app && wait_for "6 accounts" || return 1
    kill -TERM "$(app_pid)" && wait_for "EXIT=143" || return 1
    keys C-l && start_app && wait_for "6 accounts" || return 1
    kill -HUP "$(app_pid)" && wait_for "EXIT=129" || return 1
    [ "$(T display -p -t "$session" '#{alternate_on}')" = 0 ] || { why="SIGHUP left the alternate screen on"; return 1; }
}

test_no_color() {
    open_pane && start_app NO_COLOR=1 && wait_for "6 accounts" || return 1
    # Colours are SGR 30-37/39-47/49 or 38;/48;: none may appear; bold/reverse may.
    if T capture-pane -p -e -t "$session" | grep -qE $'\033\\[([0-9;]*;)?(3[0-8]|4[0-8])(;[0-9;]*)?m'; then
        why="colour escapes under NO_COLOR"
        return 1
    fi
    keys q && wait_for "EXIT=0" && keys C-l && start_app && wait_for "6 accounts" || return 1
    T capture-pane -p -e -t "$session" | grep -qE $'\033\\[([0-9;]*;)?3[0-7]' \
        || { why="no colours without NO_COLOR either: the check above proves nothing"; return 1; }
}

test_term_linux() {
    open_pane && start_app TERM=linux && wait_for "6 accounts" && wait_for "Steam" || return 1
    keys j && keys q && wait_for "EXIT=0"
}

test_help_lists_every_action() {
    open_pane 80 40 && start_app && wait_for "6 accounts" || return 1
    keys '?' && wait_for "otpvault keys" || return 1
    local s
    s=$(screen)
    for what in "copy the code" "filter as you type" "lock now" "HOTP: next counter" \
                "undo the last delete" "show the account's QR code" "import accounts" \
                "quit"; do
        echo "$s" | grep -qF "$what" || { why="help lacks '$what'"; return 1; }
    done
    keys Escape && wait_gone "otpvault keys"
}

# In a narrow window a help line too long for it goes on under its key, never cut off.
test_help_wraps_long_lines() {
    open_pane 50 80 && start_app && wait_for "6 accounts" || return 1
    keys '?' && wait_for "otpvault keys" || return 1
    wait_for "Esc cancel" && wait_for "import what was read of an" || return 1
    keys Escape && wait_gone "otpvault keys"
}

test_add_delete_undo() {
    open_pane && start_app && wait_for "6 accounts" || return 1
    keys a && wait_for "Add an account" || return 1
    type_text "otpauth://totp/Acme:dave?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme"
    screen | grep -qF "GEZDGNBV" && { why="the form shows the secret"; return 1; }
    keys Enter && wait_for "added Acme: dave" && wait_for "7 accounts" || return 1
    ov list | grep -qF "dave" || { why="the new account is not in the vault"; return 1; }
    keys / && type_text acme && keys Enter && keys d && wait_for "Delete Acme: dave?" || return 1
    keys y && wait_for "deleted Acme: dave" || return 1
    ov list | grep -qF "dave" && { why="deleted account still in the vault"; return 1; }
    keys u && wait_for "restored Acme: dave" || return 1
    ov list | grep -qF "dave" || { why="undo did not reach the vault"; return 1; }
    keys d && wait_for "Delete Acme" && keys y && wait_for "deleted Acme" || return 1
}

test_add_form_validation() {
    open_pane && start_app && wait_for "6 accounts" || return 1
    keys a && wait_for "Add an account" && keys Tab Tab || return 1
    type_text "nameonly" && keys Enter && wait_for "paste an otpauth:// URI above" || return 1
    keys Tab && type_text "not base32!" && keys Enter && wait_for "secret (Base32):" || return 1
    keys Escape && wait_for "nothing changed"
}

# Another program saves while the app is open: the app's change goes on top of what it saved
# when that is unambiguous (a counter step on an account the other left alone), and is not
# made when the other program changed that very account.
test_vault_changed_elsewhere() {
    open_pane && start_app && wait_for "6 accounts" || return 1
    printf 'otpauth://totp/Other:erin?secret=GEZDGNBVGY3TQOJQ&issuer=Other\n' | ov add --uri - \
        >/dev/null 2>&1 || { why="CLI add failed"; return 1; }
    keys g && keys + && wait_for "counter 6, saved" && wait_for "7 accounts" || return 1
    screen_has "erin" "#6" || return 1
    ov list | grep -q "erin" || { why="the other program's account was lost"; return 1; }
    ov edit Bank:carol --counter 9 >/dev/null 2>&1 || { why="CLI edit failed"; return 1; }
    keys - && wait_for "another program changed Bank: carol" && wait_for "#9" || return 1
    ov edit Bank:carol --counter 5 >/dev/null 2>&1
    ov rm Other:erin --yes >/dev/null 2>&1
    keys q && wait_for "EXIT=0"
}

test_auto_lock() {
    mkdir -p "$work/cfg"
    printf 'lock_timeout: 2s\n' > "$work/cfg/lock.yaml"
    open_pane && start_app -- --config "$work/cfg/lock.yaml" && wait_for "6 accounts" || return 1
    wait_for "locked after 2 seconds idle" 6 && wait_gone "GitHub"
}

test_first_run_creates_vault() {
    open_pane || return 1
    local fresh="$work/new/v.otpv"
    T send-keys -t "$session" -l "$bin --vault $fresh; echo EXIT=\$?"
    keys Enter && wait_for "create a vault" || return 1
    type_text "short" && wait_for "strength: weak" || return 1
    keys Enter && type_text "different" && keys Enter && wait_for "differ" || return 1
    type_text "a long enough passphrase" && keys Enter && type_text "a long enough passphrase"
    keys Enter && wait_for "created $fresh" 10 && wait_for "Import accounts now?" || return 1
    keys Enter && wait_gone "Import accounts now?" && wait_for "No accounts yet" || return 1
    keys q && wait_for "EXIT=0" && [ -f "$fresh" ] || { why="no vault file"; return 1; }
}

# A new machine: the first-run screen restores a backup in one step (Ctrl-R, the newest
# backup in backup.dir filled in, its passphrase), and the vault opens under it.
test_first_run_restores_a_backup() {
    mkdir -p "$work/stick" "$work/cfg"
    rm -f "$work/stick"/*
    printf 'backup:\n  dir: %s\n' "$work/stick" > "$work/cfg/stick.yaml"
    ov --config "$work/cfg/stick.yaml" backup create >/dev/null 2>&1 || { why="backup create failed"; return 1; }
    local fresh="$work/newmachine/v.otpv"
    rm -rf "$work/newmachine"
    open_pane 120 30 || return 1
    T send-keys -t "$session" -l "$bin --vault $fresh --config $work/cfg/stick.yaml; echo EXIT=\$?"
    keys Enter && wait_for "create a vault" && wait_for "Ctrl-R restores a backup" || return 1
    keys C-r && wait_for "restore from a backup" && wait_for "the newest backup in $work/stick" \
        && screen_has "stick/otpvault-" || return 1
    type_text "wrong" && keys Enter && wait_for "no vault was created" 10 || return 1
    [ ! -f "$fresh" ] || { why="a failed restore left a vault"; return 1; }
    type_text "tui test pass" && keys Enter && wait_for "restored 6 accounts from the backup" 10 \
        && wait_for "6 accounts" || return 1
    keys q && wait_for "EXIT=0" || return 1
    "$bin" --vault "$fresh" --passphrase-file "$work/pass" list | grep -qF "Steam" \
        || { why="the restored vault does not open with the backup's passphrase"; return 1; }
}

# ---- import (i) ----

# Names holding terminal controls (an OSC 52 clipboard write, a clear-screen, a C1 CSI, a
# bidi override, DEL, CR) appear in the list and in the import preview as their display
# forms; none reaches the terminal (tmux, told to accept OSC 52, gets no paste buffer).
test_hostile_names_in_the_app() {
    local vault="$work/hostile.otpv" clip
    clip=$(T show-options -sv set-clipboard)
    new_vault "otpauth://totp/%1B%5D52%3Bc%3BY3Vy%07:alice%1B%5B2J?secret=JBSWY3DPEHPK3PXP&issuer=%1B%5D52%3Bc%3BY3Vy%07" \
        "otpauth://totp/Bidi%E2%80%AEmoc.elgoog:%C2%9B31m?secret=GEZDGNBVGY3TQOJQ&issuer=Bidi%E2%80%AEmoc.elgoog" \
        "otpauth://totp/Plain:del%7Fcr%0Dend?secret=KRSXG5CTMVRXEZLU&issuer=Plain" || return 1
    printf '%s\n' "otpauth://totp/Evil%E2%80%AE:x%1B%5D52%3Bc%3BZXZpbA%3D%3D%07?secret=MFRGGZDFMZTWQ2LK" \
        > "$work/hostile-uris.txt"
    T set-option -s set-clipboard on
    T delete-buffer -b hostile 2>/dev/null; while T delete-buffer 2>/dev/null; do :; done
    open_pane 150 30 && start_app && wait_for "3 accounts" || { T set-option -s set-clipboard "$clip"; return 1; }
    wait_for 'Bidi\u202emoc.elgoog' && screen_has '\x1b]52;c;Y3Vy\x07' 'alice\x1b[2J' \
        '\u009b31m' 'del\x7fcr\x0dend' || { T set-option -s set-clipboard "$clip"; return 1; }
    keys i && wait_for "Import accounts" && type_text "$work/hostile-uris.txt" && keys Enter \
        && wait_for 'Evil\u202e' && screen_has 'x\x1b]52;c;ZXZpbA==\x07' \
        || { T set-option -s set-clipboard "$clip"; return 1; }
    keys Escape && wait_for "3 accounts" && keys q && wait_for "EXIT=0"
    local got
    got=$(T list-buffers 2>/dev/null)
    T set-option -s set-clipboard "$clip"
    [ -z "$got" ] || { why="an OSC 52 from a name reached tmux: $got"; return 1; }
}

# A vault in a directory others can write (they could swap the vault): the app says so on
# unlock, with the chmod that fixes it, as the command line does.
test_exposed_directory_is_warned_about() {
    mkdir -p "$work/open" && chmod 0777 "$work/open"
    local vault="$work/open/v.otpv"
    new_vault "$github_uri" && open_pane 250 24 && start_app && wait_for "can be written by other users" \
        && screen_has "chmod go-w $work/open" || return 1
    keys q && wait_for "EXIT=0"
}

# A text file of otpauth:// URIs, found with Tab: the preview shows them (never a secret),
# Enter adds them, and after a restart the app's codes are the command line's.
test_import_uri_file() {
    local vault="$work/imp-uri.otpv"
    new_vault "$github_uri" && open_pane && start_app && wait_for "1 account" || return 1
    keys i && wait_for "Import accounts" || return 1
    type_text "$work/import-u" && keys Tab && wait_for "import-uris.txt" || return 1
    keys Enter && wait_for "2 new, 1 already in the vault, 1 failed" || return 1
    screen_has "Acme" "dave" "TOTP SHA1, 6 digits, 30 s" "Bank" "carol" \
        "HOTP SHA256, 6 digits, counter 5" "import-uris.txt: line 5" \
        "already in the vault, skipped:" "GitHub: alice@example.com" "Enter/y: add 2" \
        || return 1
    screen | grep -qF "GEZDGNBV" && { why="the preview shows a secret"; return 1; }
    keys Enter && wait_for "imported 2 accounts from import-uris.txt (1 already present)" \
        && wait_for "3 accounts" || return 1
    keys q && wait_for "EXIT=0" || return 1
    [ "$(ov list | grep -c -e Acme -e Bank)" = 2 ] || { why="not in the vault: $(ov list)"; return 1; }
    keys C-l && start_app && wait_for "3 accounts" && shows_cli_code "Acme" acme
}

# A Google Authenticator screenshot, named with ~ and backslash-escaped spaces.
test_import_screenshot() {
    local vault="$work/imp-shot.otpv" png="$FIXTURES_DIR/extract-otp-secrets/example_export.png"
    local mkshot=${MKSHOT:-$(dirname "$bin")/bench/mkshot} n
    mkdir -p "$HOME/my shots"
    if [ -f "$png" ]; then
        cp "$png" "$HOME/my shots/shot one.png"
        n=3
    elif [ -x "$mkshot" ]; then
        "$mkshot" "$HOME/my shots/shot one.png" >/dev/null || { why="mkshot failed"; return 1; }
        n=10
    else
        echo "SKIP test_import_screenshot: no $png and no $mkshot (make $mkshot)"
        return 0
    fi
    new_vault && open_pane && start_app && wait_for "0 accounts" || return 1
    keys i && wait_for "Import accounts" && type_text '~/my\ shots/shot\ one.png' || return 1
    keys Enter && wait_for "$n new, 0 already in the vault, 0 failed" 20 || return 1
    if [ "$n" = 3 ]; then
        screen_has "Test1" "test1@example1.com" "Test3" "test3@example3.com" || return 1
    fi
    keys y && wait_for "imported $n accounts from shot one.png" || return 1
    [ "$(ov list | tail -n +2 | wc -l)" = "$n" ] || { why="vault: $(ov list)"; return 1; }
}

# Esc, n and q leave the preview with nothing changed; the typed paths are kept for another
# try; the preview survives a tiny terminal.
test_import_cancel() {
    local vault="$work/imp-cancel.otpv" before
    new_vault "$github_uri" && open_pane && start_app && wait_for "1 account" || return 1
    before=$(sha256sum < "$vault")
    keys i && type_text "$work/import-uris.txt" && keys Enter && wait_for "2 new" || return 1
    T resize-window -t "$session" -x 40 -y 10 && sleep 0.3
    T resize-window -t "$session" -x 80 -y 24 && wait_for "2 new" || return 1
    keys Escape && wait_for "nothing imported" && wait_for "1 account" || return 1
    keys i && wait_for "import-uris.txt" && keys Enter && wait_for "2 new" && keys n \
        && wait_gone "2 new" || return 1
    keys i && keys Enter && wait_for "2 new" && keys q && wait_gone "2 new" || return 1
    wait_for "1 account" || return 1   # q cancelled the preview, it did not quit the app
    [ "$(sha256sum < "$vault")" = "$before" ] || { why="the vault file changed"; return 1; }
    [ "$(ov list | tail -n +2 | wc -l)" = 1 ] || { why="vault: $(ov list)"; return 1; }
}

# Inputs that cannot be read say why and change nothing.
test_import_unreadable() {
    local vault="$work/imp-bad.otpv"
    new_vault "$github_uri" && open_pane && start_app && wait_for "1 account" || return 1
    keys i && type_text "'$work/no such.png'" && keys Enter \
        && wait_for "no such.png: No such file or directory" || return 1
    keys C-u && type_text "$work" && keys Enter && wait_for "is a directory" || return 1
    keys C-u && type_text "'unclosed" && keys Enter && wait_for "quote (') is not closed" \
        || return 1
    keys C-u && type_text "$work/pass" && keys Enter && wait_for "1 input could not be read" \
        && wait_for 'plain text ("tui test pass")' && wait_for "p: import the codes that were" \
        || return 1
    keys Escape && wait_for "nothing imported" && wait_for "1 account"
}

# One QR code of two: "QR 2 of 2 is missing", nothing added unless p asks for the rest.
test_import_incomplete_batch() {
    local vault="$work/imp-part.otpv"
    new_vault && open_pane && start_app && wait_for "0 accounts" || return 1
    keys i && type_text "$work/part-1-of-2.txt" && keys Enter \
        && wait_for "QR 2 of 2 is missing" || return 1
    screen | grep -qF "Enter/y: add" && { why="Enter offered for an incomplete export"; return 1; }
    wait_for "or use p" || return 1
    screen | grep -qF -- "--allow-partial" && { why="the app names the CLI's option"; return 1; }
    keys Enter && wait_for "p imports the codes that were" || return 1
    keys p && wait_for "Enter/y: add 1" && screen_has "Part" "one" || return 1
    keys Enter && wait_for "imported 1 account from part-1-of-2.txt" && wait_for "1 account" \
        || return 1
    ov list | grep -qF "Part" || { why="not in the vault"; return 1; }
}

# Space leaves an account out.
test_import_leave_one_out() {
    local vault="$work/imp-some.otpv"
    new_vault && open_pane && start_app && wait_for "0 accounts" || return 1
    keys i && type_text "$work/import-uris.txt" && keys Enter && wait_for "Enter/y: add 3" \
        || return 1
    keys Space && wait_for "Enter/y: add 2" && wait_for "[ ] GitHub" && keys Enter \
        && wait_for "imported 2 accounts" || return 1
    ov list | grep -qF GitHub && { why="the account left out was added"; return 1; }
    [ "$(ov list | tail -n +2 | wc -l)" = 2 ] || { why="vault: $(ov list)"; return 1; }
}

# A save that fails (another writer holds the lock past the app's wait) adds nothing, in
# memory or on disk, and the same paths work once the lock is gone. A vault changed by
# another program after the preview is reloaded, and the import is not saved over it.
test_import_save_fails() {
    local vault="$work/imp-lock.otpv" fd
    new_vault "$github_uri" && open_pane && start_app && wait_for "1 account" || return 1
    keys i && type_text "$work/import-uris.txt" && keys Enter && wait_for "Enter/y: add 2" \
        || return 1
    exec {fd}>"$vault.lock"
    flock -x "$fd"
    keys Enter
    # The lock stays busy: nothing saved, and the preview stays for another try.
    wait_for "import not saved" 8 && wait_for "Enter/y: add 2" || { exec {fd}>&-; return 1; }
    exec {fd}>&-
    [ "$(ov list | tail -n +2 | wc -l)" = 1 ] || { why="vault: $(ov list)"; return 1; }
    keys Enter && wait_for "imported 2 accounts" && wait_for "3 accounts" || return 1
    # Another program adds an account while the preview is open: the import goes on top.
    printf '%s\n' "otpauth://totp/Zeta:zed?secret=GEZDGNBVGY3TQOJQ&issuer=Zeta" > "$work/zeta.txt"
    keys i && type_text "$work/zeta.txt" && keys Enter && wait_for "Enter/y: add 1" || return 1
    printf '%s\n' "otpauth://totp/Other:erin?secret=GEZDGNBVGY3TQOJQ&issuer=Other" \
        | ov add --uri - >/dev/null 2>&1 || { why="CLI add failed"; return 1; }
    keys Enter && wait_for "imported 1 account" && wait_for "5 accounts" || return 1
    ov list | grep -qF Zeta && ov list | grep -qF erin \
        || { why="an import or the other program's add was lost: $(ov list)"; return 1; }
    # The same account added meanwhile by another program counts as already there.
    printf '%s\n' "otpauth://totp/Yota:yo?secret=GEZDGNBVGY3TQOJQ&issuer=Yota" > "$work/yota.txt"
    keys i && type_text "$work/yota.txt" && keys Enter && wait_for "Enter/y: add 1" || return 1
    ov add --uri - < "$work/yota.txt" >/dev/null 2>&1 || { why="CLI add failed"; return 1; }
    keys Enter && wait_for "6 accounts" && wait_for "already" || return 1
    [ "$(ov list | grep -c Yota)" = 1 ] || { why="Yota twice: $(ov list)"; return 1; }
}

# An encrypted export asks for its password (hidden), says so when it is wrong, and takes
# another try. Needs an importer of encrypted exports (Aegis) and its fixture.
test_import_password() {
    local vault="$work/imp-pw.otpv" src="$FIXTURES_DIR/aegis-importers/aegis_encrypted.json"
    if ! "$bin" formats | grep -qE '^import +aegis ' || [ ! -f "$src" ]; then
        echo "SKIP test_import_password: no aegis importer in this build, or no $src"
        return 0
    fi
    # A short path, so the messages quoting it fit on one line whatever FIXTURES_DIR is.
    local f="$work/enc.json"
    cp "$src" "$f"
    new_vault && open_pane && start_app && wait_for "0 accounts" || return 1
    keys i && type_text "$f" && keys Enter && wait_for "Password of" || return 1
    type_text "not it" && sleep 0.2
    screen | grep -qF "not it" && { why="the password is shown"; return 1; }
    keys Enter && wait_for "wrong password" && wait_for "Password of" || return 1
    type_text "test" && keys Enter && wait_for "7 new" || return 1
    keys Escape && wait_for "nothing imported"
}

# An otpvault backup through the app's import: recognised as ours (never another format's
# encrypted file), its passphrase asked, its accounts in the preview.
test_import_an_otpvault_backup() {
    local vault="$work/imp-backup.otpv" backup="$work/backup-of-main.otpv"
    cp "$work/vault.otpv" "$backup"
    new_vault && open_pane && start_app && wait_for "0 accounts" || return 1
    keys i && type_text "$backup" && keys Enter && wait_for "Password of" || return 1
    screen | grep -qiF "andOTP" && { why="claimed by another format"; return 1; }
    type_text "tui test pass" && keys Enter && wait_for "6 new" 10 || return 1
    keys Enter && wait_for "6 accounts" 10 || return 1
    keys q && wait_for "EXIT=0"
}

# The first run offers to import, into the same preview.
test_first_run_offers_import() {
    open_pane || return 1
    local fresh="$work/new-import/v.otpv"
    T send-keys -t "$session" -l "$bin --vault $fresh; echo EXIT=\$?"
    keys Enter && wait_for "create a vault" || return 1
    type_text "a long enough passphrase" && keys Enter && type_text "a long enough passphrase"
    keys Enter && wait_for "Import accounts now?" 10 || return 1
    type_text "$work/import-uris.txt" && keys Enter && wait_for "3 new, 0 already in the vault" \
        || return 1
    keys Enter && wait_for "imported 3 accounts from import-uris.txt" && wait_for "3 accounts" \
        || return 1
    keys q && wait_for "EXIT=0"
}

test_qr_code_or_a_note() {
    open_pane 80 24 && start_app && wait_for "6 accounts" || return 1
    keys / && type_text github && keys Enter && keys Space && wait_for "Enlarge it" || return 1
    keys x && wait_for "filter: github" || return 1
    T resize-window -t "$session" -x 100 -y 40 && keys Space && wait_for "scan it with the phone" \
        || return 1
    local blocks
    blocks=$(screen | grep -c "█")
    [ "$blocks" -ge 15 ] || { why="only $blocks rows of QR blocks"; return 1; }
    keys x && wait_gone "scan it with the phone"
}

test_rename_edit_and_sort() {
    open_pane && start_app && wait_for "6 accounts" || return 1
    keys / && type_text steam && keys Enter && keys r && wait_for "Rename Steam: gamer" || return 1
    keys Down C-u && type_text "player one" && keys Enter && wait_for "saved Steam: player one" \
        || return 1
    ov list | grep -qF "player one" || { why="rename not in the vault"; return 1; }
    keys e && wait_for "Edit Steam: player one" || return 1
    keys Down C-u && type_text "gamer" && keys Down && type_text "games" && keys Enter \
        && wait_for "saved Steam: gamer" || return 1
    ov list | grep -F "gamer" | grep -qF "[games]" || { why="edit (group) not in the vault"; return 1; }
    keys Escape && wait_for "games" || return 1   # groups get a header row
    keys s && wait_for "sorted by name" && keys s && wait_for "sorted by recent" || return 1
    ov edit Steam:gamer --group "" >/dev/null 2>&1   # as it was, for the tests after this
}

test_copy_uri_asks_first() {
    tmux_clipboard on off
    open_pane && start_app SSH_TTY=/dev/pts/9 && wait_for "6 accounts" || return 1
    keys / && type_text github && keys Enter && keys Y && wait_for "Copy the otpauth:// URI of GitHub" || return 1
    keys n && wait_for "nothing done" || return 1
    T pipe-pane -t "$session" -o "cat >> $work/osc-uri"
    keys Y && wait_for "Copy the otpauth:// URI of GitHub" && keys y && wait_for "URI copied" || return 1
    sleep 0.2
    T pipe-pane -t "$session"
    # otpauth://totp/GitHub:alice%40example.com?secret=JBSWY3DPEHPK3PXP&... in Base64 holds
    # this prefix: base64("otpauth://totp/GitHub:") = b3RwYXV0aDovL3RvdHAvR2l0SHViOg==
    grep -qF "]52;c;b3RwYXV0aDovL3RvdHAvR2l0SHVi" "$work/osc-uri" \
        || { why="no OSC 52 with the URI"; return 1; }
    tmux_clipboard external off
}

test_terminal_going_away() {
    # Under AddressSanitizer, LeakSanitizer's exit-time stop-the-world sends SIGSTOP, which the
    # SIGCONT that comes with a hang-up cancels, and its tracer then waits forever. That is the
    # runtime, not the app (a normal build exits at once): leak checks are off for this test.
    open_pane && start_app ASAN_OPTIONS=detect_leaks=0 && wait_for "6 accounts" || return 1
    local pid i=0
    pid=$(app_pid)
    T kill-session -t "$session"
    session=""
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
    if kill -0 "$pid" 2>/dev/null; then
        why="the app (pid $pid) outlived its terminal"
        kill -KILL "$pid"
        return 1
    fi
    return 0
}

test_tiny_terminal_survives() {
    open_pane 80 24 && start_app && wait_for "6 accounts" || return 1
    T resize-window -t "$session" -x 20 -y 5 && sleep 0.3
    T resize-window -t "$session" -x 12 -y 3 && sleep 0.3
    T resize-window -t "$session" -x 80 -y 24 && wait_for "6 accounts" && wait_for "NAME" || return 1
    keys q && wait_for "EXIT=0"
}

# ---- moving out: QR pages, transfer codes, backups, the drill ----

# A second vault with 12 accounts: two transfer codes.
many_vault() {
    local v="$work/many.otpv" i letters=ABCDEFGHIJKL
    [ -f "$v" ] && return 0
    "$bin" --vault "$v" --passphrase-file "$work/pass" init --kdf-memory 1M --kdf-time 1 \
        >/dev/null 2>&1 || return 1
    for i in $(seq 0 11); do
        printf 'otpauth://totp/Svc%02d:user%02d?secret=JBSWY3DPEHPK3P%s%s&issuer=Svc%02d\n' \
            "$i" "$i" "${letters:$i:1}" "${letters:$i:1}" "$i"
    done | "$bin" --vault "$v" --passphrase-file "$work/pass" add --uri - >/dev/null 2>&1
}

# `otpvault qr --migration` on a terminal: one code at a time on the alternate screen, n/p,
# and nothing left in the scrollback after q.
test_qr_command_pages() {
    many_vault || { why="cannot make the 12-account vault"; return 1; }
    open_pane 120 50 || return 1
    T send-keys -t "$session" -l "$bin --vault $work/many.otpv --passphrase-file $work/pass qr --migration; echo EXIT=\$?"
    keys Enter && wait_for "QR 1 of 2: transfer code 1 of 2 (accounts 1-10 of 12)" || return 1
    [ "$(T display -p -t "$session" '#{alternate_on}')" = 1 ] \
        || { why="not on the alternate screen"; return 1; }
    [ "$(screen | grep -c "█")" -ge 20 ] || { why="no QR drawn"; return 1; }
    keys n && wait_for "QR 2 of 2" && wait_gone "QR 1 of 2" || return 1
    keys p && wait_for "QR 1 of 2" || return 1
    keys q && wait_for "EXIT=0" || return 1
    [ "$(T display -p -t "$session" '#{alternate_on}')" = 0 ] || { why="still on the alternate screen"; return 1; }
    if T capture-pane -p -S - -t "$session" | grep -qF "█"; then
        why="a QR code is left in the pane or its scrollback"
        return 1
    fi
}

test_qr_command_too_small() {
    many_vault || return 1
    open_pane 60 20 || return 1
    T send-keys -t "$session" -l "$bin --vault $work/many.otpv --passphrase-file $work/pass qr --migration; echo EXIT=\$?"
    keys Enter && wait_for "needs a terminal of at least" || return 1
    keys q && wait_for "EXIT=0"
}

# In the app: M shows the transfer codes of the listed accounts; what cannot go is named.
test_transfer_codes_in_the_app() {
    open_pane 120 50 && start_app && wait_for "6 accounts" || return 1
    # What cannot go is listed, with the reason, before any code is shown.
    keys M && wait_for "Left out of the transfer codes: 2 accounts" || return 1
    screen_has "Steam: gamer: steam accounts cannot be moved" "Example: eight: a 60-second period" \
        "The other 4 accounts go in 1 code" "Enter or n: show the codes" || return 1
    [ "$(screen | grep -c "█")" -eq 0 ] || { why="a QR code under the list"; return 1; }
    keys Enter && wait_for "Google Authenticator transfer code (4 accounts)" || return 1
    screen_has "l: 2 left out" || return 1
    [ "$(screen | grep -c "█")" -ge 20 ] || { why="no QR drawn"; return 1; }
    keys l && wait_for "Left out of the transfer codes" && keys n \
        && wait_for "transfer code (4 accounts)" || return 1
    keys q && wait_gone "transfer code" && wait_for "left out 2" || return 1
    # The filter narrows what goes.
    keys / && type_text github && keys Enter && keys M && wait_for "transfer code (1 account)" \
        || return 1
    keys q && wait_for "filter: github"
}

# A name in the left-out list is shown in its display form: the OSC 52 in it reaches no
# clipboard, the bidi override is shown, not obeyed.
test_transfer_left_out_hostile_name() {
    local vault="$work/hostile-transfer.otpv" clip got
    clip=$(T show-options -sv set-clipboard)
    new_vault "$github_uri" \
        "otpauth://totp/Steam%E2%80%AE:x%1B%5D52%3Bc%3BZXZpbA%3D%3D%07?secret=GEZDGNBVGY3TQOJQ&issuer=Steam%E2%80%AE&encoder=steam" \
        || return 1
    T set-option -s set-clipboard on
    while T delete-buffer 2>/dev/null; do :; done
    open_pane 150 30 && start_app && wait_for "2 accounts" && keys M \
        && wait_for "Left out of the transfer codes: 1 account" \
        && screen_has 'Steam\u202e: x\x1B]52;c;ZXZpbA==\x07: steam accounts' \
        || { T set-option -s set-clipboard "$clip"; return 1; }
    keys q && keys q && wait_for "EXIT=0"
    got=$(T list-buffers 2>/dev/null)
    T set-option -s set-clipboard "$clip"
    [ -z "$got" ] || { why="an OSC 52 from a name reached tmux: $got"; return 1; }
}

# The README's picture: scripts/screenshot.sh runs the app in its own tmux server and
# draws the capture as SVG, with the sample accounts, the header and the pane's size.
test_screenshot_script() {
    local ansi2svg=${ANSI2SVG:-$(dirname "$bin")/tools/ansi2svg} root
    root=$(cd "$(dirname "$0")/../.." && pwd)
    if [ ! -x "$ansi2svg" ]; then
        echo "SKIP test_screenshot_script: no $ansi2svg (make $ansi2svg)"
        return 0
    fi
    SCREENSHOT_WAIT=none OTPVAULT_BIN=$bin ANSI2SVG=$ansi2svg \
        sh "$root/scripts/screenshot.sh" "$work/shot.svg" 90x20 >"$work/shot.log" 2>&1 \
        || { why="screenshot.sh failed: $(cat "$work/shot.log")"; return 1; }
    grep -qF 'width="756" height="340"' "$work/shot.svg" || { why="not 90x20 cells"; return 1; }
    for want in "otpvault</text>" "7 accounts" "alice@example.com" "Personal</text>" \
        "alice_gamer" "OSC 52 via tmux"; do
        grep -qF "$want" "$work/shot.svg" || { why="the picture lacks '$want'"; return 1; }
    done
    # The codes are drawn (six digits, grouped as the app groups them).
    grep -qE '[^0-9.][0-9]{3} [0-9]{3}[^0-9]' "$work/shot.svg" || { why="no code drawn"; return 1; }
}

# Conflict copies a sync tool left beside the vault (one with a hostile device name) are
# merged when the app unlocks it, removed, and the status line says when and from where.
test_conflict_copies_merged_at_unlock() {
    local vault="$work/synced/vault.otpv" clip got
    local copy="$work/synced/vault.sync-conflict-20261208-101500-$(printf '\033]52;c;ZXZpbA==\a').otpv"
    rm -rf "$work/synced" && mkdir -p "$work/synced"
    new_vault "$github_uri" || return 1
    cp "$vault" "$copy"
    printf '%s\n' "otpauth://totp/Laptop:added?secret=KRSXG5CTMVRXEZLU&issuer=Laptop" \
        | "$bin" --vault "$copy" --passphrase-file "$work/pass" add --uri - >/dev/null 2>&1 \
        || { why="cannot change the copy"; return 1; }
    rm -f "$copy.prev" "$copy.lock"
    clip=$(T show-options -sv set-clipboard)
    T set-option -s set-clipboard on
    while T delete-buffer 2>/dev/null; do :; done
    open_pane 200 30 && start_app && wait_for "merged 1 conflict copy a sync tool left" 10 \
        && wait_for "Laptop" && screen_has '\x1b]52;c;ZXZpbA==\x07' || { T set-option -s set-clipboard "$clip"; return 1; }
    [ ! -e "$copy" ] || { why="the conflict copy is still there"; T set-option -s set-clipboard "$clip"; return 1; }
    [ -f "$vault.prev" ] || { why="no .prev with the vault as it was"; T set-option -s set-clipboard "$clip"; return 1; }
    # Once the message goes, the idle status line says when the vault was last merged.
    keys j && wait_for "merged: just now" 15 || { T set-option -s set-clipboard "$clip"; return 1; }
    keys q && wait_for "EXIT=0"
    got=$(T list-buffers 2>/dev/null)
    T set-option -s set-clipboard "$clip"
    [ -z "$got" ] || { why="an OSC 52 from a file name reached tmux: $got"; return 1; }
}

# The status line: last backup and drill, the drill from the app, and a missing backup
# directory named after a change (which still happens).
test_backup_status_and_drill() {
    mkdir -p "$work/usb" "$work/cfg"
    printf 'backup:\n  dir: %s\n  warn_after: 7d\n' "$work/usb" > "$work/cfg/backup.yaml"
    ov --config "$work/cfg/backup.yaml" backup create >/dev/null 2>&1 || { why="backup create failed"; return 1; }
    open_pane 120 30 && start_app -- --config "$work/cfg/backup.yaml" && wait_for "6 accounts" \
        || return 1
    wait_for "last backup: just now   drill: never" 12 || return 1
    keys D && wait_for "Recovery drill" || return 1
    type_text "wrong" && keys Enter && wait_for "drill FAILED" 10 || return 1
    keys D && wait_for "Recovery drill" && type_text "tui test pass" && keys Enter \
        && wait_for "drill passed: all 6 accounts" 10 || return 1
    wait_for "drill: just now" 12 || return 1
    # A change: saved, and backed up on its own.
    keys / && type_text steam && keys Enter && keys r && wait_for "Rename Steam" || return 1
    keys Down C-u && type_text "player" && keys Enter && wait_for "saved Steam: player" || return 1
    [ "$(ls "$work/usb" | wc -l)" -eq 2 ] || { why="no automatic backup after the change"; return 1; }
    # The stick unplugged: the change still happens, the status line says why no backup.
    mv "$work/usb" "$work/usb.off"
    keys r && wait_for "Rename Steam" && keys Down C-u && type_text "gamer" && keys Enter \
        && wait_for "saved Steam: gamer" || { mv "$work/usb.off" "$work/usb"; return 1; }
    ov list | grep -qF "gamer" || { why="the change did not reach the vault"; mv "$work/usb.off" "$work/usb"; return 1; }
    wait_for "no automatic backup: $work/usb is absent" 12 || { mv "$work/usb.off" "$work/usb"; return 1; }
    mv "$work/usb.off" "$work/usb"
}

# Keys typed in one burst with the D that opens the drill go to the drill's passphrase
# prompt: wrong and right passphrases alternate, each typed at once with its D and Enter.
test_drill_takes_a_fast_burst() {
    local vault="$work/burst.otpv" i
    # The default KDF (64 MiB): each drill takes a noticeable time, and what is typed
    # meanwhile must wait for the next dialog, not be lost or go to the list.
    rm -f "$vault" && ov init >/dev/null 2>&1 \
        && printf '%s\n' "otpauth://totp/Burst:one?secret=JBSWY3DPEHPK3PXP&issuer=Burst" \
            | ov add --uri - >/dev/null 2>&1 || { why="cannot make $vault"; return 1; }
    mkdir -p "$work/usb2" "$work/cfg"
    printf 'backup:\n  dir: %s\n' "$work/usb2" > "$work/cfg/burst.yaml"
    ov --config "$work/cfg/burst.yaml" backup create >/dev/null 2>&1 || { why="backup create failed"; return 1; }
    open_pane 120 30 && start_app -- --config "$work/cfg/burst.yaml" && wait_for "1 account" 20 \
        || return 1
    for i in 1 2 3; do
        keys D wrong Enter && wait_for "drill FAILED" 20 || { why="burst $i, wrong: $(screen | tail -n 1)"; return 1; }
        keys D "tui test pass" Enter && wait_for "drill passed" 20 || { why="burst $i: $(screen | tail -n 1)"; return 1; }
    done
    # Two drills in one burst, the second typed while the first one's KDF runs: the last
    # one's verdict is what stays.
    keys D "tui test pass" Enter D wrong Enter && wait_for "drill FAILED" 20 \
        || { why="right then wrong: $(screen | tail -n 1)"; return 1; }
    keys D wrong Enter D "tui test pass" Enter && wait_for "drill passed" 20 \
        || { why="wrong then right: $(screen | tail -n 1)"; return 1; }
    screen | grep -qF "filter" && { why="typed keys reached the list: $(screen | tail -n 1)"; return 1; }
    return 0
}

# A list longer than the window says what is out of sight, at the right of the titles.
test_scrolled_list_says_what_is_out_of_sight() {
    local vault="$work/long.otpv" uris="" i
    for i in $(seq 1 20); do
        uris="$uris otpauth://totp/Long$i:user$i?secret=JBSWY3DPEHPK3PXP&issuer=Long$i"
    done
    # shellcheck disable=SC2086
    new_vault $uris || return 1
    open_pane 80 14 && start_app && wait_for "20 accounts" || return 1
    wait_for "below" || return 1
    screen | grep -qF "above" && { why="nothing is above the first row"; return 1; }
    keys G && wait_for "above" || return 1
    screen | grep -qF "below" && { why="nothing is below the last row"; return 1; }
    return 0
}

# One server for all tests; it must not exit between one test's session and the next's.
T start-server \; set-option -g exit-empty off
echo "tui tests (tmux $(tmux -V | cut -d' ' -f2), private socket $sock)"
# TUI_TESTS="test_a test_b" runs only those.
all_tests="test_codes_match_cli test_filter test_hotp_increment_persists test_copy_osc52_tmux
         test_copy_osc52_tmux_passthrough test_copy_osc52_tmux_blocked_is_said 
         test_copy_osc52_plain test_resize test_small_terminal test_narrow_header_keeps_a_countdown
         test_lock_and_unlock 
         test_wrong_passphrase test_quit_restores_terminal test_ctrl_c_and_signals 
         test_no_color test_term_linux test_help_lists_every_action test_help_wraps_long_lines
         test_add_delete_undo 
         test_add_form_validation test_vault_changed_elsewhere test_hostile_names_in_the_app
         test_exposed_directory_is_warned_about test_auto_lock 
         test_first_run_creates_vault test_qr_code_or_a_note test_rename_edit_and_sort 
         test_copy_uri_asks_first test_terminal_going_away test_tiny_terminal_survives 
         test_import_uri_file test_import_screenshot test_import_cancel test_import_unreadable 
         test_import_incomplete_batch test_import_leave_one_out test_import_save_fails 
         test_import_password test_import_an_otpvault_backup
 test_first_run_offers_import test_first_run_restores_a_backup
         test_conflict_copies_merged_at_unlock 
         test_qr_command_pages test_qr_command_too_small test_transfer_codes_in_the_app
         test_transfer_left_out_hostile_name test_screenshot_script 
         test_backup_status_and_drill test_drill_takes_a_fast_burst
         test_scrolled_list_says_what_is_out_of_sight"
for t in ${TUI_TESTS:-$all_tests}; do
    run "$t"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
