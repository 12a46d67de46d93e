# The two quick-start commands (`make demo`, `make test`) and the CI entry points. Each target first makes
# sure the two system packages gcimport needs, libcsv-dev and libsqlite3-dev, are installed.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build demo test lint bench release dist check-dist fuzz soak

## deps: install libcsv-dev and libsqlite3-dev (Debian/Ubuntu) when their headers are missing.
deps:
	@if [ ! -f /usr/include/csv.h ] || [ ! -f /usr/include/sqlite3.h ]; then \
		echo "Installing libcsv-dev (the C CSV parser) and libsqlite3-dev (the sandbox's database)…"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libcsv-dev libsqlite3-dev; \
	fi

build: deps
	$(SWIFT) build

## demo: import the bundled users sample into the built-in GetCourse sandbox and print the summary.
demo: deps
	$(SWIFT) run gcimport run samples/users.csv --mapping mapping/users.yaml --sandbox --new-ledger

## test: the whole test suite (unit, real-HTTP against the sandbox, end-to-end runs of the binary).
## Backtraces unsymbolicated: symbolicating the debug test bundle took 299 s on a loaded CI machine, and
## the whole test process (its in-process sandboxes too) is frozen meanwhile, failing every test in flight.
test: deps
	SWIFT_BACKTRACE=enable=yes,symbolicate=off $(SWIFT) test

lint:
	$(SWIFT) format lint --strict -r Package.swift Sources Tests Fuzz

release: deps
	$(SWIFT) build -c release

## dist: one release binary for machines without Swift or libcsv (dist/gcimport), with completions and a
## man page; check-dist runs it in a clean environment on the bundled sample.
dist: deps
	bash scripts/dist.sh

check-dist: dist
	bash scripts/check-dist.sh

## bench: every benchmark script; see BENCHMARKS.md.
bench: release
	for script in scripts/bench-*.sh; do bash "$$script"; done

## fuzz: every libFuzzer target for FUZZ_SECONDS each (default 300); see docs/testing.md.
FUZZ_SECONDS ?= 300
fuzz: deps
	bash scripts/fuzz.sh all $(FUZZ_SECONDS)

## soak: 200,000 rows through faults and kills against the sandbox; see docs/testing.md.
soak: deps
	bash scripts/soak.sh
