#!/usr/bin/env bash
# Builds dist/gcimport: one release binary that runs on a Linux machine with no Swift toolchain, no
# libcsv and no libsqlite3 (`make dist`). The Swift standard library and Foundation are linked statically
# (--static-swift-stdlib); libcsv and SQLite are linked from their static archives, found first because
# they sit alone in a folder passed with -L ahead of the system's. `gcimport --version` names the commit.
#
#   scripts/dist.sh            # build dist/gcimport, dist/completions/*, dist/man/gcimport.1; list what the
#                              # binary still loads
#   scripts/check-dist.sh      # run it in a clean environment on the bundled sample
set -euo pipefail
cd "$(dirname "$0")/.."

multiarch=$(gcc -print-multiarch 2>/dev/null || echo "$(uname -m)-linux-gnu")
libdir=/usr/lib/$multiarch
for archive in libcsv.a libsqlite3.a; do
    [ -f "$libdir/$archive" ] || { echo "dist: $libdir/$archive is missing; run make deps" >&2; exit 69; }
done

commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit-modified"; fi

static=.build/dist-static-libs
info=.build/dist-info
mkdir -p "$static" "$info" dist
ln -sf "$libdir/libcsv.a" "$static/libcsv.a"
ln -sf "$libdir/libsqlite3.a" "$static/libsqlite3.a"
# Rewritten only when the commit changes, so an unchanged tree rebuilds nothing.
header="#define GCIMPORT_COMMIT \"$commit\""
[ "$(cat "$info/gcimport_commit.h" 2>/dev/null)" = "$header" ] || echo "$header" >"$info/gcimport_commit.h"

swift build -c release --product gcimport --static-swift-stdlib --scratch-path .build/dist \
    -Xcc -I"$PWD/$info" -Xlinker -L"$PWD/$static" >&2
cp .build/dist/release/gcimport dist/gcimport
strip dist/gcimport

# Shell completions and the man page, beside the binary. The man page plugin builds the package in debug:
# the fuzz targets' @testable imports do not build in release.
mkdir -p dist/completions dist/man
dist/gcimport --generate-completion-script bash >dist/completions/gcimport.bash
dist/gcimport --generate-completion-script zsh >dist/completions/_gcimport
dist/gcimport --generate-completion-script fish >dist/completions/gcimport.fish
swift package --allow-writing-to-directory dist generate-manual --configuration debug --output-directory dist/man >&2

echo "dist/gcimport: $(du -h dist/gcimport | cut -f1), $(dist/gcimport --version)"
echo "It loads only system libraries:"
ldd dist/gcimport | sed 's/^/  /'
if ldd dist/gcimport | grep -Eq 'libcsv|libsqlite3|libswift|libFoundation|libdispatch|/opt/swift'; then
    echo "dist: the binary still loads a library a user's machine may lack" >&2
    exit 70
fi
