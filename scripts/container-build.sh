#!/usr/bin/env bash
# Builds the container image of Containerfile with podman, offline: no base
# image and no registry (FROM scratch; --pull=never, --network=none).
#
#   scripts/container-build.sh [VERSION]      → image localhost/itlag:VERSION
#
# The context is made in a temporary directory from this machine:
#   - itlag: dist/itlag-VERSION-linux-ARCH for this machine's architecture,
#     built by scripts/release.sh when missing or not of this commit;
#   - restic: $RESTIC (default: the one on PATH, Debian's package) with,
#     when it is dynamically linked, the loader and libraries ldd names;
#   - the CA bundle /etc/ssl/certs/ca-certificates.crt (ca-certificates);
#   - /etc/passwd and /etc/group with root and itlag (uid/gid 1000).
# The image is for this machine's architecture only; see the docs for
# other architectures.
#
# PODMAN (default "podman") may carry global flags, e.g.
# PODMAN="podman --storage-driver vfs" where overlay does not work.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:-$(git describe --tags --match 'v*' 2>/dev/null || echo "devel-$(git rev-parse --short=12 HEAD)")}
podman=${PODMAN:-podman}
case $(uname -m) in
x86_64) arch=amd64 ;;
aarch64) arch=arm64 ;;
armv7l) arch=armv7 ;;
*) echo "container-build: no release build for $(uname -m)" >&2; exit 1 ;;
esac
bin=dist/itlag-$version-linux-$arch
commit=$(git rev-parse HEAD)
[ -z "$(git status --porcelain --untracked-files=no)" ] || commit+=+dirty
# dist/ from another commit (or tree) is rebuilt
if ! { [ -x "$bin" ] && "$bin" version 2>/dev/null | head -1 | grep -qF "(commit $commit, "; }; then
	scripts/release.sh "$version"
fi
restic=${RESTIC:-$(command -v restic || true)}
[ -n "$restic" ] || { echo "container-build: restic not found (apt-get install restic, or set RESTIC)" >&2; exit 1; }
certs=/etc/ssl/certs/ca-certificates.crt
[ -r "$certs" ] || { echo "container-build: no $certs (apt-get install ca-certificates)" >&2; exit 1; }

ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
cp Containerfile "$ctx/"
cp "$bin" "$ctx/itlag"
cp "$certs" "$ctx/ca-certificates.crt"
mkdir -p "$ctx/home" "$ctx/tmp" "$ctx/restic/usr/bin"
chmod 0755 "$ctx/home"
chmod 1777 "$ctx/tmp"
cp "$restic" "$ctx/restic/usr/bin/restic"
# A dynamically linked restic (Debian's: glibc, whose NSS files and DNS are
# built into libc.so.6 since 2.34) takes its loader and libraries along.
if ! file -b "$restic" | grep -q 'statically linked'; then
	for lib in $(ldd "$restic" | grep -o '/[^ ]*'); do
		mkdir -p "$ctx/restic$(dirname "$lib")"
		cp -L "$lib" "$ctx/restic$lib"
	done
fi
cat >"$ctx/passwd" <<'PW'
root:x:0:0:root:/root:/sbin/nologin
itlag:x:1000:1000:itlag:/home/itlag:/sbin/nologin
PW
cat >"$ctx/group" <<'GR'
root:x:0:
itlag:x:1000:
GR

# a rebuild replaces the tag's image; no intermediate images are kept
$podman rmi -f "localhost/itlag:$version" >/dev/null 2>&1 || true
$podman build --format docker --pull=never --network=none --layers=false \
	--label org.opencontainers.image.version="$version" \
	--label org.opencontainers.image.revision="$commit" \
	-t "localhost/itlag:$version" "$ctx"
echo "container-build: localhost/itlag:$version"
