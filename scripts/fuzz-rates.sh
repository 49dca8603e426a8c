#!/usr/bin/env bash
# Measures how many inputs a second each fuzz target runs on one core:
# go test -fuzz with one worker (-parallel 1) for a fixed time, the rate
# being the execs of the last status line over its elapsed time (which
# starts after the build and includes the seed corpus run). New inputs
# are minimized for at most 10 runs each, so the time goes to fuzzing. The
# figures in docs/testing.md come from here; say the machine's load with
# them (printed first). Usage: bash scripts/fuzz-rates.sh [seconds per target]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}

echo "load: $(uptime)"
printf '| target | package | execs | seconds | execs/s |\n|---|---|---:|---:|---:|\n'
git grep -o '^func Fuzz[A-Za-z0-9_]*' -- '*_test.go' | while IFS=: read -r file target; do
	pkg=./$(dirname "$file")
	target=${target#func }
	out=$(go test -run '^$' -fuzz "^${target}\$" -fuzztime "${secs}s" -fuzzminimizetime 10x -parallel 1 "$pkg" 2>&1) || {
		printf '%s\n' "$out" | tail -20 >&2
		echo "fuzz-rates: $pkg $target failed" >&2
		exit 1
	}
	# "fuzz: elapsed: 20s, execs: 123456 (6172/sec), new interesting: ..."
	last=$(printf '%s\n' "$out" | grep -E '^fuzz: elapsed: [0-9]+s, execs: [0-9]+' | tail -1)
	elapsed=$(sed -E 's/^fuzz: elapsed: ([0-9]+)s.*/\1/' <<<"$last")
	execs=$(sed -E 's/.*execs: ([0-9]+).*/\1/' <<<"$last")
	printf '| %s | %s | %s | %s | %s |\n' "$target" "${pkg#./}" "$execs" "$elapsed" "$((execs / elapsed))"
done
