#!/usr/bin/env bash
# Fuzzes one of update-agent's parsers with AFL++ through SharpFuzz.
#
#   bench/fuzz/run.sh PARSER SECONDS   fuzz PARSER for SECONDS, then print one summary line
#   bench/fuzz/run.sh list             the parsers and what each counts as a handled failure
#   bench/fuzz/run.sh replay PARSER FILE|DIR...
#                                      run saved inputs without AFL; prints each crash's exception
#
# Each run publishes the harness (Release, JIT) to bench/fuzz/out/build when the sources changed,
# instruments the product assemblies there, seeds AFL from bench/fuzz/corpus/PARSER (with the
# tokens of bench/fuzz/dict/PARSER.dict where there is one) and writes its findings to
# bench/fuzz/out/runs/PARSER-<time>/ (crashes in default/crashes/). Installs afl++ and the
# sharpfuzz tool when missing. Run one at a time: a campaign takes a whole core.
set -euo pipefail
caller=$PWD
cd "$(dirname "$0")"
fuzz=$PWD
build=$fuzz/out/build
harness=$build/Agent.Fuzz

# The product's own assemblies: SharpFuzz adds AFL's edge coverage to these and nothing else
# (not the harness, not the framework, not third-party packages).
instrumented=(Agent.References.dll Agent.Trust.dll Agent.Core.dll Agent.Podman.dll update-agent.dll)

usage() {
  echo "usage: bench/fuzz/run.sh PARSER SECONDS | list | replay PARSER FILE..." >&2
  exit 2
}

ensure_tools() {
  if ! command -v afl-fuzz >/dev/null; then
    apt-get update -qq && apt-get install -y -qq afl++ >/dev/null
  fi
  export PATH="$PATH:$HOME/.dotnet/tools"
  if ! command -v sharpfuzz >/dev/null; then
    dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0 >/dev/null
  fi
}

# Republishes (and so re-instruments: an assembly is instrumented once) only when a source or
# project file of the harness or the product changed since the last publish.
publish() {
  local stamp=$build/.published
  if [ -f "$stamp" ] && [ -z "$(find Agent.Fuzz ../../src ../../Directory.Build.props ../../Directory.Packages.props \
      \( -name bin -o -name obj \) -prune -o -newer "$stamp" -type f -print -quit)" ]; then
    return
  fi
  rm -rf "$build"
  mkdir -p out
  # Its own artifacts path: a campaign never shares obj/ with a test build of the same projects.
  dotnet publish Agent.Fuzz -c Release -o "$build" --artifacts-path out/artifacts -v q -nologo > out/publish.log 2>&1 \
    || { grep -E "error|warn" out/publish.log >&2; echo "run.sh: the harness did not build (out/publish.log)" >&2; exit 1; }
  for assembly in "${instrumented[@]}"; do
    sharpfuzz "$build/$assembly" >/dev/null
  done
  touch "$stamp"
}

[ $# -ge 1 ] || usage
case $1 in
  list)
    ensure_tools
    publish
    exec "$harness" list
    ;;
  replay)
    [ $# -ge 3 ] || usage
    ensure_tools
    publish
    target=$2
    shift 2
    files=()
    for file in "$@"; do
      [[ $file = /* ]] && files+=("$file") || files+=("$caller/$file")
    done
    exec "$harness" replay "$target" "${files[@]}"
    ;;
esac

[ $# -eq 2 ] || usage
parser=$1
seconds=$2
[[ $seconds =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || usage
[ -d "corpus/$parser" ] || { echo "run.sh: no seeds in bench/fuzz/corpus/$parser; 'run.sh list' names the parsers" >&2; exit 2; }

ensure_tools
publish
"$harness" list | grep -q "^$parser " || { echo "run.sh: the harness has no target '$parser'" >&2; exit 2; }

out=$fuzz/out/runs/$parser-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
# The harness is not an AFL-compiled binary (SharpFuzz speaks the fork-server protocol itself),
# .NET needs seconds to start and JIT, and AFL's UI is replaced by its stats file.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
  AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_FORKSRV_INIT_TMOUT=60000
# A dictionary of the format's tokens and the names the parser knows, where there is one.
dictionary=()
[ -f "dict/$parser.dict" ] && dictionary=(-x "dict/$parser.dict")
afl-fuzz -i "corpus/$parser" -o "$out" -m none -t 5000 -V "$seconds" "${dictionary[@]}" -- "$harness" "$parser" > "$out/afl.log" 2>&1 \
  || { tail -20 "$out/afl.log" >&2; exit 1; }

stats=$out/default/fuzzer_stats
stat() { awk -F: -v k="$1" '$1 ~ "^"k" *$" { gsub(/ /, "", $2); print $2 }' "$stats"; }
execs=$(stat execs_done)
ran=$(( $(stat last_update) - $(stat start_time) ))
[ "$ran" -gt 0 ] || ran=$seconds
crashes=$(find "$out/default/crashes" -type f ! -name README.txt | wc -l)
printf '%s seconds=%s execs=%s execs/s=%s crashes=%s out=%s\n' \
  "$parser" "$ran" "$execs" "$(( execs / ran ))" "$crashes" "${out#"$fuzz"/}"
if [ "$crashes" -gt 0 ]; then
  "$harness" replay "$parser" "$out/default/crashes" >&2 || true
fi
