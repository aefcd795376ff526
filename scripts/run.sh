#!/usr/bin/env bash
# Runs the whole control plane on this machine: PostgreSQL and RabbitMQ (installed from apt
# when missing, data in .data/run, kept across runs), the API with its projection daemon,
# relay, scheduler and conductor, and the fake compute host(s). The API and the compute worker are supervised
# (services.sh's supervise): one that dies is logged and restarted with backoff while the others keep serving.
# Only Ctrl-C or SIGTERM to this script stops it all.
#
#   NOVA_FAKE_HOSTS=3                                  three fake hosts (fake-1 … fake-3)
#   NOVA_FAKE_CAPACITY=vcpus=4,memory_mb=8192,disk_gb=200   size of each fake host
#   NOVA_COMPUTE_STATE=/var/lib/nova-es/compute          where each host keeps its operation journal (and the fake
#                                                      driver its guests); default $NOVA_DATA/compute
#   NOVA_API_URL=http://127.0.0.1:8774                 where the API listens
#   NOVA_GRPC_URL=http://127.0.0.1:8779                where the gRPC API listens (HTTP/2 cleartext)
#   NOVA_COMPUTE_DRIVER=libvirt                        one real host (this machine) running QEMU guests through
#                                                      libvirtd, started here when not running; instances and the
#                                                      image cache in $NOVA_DATA/instances (NOVA_INSTANCES_PATH)
#   NOVA_AUTH=keystone                                 a real Keystone at http://127.0.0.1:5000/v3 (NOVA_KEYSTONE_PORT) with
#                                                      this control plane's compute and image endpoints in its catalog
#                                                      (RegionOne); admin/admin/Default, password NOVA_ADMIN_PASSWORD
#                                                      (generated and printed when unset); openrc in $NOVA_DATA/openrc.
#                                                      Default: noauth2 (development only: tokens are believed)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export NOVA_DATA=${NOVA_DATA:-$ROOT/.data/run}
source scripts/services.sh
source scripts/keystone.sh

ensure_dotnet
mkdir -p "$NOVA_DATA/logs"
PIDS=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  stop_keystone; stop_libvirt; stop_rabbitmq; stop_postgres
  echo "stopped"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

start_postgres durable
start_rabbitmq
NOVA_COMPUTE_DRIVER=${NOVA_COMPUTE_DRIVER:-fake}
case "$NOVA_COMPUTE_DRIVER" in
  fake) ;;
  libvirt) start_libvirt ;;
  *) echo "NOVA_COMPUTE_DRIVER must be fake or libvirt" >&2; exit 2 ;;
esac
NOVA_AUTH=${NOVA_AUTH:-noauth2}
case "$NOVA_AUTH" in
  noauth2) ;;
  keystone) echo "starting keystone…"; start_keystone ;;
  *) echo "NOVA_AUTH must be noauth2 or keystone" >&2; exit 2 ;;
esac
$PGBIN/psql -h 127.0.0.1 -p "$NOVA_PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='nova'" | grep -q 1 \
  || $PGBIN/psql -h 127.0.0.1 -p "$NOVA_PG_PORT" -U postgres -qc "CREATE DATABASE nova"

echo "building…"
if ! build_output=$(dotnet build Nova.sln -c Release -nologo -clp:ErrorsOnly 2>&1); then
  echo "$build_output" >&2
  echo "the build failed; nothing was started beyond PostgreSQL and RabbitMQ" >&2
  exit 1
fi
nova_connection_strings
export Nova__Api__Url=${NOVA_API_URL:-http://127.0.0.1:8774}
export Nova__Grpc__Url=${NOVA_GRPC_URL:-http://127.0.0.1:8779}
export Nova__Images__Default=${NOVA_DEFAULT_IMAGE:-cirros-0.6.2-x86_64-disk}
export Nova__Compute__FakeHosts=${NOVA_FAKE_HOSTS:-1}
# Each host's journal of finished operations (and the fake driver's guests), kept across restarts.
export Nova__Compute__StatePath=${NOVA_COMPUTE_STATE:-$NOVA_DATA/compute}
export Nova__Compute__Driver=$NOVA_COMPUTE_DRIVER
if [ "$NOVA_AUTH" = keystone ]; then
  # The API validates tokens and the compute hosts fetch images as the `nova` service user.
  export Nova__Auth__Strategy=keystone Nova__Auth__Keystone__Url=$NOVA_KEYSTONE_URL Nova__Auth__Keystone__User=nova \
         Nova__Auth__Keystone__Password=$NOVA_SERVICE_PASSWORD Nova__Auth__Keystone__Project=service \
         Nova__Auth__Keystone__Region=RegionOne
  keystone_register_endpoints RegionOne "$Nova__Api__Url/v2.1" "$Nova__Api__Url/image"
  write_openrc "$NOVA_DATA/openrc"
fi
# Both drivers upload snapshots (and shelve images) to this API's image service, wherever it listens.
export Nova__Compute__Libvirt__ImageServiceUrl=$Nova__Api__Url/image
if [ "$NOVA_COMPUTE_DRIVER" = libvirt ]; then
  export Nova__Compute__Libvirt__InstancesPath=${NOVA_INSTANCES_PATH:-$NOVA_DATA/instances}
elif [ -n "${NOVA_FAKE_CAPACITY:-}" ]; then
  IFS=, read -ra parts <<<"$NOVA_FAKE_CAPACITY"
  for kv in "${parts[@]}"; do
    case "${kv%%=*}" in
      vcpus) export Nova__Compute__Fake__Vcpus=${kv#*=} ;;
      memory_mb) export Nova__Compute__Fake__MemoryMb=${kv#*=} ;;
      disk_gb) export Nova__Compute__Fake__DiskGb=${kv#*=} ;;
      *) echo "unknown capacity key: $kv" >&2; exit 2 ;;
    esac
  done
else
  # One host sized from this machine, as Nova's fake driver reports it.
  export Nova__Compute__Fake__Vcpus=$(nproc)
  export Nova__Compute__Fake__MemoryMb=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 ))
  export Nova__Compute__Fake__DiskGb=$(( $(df -Pk "$NOVA_DATA" | awk 'NR==2 {print $2}') / 1024 / 1024 ))
fi

# Each process runs from its own folder, where its appsettings.json is.
: >"$NOVA_DATA/logs/api.log"; : >"$NOVA_DATA/logs/compute.log"
supervise api "$NOVA_DATA/logs/api.log" bash -c 'cd src/Api/bin/Release/net10.0 && exec dotnet Nova.Api.dll' &
PIDS+=($!)
supervise compute "$NOVA_DATA/logs/compute.log" bash -c 'cd src/ComputeWorker/bin/Release/net10.0 && exec dotnet Nova.ComputeWorker.dll' &
PIDS+=($!)
# Up means answering from the database with the projection daemon running (/healthz 200), not just listening.
up=
for _ in $(seq 1 300); do curl -sf -o /dev/null "$Nova__Api__Url/healthz" && { up=1; break; }; sleep 0.2; done
if [ -z "$up" ]; then
  echo "the API does not answer $Nova__Api__Url/healthz after 60 s; last lines of $NOVA_DATA/logs/api.log:" >&2
  tail -n 20 "$NOVA_DATA/logs/api.log" >&2
  exit 1
fi
if [ "$NOVA_COMPUTE_DRIVER" = libvirt ]; then hosts="libvirt host $(hostname)"; else hosts="$Nova__Compute__FakeHosts fake host(s)"; fi
echo "control plane up at $Nova__Api__Url/v2.1 ($hosts); logs in $NOVA_DATA/logs"
echo "gRPC (h2c) at $Nova__Grpc__Url: see docs/grpc.md"
if [ "$NOVA_AUTH" = keystone ]; then
  echo "keystone at $NOVA_KEYSTONE_URL: user admin, project admin, domain Default, password $NOVA_ADMIN_PASSWORD"
  echo "try: source $NOVA_DATA/openrc; openstack server list"
else
  echo "try: openstack --os-auth-type admin_token --os-token admin:admin --os-endpoint $Nova__Api__Url/v2.1 server list"
fi
# The supervisors only return when told to stop; wait is interrupted by Ctrl-C / TERM, which run cleanup.
wait
