#!/usr/bin/env bash
# Runs the whole test suite in one go test: unit, golden, conformance and
# fault-injection tests, and the end-to-end testscripts of cmd/itlag that
# drive the binary as a user does. One build of every dependency: about
# 5 minutes on 2 cores with an empty build cache (see README "Size and
# speed").
#
# The race detector and go vet run beside it in CI (.ci/run runs
# scripts/race.sh and go vet ./...), not here: -race builds every
# dependency a second time, instrumented, which alone doubled this
# command's time on a cold cache, and go test's vet analyses every
# dependency too. Benchmarks and fuzzing are separate; see
# docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
go test -vet=off -count=1 ./...
