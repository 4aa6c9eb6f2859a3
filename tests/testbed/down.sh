#!/usr/bin/env bash
# Tears the testbed down and leaves no process or mount behind: the guest's
# containers, the guest, the registry, the overlay. Safe to run at any time.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

# What the testbed's two long-running processes look like in `ps`: found, checked and proven gone by these.
nspawn_command="systemd-nspawn -D $TESTBED_STATE/root"
registry_command="docker-registry serve $TESTBED_STATE/"

stop_pid() { # PID, grace seconds, what its command line must contain
  local pid=$1 grace=$2 expected=$3
  kill -0 "$pid" 2>/dev/null || return 0
  # State from a run that ended with its machine's processes leaves PIDs that may be reused since.
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$expected" || return 0
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 $((grace * 10))); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  # A second SIGTERM makes nspawn end the guest at once.
  kill -TERM "$pid" 2>/dev/null; sleep 1
  kill -0 "$pid" 2>/dev/null && kill -KILL -- "-$pid" "$pid" 2>/dev/null
  return 0
}

if pid=$(guest_pid 2>/dev/null) && [ -n "$pid" ]; then
  # A container still running at halt makes shutdown wait up to 90 s on its scope.
  timeout 30 nsenter -t "$pid" -a podman stop -a -t 2 >/dev/null 2>&1 || true
fi
[ -f "$TESTBED_STATE/nspawn.pid" ] && stop_pid "$(cat "$TESTBED_STATE/nspawn.pid")" 15 "$nspawn_command"
[ -f "$TESTBED_STATE/registry.pid" ] && stop_pid "$(cat "$TESTBED_STATE/registry.pid")" 5 "$registry_command"
# Whatever a crashed run left: anything still running out of this state folder.
pkill -KILL -f "$nspawn_command" 2>/dev/null || true
pkill -KILL -f "$registry_command" 2>/dev/null || true
if mountpoint -q "$TESTBED_STATE/root" 2>/dev/null; then
  umount "$TESTBED_STATE/root" 2>/dev/null || umount -l "$TESTBED_STATE/root"
fi
rm -rf "$TESTBED_STATE"

# Prove it: nothing of the testbed may be left running or mounted.
left=$(pgrep -af "$nspawn_command|$registry_command" || true)
if [ -n "$left" ] || mount | grep -q " $TESTBED_STATE/"; then
  log "teardown left something behind: ${left:-a mount under $TESTBED_STATE}"
  exit 1
fi
log "torn down: no guest, registry, container or mount left"
exit 0
