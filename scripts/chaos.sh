#!/usr/bin/env bash
# The kill matrix: a whole control plane (PostgreSQL, RabbitMQ, the API process, a compute worker process with two fake
# hosts) in a throwaway folder; for each scenario a burst of boots or deletes, a kill -9 of one part in the middle of it,
# a restart, and then the checks: within the deadline no server is in a task state, every claim belongs to a live
# server on its host and every running server has one, quota usage matches the live servers, no host has a guest twice,
# and the read models equal a rebuild from the events. Prints one line per scenario and the totals.
#
#   bash scripts/chaos.sh            every scenario (worker, API, PostgreSQL, RabbitMQ; boots and deletes), 30 servers each
#   bash scripts/chaos.sh --short    the worker and API kills only, 10 servers (what the test suite runs)
#   NOVA_CHAOS_SERVERS=50            servers per burst
#   NOVA_CHAOS_SCENARIOS="postgres boots,rabbitmq deletes"   a choice of scenarios (PART LOAD, comma-separated)
#   NOVA_CHAOS_DOWN_SECONDS=120      how long the killed part stays down (default 5)
#   NOVA_CHAOS_NO_BUILD=1            use the Release build already there
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export NOVA_DATA=${NOVA_CHAOS_DATA:-$ROOT/.data/chaos}
export NOVA_PG_PORT=${NOVA_CHAOS_PG_PORT:-28442} NOVA_RMQ_PORT=${NOVA_CHAOS_RMQ_PORT:-28730}
API_PORT=${NOVA_CHAOS_API_PORT:-28774}
source scripts/services.sh

SHORT=0; [ "${1:-}" = --short ] && SHORT=1
N=${NOVA_CHAOS_SERVERS:-$([ $SHORT = 1 ] && echo 10 || echo 30)}
if [ -n "${NOVA_CHAOS_SCENARIOS:-}" ]; then
  IFS=, read -ra SCENARIOS <<<"$NOVA_CHAOS_SCENARIOS"
elif [ $SHORT = 1 ]; then
  SCENARIOS=("worker boots" "api boots" "worker deletes")
else
  SCENARIOS=("worker boots" "api boots" "postgres boots" "rabbitmq boots" "worker deletes" "api deletes" "postgres deletes" "rabbitmq deletes")
fi

ensure_dotnet || exit 1
apt_install curl python3 || exit 1
rm -rf "$NOVA_DATA"; mkdir -p "$NOVA_DATA/logs"
API_PID=; WORKER_PID=
cleanup() {
  trap - EXIT INT TERM
  for pid in $API_PID $WORKER_PID; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  stop_rabbitmq; stop_postgres
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_postgres durable || exit 1
start_rabbitmq || exit 1
$PGBIN/psql -h 127.0.0.1 -p "$NOVA_PG_PORT" -U postgres -qc "CREATE DATABASE nova" || exit 1
if [ -z "${NOVA_CHAOS_NO_BUILD:-}" ]; then
  dotnet build Nova.sln -c Release -nologo -clp:ErrorsOnly || { echo "build failed"; exit 1; }
fi

nova_connection_strings
export Nova__Api__Url=http://127.0.0.1:$API_PORT Nova__Grpc__Url=http://127.0.0.1:$((API_PORT + 5))
export Nova__Images__Default=cirros Nova__Images__StorePath=$NOVA_DATA/images
export Nova__Compute__FakeHosts=2 Nova__Compute__Fake__Vcpus=64 Nova__Compute__Fake__MemoryMb=262144 Nova__Compute__Fake__DiskGb=4096
export Nova__Compute__Fake__DelayMs=300 Nova__Compute__StatePath=$NOVA_DATA/compute
export Nova__Compute__ReportIntervalSeconds=2 Nova__Compute__ReconcileIntervalSeconds=10 Nova__Reconcile__GraceSeconds=5
# Short deadlines, so a lost operation ends within the scenario.
export Nova__Deadlines__SweepSeconds=1 Nova__Deadlines__Attempts=3
for op in ScheduleInstance BuildAndRunInstance TerminateInstance; do export Nova__Deadlines__Operations__$op=10; done
export Nova__Quota__Defaults__Instances=-1 Nova__Quota__Defaults__Cores=-1 Nova__Quota__Defaults__RamMb=-1
export ConnectionStrings__Nova

start_api() {
  (cd src/Api/bin/Release/net10.0 && exec dotnet Nova.Api.dll) >>"$NOVA_DATA/logs/api.log" 2>&1 &
  API_PID=$!
  for _ in $(seq 1 300); do curl -sf "$Nova__Api__Url/" >/dev/null && return 0; sleep 0.2; done
  echo "the API did not answer; see $NOVA_DATA/logs/api.log" >&2; return 1
}
start_worker() {
  (cd src/ComputeWorker/bin/Release/net10.0 && exec dotnet Nova.ComputeWorker.dll) >>"$NOVA_DATA/logs/compute.log" 2>&1 &
  WORKER_PID=$!
}
kill_part() {
  case $1 in
    worker) kill -9 "$WORKER_PID"; wait "$WORKER_PID" 2>/dev/null ;;
    api) kill -9 "$API_PID"; wait "$API_PID" 2>/dev/null ;;
    postgres) pkill -9 -f "postgres -D $NOVA_DATA/pg/data"; kill -9 "$NOVA_PG_PID" 2>/dev/null; wait "$NOVA_PG_PID" 2>/dev/null ;;
    rabbitmq) pkill -9 -f "beam.smp.*-home $NOVA_DATA/rmq"; kill -9 "$NOVA_RMQ_PID" 2>/dev/null; wait "$NOVA_RMQ_PID" 2>/dev/null ;;
  esac
}
restart_part() {
  case $1 in
    worker) start_worker ;;
    api) start_api ;;
    postgres) start_postgres durable >/dev/null ;;
    rabbitmq) ( rmq_env; epmd -port "$ERL_EPMD_PORT" -kill >/dev/null 2>&1 ); start_rabbitmq >/dev/null ;;
  esac
}

start_api || exit 1
start_worker
# The first burst needs the hosts registered.
for _ in $(seq 1 150); do
  [ "$(curl -sf -H 'X-Auth-Token: admin:chaos' "$Nova__Api__Url/v2.1/os-hypervisors" | grep -o '"state": *"up"' | wc -l)" -ge 2 ] && break
  sleep 0.2
done
failed=0; run=0
for scenario in "${SCENARIOS[@]}"; do
  read -r part load <<<"$scenario"
  run=$((run + 1))
  # Deletes need servers to delete: boot them first, undisturbed.
  [ "$load" = deletes ] && python3 scripts/chaos_load.py "$Nova__Api__Url" boots "$N" "$part" >/dev/null
  python3 scripts/chaos_load.py "$Nova__Api__Url" "$load" "$N" "$part" &
  load_pid=$!
  sleep 1.5
  kill_part "$part"
  sleep "${NOVA_CHAOS_DOWN_SECONDS:-5}"
  restart_part "$part"
  wait $load_pid
  if python3 scripts/chaos_check.py "$Nova__Api__Url" "$scenario" "$N"; then :; else failed=$((failed + 1)); fi
done
echo "chaos: $run scenarios, $((run - failed)) passed, $failed failed"
[ $failed -eq 0 ]
