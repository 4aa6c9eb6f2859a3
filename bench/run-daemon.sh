#!/usr/bin/env bash
# The daemon, Native AOT next to the JIT build: binary size, start → READY=1 (Podman API service
# already up, and socket-activated by our first request), and resident memory after a stretch of
# passes (interval 10 s: a minute is six passes, more than the four of an hour at the default 15 min).
#   bench/run-daemon.sh [seconds-of-ticks=60] [starts=7]
# Uses a testbed of its own (real systemd, podman, registry) with three managed units.
set -euo pipefail
cd "$(dirname "$0")/.."
export UPDATE_AGENT_TESTBED_STATE=${UPDATE_AGENT_TESTBED_STATE:-/run/uat-daemon-bench}
export UPDATE_AGENT_TESTBED_REGISTRY_PORT=${UPDATE_AGENT_TESTBED_REGISTRY_PORT:-5001}
ticks=${1:-60}
starts=${2:-7}
work=$(mktemp -d)
trap 'tests/testbed/down.sh >/dev/null; rm -rf "$work"' EXIT
testbed_env=$(tests/testbed/up.sh | grep "^TESTBED_") # a failed boot stops the bench here
eval "$testbed_env"

# Always publish: a binary left from an older tree would measure the wrong code.
dotnet publish src/Agent -c Release -r linux-x64 -p:PublishAot=true -nologo -v quiet >/dev/null
aot=$PWD/src/Agent/bin/Release/net10.0/linux-x64/publish/update-agent
dotnet build src/Agent -c Release -nologo -v quiet -o "$work/jit" >/dev/null

for i in 1 2 3; do
  tests/testbed/image.sh "$TESTBED_REGISTRY/daemon-bench/app$i:latest" >/dev/null
  cat > "/proc/$TESTBED_GUEST_PID/root/etc/systemd/system/bench$i.service" <<UNIT
[Service]
Type=notify
NotifyAccess=all
Environment=PODMAN_SYSTEMD_UNIT=%n
ExecStart=/usr/bin/podman run --replace --rm --cgroups=split --sdnotify=conmon -d --name bench$i --network none --label io.containers.autoupdate=registry $TESTBED_REGISTRY/daemon-bench/app$i:latest
ExecStop=/usr/bin/podman stop --ignore -t 2 bench$i
UNIT
done
nsenter -t "$TESTBED_GUEST_PID" -a sh -c 'systemctl daemon-reload && systemctl start bench1 bench2 bench3'

printf '[registries]\ninsecure = ["%s"]\n' "$TESTBED_REGISTRY" > "$work/policy.toml"
cat > "$work/agent.toml" <<CONF
[agent]
policy = "$work/policy.toml"
state_directory = "$work/state"
podman_socket = "$TESTBED_PODMAN_SOCKET"
dbus_address = "unix:path=$TESTBED_DBUS_SOCKET"
api_socket = "$work/api.sock"
[schedule]
interval = "10s"
jitter = "0s"
CONF
aot_size=$(du -b "$aot" | cut -f1)
jit_size=$(du -bc "$work/jit" | tail -1 | cut -f1)
echo "update-agent daemon, 3 managed units; $starts starts with the Podman API service up, $((starts / 2)) with it socket-activated; then $ticks s of passes every 10 s"
echo "load before: $(uptime | sed 's/.*load/load/')"
echo
echo "| build | start→READY, Podman service up (min–max) | start→READY, Podman service activated | RSS after | of it anonymous | of it file-backed | passes |"
echo "|---|---|---|---|---|---|---|"
bench/daemon-bench.py "native AOT, $((aot_size / 1048576)) MB binary" "$work/agent.toml" "$TESTBED_PODMAN_SOCKET" "$starts" "$ticks" "$aot"
bench/daemon-bench.py "JIT, $((jit_size / 1048576)) MB app + shared runtime" "$work/agent.toml" "$TESTBED_PODMAN_SOCKET" "$starts" "$ticks" dotnet "$work/jit/update-agent.dll"
echo
echo "load after: $(uptime | sed 's/.*load/load/')"
