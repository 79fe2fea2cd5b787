#!/bin/sh
# Runs every libFuzzer target built in DIR/fuzz (see `make fuzz`) for FUZZ_SECONDS each.
#
# Seeds are made fresh on every run, never stored in the repository: each target writes its
# own small generated ones (FUZZ_WRITE_SEEDS, tests/fuzz/fuzz.h), and files from FIXTURES_DIR
# are picked by what the target reads. What libFuzzer learns is kept in DIR/corpus/TARGET
# between runs (a build directory); crashes go to DIR/artifacts/TARGET-crash-..., logs to
# DIR/logs. Exits non-zero when any target found a crash, a leak, a timeout or an OOM.
#
# usage: tests/fuzz/run.sh DIR [TARGET...]
set -u

dir=${1:?usage: tests/fuzz/run.sh DIR [TARGET...]}
shift
secs=${FUZZ_SECONDS:-60}
fixtures=${FIXTURES_DIR:-../shared/fixtures}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
failed=""

# Every N-th line of stdin into its own file DIR/PREFIX-N (at most 400).
split_lines() {
    awk -v out="$1" 'NR <= 400 { f = sprintf("%s-%03d", out, NR); printf "%s", $0 > f; close(f) }'
}

# Fixture files of at most 256 KiB whose names match the extended regexp $1 (not the licences,
# notes and answer keys that sit beside them).
fixture_files() {
    [ -d "$fixtures" ] || return 0
    find "$fixtures" -type f -size -257k | grep -E "$1" |
        grep -vE '/(LICENSE|SOURCE|EXPECTED|expected)[^/]*$|\.md$'
}

copy_fixtures() {
    n=0
    fixture_files "$1" | while IFS= read -r f; do
        n=$((n + 1))
        cp "$f" "$2/fixture-$n-$(basename "$f" | tr -c 'A-Za-z0-9._\n' _)"
    done
}

# The seeds of one target, from the fixtures (the targets add their generated ones).
fixture_seeds() {
    name=$1 out=$2
    [ -d "$fixtures" ] || { echo "  (no fixtures at $fixtures: generated seeds only)"; return 0; }
    case $name in
    fuzz_uri|fuzz_qr_payload|fuzz_migration)
        grep -rhoaE '(otpauth(-migration)?|motp|steam)://[^"<>[:space:]]+' "$fixtures" \
            | sort -u | split_lines "$out/fixture-uri"
        [ "$name" = fuzz_migration ] && copy_fixtures '\.bin$' "$out" ;;
    fuzz_importers|fuzz_import)
        # Pictures are fuzz_image's: one QR scan costs more than a thousand text inputs.
        copy_fixtures '.' "$out"
        for f in "$out"/*; do
            case $f in *.png|*.jpg|*.jpeg|*.gif|*.webp) rm -f "$f" ;; esac
        done ;;
    fuzz_image)
        copy_fixtures '\.(png|jpe?g|gif|webp)$' "$out" ;;
    fuzz_config)
        cp "$repo/share/config.yaml" "$out/share-config.yaml" ;;
    esac
}

mkdir -p "$dir/corpus" "$dir/seeds" "$dir/artifacts" "$dir/logs"
if [ $# -gt 0 ]; then
    targets=$*
else
    targets=$(cd "$dir/fuzz" && ls fuzz_* | grep -v '\.d$')
fi
echo "fuzzing for ${secs} s per target (fixtures: $fixtures)"
for name in $targets; do
    bin=$dir/fuzz/$name
    seeds=$dir/seeds/$name
    corpus=$dir/corpus/$name
    log=$dir/logs/$name.log
    rm -rf "$seeds"
    mkdir -p "$seeds" "$corpus"
    if ! FUZZ_WRITE_SEEDS=$seeds "$bin" >"$log" 2>&1; then
        echo "$name: cannot write its seeds (see $log)"
        failed="$failed $name"
        continue
    fi
    fixture_seeds "$name" "$seeds"
    # -timeout: one input running 25 s is a hang (KDFs at their clamp take a few seconds).
    # -rss_limit_mb: above the 1 GiB an untrusted KDF may legitimately ask for.
    "$bin" -max_total_time="$secs" -timeout=25 -rss_limit_mb=2560 -print_final_stats=1 \
        -artifact_prefix="$dir/artifacts/$name-" "$corpus" "$seeds" >"$log" 2>&1
    status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    echo "$name: ${runs:-?} runs in ${secs} s, ${cov:-cov: ?}, $(ls "$seeds" | wc -l) seeds," \
        "corpus $(ls "$corpus" | wc -l)$( [ $status -eq 0 ] && echo ', nothing found')"
    if [ $status -ne 0 ]; then
        grep -E '^(==[0-9]+==ERROR|SUMMARY)|Test unit written|^[^ ]*\.c:[0-9]+' "$log" | head -8
        failed="$failed $name"
    fi
done
if [ -n "$failed" ]; then
    echo "fuzzing found problems in:$failed (logs in $dir/logs, inputs in $dir/artifacts)"
    exit 1
fi
echo "fuzzing: no target found anything"
