#!/usr/bin/env bash
# Tests the release builds (scripts/release.sh) the way a NAS runs them:
#
#   1. builds dist/ and checks SHA256SUMS ("sha256sum -c"), that "file"
#      names the right architecture and a static binary, and the stamped
#      version, commit and date;
#   2. runs each binary, arm64 and armv7 under qemu-user-static (called by
#      name: qemu-aarch64-static, qemu-arm-static; no binfmt_misc handler
#      needed, so it works in containers that cannot register one):
#      "itlag version", then the sandbox cycle on examples/quickstart:
#      validate, plan, apply --auto-approve, plan --detailed-exitcode = 0;
#   3. builds the same commit again from a fresh clone elsewhere: the bytes
#      must be identical (reproducible builds);
#   4. in that clone (a real .git directory: go build stamps no VCS data in
#      a linked worktree, golang/go#58218), a go build without -ldflags must
#      say "devel" with the commit and its date, then "+dirty" once a
#      tracked file is changed.
#
# Needs git, file and qemu-user-static (Debian packages). VERSION defaults
# to v0.0.0-releasetest.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
version=${1:-v0.0.0-releasetest}
for bin in git file sha256sum qemu-aarch64-static qemu-arm-static; do
	command -v "$bin" >/dev/null || { echo "release-test: $bin not found (apt-get install git file coreutils qemu-user-static)" >&2; exit 1; }
done
fail() { echo "release-test: FAIL: $*" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS

# 1. the build and its outputs
scripts/release.sh "$version"
commit=$(git rev-parse HEAD)
[ -z "$(git status --porcelain --untracked-files=no)" ] || commit+=+dirty
date=$(TZ=UTC git log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ HEAD)
(cd dist && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match dist/"
[ "$(wc -l <dist/SHA256SUMS)" -eq 3 ] || fail "SHA256SUMS lists $(wc -l <dist/SHA256SUMS) files, want 3"

# name, what "file" must say, how to run it
targets=(
	"amd64|ELF 64-bit LSB executable, x86-64, .*statically linked|"
	"arm64|ELF 64-bit LSB executable, ARM aarch64, .*statically linked|qemu-aarch64-static"
	"armv7|ELF 32-bit LSB executable, ARM, EABI5 .*statically linked|qemu-arm-static"
)
for t in "${targets[@]}"; do
	IFS='|' read -r arch want emu <<<"$t"
	bin=$top/dist/itlag-$version-linux-$arch
	[ -x "$bin" ] || fail "$bin missing"
	desc=$(file -b "$bin")
	[[ $desc =~ $want ]] || fail "file $bin: $desc; want /$want/"

	# 2. run it
	run() { ${emu:+$emu} "$bin" "$@"; }
	got=$(run version --data-dir "$tmp/data-$arch" | head -1)
	[ "$got" = "itlag $version (commit $commit, $date)" ] ||
		fail "$arch: itlag version: '$got', want 'itlag $version (commit $commit, $date)'"
	run version | grep -qx "go1\.[0-9.]* linux/${arch%v7}" || fail "$arch: itlag version names another platform: $(run version)"
	sb=$tmp/sandbox-$arch
	# keeps the exit code (plan --detailed-exitcode: 2 = changes); shows the
	# output of a failure
	cycle() { run --state examples/quickstart --sandbox "$sb" --data-dir "$tmp/data-$arch" "$@" >"$tmp/out" 2>&1 || { local rc=$?; [ $rc -eq 2 ] || cat "$tmp/out" >&2; return $rc; }; }
	cycle validate || fail "$arch: validate"
	rc=0
	cycle plan --detailed-exitcode || rc=$?
	[ $rc -eq 2 ] || { cat "$tmp/out" >&2; fail "$arch: first plan --detailed-exitcode: exit $rc, want 2 (changes)"; }
	cycle apply --auto-approve || fail "$arch: apply --auto-approve"
	cycle plan --detailed-exitcode || fail "$arch: plan after apply: want exit 0 (no changes)"
	grep -q 'No changes' "$tmp/out" || fail "$arch: plan after apply: $(cat "$tmp/out")"
	echo "release-test: $arch: $desc"
	echo "release-test: $arch: version and sandbox cycle (validate, plan, apply, plan: no changes) pass${emu:+ under $emu}"
done

# 3. reproducible: the same commit from a clone elsewhere, same bytes
git clone -q --no-local --no-hardlinks "$top" "$tmp/clone"
git -C "$tmp/clone" checkout -q --detach "$(git rev-parse HEAD)"
if [ "${commit%+dirty}" != "$commit" ]; then
	# the tested tree has uncommitted changes: carry them over
	git diff HEAD | git -C "$tmp/clone" apply --allow-empty
fi
(cd "$tmp/clone" && DIST="$tmp/dist2" scripts/release.sh "$version" >/dev/null 2>&1) || fail "second build from $tmp/clone"
cmp -s <(sed 's/ .*//' dist/SHA256SUMS) <(sed 's/ .*//' "$tmp/dist2/SHA256SUMS") ||
	fail "not reproducible: $(diff dist/SHA256SUMS "$tmp/dist2/SHA256SUMS")"
echo "release-test: reproducible: a second build from a clone in $tmp/clone has the same SHA-256 for all 3 binaries"

# 4. no -ldflags: the version falls back on the Go build info. -trimpath
# only so the clone's packages reuse the build cache (it changes nothing
# in the fallback); -buildvcs=true overrides a GOFLAGS=-buildvcs=false.
(
	cd "$tmp/clone"
	git checkout -q -- . && git clean -qfdx
	head=$(git rev-parse HEAD)
	go build -trimpath -buildvcs=true -o "$tmp/itlag-devel" ./cmd/itlag
	got=$("$tmp/itlag-devel" version --data-dir "$tmp/data-devel" | head -1)
	[ "$got" = "itlag devel (commit $head, $date)" ] || fail "plain go build: '$got', want 'itlag devel (commit $head, $date)'"
	echo >>README.md
	go build -trimpath -buildvcs=true -o "$tmp/itlag-dirty" ./cmd/itlag
	got=$("$tmp/itlag-dirty" version --data-dir "$tmp/data-devel" | head -1)
	[ "$got" = "itlag devel (commit $head+dirty, $date)" ] || fail "plain go build, modified tree: '$got', want 'itlag devel (commit $head+dirty, $date)'"
)
echo "release-test: go build without -ldflags: 'devel', the commit and its date; '+dirty' when modified"
echo "release-test: all checks passed in $((SECONDS - start))s"
