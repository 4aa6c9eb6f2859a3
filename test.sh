#!/usr/bin/env bash
# Runs every test of update-agent: the unit tests and the system tests, which
# boot a real systemd + podman guest (tests/testbed) and a loopback registry.
# Needs root. Installs what it needs (Debian packages, cosign) on first use.
#
#   ./test.sh                 build (warnings are errors) and run every test
#   UPDATE_AGENT_SKIP_SYSTEM_TESTS=1 ./test.sh
#                             opt out of the system tests (never set by CI)
#   UPDATE_AGENT_TESTBED_GUESTS=debian13 ./test.sh
#                             the system tests on these guests only (default: debian12 debian13)
set -euo pipefail
cd "$(dirname "$0")"

configuration=${CONFIGURATION:-Release}
# Every system test runs once per guest: Debian 12 (podman 4.3.1, runc) and Debian 13
# (podman 5.4.2, crun, Quadlet: the closest to the RHEL 10 hosts update-agent is for).
read -r -a guests <<< "${UPDATE_AGENT_TESTBED_GUESTS:-debian12 debian13}"
system=yes
if [ "${UPDATE_AGENT_SKIP_SYSTEM_TESTS:-}" = 1 ]; then
  printf '\n*** SYSTEM TESTS SKIPPED: UPDATE_AGENT_SKIP_SYSTEM_TESTS=1 is set. ***\n' >&2
  printf '*** Nothing that crosses systemd, podman, the registry, journald or cosign was tested. ***\n\n' >&2
  system=no
else
  [ "$(id -u)" = 0 ] || { echo "test.sh: the system tests need root (systemd-nspawn); run as root or set UPDATE_AGENT_SKIP_SYSTEM_TESTS=1" >&2; exit 1; }
  tests/testbed/host-deps.sh
  for guest in "${guests[@]}"; do
    UPDATE_AGENT_TESTBED_GUEST=$guest tests/testbed/build-rootfs.sh >/dev/null
  done
  # Whatever happens to the tests, no guest, registry or mount outlives the run.
  trap 'rc=$?; tests/testbed/down.sh || rc=1; exit $rc' EXIT
fi

started=$(date +%s)
dotnet build Agent.sln -c "$configuration" -warnaserror -nologo -clp:NoSummary
# The Native AOT binary: proves the publish has no trim or AOT warning, and is what the
# system tests install in the guest (which has no .NET runtime).
dotnet publish src/Agent -c Release -r linux-x64 -p:PublishAot=true -warnaserror -nologo -o artifacts/aot

log=$(mktemp)
status=0
failed_runs=()
run_tests() { # NAME, dotnet test arguments...
  local name=$1; shift
  printf '\n*** %s ***\n' "$name"
  set +e
  dotnet test "$@" -c "$configuration" --no-build --nologo --logger 'console;verbosity=detailed' 2>&1 | tee -a "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  if [ "$rc" != 0 ]; then status=$rc; failed_runs+=("$name"); fi
}

run_tests "unit tests" Agent.sln --filter 'FullyQualifiedName!~UpdateAgent.SystemTests'
if [ $system = yes ]; then
  for guest in "${guests[@]}"; do
    about=$(cat "tests/testbed/guests/$guest/about")
    # Tests marked [OnlyOnGuest(g, reason)] run on guest g only: said here, with the reason.
    only_elsewhere=$(grep -rhoE "OnlyOnGuest\(Guests\.[A-Za-z0-9]+" tests/Agent.SystemTests --include='*.cs' \
      | sed 's/.*Guests\.//' | tr 'A-Z' 'a-z' | sort -u | grep -vx "$guest" || true)
    filter=()
    for other in $only_elsewhere; do
      filter+=("Guest!=$other")
      printf '\n*** on %s, left out: the tests for %s only:\n' "$guest" "$other"
      other_name=$(sed 's/^./\u&/' <<< "$other")
      # The reason is the attribute's string, or the Reason constant the attribute names.
      grep -rlE "OnlyOnGuest\(Guests\.$other_name" tests/Agent.SystemTests --include='*.cs' \
        | while read -r file; do
            reason=$(grep -hoE "OnlyOnGuest\(Guests\.$other_name, \"[^\"]*\"" "$file" | head -n1 | cut -d'"' -f2 || true)
            [ -n "$reason" ] || reason=$(grep -hoE 'Reason = "[^"]*"' "$file" | head -n1 | cut -d'"' -f2 || true)
            printf '***   %s (%s)\n' "$file" "$reason"
          done
    done
    joined=$(IFS='&'; echo "${filter[*]:-}")
    UPDATE_AGENT_TESTBED_GUEST=$guest run_tests "system tests on $guest: $about" \
      tests/Agent.SystemTests ${joined:+--filter "$joined"}
  done
fi
printf '\n*** test.sh took %d s ***\n' "$(( $(date +%s) - started ))"
if [ "$status" != 0 ]; then
  # The detailed log is long and a reader of its tail should still see what failed and why.
  printf '\n*** FAILED: %s ***\n' "${failed_runs[*]}"
  printf '\n*** FAILED TESTS (the full output is above) ***\n'
  grep -E '^[[:space:]]+Failed UpdateAgent\.' "$log" | head -60 || true
  printf '\n*** THE FIRST FAILURE ***\n'
  awk '/^[[:space:]]+Failed UpdateAgent\./ {p=1} p {print; n++} p && /Stack Trace:/ {s=1} s && ++t > 4 {exit} n >= 40 {exit}' "$log" || true
fi
rm -f "$log"
exit "$status"
