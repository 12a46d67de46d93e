#!/usr/bin/env bash
# scripts/fuzz.sh TARGET SECONDS [JOBS]: builds the libFuzzer target (address sanitizer on) and fuzzes it.
# TARGET: reader, mapping, answer, ledger, sandbox-form, or all (each for SECONDS). JOBS parallel fuzzing
# processes (default: the number of cores). The corpus grows in .build/fuzz-corpus/TARGET (git-ignored),
# seeded from Fuzz/corpus/TARGET; a crash is left in .build/fuzz-crashes/TARGET and fails the script.
# Last line: `fuzz TARGET: N executions, K crashes`. See docs/testing.md.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET="${1:?usage: scripts/fuzz.sh reader|mapping|answer|ledger|sandbox-form|all SECONDS [JOBS]}"
SECONDS_EACH="${2:-60}"
JOBS="${3:-$(nproc)}"
BUILD=".build/fuzz"

if [ "$TARGET" = all ]; then
    status=0
    for target in reader mapping answer ledger sandbox-form; do
        "$0" "$target" "$SECONDS_EACH" "$JOBS" || status=1
    done
    exit "$status"
fi

case "$TARGET" in
    reader | mapping | answer | ledger | sandbox-form) ;;
    *) echo "fuzz.sh: unknown target $TARGET" >&2; exit 64 ;;
esac

{ [ -f /usr/include/csv.h ] && [ -f /usr/include/sqlite3.h ]; } || make deps >/dev/null
swift build -c release --build-path "$BUILD" --product "fuzz-$TARGET" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -enable-testing >&2
BIN="$BUILD/release/fuzz-$TARGET"

CORPUS=".build/fuzz-corpus/$TARGET"
CRASHES=".build/fuzz-crashes/$TARGET"
LOGS=".build/fuzz-logs/$TARGET"
mkdir -p "$CORPUS" "$CRASHES" "$LOGS"
rm -f "$LOGS"/*
DICT=()
[ -f "Fuzz/dictionaries/$TARGET.dict" ] && DICT=(-dict="Fuzz/dictionaries/$TARGET.dict")

ROOT="$PWD"
set +e
# Run from the logs folder: with -jobs, each job writes its fuzz-N.log in the working directory.
(cd "$LOGS" && "$ROOT/$BIN" "$ROOT/$CORPUS" "$ROOT/Fuzz/corpus/$TARGET" -max_total_time="$SECONDS_EACH" \
    -timeout=10 -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 -artifact_prefix="$ROOT/$CRASHES/" \
    -jobs="$JOBS" -workers="$JOBS" "${DICT[@]/#-dict=/-dict=$ROOT/}" >main.log 2>&1)
set -e

# The final stats of every job are summed here, from the jobs' own logs only: main.log repeats each job's
# log when it exits, so counting it too would double every figure.
executions=$(cat "$LOGS"/fuzz-*.log | awk '/stat::number_of_executed_units:/ { n += $2 } END { print n + 0 }')
coverage=$(cat "$LOGS"/fuzz-*.log | grep -o 'cov: [0-9]*' | awk '{ if ($2 > c) c = $2 } END { print c + 0 }')
crashes=$(find "$CRASHES" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
echo "coverage: $coverage edges; corpus: $(find "$CORPUS" -type f | wc -l) inputs; logs in $LOGS"
[ "$crashes" -eq 0 ] || echo "inputs that failed are in $CRASHES (replay one: swift run fuzz-$TARGET FILE)"
echo "fuzz $TARGET: $executions executions, $crashes crashes"
[ "$crashes" -eq 0 ]
