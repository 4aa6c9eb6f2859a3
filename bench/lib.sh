# Sourced by the bench scripts that drive Agent.Bench against a testbed of their own
# (run-engine.sh, run-daemon-day.sh), from the repository's root. The registry listens on
# UPDATE_AGENT_TESTBED_REGISTRY_PORT (default 5002), the bench's delay proxy on
# 127.0.0.1:UPDATE_AGENT_BENCH_PROXY_PORT (default 5003): both among the ports the guest treats as
# plain-HTTP registries (5000-5003). UPDATE_AGENT=PATH times another binary than the Native AOT
# publish, e.g. the JIT build src/Agent/bin/Release/net10.0/update-agent.
export UPDATE_AGENT_TESTBED_STATE=${UPDATE_AGENT_TESTBED_STATE:-/run/uat-bench}
export UPDATE_AGENT_TESTBED_REGISTRY_PORT=${UPDATE_AGENT_TESTBED_REGISTRY_PORT:-5002}
proxy_port=${UPDATE_AGENT_BENCH_PROXY_PORT:-5003}

# Runs Agent.Bench COMMAND ARGS... on a freshly booted testbed, torn down on exit, with the
# agent to time (published now, so it is this tree's code) and the testbed's coordinates.
bench_run() {
  local command=$1; shift
  local agent=${UPDATE_AGENT:-}
  if [ -z "$agent" ]; then
    dotnet publish -c Release -r linux-x64 -p:PublishAot=true src/Agent -v q -nologo >/dev/null
    agent=$PWD/src/Agent/bin/Release/net10.0/linux-x64/publish/update-agent
  fi
  dotnet build -c Release bench/Agent.Bench -v q -nologo >/dev/null
  trap 'tests/testbed/down.sh >/dev/null' EXIT
  local testbed_env
  testbed_env=$(tests/testbed/up.sh | grep "^TESTBED_") # a failed boot stops the bench here
  eval "$testbed_env"
  echo "load before the run: $(uptime)"
  echo "commit: $(git rev-parse --short HEAD)"
  dotnet bench/Agent.Bench/bin/Release/net10.0/Agent.Bench.dll "$command" \
    --guest-pid "$TESTBED_GUEST_PID" --registry "$TESTBED_REGISTRY" --listen "127.0.0.1:$proxy_port" \
    --agent "$agent" --testbed "$PWD/tests/testbed" "$@"
  echo "load after the run: $(uptime)"
}
