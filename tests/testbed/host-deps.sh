#!/usr/bin/env bash
# Installs what the tests need on the host, once: the testbed's tools, a
# distribution registry, busybox for test images, dbus-daemon, and cosign
# (Debian 13's static build; Debian 12 has none). Idempotent.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need=()
for pair in systemd-nspawn:systemd-container debootstrap:debootstrap podman:podman \
            runc:runc skopeo:skopeo docker-registry:docker-registry dbus-daemon:dbus \
            busctl:systemd busybox:busybox-static nsenter:util-linux curl:curl \
            jq:jq rpmbuild:rpm dpkg-deb:dpkg; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
has_cosign=yes
command -v cosign >/dev/null 2>&1 || has_cosign=no

if [ ${#need[@]} -eq 0 ] && [ $has_cosign = yes ]; then
  exit 0
fi
require_root
export DEBIAN_FRONTEND=noninteractive
if [ $has_cosign = no ] && [ ! -f /etc/apt/sources.list.d/update-agent-trixie.sources ] \
   && ! grep -rqs 'trixie' /etc/apt/sources.list.d/; then
  # The same Debian archive this host's apt already uses; only what is named with -t trixie
  # comes from Debian 13.
  mirror=$(debian_mirror)
  cat > /etc/apt/sources.list.d/update-agent-trixie.sources <<SRC
Types: deb
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  cat > /etc/apt/preferences.d/update-agent-trixie <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
fi
log "installing host packages: ${need[*]} $([ $has_cosign = no ] && echo cosign)"
apt-get update -q >&2
[ ${#need[@]} -eq 0 ] || apt-get install -y -q "${need[@]}" >&2
[ $has_cosign = yes ] || apt-get install -y -q -t trixie cosign >&2
