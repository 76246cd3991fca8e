#!/usr/bin/env bash
# Runs the whole test suite: unit, golden, conformance and fault-injection
# tests with the race detector on (it needs gcc, which Go's cgo uses), then
# the end-to-end testscripts of cmd/itlag without it. The scripts drive the
# binary as a user does; the concurrency they reach (watch's loop and
# server, the audit trail's appends, the providers) is tested under -race
# in the packages that own it, and the race detector would triple the
# scripts' time (CI has 2 cores and 5 minutes). Benchmarks and fuzzing are
# separate; see docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
go test -race -count=1 $(go list ./... | grep -v '/cmd/itlag$')
go test -count=1 ./cmd/itlag
