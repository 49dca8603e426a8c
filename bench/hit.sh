#!/usr/bin/env bash
# Measures kcc-cache hits and stores as whole processes with hyperfine, each
# table from ONE hyperfine run so that machine noise hits every row alike.
# Writes markdown tables to bench/results/ (and prints them); the figures in
# docs/benchmark.md come from here.
#
#   bash bench/hit.sh [runs] [tables...]
#
# (kubectl takes ~100 ms a call: its table uses at most 300 runs.)
# tables (default: all): floor scale store inputs keyring kubectl aws
#
# hyperfine is the parent of every run, so from the second run on each hit
# is a repeated call from one process: the first repeat is taken for a 401
# retry and refreshes once (the plugin below is fast), the rest are hits
# that find the heal allowance used (one stat more than a kubectl's hit).
# The script counts plugin runs and prints them with each table.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-300}
shift || true
TABLES=${*:-floor scale store inputs keyring kubectl aws}
want() { [[ " $TABLES " == *" $1 "* ]]; }
for tool in hyperfine jq; do
	command -v $tool >/dev/null || { sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo; $sudo apt-get install -y -qq $tool >/dev/null; }
done

work=$(mktemp -d)
cleanup() {
	exec 3>&- 2>/dev/null || true
	[ -n "${bus_pid:-}" ] && kill "$bus_pid" 2>/dev/null
	[ -n "${keyring_pid:-}" ] && kill "$keyring_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
out=bench/results
mkdir -p "$out"

# The release build: CGO_ENABLED=0, stripped. kcc-cache needs no cgo on
# Linux (no net, no os/user), so a plain `go install` (cgo on) gives the same
# static binary; the floor table shows both.
export CGO_ENABLED=0
go build -trimpath -ldflags '-s -w' -o "$work/kcc-cache" ./cmd/kcc-cache
CGO_ENABLED=1 go build -o "$work/kcc-cache-go-install" ./cmd/kcc-cache
go build -trimpath -ldflags '-s -w' -o "$work/floor" ./bench/floor
go build -trimpath -ldflags '-s -w' -o "$work/busfloor" ./bench/busfloor
go build -o "$work/apiserver" ./bench/apiserver
kcc=$work/kcc-cache
# KCC_BASELINE=REV adds REV's kcc-cache to the Secret Service table, so that
# what a change bought is measured in the same run as the change.
if [ -n "${KCC_BASELINE:-}" ]; then
	mkdir -p "$work/base-src"
	git archive "$KCC_BASELINE" | tar -x -C "$work/base-src"
	(cd "$work/base-src" && go build -trimpath -ldflags '-s -w' -o "$work/kcc-cache-base" ./cmd/kcc-cache)
fi

# A fixed EKS-sized credential (a ~1.6 KB token) from a plugin that counts
# its runs: a hit benchmark in which the plugin ran is not one.
token="k8s-aws-v1.$(head -c 1200 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')"
echo '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{},"status":{"expirationTimestamp":"2099-01-01T00:00:00Z","token":"'"$token"'"}}' >"$work/cred.json"
cat >"$work/plugin" <<PLUGIN
#!/bin/sh
echo x >>"$work/plugin-runs"
cat "$work/cred.json"
PLUGIN
chmod +x "$work/plugin"
runs() { [ -f "$work/plugin-runs" ] && wc -l <"$work/plugin-runs" || echo 0; }
note() { # table file, line
	printf '\n%s\n' "$2" >>"$out/$1"
}
# bench NAME HYPERFINE-ARGS...: one hyperfine run, its table in
# $out/NAME.md with the median and the minimum beside the mean, and their
# ratios to the first command's (on a machine others use, runs that waited
# for a CPU move a mean far more than a median, and the minimum least).
bench() {
	local name=$1
	shift
	hyperfine "$@" --export-json "$out/$name.json"
	jq -r '
		(.results[0].median) as $base | (.results[0].min) as $basemin
		| "| command | mean ± σ [ms] | median [ms] | min [ms] | median ÷ first | min ÷ first |",
		  "|:---|---:|---:|---:|---:|---:|",
		  (.results[] | "| `\(.command)` | \(.mean*1000*100|round/100) ± \(.stddev*1000*100|round/100) | \(.median*1000*100|round/100) | \(.min*1000*100|round/100) | \(.median/$base*1000|round/1000) | \(.min/$basemin*1000|round/1000) |")
	' "$out/$name.json" >"$out/$name.md"
	printf '\n%s runs each; load average before the run: %s\n' "$(jq '.results[0].times|length' "$out/$name.json")" "$load" >>"$out/$name.md"
}
header() { # what
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	echo "## $1 ($RUNS runs; load before: $load)"
}

export KUBE_CREDENTIAL_CACHE_BACKEND=file
unset KUBE_CREDENTIAL_CACHE_USER DBUS_SESSION_BUS_ADDRESS

# fill DIR N: a cache of N identities (KUBE_CREDENTIAL_CACHE_USER=user-<i>).
fill() {
	local i
	for i in $(seq "$2"); do
		KUBE_CREDENTIAL_CACHE_FILE="$1/cache.json" KUBE_CREDENTIAL_CACHE_USER="user-$i" "$kcc" "$work/plugin" >/dev/null
	done
}

if want floor; then
	fill "$work/floor-cache" 1
	entry=$(ls "$work/floor-cache/cache.json.d/entries/"[0-9a-f]*)
	export KUBE_CREDENTIAL_CACHE_FILE=$work/floor-cache/cache.json KUBE_CREDENTIAL_CACHE_USER=user-1
	before=$(runs)
	header "kcc-cache hit vs the floor (file backend)"
	bench hit-floor -N --warmup 20 --runs "$RUNS" \
		-n go-floor "$work/floor $entry" \
		-n cat "cat $entry" \
		-n kcc-cache-hit "$kcc $work/plugin" \
		-n kcc-cache-hit-go-install "$work/kcc-cache-go-install $work/plugin"
	note hit-floor.md "plugin runs during the run: $(($(runs) - before)); $(file -b "$work/kcc-cache-go-install" | cut -d, -f1-4)"
	unset KUBE_CREDENTIAL_CACHE_FILE KUBE_CREDENTIAL_CACHE_USER
fi

# The cache location is an environment variable, which hyperfine cannot set
# per command; a symlink that each command's --prepare points at its own
# cache does the same, outside the measured time.
if want scale; then
	for n in 1 100 1000; do fill "$work/scale-$n" "$n"; done
	export KUBE_CREDENTIAL_CACHE_FILE=$work/scale/cache.json KUBE_CREDENTIAL_CACHE_USER=user-1
	before=$(runs)
	header "kcc-cache hit with 1, 100 and 1 000 cached identities"
	bench hit-scale -N --warmup 20 --runs "$RUNS" \
		--prepare "ln -sfn $work/scale-1 $work/scale" \
		--prepare "ln -sfn $work/scale-100 $work/scale" \
		--prepare "ln -sfn $work/scale-1000 $work/scale" \
		-n hit-1-identity "$kcc $work/plugin" \
		-n hit-100-identities "$kcc $work/plugin" \
		-n hit-1000-identities "$kcc $work/plugin"
	note hit-scale.md "plugin runs during the run: $(($(runs) - before)) (one heal per command is expected)"
	unset KUBE_CREDENTIAL_CACHE_FILE KUBE_CREDENTIAL_CACHE_USER
fi

# A store: a new identity's miss, plugin run and write. Each run's prepare
# deletes that identity's entry again, so that every run stores.
if want store; then
	for n in 1 1000; do
		[ -d "$work/scale-$n" ] || fill "$work/scale-$n" "$n"
		cp -a "$work/scale-$n" "$work/store-$n"
		ls "$work/store-$n/cache.json.d/entries" >"$work/before"
		KUBE_CREDENTIAL_CACHE_FILE="$work/store-$n/cache.json" KUBE_CREDENTIAL_CACHE_USER=new-user "$kcc" "$work/plugin" >/dev/null
		new=$(ls "$work/store-$n/cache.json.d/entries" | comm -13 "$work/before" - | grep -v '^\.')
		cat >"$work/prep-store-$n" <<PREP
ln -sfn $work/store-$n $work/store
rm -f $work/store-$n/cache.json.d/entries/$new
PREP
	done
	export KUBE_CREDENTIAL_CACHE_FILE=$work/store/cache.json KUBE_CREDENTIAL_CACHE_USER=new-user
	before=$(runs)
	header "kcc-cache store of a new identity into 1 and 1 000"
	bench store-scale -N --warmup 10 --runs "$RUNS" \
		--prepare "sh $work/prep-store-1" \
		--prepare "sh $work/prep-store-1000" \
		-n store-into-1 "$kcc $work/plugin" \
		-n store-into-1000 "$kcc $work/plugin"
	note store-scale.md "plugin runs during the run: $(($(runs) - before)) (every run stores: one per run, warm-ups included)"
	unset KUBE_CREDENTIAL_CACHE_FILE KUBE_CREDENTIAL_CACHE_USER
fi

# A hit that checks the plugin's identity files (package inputs): the same
# plugin under the names kcc-cache knows (so it reads ~/.aws, gcloud's
# configuration or ~/.azure, filled as a user with 30 AWS profiles and 10
# subscriptions has them) against a name it does not (no file read).
# KCC_BASELINE adds that revision's kcc-cache as the hit before the check.
if want inputs; then
	ih=$work/inputs-home
	mkdir -p "$ih/.aws" "$ih/.config/gcloud/configurations" "$ih/.azure" "$work/inputs-bin"
	for n in aws gke-gcloud-auth-plugin kubelogin; do ln -sfn "$work/plugin" "$work/inputs-bin/$n"; done
	for i in $(seq 30); do
		printf '[profile p%s]\nrole_arn = arn:aws:iam::1111111111%02d:role/admin\nsource_profile = base\nregion = eu-west-1\n\n' "$i" "$i"
	done >"$ih/.aws/config"
	printf '[default]\nregion = eu-west-1\n' >>"$ih/.aws/config"
	for p in default base ci staging prod; do
		printf '[%s]\naws_access_key_id = AKIA%s\naws_secret_access_key = %s\n\n' "$p" "$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')" "$(head -c 30 /dev/urandom | base64)"
	done >"$ih/.aws/credentials"
	echo default >"$ih/.config/gcloud/active_config"
	printf '[core]\naccount = someone@example.com\nproject = demo\n\n[compute]\nregion = europe-west1\n' >"$ih/.config/gcloud/configurations/config_default"
	{
		printf '{"installationId": "x", "subscriptions": ['
		for i in $(seq 10); do
			[ "$i" = 1 ] || printf ','
			printf '{"id": "%08d-0000-0000-0000-000000000000", "name": "sub %s", "state": "Enabled", "user": {"name": "someone@example.com", "type": "user"}, "isDefault": %s, "tenantId": "t", "environmentName": "AzureCloud"}' "$i" "$i" "$([ "$i" = 1 ] && echo true || echo false)"
		done
		printf ']}'
	} >"$ih/.azure/azureProfile.json"
	printf '[AzureCloud]\nsubscription = 00000001-0000-0000-0000-000000000000\n' >"$ih/.azure/clouds.config"
	saved_home=$HOME
	export HOME=$ih KUBE_CREDENTIAL_CACHE_FILE=$work/inputs/cache.json KUBE_CREDENTIAL_CACHE_USER=user-1
	for n in plugin inputs-bin/aws inputs-bin/gke-gcloud-auth-plugin inputs-bin/kubelogin; do "$kcc" "$work/$n" >/dev/null; done
	baseline=()
	if [ -x "$work/kcc-cache-base" ]; then
		# Its own entry (another path, the same name): the new kcc-cache
		# would otherwise rewrite the entry in a form the old one decodes
		# the slow way.
		mkdir -p "$work/inputs-bin/base"
		ln -sfn "$work/plugin" "$work/inputs-bin/base/aws"
		"$work/kcc-cache-base" "$work/inputs-bin/base/aws" >/dev/null
		baseline=(-n "hit-aws-$KCC_BASELINE" "$work/kcc-cache-base $work/inputs-bin/base/aws")
	fi
	before=$(runs)
	header "kcc-cache hit: the plugin's identity files checked or not"
	bench hit-inputs -N --warmup 20 --runs "$RUNS" \
		-n hit-no-inputs "$kcc $work/plugin" \
		-n hit-aws "$kcc $work/inputs-bin/aws" \
		-n hit-gcloud "$kcc $work/inputs-bin/gke-gcloud-auth-plugin" \
		-n hit-azure "$kcc $work/inputs-bin/kubelogin" \
		"${baseline[@]}"
	note hit-inputs.md "plugin runs during the run: $(($(runs) - before)) (one heal per command is expected)"
	# The same commands interleaved, with CPU time: at a load that moves
	# hyperfine's medians by more than the difference measured here.
	if command -v python3 >/dev/null; then
		inter=(hit-no-inputs="$kcc $work/plugin" hit-aws="$kcc $work/inputs-bin/aws"
			hit-gcloud="$kcc $work/inputs-bin/gke-gcloud-auth-plugin" hit-azure="$kcc $work/inputs-bin/kubelogin")
		[ -x "$work/kcc-cache-base" ] && inter+=("hit-aws-$KCC_BASELINE=$work/kcc-cache-base $work/inputs-bin/base/aws")
		python3 bench/interleave.py --rounds "$((RUNS / 20 > 0 ? RUNS / 20 : 1))" --block 20 "${inter[@]}" >"$out/hit-inputs-interleaved.md"
		note hit-inputs-interleaved.md "plugin runs during the whole table: $(($(runs) - before))"
	fi
	export HOME=$saved_home
	unset KUBE_CREDENTIAL_CACHE_FILE KUBE_CREDENTIAL_CACHE_USER
fi

# The Secret Service: a bus of our own (no service activation, so no second
# keyring daemon can take the name) and gnome-keyring with a fresh, unlocked
# login keyring, as scripts/with-keyring.sh does for the tests. The default
# backend, auto, picks it when the bus is there: each command's prepare puts
# the bus socket where auto looks ($XDG_RUNTIME_DIR/bus) or takes it away,
# and points the cache at that command's own directory.
if want keyring && command -v dbus-daemon >/dev/null && command -v gnome-keyring-daemon >/dev/null && command -v secret-tool >/dev/null; then
	mkdir -p "$work/rt" "$work/kr-home/data" "$work/kr-rt"
	chmod 700 "$work/rt" # a runtime dir as logind makes it: the agent needs that
	cat >"$work/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$work/bus.sock</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
	dbus-daemon --config-file="$work/bus.conf" --nofork --print-pid=3 3>"$work/bus.pid" &
	bus_pid=$!
	for _ in $(seq 100); do [ -S "$work/bus.sock" ] && break; sleep 0.05; done
	printf 'bench-password' | DBUS_SESSION_BUS_ADDRESS="unix:path=$work/bus.sock" HOME="$work/kr-home" \
		XDG_DATA_HOME="$work/kr-home/data" XDG_RUNTIME_DIR="$work/kr-rt" \
		gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
	keyring_pid=$!
	unset KUBE_CREDENTIAL_CACHE_BACKEND
	export XDG_RUNTIME_DIR=$work/rt KUBE_CREDENTIAL_CACHE_FILE=$work/kr/cache.json KUBE_CREDENTIAL_CACHE_USER=user-1
	ln -sfn "$work/bus.sock" "$work/rt/bus"
	mkdir -p "$work/kr-ss"
	ln -sfn "$work/kr-ss" "$work/kr"
	up=""
	for _ in $(seq 100); do
		# auto remembers an unusable store for a minute: forget each probe.
		rm -f "$work/kr-ss/cache.json.d/keyring-unusable-"*
		"$kcc" --info 2>/dev/null | grep -q '^backend: *keyring (auto: Secret Service is available' && up=1 && break
		sleep 0.1
	done
	[ -n "$up" ] || { echo "gnome-keyring's Secret Service did not come up" >&2; exit 1; }
	"$kcc" "$work/plugin" >/dev/null # the item in the Secret Service
	"$kcc" --list | grep -q user-1 || { echo "the Secret Service did not take the item" >&2; exit 1; }
	cat >"$work/prep-ss" <<PREP
ln -sfn $work/bus.sock $work/rt/bus
ln -sfn $work/kr-ss $work/kr
PREP
	# A change in the keyring (an item of another program stored again)
	# makes the agent forget what it read: the next hit reads the item.
	cat >"$work/prep-ss-change" <<PREP
ln -sfn $work/bus.sock $work/rt/bus
ln -sfn $work/kr-ss $work/kr
printf x | DBUS_SESSION_BUS_ADDRESS=unix:path=$work/bus.sock secret-tool store --label=bench-change bench change
PREP
	cat >"$work/prep-file" <<PREP
rm -f $work/rt/bus
ln -sfn $work/kr-file $work/kr
PREP
	mkdir -p "$work/kr-file"
	sh "$work/prep-file"
	"$kcc" "$work/plugin" >/dev/null # the entry in the file
	baseline=()
	if [ -n "${KCC_BASELINE:-}" ]; then
		# Its own item: the plugin's path is part of the cache key.
		ln -sf "$work/plugin" "$work/plugin-base"
		sh "$work/prep-ss"
		"$work/kcc-cache-base" "$work/plugin-base" >/dev/null
		sh "$work/prep-file"
		# hyperfine pairs each --prepare with the command of the same rank.
		baseline=(--prepare "sh $work/prep-ss" -n "kcc-cache-hit-secret-service-$KCC_BASELINE" "$work/kcc-cache-base $work/plugin-base")
	fi
	entry=$(ls "$work/kr-file/cache.json.d/entries/"[0-9a-f]*)
	before=$(runs)
	header "kcc-cache hit: Secret Service (gnome-keyring, auto) vs file"
	# The floors: bench/floor reads and prints the entry; bench/busfloor
	# also connects to the bus and says Hello, which any Secret Service
	# client must do first.
	# The hits go through the Secret Service agent, which the first store
	# above started; "after-a-change" makes it read the item each time, and
	# KCC_BASELINE=6b0c24d (the version before the agent) adds the direct
	# path, each kcc-cache its own new bus client.
	bench hit-keyring -N --warmup 20 --runs "$RUNS" \
		--prepare "sh $work/prep-file" \
		--prepare "sh $work/prep-ss" \
		--prepare "sh $work/prep-ss-change" \
		--prepare "sh $work/prep-file" \
		--prepare "sh $work/prep-ss" \
		-n kcc-cache-hit-file "$kcc $work/plugin" \
		-n kcc-cache-hit-secret-service "$kcc $work/plugin" \
		-n kcc-cache-hit-secret-service-after-a-change "$kcc $work/plugin" \
		-n go-floor "$work/floor $entry" \
		-n bus-floor "$work/busfloor $entry" \
		"${baseline[@]}"
	note hit-keyring.md "plugin runs during the run: $(($(runs) - before)) (one heal per command is expected)"
	# gnome-keyring 46 now and then dies under a stream of short-lived
	# clients (docs/benchmark.md); the hits after that were file hits.
	kill -0 "$keyring_pid" 2>/dev/null || { echo "gnome-keyring died during the run: the Secret Service table is void, run it again" >&2; exit 1; }
	# The Secret Service row is of hits through the agent only if one ran.
	sh "$work/prep-ss"
	"$kcc" --info | grep -q '^Secret Service agent: *running' ||
		{ echo "no Secret Service agent ran: the table's Secret Service rows are not of hits through it" >&2; exit 1; }
	export KUBE_CREDENTIAL_CACHE_BACKEND=file
	unset XDG_RUNTIME_DIR KUBE_CREDENTIAL_CACHE_FILE KUBE_CREDENTIAL_CACHE_USER
elif want keyring; then
	echo "the Secret Service table needs dbus-daemon, gnome-keyring-daemon and secret-tool: skipped" >&2
fi

if want kubectl || want aws; then
	fill "$work/kubectl-cache" 0
	export KUBE_CREDENTIAL_CACHE_FILE=$work/kubectl-cache/cache.json
fi

# kubectl through kcc-cache vs a static token against a local TLS server.
if want kubectl; then
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
      command: $kcc
      args: [\"$work/plugin\"]
      interactiveMode: Never"
	export KUBECACHEDIR="$work/kubecache" HOME="$work"
	kubectl --kubeconfig "$work/kcc.kubeconfig" get --raw /version >/dev/null
	before=$(runs)
	header "kubectl get --raw /version: kcc-cache hit vs static token"
	bench kubectl -N --warmup 10 --runs "$((RUNS < 300 ? RUNS : 300))" \
		-n static-token "kubectl --kubeconfig $work/static.kubeconfig get --raw /version" \
		-n kcc-cache-hit "kubectl --kubeconfig $work/kcc.kubeconfig get --raw /version"
	note kubectl.md "plugin runs during the run: $(($(runs) - before)) (every kubectl is a new parent: all hits)"
fi

# The slow plugin kcc-cache exists to hide: aws eks get-token, offline.
if want aws && command -v aws >/dev/null; then
	export AWS_ACCESS_KEY_ID=AKIAEXAMPLE AWS_SECRET_ACCESS_KEY=x AWS_REGION=us-east-1
	"$kcc" aws eks get-token --cluster-name demo >/dev/null
	header "aws eks get-token: uncached vs kcc-cache hit (20 runs)"
	bench aws -N --warmup 3 --runs 20 \
		-n kcc-cache-hit-aws "$kcc aws eks get-token --cluster-name demo" \
		-n aws-eks-get-token "aws eks get-token --cluster-name demo"
fi

for t in $TABLES; do
	case $t in
	floor) f=hit-floor ;; scale) f=hit-scale ;; store) f=store-scale ;; keyring) f=hit-keyring ;; inputs) f="hit-inputs hit-inputs-interleaved" ;; *) f=$t ;;
	esac
	for f in $f; do
		[ -f "$out/$f.md" ] && { echo; echo "### $out/$f.md"; cat "$out/$f.md"; }
	done
done
