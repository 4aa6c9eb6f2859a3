#!/usr/bin/env bash
# D-Bus round trips: our client vs busctl, against the testbed's real systemd.
#   bench/run-dbus.sh [seconds-per-side]
set -euo pipefail
cd "$(dirname "$0")/.."
export UPDATE_AGENT_TESTBED_STATE=${UPDATE_AGENT_TESTBED_STATE:-/run/uat-bench}
export UPDATE_AGENT_TESTBED_REGISTRY_PORT=${UPDATE_AGENT_TESTBED_REGISTRY_PORT:-5003}
trap 'tests/testbed/down.sh >/dev/null' EXIT
testbed_env=$(tests/testbed/up.sh | grep "^TESTBED_") # a failed boot stops the bench here
eval "$testbed_env"
dotnet run -c Release --project bench/Agent.Bench -- dbus "$TESTBED_DBUS_SOCKET" "${1:-5}"
