#!/usr/bin/env bash
# The migration-sized soak (not part of `make test`): see scripts/soak.py for what it does and checks.
# ROWS (200000), IMPORTER_KILLS (50), SANDBOX_KILLS (5), SEED, WORKERS, PORT. Prints one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
{ [ -f /usr/include/csv.h ] && [ -f /usr/include/sqlite3.h ]; } || make deps >/dev/null
swift build -c release --product gcimport >&2
WORK="$(mktemp -d /tmp/gcimport-soak.XXXXXX)"
echo "soak: working in $WORK (kept on failure)" >&2
if python3 scripts/soak.py "$(swift build -c release --show-bin-path)/gcimport" "$WORK"; then
    rm -rf "$WORK"
else
    exit 1
fi
