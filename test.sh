#!/usr/bin/env bash
# Runs every test of update-agent: the unit tests and the system tests, which
# boot a real systemd + podman guest (tests/testbed) and a loopback registry.
# Needs root. Installs what it needs (Debian packages, cosign) on first use.
#
#   ./test.sh                 build (warnings are errors) and run every test
#   UPDATE_AGENT_SKIP_SYSTEM_TESTS=1 ./test.sh
#                             opt out of the system tests (never set by CI)
set -euo pipefail
cd "$(dirname "$0")"

configuration=${CONFIGURATION:-Release}
filter=()
if [ "${UPDATE_AGENT_SKIP_SYSTEM_TESTS:-}" = 1 ]; then
  printf '\n*** SYSTEM TESTS SKIPPED: UPDATE_AGENT_SKIP_SYSTEM_TESTS=1 is set. ***\n' >&2
  printf '*** Nothing that crosses systemd, podman, the registry, journald or cosign was tested. ***\n\n' >&2
  filter=(--filter 'FullyQualifiedName!~UpdateAgent.SystemTests')
else
  [ "$(id -u)" = 0 ] || { echo "test.sh: the system tests need root (systemd-nspawn); run as root or set UPDATE_AGENT_SKIP_SYSTEM_TESTS=1" >&2; exit 1; }
  tests/testbed/host-deps.sh
  tests/testbed/build-rootfs.sh >/dev/null
  # Whatever happens to the tests, no guest, registry or mount outlives the run.
  trap 'rc=$?; tests/testbed/down.sh || rc=1; exit $rc' EXIT
fi

dotnet build Agent.sln -c "$configuration" -warnaserror -nologo -clp:NoSummary
# The Native AOT binary: proves the publish has no trim or AOT warning, and is what the
# system tests install in the guest (which has no .NET runtime).
dotnet publish src/Agent -c Release -r linux-x64 -p:PublishAot=true -warnaserror -nologo -o artifacts/aot
log=$(mktemp)
set +e
dotnet test Agent.sln -c "$configuration" --no-build --nologo \
  --logger 'console;verbosity=detailed' "${filter[@]}" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" != 0 ]; then
  # The detailed log is long and a reader of its tail should still see what failed and why.
  printf '\n*** FAILED TESTS (the full output is above) ***\n'
  grep -E '^[[:space:]]+Failed UpdateAgent\.' "$log" | head -60 || true
  printf '\n*** THE FIRST FAILURE ***\n'
  awk '/^[[:space:]]+Failed UpdateAgent\./ {p=1} p {print; n++} p && /Stack Trace:/ {s=1} s && ++t > 4 {exit} n >= 40 {exit}' "$log" || true
fi
rm -f "$log"
exit "$status"
