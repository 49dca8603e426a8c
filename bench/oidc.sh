#!/usr/bin/env bash
# Measures kcc-oidc get-token as whole processes with hyperfine, in one run:
# the Go floor (bench/floor printing the same ExecCredential from a file),
# kcc-oidc serving its stored id_token (no request: the path every kcc-cache
# miss with a valid token takes), and kcc-oidc --force-refresh (one token
# request to a provider on this machine). The provider is the zitadel/oidc
# example server (scripts/test.sh installs it); the first login is made by
# the tests' browser (internal/oidcop/testbrowser). Writes
# bench/results/oidc.{md,json} and prints the ratios; the figures in
# docs/benchmark.md come from here.
# Usage: bash bench/oidc.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-50}
command -v hyperfine >/dev/null || { sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo; $sudo apt-get install -y -qq hyperfine >/dev/null; }
op=$(go env GOBIN)
op=${KCC_OIDC_EXAMPLE_OP:-${op:-$(go env GOPATH | cut -d: -f1)/bin}/server}
[ -x "$op" ] || { echo "the zitadel/oidc example OP is needed: CGO_ENABLED=0 go install github.com/zitadel/oidc/v3/example/server@v3.52.0" >&2; exit 1; }

work=$(mktemp -d)
op_pid=""
trap '[ -z "$op_pid" ] || kill "$op_pid" 2>/dev/null; rm -rf "$work"' EXIT
out=bench/results
mkdir -p "$out"

# Static builds, as released.
export CGO_ENABLED=0
go build -trimpath -ldflags '-s -w' -o "$work/kcc-oidc" ./cmd/kcc-oidc
go build -trimpath -ldflags '-s -w' -o "$work/floor" ./bench/floor
go build -trimpath -o "$work/testbrowser" ./internal/oidcop/testbrowser

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PORT=$port REDIRECT_URI=http://localhost "$op" >"$work/op.log" 2>&1 &
op_pid=$!
issuer=http://localhost:$port/
for _ in $(seq 100); do curl -fs "${issuer}.well-known/openid-configuration" >/dev/null && break; sleep 0.1; done

# A file store of its own.
export KUBE_CREDENTIAL_CACHE_BACKEND=file KUBE_CREDENTIAL_CACHE_FILE="$work/cache/cache.json"
args=(get-token --oidc-issuer-url "$issuer" --oidc-client-id native --oidc-extra-scope offline_access --listen-address 127.0.0.1:0)
"$work/kcc-oidc" "${args[@]}" --browser-command "$work/testbrowser" >"$work/credential.json"

echo "## kcc-oidc with a stored id_token vs the Go floor, and a refresh ($RUNS runs)"
hyperfine -N --warmup 3 --runs "$RUNS" \
	--export-markdown "$out/oidc.md" --export-json "$out/oidc.json" \
	-n go-floor "$work/floor $work/credential.json" \
	-n kcc-oidc-stored "$work/kcc-oidc ${args[*]}" \
	-n kcc-oidc-refresh "$work/kcc-oidc ${args[*]} --force-refresh"

python3 - "$out/oidc.json" <<'PY'
import json, sys
r = {x["command"]: (x["mean"] * 1000, x["median"] * 1000) for x in json.load(open(sys.argv[1]))["results"]}
(f, fm), (s, sm), (rf, rfm) = r["go-floor"], r["kcc-oidc-stored"], r["kcc-oidc-refresh"]
print(f"\nmean (median): go-floor {f:.1f} ({fm:.1f}) ms, kcc-oidc stored {s:.1f} ({sm:.1f}) ms, refresh {rf:.1f} ({rfm:.1f}) ms")
print(f"kcc-oidc with a stored token is {s / f:.2f}x ({sm / fm:.2f}x) the Go floor")
PY
