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
"$@"
