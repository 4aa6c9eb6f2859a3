#!/usr/bin/env bash
# Development check, not run by CI: the conformance shim against every case of
# sigstore-conformance's test/assets/bundle-verify, with the arguments the suite's
# harness passes (test/client.py, BundleMaterials.from_dir): each case twice, once with
# the artifact's path and once with its sha256: digest; a case named *_fail must fail
# both times, any other must verify both times.
#
#   tests/Agent.ConformanceShim/run-conformance.sh MIRROR [PUBLIC_GOOD_TRUSTED_ROOT]
#
# MIRROR is a git directory of github.com/sigstore/sigstore-conformance (bare is fine).
# Cases without their own trusted_root.json use the public-good instance; the shim has no
# TUF client, so they are skipped unless PUBLIC_GOOD_TRUSTED_ROOT names that root (e.g.
# sigstore-python's sigstore/_store/https%3A%2F%2Ftuf-repo-cdn.sigstore.dev/trusted_root.json).
# Prints one line per case and counts per category; exits 1 if any case failed.
set -euo pipefail
cd "$(dirname "$0")/../.."

mirror=${1:?usage: run-conformance.sh MIRROR [PUBLIC_GOOD_TRUSTED_ROOT]}
public_root=${2:-}
[ -z "$public_root" ] || public_root=$(realpath "$public_root")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git --git-dir="$mirror" archive HEAD test/assets/bundle-verify | tar -x -C "$work"
assets=$work/test/assets/bundle-verify

dotnet build tests/Agent.ConformanceShim -c Release -nologo -v quiet -clp:NoSummary >/dev/null
shim=$(realpath tests/Agent.ConformanceShim/bin/Release/net10.0/Agent.ConformanceShim.dll)

identity_default="https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
issuer_default="https://token.actions.githubusercontent.com"

# dsse / managed-key / message (keyless message signature), and the Rekor generation of the entry.
category() {
  python3 - "$1" <<'EOF' 2>/dev/null || echo "unparsable"
import json, sys, os
d = sys.argv[1]
b = json.load(open(os.path.join(d, "bundle.sigstore.json")))
material = b.get("verificationMaterial", {})
kv = (material.get("tlogEntries") or [{}])[0].get("kindVersion", {})
# Rekor v2 writes hashedrekord and dsse v0.0.2; intoto v0.0.2 is a Rekor v1 type.
rekor = "rekor2" if kv.get("kind") in ("hashedrekord", "dsse") and kv.get("version") == "0.0.2" else "rekor1"
kind = "dsse" if "dsseEnvelope" in b else "managed-key" if "publicKey" in material else "message"
print(f"{kind}/{rekor}")
EOF
}

declare -A passed failed skipped
total_failed=0
for dir in "$assets"/*/; do
  dir=${dir%/}
  name=$(basename "$dir")
  cat=$(category "$dir")
  args=(verify-bundle --bundle "$dir/bundle.sigstore.json")
  if [ -f "$dir/key.pub" ]; then
    args+=(--key "$dir/key.pub")
  else
    identity=$identity_default issuer=$issuer_default
    [ ! -f "$dir/identity" ] || identity=$(tr -d '\n' < "$dir/identity")
    [ ! -f "$dir/issuer" ] || issuer=$(tr -d '\n' < "$dir/issuer")
    args+=(--certificate-identity "$identity" --certificate-oidc-issuer "$issuer")
  fi
  if [ -f "$dir/trusted_root.json" ]; then
    args+=(--trusted-root "$dir/trusted_root.json")
  elif [ -n "$public_root" ]; then
    args+=(--trusted-root "$public_root")
  else
    skipped[$cat]=$(( ${skipped[$cat]:-0} + 1 ))
    printf 'SKIP %-18s %s (needs the public-good trusted root)\n' "$cat" "$name"
    continue
  fi
  artifact=$assets/a.txt
  [ ! -f "$dir/artifact" ] || artifact=$dir/artifact
  digest="sha256:$(sha256sum "$artifact" | cut -d' ' -f1)"
  verdict=ok why=""
  for input in "$artifact" "$digest"; do
    set +e
    out=$(cd "$assets" && dotnet "$shim" "${args[@]}" "$input" 2>&1)
    rc=$?
    set -e
    why=${out%%$'\n'*}
    case $name in
      *_fail) [ "$rc" != 0 ] || verdict=bad ;;
      *) [ "$rc" = 0 ] || verdict=bad ;;
    esac
  done
  if [ $verdict = ok ]; then
    passed[$cat]=$(( ${passed[$cat]:-0} + 1 ))
    printf 'PASS %-18s %s: %s\n' "$cat" "$name" "$why"
  else
    failed[$cat]=$(( ${failed[$cat]:-0} + 1 ))
    total_failed=$(( total_failed + 1 ))
    printf 'FAIL %-18s %s: %s\n' "$cat" "$name" "$why"
  fi
done

echo
printf '%-20s %6s %6s %7s\n' category passed failed skipped
for cat in $(printf '%s\n' "${!passed[@]}" "${!failed[@]}" "${!skipped[@]}" | sort -u); do
  printf '%-20s %6s %6s %7s\n' "$cat" "${passed[$cat]:-0}" "${failed[$cat]:-0}" "${skipped[$cat]:-0}"
done
[ "$total_failed" = 0 ]
