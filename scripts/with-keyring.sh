#!/usr/bin/env bash
# Run inside dbus-run-session: start gnome-keyring's Secret Service with an
# unlocked login keyring (created on first use), then run the command.
set -euo pipefail
printf 'kcc-test-password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
exec "$@"
