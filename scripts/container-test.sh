#!/usr/bin/env bash
# Builds the image (scripts/container-build.sh) and runs in it, as its
# user 1000 and without network (--network=none; --sandbox is hermetic):
#   1. itlag version (the release's version, commit and date) and restic;
#   2. the sandbox cycle on examples/quickstart: validate, plan, apply
#      --auto-approve, plan --detailed-exitcode = 0;
#   3. the default command (watch --listen :8080, in the sandbox), until the
#      image's HEALTHCHECK ("itlag health") passes.
#
#   scripts/container-test.sh [VERSION]      (default v0.0.0-containertest)
#
# Needs podman (Debian: podman; and runc where crun cannot run: a host with
# cgroups v1 and v2 mounted side by side, "hybrid", which crun refuses).
# PODMAN_RUN_FLAGS adds flags to every podman run.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:-v0.0.0-containertest}
podman=${PODMAN:-podman}
image=localhost/itlag:$version
start=$SECONDS
fail() { echo "container-test: FAIL: $*" >&2; exit 1; }

scripts/container-build.sh "$version"

# Rootful podman in a VM or container may not raise rlimits (no
# CAP_SYS_RESOURCE: podman's defaults for nofile and nproc are above the
# host's), and crun refuses hybrid cgroups: lower limits, and runc there.
run=(--rm --network=none --ulimit nofile=8192:8192 --ulimit nproc=4096:4096)
if [ -d /sys/fs/cgroup/unified ] && command -v runc >/dev/null; then
	run+=(--runtime runc)
fi
# shellcheck disable=SC2206
run+=(${PODMAN_RUN_FLAGS:-})
# One-off commands need no health check (without systemd, podman logs an
# error for each container it cannot add a health-check timer for).
once=("${run[@]}" --no-healthcheck)

tmp=$(mktemp -d)
name=itlag-container-test-$$
cleanup() {
	$podman rm -f "$name" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/repo" "$tmp/data"
cp -R examples/quickstart "$tmp/repo/infra-state"
chown -R 1000:1000 "$tmp/repo" "$tmp/data"
vols=(-v "$tmp/repo:/repo" -v "$tmp/data:/data")

# 1. version, restic
commit=$(git rev-parse HEAD)
[ -z "$(git status --porcelain --untracked-files=no)" ] || commit+=+dirty
date=$(TZ=UTC git log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ HEAD)
out=$($podman run "${once[@]}" "$image" version) || fail "itlag version: $out"
echo "$out"
[ "$(head -1 <<<"$out")" = "itlag $version (commit $commit, $date)" ] || fail "version line: $(head -1 <<<"$out")"
grep -qx 'data dir: /data/state/itlag' <<<"$out" || fail "data dir not under the /data volume: $out"
$podman run "${once[@]}" --entrypoint /usr/bin/restic "$image" version || fail "restic does not run in the image"
$podman run "${once[@]}" "${vols[@]}" -e RESTIC_PASSWORD=container-test --entrypoint /usr/bin/restic "$image" \
	init --repo /data/restic-repo >/dev/null || fail "restic init as uid 1000 on the /data volume"

# 2. the sandbox cycle
itlag() { $podman run "${once[@]}" "${vols[@]}" "$image" --sandbox /data/sandbox "$@"; }
itlag validate || fail validate
rc=0
itlag plan --detailed-exitcode || rc=$?
[ $rc -eq 2 ] || fail "first plan --detailed-exitcode: exit $rc, want 2 (changes)"
itlag apply --auto-approve || fail "apply --auto-approve"
out=$(itlag plan --detailed-exitcode) || fail "plan after apply: want exit 0 (no changes): $out"
grep -q 'No changes' <<<"$out" || fail "plan after apply: $out"
echo "container-test: version, restic and the sandbox cycle (validate, plan, apply, plan: no changes) pass in $image"

# 3. the default command, then the HEALTHCHECK ("podman healthcheck run"
# runs it now; without systemd podman cannot schedule it, and says so on
# stderr, which is dropped here)
out=$($podman run -d --name "$name" "${run[@]}" "${vols[@]}" "$image" \
	watch --listen :8080 --state infra-state --sandbox /data/sandbox 2>&1) || fail "podman run -d $image watch: $out"
healthy=
for _ in $(seq 1 60); do
	if $podman healthcheck run "$name" >/dev/null 2>&1; then
		healthy=yes
		break
	fi
	sleep 1
done
[ -n "$healthy" ] || fail "HEALTHCHECK never passed: $($podman exec "$name" /usr/local/bin/itlag health 2>&1); log: $($podman logs "$name" 2>&1 | tail -20)"
$podman exec "$name" /usr/local/bin/itlag health
$podman stop -t 10 "$name" >/dev/null 2>&1
echo "container-test: watch (the default command) is healthy: HEALTHCHECK passed"
echo "container-test: all checks passed in $((SECONDS - start))s"
