#!/usr/bin/env bash
# Measures `kcc-connect discover` over 2 profiles x 3 regions (110 EKS
# clusters on moto_server: ListClusters of every pair and DescribeCluster of
# every cluster) against one `aws eks list-clusters` call (one profile, one
# region, names only), as whole processes in one hyperfine run. The target
# is kcc-connect <= 1.5x the single CLI call. Writes
# bench/results/connect.{md,json}; the figures in docs/benchmark.md come from
# here. Usage: bash bench/connect.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-30}
command -v hyperfine >/dev/null || { sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo; $sudo apt-get install -y -qq hyperfine >/dev/null; }
for tool in aws moto_server python3; do
	command -v "$tool" >/dev/null || { echo "$tool is needed on PATH" >&2; exit 1; }
done

work=$(mktemp -d)
moto_pid=""
cleanup() {
	[ -z "$moto_pid" ] || kill "$moto_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
out=bench/results
mkdir -p "$out"

# A static build, as released.
CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o "$work/kcc-connect" ./cmd/kcc-connect

# moto_server on a free port of 127.0.0.1.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
endpoint="http://127.0.0.1:$port"
for _ in $(seq 1 300); do
	curl -fs "$endpoint/moto-api/data.json" >/dev/null 2>&1 && break
	sleep 0.1
done

# Only these files and moto: none of the machine's AWS settings.
for v in $(env | sed -n 's/^\(AWS_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
cat >"$work/config" <<CONFIG
[profile dev]
region = us-east-1
[profile prod]
role_arn = arn:aws:iam::222222222222:role/admin
source_profile = dev
region = eu-west-1
CONFIG
printf '[dev]\naws_access_key_id = AKIDBENCHDEV\naws_secret_access_key = bench-secret\n' >"$work/credentials"
export AWS_CONFIG_FILE="$work/config" AWS_SHARED_CREDENTIALS_FILE="$work/credentials"
export AWS_ENDPOINT_URL="$endpoint" AWS_EC2_METADATA_DISABLED=true HOME="$work"

# 110 clusters: dev 100 + 3 + 2, prod 2 + 2 + 1 in us-east-1, eu-west-1,
# ap-southeast-2 (boto3 comes with moto).
python3 - <<'PY'
import boto3
counts = {"dev": {"us-east-1": 100, "eu-west-1": 3, "ap-southeast-2": 2},
          "prod": {"us-east-1": 2, "eu-west-1": 2, "ap-southeast-2": 1}}
for profile, regions in counts.items():
    session = boto3.Session(profile_name=profile)
    for region, n in regions.items():
        eks = session.client("eks", region_name=region)
        for i in range(n):
            eks.create_cluster(name=f"{profile}-{i:03d}", roleArn="arn:aws:iam::123456789012:role/eks",
                               resourcesVpcConfig={"subnetIds": ["subnet-1"]})
PY

discover="$work/kcc-connect discover --no-version-check --profile dev --profile prod --region us-east-1,eu-west-1,ap-southeast-2 -o json"
listed=$($discover | grep -c '"id":')
[ "$listed" = 110 ] || { echo "discover listed $listed clusters, want 110" >&2; exit 1; }

echo "## kcc-connect discover (2 profiles x 3 regions, 110 clusters) vs one aws eks list-clusters ($RUNS runs)"
hyperfine -N --warmup 3 --runs "$RUNS" \
	--export-markdown "$out/connect.md" --export-json "$out/connect.json" \
	-n kcc-connect-discover "$discover" \
	-n aws-eks-list-clusters "aws eks list-clusters --profile dev --region eu-west-1"

python3 - "$out/connect.json" <<'PY'
import json, sys
r = {x["command"]: x["mean"] * 1000 for x in json.load(open(sys.argv[1]))["results"]}
kcc, aws = r["kcc-connect-discover"], r["aws-eks-list-clusters"]
print(f"\nkcc-connect discover {kcc:.0f} ms (110 clusters, 6 profile-regions), aws eks list-clusters {aws:.0f} ms (one call)")
print(f"kcc-connect discover is {kcc / aws:.2f}x one aws eks list-clusters (target <= 1.5x)")
PY
