#!/usr/bin/env bash
# Wall time of `update-agent verify` against `cosign verify` on the same signed image in a
# local registry: both processes start cold each run, runs are interleaved, medians compared.
#   bench/verify/run.sh [runs]          (default 30)
# Environment: BENCH_REGISTRY_PORT (default 5009), UPDATE_AGENT (an update-agent binary to time
# instead of the Native AOT build of bench/verify/VerifyHost, which compiles the same command sources).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-30}
port=${BENCH_REGISTRY_PORT:-5009}
registry=127.0.0.1:$port
work=$(mktemp -d)
registry_pid=
cleanup() {
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/registry"
sed -e "s#REGISTRY_ROOT#$work/registry#" -e "s#REGISTRY_ADDR#$registry#" tests/testbed/registry.yml > "$work/registry.yml"
docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://$registry/v2/" && break; sleep 0.05; done

image=$registry/bench/app
digest=$(tests/testbed/image.sh "$image:latest" --label org.opencontainers.image.source=https://example.test/app)
export COSIGN_PASSWORD=
cosign generate-key-pair --output-key-prefix "$work/ci" > /dev/null 2>&1
cosign sign --key "$work/ci.key" --tlog-upload=false --allow-insecure-registry -y "$image@$digest" > /dev/null 2>&1
cat > "$work/policy.toml" <<TOML
[registries]
insecure = ["$registry"]
[authorities.ci]
key = "ci.pub"
[[image]]
repository = "$image"
signed_by = ["ci"]
TOML

agent=${UPDATE_AGENT:-}
if [ -z "$agent" ]; then
  dotnet publish bench/verify/VerifyHost -c Release -r linux-x64 -o "$work/bin" > "$work/publish.log" 2>&1 \
    || { cat "$work/publish.log" >&2; exit 1; }
  agent=$work/bin/update-agent-verify
fi

ours=("$agent" verify "$image:latest" --config "$work/policy.toml")
theirs=(cosign verify --key "$work/ci.pub" --insecure-ignore-tlog --allow-insecure-registry "$image:latest")
"${ours[@]}" > "$work/ours.out" || { cat "$work/ours.out" >&2; echo "update-agent verify did not accept the image" >&2; exit 1; }
"${theirs[@]}" > "$work/cosign.out" 2>&1 || { cat "$work/cosign.out" >&2; echo "cosign verify did not accept the image" >&2; exit 1; }

time_us() {
  local start end
  start=$(date +%s%N)
  "$@" > /dev/null 2>&1
  end=$(date +%s%N)
  echo $(( (end - start) / 1000 ))
}
: > "$work/ours.us"; : > "$work/cosign.us"
for _ in $(seq 1 "$runs"); do
  time_us "${ours[@]}" >> "$work/ours.us"
  time_us "${theirs[@]}" >> "$work/cosign.us"
done

median() { sort -n "$1" | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
mean() { awk '{s+=$1} END {print int(s/NR)}' "$1"; }
ours_median=$(median "$work/ours.us"); cosign_median=$(median "$work/cosign.us")
requests=$("$agent" verify "$image:latest" --config "$work/policy.toml" --json | sed -n 's/.*"registryRequests": \([0-9]*\).*/\1/p')
ours_mean=$(mean "$work/ours.us"); cosign_mean=$(mean "$work/cosign.us")
awk -v om="$ours_median" -v oa="$ours_mean" -v cm="$cosign_median" -v ca="$cosign_mean" -v runs="$runs" -v req="$requests" 'BEGIN {
  printf "%-24s %10s %10s\n", "", "median ms", "mean ms"
  printf "%-24s %10.1f %10.1f\n", "update-agent verify", om / 1000, oa / 1000
  printf "%-24s %10.1f %10.1f\n", "cosign verify", cm / 1000, ca / 1000
  printf "ratio (median, ours/cosign): %.2f   runs: %d   registry requests per verify: %s\n", om / cm, runs, req
}'
