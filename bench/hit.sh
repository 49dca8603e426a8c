#!/usr/bin/env bash
# Measures a kcc-cache hit as whole processes with hyperfine, every ratio
# from one hyperfine run so that machine noise hits both sides alike.
# Writes markdown tables to bench/results/ (and prints them); the figures in
# docs/benchmark.md come from here. Usage: bash bench/hit.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-300}
command -v hyperfine >/dev/null || { sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo; $sudo apt-get install -y -qq hyperfine >/dev/null; }

work=$(mktemp -d)
trap 'exec 3>&- 2>/dev/null || true; rm -rf "$work"' EXIT
out=bench/results
mkdir -p "$out"

# CGO_ENABLED=0 as in the release: godbus imports net and os/user, which
# with cgo make a dynamically linked binary that starts ~1-4 ms slower.
export CGO_ENABLED=0
go build -trimpath -ldflags '-s -w' -o "$work/kcc-cache" ./cmd/kcc-cache
go build -trimpath -ldflags '-s -w' -o "$work/floor" ./bench/floor
go build -o "$work/apiserver" ./bench/apiserver

# A fixed credential from a plugin that is never run again after priming.
token="k8s-aws-v1.$(head -c 1200 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')"
cat >"$work/plugin" <<PLUGIN
#!/bin/sh
echo '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{},"status":{"expirationTimestamp":"2099-01-01T00:00:00Z","token":"$token"}}'
PLUGIN
chmod +x "$work/plugin"

export KUBE_CREDENTIAL_CACHE_BACKEND=file KUBE_CREDENTIAL_CACHE_FILE="$work/cache/cache.json"
"$work/kcc-cache" "$work/plugin" >/dev/null

echo "## kcc-cache hit vs the floor (file backend, $RUNS runs)"
hyperfine -N --warmup 20 --runs "$RUNS" --export-markdown "$out/hit-file.md" \
	-n cat "cat $KUBE_CREDENTIAL_CACHE_FILE" \
	-n go-floor "$work/floor $KUBE_CREDENTIAL_CACHE_FILE" \
	-n kcc-cache-hit-file "$work/kcc-cache $work/plugin"

# The Secret Service figure: only inside a D-Bus session with a secret service
# (scripts/with-keyring.sh provides one: see bench/README.md).
if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] && KUBE_CREDENTIAL_CACHE_BACKEND=keyring "$work/kcc-cache" --info 2>/dev/null | grep -q '^backend: *keyring'; then
	KUBE_CREDENTIAL_CACHE_BACKEND=keyring "$work/kcc-cache" "$work/plugin" >/dev/null
	echo "## kcc-cache hit: Secret Service vs file vs cat ($RUNS runs)"
	hyperfine -N --warmup 20 --runs "$RUNS" --export-markdown "$out/hit-keyring.md" \
		-n cat "cat $KUBE_CREDENTIAL_CACHE_FILE" \
		-n kcc-cache-hit-file "$work/kcc-cache $work/plugin" \
		-n kcc-cache-hit-keyring "env KUBE_CREDENTIAL_CACHE_BACKEND=keyring $work/kcc-cache $work/plugin"
fi

# kubectl through kcc-cache vs a static token against a local TLS server.
exec 3> >("$work/apiserver" "$work")
for _ in $(seq 100); do [ -s "$work/url" ] && break; sleep 0.05; done
url=$(cat "$work/url")
kubeconfig() { # name, user block
	cat >"$work/$1.kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: bench
  cluster: {server: "$url", certificate-authority: "$work/ca.crt"}
contexts:
- name: bench
  context: {cluster: bench, user: bench}
current-context: bench
users:
- name: bench
  user:
$2
KC
}
kubeconfig static "    token: \"$token\""
kubeconfig kcc "    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: $work/kcc-cache
      args: [\"$work/plugin\"]
      interactiveMode: Never"
export KUBECACHEDIR="$work/kubecache" HOME="$work"
kubectl --kubeconfig "$work/kcc.kubeconfig" get --raw /version >/dev/null
echo "## kubectl get --raw /version: kcc-cache hit vs static token ($RUNS runs)"
hyperfine -N --warmup 10 --runs "$RUNS" --export-markdown "$out/kubectl.md" \
	-n static-token "kubectl --kubeconfig $work/static.kubeconfig get --raw /version" \
	-n kcc-cache-hit "kubectl --kubeconfig $work/kcc.kubeconfig get --raw /version"

# The slow plugin kcc-cache exists to hide: aws eks get-token, offline.
export AWS_ACCESS_KEY_ID=AKIAEXAMPLE AWS_SECRET_ACCESS_KEY=x AWS_REGION=us-east-1
"$work/kcc-cache" aws eks get-token --cluster-name demo >/dev/null
echo "## aws eks get-token: uncached vs kcc-cache hit"
hyperfine -N --warmup 3 --runs 20 --export-markdown "$out/aws.md" \
	-n kcc-cache-hit-aws "$work/kcc-cache aws eks get-token --cluster-name demo" \
	-n aws-eks-get-token "aws eks get-token --cluster-name demo"

for f in "$out"/*.md; do echo; echo "### $f"; cat "$f"; done
