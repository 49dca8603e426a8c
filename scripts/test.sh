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
# reason (by default each new input that widens coverage is minimized for up
# to 60 s: in a smoke run that is where the time would go); a real failure is
# still reported with its input.
# The workflow's fuzz job fuzzes each target for a minute; here it is a smoke
# run that every change pays, cold machines included.
FUZZTIME=${FUZZTIME:-10000x}
# Everything is compiled as the release builds are (.goreleaser.yaml: no cgo,
# -trimpath), so that vet, the tests and the binaries they build fill the
# build cache the release dry run then links from, instead of compiling the
# whole dependency graph once more with other flags (docs/testing.md). No
# package of ours needs cgo on Linux; TestGoInstallIsStatic turns it on for
# its own build.
export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:+$GOFLAGS }-trimpath"
FUZZMINIMIZETIME=${FUZZMINIMIZETIME:-10x}

# Each step's time and CPU time (of the processes it ran: on a shared or
# loaded machine that is the figure that compares), and the totals, also
# when a step fails (docs/testing.md).
# `times` must run in this shell (a $(...) subshell has no children), so
# cpu writes its report to a file and leaves the seconds in $cpu.
cpu_file=$(mktemp)
cpu() {
	times >"$cpu_file"
	cpu=$(awk 'NR == 2 { split($1 " " $2, t, /[ms ]+/); printf "%d", t[1] * 60 + t[2] + t[3] * 60 + t[4] }' "$cpu_file")
}
cpu
suite_start=$SECONDS suite_cpu=$cpu step_start=$SECONDS step_cpu=$cpu step_name=""
step() {
	cpu
	[ -z "$step_name" ] || printf -- '-- %s: %ss (CPU %ss)\n' "$step_name" "$((SECONDS - step_start))" "$((cpu - step_cpu))"
	step_name=$* step_start=$SECONDS step_cpu=$cpu
	printf '\n== %s\n' "$*"
}
finish() {
	local rc=$? failed=""
	if [ -n "${tools_pid:-}" ]; then # still building GoReleaser when a step failed
		pkill -P "$tools_pid" 2>/dev/null || true
		kill "$tools_pid" 2>/dev/null || true
	fi
	rm -f "${tools_log:-}"
	((rc == 0)) || failed=" (failed)"
	cpu
	rm -f "$cpu_file"
	[ -z "$step_name" ] || printf -- '-- %s: %ss (CPU %ss)%s\n' "$step_name" "$((SECONDS - step_start))" "$((cpu - step_cpu))" "$failed"
	printf -- '-- total: %ss (CPU %ss)%s\n' "$((SECONDS - suite_start))" "$((cpu - suite_cpu))" "$failed"
}
trap finish EXIT

step "install test dependencies"
need=()
command -v dbus-run-session >/dev/null || need+=(dbus)
command -v gnome-keyring-daemon >/dev/null || need+=(gnome-keyring)
command -v secret-tool >/dev/null || need+=(libsecret-tools)
command -v faketime >/dev/null || need+=(faketime) # kcc-eks parity tests freeze the aws CLI's clock
command -v tmux >/dev/null || need+=(tmux) # kcc-connect terminal tests (version notice, picker)
command -v rpm >/dev/null || need+=(rpm) # the release check lists the .rpm package's files
command -v shellcheck >/dev/null || need+=(shellcheck) # the release check lints install.sh
command -v groff >/dev/null || need+=(groff-base) # the release check renders the man pages
command -v skopeo >/dev/null || need+=(skopeo) # the release check copies the container image's layout
if ((${#need[@]})); then
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# gcloud and gke-gcloud-auth-plugin (packages google-cloud-cli and
# google-cloud-cli-gke-gcloud-auth-plugin of Google's apt repository) run in
# the account-switch end-to-end test.
for tool in kubectl aws moto_server gcloud gke-gcloud-auth-plugin; do
	command -v "$tool" >/dev/null || { echo "missing $tool on PATH (the end-to-end tests run the real one)" >&2; exit 1; }
done
go mod download
# kcc-oidc's tests run a real OpenID provider, the zitadel/oidc example server
# (internal/oidcop), installed once per machine (~90 s cold); under CI a
# missing one fails them.
oidc_op_version=v3.52.0 # internal/oidcop.ExampleVersion, internal/oidcop/testop/go.mod
oidc_op=$(go env GOBIN)
oidc_op=${oidc_op:-$(go env GOPATH | cut -d: -f1)/bin}/server
if ! go version -m "$oidc_op" 2>/dev/null | grep -q "mod[[:space:]]*github.com/zitadel/oidc/v3[[:space:]]*$oidc_op_version"; then
	go install "github.com/zitadel/oidc/v3/example/server@$oidc_op_version"
fi
# GoReleaser, for the release dry run at the end, is built once per machine:
# on a fresh one that is minutes of downloads and compiles. It builds in the
# background, at the lowest priority, so that it takes the CPU the steps
# before the release step leave idle (the end-to-end tests wait on processes
# and servers much of the time) instead of adding its own minutes.
tools_log=$(mktemp)
nice -n 19 bash scripts/release-check.sh --tools >"$tools_log" 2>&1 &
tools_pid=$!

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go'))
[ -z "$unformatted" ] || { echo "not gofmt'ed: $unformatted" >&2; exit 1; }

# Vet type-checks every package with its tests. For darwin and windows,
# here, the packages whose tests link neither client-go nor the AWS SDK: that
# is all of our OS-specific code (the backends, the cache's markers and
# locks, atomic writes), so a test that does not compile there fails on
# Linux first (docs/design.md §11); the rest would only compile those two
# dependency graphs once more for each OS, the largest cost of a cold run
# (docs/testing.md). The workflow's cross jobs vet every package for both,
# and its macOS and Windows jobs run the tests.
step "go vet (linux; darwin and windows: packages without client-go or the AWS SDK)"
go vet ./...
(cd internal/oidcop/testop && go vet ./...) # the test OP, a module of its own
(cd internal/samlidp/testidp && go vet ./...) # the test SAML IdP (crewjam/saml's samlidp), a module of its own
# without_heavy_deps GOOS: the packages (with Go files for GOOS) whose test
# binaries link neither k8s.io nor github.com/aws.
without_heavy_deps() {
	GOOS=$1 go list -test -f '{{if or .GoFiles .TestGoFiles .XTestGoFiles}}{{.ImportPath}}|{{join .Deps " "}}{{end}}' ./... |
		awk -F'|' 'NF == 2 {
			split($1, a, " "); p = a[1]; sub(/(\.test|_test)$/, "", p); all[p] = 1
			if ($2 ~ /(^| )(k8s\.io|github\.com\/aws)\//) heavy[p] = 1
		} END { for (p in all) if (!(p in heavy)) print p }' | sort
}
for goos in darwin windows; do
	GOOS=$goos go vet $(without_heavy_deps $goos)
done

step "staticcheck"
go run "$STATICCHECK" ./...

step "go test (in D-Bus sessions with an unlocked gnome-keyring)"
# pkg/backend's Secret Service tests get a keyring daemon of their own: run
# together with the end-to-end suite's dozens of concurrent kcc-cache
# processes on one daemon, gnome-keyring 46 now and then dies in libglib
# (docs/testing.md), and every keyring test after it fails.
export KCC_REQUIRE_KEYRING=1 KCC_E2E_BACKENDS=file,keyring
dbus-run-session -- bash scripts/with-keyring.sh go test -count=1 ./pkg/backend/...
dbus-run-session -- bash scripts/with-keyring.sh go test -count=1 $(go list ./... | grep -v '/pkg/backend')

step "fuzz smoke ($FUZZTIME per target)"
# The targets, found in the source: listing them with go test -list would
# link every test binary once more.
targets=$(git grep -o '^func Fuzz[A-Za-z0-9_]*' -- '*_test.go')
while IFS=: read -r file target; do
	pkg=./$(dirname "$file")
	target=${target#func }
	echo "$pkg $target"
	if ! out=$(go test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" -fuzzminimizetime "$FUZZMINIMIZETIME" "$pkg" 2>&1); then
		printf '%s\n' "$out" | tail -30 >&2
		exit 1
	fi
done <<<"$targets"

step "release dry run (goreleaser check, a snapshot for this machine, dpkg -i of its .deb)"
if ! wait "$tools_pid"; then
	cat "$tools_log" >&2
	echo "building GoReleaser failed" >&2
	exit 1
fi
cat "$tools_log"
KCC_RELEASE_TARGETS=host bash scripts/release-check.sh
