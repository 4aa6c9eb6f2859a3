#!/usr/bin/env bash
# The fault matrix (tests/Agent.SystemTests/Faults) on both guests, summed up in bench/faults.md:
# one row per cell that held, with what the faulty pass reported and what the next pass found.
#   bench/faults.sh            (as root; boots its own testbed, tears it down on exit)
# ./test.sh runs the same cells; this script only writes the table.
set -euo pipefail
cd "$(dirname "$0")/.."
export UPDATE_AGENT_TESTBED_STATE=${UPDATE_AGENT_TESTBED_STATE:-/run/uat-faults}
export UPDATE_AGENT_TESTBED_REGISTRY_PORT=${UPDATE_AGENT_TESTBED_REGISTRY_PORT:-5002}
rows=$(mktemp)
trap 'rm -f "$rows"; tests/testbed/down.sh >/dev/null 2>&1 || true' EXIT
dotnet publish src/Agent -c Release -r linux-x64 -p:PublishAot=true -warnaserror -o artifacts/aot -v q -nologo >/dev/null
dotnet build tests/Agent.SystemTests -c Release -v q -nologo >/dev/null
failed=0
for guest in debian12 debian13; do
  UPDATE_AGENT_TESTBED_GUEST=$guest tests/testbed/build-rootfs.sh >/dev/null
  UPDATE_AGENT_TESTBED_GUEST=$guest UPDATE_AGENT_FAULTS_TABLE=$rows \
    dotnet test tests/Agent.SystemTests -c Release --no-build --filter "FullyQualifiedName~.Faults." || failed=1
  tests/testbed/down.sh >/dev/null 2>&1 || true
done
cells=$(grep -c . "$rows" || true)
{
  echo "# Fault matrix"
  echo
  echo "Written by \`bench/faults.sh\` on $(date -u +%Y-%m-%d) at commit $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (with local changes)'):"
  echo "$cells cells held$([ "$failed" = 0 ] || echo '; SOME CELLS FAILED: see the test output')."
  echo
  echo "Each cell runs a real update in the testbed guest, holds it after the step named (the agent"
  echo "waits on a file, \`UPDATE_AGENT_FAULT_PAUSE_AFTER\`), breaks one part, lets it go on, then runs"
  echo "one more pass with the part back. A cell holds when: the unit runs the old or the new release and,"
  echo "on the new one, is reported updated or says why not; no exit by a signal or unhandled exception;"
  echo "no history record in progress and no step with an intent but no outcome; the next pass ends on"
  echo "the release a pass without the fault ends on (the new one; the old one when the candidate fails"
  echo "its health gate, which is how the rollback step is reached), with the unit active."
  echo "SIGKILL and SIGTERM at each step are \`CrashRecoveryTests\`, run by \`./test.sh\` too."
  echo
  echo "| fault | after step | guest | the faulty pass | the next pass | cell |"
  echo "|---|---|---|---|---|---|"
  sort "$rows"
} > bench/faults.md
echo "bench/faults.md: $cells cells held"
exit $failed
