#!/usr/bin/env bash
# Installs update-agent on a systemd + Podman host and moves the host off
# podman-auto-update.timer. Idempotent.
#
#   sudo ./install.sh                  build the Native AOT binary (needs the .NET SDK) and install
#   sudo ./install.sh --binary PATH    install a binary built elsewhere (dotnet publish ... -p:PublishAot=true)
#   sudo ./install.sh --dry-run        print what would be done, change nothing
#   sudo ./install.sh --uninstall      remove update-agent and the guard drop-ins copied as shipped; re-enable
#                                      podman-auto-update.timer if it was enabled
#
# Files: /usr/lib/update-agent/ (binary, defaults), /usr/bin/update-agent, the unit, tmpfiles,
# journal catalog, /etc/update-agent/policy.toml (only if absent) and the guard drop-in template.
# Needs the system's SQLite (libsqlite3.so.0: sqlite-libs on Fedora/RHEL, libsqlite3-0 on Debian).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

binary=""
mode=install
dry=no
while [ $# -gt 0 ]; do
  case $1 in
    --binary) binary=$2; shift 2;;
    --uninstall) mode=uninstall; shift;;
    --dry-run) dry=yes; shift;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2;;
  esac
done

LIB=/usr/lib/update-agent
STATE=/var/lib/update-agent
MANIFEST=$STATE/install-manifest
TIMER=podman-auto-update.timer

say() { printf 'install.sh: %s\n' "$*"; }
run() { if [ $dry = yes ]; then printf 'would run: %s\n' "$*"; else "$@"; fi; }
put() { # SOURCE DEST MODE: install a file and remember it for --uninstall
  if [ $dry = yes ]; then printf 'would install: %s -> %s (mode %s)\n' "$1" "$2" "$3"; return; fi
  install -D -m "$3" "$1" "$2"
  grep -qxF "$2" "$MANIFEST" 2>/dev/null || echo "$2" >> "$MANIFEST"
}

[ "$(id -u)" = 0 ] || { echo "install.sh: run as root (sudo ./install.sh)" >&2; exit 2; }
if [ ! -d /run/systemd/system ] || [ "$(cat /proc/1/comm 2>/dev/null)" != systemd ]; then
  echo "install.sh: this host does not run systemd as PID 1, and update-agent manages systemd units." >&2
  echo "install.sh: to see it work anyway, run the demo in a throw-away systemd guest: tests/testbed/demo.sh" >&2
  exit 2
fi
command -v podman >/dev/null || { echo "install.sh: podman is not installed" >&2; exit 2; }

# Guard drop-ins (units/update-agent-guard.conf copied to UNIT.service.d/ as the README says): after
# uninstall their ExecStartPre= names a binary that is gone and the unit would not start. Copies of
# the shipped file are removed; other drop-ins that mention update-agent are listed, not touched.
remove_guard_dropins() {
  local dropin kept=()
  for dropin in /etc/systemd/system/*.d/*.conf /run/systemd/system/*.d/*.conf; do
    [ -f "$dropin" ] && grep -q 'update-agent' "$dropin" 2>/dev/null || continue
    if [ "$(basename "$dropin")" = update-agent-guard.conf ] && { cmp -s "$dropin" "$here/units/update-agent-guard.conf" ||
        cmp -s "$dropin" /usr/share/update-agent/update-agent-guard.conf; }; then
      say "removing the guard drop-in $dropin"
      run rm -f "$dropin"
      run rmdir --ignore-fail-on-non-empty "$(dirname "$dropin")"
    else
      kept+=("$dropin")
    fi
  done
  if [ ${#kept[@]} -gt 0 ]; then
    say "these drop-ins mention update-agent but are not the shipped guard as it was installed, so they are kept;"
    say "remove them (then systemctl daemon-reload), or the units they change may not start without update-agent:"
    printf '  %s\n' "${kept[@]}"
  fi
}

uninstall() {
  say "stopping and disabling update-agent.service"
  run systemctl disable --now update-agent.service 2>/dev/null || true
  remove_guard_dropins
  if [ -f "$MANIFEST" ]; then
    while read -r file; do
      if [ "$file" = /etc/update-agent/policy.toml ] && ! cmp -s "$file" "$LIB/policy.example.toml" 2>/dev/null; then
        say "keeping $file: it was changed after install"
        continue
      fi
      run rm -f "$file"
    done < "$MANIFEST"
  fi
  run rm -rf "$LIB"
  run rmdir --ignore-fail-on-non-empty /etc/update-agent/agent.d /etc/update-agent 2>/dev/null || true
  if [ "$(cat "$STATE/timer-was-enabled" 2>/dev/null)" = yes ]; then
    say "re-enabling $TIMER, as it was before update-agent"
    run systemctl enable --now "$TIMER"
  fi
  run rm -rf "$STATE"
  command -v journalctl >/dev/null && run journalctl --update-catalog || true
  run systemctl daemon-reload
  say "update-agent is removed"
}

if [ $mode = uninstall ]; then
  uninstall
  exit 0
fi

# The history store uses the OS's SQLite, which gets its security fixes with the OS.
has_system_sqlite() {
  ldconfig -p 2>/dev/null | grep -qF 'libsqlite3.so.0 ' && return 0
  local dir
  for dir in /usr/lib64 /usr/lib/x86_64-linux-gnu /usr/lib /lib64 /lib/x86_64-linux-gnu; do
    [ -e "$dir/libsqlite3.so.0" ] && return 0
  done
  return 1
}
if ! has_system_sqlite; then
  if grep -qsE '^ID(_LIKE)?=.*(rhel|fedora|centos)' /etc/os-release; then hint="dnf install sqlite-libs"
  elif grep -qsE '^ID(_LIKE)?=.*(debian|ubuntu)' /etc/os-release; then hint="apt-get install libsqlite3-0"
  else hint="install sqlite-libs (Fedora, RHEL) or libsqlite3-0 (Debian, Ubuntu)"; fi
  echo "install.sh: the system SQLite library (libsqlite3.so.0) is missing; update-agent needs it: $hint" >&2
  exit 2
fi

# 1. The binary: given, or built here as Native AOT (no .NET runtime needed on the host).
if [ -z "$binary" ]; then
  command -v dotnet >/dev/null || { echo "install.sh: no --binary given and no .NET SDK to build one" >&2; exit 2; }
  say "building the Native AOT binary (a few minutes)"
  run dotnet publish "$here/src/Agent" -c Release -r linux-x64 -p:PublishAot=true -o "$here/artifacts/aot" -nologo -v quiet
  binary=$here/artifacts/aot/update-agent
fi
[ $dry = yes ] || [ -x "$binary" ] || { echo "install.sh: $binary is not an executable" >&2; exit 2; }

# 2. Files.
run mkdir -p "$STATE" /etc/update-agent/agent.d
[ $dry = yes ] || chmod 0700 "$STATE"
put "$binary" "$LIB/update-agent" 0755
# Earlier versions shipped a private copy of SQLite; the system's is used now.
if [ -e "$LIB/libe_sqlite3.so" ]; then run rm -f "$LIB/libe_sqlite3.so"; fi
run ln -sfn "$LIB/update-agent" /usr/bin/update-agent
[ $dry = yes ] || grep -qxF /usr/bin/update-agent "$MANIFEST" || echo /usr/bin/update-agent >> "$MANIFEST"
put "$here/packaging/agent.toml" "$LIB/agent.toml" 0644
put "$here/packaging/policy.example.toml" "$LIB/policy.example.toml" 0644
put "$here/units/update-agent.service" /usr/lib/systemd/system/update-agent.service 0644
put "$here/units/update-agent.tmpfiles" /usr/lib/tmpfiles.d/update-agent.conf 0644
put "$here/units/update-agent.catalog" /usr/lib/systemd/catalog/update-agent.catalog 0644
put "$here/units/update-agent-guard.conf" /usr/share/update-agent/update-agent-guard.conf 0644
if [ ! -f /etc/update-agent/policy.toml ]; then
  put "$here/packaging/policy.example.toml" /etc/update-agent/policy.toml 0644
fi
run systemd-tmpfiles --create /usr/lib/tmpfiles.d/update-agent.conf
command -v journalctl >/dev/null && run journalctl --update-catalog || true
run systemctl daemon-reload

# 3. Migrate from podman-auto-update.timer.
# Before any timer is turned off: what update-agent will do with each unit podman managed, and
# every user's timer (enabled in a home, for all users, or running in a user manager).
say "what update-agent will do with each unit podman auto-update manages here:"
if [ $dry = no ]; then "$LIB/update-agent" units --migration | sed 's/^/  /' || say "(the listing failed; 'update-agent units --migration' shows it later)"; fi
for rt in /run/user/[0-9]*; do
  [ -d "$rt" ] && user=$(id -nu "${rt##*/}" 2>/dev/null) && [ "$user" != root ] || continue
  if systemctl --user -M "$user@" is-active --quiet "$TIMER" 2>/dev/null; then
    say "$user's $TIMER is running: it keeps pulling $user's images unverified; the system daemon does not manage rootless units, so it is left on. To stop it: systemctl --user -M $user@ disable --now $TIMER"
  fi
done
say "images nobody signs (third-party images with no [[image]] rule) stay on what they run and are reported, never moved"
if [ ! -f "$STATE/timer-was-enabled" ] && [ $dry = no ]; then
  systemctl is-enabled --quiet "$TIMER" 2>/dev/null && echo yes > "$STATE/timer-was-enabled" || echo no > "$STATE/timer-was-enabled"
fi
if systemctl is-enabled --quiet "$TIMER" 2>/dev/null || systemctl is-active --quiet "$TIMER" 2>/dev/null; then
  say "disabling $TIMER: update-agent takes over"
  run systemctl disable --now "$TIMER"
fi
say "enabling and starting update-agent.service"
run systemctl enable --now update-agent.service

# 4. What has no trust policy yet.
if [ $dry = no ]; then
  unpoliced=$(update-agent check --dry-run 2>/dev/null | awk '$2 == "refused" && /no-policy/ { print $1 }' || true)
  if [ -n "$unpoliced" ]; then
    say "these units have no trust policy yet; they are checked and reported, but never updated until one exists:"
    printf '  %s\n' $unpoliced
    say "write an [[image]] rule for them in /etc/update-agent/policy.toml (see README)"
  fi
fi
say "done: 'update-agent status' shows each unit; 'journalctl -u update-agent' shows what it did"
