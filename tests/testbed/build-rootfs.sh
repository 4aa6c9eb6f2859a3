#!/usr/bin/env bash
# Builds the root file system of one guest (UPDATE_AGENT_TESTBED_GUEST, a folder of guests/:
# its Debian release and packages) once and caches it under $TESTBED_CACHE, keyed by what
# shapes it. Prints the path of the finished tree. The guest's configuration files go onto
# each boot's overlay (up.sh), so changing one needs no rebuild.
# The Debian archive is the one this host's apt uses, or UPDATE_AGENT_DEBIAN_MIRROR.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_root
require_guest

key=$(rootfs_key)
tree="$TESTBED_CACHE/rootfs-$TESTBED_GUEST-$key"
if [ -f "$tree/.complete" ]; then
  echo "$tree"
  exit 0
fi

mkdir -p "$TESTBED_CACHE"
exec 9>"$TESTBED_CACHE/build.lock"
flock 9
[ -f "$tree/.complete" ] && { echo "$tree"; exit 0; }

release=$(cat "$TESTBED_GUEST_DIR/release")
mirror=$(debian_mirror)
started=$(date +%s)
partial="$tree.partial"
rm -rf "$partial"
log "building the $TESTBED_GUEST guest ($release from $mirror) in $partial (about two minutes, once)"
# Podman cannot go to --include: debootstrap does not resolve the virtual
# package container-network-stack, so it is installed in a second step.
debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus \
  "$release" "$partial" "$mirror" >&2
cp /etc/resolv.conf "$partial/etc/resolv.conf"
mapfile -t packages < <(grep -v '^#' "$TESTBED_GUEST_DIR/packages")
chroot "$partial" apt-get install -y -q "${packages[@]}" >&2
chroot "$partial" apt-get clean
echo testbed > "$partial/etc/hostname"
# No console login prompts or network configuration jobs slow the boot.
rm -f "$partial/etc/systemd/system/getty.target.wants/"* 2>/dev/null || true
# A container has no kernel modules to load: on systemd 257 this unit fails and the guest
# would boot 'degraded' for a reason that says nothing about what is tested.
ln -sf /dev/null "$partial/etc/systemd/system/systemd-modules-load.service"
touch "$partial/.complete"
rm -rf "$tree"
mv "$partial" "$tree"
# Older trees of this guest are from other package lists; they only take space. A tree that a
# running testbed still has mounted (another checkout's) is left alone.
for old in "$TESTBED_CACHE"/rootfs-"$TESTBED_GUEST"-*; do
  [ "$old" = "$tree" ] && continue
  grep -qF "lowerdir=$old" /proc/mounts && continue
  rm -rf "$old"
done
log "$TESTBED_GUEST guest root file system built in $(( $(date +%s) - started )) s"
echo "$tree"
