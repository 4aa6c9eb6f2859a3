# Shared settings of the testbed scripts. Sourced, never run.
# shellcheck shell=bash
TESTBED_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The cached root file systems outlive a clone: they are keyed by what builds them.
TESTBED_CACHE=${UPDATE_AGENT_TESTBED_CACHE:-/var/cache/update-agent-testbed}
# One running testbed per state folder: its processes, mounts and sockets live here. Several may run
# at once (each with its own folder and registry port), but with no systemd on the host nspawn roots
# every guest at the same cgroup, so a systemctl kill in one guest reaches the same unit in another.
TESTBED_STATE=${UPDATE_AGENT_TESTBED_STATE:-/run/update-agent-testbed}
# Ports 5000-5003 are declared insecure (plain HTTP) inside the guest.
TESTBED_REGISTRY=127.0.0.1:${UPDATE_AGENT_TESTBED_REGISTRY_PORT:-5000}
# Which guest boots: a folder of guests/ (debian12: podman 4.3.1; debian13: podman 5.4.2 + Quadlet).
TESTBED_GUEST=${UPDATE_AGENT_TESTBED_GUEST:-debian12}
TESTBED_GUEST_DIR=$TESTBED_DIR/guests/$TESTBED_GUEST

log() { printf 'testbed: %s\n' "$*" >&2; }
die() { printf 'testbed: error: %s\n' "$*" >&2; exit 1; }

require_root() {
  [ "$(id -u)" = 0 ] || die "must run as root (systemd-nspawn, mounts and apt need it)"
}

require_guest() {
  [ -f "$TESTBED_GUEST_DIR/release" ] \
    || die "unknown guest '$TESTBED_GUEST' (UPDATE_AGENT_TESTBED_GUEST): one of $(ls "$TESTBED_DIR/guests" | tr '\n' ' ')"
}

# The key of the cached guest tree: everything that decides what is in it.
rootfs_key() {
  cat "$TESTBED_DIR/build-rootfs.sh" "$TESTBED_GUEST_DIR/release" "$TESTBED_GUEST_DIR/packages" \
    | sha256sum | cut -c1-16
}

# The Debian archive to build guests from: UPDATE_AGENT_DEBIAN_MIRROR, or else the one this
# host's apt already uses (a mirror or a proxy the machine was set up with), never one of ours.
debian_mirror() {
  if [ -n "${UPDATE_AGENT_DEBIAN_MIRROR:-}" ]; then
    echo "${UPDATE_AGENT_DEBIAN_MIRROR%/}"
    return 0
  fi
  local found
  found=$(apt_debian_uris | head -n1)
  [ -n "$found" ] || die "no Debian archive found in apt's configuration (/etc/apt/sources.list.d/*.sources, /etc/apt/sources.list); set UPDATE_AGENT_DEBIAN_MIRROR to one, e.g. UPDATE_AGENT_DEBIAN_MIRROR=http://MIRROR/debian"
  echo "${found%/}"
}

# URIs of apt sources that serve a Debian release's main archive (suite bookworm, trixie, … with
# component main; not -security, -updates or -backports, not a third party's repository).
apt_debian_uris() {
  local files=()
  shopt -s nullglob
  files=(/etc/apt/sources.list.d/*.sources)
  shopt -u nullglob
  if [ ${#files[@]} -gt 0 ]; then
    # deb822: blank-line separated stanzas of Key: value.
    awk 'BEGIN { RS = ""; FS = "\n" }
      {
        types = ""; uris = ""; suites = ""; comps = ""; off = 0
        for (i = 1; i <= NF; i++) {
          line = $i
          if (line ~ /^[ \t]*#/) continue
          split(line, kv, ":"); key = tolower(kv[1]); sub(/^[^:]*:[ \t]*/, "", line)
          if (key == "types") types = line
          else if (key == "uris") uris = line
          else if (key == "suites") suites = line
          else if (key == "components") comps = line
          else if (key == "enabled" && line ~ /^no/) off = 1
        }
        if (off || types !~ /(^|[ \t])deb([ \t]|$)/ || comps !~ /(^|[ \t])main([ \t]|$)/) next
        if (suites !~ /(^|[ \t])(bookworm|trixie|forky|stable|testing|unstable|sid)([ \t]|$)/) next
        n = split(uris, u, /[ \t]+/)
        for (j = 1; j <= n; j++) if (u[j] ~ /^https?:\/\//) print u[j]
      }' "${files[@]}"
  fi
  # One-line format: deb [options] URI SUITE COMPONENT...
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
    | sed -e 's/#.*//' -e 's/\[[^]]*\]//' \
    | awk '$1 == "deb" && $3 ~ /^(bookworm|trixie|forky|stable|testing|unstable|sid)$/ && / main( |$)/ { print $2 }'
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
