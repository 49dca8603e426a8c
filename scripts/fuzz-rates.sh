#!/usr/bin/env bash
# Measures how many inputs a second each fuzz target runs on one core:
# go test -fuzz with one worker (-parallel 1) for a fixed time, the rate
# being the execs of the last status line over its elapsed time (which
# starts after the build and includes the seed corpus run). New inputs
# are minimized for at most 10 runs each, so the time goes to fuzzing. The
# figures in docs/testing.md come from here; say the machine's load with
# them (printed first). On a shared machine the wall-clock rate falls with
# the load, so the rate per CPU second is printed too: execs over the CPU
# time of go test and its children (coordinator, worker, the cached build
# check), a lower bound of what one free core does.
# Usage: bash scripts/fuzz-rates.sh [seconds per target]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
[ -x /usr/bin/time ] || { echo "fuzz-rates: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }

echo "load: $(uptime)"
printf '| target | package | execs | seconds | execs/s | CPU s | execs per CPU s |\n|---|---|---:|---:|---:|---:|---:|\n'
cpu=$(mktemp)
trap 'rm -f "$cpu"' EXIT
failed=0
while IFS=: read -r file target; do
	pkg=./$(dirname "$file")
	target=${target#func }
	out=$(/usr/bin/time -o "$cpu" -f '%U %S' go test -run '^$' -fuzz "^${target}\$" -fuzztime "${secs}s" -fuzzminimizetime 10x -parallel 1 "$pkg" 2>&1) || {
		# A failing input ends the run: report it, measure the others.
		printf '%s\n' "$out" | grep -A3 -e '--- FAIL' -e 'Failing input' >&2 || true
		echo "fuzz-rates: $pkg $target found a failing input (see above)" >&2
		failed=1
	}
	# "fuzz: elapsed: 20s, execs: 123456 (6172/sec), new interesting: ..."
	last=$(printf '%s\n' "$out" | grep -E '^fuzz: elapsed: [0-9]+s, execs: [0-9]+' | tail -1)
	elapsed=$(sed -E 's/^fuzz: elapsed: ([0-9]+)s.*/\1/' <<<"$last")
	execs=$(sed -E 's/.*execs: ([0-9]+).*/\1/' <<<"$last")
	read -r user sys < <(tail -1 "$cpu") # after a "Command exited with non-zero status" line
	cpus=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
	per=$(awk -v e="$execs" -v c="$cpus" 'BEGIN { printf "%d", e / c }')
	printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$target" "${pkg#./}" "$execs" "$elapsed" "$((execs / elapsed))" "$cpus" "$per"
done < <(git grep -o '^func Fuzz[A-Za-z0-9_]*' -- '*_test.go')
exit "$failed"
