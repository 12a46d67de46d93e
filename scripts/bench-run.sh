#!/usr/bin/env bash
# Benchmarks of `gcimport run` (release build) against the GetCourse sandbox on loopback:
#  1. rows/s with no rate limit and no latency, at 1/4/16/64 workers, and client CPU seconds per 1,000 rows;
#  2. sandbox latency 200 ms, --rate 20/s: achieved rate (>= 98% of the limit?) and the busiest 1-second
#     window (never above rate + burst?), both from the ledger's `sent` stamps;
#  3. the same latency, the naive Python loop seed 001 suggests (scripts/naive_import.py);
#  4. resume cost: a run over 1,000,000 rows that the ledger already shows as done.
# Every run is bounded (row counts below); the sandbox is stopped on exit. Results go to stdout; the
# figures recorded in BENCHMARKS.md come from this script.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS="${ROWS:-20000}"            # rows per throughput run (part 1)
PACED_ROWS="${PACED_ROWS:-600}"  # rows of the paced run (part 2): 30 s at 20/s
PY_ROWS="${PY_ROWS:-90}"         # rows for the Python baseline (part 3; a third of them at pause 1 s)
RESUME_ROWS="${RESUME_ROWS:-1000000}"
PORT="${PORT:-18431}"
KEY="bench-key"
WORK="$(mktemp -d /tmp/gcimport-bench-run.XXXXXX)"
SANDBOX_PID=""

cleanup() {
    if [ -n "$SANDBOX_PID" ]; then kill "$SANDBOX_PID" 2>/dev/null || true; wait "$SANDBOX_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

swift build -c release --product gcimport >/dev/null
swift build -c release --product gcimport-bench >/dev/null
BIN="$(swift build -c release --show-bin-path)"
GC="$BIN/gcimport"

users_csv() {  # users_csv FILE ROWS
    python3 - "$1" "$2" <<'PY'
import sys
path, rows = sys.argv[1], int(sys.argv[2])
with open(path, "w", encoding="utf-8") as out:
    out.write("Email;Имя;Группа\n")
    for i in range(1, rows + 1):
        out.write(f"user{i}@example.com;Имя {i};Клиенты\n")
PY
}

cat > "$WORK/users.yaml" <<'YAML'
kind: user
fields:
  user.email: {column: Email, transforms: [email]}
  user.first_name: Имя
  user.group_name: Группа
  system.refresh_if_exists: {value: 1}
YAML

start_sandbox() {  # start_sandbox [sandbox options…]
    if [ -n "$SANDBOX_PID" ]; then kill "$SANDBOX_PID"; wait "$SANDBOX_PID" 2>/dev/null || true; fi
    "$GC" sandbox --port "$PORT" --key "$KEY" "$@" >"$WORK/sandbox.log" 2>&1 &
    SANDBOX_PID=$!
    for _ in $(seq 1 100); do
        if curl -s -o /dev/null "http://127.0.0.1:$PORT/__sandbox/state"; then return; fi
        sleep 0.1
    done
    echo "sandbox did not start" >&2; cat "$WORK/sandbox.log" >&2; exit 1
}

echo "# machine: $(nproc) cores, $(uname -sr); sandbox in a separate process on the same cores"
export GETCOURSE_API_KEY="$KEY"

echo
echo "## 1. throughput, no rate limit, no latency ($ROWS rows)"
users_csv "$WORK/users.csv" "$ROWS"
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

echo
echo "## 2. paced: sandbox latency 200 ms, --rate 20/s --burst 1, 8 workers ($PACED_ROWS rows)"
start_sandbox --latency 200
users_csv "$WORK/paced.csv" "$PACED_ROWS"
"$GC" run "$WORK/paced.csv" --mapping "$WORK/users.yaml" --endpoint "http://127.0.0.1:$PORT" \
    --rate 20/s --burst 1 --workers 8 --quiet --json
python3 scripts/ledger_rate.py "$WORK/paced.csv.ledger.jsonl"

echo
echo "## 3. baseline: naive Python POST loop with a pause (seed 001), same latency ($PY_ROWS rows)"
# Seed 001's advice (a 1-second pause), then the pause that would give 20/s if calls took no time.
echo "pause 1.0 s ($((PY_ROWS / 3)) rows):"
python3 scripts/naive_import.py "$WORK/paced.csv" --endpoint "http://127.0.0.1:$PORT" --pause 1.0 \
    --limit "$((PY_ROWS / 3))"
echo "pause 0.05 s ($PY_ROWS rows):"
python3 scripts/naive_import.py "$WORK/paced.csv" --endpoint "http://127.0.0.1:$PORT" --pause 0.05 \
    --limit "$PY_ROWS"

echo
echo "## 4. resume cost: $RESUME_ROWS rows already done in the ledger"
kill "$SANDBOX_PID"; wait "$SANDBOX_PID" 2>/dev/null || true; SANDBOX_PID=""
users_csv "$WORK/big.csv" "$RESUME_ROWS"
ls -l "$WORK/big.csv" | awk '{printf "input: %.1f MB\n", $5 / 1048576}'
# Nothing listens on the endpoint: a resume that sent anything would fail.
"$BIN/gcimport-bench" run-fill-ledger "$WORK/big.csv" "$WORK/users.yaml" "$WORK/big.csv.ledger.jsonl" \
    "http://127.0.0.1:9"
ls -l "$WORK/big.csv.ledger.jsonl" | awk '{printf "ledger: %.1f MB\n", $5 / 1048576}'
/usr/bin/time -f "wall %e s, user %U s, sys %S s, max RSS %M KB" \
    "$GC" run "$WORK/big.csv" --mapping "$WORK/users.yaml" --endpoint "http://127.0.0.1:9" --quiet --json
