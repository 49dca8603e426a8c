#!/usr/bin/env bash
# Measures kcc-aks get-token --login spn as whole processes with hyperfine,
# in one run: the Go floor (bench/floor printing the same ExecCredential
# from a file) and kcc-aks with a service principal (one client-credentials
# token request per run: the path every kcc-cache miss takes). No Azure
# emulator exists, so the token endpoint is the Entra ID stand-in
# (internal/azuretest, run by bench/aksstandin), reached as kcc-aks's tests
# reach it: AZURE_ENVIRONMENT_FILEPATH + --environment AzureStackCloud, and
# SSL_CERT_FILE for its CA. Writes bench/results/aks.{md,json} and prints
# the ratio; the figures in docs/benchmark.md come from here.
# Usage: bash bench/aks.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-50}
command -v hyperfine >/dev/null || { sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo; $sudo apt-get install -y -qq hyperfine >/dev/null; }

work=$(mktemp -d)
standin_pid=""
trap '{ exec 3>&-; } 2>/dev/null; [ -z "$standin_pid" ] || wait "$standin_pid" 2>/dev/null; rm -rf "$work"' EXIT
out=bench/results
mkdir -p "$out"

# Static builds, as released.
export CGO_ENABLED=0
go build -trimpath -ldflags '-s -w' -o "$work/kcc-aks" ./cmd/kcc-aks
go build -trimpath -ldflags '-s -w' -o "$work/floor" ./bench/floor
go build -trimpath -o "$work/aksstandin" ./bench/aksstandin

# The stand-in runs until its stdin (fd 3 here) closes.
mkdir -m 0700 "$work/standin"
client=kcc-bench-spn
secret=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
exec 3> >("$work/aksstandin" "$work/standin" "$client" "$secret")
standin_pid=$!
for _ in $(seq 100); do [ -s "$work/standin/env" ] && break; sleep 0.1; done
# shellcheck disable=SC1091
. "$work/standin/env"
export AZURE_ENVIRONMENT_FILEPATH SSL_CERT_FILE AAD_SERVICE_PRINCIPAL_CLIENT_SECRET=$secret

args=(get-token --environment AzureStackCloud --server-id 6dae42f8-4368-4678-94ff-3960e28e3630 --tenant-id "$TENANT" --login spn --client-id "$client")
"$work/kcc-aks" "${args[@]}" >"$work/credential.json"

echo "## kcc-aks with a service principal (one token request) vs the Go floor ($RUNS runs)"
uptime
hyperfine -N --warmup 3 --runs "$RUNS" \
	--export-markdown "$out/aks.md" --export-json "$out/aks.json" \
	-n go-floor "$work/floor $work/credential.json" \
	-n kcc-aks-spn "$work/kcc-aks ${args[*]}"
uptime

python3 - "$out/aks.json" <<'PY'
import json, sys
r = {x["command"]: (x["mean"] * 1000, x["median"] * 1000) for x in json.load(open(sys.argv[1]))["results"]}
(f, fm), (s, sm) = r["go-floor"], r["kcc-aks-spn"]
print(f"\nmean (median): go-floor {f:.1f} ({fm:.1f}) ms, kcc-aks spn {s:.1f} ({sm:.1f}) ms")
print(f"kcc-aks with a service principal (a miss) is {s / f:.2f}x ({sm / fm:.2f}x) the Go floor")
PY
