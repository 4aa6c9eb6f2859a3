#!/usr/bin/env bash
# A day of the daemon in minutes: update-agent run over 20 units on 5 images (registry behind a
# 40 ms round trip), driven through PASSES passes by update-agent check, which hands each pass to
# the running daemon. Prints the daemon's RSS and the history store's size after every 1/24 of the
# passes. The default, 2880 passes, is a day at a 30 s interval (30 days at the default 15 min).
#   bench/run-daemon-day.sh [passes=2880] [units=20] [images=5]
# UPDATE_AGENT=PATH times another binary than the Native AOT publish; ports and state folder as
# for run-engine.sh.
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

trap 'tests/testbed/down.sh >/dev/null' EXIT
testbed_env=$(tests/testbed/up.sh | grep "^TESTBED_") # a failed boot stops the bench here
eval "$testbed_env"
echo "load before the run: $(uptime)"
echo "commit: $(git rev-parse --short HEAD)"
dotnet bench/Agent.Bench/bin/Release/net10.0/Agent.Bench.dll daemon-day \
  --guest-pid "$TESTBED_GUEST_PID" --registry "$TESTBED_REGISTRY" --listen "127.0.0.1:$proxy_port" \
  --agent "$agent" --testbed "$PWD/tests/testbed" \
  --passes "${1:-2880}" --units "${2:-20}" --images "${3:-5}"
echo "load after the run: $(uptime)"
