#!/usr/bin/env bash
# Benchmark of `gcimport validate` (the dry run) against a naive Python script doing the same mapping.
#
#   scripts/bench-validate.sh            # 1M rows: users (12 columns) and deals (14 columns), all cores
#                                        # and --threads 1
#   scripts/bench-validate.sh --5m       # also 5M user rows, to check that memory stays flat
#   scripts/bench-validate.sh --rows N   # another size
#
# Builds release, generates the files into bench-data/ (git-ignored) once, runs each tool with
# /usr/bin/time (elapsed seconds, peak RSS) and prints a Markdown table for BENCHMARKS.md. Each gcimport row
# is the median of RUNS runs (default 3); the Python baseline runs once (a minute a run).
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=1000000
FIVE=0
RUNS=${RUNS:-3}
while [ $# -gt 0 ]; do
    case "$1" in
        --rows) ROWS="$2"; shift 2 ;;
        --5m) FIVE=1; shift ;;
        *) echo "usage: $0 [--rows N] [--5m]" >&2; exit 64 ;;
    esac
done

# GCIMPORT_BIN=path skips the build and times that binary instead (same command line as gcimport).
if [ -n "${GCIMPORT_BIN:-}" ]; then
    BIN="$GCIMPORT_BIN"
else
    swift build -c release --product gcimport >&2
    BIN="$(swift build -c release --show-bin-path)/gcimport"
fi
mkdir -p bench-data

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

# measure LABEL ROWS COMMAND... → prints a table row; validate must find every row valid (exit 0).
measure() {
    local label=$1 rows=$2; shift 2
    local timing
    timing=$(mktemp)
    /usr/bin/time -f '%e %M %U %S' -o "$timing" "$@" > /dev/null
    read -r seconds kib user system < "$timing"
    rm -f "$timing"
    local rate mib cpu cpu_rate
    rate=$(awk -v r="$rows" -v s="$seconds" 'BEGIN { printf "%.0f", r / (s > 0 ? s : 0.001) }')
    mib=$(awk -v k="$kib" 'BEGIN { printf "%.1f", k / 1024 }')
    # CPU seconds too: on a shared machine the wall clock includes time spent waiting for a core.
    cpu=$(awk -v u="$user" -v s="$system" 'BEGIN { printf "%.2f", u + s }')
    cpu_rate=$(awk -v r="$rows" -v c="$cpu" 'BEGIN { printf "%.0f", r / (c > 0 ? c : 0.001) }')
    echo "$label|$rows|$seconds|$rate|$cpu|$cpu_rate|$mib"
}

# median LABEL ROWS COMMAND... → the table row of the median of $RUNS runs (by wall seconds): one run on this
# shared machine can be a third slower or faster than the next.
median() {
    local rows=()
    for _ in $(seq "$RUNS"); do rows+=("$(measure "$@")"); done
    printf '%s\n' "${rows[@]}" | sort -t'|' -k3 -g | sed -n "$(((RUNS + 1) / 2))p"
}

echo "Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start; binary: $BIN"
echo
echo "| run | rows | wall s | rows/s (wall) | CPU s | rows per CPU s | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|---:|---:|"
results=()
for kind in users deals; do
    if [ "$kind" = users ]; then
        file=$(users_file "$ROWS"); mapping=mapping/bench-users.yaml; naive=user
    else
        file=$(deals_file "$ROWS"); mapping=mapping/deals.yaml; naive=deal
    fi
    swift_row=$(median "gcimport validate ($kind)" "$ROWS" "$BIN" validate "$file" --mapping "$mapping")
    # The same on one core: what each core does, and how much the other cores add.
    single_row=$(median "gcimport validate --threads 1 ($kind)" "$ROWS" "$BIN" validate "$file" --mapping "$mapping" \
        --threads 1)
    python_row=$(measure "naive_validate.py ($kind)" "$ROWS" python3 scripts/naive_validate.py "$naive" "$file")
    for row in "$swift_row" "$single_row" "$python_row"; do echo "| ${row//|/ | } |"; done
    swift_s=$(echo "$swift_row" | cut -d'|' -f3)
    python_s=$(echo "$python_row" | cut -d'|' -f3)
    swift_c=$(echo "$swift_row" | cut -d'|' -f5)
    python_c=$(echo "$python_row" | cut -d'|' -f5)
    results+=("$kind: gcimport is $(awk -v p="$python_s" -v s="$swift_s" 'BEGIN { printf "%.1f", p / s }')x faster than the naive Python (wall), $(awk -v p="$python_c" -v s="$swift_c" 'BEGIN { printf "%.1f", p / s }')x in CPU time")
done
if [ "$FIVE" = 1 ]; then
    file=$(users_file 5000000)
    row=$(median "gcimport validate (users, 5M)" 5000000 "$BIN" validate "$file" --mapping mapping/bench-users.yaml)
    echo "| ${row//|/ | } |"
fi
echo
for line in "${results[@]}"; do echo "- $line"; done
