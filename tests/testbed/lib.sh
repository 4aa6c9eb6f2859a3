# Shared settings of the testbed scripts. Sourced, never run.
# shellcheck shell=bash
TESTBED_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The cached root file systems outlive a clone: they are keyed by what builds them.
TESTBED_CACHE=${UPDATE_AGENT_TESTBED_CACHE:-/var/cache/update-agent-testbed}
# One running testbed per machine: its processes, mounts and sockets live here.
TESTBED_STATE=${UPDATE_AGENT_TESTBED_STATE:-/run/update-agent-testbed}
# Ports 5000-5003 are declared insecure (plain HTTP) inside the guest.
TESTBED_REGISTRY=127.0.0.1:${UPDATE_AGENT_TESTBED_REGISTRY_PORT:-5000}

log() { printf 'testbed: %s\n' "$*" >&2; }
die() { printf 'testbed: error: %s\n' "$*" >&2; exit 1; }

require_root() {
  [ "$(id -u)" = 0 ] || die "must run as root (systemd-nspawn, mounts and apt need it)"
}

# The key of the cached guest tree: everything that decides what is in it.
rootfs_key() {
  cat "$TESTBED_DIR/guest-packages" "$TESTBED_DIR/build-rootfs.sh" "$TESTBED_DIR"/guest/* \
    | sha256sum | cut -c1-16
}

# PID 1 of the guest: the child of systemd-nspawn that runs systemd. While
# nspawn sets up, its child is an intermediate process that exits again.
guest_pid() {
  local nspawn child
  nspawn=$(cat "$TESTBED_STATE/nspawn.pid" 2>/dev/null) || return 1
  for child in $(pgrep -P "$nspawn"); do
    if [ "$(cat "/proc/$child/comm" 2>/dev/null)" = systemd ]; then
      echo "$child"
      return 0
    fi
  done
  return 1
}

# Runs a command inside every namespace of the guest.
in_guest() {
  local pid
  pid=$(guest_pid) || die "no testbed is running"
  nsenter -t "$pid" -a "$@"
}
