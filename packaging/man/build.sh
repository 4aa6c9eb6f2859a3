#!/usr/bin/env bash
# Builds the man pages from their markdown in docs/man/ (and docs/policy.md, which
# update-agent-policy(5) includes), with packaging/man/md2man.awk: only bash, awk and gzip.
#
#   packaging/man/build.sh OUT_DIR     writes OUT_DIR/update-agent.8.gz, OUT_DIR/update-agent-policy.5.gz
#
# The pages are compressed with gzip -9n (no name, no time stamp): the same sources give the same
# bytes, so the packages' contents can be checked against a fresh build.
# A line "<!-- include FILE -->" in a page's markdown is replaced by FILE (relative to the page)
# without its first-level heading; its "##" sections become the page's sections.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${1:?usage: packaging/man/build.sh OUT_DIR}
die() { printf 'man/build.sh: %s\n' "$*" >&2; exit 1; }
[ -d "$repo/docs/man" ] || die "no $repo/docs/man: the man pages' sources are missing"
mkdir -p "$out"
for page in "$repo"/docs/man/*.[0-9].md; do
  name=$(basename "$page" .md)
  awk -v dir="$(dirname "$page")" '
    /^<!-- include [^ ]+ -->[ \t]*$/ {
      file = dir "/" $3; skipped = 0
      if ((getline line < file) <= 0) { print "man/build.sh: cannot read " file > "/dev/stderr"; exit 1 }
      do { if (!skipped && line ~ /^# /) { skipped = 1; continue } print line } while ((getline line < file) > 0)
      close(file); next
    }
    { print }' "$page" |
    awk -v manual="update-agent" -v source="update-agent" -f "$here/md2man.awk" |
    gzip -9n > "$out/$name.gz"
done
