#!/usr/bin/env bash
# Run inside dbus-run-session: start gnome-keyring's Secret Service with a
# fresh, unlocked login keyring in a temporary data directory (so a keyring
# left by an earlier run, with another password, cannot lock the tests out),
# then run the command.
#
# gnome-keyring 46 now and then crashes under the load of the end-to-end
# tests (dmesg: "trap int3 in libglib", after "assertion 'client' failed":
# it registers a new client from an idle callback and sometimes handles the
# client's first call before that; docs/testing.md). Every keyring test after
# the crash fails, whatever kcc-cache does. So when the command failed AND
# the daemon died during it, the command runs once more, with a new daemon,
# and says so; a failure without a crash, or a second crash, stands.
set -euo pipefail

keyring=""
data=""
cleanup() {
	if [ -n "$keyring" ]; then kill "$keyring" 2>/dev/null || true; fi
	if [ -n "$data" ]; then rm -rf "$data"; fi
}
trap cleanup EXIT

owner_pid() {
	dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
		org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null |
		awk '/uint32/ {print $2}'
}

start_keyring() {
	cleanup
	# After a crash the bus may have activated a daemon of its own, on
	# root's keyring directory (no login collection): it must go first.
	local stray
	stray=$(owner_pid) || true
	if [ -n "$stray" ]; then
		kill "$stray" 2>/dev/null || true
		sleep 0.2
	fi
	data=$(mktemp -d)
	# In the foreground, as our child: daemonized, it crashed now and then
	# under the e2e tests' load, and the bus then activated a second daemon on
	# root's own keyring directory, where there is no login collection
	# ("collection/login does not exist" for the rest of the run).
	printf 'kcc-test-password' | XDG_DATA_HOME="$data" gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
	keyring=$!
	# Until it owns org.freedesktop.secrets, any call to that name makes the
	# bus activate a second daemon (same trouble); NameHasOwner never
	# activates.
	for _ in $(seq 1 100); do
		dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
			org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true' && break
		sleep 0.1
	done
	# The daemon answers before its login collection exists; on a loaded
	# machine the first tests could otherwise find no default collection.
	# Wait until an item can be stored in it (bounded), then remove the probe.
	for _ in $(seq 1 60); do
		if printf x | secret-tool store --label=kcc-ready kcc-ready probe 2>/dev/null; then
			secret-tool clear kcc-ready probe || true
			break
		fi
		sleep 0.5
	done
}

start_keyring
rc=0
"$@" || rc=$?
if [ "$rc" != 0 ] && ! kill -0 "$keyring" 2>/dev/null; then
	echo "with-keyring: gnome-keyring-daemon died during the run (gnome-keyring 46's crash, docs/testing.md); running the command again with a new daemon" >&2
	start_keyring
	rc=0
	"$@" || rc=$?
	if ! kill -0 "$keyring" 2>/dev/null; then
		echo "with-keyring: gnome-keyring-daemon died again" >&2
	fi
fi
exit "$rc"
