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
# What the figures are of: the commit, and whether anything but this table differed from it.
commit=$(git rev-parse --short HEAD)
git diff --quiet HEAD -- . ':!bench/faults.md' || commit="$commit (with local changes)"
trap 'rm -f "$rows"; tests/testbed/down.sh >/dev/null 2>&1 || true' EXIT
dotnet publish src/Agent -c Release -r linux-x64 -p:PublishAot=true -warnaserror -o artifacts/aot -v q -nologo >/dev/null
dotnet build tests/Agent.SystemTests -c Release -v q -nologo >/dev/null
failed=0
for guest in debian12 debian13; do
  UPDATE_AGENT_TESTBED_GUEST=$guest tests/testbed/build-rootfs.sh >/dev/null
  # A cell marked [OnlyOnGuest] runs on that guest only, as in test.sh.
  others=$(printf '%s\n' debian12 debian13 | grep -vx "$guest" | sed 's/^/\&Guest!=/' | tr -d '\n')
  UPDATE_AGENT_TESTBED_GUEST=$guest UPDATE_AGENT_FAULTS_TABLE=$rows \
    dotnet test tests/Agent.SystemTests -c Release --no-build --filter "FullyQualifiedName~.Faults.$others" || failed=1
  tests/testbed/down.sh >/dev/null 2>&1 || true
done
cells=$(grep -c . "$rows" || true)
{
  echo "# Fault matrix"
  echo
  echo "Written by \`bench/faults.sh\` on $(date -u +%Y-%m-%d) at commit $commit:"
  echo "$cells cells held$([ "$failed" = 0 ] || echo '; SOME CELLS FAILED: see the test output')."
  echo
  echo "Each cell runs a real update in the testbed guest and breaks one part at one step of it."
  echo "Most cells hold the agent after the step named (it waits on a file, \`UPDATE_AGENT_FAULT_PAUSE_AFTER\`),"
  echo "break the part (the guest's podman service or system bus killed, the agent's state directory"
  echo "filled to the last block on a 4 MB tmpfs), let it go on, and mend the part. Clock cells step the"
  echo "agent's wall clock an hour (\`UPDATE_AGENT_FAULT_CLOCK_STEP\`) and leave it stepped for the next pass."
  echo "Registry cells put a fault proxy between the agent and podman and the registry, failing from the"
  echo "start of the pass (\"during resolve\"), once the candidate is resolved (\"during verify\") or once it is"
  echo "verified (\"during pull\", podman's pull); the next pass there is a dry run with the registry well"
  echo "again, and a real pass after the three cells moves the unit to the newest release."
  echo
  echo "A cell holds when: the unit runs the old or the new release and, on the new one, is reported"
  echo "updated or says why not (on the old one, with a newer release waiting, never \"up to date\");"
  echo "no exit by a signal or unhandled exception; no history record in progress and no step with an"
  echo "intent but no outcome; the next pass ends on the release a pass without the fault ends on (the"
  echo "new one; the old one when the candidate fails its health gate, which is how the rollback step is"
  echo "reached), with the unit active. Cells marked for one guest run there only: what they break is"
  echo "the agent's own (its clock, its disk, its registry client), the same whatever the guest."
  echo "Signal cells send the agent SIGTERM (what \`systemctl stop\` sends) or SIGKILL right after the step;"
  echo "\`CrashRecoveryTests\` (run by \`./test.sh\` too) adds SIGKILL after pull, tag, restart and health gate on"
  echo "both guests, and SIGTERM during a soak with a unit slow to stop. \"After rollback\" strikes once the"
  echo "previous images are tagged again and before the unit restarts on them. \"After recovery\" cells first"
  echo "kill the agent right after it moved the image tag (the unit not restarted yet), then strike the next"
  echo "pass once its recovery, which puts the previous image back, has found the units."
  echo "A stop (SIGTERM) is no verdict: a cell where it ends in \"failed\" does not hold."
  echo "\"(daemon)\" cells run the daemon, which keeps its podman and bus connections and its store open"
  echo "from pass to pass, as a service of the guest; the part breaks between two passes handed to it by"
  echo "\`update-agent check\`, and the daemon must still be active after each."
  echo
  echo "| fault | when | guest | the faulty pass | the next pass | cell |"
  echo "|---|---|---|---|---|---|"
  sort "$rows"
} > bench/faults.md
echo "bench/faults.md: $cells cells held"
exit $failed
