#!/usr/bin/env bash
# A no-op update pass over 20 units on 5 images, registry behind a 40 ms round trip:
# update-agent check next to podman auto-update, on the same testbed, in the same run.
#   bench/run-engine.sh [runs-per-side] [delay-ms] [handshake-ms] [series]
# handshake-ms (default: delay-ms) is what a new TCP connection costs; 0 leaves connections free.
# series (default: none, the 20-unit no-op pass alone) is one of the scale series: 20 (units on 5
# images), 100 (on 25) or 500 (on 100). Each runs the no-op pass, then a pass in which 10 % of the
# images (at least one, rounded up) have a new signed and blessed digest, for
# UPDATE_AGENT_BENCH_CHANGED_RUNS passes per side (default: runs-per-side; 0 leaves the changed
# series out).
# Times the Native AOT publish of update-agent (as shipped); the ports, the state folder and
# UPDATE_AGENT (another binary to time) are in bench/lib.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
case ${4:-} in
  "") shape=(--units 20 --images 5);;
  20) shape=(--units 20 --images 5 --changed 1);;
  100) shape=(--units 100 --images 25 --changed 3);;
  500) shape=(--units 500 --images 100 --changed 10);;
  *) echo "series must be 20, 100 or 500" >&2; exit 2;;
esac
bench_run engine --runs "${1:-5}" --delay-ms "${2:-40}" --handshake-ms "${3:-${2:-40}}" "${shape[@]}" \
  --changed-runs "${UPDATE_AGENT_BENCH_CHANGED_RUNS:-${1:-5}}"
