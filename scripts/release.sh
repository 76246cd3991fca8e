#!/usr/bin/env bash
# Release builds of itlag for the NAS platforms: static (CGO_ENABLED=0)
# Linux binaries for amd64 (Intel/AMD NAS), arm64 and armv7 (GOARM=7: the
# older ARM Synology and QNAP models), and their SHA256SUMS.
#
#   scripts/release.sh [VERSION]
#
# VERSION defaults to "git describe --tags --match 'v*'" (or devel-<short
# commit> when no tag). The binaries go into dist/ (DIST overrides), named
# itlag-VERSION-linux-ARCH, with dist/SHA256SUMS in sha256sum's format
# ("sha256sum -c SHA256SUMS" checks them).
#
# Reproducible: the commit and the date stamped into the binary come from
# Git (the commit's own time, in UTC, not the clock), -trimpath drops the
# checkout's path and -buildvcs=false the Go toolchain's own VCS stamp
# (which differs between a clone and a linked worktree), so the same commit
# built with the same Go gives the same bytes in any checkout.
# scripts/release-test.sh checks that. A tree with uncommitted changes is
# built all the same, but its commit is stamped "<sha>+dirty".
set -euo pipefail
cd "$(dirname "$0")/.."

commit=$(git rev-parse HEAD)
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
	echo "release: the tree has uncommitted changes: stamping $commit+dirty" >&2
	commit+=+dirty
fi
date=$(TZ=UTC git log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ HEAD)
version=${1:-$(git describe --tags --match 'v*' 2>/dev/null || echo "devel-$(git rev-parse --short=12 HEAD)")}
case $version in
*[!A-Za-z0-9._+-]* | "") echo "release: bad VERSION '$version' (letters, digits, . _ + - only)" >&2; exit 1 ;;
esac
dist=${DIST:-dist}

pkg=github.com/lagrieta/itlag/cmd/itlag/cli
ldflags="-s -w -X $pkg.Version=$version -X $pkg.Commit=$commit -X $pkg.Date=$date"

# Nothing from the caller's Go environment changes the bytes: GOFLAGS is
# replaced, and each target's GOARCH variant is set.
export CGO_ENABLED=0 GOOS=linux GOFLAGS=-mod=readonly GOAMD64=v1 GOARM64=v8.0

mkdir -p "$dist"
rm -f "$dist"/itlag-*-linux-* "$dist/SHA256SUMS"
names=()
# target: GOARCH GOARM name
for target in "amd64 - amd64" "arm64 - arm64" "arm 7 armv7"; do
	read -r goarch goarm name <<<"$target"
	out=itlag-$version-linux-$name
	if [ "$goarm" = - ]; then
		GOARCH=$goarch go build -trimpath -buildvcs=false -ldflags "$ldflags" -o "$dist/$out" ./cmd/itlag
	else
		GOARCH=$goarch GOARM=$goarm go build -trimpath -buildvcs=false -ldflags "$ldflags" -o "$dist/$out" ./cmd/itlag
	fi
	names+=("$out")
done
(cd "$dist" && sha256sum "${names[@]}" >SHA256SUMS)
echo "release: itlag $version (commit $commit, $date) in $dist/:"
sed 's/^/  /' "$dist/SHA256SUMS"
