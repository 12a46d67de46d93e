#!/usr/bin/env bash
# Checks dist/gcimport (from `make dist`) the way a user's machine would run it: an empty environment
# (`env -i`), a scratch working directory holding only the sample and its mapping, and, where the kernel lets
# us (root with a private mount namespace), the Swift toolchain, libcsv and libsqlite3 hidden from it.
# Runs --version, the demo import against the built-in sandbox, report --html, and the shell completions.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/dist/gcimport
[ -x "$BIN" ] || { echo "check-dist: $BIN is missing; run make dist" >&2; exit 66; }

WORK=$(mktemp -d /tmp/gcimport-dist-check.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cp "$BIN" "$WORK/gcimport"
cp samples/users.csv mapping/users.yaml "$WORK/"

# The checks, run inside the clean environment by /bin/sh.
cat >"$WORK/check.sh" <<'SH'
set -eu
cd "$1"
./gcimport --version
./gcimport run users.csv --mapping users.yaml --sandbox --new-ledger
./gcimport report --ledger users.csv.ledger.jsonl --html report.html >/dev/null
grep -q '<svg' report.html
for shell in bash zsh fish; do ./gcimport --generate-completion-script "$shell" | grep -q gcimport; done
echo "check-dist: demo, report --html and completions ran"
SH

hide=""
multiarch=$(gcc -print-multiarch 2>/dev/null || echo "$(uname -m)-linux-gnu")
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && unshare --mount true 2>/dev/null; then
    # Bind an empty folder over the toolchain and /dev/null over the libraries, in this process only.
    mkdir -p "$WORK/empty"
    hide="mount --bind $WORK/empty /opt/swift 2>/dev/null || true;"
    for lib in /usr/lib/$multiarch/libcsv.so* /usr/lib/$multiarch/libsqlite3.so*; do
        [ -e "$lib" ] && hide="$hide mount --bind /dev/null $lib;"
    done
    echo "check-dist: the Swift toolchain, libcsv and libsqlite3 are hidden from the binary"
    unshare --mount --propagation private /bin/sh -c "$hide exec env -i /bin/sh $WORK/check.sh $WORK"
else
    echo "check-dist: not root in a mount namespace; running with env -i only (see ldd in scripts/dist.sh)"
    env -i /bin/sh "$WORK/check.sh" "$WORK"
fi
