#!/usr/bin/env bash
# Benchmarks of `gcimport run` (release build) against the GetCourse sandbox on loopback:
#  1. rows/s with no rate limit and no latency, at 1/4/16/64 workers, and client CPU seconds per 1,000 rows;
#  2. sandbox latency 200 ms, --rate 20/s: achieved rate (>= 98% of the limit?) and the busiest 1-second
#     window (never above rate + burst?), both from the ledger's `sent` stamps;
#  3. the same latency, the naive Python loop seed 001 suggests (scripts/naive_import.py);
#  4. resume cost: a run over 1,000,000 rows that the ledger already shows as done;
#  5. what keeping same-key rows in file order costs on a file of distinct keys: the same run with and
#     without the ordering (a hidden --unordered), paired, alternating, ratio run by run;
#  6. verify: a run of VERIFY_ROWS orders without a number against a sandbox that loses 5 % of the answers,
#     then `gcimport verify` (wall time, peak RSS, what it settled).
# Every run is bounded (row counts below); the sandbox is stopped on exit. Results go to stdout; the
# figures recorded in BENCHMARKS.md come from this script.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS="${ROWS:-20000}"            # rows per throughput run (part 1)
PACED_ROWS="${PACED_ROWS:-600}"  # rows of the paced run (part 2): 30 s at 20/s
PY_ROWS="${PY_ROWS:-90}"         # rows for the Python baseline (part 3; a third of them at pause 1 s)
RESUME_ROWS="${RESUME_ROWS:-1000000}"
RESUME_RUNS="${RESUME_RUNS:-5}"      # resumes timed in part 4
ORDER_ROWS="${ORDER_ROWS:-20000}"    # rows per run of part 5
ORDER_PAIRS="${ORDER_PAIRS:-7}"      # ordered/unordered pairs of part 5
VERIFY_ROWS="${VERIFY_ROWS:-200000}" # orders of part 6
SECTIONS="${SECTIONS:-1 2 3 4 5 6}"  # which parts to run
PORT="${PORT:-18431}"
KEY="bench-key"
WORK="$(mktemp -d /tmp/gcimport-bench-run.XXXXXX)"
# users_csv, users_mapping, start_sandbox and cleanup
source scripts/lib/sandbox.sh
trap cleanup EXIT

swift build -c release --product gcimport >/dev/null
swift build -c release --product gcimport-bench >/dev/null
BIN="$(swift build -c release --show-bin-path)"
GC="$BIN/gcimport"
users_mapping "$WORK/users.yaml"

echo "# machine: $(nproc) cores, $(uname -sr); sandbox in a separate process on the same cores"
export GETCOURSE_API_KEY="$KEY"

section() { [[ " $SECTIONS " == *" $1 "* ]]; }

if section 1; then
echo
echo "## 1. throughput, no rate limit, no latency ($ROWS rows)"
users_csv "$WORK/users.csv" "$ROWS" Клиенты
start_sandbox
printf "%-8s %10s %10s %14s\n" workers "rows/s" "wall s" "cpu s/1k rows"
for workers in 1 4 16 64; do
    rm -f "$WORK"/users.csv.ledger.jsonl*
    /usr/bin/time -f "%e %U %S" -o "$WORK/time" \
        "$GC" run "$WORK/users.csv" --mapping "$WORK/users.yaml" --endpoint "http://127.0.0.1:$PORT" \
        --rate none --workers "$workers" --quiet --json >"$WORK/summary.json"
    read -r wall user sys <"$WORK/time"
    rate=$(python3 -c "import json;print(json.load(open('$WORK/summary.json'))['rate_per_s'])")
    cpu=$(python3 -c "print(round(($user + $sys) / $ROWS * 1000, 3))")
    printf "%-8s %10s %10s %14s\n" "$workers" "$rate" "$wall" "$cpu"
done
fi

if section 2; then
echo
echo "## 2. paced: sandbox latency 200 ms, --rate 20/s --burst 1, 8 workers ($PACED_ROWS rows)"
start_sandbox --latency 200
users_csv "$WORK/paced.csv" "$PACED_ROWS" Клиенты
"$GC" run "$WORK/paced.csv" --mapping "$WORK/users.yaml" --endpoint "http://127.0.0.1:$PORT" \
    --rate 20/s --burst 1 --workers 8 --quiet --json
python3 scripts/ledger_rate.py "$WORK/paced.csv.ledger.jsonl"
fi

if section 3; then
echo
echo "## 3. baseline: naive Python POST loop with a pause (seed 001), same latency ($PY_ROWS rows)"
# Seed 001's advice (a 1-second pause), then the pause that would give 20/s if calls took no time.
echo "pause 1.0 s ($((PY_ROWS / 3)) rows):"
python3 scripts/naive_import.py "$WORK/paced.csv" --endpoint "http://127.0.0.1:$PORT" --pause 1.0 \
    --limit "$((PY_ROWS / 3))"
echo "pause 0.05 s ($PY_ROWS rows):"
python3 scripts/naive_import.py "$WORK/paced.csv" --endpoint "http://127.0.0.1:$PORT" --pause 0.05 \
    --limit "$PY_ROWS"
fi

if section 4; then
echo
echo "## 4. resume cost: $RESUME_ROWS rows already done in the ledger"
if [ -n "$SANDBOX_PID" ]; then kill "$SANDBOX_PID"; wait "$SANDBOX_PID" 2>/dev/null || true; SANDBOX_PID=""; fi
users_csv "$WORK/big.csv" "$RESUME_ROWS" Клиенты
ls -l "$WORK/big.csv" | awk '{printf "input: %.1f MB\n", $5 / 1048576}'
# Nothing listens on the endpoint: a resume that sent anything would fail.
"$BIN/gcimport-bench" run-fill-ledger "$WORK/big.csv" "$WORK/users.yaml" "$WORK/big.csv.ledger.jsonl" \
    "http://127.0.0.1:9"
ls -l "$WORK/big.csv.ledger.jsonl" | awk '{printf "ledger: %.1f MB\n", $5 / 1048576}'
for run in $(seq 1 "$RESUME_RUNS"); do
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" \
        "$GC" run "$WORK/big.csv" --mapping "$WORK/users.yaml" --endpoint "http://127.0.0.1:9" --no-check --quiet \
        --json >"$WORK/resume.json"
    read -r wall user sys rss <"$WORK/time"
    engine=$(python3 -c "import json;print(json.load(open('$WORK/resume.json'))['elapsed_s'])")
    echo "run $run: wall $wall s, user $user s, sys $sys s, max RSS $((rss / 1024)) MiB, engine part $engine s"
    echo "$wall" >>"$WORK/resume.walls"
done
python3 -c "import statistics,sys; w=[float(x) for x in open('$WORK/resume.walls')]; \
print(f'median wall {statistics.median(w):.2f} s (min {min(w):.2f}, max {max(w):.2f}) over {len(w)} runs')"
fi

if section 5; then
echo
echo "## 5. same-key ordering on distinct keys: $ORDER_PAIRS pairs of $ORDER_ROWS rows, 8 workers, no rate limit"
start_sandbox
users_csv "$WORK/order.csv" "$ORDER_ROWS" Клиенты
printf "%-5s %14s %14s %8s\n" pair "ordered rows/s" "unordered r/s" ratio
for pair in $(seq 1 "$ORDER_PAIRS"); do
    # Alternate which goes first, so a drift of the machine's speed does not favour one side.
    if [ $((pair % 2)) -eq 1 ]; then order="ordered unordered"; else order="unordered ordered"; fi
    declare -A rate_of=()
    for mode in $order; do
        rm -f "$WORK"/order.csv.ledger.jsonl*
        extra=""; [ "$mode" = unordered ] && extra="--unordered"
        "$GC" run "$WORK/order.csv" --mapping "$WORK/users.yaml" --endpoint "http://127.0.0.1:$PORT" \
            --rate none --workers 8 --no-check --quiet --json $extra >"$WORK/order.json"
        rate_of[$mode]=$(python3 -c "import json;print(json.load(open('$WORK/order.json'))['rate_per_s'])")
    done
    ratio=$(python3 -c "print(round(${rate_of[ordered]} / ${rate_of[unordered]}, 3))")
    printf "%-5s %14s %14s %8s\n" "$pair" "${rate_of[ordered]}" "${rate_of[unordered]}" "$ratio"
    echo "${rate_of[ordered]} ${rate_of[unordered]}" >>"$WORK/order.pairs"
done
python3 - "$WORK/order.pairs" <<'PY'
import statistics, sys
pairs = [tuple(map(float, line.split())) for line in open(sys.argv[1])]
ordered, unordered = [p[0] for p in pairs], [p[1] for p in pairs]
ratios = [o / u for o, u in pairs]
print(f"median ordered {statistics.median(ordered):.0f} rows/s, unordered {statistics.median(unordered):.0f} rows/s; "
      f"ratio median {statistics.median(ratios):.3f} (min {min(ratios):.3f}, max {max(ratios):.3f})")
PY
fi

if section 6; then
echo
echo "## 6. verify: $VERIFY_ROWS orders without a number, 5 % of the answers lost"
start_sandbox --drop-rate 0.05
python3 - "$WORK/orders.csv" "$VERIFY_ROWS" <<'PY'
import sys
path, rows = sys.argv[1], int(sys.argv[2])
with open(path, "w", encoding="utf-8") as out:
    out.write("Email;Товар;Сумма\n")
    for i in range(1, rows + 1):
        out.write(f"buyer{i}@example.com;Курс {i % 5};{1000 + i % 9 * 100}\n")
PY
cat > "$WORK/orders.yaml" <<'YAML'
kind: deal
fields:
  user.email: {column: Email, transforms: [email]}
  deal.product_title: Товар
  deal.deal_cost: {column: Сумма, transforms: [money]}
YAML
"$GC" run "$WORK/orders.csv" --mapping "$WORK/orders.yaml" --endpoint "http://127.0.0.1:$PORT" \
    --rate none --workers 8 --quiet --json || true
echo
# Each verification starts from the same ledger (verify appends to it); with GC_BASE=another/gcimport, that
# binary verifies too, alternately, for a paired comparison in the same run.
cp "$WORK/orders.csv.ledger.jsonl" "$WORK/orders.pristine"
for run in $(seq 1 "${VERIFY_RUNS:-1}"); do
    for bin in "$GC" ${GC_BASE:+"$GC_BASE"}; do
        cp "$WORK/orders.pristine" "$WORK/orders.csv.ledger.jsonl"
        /usr/bin/time -f "verify ($bin): wall %e s, user %U s, sys %S s, max RSS %M KB" \
            "$bin" verify --ledger "$WORK/orders.csv.ledger.jsonl" --poll-interval 0.5 --quiet --json \
            | python3 -c "import json,sys; r=json.load(sys.stdin); print('checked', r['checked'], r['counts'], 'calls', r['calls'])"
    done
done
# The sandbox's own peak: the run and the exports verify asked for (sent from files, not memory).
echo "sandbox: peak RSS $(awk '/VmHWM/ { print int($2 / 1024) " MiB" }' "/proc/$SANDBOX_PID/status")"
fi
