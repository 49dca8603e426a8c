#!/bin/sh
# Installs kube-credential-cache's binaries (kcc-cache, kcc-injector, kcc-eks,
# kcc-connect, kcc-oidc, kcc-aks) from a GitHub release, on Linux and macOS:
#
#   curl -fsSL https://github.com/IvMisticos/kube-credential-cache/releases/latest/download/install.sh | sh
#   sh install.sh [--version vX.Y.Z] [--bin-dir DIR]
#
# It downloads this platform's archive and checksums.txt from the release's
# download URLs (not the GitHub API, which is rate limited: the archive names
# carry no version, so latest/download/ names the latest release's), checks
# the archive's SHA-256 before extracting anything, and installs the binaries
# into --bin-dir (default /usr/local/bin when writable, else ~/.local/bin).
# KCC_INSTALL_BASE_URL replaces .../releases (the tests serve a snapshot).
set -eu

base=${KCC_INSTALL_BASE_URL:-https://github.com/IvMisticos/kube-credential-cache/releases}
binaries="kcc-cache kcc-injector kcc-eks kcc-connect kcc-oidc kcc-aks"
version=latest
bin_dir=

die() {
	echo "install.sh: $*" >&2
	exit 1
}

usage() {
	echo "usage: install.sh [--version vX.Y.Z] [--bin-dir DIR]"
}

while [ $# -gt 0 ]; do
	case $1 in
	--version | --bin-dir)
		[ $# -ge 2 ] || die "$1 needs a value"
		if [ "$1" = --version ]; then version=$2; else bin_dir=$2; fi
		shift 2
		;;
	--version=*) version=${1#--version=} && shift ;;
	--bin-dir=*) bin_dir=${1#--bin-dir=} && shift ;;
	-h | --help) usage && exit 0 ;;
	*) die "unknown argument $1 ($(usage))" ;;
	esac
done
case $version in
latest) ;;
v[0-9]*.[0-9]*.[0-9]*) ;;
*) die "--version $version: want vX.Y.Z (a release tag) or latest" ;;
esac

for tool in uname mktemp tar awk; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is needed and not found on PATH"
done
# https only, redirects included, unless the base URL is a plain http one.
proto='=https'
case $base in http://*) proto='=http,https' ;; esac
if command -v curl >/dev/null 2>&1; then
	download() { curl -fsL --proto "$proto" --proto-redir "$proto" -o "$2" "$1"; }
elif command -v wget >/dev/null 2>&1; then
	download() { wget -q -O "$2" "$1"; }
else
	die "curl or wget is needed and neither is on PATH"
fi
if command -v sha256sum >/dev/null 2>&1; then
	sha256() { sha256sum "$1" | awk '{print $1}'; }
elif command -v shasum >/dev/null 2>&1; then
	sha256() { shasum -a 256 "$1" | awk '{print $1}'; }
elif command -v openssl >/dev/null 2>&1; then
	sha256() { openssl dgst -sha256 -r "$1" | awk '{print $1}'; }
else
	die "sha256sum, shasum or openssl is needed to verify the download and none is on PATH"
fi

case $(uname -s) in
Linux) os=linux ;;
Darwin) os=darwin ;;
*) die "unsupported OS $(uname -s): release archives are for Linux and macOS (on Windows: scoop or choco install kube-credential-cache)" ;;
esac
case $(uname -m) in
x86_64 | amd64) arch=amd64 ;;
aarch64 | arm64) arch=arm64 ;;
*) die "unsupported architecture $(uname -m): release archives are for amd64 and arm64" ;;
esac

if [ "$version" = latest ]; then
	url=$base/latest/download
else
	url=$base/download/$version
fi
archive=kube-credential-cache_${os}_${arch}.tar.gz

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

echo "downloading $archive ($version)"
download "$url/checksums.txt" "$tmp/checksums.txt" || die "could not download $url/checksums.txt"
want=$(awk -v f="$archive" '$2 == f { print $1 }' "$tmp/checksums.txt")
[ -n "$want" ] || die "$url/checksums.txt lists no $archive"
download "$url/$archive" "$tmp/$archive" || die "could not download $url/$archive"
got=$(sha256 "$tmp/$archive")
[ "$got" = "$want" ] || die "checksum mismatch for $archive (SHA-256 $got, checksums.txt says $want): refusing to install it"

mkdir "$tmp/x"
# shellcheck disable=SC2086 # the binaries' names are words
tar -xzf "$tmp/$archive" -C "$tmp/x" $binaries || die "could not extract the binaries from $archive"

if [ -z "$bin_dir" ]; then
	if [ -d /usr/local/bin ] && [ -w /usr/local/bin ]; then
		bin_dir=/usr/local/bin
	else
		[ -n "${HOME:-}" ] || die "HOME is not set: give --bin-dir"
		bin_dir=$HOME/.local/bin
	fi
	echo "installing into $bin_dir (choose another with --bin-dir DIR)"
else
	echo "installing into $bin_dir"
fi
mkdir -p "$bin_dir" || die "could not create $bin_dir"
for b in $binaries; do
	# Copy next to the target, then rename: a running binary is replaced,
	# never written over.
	if ! { cp "$tmp/x/$b" "$bin_dir/.$b.tmp" && chmod 755 "$bin_dir/.$b.tmp" && mv -f "$bin_dir/.$b.tmp" "$bin_dir/$b"; }; then
		die "could not install $b into $bin_dir"
	fi
done

case :${PATH:-}: in
*:"$bin_dir":*) ;;
*) echo "note: $bin_dir is not on your PATH; add it, e.g. export PATH=\"$bin_dir:\$PATH\"" ;;
esac
"$bin_dir/kcc-cache" --version
