#!/usr/bin/env bash
# Installs update-agent on a systemd + Podman host. Not implemented yet: the
# install and migration from podman-auto-update.timer come with a later change.
set -euo pipefail
echo "install.sh: not yet — update-agent cannot be installed on a host yet." >&2
echo "install.sh: see README.md for what works today (./test.sh runs everything in a testbed)." >&2
exit 1
