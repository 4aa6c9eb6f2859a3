#!/usr/bin/env bash
# The daemon, Native AOT next to the JIT build: binary size, start → READY=1, and resident memory
# after a stretch of passes (interval 10 s, so a minute is what four 15-minute ticks do, and more).
#   bench/run-daemon.sh [seconds-of-ticks]
# Uses a testbed of its own (real systemd, podman, registry) with three managed units.
set -euo pipefail
cd "$(dirname "$0")/.."
export UPDATE_AGENT_TESTBED_STATE=${UPDATE_AGENT_TESTBED_STATE:-/run/uat-daemon-bench}
export UPDATE_AGENT_TESTBED_REGISTRY_PORT=${UPDATE_AGENT_TESTBED_REGISTRY_PORT:-5001}
ticks=${1:-60}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; tests/testbed/down.sh >/dev/null; rm -rf "$work"' EXIT
eval "$(tests/testbed/up.sh | grep '^TESTBED_')"

[ -x artifacts/aot/update-agent ] || dotnet publish src/Agent -c Release -r linux-x64 -p:PublishAot=true -nologo -v quiet -o artifacts/aot
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
measure() { # NAME COMMAND...
  local name=$1; shift
  rm -rf "$work/state" "$work/notify.sock"
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
  python3 - "$work/notify.sock" > "$work/ready" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1])
while True:
    data = s.recv(4096).decode()
    if "READY=1" in data:
        print(time.monotonic_ns()); sys.stdout.flush(); break
PY
  local listener=$!
  while [ ! -S "$work/notify.sock" ]; do sleep 0.01; done
  local start; start=$(python3 -c 'import time; print(time.monotonic_ns())')
  NOTIFY_SOCKET=$work/notify.sock "$@" run --config "$work/agent.toml" > "$work/$name.log" 2>&1 &
  local pid=$!
  wait $listener
  local ready_ms=$(( ($(cat "$work/ready") - start) / 1000000 ))
  sleep "$ticks"
  local rss_kb; rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  local passes; passes=$(grep -c 'pass finished' "$work/$name.log" || true)
  kill -TERM $pid; wait $pid || true
  printf '%-26s %14s %14s %12s\n' "$name" "$ready_ms ms" "$((rss_kb / 1024)) MB" "$passes"
}
aot_size=$(du -b artifacts/aot/update-agent | cut -f1)
jit_size=$(du -bc "$work/jit" | tail -1 | cut -f1)
echo "update-agent daemon, 3 managed units, interval 10 s for $ticks s; $(uptime | sed 's/.*load/load/')"
printf '%-26s %14s %14s %12s\n' "build" "start→READY" "RSS after" "passes"
measure "native AOT ($((aot_size / 1048576)) MB binary)" artifacts/aot/update-agent
measure "JIT ($((jit_size / 1048576)) MB app + runtime)" dotnet "$work/jit/update-agent.dll"
