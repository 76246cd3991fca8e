#!/usr/bin/env bash
# Runs the unit, golden, conformance and fault-injection tests under the
# race detector (it needs gcc, which Go's cgo uses). .ci/run runs it
# before the README's test command (scripts/test.sh). The end-to-end
# testscripts of cmd/itlag are left out: the concurrency they reach
# (watch's loop and server, the audit trail's appends, the providers) is
# tested here in the packages that own it, and the race detector would
# triple the scripts' time.
set -euo pipefail
cd "$(dirname "$0")/.."
go test -race -count=1 $(go list ./... | grep -v '/cmd/itlag$')
