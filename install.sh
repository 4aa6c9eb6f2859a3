#!/usr/bin/env bash
# Installs update-agent on a systemd + Podman host and moves the host off
# podman-auto-update.timer. Idempotent.
#
#   sudo ./install.sh                  build the Native AOT binary (needs the .NET SDK) and install
#   sudo ./install.sh --binary PATH    install a binary built elsewhere (dotnet publish ... -p:PublishAot=true)
#   sudo ./install.sh --dry-run        print what would be done, change nothing
#   sudo ./install.sh --uninstall      remove update-agent and the guard drop-ins copied as shipped; re-enable
#                                      podman-auto-update.timer if it was enabled
#   ./install.sh --print-containerfile print the lines that put update-agent into a bootc image's
#                                      Containerfile (the RPM, the unit enabled, the timer off); change nothing
#
# Files: /usr/lib/update-agent/ (binary, defaults), /usr/bin/update-agent, the unit (and the user
# unit for rootless units, enabled for every user when podman-auto-update.timer was), tmpfiles,
# journal catalog, man pages, bash and zsh completion, /etc/update-agent/policy.toml (only if
# absent) and the guard drop-in template. On an image-mode host (bootc, ostree: /usr read-only) the
# binary, catalog, man pages and completion go under /usr/local, the unit and tmpfiles under /etc.
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
    --print-containerfile) mode=containerfile; shift;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2;;
  esac
done

STATE=/var/lib/update-agent
MANIFEST=$STATE/install-manifest
TIMER=podman-auto-update.timer

say() { printf 'install.sh: %s\n' "$*"; }

# An image-mode host (bootc, ostree) gets its software through its image's Containerfile: these are
# the lines for it. Nothing is installed or changed.
print_containerfile() {
  local version rpm
  version=$(tr -d '[:space:]' < "$here/packaging/VERSION" 2>/dev/null || true)
  rpm=update-agent-${version:-VERSION}-1.x86_64.rpm
  cat <<CONTAINERFILE
# update-agent in a bootc image: add these lines to the image's Containerfile, with the RPM
# (packaging/rpm/build.sh builds $rpm) and your policy.toml beside it.
COPY $rpm /tmp/
RUN dnf -y install /tmp/$rpm && rm -f /tmp/$rpm && dnf clean all
# The trust policy. Without it the RPM's applies: no [[image]] rule, so every unit is checked and
# reported, never updated. /etc is the host's: a policy changed on the host is kept across upgrades.
COPY policy.toml /etc/update-agent/policy.toml
# update-agent takes over from podman-auto-update.timer: two updaters race, and the timer pulls and
# restarts images nobody verified. Masked, so that no preset or later enable turns it back on.
RUN systemctl enable update-agent.service && \\
    systemctl disable podman-auto-update.timer && systemctl mask podman-auto-update.timer && \\
    systemctl --global disable podman-auto-update.timer && systemctl --global enable update-agent.service
# Rootless units: the user instance (update-agent --user) runs for every user as their user service.
# A timer a user enabled in their own home lives there: 'update-agent doctor' lists each.
CONTAINERFILE
}
if [ $mode = containerfile ]; then
  print_containerfile
  exit 0
fi

# Where the files go. On an image-mode host /usr is the image's and read-only (bootc, ostree; /usr/local
# is /var/usrlocal there, writable): the binary and what only it reads go under /usr/local, the unit
# and tmpfiles under /etc, which systemd reads before /usr. An RPM in the image uses /usr instead.
if [ -e /run/ostree-booted ] || [ ! -w /usr ]; then
  image_mode=yes
  LIB=/usr/local/lib/update-agent BIN=/usr/local/bin/update-agent
  UNITDIR=/etc/systemd/system USERUNITDIR=/etc/systemd/user TMPFILESDIR=/etc/tmpfiles.d CATALOGDIR=/usr/local/lib/systemd/catalog
  SHARE=/usr/local/share/update-agent MANDIR=/usr/local/share/man
  BASHCOMPDIR=/usr/local/share/bash-completion/completions ZSHCOMPDIR=/usr/local/share/zsh/site-functions
else
  image_mode=no
  LIB=/usr/lib/update-agent BIN=/usr/bin/update-agent
  UNITDIR=/usr/lib/systemd/system USERUNITDIR=/usr/lib/systemd/user TMPFILESDIR=/usr/lib/tmpfiles.d CATALOGDIR=/usr/lib/systemd/catalog
  SHARE=/usr/share/update-agent MANDIR=/usr/share/man
  BASHCOMPDIR=/usr/share/bash-completion/completions ZSHCOMPDIR=/usr/share/zsh/site-functions
  # Debian's zsh reads vendor-completions, Fedora's site-functions.
  if [ -d /usr/share/zsh/vendor-completions ] || [ -e /etc/debian_version ]; then ZSHCOMPDIR=/usr/share/zsh/vendor-completions; fi
fi
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
        cmp -s "$dropin" /usr/share/update-agent/update-agent-guard.conf || cmp -s "$dropin" "$SHARE/update-agent-guard.conf"; }; then
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
  # The user instance's unit goes with the files: no user's manager may keep a link to it.
  run systemctl --global disable update-agent.service 2>/dev/null || true
  remove_guard_dropins
  if [ -f "$MANIFEST" ]; then
    # The example the policy was copied from goes in the same loop, maybe first: compare with a copy.
    example=$(mktemp)
    cp "$LIB/policy.example.toml" "$example" 2>/dev/null || true
    while read -r file; do
      if [ "$file" = /etc/update-agent/policy.toml ] && ! cmp -s "$file" "$example" 2>/dev/null; then
        say "keeping $file: it was changed after install"
        continue
      fi
      run rm -f "$file"
    done < "$MANIFEST"
    rm -f "$example"
  fi
  run rm -rf "$LIB"
  run rmdir --ignore-fail-on-non-empty /etc/update-agent/agent.d /etc/update-agent "$SHARE" 2>/dev/null || true
  if [ "$(cat "$STATE/user-timer-was-enabled" 2>/dev/null)" = yes ]; then
    say "re-enabling $TIMER for every user, as it was before update-agent"
    run systemctl --global enable "$TIMER"
  fi
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
if [ $image_mode = yes ]; then
  if [ -e /usr/lib/systemd/system/update-agent.service ]; then
    echo "install.sh: this host's image ships update-agent (/usr/lib/systemd/system/update-agent.service): it comes and goes with the image;" >&2
    echo "install.sh: enable it with 'systemctl enable --now update-agent.service', or see ./install.sh --print-containerfile" >&2
    exit 2
  fi
  say "image-mode host (/usr is read-only): installing under /usr/local and /etc; for the image itself see ./install.sh --print-containerfile"
fi
run mkdir -p "$STATE" /etc/update-agent/agent.d
[ $dry = yes ] || chmod 0700 "$STATE"
put "$binary" "$LIB/update-agent" 0755
# Earlier versions shipped a private copy of SQLite; the system's is used now.
if [ -e "$LIB/libe_sqlite3.so" ]; then run rm -f "$LIB/libe_sqlite3.so"; fi
run mkdir -p "$(dirname "$BIN")"
run ln -sfn "$LIB/update-agent" "$BIN"
[ $dry = yes ] || grep -qxF "$BIN" "$MANIFEST" || echo "$BIN" >> "$MANIFEST"
# The binary reads its shipped defaults from /usr/lib/update-agent/agent.toml only; on an image-mode
# host there is none, and its built-in defaults (the same values) apply.
[ $image_mode = yes ] || put "$here/packaging/agent.toml" "$LIB/agent.toml" 0644
put "$here/packaging/policy.example.toml" "$LIB/policy.example.toml" 0644
# ExecStart= and the guard's ExecStartPre= name the binary where it was put.
put_pointing_at_bin() { # SOURCE DEST
  local tmp
  if [ "$BIN" = /usr/bin/update-agent ]; then put "$1" "$2" 0644; return; fi
  tmp=$(mktemp)
  { echo "# Installed by install.sh on this image-mode host: $BIN in place of /usr/bin/update-agent."
    sed "s|/usr/bin/update-agent |$BIN |" "$1"; } > "$tmp"
  put "$tmp" "$2" 0644
  rm -f "$tmp"
}
put_pointing_at_bin "$here/units/update-agent.service" "$UNITDIR/update-agent.service"
# The user instance for rootless units (update-agent --user run), inert until enabled for a user.
put_pointing_at_bin "$here/units/update-agent-user.service" "$USERUNITDIR/update-agent.service"
put "$here/units/update-agent.tmpfiles" "$TMPFILESDIR/update-agent.conf" 0644
put "$here/units/update-agent.catalog" "$CATALOGDIR/update-agent.catalog" 0644
put_pointing_at_bin "$here/units/update-agent-guard.conf" "$SHARE/update-agent-guard.conf"
# Man pages, built from their markdown (docs/man) here; and shell completion.
if [ -d "$here/docs/man" ]; then
  mandir=$(mktemp -d)
  "$here/packaging/man/build.sh" "$mandir"
  for page in "$mandir"/*.gz; do
    name=$(basename "$page"); section=${name%.gz}; section=${section##*.}
    put "$page" "$MANDIR/man$section/$name" 0644
  done
  rm -rf "$mandir"
else
  say "no man pages: docs/man is not beside install.sh"
fi
put "$here/packaging/completion/update-agent.bash" "$BASHCOMPDIR/update-agent" 0644
put "$here/packaging/completion/_update-agent" "$ZSHCOMPDIR/_update-agent" 0644
if [ ! -f /etc/update-agent/policy.toml ]; then
  put "$here/packaging/policy.example.toml" /etc/update-agent/policy.toml 0644
fi
# SELinux (RHEL, bootc): the files take the labels their paths call for (/var/usrlocal is /usr/local).
if command -v restorecon >/dev/null && [ $image_mode = yes ]; then
  run restorecon -R "$LIB" "$BIN" "$SHARE" "$UNITDIR/update-agent.service" "$TMPFILESDIR/update-agent.conf" "$CATALOGDIR" || true
fi
run systemd-tmpfiles --create "$TMPFILESDIR/update-agent.conf"
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
# Rootless units: where podman-auto-update.timer is enabled for every user, the user instance takes
# over for every user the same way. A timer a user enabled in their own home stays theirs to switch:
# 'update-agent doctor' lists each, with the command.
if systemctl --global is-enabled --quiet "$TIMER" 2>/dev/null; then
  say "disabling $TIMER for every user and enabling the user instance (update-agent --user) instead"
  [ $dry = yes ] || [ -f "$STATE/user-timer-was-enabled" ] || echo yes > "$STATE/user-timer-was-enabled"
  run systemctl --global disable "$TIMER"
  run systemctl --global enable update-agent.service
else
  say "rootless units: 'systemctl --global enable update-agent.service' runs the user instance for every user (see README)"
fi

# 4. What has no trust policy yet.
if [ $dry = no ]; then
  unpoliced=$("$BIN" check --dry-run 2>/dev/null | awk '$2 == "refused" && /no-policy/ { print $1 }' || true)
  if [ -n "$unpoliced" ]; then
    say "these units have no trust policy yet; they are checked and reported, but never updated until one exists:"
    printf '  %s\n' $unpoliced
    say "write an [[image]] rule for them in /etc/update-agent/policy.toml (see README)"
  fi
fi
say "done: 'update-agent status' shows each unit; 'journalctl -u update-agent' shows what it did"
