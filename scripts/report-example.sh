#!/usr/bin/env bash
# Makes the example HTML report under docs/ and its screenshot: the bundled users sample rehearsed against
# `gcimport sandbox` with faults (8 % HTTP 500, a hidden limit of 8 calls/s answered 429, 80±60 ms latency),
# under `--rate auto`, with the email of four rows broken so they are invalid; the run is stopped with Ctrl-C after 15 s and
# resumed 8 s later, then verified. `report --html` writes the page and headless Chromium renders it.
#
#   scripts/report-example.sh        # writes docs/report-example.html and docs/report-example.png
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

command -v chromium >/dev/null || { echo "needs chromium (apt-get install chromium)" >&2; exit 69; }
swift build --product gcimport >&2
GC="$(swift build --show-bin-path)/gcimport"
PORT=${PORT:-18790}
KEY=report-example-key
WORK=/tmp/gcimport-report-example
rm -rf "$WORK" && mkdir -p "$WORK"
# shellcheck source=lib/sandbox.sh
source scripts/lib/sandbox.sh
trap cleanup EXIT

cp mapping/users.yaml "$WORK/"
sed -E '41s/@/ at /; 97s/@/@@/; 150s/@/ at /; 233s/@/ /' samples/users.csv >"$WORK/users.csv"
start_sandbox --fail-rate 0.08 --rate-limit 8 --latency 80±60
export GETCOURSE_API_KEY=$KEY
cd "$WORK"
run() { "$GC" run users.csv --mapping users.yaml --endpoint "http://127.0.0.1:$PORT" --rate auto --max-rate 20/s \
    --quiet "$@" || true; }
timeout -s INT 15 "$GC" run users.csv --mapping users.yaml --endpoint "http://127.0.0.1:$PORT" --rate auto \
    --max-rate 20/s --quiet || true
sleep 8
run
"$GC" verify --ledger users.csv.ledger.jsonl --quiet || true
{ "$GC" report --ledger users.csv.ledger.jsonl --html "$ROOT/docs/report-example.html" || true; } | sed -n "/^Rows in/,/^Time/p"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1060,1700 \
    --screenshot="$ROOT/docs/report-example.png" "file://$ROOT/docs/report-example.html" 2>/dev/null
echo "wrote docs/report-example.html and docs/report-example.png"
