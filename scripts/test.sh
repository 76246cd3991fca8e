#!/usr/bin/env bash
# Runs the whole test suite (unit, golden, conformance, fault-injection and
# end-to-end testscript tests), with the race detector on (it needs gcc,
# which Go's cgo uses). Benchmarks and fuzzing are separate; see the README's
# performance section.
set -euo pipefail
cd "$(dirname "$0")/.."
go test -race -count=1 ./...
