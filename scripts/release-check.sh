#!/usr/bin/env bash
# Release dry run: validate .goreleaser.yaml, build a snapshot release into
# dist/ (archives, checksums, Homebrew cask, Scoop manifest; nothing is
# published), then check the result with the tests in release/.
#
# GoReleaser runs from the Go module proxy, pinned below; Go caches the built
# executable, so only the first run on a machine compiles it (minutes).
#
#   scripts/release-check.sh          the full snapshot: every platform
#   KCC_RELEASE_TARGETS=ci scripts/release-check.sh
#                                     only linux and windows on this machine's
#                                     architecture: enough for the cask, the
#                                     scoop manifest and the --version test
set -euo pipefail
cd "$(dirname "$0")/.."

GORELEASER=github.com/goreleaser/goreleaser/v2@v2.15.1
DIST=dist

goreleaser() { go run "$GORELEASER" "$@"; }

start=$SECONDS
step() { printf '\n-- release-check: %s (%ss)\n' "$*" "$((SECONDS - start))"; }

step "goreleaser check"
goreleaser check

config=.goreleaser.yaml
if [ "${KCC_RELEASE_TARGETS:-all}" = ci ]; then
	# The same configuration with fewer targets: linux (the cask and the
	# --version test) and windows (the zip and the scoop manifest), on this
	# machine's architecture.
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	config=$tmp/goreleaser.yaml
	arch=$(go env GOARCH)
	sed -e "s/^    goos: \[linux, darwin, windows\]\$/    goos: [linux, windows]/" \
		-e "s/^    goarch: \[amd64, arm64\]\$/    goarch: [$arch]/" .goreleaser.yaml >"$config"
	builds=$(grep -c '^    main: ' .goreleaser.yaml)
	changed=$(grep -cE '^    (goos: \[linux, windows\]|goarch: \['"$arch"'\])$' "$config" || true)
	if [ "$changed" != "$((2 * builds))" ]; then
		echo "release-check: could not narrow the targets of .goreleaser.yaml (goos/goarch lines changed?)" >&2
		exit 1
	fi
fi

step "goreleaser release --snapshot --clean --skip=publish ($config)"
goreleaser release --config "$config" --snapshot --clean --skip=publish

step "check the snapshot in $DIST/"
KCC_RELEASE_DIST=$DIST go test -count=1 ./release/...

step "ok"
