#!/usr/bin/env bash
# Builds a tiny test image (busybox, no base image needed: nothing but the
# loopback registry is reachable) and pushes it to the testbed registry.
#   image.sh REPO:TAG [--label KEY=VALUE]... [--cmd JSON-ARRAY] [--no-health-file]
# --no-health-file leaves /www/health out, so a health check that reads it fails.
# Prints the pushed manifest digest (sha256:...).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: image.sh REPO:TAG [--label KEY=VALUE]... [--cmd JSON-ARRAY]"
ref=$1; shift
changes=()
# httpd under a shell that exits on SIGTERM (bin/serve): as PID 1 httpd itself would ignore it, and
# every stop (podman's default: 10 s) would wait for the SIGKILL, as it does not for a real service.
cmd='["/bin/serve"]'
health_file=yes
while [ $# -gt 0 ]; do
  case $1 in
    --label) changes+=(--change "LABEL=$2"); shift 2;;
    --cmd) cmd=$2; shift 2;;
    --no-health-file) health_file=no; shift;;
    *) die "unknown option $1";;
  esac
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root/bin" "$work/root/www" "$work/root/tmp"
cp "$(command -v busybox)" "$work/root/bin/busybox"
for applet in sh httpd sleep wget cat echo test true false kill; do
  ln -s busybox "$work/root/bin/$applet"
done
printf '#!/bin/sh\ntrap "exit 0" TERM\n/bin/httpd -f -p ${1:-8080} -h /www &\nwait\n' > "$work/root/bin/serve"
chmod 755 "$work/root/bin/serve"
if [ $health_file = yes ]; then echo ok > "$work/root/www/health"; fi
echo "$ref" > "$work/root/www/index.html"
tar -C "$work/root" --owner=0 --group=0 -cf "$work/rootfs.tar" .
local_ref="localhost/update-agent-test/${ref#*/}"
podman import --quiet --change "CMD=$cmd" "${changes[@]}" "$work/rootfs.tar" "$local_ref" >/dev/null
podman push --quiet --tls-verify=false --format oci --digestfile "$work/digest" \
  "$local_ref" "docker://$ref" >&2
podman rmi --force "$local_ref" >/dev/null 2>&1 || true
cat "$work/digest"; echo
