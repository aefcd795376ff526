#!/usr/bin/env bash
# Runs OpenStack Tempest's compute API tests against this control plane: installs Tempest (Debian's `tempest`),
# starts the stack with scripts/run.sh in Keystone mode with the fake driver (in the background, stopped at the
# end), registers two flavors and two images, writes tempest.conf and runs `tempest run`. Idempotent: the data
# folder, the Tempest workspace, flavors and images are reused by later runs.
#
#   bash scripts/tempest.sh                                   the whole compute API (`--regex '^tempest\.api\.compute'`)
#   bash scripts/tempest.sh --regex 'tempest\.api\.compute\.flavors'   any other `tempest run` arguments instead
#
#   NOVA_DATA=.data/tempest           where run.sh keeps PostgreSQL, RabbitMQ, Keystone and logs; the Tempest
#                                     workspace is $NOVA_DATA/tempest (tempest.conf, logs, results)
#   NOVA_FAKE_HOSTS=2                 fake hosts (2: resize and cold migration move between them)
#   NOVA_FAKE_CAPACITY=vcpus=1000,memory_mb=800000,disk_gb=600000   each host, sized as Nova's fake driver
#   TEMPEST_CONCURRENCY=2             test workers
#   NOVA_API_URL, NOVA_GRPC_URL, NOVA_PG_PORT, NOVA_RMQ_PORT, NOVA_KEYSTONE_PORT   as for run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export NOVA_DATA=${NOVA_DATA:-$ROOT/.data/tempest}
source scripts/services.sh
apt_install tempest python3-openstackclient qemu-utils

export NOVA_AUTH=keystone NOVA_COMPUTE_DRIVER=fake
export NOVA_FAKE_HOSTS=${NOVA_FAKE_HOSTS:-2}
export NOVA_FAKE_CAPACITY=${NOVA_FAKE_CAPACITY:-vcpus=1000,memory_mb=800000,disk_gb=600000}
export NOVA_API_URL=${NOVA_API_URL:-http://127.0.0.1:8774}
export NOVA_KEYSTONE_PORT=${NOVA_KEYSTONE_PORT:-5000}
# A test cloud's quotas are unlimited (-1), as devstack's are for Tempest; metadata items keep Nova's 128.
export Nova__Quota__Defaults__Instances=-1 Nova__Quota__Defaults__Cores=-1 Nova__Quota__Defaults__RamMb=-1 \
       Nova__Quota__Defaults__KeyPairs=-1 Nova__Quota__Defaults__ServerGroups=-1 \
       Nova__Quota__Defaults__ServerGroupMembers=-1
# One host suffices for resize when it may stay on its host.
export Nova__Scheduler__AllowResizeToSameHost=${Nova__Scheduler__AllowResizeToSameHost:-true}
TEMPEST_CONCURRENCY=${TEMPEST_CONCURRENCY:-2}
WS=$NOVA_DATA/tempest
mkdir -p "$NOVA_DATA"
PY=/usr/bin/python3   # Debian's, with tempest's libraries (python3 on PATH may be another)

RUN_LOG=$NOVA_DATA/run.log
RUN_PID=
stop_stack() {
  trap - EXIT INT TERM
  [ -n "$RUN_PID" ] || return 0
  echo "stopping the stack…"
  kill -TERM "$RUN_PID" 2>/dev/null || true
  wait "$RUN_PID" 2>/dev/null || true
}
trap stop_stack EXIT
trap 'exit 130' INT TERM

echo "starting the stack (scripts/run.sh, log $RUN_LOG)…"
bash scripts/run.sh >"$RUN_LOG" 2>&1 &
RUN_PID=$!
for _ in $(seq 1 900); do
  grep -q '^control plane up' "$RUN_LOG" && break
  kill -0 "$RUN_PID" 2>/dev/null || { echo "run.sh exited:" >&2; tail -n 30 "$RUN_LOG" >&2; RUN_PID=; exit 1; }
  sleep 1
done
grep -q '^control plane up' "$RUN_LOG" || { echo "the stack is not up after 15 min" >&2; tail -n 30 "$RUN_LOG" >&2; exit 1; }
echo "$(grep '^control plane up' "$RUN_LOG")"

# shellcheck disable=SC1091
source "$NOVA_DATA/openrc"
export OS_COMPUTE_API_VERSION=2.1
ADMIN_PASSWORD=$OS_PASSWORD
os() { /usr/bin/openstack "$@"; }

# Two flavors (ids 901 and 902, as in the reference run) and two images, made once.
os flavor show 901 >/dev/null 2>&1 || os flavor create --id 901 --ram 128 --disk 1 --vcpus 1 m1.tempest-1 >/dev/null
os flavor show 902 >/dev/null 2>&1 || os flavor create --id 902 --ram 192 --disk 2 --vcpus 1 m1.tempest-2 >/dev/null
image_id() { # $1 = name; prints the id of that image, uploading a small qcow2 the first time
  local id
  id=$(os image list --name "$1" -f value -c ID | head -n 1)
  if [ -z "$id" ]; then
    local file=$NOVA_DATA/$1.qcow2
    [ -f "$file" ] || qemu-img create -q -f qcow2 "$file" 64M
    id=$(os image create --file "$file" --disk-format qcow2 --container-format bare --public -f value -c id "$1")
  fi
  echo "$id"
}
IMAGE=$(image_id tempest-image-1)
IMAGE_ALT=$(image_id tempest-image-2)
echo "flavors 901, 902; images $IMAGE, $IMAGE_ALT"

# Tempest runs a test needing a microversion above max_microversion only when told "latest"; tell it this
# API's maximum instead, so those tests are skipped rather than failed with 406.
MAX_MICROVERSION=$(curl -sf "$NOVA_API_URL/v2.1" | $PY -c 'import json, sys; print(json.load(sys.stdin)["version"]["version"])') || MAX_MICROVERSION=latest
# init logs to its working folder; its workspace registry stays in the data folder, so workspaces of other data
# folders (the same name, "tempest") do not collide in ~/.tempest
[ -d "$WS/etc" ] || (cd "$NOVA_DATA" && tempest init --workspace-path "$NOVA_DATA/workspace.yaml" "$WS" >/dev/null)
if [ "$NOVA_FAKE_HOSTS" -ge 2 ]; then COLD_MIGRATION=True; else COLD_MIGRATION=False; fi
# What this control plane does is switched on; what it answers 501/404 for (or with no network, volume or
# console service behind it) is off, so Tempest skips it instead of failing on it.
cat >"$WS/etc/tempest.conf" <<EOF
[DEFAULT]
log_dir = $WS/logs
log_file = tempest.log
debug = False

[oslo_concurrency]
lock_path = $WS/tempest_lock

[auth]
use_dynamic_credentials = True
create_isolated_networks = False
admin_username = admin
admin_password = $ADMIN_PASSWORD
admin_project_name = admin
admin_domain_name = Default
default_credentials_domain_name = Default
tempest_roles =

[identity]
auth_version = v3
uri_v3 = $OS_AUTH_URL
region = RegionOne
v3_endpoint_type = public
disable_ssl_certificate_validation = True

[identity-feature-enabled]
api_v2 = False
api_v3 = True

[service_available]
nova = True
glance = True
neutron = False
cinder = False
swift = False
horizon = False
heat = False
placement = False

[compute]
image_ref = $IMAGE
image_ref_alt = $IMAGE_ALT
flavor_ref = 901
flavor_ref_alt = 902
min_microversion = 2.1
max_microversion = $MAX_MICROVERSION
region = RegionOne
endpoint_type = publicURL
build_interval = 1
build_timeout = 120
min_compute_nodes = $NOVA_FAKE_HOSTS

[compute-feature-enabled]
# server actions this control plane carries out with the fake driver
pause = True
suspend = True
shelve = True
shelve_migrate = False
rescue = True
stable_rescue = False
resize = True
cold_migration = $COLD_MIGRATION
snapshot = True
console_output = True
enable_instance_password = True
hostname_fqdn_sanitization = True
# not done here: diskConfig is always MANUAL, no config drive, no personality files, no password change,
# no live migration, no consoles, no networks, ports or volumes
disk_config = False
config_drive = False
personality = False
change_password = False
metadata_service = False
live_migration = False
live_migrate_back_and_forth = False
block_migration_for_live_migration = False
can_migrate_between_any_hosts = False
vnc_console = False
spice_console = False
rdp_console = False
serial_console = False
interface_attach = False
attach_encrypted_volume = False
swap_volume = False
volume_backed_live_migration = False
volume_multiattach = False
nova_cert = False
xenapi_apis = False
unified_limits = False

[image]
region = RegionOne
endpoint_type = publicURL
# the formats this image registry accepts (Tempest's defaults start with ami); raw first, because the images
# Tempest uploads itself are random bytes, which the registry's content check refuses as qcow2
container_formats = bare
disk_formats = raw,qcow2

[image-feature-enabled]
api_v1 = False
api_v2 = True

[validation]
run_validation = False
connect_method = fixed
auth_method = keypair

[network-feature-enabled]
floating_ips = False
ipv6 = False

[volume-feature-enabled]
backup = False
EOF

if [ $# -eq 0 ]; then set -- --regex '^tempest\.api\.compute'; fi
echo "tempest run $* --concurrency $TEMPEST_CONCURRENCY (workspace $WS)"
cd "$WS"
start=$(date +%s)
set +e
tempest run "$@" --concurrency "$TEMPEST_CONCURRENCY" >"$WS/run.log" 2>&1
rc=$?
set -e
elapsed=$(( $(date +%s) - start ))
# Every test's outcome, skip reason and failure, from stestr's subunit stream.
stestr last --subunit >"$WS/last.subunit" 2>/dev/null || true
$PY - "$WS/last.subunit" "$WS/results.json" <<'PY'
import json, sys, subunit, testtools
tests = {}
def on_test(t):
    details = {k: v.as_text() for k, v in t["details"].items() if k in ("traceback", "reason")}
    tests[t["id"]] = {"status": t["status"], **details}
with open(sys.argv[1], "rb") as f:
    case = subunit.ByteStreamToStreamResult(f, non_subunit_name="stdout")
    result = testtools.StreamToDict(on_test)
    result.startTestRun(); case.run(result); result.stopTestRun()
json.dump(tests, open(sys.argv[2], "w"), indent=1)
count = lambda s: sum(1 for t in tests.values() if t["status"] == s)
print(f"passed {count('success')}, failed {count('fail')}, skipped {count('skip')} of {len(tests)}", end=" ")
PY
echo "in ${elapsed} s (log $WS/run.log, results $WS/results.json)"
exit $rc
