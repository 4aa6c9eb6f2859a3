#!/usr/bin/env bash
# Builds the RPM of update-agent from a published Native AOT binary; compiles nothing.
#
#   packaging/rpm/build.sh [BINARY_DIR] [OUT_DIR]
#
# BINARY_DIR  holds update-agent (default: artifacts/aot, made by
#             dotnet publish src/Agent -c Release -r linux-x64 -p:PublishAot=true -o artifacts/aot)
# OUT_DIR     where update-agent-VERSION-1.x86_64.rpm goes (default: artifacts/packages)
#
# rpmbuild runs with a private _topdir; on Debian it comes from the rpm package.
# Prints the path of the package it built.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${1:-$repo/artifacts/aot}
out=${2:-$repo/artifacts/packages}

die() { printf 'rpm/build.sh: %s\n' "$*" >&2; exit 1; }
command -v rpmbuild >/dev/null || die "rpmbuild is not installed (Debian: apt-get install rpm)"
[ -d "$bin" ] || die "no binary directory $bin: publish first (dotnet publish src/Agent -c Release -r linux-x64 -p:PublishAot=true -o artifacts/aot)"
bin=$(cd "$bin" && pwd)
[ -f "$bin/update-agent" ] || die "$bin/update-agent is missing"
version=$(tr -d '[:space:]' < "$repo/packaging/VERSION")
[[ $version =~ ^[0-9][0-9A-Za-z.+~]*$ ]] || die "packaging/VERSION holds '$version', not a version"

umask 022
top=$(mktemp -d)
trap 'rm -rf "$top"' EXIT
mkdir -p "$out"
out=$(cd "$out" && pwd)
"$repo/packaging/man/build.sh" "$top/man"
if ! rpmbuild -bb --target x86_64-linux \
    --define "_topdir $top" \
    --define "_rpmdir $out" \
    --define "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm" \
    --define "ua_version $version" \
    --define "ua_repo $repo" \
    --define "ua_bin $bin" \
    --define "ua_man $top/man" \
    "$here/update-agent.spec" > "$top/rpmbuild.log" 2>&1; then
  cat "$top/rpmbuild.log" >&2
  die "rpmbuild failed"
fi
echo "$out/update-agent-$version-1.x86_64.rpm"
