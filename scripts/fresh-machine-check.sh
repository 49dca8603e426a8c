#!/usr/bin/env bash
# Fresh-machine check: clone this repository's committed HEAD into a temporary
# directory and run the first two commands of README.md there, the way a
# newcomer would, with an empty Go module cache and build cache (everything is
# downloaded from the module proxy and compiled from scratch). Reports how long
# each command took. Not part of CI: it downloads and compiles everything.
#
#   scripts/fresh-machine-check.sh          run it, then delete the temp dir
#   KEEP=1 scripts/fresh-machine-check.sh   keep the temp dir for inspection
#   CACHE_DIR=DIR scripts/fresh-machine-check.sh
#                                           keep the caches (modules, builds,
#                                           GOPATH, user cache) in DIR: the
#                                           first run is cold, a second one
#                                           with the same DIR is the warm run
#
# The two commands are the first two command lines of the first fenced code
# block of README.md (comment lines and a leading "$ " prompt are ignored).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)

[ -f "$src/README.md" ] || { echo "fresh-machine-check: $src/README.md not found" >&2; exit 1; }
mapfile -t cmds < <(awk '
	/^```/ { if (inblock) exit; inblock = 1; next }
	inblock && NF && $1 !~ /^#/ { sub(/^\$ /, ""); print }
' "$src/README.md" | head -n 2)
if [ "${#cmds[@]}" -ne 2 ]; then
	echo "fresh-machine-check: want two commands in the first code block of README.md, found ${#cmds[@]}" >&2
	exit 1
fi

tmp=$(mktemp -d)
cleanup() {
	if [ -n "${KEEP:-}" ]; then
		echo "fresh-machine-check: kept $tmp"
		return
	fi
	chmod -R u+w "$tmp" 2>/dev/null || true # the module cache is read-only
	rm -rf "$tmp"
}
trap cleanup EXIT

# A machine that has never built Go code and has no kube-credential-cache
# state: empty caches, a private GOPATH/GOBIN first on PATH (so the freshly
# installed binaries are the ones that run), a private user cache dir, and no
# KUBE_CREDENTIAL_CACHE_* settings.
cache=${CACHE_DIR:-$tmp}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
export GOMODCACHE=$cache/gomodcache GOCACHE=$cache/gocache GOPATH=$cache/gopath
export GOBIN=$GOPATH/bin PATH=$cache/gopath/bin:$PATH
export XDG_CACHE_HOME=$cache/xdg-cache XDG_CONFIG_HOME=$cache/xdg-config
while IFS='=' read -r name _; do
	unset "$name"
done < <(env | grep '^KUBE_CREDENTIAL_CACHE_' || true)
mkdir -p "$GOMODCACHE" "$GOCACHE" "$GOBIN" "$XDG_CACHE_HOME" "$XDG_CONFIG_HOME"

total=$SECONDS
echo "fresh-machine-check: load at start: $(uptime)"
echo "fresh-machine-check: git clone $src -> $tmp/kube-credential-cache"
git clone --quiet "$src" "$tmp/kube-credential-cache"
cd "$tmp/kube-credential-cache"
echo "fresh-machine-check: HEAD $(git log -1 --format='%h %s')"

times=()
for i in 0 1; do
	printf '\n== fresh-machine-check: command %d: %s\n' "$((i + 1))" "${cmds[$i]}"
	t=$SECONDS
	if ! bash -c "${cmds[$i]}"; then
		echo "fresh-machine-check: command $((i + 1)) FAILED after $((SECONDS - t))s (total $((SECONDS - total))s): ${cmds[$i]}" >&2
		exit 1
	fi
	times+=("$((SECONDS - t))")
	echo "fresh-machine-check: command $((i + 1)) ok in ${times[$i]}s"
done

printf '\nfresh-machine-check: ok\n'
printf '  command 1: %4ss  %s\n' "${times[0]}" "${cmds[0]}"
printf '  command 2: %4ss  %s\n' "${times[1]}" "${cmds[1]}"
if [ -n "${CACHE_DIR:-}" ]; then
	printf '  total:     %4ss  (clone; caches in %s)\n' "$((SECONDS - total))" "$CACHE_DIR"
else
	printf '  total:     %4ss  (clone, empty module and build caches)\n' "$((SECONDS - total))"
fi
printf '  load:      %s\n' "$(uptime)"
