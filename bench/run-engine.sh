#!/usr/bin/env bash
# A no-op update pass over 20 units on 5 images, registry behind a 40 ms round trip:
# update-agent check next to podman auto-update, on the same testbed, in the same run.
#   bench/run-engine.sh [runs-per-side] [delay-ms] [handshake-ms] [series]
# handshake-ms (default: delay-ms) is what a new TCP connection costs; 0 leaves connections free.
# series (default: none, the 20-unit no-op pass alone) is one of the scale series: 20 (units on 5
# images), 100 (on 25) or 500 (on 100). Each runs the no-op pass, then a pass in which 10 % of the
# images (at least one, rounded up) have a new signed and blessed digest, for
# UPDATE_AGENT_BENCH_CHANGED_RUNS passes per side (default: runs-per-side; 0 leaves the changed
# series out).
# Times the Native AOT publish of update-agent (as shipped); UPDATE_AGENT=PATH times another
# binary instead, e.g. the JIT build src/Agent/bin/Release/net10.0/update-agent.
# The registry listens on UPDATE_AGENT_TESTBED_REGISTRY_PORT (default 5002), the bench's delay
# proxy on 127.0.0.1:UPDATE_AGENT_BENCH_PROXY_PORT (default 5003): both among the ports the
# guest treats as plain-HTTP registries (5000-5003).
set -euo pipefail
cd "$(dirname "$0")/.."
export UPDATE_AGENT_TESTBED_STATE=${UPDATE_AGENT_TESTBED_STATE:-/run/uat-bench}
export UPDATE_AGENT_TESTBED_REGISTRY_PORT=${UPDATE_AGENT_TESTBED_REGISTRY_PORT:-5002}
proxy_port=${UPDATE_AGENT_BENCH_PROXY_PORT:-5003}

agent=${UPDATE_AGENT:-}
if [ -z "$agent" ]; then
  dotnet publish -c Release -r linux-x64 -p:PublishAot=true src/Agent -v q -nologo >/dev/null
  agent=$PWD/src/Agent/bin/Release/net10.0/linux-x64/publish/update-agent
fi
dotnet build -c Release bench/Agent.Bench -v q -nologo >/dev/null
case ${4:-} in
  "") shape=(--units 20 --images 5);;
  20) shape=(--units 20 --images 5 --changed 1);;
  100) shape=(--units 100 --images 25 --changed 3);;
  500) shape=(--units 500 --images 100 --changed 10);;
  *) echo "series must be 20, 100 or 500" >&2; exit 2;;
esac

trap 'tests/testbed/down.sh >/dev/null' EXIT
testbed_env=$(tests/testbed/up.sh | grep "^TESTBED_") # a failed boot stops the bench here
eval "$testbed_env"
echo "load before the run: $(uptime)"
echo "commit: $(git rev-parse --short HEAD)"
dotnet bench/Agent.Bench/bin/Release/net10.0/Agent.Bench.dll engine \
  --guest-pid "$TESTBED_GUEST_PID" --registry "$TESTBED_REGISTRY" --listen "127.0.0.1:$proxy_port" \
  --agent "$agent" --testbed "$PWD/tests/testbed" \
  --runs "${1:-5}" --delay-ms "${2:-40}" --handshake-ms "${3:-${2:-40}}" "${shape[@]}" \
  --changed-runs "${UPDATE_AGENT_BENCH_CHANGED_RUNS:-${1:-5}}"
echo "load after the run: $(uptime)"
