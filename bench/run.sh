#!/bin/sh
# otpvault benchmarks: each row runs otpvault and the tool a user would otherwise reach for,
# interleaved in one timeit call (bench/timeit.c), and reports medians and their ratio.
# The full-screen app is measured through a pty (bench/tui_pty.c) and its list model directly
# (bench/filter_time.c), and the merge of two copies directly (bench/merge_time.c): those
# rows have targets instead of a tool to compare with.
# Environment: OTPVAULT_BIN (the binary), TIMEIT (the harness), MKSHOT (the screenshot maker),
# TUI_PTY, FILTER_TIME (the app benchmarks), MERGE_TIME, RUNS (default 15).
set -eu

bin=${OTPVAULT_BIN:?set OTPVAULT_BIN}
timeit=${TIMEIT:?set TIMEIT}
mkshot=${MKSHOT:?set MKSHOT}
tui_pty=${TUI_PTY:?set TUI_PTY}
filter_time=${FILTER_TIME:?set FILTER_TIME}
merge_time=${MERGE_TIME:?set MERGE_TIME}
runs=${RUNS:-15}
work=$(mktemp -d /tmp/otpvault-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM

pass="$work/pass"
printf 'benchmark passphrase\n' > "$pass"
ov() { "$bin" --passphrase-file "$pass" "$@"; }

# 200 accounts with random 20-byte secrets; the first one is also given to oathtool.
i=0
: > "$work/uris"
while [ $i -lt 200 ]; do
    secret=$(head -c 20 /dev/urandom | base32 | tr -d '=')
    [ $i -eq 0 ] && first_secret=$secret
    printf 'otpauth://totp/Bench%03d:user%03d@example.com?secret=%s&issuer=Bench%03d\n' \
        $i $i "$secret" $i >> "$work/uris"
    i=$((i + 1))
done

# The real thing: default KDF parameters (Argon2id, 64 MiB).
ov --vault "$work/default.otpv" init >/dev/null
ov --vault "$work/default.otpv" add --uri - < "$work/uris" >/dev/null
# The same accounts under a minimal KDF: what otpvault costs apart from the KDF.
ov --vault "$work/fast.otpv" init --kdf-memory 1M --kdf-time 1 >/dev/null 2>&1
ov --vault "$work/fast.otpv" add --uri - < "$work/uris" >/dev/null

# For the app: 30 accounts (all on one 100x40 screen) and 1,000, under a minimal KDF (the
# app's own costs are what is measured; the KDF is the unlock row above).
head -30 "$work/uris" > "$work/uris30"
awk 'BEGIN { srand(7); a = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
       for (i = 0; i < 1000; i++) { s = ""; for (k = 0; k < 32; k++) s = s substr(a, int(rand() * 32) + 1, 1)
         printf "otpauth://totp/App%04d:user%04d@example.com?secret=%s&issuer=App%04d\n", i, i, s, i } }' \
    > "$work/uris1000"
for n in 30 1000; do
    ov --vault "$work/app$n.otpv" init --kdf-memory 1M --kdf-time 1 >/dev/null 2>&1
    ov --vault "$work/app$n.otpv" add --uri - < "$work/uris$n" >/dev/null
done

results="$work/results"
"$timeit" -n "$runs" -w 2 -- \
    unlock "$bin" --vault "$work/default.otpv" --passphrase-file "$pass" list ';' \
    code "$bin" --vault "$work/default.otpv" --passphrase-file "$pass" code Bench000 ';' \
    code_fastkdf "$bin" --vault "$work/fast.otpv" --passphrase-file "$pass" code Bench000 ';' \
    oathtool oathtool --totp -b "$first_secret" > "$results"

# A phone screenshot of Google Authenticator's "Transfer accounts" page, 10 accounts.
"$mkshot" "$work/shot.png" > "$work/shot.txt"
sh "$(dirname "$0")/mkaegis.sh" 5000 > "$work/aegis5000.json"
found=$("$bin" import --dry-run --json "$work/aegis5000.json" 2>/dev/null | grep -c '"secret"')
[ "$found" -eq 5000 ] || { echo "bench: import read $found Aegis entries, not 5000" >&2; exit 1; }
found=$("$bin" import --dry-run --json "$work/shot.png" 2>/dev/null | grep -c '"secret"')
[ "$found" -eq 10 ] || { echo "bench: import read $found accounts, not 10" >&2; exit 1; }
"$timeit" -n "$runs" -w 2 -- \
    import "$bin" import --dry-run "$work/shot.png" ';' \
    zbarimg zbarimg --raw -q "$work/shot.png" ';' \
    aegis5000 "$bin" import --dry-run "$work/aegis5000.json" >> "$results"

get() { awk -v l="$1" -v c="$2" '$1 == l { print $c }' "$results"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t) ? "yes" : "NO" }'; }

ms() { awk -v v="$1" 'BEGIN { printf (v < 10 ? "%.2f" : "%.0f"), v }'; }
unlock=$(ms "$(get unlock 2)"); code=$(ms "$(get code 2)")
fast=$(ms "$(get code_fastkdf 2)"); oath=$(ms "$(get oathtool 2)")
imp=$(ms "$(get import 2)"); zbar=$(ms "$(get zbarimg 2)"); aegis=$(ms "$(get aegis5000 2)")
imp_ratio=$(awk -v a="$(get import 2)" -v b="$(get zbarimg 2)" 'BEGIN { printf "%.2f", a / b }')

echo "otpvault benchmarks: $(uname -m), $(nproc) cores, medians of $runs interleaved runs"
echo
echo "| benchmark | otpvault | compared with | ratio | target | met |"
echo "|---|---|---|---|---|---|"
printf '| unlock a 200-account vault, Argon2id 64 MiB (`list`) | %s ms, %s MiB peak | - | - | <= 500 ms | %s |\n' \
    "$unlock" "$(( $(get unlock 5) / 1024 ))" "$(verdict "$unlock" 500)"
printf '| `code` for one account (includes the unlock) | %s ms | `oathtool --totp`: %s ms | %s | - | - |\n' \
    "$code" "$oath" "$(ratio "$code" "$oath")"
printf '| `code` for one account, 1 MiB KDF (cost apart from the KDF) | %s ms | `oathtool --totp`: %s ms | %s | - | - |\n' \
    "$fast" "$oath" "$(ratio "$fast" "$oath")"
printf '| `import --dry-run` of a 1080x2400 PNG screenshot, 10 accounts | %s ms, %s MiB peak | `zbarimg --raw` (decode only): %s ms, %s MiB | %sx | <= 0.5x | %s |\n' \
    "$imp" "$(( $(get import 5) / 1024 ))" "$zbar" "$(( $(get zbarimg 5) / 1024 ))" "$imp_ratio" \
    "$(verdict "$imp_ratio" 0.5)"
printf '| `import --dry-run` of a 5,000-entry plain Aegis export | %s ms, %s MiB peak | - | - | <= 200 ms | %s |\n' \
    "$aegis" "$(( $(get aegis5000 5) / 1024 ))" "$(verdict "$(get aegis5000 2)" 200)"

# The app idle for 30 s (one whole period: one rollover, one "about to expire" highlight, one
# showing of the next codes), scaled to a minute; then unlock-to-frame and filter timings.
"$tui_pty" idle "$bin" "$work/app30.otpv" "$pass" 30 > "$work/idle"
"$tui_pty" frame "$bin" "$work/app1000.otpv" "$pass" 9 > "$work/frame"
"$filter_time" 10000 > "$work/filter"
val() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }
idle_bytes=$(val "$work/idle" bytes_per_min); idle_cpu=$(val "$work/idle" cpu_s_per_min)
frame_ms=$(val "$work/frame" unlock_to_frame_ms_median)
frame_max=$(val "$work/frame" unlock_to_frame_ms_max)
filter_ms=$(val "$work/filter" filter_ms_median); filter_max=$(val "$work/filter" filter_ms_max)
printf '| app idle, 30 accounts on screen: bytes to the terminal per minute (pty; 30 s, doubled) | %s B | - | - | <= 6144 B | %s |\n' \
    "$idle_bytes" "$(verdict "$idle_bytes" 6144)"
printf '| app idle, 30 accounts: CPU time per minute | %s s | - | - | <= 0.2 s | %s |\n' \
    "$idle_cpu" "$(verdict "$idle_cpu" 0.2)"
printf '| app: unlock (after the KDF) to the first full frame, 1,000 accounts (median of 9; max %s) | %s ms | - | - | <= 20 ms | %s |\n' \
    "$(ms "$frame_max")" "$(ms "$frame_ms")" "$(verdict "$frame_max" 20)"
printf '| app: one filter keystroke, 10,000 accounts (median of 20 keys; worst %s) | %s ms | - | - | <= 5 ms | %s |\n' \
    "$(ms "$filter_max")" "$(ms "$filter_ms")" "$(verdict "$filter_max" 5)"

# Two copies of a 10,000-account vault with 1,000 changes each, merged: from the two open
# vaults to the merged file's bytes (what `merge` adds to the unlocks and the disk write).
"$merge_time" 10000 1000 9 > "$work/merge"
merge_ms=$(val "$work/merge" merge_ms_median); merge_max=$(val "$work/merge" merge_ms_max)
printf '| merge two 10,000-account copies, 1,000 changes each (beyond the unlocks; median of 9, worst %s) | %s ms | - | - | <= 300 ms | %s |\n' \
    "$(ms "$merge_max")" "$(ms "$merge_ms")" "$(verdict "$merge_max" 300)"
