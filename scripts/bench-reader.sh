#!/usr/bin/env bash
# Reader benchmark (issue 2): one run prints rows/s, MB/s and peak RSS for
#   (a) a plain C loop over libcsv (scripts/csv_count.c), the baseline;
#   (b) `gcimport-bench reader FILE`: CSVFileReader yielding every record, counting fields and bytes;
#   (c) `gcimport inspect FILE`: the command end to end;
# and the time ratios b/a and c/a. Each time is the best of RUNS interleaved rounds, peak RSS the largest seen
# (the machine is shared and noisy); then the ratios round by round (each round's b and c against its a),
# median and spread.
#
#   scripts/bench-reader.sh            # 1,000,000 rows (~178 MiB)
#   scripts/bench-reader.sh --big      # also 5,000,000 rows (~893 MiB), to show memory does not grow
#   RUNS=5 scripts/bench-reader.sh
#
# Big files go to bench-data/ (git-ignored) and are reused when present.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
SIZES=(1000000)
for argument in "$@"; do
    case "$argument" in
    --big) SIZES+=(5000000) ;;
    -h | --help)
        sed -n '2,14p' "$0"
        exit 0
        ;;
    *)
        echo "unknown argument: $argument (try --help)" >&2
        exit 64
        ;;
    esac
done

if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time for peak RSS figures" >&2
    apt-get install -y -qq time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
fi

mkdir -p bench-data
cc -O2 -o bench-data/csv_count scripts/csv_count.c -lcsv
swift build -c release --product gcimport-bench >&2
swift build -c release --product gcimport >&2
BIN=$(swift build -c release --show-bin-path)

# measure CMD...: runs CMD once; prints "seconds peak_kib".
measure() {
    local out
    out=$(mktemp)
    /usr/bin/time -f '%e %M' -o "$out" "$@" >/dev/null || true
    tail -1 "$out"
    rm -f "$out"
}

# faster A B: the faster of two "seconds peak_kib" figures (peak RSS goes with the larger one).
faster() {
    awk -v a="$1" -v b="$2" 'BEGIN {
        if (a == "") { print b; exit }
        split(a, x, " "); split(b, y, " ")
        printf "%s %d\n", (y[1] < x[1] ? y[1] : x[1]), (y[2] > x[2] ? y[2] : x[2])
    }'
}

echo "Reader benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -m), best of $RUNS runs"
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
for rows in "${SIZES[@]}"; do
    file="bench-data/users-${rows}.csv"
    if [ ! -f "$file" ]; then
        echo "generating $file" >&2
        python3 scripts/gen_samples.py big --rows "$rows" --out "$file"
    fi
    megabytes=$(awk -v b="$(stat -c %s "$file")" 'BEGIN { printf "%.1f", b / 1048576 }')
    echo
    echo "$file: $rows rows x 12 columns, $megabytes MiB"
    printf '  %-28s %8s %12s %9s %10s %8s\n' "" "seconds" "rows/s" "MiB/s" "peak RSS" "vs (a)"
    # Rounds interleave (a), (b) and (c) so a burst of load from other jobs hits all three alike.
    best_a="" best_b="" best_c=""
    pairs=""
    for ((run = 0; run < RUNS; run++)); do
        round_a=$(measure bench-data/csv_count "$file" ';')
        round_b=$(measure "$BIN/gcimport-bench" reader "$file")
        round_c=$(measure "$BIN/gcimport" inspect "$file")
        best_a=$(faster "$best_a" "$round_a")
        best_b=$(faster "$best_b" "$round_b")
        best_c=$(faster "$best_c" "$round_c")
        pairs+="${round_a%% *} ${round_b%% *} ${round_c%% *}"$'\n'
    done
    read -r c_seconds c_kib <<<"$best_a"
    for mode in a b c; do
        case $mode in
        a) label="(a) C libcsv loop"; seconds=$c_seconds; kib=$c_kib ;;
        b) label="(b) gcimport-bench reader"; read -r seconds kib <<<"$best_b" ;;
        c) label="(c) gcimport inspect"; read -r seconds kib <<<"$best_c" ;;
        esac
        awk -v l="$label" -v s="$seconds" -v k="$kib" -v r="$rows" -v m="$megabytes" -v c="$c_seconds" 'BEGIN {
            if (s <= 0) s = 0.01
            printf "  %-28s %8.2f %12d %9.1f %7.1f MiB %7.2fx\n", l, s, r / s, m / s, k / 1024, s / c
        }'
    done
    # The same rounds as pairs: each round's (b) and (c) against that round's (a), median and spread.
    printf '%s' "$pairs" | python3 -c '
import statistics, sys
rounds = [tuple(map(float, line.split())) for line in sys.stdin if line.strip()]
for name, index in (("(b)/(a)", 1), ("(c)/(a)", 2)):
    ratios = [r[index] / max(r[0], 0.01) for r in rounds]
    print(f"  {name} round by round: median {statistics.median(ratios):.2f}x "
          f"({min(ratios):.2f}-{max(ratios):.2f}, {len(ratios)} rounds)")
'
done
echo
echo "Targets: (b) >= 600,000 rows/s and <= 3x (a); peak RSS <= 32 MiB for every size."
