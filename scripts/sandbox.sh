#!/usr/bin/env bash
# itlag's main job on the sandbox, no credentials and no network: plan the
# desired state in infra-state/ against in-process fakes, apply it, and show
# that the next plan is empty. The fake world lives in .sandbox/ (delete it to
# start over).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${SANDBOX_DIR:-.sandbox}
go build -o ./itlag ./cmd/itlag

echo "== itlag validate"
./itlag validate

echo; echo "== itlag plan --sandbox $dir"
set +e; ./itlag plan --sandbox "$dir" --detailed-exitcode; rc=$?; set -e
[ $rc -eq 0 ] || [ $rc -eq 2 ] || exit $rc

echo; echo "== itlag apply --sandbox $dir --auto-approve"
./itlag apply --sandbox "$dir" --auto-approve

echo; echo "== itlag plan --sandbox $dir (expect no changes)"
./itlag plan --sandbox "$dir" --detailed-exitcode
