#!/usr/bin/env bash
# Builds the Debian package of update-agent from a published Native AOT binary; compiles nothing.
#
#   packaging/deb/build.sh [BINARY_DIR] [OUT_DIR]
#
# BINARY_DIR  holds update-agent (default: artifacts/aot, made by
#             dotnet publish src/Agent -c Release -r linux-x64 -p:PublishAot=true -o artifacts/aot)
# OUT_DIR     where update-agent_VERSION_amd64.deb goes (default: artifacts/packages)
#
# What goes where comes from packaging/files.txt, the version from packaging/VERSION.
# Prints the path of the package it built.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${1:-$repo/artifacts/aot}
out=${2:-$repo/artifacts/packages}

die() { printf 'deb/build.sh: %s\n' "$*" >&2; exit 1; }
command -v dpkg-deb >/dev/null || die "dpkg-deb is not installed (apt-get install dpkg)"
[ -d "$bin" ] || die "no binary directory $bin: publish first (dotnet publish src/Agent -c Release -r linux-x64 -p:PublishAot=true -o artifacts/aot)"
bin=$(cd "$bin" && pwd)
version=$(tr -d '[:space:]' < "$repo/packaging/VERSION")
[[ $version =~ ^[0-9][0-9A-Za-z.+~]*$ ]] || die "packaging/VERSION holds '$version', not a version"

umask 022
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root/DEBIAN"

# The man pages, from their markdown.
"$repo/packaging/man/build.sh" "$work/man"

# The payload, from the manifest.
: > "$root/DEBIAN/conffiles"
while read -r kind mode path source; do
  case $kind in ''|'#'*|*:rpm) continue;; esac
  kind=${kind%:deb}
  case $source in @bin/*) source=$bin/${source#@bin/};; @man/*) source=$work/man/${source#@man/};; -) ;; /*) ;; *) source=$repo/$source;; esac
  case $kind in
    dir) install -d -m "$mode" "$root$path";;
    file|config)
      [ -f "$source" ] || die "$source is missing (for $path)"
      install -D -m "$mode" "$source" "$root$path"
      [ "$kind" = file ] || echo "$path" >> "$root/DEBIAN/conffiles";;
    link) mkdir -p "$root$(dirname "$path")"; ln -s "$source" "$root$path";;
    *) die "packaging/files.txt: unknown kind '$kind' for $path";;
  esac
done < "$repo/packaging/files.txt"

size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size/" "$here/control" > "$root/DEBIAN/control"
for script in postinst prerm postrm; do
  install -m 0755 "$here/$script" "$root/DEBIAN/$script"
done

mkdir -p "$out"
deb=$(cd "$out" && pwd)/update-agent_${version}_amd64.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
