#!/usr/bin/env bash
# The whole test suite: formatting, vet (for every OS we ship), staticcheck,
# unit, end-to-end and Secret Service tests, a fuzz smoke run of every fuzz
# target, and the release dry run. Installs what it needs first, so it works
# on a fresh Debian/Ubuntu machine with Go, kubectl and the AWS CLI.
set -euo pipefail
cd "$(dirname "$0")/.."

STATICCHECK=honnef.co/go/tools/cmd/staticcheck@v0.8.2
# The e2e tests skip when a tool they need (kubectl, aws, script) is missing,
# unless CI is set; this script is the whole suite, so a skip is a failure.
export CI=${CI:-1}
# A count, not a duration: a timed run that ends while a worker minimizes a
# new input fails with "context deadline exceeded" on a loaded machine, a
# failure of the harness, not of the code. Minimizing is capped for the same
# reason; a real failure is still reported with its input.
FUZZTIME=${FUZZTIME:-20000x}

step() { printf '\n== %s\n' "$*"; }

step "install test dependencies"
need=()
command -v dbus-run-session >/dev/null || need+=(dbus)
command -v gnome-keyring-daemon >/dev/null || need+=(gnome-keyring)
command -v secret-tool >/dev/null || need+=(libsecret-tools)
command -v faketime >/dev/null || need+=(faketime) # kcc-eks parity tests freeze the aws CLI's clock
command -v tmux >/dev/null || need+=(tmux) # kcc-connect terminal tests (version notice, picker)
command -v rpm >/dev/null || need+=(rpm) # the release check lists the .rpm package's files
if ((${#need[@]})); then
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
for tool in kubectl aws moto_server; do
	command -v "$tool" >/dev/null || { echo "missing $tool on PATH (the end-to-end tests run the real one)" >&2; exit 1; }
done
go mod download

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go'))
[ -z "$unformatted" ] || { echo "not gofmt'ed: $unformatted" >&2; exit 1; }

step "go vet (linux, darwin, windows)"
go vet ./...
GOOS=darwin go vet ./...
GOOS=windows go vet ./...

step "staticcheck"
go run "$STATICCHECK" ./...

step "go test (in a D-Bus session with an unlocked gnome-keyring)"
KCC_REQUIRE_KEYRING=1 KCC_E2E_BACKENDS=file,keyring \
	dbus-run-session -- bash scripts/with-keyring.sh go test -count=1 ./...

step "fuzz smoke ($FUZZTIME per target)"
for pkg in $(go list ./...); do
	for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
		echo "$pkg $target"
		if ! out=$(go test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" -fuzzminimizetime 10x "$pkg" 2>&1); then
			printf '%s\n' "$out" | tail -30 >&2
			exit 1
		fi
	done
done

step "release dry run (goreleaser check, a snapshot for this machine, dpkg -i of its .deb)"
KCC_RELEASE_TARGETS=host bash scripts/release-check.sh
