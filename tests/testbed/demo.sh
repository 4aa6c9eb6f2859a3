#!/usr/bin/env bash
# The demo: update-agent doing its job on a real systemd + podman host, no such host needed.
# Boots the testbed (or uses a running one), installs update-agent inside it with install.sh,
# runs a small web service under a unit, then plays the two incidents update-agent exists for
# and two more, printing what an operator would see in the journal:
#   1. the archived sibling's cron pushes signed-but-unblessed pre-fix code from the wrong
#      source to :latest                      → refused, nothing pulled
#   2. a stale, once-blessed digest is pushed back to :latest → refused as a downgrade
#   3. a good blessed release                 → rolled out, healthy, committed
#   4. a blessed release whose health check fails → rolled back and quarantined
# Each step is checked; the script exits non-zero when what runs is not what it should be.
#
#   tests/testbed/demo.sh                 boot a testbed, play, tear down
#   DEMO_KEEP=1 tests/testbed/demo.sh     leave the testbed running to look around
# Uses artifacts/aot/update-agent (UPDATE_AGENT_BINARY overrides); builds it when missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_root
repo=$(cd "$TESTBED_DIR/../.." && pwd)

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
ok() { printf '   ok: %s\n' "$*"; }
fail() { printf '   FAILED: %s\n' "$*" >&2; exit 1; }

# DEMO_USE_RUNNING=1: play in the testbed that is already up (the system test does).
if [ -z "${DEMO_USE_RUNNING:-}" ]; then
  "$TESTBED_DIR/up.sh" >/dev/null
fi
guest_pid >/dev/null || die "no testbed is running"
g() { in_guest "$@"; }
registry=$TESTBED_REGISTRY
image=$registry/demo/web
# One web port per testbed: guests share the host network, and several testbeds may run at once.
port=${DEMO_PORT:-$((28080 + ${TESTBED_REGISTRY##*:} - 5000))}
keys=$(mktemp -d)
cleanup_keys() { rm -rf "$keys"; }
trap 'cleanup_keys; [ -z "${DEMO_USE_RUNNING:-}${DEMO_KEEP:-}" ] && "$TESTBED_DIR/down.sh" >/dev/null; true' EXIT

binary=${UPDATE_AGENT_BINARY:-$repo/artifacts/aot/update-agent}
if [ ! -x "$binary" ]; then
  step "building the Native AOT binary"
  dotnet publish "$repo/src/Agent" -c Release -r linux-x64 -p:PublishAot=true -o "$repo/artifacts/aot" -nologo -v quiet
  binary=$repo/artifacts/aot/update-agent
fi

cosign_() { COSIGN_PASSWORD= COSIGN_YES=true cosign "$@" </dev/null >/dev/null 2>&1; }
release() { # BUILD SOURCE BLESS(yes/no) [--no-health-file]
  local digest
  digest=$("$TESTBED_DIR/image.sh" "$image:latest" --label "org.opencontainers.image.source=$2" \
    --label "org.opencontainers.image.version=$1" --cmd "[\"/bin/serve\",\"$port\"]" ${4:-})
  cosign_ sign --key "$keys/ci.key" --tlog-upload=false --allow-insecure-registry -y "$image@$digest"
  if [ "$3" = yes ]; then
    cosign_ sign --key "$keys/gate.key" --tlog-upload=false --allow-insecure-registry -y -a stage=prod "$image@$digest"
  fi
  echo "$digest"
}
running() { g podman inspect web --format '{{.ImageDigest}}'; }
journal_since() { g journalctl -u update-agent --since "@$1" -o cat --no-pager | grep -v '^$' | sed 's/^/   journal: /' || true; }
check() { # prints the check table and the journal lines it caused
  local since; since=$(date +%s)
  sleep 1
  g update-agent check | sed 's/^/   /' || true
  journal_since "$since"
}
expect_running() { local now; now=$(running); [ "$now" = "$1" ] && ok "web.service runs $2 (${1:7:12})" || fail "web.service runs ${now:7:12}, expected $2 (${1:7:12})"; }
expect_status() { g update-agent status --json | grep -A6 '"unit": "web.service"' | grep -q "\"status\": \"$1\"" && ok "status says $1" || fail "status does not say $1"; }

step "keys: the build pipeline (ci) signs, the release gate (gate) blesses with stage=prod"
cosign_ generate-key-pair --output-key-prefix "$keys/ci"
cosign_ generate-key-pair --output-key-prefix "$keys/gate"
g mkdir -p /etc/update-agent/keys /etc/update-agent/agent.d
cp "$keys/ci.pub" "$keys/gate.pub" "/proc/$(guest_pid)/root/etc/update-agent/keys/"

step "releases 0.8 and 1.0 of the web service, both signed and blessed"
old=$(release 0.8.0 https://github.com/acme/web yes)
sleep 1
v1=$(release 1.0.0 https://github.com/acme/web yes)
ok "0.8.0 = ${old:7:12}, 1.0.0 = ${v1:7:12}"

step "web.service runs $image:latest under systemd; podman-auto-update.timer is on, as on a host before update-agent"
root=/proc/$(guest_pid)/root
cat > "$root/etc/systemd/system/web.service" <<UNIT
[Unit]
Description=demo web service
[Service]
Type=notify
NotifyAccess=all
Environment=PODMAN_SYSTEMD_UNIT=%n
ExecStart=/usr/bin/podman run --replace --rm --cgroups=split --sdnotify=conmon -d --name web --network host --health-cmd "wget -q -O /dev/null http://127.0.0.1:$port/health" --health-interval 30s --health-retries 2 --label io.containers.autoupdate=registry $image:latest
ExecStop=/usr/bin/podman stop --ignore -t 2 web
UNIT
g systemctl daemon-reload
g systemctl start web.service
g systemctl enable --quiet podman-auto-update.timer
expect_running "$v1" 1.0.0

step "trust policy: ci must sign, gate must bless stage=prod, source must be github.com/acme/web"
cat > "$root/etc/update-agent/policy.toml" <<POLICY
[registries]
insecure = ["$registry"]

[authorities.ci]
key = "/etc/update-agent/keys/ci.pub"

[authorities.gate]
key = "/etc/update-agent/keys/gate.pub"

[[image]]
repository = "$image"
signed_by = ["ci"]
blessed_by = "gate"
bless = { stage = "prod" }
source = "https://github.com/acme/web"
POLICY
cat > "$root/etc/update-agent/agent.d/demo.toml" <<CONF
[schedule]
interval = "1h"

[health]
soak = "5s"
check_timeout = "20s"
CONF

step "install: sudo ./install.sh (inside the guest)"
g rm -rf /tmp/update-agent-src
g mkdir -p /tmp/update-agent-src/bin
for part in install.sh units packaging docs; do cp -r "$repo/$part" "$root/tmp/update-agent-src/"; done
cp "$binary" "$root/tmp/update-agent-src/bin/"
g /tmp/update-agent-src/install.sh --binary /tmp/update-agent-src/bin/update-agent | sed 's/^/   /'
[ "$(g systemctl is-active update-agent.service)" = active ] && ok "update-agent.service is active" || fail "update-agent.service is not active"
[ "$(g systemctl is-enabled podman-auto-update.timer || true)" = disabled ] && ok "podman-auto-update.timer is disabled" || fail "podman-auto-update.timer is still enabled"
g systemctl status update-agent.service --no-pager -n 0 | sed -n 's/^ *Status: /   Status: /p'

step "incident 1: the archived sibling's weekly cron pushes pre-fix code to :latest (signed by ci, not blessed, wrong source)"
zombie=$(release 0.9.0-prefix https://github.com/acme/web-archived no)
check
expect_running "$v1" 1.0.0
g podman image exists "$image@$zombie" && fail "the zombie image was pulled" || ok "the zombie image was not pulled"
expect_status refused

step "incident 2: a stale :latest — release 0.8, blessed long ago, is pushed back"
skopeo copy -q --src-tls-verify=false --dest-tls-verify=false "docker://$image@$old" "docker://$image:latest"
check
expect_running "$v1" 1.0.0
expect_status refused

step "a good release: 1.1, signed and blessed"
v2=$(release 1.1.0 https://github.com/acme/web yes)
check
expect_running "$v2" 1.1.0
expect_status updated

step "a blessed release whose health check fails: 1.2"
bad=$(release 1.2.0 https://github.com/acme/web yes --no-health-file)
check
expect_running "$v2" 1.1.0
expect_status "rolled back"
g update-agent quarantine list | grep -q "${bad}" && ok "1.2.0 is quarantined" || fail "1.2.0 is not quarantined"

step "update-agent status"
g update-agent status | sed 's/^/   /'
step "update-agent history"
g update-agent history | sed 's/^/   /'
echo
echo "demo: every step did what it should"
