#!/usr/bin/env bash
# itlag's whole operating cycle on infra-state/, against in-process fakes: no
# credentials, no network (under --sandbox nothing leaves loopback).
#
#   validate → plan → apply → backup run and verify → check → drift (reports
#   and incidents committed into a Git repository in the sandbox, pushed to a
#   bare one beside it) → status page → plan again: no changes
#
# and a one-screen summary. The fake world lives in .sandbox/ (SANDBOX_DIR):
# run the script again to see the next cycle, edit the world to fix what the
# first run found (the summary says how), delete the directory to start over.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
dir=${SANDBOX_DIR:-.sandbox}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
repo=$dir/repo         # the organisation's repository: state, reports, incidents
origin=$dir/origin.git # where drift pushes: a bare repository on this machine
job=documents          # the backup job the cycle runs (the others stay never run)

go build -o ./itlag ./cmd/itlag

# Global flags first, as with git -C or terraform -chdir.
itlag() { "$top/itlag" --state "$repo/infra-state" --sandbox "$dir" "$@"; }
step() { printf '\n== itlag %s\n' "$*"; }
# allow2 runs a command for which 2 means "changes or open findings".
allow2() {
	local rc=0
	"$@" || rc=$?
	[ $rc -eq 0 ] || [ $rc -eq 2 ] || exit $rc
}

# The repository: infra-state/ as committed here, with what itlag writes
# (reports/, incidents/, audit/) committed on top by drift.
if [ ! -d "$repo/.git" ]; then
	git init -q -b main "$repo"
	git init -q --bare -b main "$origin"
	git -C "$repo" remote add origin "$origin"
fi
rm -rf "$repo/infra-state"
cp -R infra-state "$repo/infra-state"
rm -f "$repo/infra-state/.itlag.lock"
if [ -n "$(git -C "$repo" status --porcelain -- infra-state)" ]; then
	git -C "$repo" add -A infra-state
	git -C "$repo" -c user.name="itlag sandbox" -c user.email=sandbox@itlag.invalid \
		commit -q -m "desired state from infra-state/"
fi

step validate
itlag validate

step plan --detailed-exitcode
allow2 itlag plan --detailed-exitcode

step apply --auto-approve
itlag apply --auto-approve | tee "$dir/apply.out"

step backup run $job
itlag backup run $job
step backup verify $job
itlag backup verify $job

# The IT mailbox (the sandbox's IMAP fake, seeded once with one mail of
# each kind): this morning's No-IP confirmation request is tracked.
step mail check
itlag mail check

# A monitor is down after failure_threshold failures in a row (2 for the
# website): the first check records one, the second (a minute later under
# "itlag watch") makes it down and alerts.
step check
allow2 itlag check >/dev/null
step check
allow2 itlag check

step drift --push
allow2 itlag drift --push | tee "$dir/drift.out"

# This week's report so far, from the history check and drift recorded.
step report weekly --period "$(date -u +%F)"
itlag report weekly --period "$(date -u +%F)" --out "$repo"

step status-page --out "$dir/status"
itlag status-page --out "$dir/status"

step "plan --detailed-exitcode (expect no changes)"
itlag plan --detailed-exitcode

# The summary: from what the commands wrote.
applied=$(grep -E '^(Apply:|No changes)' "$dir/apply.out" | tail -1)
findings=$(awk '
	/^  "findings": \[/ { on = 1; next }
	on && /^  \]/ { on = 0 }
	on && /"severity":/ { gsub(/[",]/, "", $2); n[$2]++ }
	END { printf "%d critical, %d high, %d medium, %d low", n["critical"], n["high"], n["medium"], n["low"] }
' "$repo/reports/status.json")
open_incidents=$(grep -l '^status: open' "$repo"/incidents/*.md 2>/dev/null | wc -l)
emails=$(find "$dir/outbox" -name '*.eml' 2>/dev/null | wc -l)
webhooks=$(find "$dir/outbox" -name '*.json' 2>/dev/null | wc -l)
confirmations=$(itlag mail confirmations | grep -c '^[0-9]' || true)

cat <<EOF

== Summary
Applied:     ${applied:-nothing}
Findings:    $findings
Incidents:   $open_incidents open ($(grep -m1 -o '[0-9]* incidents opened[^.]*' "$dir/drift.out" || echo 'none opened this run'))
Alerts:      $emails email(s), $webhooks webhook call(s) in $dir/outbox/
Mail:        $confirmations confirmation(s) waiting (./itlag --state $repo/infra-state --sandbox $dir mail confirmations)
Drift:       $(git -C "$repo" log -1 --format='%h %s') (pushed to $origin)
Status page: $dir/status/index.html
Reports:     $repo/reports/drift.md, $repo/reports/status.json, $repo/reports/weekly/
Incidents:   $repo/incidents/

The seeded problems, and how to fix them here (then run this script again):
  website down        set "status": 200 for lagrieta.es in $dir/web.json
  NAS volume at 91%   echo 70 > $dir/nas/office/volume1-used-percent
  backups never run   ./itlag --state $repo/infra-state --sandbox $dir backup run media (and website)
  domain due in days  move "expires" forward in $dir/godaddy.json
  No-IP confirmation  ./itlag --state $repo/infra-state --sandbox $dir mail confirm ID (once done at No-IP)
What only the operator knows stays pending in infra-state/ (host key, dates,
the offsite repositories): those findings remain until it is filled in.
EOF
