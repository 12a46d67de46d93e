#!/usr/bin/env bash
# Benchmarks of `--rate auto` (release build) against the GetCourse sandbox on loopback:
#  1. a hidden account limit (sandbox --rate-limit LIMIT, 429 + Retry-After beyond it): RUNS runs of
#     DURATION seconds with --rate auto, 8 workers; for the second half of each run, the calls taken per
#     second as a share of the limit (target >= 90 %) and the share answered 429 (target <= 2 %);
#  2. 200 ms latency, no limit: a fixed --rate 20/s, and --rate auto --max-rate 20/s; achieved rate against
#     20/s (target >= 99 % for the fixed rate) from the ledger's `sent` stamps.
# Medians over RUNS; the sandbox is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

LIMIT="${LIMIT:-37}"
DURATION="${DURATION:-120}"
RUNS="${RUNS:-5}"
PACED_ROWS="${PACED_ROWS:-600}"
SECTIONS="${SECTIONS:-1 2}"
PORT="${PORT:-18432}"
KEY="bench-key"
WORK="$(mktemp -d /tmp/gcimport-bench-rate.XXXXXX)"
# users_csv, start_sandbox and cleanup
source scripts/lib/sandbox.sh
trap cleanup EXIT

swift build -c release --product gcimport >/dev/null
GC="$(swift build -c release --show-bin-path)/gcimport"
export GETCOURSE_API_KEY="$KEY"


cat > "$WORK/users.yaml" <<'YAML'
kind: user
fields:
  user.email: {column: Email, transforms: [email]}
  user.first_name: Имя
  system.refresh_if_exists: {value: 1}
YAML


section() { [[ " $SECTIONS " == *" $1 "* ]]; }
echo "# machine: $(nproc) cores, $(uname -sr); sandbox in a separate process on the same cores"

if section 1; then
echo
echo "## 1. --rate auto against a hidden limit of $LIMIT/s: $RUNS runs of ${DURATION} s, 8 workers"
# More rows than the run can send: it is stopped after DURATION seconds with SIGINT, as Ctrl-C would.
users_csv "$WORK/users.csv" "$(python3 -c "print(int($LIMIT * $DURATION * 1.5) + 100)")"
for run in $(seq 1 "$RUNS"); do
    start_sandbox --rate-limit "$LIMIT"
    rm -f "$WORK"/users.csv.ledger.jsonl*
    "$GC" run "$WORK/users.csv" --mapping "$WORK/users.yaml" --endpoint "http://127.0.0.1:$PORT" \
        --rate auto --max-rate 200/s --workers 8 --no-check --quiet --json >"$WORK/summary.json" &
    RUN_PID=$!
    sleep "$DURATION"
    kill -INT "$RUN_PID" 2>/dev/null || true
    wait "$RUN_PID" || true
    python3 scripts/ledger_adaptive.py "$WORK/users.csv.ledger.jsonl" "$LIMIT" \
        "$((DURATION / 2))" "$((DURATION - 2))" | tee -a "$WORK/adaptive.jsonl"
done
python3 - "$WORK/adaptive.jsonl" <<'PY'
import json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
share = [r["share_of_limit"] for r in runs]
pushed = [r["share_429"] for r in runs]
print(f"median over {len(runs)} runs: {statistics.median(share) * 100:.1f} % of the limit "
      f"(min {min(share) * 100:.1f}, max {max(share) * 100:.1f}); answered 429: median "
      f"{statistics.median(pushed) * 100:.2f} % (max {max(pushed) * 100:.2f})")
PY
fi

if section 2; then
echo
echo "## 2. 200 ms latency, 8 workers, $PACED_ROWS rows: fixed --rate 20/s, then --rate auto --max-rate 20/s"
users_csv "$WORK/paced.csv" "$PACED_ROWS"
start_sandbox --latency 200
for run in $(seq 1 "$RUNS"); do
    for mode in fixed auto; do
        rm -f "$WORK"/paced.csv.ledger.jsonl*
        if [ "$mode" = fixed ]; then rate=(--rate 20/s); else rate=(--rate auto --max-rate 20/s); fi
        "$GC" run "$WORK/paced.csv" --mapping "$WORK/users.yaml" --endpoint "http://127.0.0.1:$PORT" \
            "${rate[@]}" --workers 8 --no-check --quiet --json >/dev/null
        printf "%s " "$mode"; python3 scripts/ledger_rate.py "$WORK/paced.csv.ledger.jsonl" | tee -a "$WORK/paced.$mode"
    done
done
python3 - "$WORK/paced.fixed" "$WORK/paced.auto" <<'PY'
import json, statistics, sys
for name, path in zip(["fixed 20/s", "auto up to 20/s"], sys.argv[1:]):
    rates = [json.loads(line)["rate_per_s"] for line in open(path)]
    print(f"{name}: median {statistics.median(rates):.2f}/s = {statistics.median(rates) / 20 * 100:.1f} % of 20/s "
          f"(min {min(rates):.2f}, max {max(rates):.2f})")
PY
fi
