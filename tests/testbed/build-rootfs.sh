#!/usr/bin/env bash
# Builds the guest root file system (Debian 12 with systemd, dbus, podman, runc)
# once and caches it under $TESTBED_CACHE, keyed by everything that shapes it.
# Prints the path of the finished tree.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_root

key=$(rootfs_key)
tree="$TESTBED_CACHE/rootfs-$key"
if [ -f "$tree/.complete" ]; then
  echo "$tree"
  exit 0
fi

mkdir -p "$TESTBED_CACHE"
exec 9>"$TESTBED_CACHE/build.lock"
flock 9
[ -f "$tree/.complete" ] && { echo "$tree"; exit 0; }

started=$(date +%s)
partial="$tree.partial"
rm -rf "$partial"
log "building the guest root file system in $partial (about two minutes, once)"
# Podman cannot go to --include: debootstrap does not resolve the virtual
# package container-network-stack, so it is installed in a second step.
debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus \
  bookworm "$partial" http://deb.debian.org/debian >&2
cp /etc/resolv.conf "$partial/etc/resolv.conf"
mapfile -t packages < <(grep -v '^#' "$TESTBED_DIR/guest-packages")
chroot "$partial" apt-get install -y -q "${packages[@]}" >&2
chroot "$partial" apt-get clean
install -m 0644 "$TESTBED_DIR/guest/containers.conf" "$partial/etc/containers/containers.conf"
mkdir -p "$partial/etc/containers/registries.conf.d"
install -m 0644 "$TESTBED_DIR/guest/loopback-registry.conf" \
  "$partial/etc/containers/registries.conf.d/50-loopback.conf"
echo testbed > "$partial/etc/hostname"
# No console login prompts or network configuration jobs slow the boot.
rm -f "$partial/etc/systemd/system/getty.target.wants/"* 2>/dev/null || true
touch "$partial/.complete"
rm -rf "$tree"
mv "$partial" "$tree"
# Older trees are from other package lists; they only take space.
find "$TESTBED_CACHE" -maxdepth 1 -name 'rootfs-*' ! -name "rootfs-$key" -exec rm -rf {} +
log "guest root file system built in $(( $(date +%s) - started )) s"
echo "$tree"
