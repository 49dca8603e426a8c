#!/usr/bin/env bash
# Release dry run: validate .goreleaser.yaml, build a snapshot release into
# dist/ (archives with completions and man pages, checksums, deb and rpm
# packages, Homebrew cask, Scoop manifest; nothing is published) and the
# container image's OCI layout (dist/oci), then check the result with the
# tests in release/ (which install the .deb with dpkg -i, run every binary's
# --version, and remove the package again; run install.sh against dist/;
# unpack the image's layers).
#
#   scripts/release-check.sh          the full snapshot: every platform
#                                     (the release workflow)
#   KCC_RELEASE_TARGETS=host scripts/release-check.sh
#                                     only this machine's GOOS/GOARCH, no Scoop
#                                     manifest (it needs the windows zip):
#                                     what scripts/test.sh runs
#   scripts/release-check.sh --tools  only build GoReleaser if it is not yet
#                                     (scripts/test.sh does it in the
#                                     background while the tests run)
#   scripts/release-check.sh --no-tests
#                                     build the snapshot, image layout and
#                                     Chocolatey package, check nothing (the
#                                     workflow's Windows job, which packs and
#                                     installs the Chocolatey package)
#
# GoReleaser is built from the Go module proxy at the version pinned below,
# once per machine, into $KCC_TOOLS_DIR (default: the user cache directory);
# later runs start the binary directly. The first build takes minutes
# (docs/testing.md has the figures).
set -euo pipefail
cd "$(dirname "$0")/.."

GORELEASER_VERSION=v2.15.1
DIST=dist
TARGETS=${KCC_RELEASE_TARGETS:-all}

start=$SECONDS
step() { printf '\n-- release-check: %s (%ss)\n' "$*" "$((SECONDS - start))"; }

tools=${KCC_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kube-credential-cache-tools}
goreleaser=$tools/goreleaser-$GORELEASER_VERSION/goreleaser
if [ ! -x "$goreleaser" ]; then
	step "build GoReleaser $GORELEASER_VERSION into $(dirname "$goreleaser") (once per machine)"
	GOBIN=$(dirname "$goreleaser") go install "github.com/goreleaser/goreleaser/v2@$GORELEASER_VERSION"
fi
[ "${1:-}" != --tools ] || exit 0
tests=yes
[ "${1:-}" != --no-tests ] || tests=no

step "goreleaser check"
"$goreleaser" check

config=.goreleaser.yaml
skip=publish
case $TARGETS in
all) ;;
host)
	# The same configuration with one target: this machine's.
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	config=$tmp/goreleaser.yaml
	goos=$(go env GOOS) goarch=$(go env GOARCH)
	sed -e "s/^    goos: \[linux, darwin, windows\]\$/    goos: [$goos]/" \
		-e "s/^    goarch: \[amd64, arm64\]\$/    goarch: [$goarch]/" .goreleaser.yaml >"$config"
	builds=$(grep -c '^    main: ' .goreleaser.yaml)
	changed=$(grep -cE '^    (goos: \['"$goos"'\]|goarch: \['"$goarch"'\])$' "$config" || true)
	if [ "$changed" != "$((2 * builds))" ]; then
		echo "release-check: could not narrow the targets of .goreleaser.yaml (goos/goarch lines changed?)" >&2
		exit 1
	fi
	skip=publish,scoop # the Scoop manifest needs the windows zip
	[ "$goos" = linux ] || skip=$skip,nfpm
	[ "$goos" != windows ] || skip=$skip,homebrew
	;;
*)
	echo "release-check: KCC_RELEASE_TARGETS=$TARGETS: want all or host" >&2
	exit 2
	;;
esac

step "goreleaser release --snapshot --clean --skip=$skip ($TARGETS targets)"
"$goreleaser" release --config "$config" --snapshot --clean --skip="$skip"

if [ "$TARGETS" = all ] || [ "$(go env GOOS)" = linux ]; then
	step "container image: an OCI layout of the linux binaries in $DIST/oci"
	go run ./internal/ocilayout -dist "$DIST" -out "$DIST/oci"
fi

# The Chocolatey package definition, when there is a windows/amd64 zip
# (GoReleaser's own chocolateys: section needs choco where GoReleaser runs).
# KCC_CHOCO_URL: where the package downloads the zip from (default: the
# GitHub release; the Windows job serves dist/ itself).
if grep -q ' kube-credential-cache_windows_amd64\.zip$' "$DIST/checksums.txt"; then
	step "Chocolatey package definition in $DIST/chocolatey"
	version=$(sed -n 's/.*"version":"\([^"]*\)".*/\1/p' "$DIST/metadata.json")
	go run ./internal/chocopkg -version "$version" -checksums "$DIST/checksums.txt" \
		${KCC_CHOCO_URL:+-url "$KCC_CHOCO_URL"} -out "$DIST/chocolatey"
fi
[ "$tests" = yes ] || exit 0

step "check the snapshot in $DIST/"
KCC_RELEASE_DIST=$DIST KCC_RELEASE_TARGETS=$TARGETS go test -count=1 ./release/...

step "ok"
