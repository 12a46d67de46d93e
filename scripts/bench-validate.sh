#!/usr/bin/env bash
# Benchmark of `gcimport validate` (the dry run), paired round by round with the plain C libcsv loop on the
# same file, and once against a naive Python script doing the same mapping.
#
#   scripts/bench-validate.sh            # 1M rows: users (12 columns, UTF-8) and deals (14 columns,
#                                        # Windows-1251), with 2 threads and with 1
#   scripts/bench-validate.sh --5m       # also 5M user rows, to check that memory stays flat
#   scripts/bench-validate.sh --10m      # also 10M user rows: past the duplicate filter's cap (reached
#                                        # near 5M keys) memory no longer grows
#   scripts/bench-validate.sh --rows N   # another size
#
# Each round runs, one after another on the same file: (a) scripts/csv_count.c, the plainest libcsv loop;
# (v2) `validate --threads 2`; (v1) `validate --threads 1`; (i) `inspect`. The figures are medians of RUNS
# rounds (default 5), the ratios are taken round by round (this machine is shared: a burst of load hits a
# whole round alike). Peak RSS is the largest seen. NAIVE=0 skips the Python baseline (a minute a file).
# GCIMPORT_BIN=path times that binary instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=1000000
FIVE=0
TEN=0
RUNS=${RUNS:-5}
NAIVE=${NAIVE:-1}
while [ $# -gt 0 ]; do
    case "$1" in
    --rows)
        ROWS="$2"
        shift 2
        ;;
    --5m)
        FIVE=1
        shift
        ;;
    --10m)
        TEN=1
        shift
        ;;
    *)
        echo "usage: $0 [--rows N] [--5m] [--10m]" >&2
        exit 64
        ;;
    esac
done

if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time for peak RSS figures" >&2
    apt-get install -y -qq time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
fi
if [ -n "${GCIMPORT_BIN:-}" ]; then
    BIN="$GCIMPORT_BIN"
else
    swift build -c release --product gcimport >&2
    BIN="$(swift build -c release --show-bin-path)/gcimport"
fi
mkdir -p bench-data
cc -O2 -o bench-data/csv_count scripts/csv_count.c -lcsv

users_file() {
    local rows=$1 file="bench-data/users-$1.csv"
    [ -f "$file" ] || python3 scripts/gen_samples.py big --rows "$rows" --out "$file" >&2
    echo "$file"
}

deals_file() {
    # Orders in the style of samples/deals.csv (Windows-1251, money like 12 000,00, Russian statuses),
    # drawn with gen_samples.py's own row generator; deal numbers are unique, emails repeat.
    local rows=$1 file="bench-data/deals-$1.csv"
    [ -f "$file" ] || python3 - "$rows" "$file" >&2 <<'PY'
import random, sys
sys.path.insert(0, "scripts")
import gen_samples as g
rng = random.Random(7)
users = [g.user_row(rng, i + 1) for i in range(20000)]
g.write_deals(sys.argv[2], rng, users, count=int(sys.argv[1]))
PY
    echo "$file"
}

# measure COMMAND... → "wall_seconds cpu_seconds peak_kib"; the command must succeed (validate: every row
# valid, exit 0).
measure() {
    local timing
    timing=$(mktemp)
    /usr/bin/time -f '%e %U %S %M' -o "$timing" "$@" >/dev/null
    awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$timing"
    rm -f "$timing"
}

# rounds ROWS FILE MAPPING → one line per round: the four programs' "wall cpu kib", side by side.
rounds() {
    local rows=$1 file=$2 mapping=$3
    for _ in $(seq "$RUNS"); do
        echo "$(measure bench-data/csv_count "$file" ';') $(measure "$BIN" validate "$file" --mapping "$mapping" \
            --threads 2) $(measure "$BIN" validate "$file" --mapping "$mapping" --threads 1) $(measure "$BIN" \
            inspect "$file")"
    done
}

# summary LABEL ROWS → the Markdown rows of one file from the rounds on stdin.
summary() {
    python3 -c '
import statistics, sys
label, rows = sys.argv[1], int(sys.argv[2])
rounds = [list(map(float, line.split())) for line in sys.stdin if line.strip()]
names = ["(a) C libcsv loop", "(v2) validate --threads 2", "(v1) validate --threads 1", "(i) inspect"]
for index, name in enumerate(names):
    wall = [r[3 * index] for r in rounds]
    cpu = [r[3 * index + 1] for r in rounds]
    kib = max(r[3 * index + 2] for r in rounds)
    ratios = [r[3 * index] / max(r[0], 0.01) for r in rounds]
    median = statistics.median(wall)
    ratio = "1.00x" if index == 0 else (
        f"{statistics.median(ratios):.2f}x ({min(ratios):.2f}-{max(ratios):.2f})")
    print(f"| {label} | {name} | {median:.2f} ({min(wall):.2f}-{max(wall):.2f}) | {rows / median:,.0f} | "
          f"{statistics.median(cpu):.2f} | {kib / 1024:.1f} | {ratio} |")
' "$1" "$2"
}

echo "Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start; binary: $BIN;" \
    "medians of $RUNS rounds"
echo
echo "| file | program | wall s, median (range) | rows/s | CPU s | peak RSS MiB | time vs (a), round by round |"
echo "|---|---|---:|---:|---:|---:|---:|"
naive=()
for kind in users deals; do
    if [ "$kind" = users ]; then
        file=$(users_file "$ROWS")
        mapping=mapping/bench-users.yaml
        script=user
    else
        file=$(deals_file "$ROWS")
        mapping=mapping/deals.yaml
        script=deal
    fi
    rounds "$ROWS" "$file" "$mapping" | summary "$kind, $ROWS rows" "$ROWS"
    if [ "$NAIVE" = 1 ]; then
        read -r seconds _ _ < <(measure python3 scripts/naive_validate.py "$script" "$file")
        naive+=("$kind: naive_validate.py $seconds s ($(awk -v r="$ROWS" -v s="$seconds" \
            'BEGIN { printf "%.0f", r / s }') rows/s), once, in the same run")
    fi
done
if [ "$FIVE" = 1 ]; then
    file=$(users_file 5000000)
    rounds 5000000 "$file" mapping/bench-users.yaml | summary "users, 5M rows" 5000000
fi
if [ "$TEN" = 1 ]; then
    file=$(users_file 10000000)
    rounds 10000000 "$file" mapping/bench-users.yaml | summary "users, 10M rows" 10000000
fi
echo
for line in "${naive[@]}"; do echo "- $line"; done
echo "- Targets: (v2) >= 800,000 rows/s and (v1) >= 400,000 on users and deals; (i) <= 1.7x (a);" \
    "validate's peak RSS <= 64 MiB, flat from 1M to 5M rows."
