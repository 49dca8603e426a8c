#!/usr/bin/env bash
# Run inside dbus-run-session: start gnome-keyring's Secret Service with a
# fresh, unlocked login keyring in a temporary data directory (so a keyring
# left by an earlier run, with another password, cannot lock the tests out),
# then run the command.
set -euo pipefail
XDG_DATA_HOME=$(mktemp -d)
export XDG_DATA_HOME
# In the foreground, as our child: daemonized, it crashed now and then under
# the e2e tests' load (dmesg: "trap int3 in libglib"), and the bus then
# activated a second daemon on root's own keyring directory, where there is no
# login collection ("collection/login does not exist" for the rest of the run).
printf 'kcc-test-password' | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
keyring=$!
trap 'kill $keyring 2>/dev/null; rm -rf "$XDG_DATA_HOME"' EXIT
# Until it owns org.freedesktop.secrets, any call to that name makes the bus
# activate a second daemon (same trouble); NameHasOwner never activates.
for _ in $(seq 1 100); do
	dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
		org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true' && break
	sleep 0.1
done
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
