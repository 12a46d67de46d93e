#!/usr/bin/env bash
# The rehearsal at migration size (release build): `gcimport run FILE --sandbox --rate none`, the importer
# and its in-process sandbox with the account in SQLite beside the ledger, on REHEARSAL_ROWS new users
# (default 1,000,000; every row creates a user and joins a group):
#  1. the whole run, REHEARSAL_RUNS times (default 1; each is a new rehearsal): wall time, rows/s, peak RSS
#     of the whole process (/usr/bin/time), size of the state database;
#  2. resuming the finished rehearsal (nothing left to send, the sandbox opens the full account), RESUME_RUNS
#     times (default 5): wall time and peak RSS;
#  3. the floor in the same run: python3's sqlite3 writing the same number of rows, one INSERT and one
#     commit per row, WAL and synchronous=NORMAL as the sandbox has them. Every sandbox call is at least
#     that commit, so the ratio says how much of the rehearsal's time is the commit itself.
# Results go to stdout; the figures in BENCHMARKS.md come from this script.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS="${REHEARSAL_ROWS:-1000000}"
RUNS="${REHEARSAL_RUNS:-1}"
RESUME_RUNS="${RESUME_RUNS:-5}"
WORK="$(mktemp -d /tmp/gcimport-bench-rehearsal.XXXXXX)"
PORT=0 KEY=unused
# users_csv, users_mapping and cleanup
source scripts/lib/sandbox.sh
trap cleanup EXIT

swift build -c release --product gcimport >/dev/null
GC="$(swift build -c release --show-bin-path)/gcimport"

users_mapping "$WORK/users.yaml"
users_csv "$WORK/users.csv" "$ROWS" Клиенты
echo "# machine: $(nproc) cores, $(uname -sr); $ROWS users, $(du -m "$WORK/users.csv" | cut -f1) MB input"
median() { python3 -c "import statistics,sys; w=[float(x) for x in open('$1')]; \
print(f'median {statistics.median(w):.2f} (min {min(w):.2f}, max {max(w):.2f}) over {len(w)} runs')"; }

echo
echo "## 1. whole rehearsal: run --sandbox --rate none --new-ledger"
for run in $(seq 1 "$RUNS"); do
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" \
        "$GC" run "$WORK/users.csv" --mapping "$WORK/users.yaml" --sandbox --rate none --new-ledger --quiet --json \
        >"$WORK/run.json"
    read -r wall user sys rss <"$WORK/time"
    ok=$(python3 -c "import json;print(json.load(open('$WORK/run.json'))['ok'])")
    state="$WORK/users.csv.ledger.jsonl.sandbox.sqlite"
    echo "run $run: wall $wall s, $(python3 -c "print(round($ROWS / $wall))") rows/s, user $user s, sys $sys s," \
        "max RSS $((rss / 1024)) MiB, ok $ok, state $(du -m "$state" | cut -f1) MB"
    [ "$ok" = "$ROWS" ] || { echo "not every row ok" >&2; exit 1; }
    echo "$wall" >>"$WORK/run.walls"
    echo "$((rss / 1024))" >>"$WORK/run.rss"
done
echo "wall s: $(median "$WORK/run.walls"); max RSS MiB: $(median "$WORK/run.rss")"
users=$(sqlite3 "$WORK/users.csv.ledger.jsonl.sandbox.sqlite" "SELECT count(*) FROM users" 2>/dev/null || echo "?")
echo "users in the state database: $users"

echo
echo "## 2. resume of the finished rehearsal"
for run in $(seq 1 "$RESUME_RUNS"); do
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" \
        "$GC" run "$WORK/users.csv" --mapping "$WORK/users.yaml" --sandbox --rate none --quiet --json \
        >"$WORK/resume.json"
    read -r wall user sys rss <"$WORK/time"
    status=$(python3 -c "import json;print(json.load(open('$WORK/resume.json'))['status'])")
    echo "run $run: wall $wall s, user $user s, sys $sys s, max RSS $((rss / 1024)) MiB, $status"
    echo "$wall" >>"$WORK/resume.walls"
done
echo "wall s: $(median "$WORK/resume.walls")"

echo
echo "## 3. floor: python3 sqlite3, one INSERT and one commit per row ($ROWS rows)"
python3 - "$WORK/floor.sqlite" "$ROWS" <<'PY'
import sqlite3, sys, time
path, rows = sys.argv[1], int(sys.argv[2])
db = sqlite3.connect(path, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=NORMAL")
db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, email_key TEXT NOT NULL, fields TEXT)")
db.execute("CREATE INDEX users_by_email ON users (email_key)")
start = time.monotonic()
for i in range(1, rows + 1):
    db.execute("BEGIN")
    db.execute("INSERT INTO users VALUES (?, ?, ?, ?)",
               (i, f"user{i}@example.com", f"user{i}@example.com", '{"first_name":"Имя %d"}' % i))
    db.execute("COMMIT")
wall = time.monotonic() - start
print(f"floor: {wall:.1f} s, {rows / wall:.0f} rows/s")
PY
