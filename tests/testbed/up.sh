#!/usr/bin/env bash
# Boots the testbed: a Debian guest with real systemd, dbus and podman under systemd-nspawn
# (UPDATE_AGENT_TESTBED_GUEST: debian12, the default, or debian13), plus a distribution
# registry on the host's 127.0.0.1:5000.
# Prints KEY=VALUE lines (guest PID, socket paths) that the tests read.
# Anything left from an earlier run is torn down first.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_root
require_guest

"$TESTBED_DIR/down.sh" >/dev/null 2>&1 || true
"$TESTBED_DIR/host-deps.sh"
tree=$("$TESTBED_DIR/build-rootfs.sh")

booted=$(date +%s%N)
mkdir -p "$TESTBED_STATE"/{upper,work,root,storage,registry}
# The cached tree stays pristine: every run writes to a fresh overlay.
mount -t overlay overlay \
  -o "lowerdir=$tree,upperdir=$TESTBED_STATE/upper,workdir=$TESTBED_STATE/work" \
  "$TESTBED_STATE/root"
# The guest's configuration, on this boot's overlay (see the files for why each line).
install -m 0644 "$TESTBED_GUEST_DIR/containers.conf" "$TESTBED_STATE/root/etc/containers/containers.conf"
install -D -m 0644 "$TESTBED_DIR/guest/loopback-registry.conf" \
  "$TESTBED_STATE/root/etc/containers/registries.conf.d/50-loopback.conf"

sed -e "s#REGISTRY_ROOT#$TESTBED_STATE/registry#" -e "s#REGISTRY_ADDR#$TESTBED_REGISTRY#" "$TESTBED_DIR/registry.yml" > "$TESTBED_STATE/registry.yml"
setsid docker-registry serve "$TESTBED_STATE/registry.yml" \
  >"$TESTBED_STATE/registry.log" 2>&1 < /dev/null &
echo $! > "$TESTBED_STATE/registry.pid"

# Why each flag: a pure cgroup v2 tree for the guest; all capabilities and the
# bpf + keyring system calls so runc can start containers from inside a unit;
# no machined or host D-Bus needed. Container storage is a bind of host ext4,
# not the overlay, so podman's own overlay driver works inside.
SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 setsid systemd-nspawn -D "$TESTBED_STATE/root" --boot \
  --register=no --keep-unit --capability=all \
  --system-call-filter="bpf @keyring" --console=passive \
  --bind="$TESTBED_STATE/storage:/var/lib/containers" \
  >"$TESTBED_STATE/nspawn.log" 2>&1 < /dev/null &
echo $! > "$TESTBED_STATE/nspawn.pid"

for _ in $(seq 1 300); do
  pid=$(guest_pid || true)
  [ -n "$pid" ] && break
  sleep 0.05
done
[ -n "${pid:-}" ] || { cat "$TESTBED_STATE/nspawn.log" >&2; die "the guest did not start"; }

# is-system-running --wait returns once boot is finished, running or degraded.
# Until the guest's D-Bus is up, systemctl prints nothing; while the process found is not yet the
# guest's systemd (nspawn's own child before it execs), it prints "offline". Either way: ask again.
state=
for _ in $(seq 1 120); do
  state=$(timeout 60 nsenter -t "$pid" -a systemctl is-system-running --wait 2>/dev/null || true)
  case "$state" in ''|offline) ;; *) break;; esac
  sleep 0.25
  pid=$(guest_pid || echo "$pid")
done
case "$state" in
  running|degraded) ;;
  *) cat "$TESTBED_STATE/nspawn.log" >&2; die "guest system state is '$state'";;
esac
# Debian 12's podman package enables podman.socket, Debian 13's (like RHEL 10's) does not: there
# update-agent.service starts it (Wants=podman.socket). The tests reach the API from the host, so
# the socket listens from boot on every guest, as it does on a host that runs the agent.
nsenter -t "$pid" -a systemctl start podman.socket || die "podman.socket did not start in the guest"
if [ "$state" = degraded ]; then
  nsenter -t "$pid" -a systemctl --failed --no-legend >&2 || true
fi

for _ in $(seq 1 200); do
  curl -fsS -o /dev/null "http://$TESTBED_REGISTRY/v2/" && break
  sleep 0.05
done
curl -fsS -o /dev/null "http://$TESTBED_REGISTRY/v2/" || { cat "$TESTBED_STATE/registry.log" >&2; die "the registry did not answer"; }

elapsed_ms=$(( ($(date +%s%N) - booted) / 1000000 ))
podman_version=$(nsenter -t "$pid" -a podman version --format '{{.Client.Version}}' 2>/dev/null || echo unknown)
cat > "$TESTBED_STATE/env" <<ENV
TESTBED_GUEST=$TESTBED_GUEST
TESTBED_PODMAN_VERSION=$podman_version
TESTBED_GUEST_PID=$pid
TESTBED_GUEST_STATE=$state
TESTBED_BOOT_MS=$elapsed_ms
TESTBED_ROOT=/proc/$pid/root
TESTBED_DBUS_SOCKET=/proc/$pid/root/run/dbus/system_bus_socket
TESTBED_PODMAN_SOCKET=/proc/$pid/root/run/podman/podman.sock
TESTBED_JOURNAL_SOCKET=/proc/$pid/root/run/systemd/journal/socket
TESTBED_REGISTRY=$TESTBED_REGISTRY
TESTBED_STATE=$TESTBED_STATE
ENV
log "$TESTBED_GUEST guest (podman $podman_version) is $state, PID $pid, booted in ${elapsed_ms} ms"
cat "$TESTBED_STATE/env"
