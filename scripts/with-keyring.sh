#!/usr/bin/env bash
# Run inside dbus-run-session: start gnome-keyring's Secret Service with a
# fresh, unlocked login keyring in a temporary data directory (so a keyring
# left by an earlier run, with another password, cannot lock the tests out),
# then run the command.
set -euo pipefail
XDG_DATA_HOME=$(mktemp -d)
export XDG_DATA_HOME
trap 'rm -rf "$XDG_DATA_HOME"' EXIT
printf 'kcc-test-password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
# The daemon answers before its login collection exists; on a loaded machine
# the first tests could otherwise find no default collection. Wait until an
# item can be stored in it (bounded), then remove the probe.
for _ in $(seq 1 60); do
	if printf x | secret-tool store --label=kcc-ready kcc-ready probe 2>/dev/null; then
		secret-tool clear kcc-ready probe
		break
	fi
	sleep 0.5
done
"$@"
