#!/usr/bin/env bash
# A day of the daemon in minutes: update-agent run over 20 units on 5 images (registry behind a
# 40 ms round trip), driven through PASSES passes by update-agent check, which hands each pass to
# the running daemon. Prints the daemon's RSS and the history store's size after every 1/24 of the
# passes. The default, 2880 passes, is a day at a 30 s interval (30 days at the default 15 min).
#   bench/run-daemon-day.sh [passes=2880] [units=20] [images=5]
# Ports, state folder and UPDATE_AGENT as for run-engine.sh (bench/lib.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
bench_run daemon-day --passes "${1:-2880}" --units "${2:-20}" --images "${3:-5}"
