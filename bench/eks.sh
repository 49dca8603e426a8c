#!/usr/bin/env bash
# Measures a cache miss's plugin as whole processes with hyperfine, in one
# run so that machine noise hits every command alike: kcc-eks, the AWS CLI's
# `aws eks get-token` it replaces, and the Go floor (bench/floor printing the
# same ExecCredential from a file). Writes bench/results/eks.{md,json} and
# prints the ratios; the figures in docs/benchmark.md come from here.
# Usage: bash bench/eks.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-50}
command -v hyperfine >/dev/null || { sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo; $sudo apt-get install -y -qq hyperfine >/dev/null; }
command -v aws >/dev/null || { echo "aws (the AWS CLI) is needed on PATH" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=bench/results
mkdir -p "$out"

# Static builds, as released.
export CGO_ENABLED=0
go build -trimpath -ldflags '-s -w' -o "$work/kcc-eks" ./cmd/kcc-eks
go build -trimpath -ldflags '-s -w' -o "$work/floor" ./bench/floor
go build -trimpath -ldflags '-s -w' -o "$work/kcc-cache" ./cmd/kcc-cache

# A file cache of its own, emptied before every run of the miss table.
export KUBE_CREDENTIAL_CACHE_BACKEND=file KUBE_CREDENTIAL_CACHE_FILE="$work/cache/cache.json"

# Static keys and a region, no ~/.aws files: both sign offline. The
# machine's other AWS_* settings are left out so that both see the same.
for v in $(env | sed -n 's/^\(AWS_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
: >"$work/config"
: >"$work/credentials"
export AWS_CONFIG_FILE="$work/config" AWS_SHARED_CREDENTIALS_FILE="$work/credentials"
export AWS_ACCESS_KEY_ID=AKIAEXAMPLEBENCH AWS_SECRET_ACCESS_KEY=bench/secret AWS_DEFAULT_REGION=eu-west-1
"$work/kcc-eks" --cluster-name demo >"$work/credential.json"
aws eks get-token --cluster-name demo >/dev/null

echo "## kcc-eks vs aws eks get-token vs the Go floor ($RUNS runs)"
hyperfine -N --warmup 3 --runs "$RUNS" \
	--export-markdown "$out/eks.md" --export-json "$out/eks.json" \
	-n go-floor "$work/floor $work/credential.json" \
	-n kcc-eks "$work/kcc-eks --cluster-name demo" \
	-n aws-eks-get-token "aws eks get-token --cluster-name demo"

echo "## a kcc-cache miss: kcc-cache running kcc-eks vs running aws eks get-token ($RUNS runs)"
hyperfine -N --warmup 3 --runs "$RUNS" --prepare "$work/kcc-cache --clear" \
	--export-markdown "$out/eks-miss.md" --export-json "$out/eks-miss.json" \
	-n kcc-cache-miss-kcc-eks "$work/kcc-cache $work/kcc-eks --cluster-name demo" \
	-n kcc-cache-miss-aws "$work/kcc-cache aws eks get-token --cluster-name demo"

python3 - "$out/eks.json" "$out/eks-miss.json" <<'PY'
import json, sys
def stats(path):
    return {x["command"]: (x["mean"] * 1000, x["median"] * 1000) for x in json.load(open(path))["results"]}
r = stats(sys.argv[1])
(floor, floor_md), (eks, eks_md), (aws, aws_md) = r["go-floor"], r["kcc-eks"], r["aws-eks-get-token"]
print(f"\nmean (median): go-floor {floor:.1f} ({floor_md:.1f}) ms, kcc-eks {eks:.1f} ({eks_md:.1f}) ms, aws eks get-token {aws:.0f} ({aws_md:.0f}) ms")
print(f"kcc-eks is {aws / eks:.0f}x ({aws_md / eks_md:.0f}x) faster than aws eks get-token (target >= 30x)")
print(f"kcc-eks is {eks / floor:.2f}x ({eks_md / floor_md:.2f}x) the Go floor (target <= 4x)")
m = stats(sys.argv[2])
(me, me_md), (ma, ma_md) = m["kcc-cache-miss-kcc-eks"], m["kcc-cache-miss-aws"]
print(f"kcc-cache miss: {me:.1f} ({me_md:.1f}) ms with kcc-eks, {ma:.0f} ({ma_md:.0f}) ms with aws eks get-token: {ma / me:.0f}x ({ma_md / me_md:.0f}x)")
PY
