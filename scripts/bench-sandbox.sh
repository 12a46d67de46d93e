#!/usr/bin/env bash
# Requests per second the GetCourse sandbox serves on loopback to keep-alive clients sending users `add`.
# Builds gcimport-bench in release, then runs the `sandbox` mode at a few connection counts.
# Every run is bounded in time (--seconds) and in requests (--requests).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_RUN="${SECONDS_PER_RUN:-5}"
swift build -c release --product gcimport-bench >/dev/null
BENCH="$(swift build -c release --show-bin-path)/gcimport-bench"

echo "# machine: $(nproc) cores, $(uname -sr)"
for connections in 1 4 16 64; do
    "$BENCH" sandbox --connections "$connections" --seconds "$SECONDS_PER_RUN" --requests 2000000
done
# Two event-loop threads for the server (the default of `gcimport sandbox`).
"$BENCH" sandbox --connections 16 --seconds "$SECONDS_PER_RUN" --server-threads 2
# With 20 ms latency: 16 connections can reach at most 16 / 0.020 = 800 req/s if delays are scheduled,
# not slept; one loop thread that slept would give 50 req/s.
"$BENCH" sandbox --connections 16 --seconds "$SECONDS_PER_RUN" --latency 20
