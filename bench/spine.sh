#!/usr/bin/env bash
# The spine benchmark: starts a private stack with scripts/run.sh on non-default ports and a fresh
# data folder, warms it up, runs bench/Nova.Bench (the 50-server scenarios of targets.md) against
# it, writes the Markdown report to bench/results-spine.md, then stops the stack with SIGTERM.
#
#   bash bench/spine.sh
#   BENCH_COUNT=50                       servers per scenario
#   BENCH_OUT=bench/results-spine.md     where the report goes
#   BENCH_FAKE_CAPACITY=vcpus=1000,memory_mb=800000,disk_gb=600000
#       size of the fake host, default Nova's fake driver (nova/virt/fake.py), which the Zed reference
#       used; set it empty to keep run.sh's default (this machine's nproc vCPUs, no overcommit).
#   BENCH_TIMEOUT=120                    seconds a phase may take before it is reported as failed
#   BENCH_QUIET_WAIT=300                 seconds to wait, after the warm-up, for the machine to be quiet
#                                        (< 15 % CPU over 3 s); the report says whether it was
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

PG_PORT=26452 RMQ_PORT=26740 API_PORT=8775
API_URL=http://127.0.0.1:$API_PORT
COUNT=${BENCH_COUNT:-50}
OUT=${BENCH_OUT:-bench/results-spine.md}
FAKE_CAPACITY=${BENCH_FAKE_CAPACITY-vcpus=1000,memory_mb=800000,disk_gb=600000}
TOKEN=bench:bench
H=(-H "X-Auth-Token: $TOKEN" -H "OpenStack-API-Version: compute 2.37" -H "Content-Type: application/json")

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# Refuse to start on top of something else: another stack uses 8774/25432/25720, we use our own.
for port in $API_PORT $PG_PORT $RMQ_PORT $((RMQ_PORT + 1)) $((RMQ_PORT + 2)); do
  if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
    echo "port $port is already in use; is another benchmark stack running?" >&2; exit 1
  fi
done

log "building bench/Nova.Bench"
dotnet build bench/Nova.Bench/Nova.Bench.csproj -c Release -nologo -clp:ErrorsOnly >/dev/null
BENCH_DLL=$ROOT/bench/Nova.Bench/bin/Release/net10.0/Nova.Bench.dll

stop_stack() {
  [ -n "${RUN_PID:-}" ] || return 0
  if kill -0 "$RUN_PID" 2>/dev/null; then
    log "stopping the stack (SIGTERM to run.sh, pid $RUN_PID)"
    kill -TERM "$RUN_PID" 2>/dev/null || true
  fi
  wait "$RUN_PID" 2>/dev/null || true
  RUN_PID=
  log "stack stopped: $(tail -n 1 "$DATA/run.log")"
}
trap stop_stack EXIT
trap 'exit 130' INT TERM

alive() { kill -0 "$RUN_PID" 2>/dev/null; }

# Starts run.sh with a fresh data folder and waits until GET / answers. Returns 2 when a port was
# taken meanwhile: our ports lie in the kernel's ephemeral range (32768-60999), so a client socket
# of anything else on the machine can hold one for a moment.
start_stack() {
  # postgres (another user) must be able to traverse the folder: mktemp makes it 0700
  DATA=$(mktemp -d /tmp/nova-bench.XXXXXX)
  chmod 755 "$DATA"
  STACK_ENV=(NOVA_DATA="$DATA" NOVA_PG_PORT=$PG_PORT NOVA_RMQ_PORT=$RMQ_PORT NOVA_API_URL=$API_URL)
  [ -n "$FAKE_CAPACITY" ] && STACK_ENV+=(NOVA_FAKE_CAPACITY="$FAKE_CAPACITY")
  # Its own gRPC port too, so the bench runs beside a run.sh stack (8779).
  STACK_ENV+=(NOVA_GRPC_URL=${GRPC_URL:-http://127.0.0.1:8780})
  # Nova's default quota (10 instances, 20 cores) would refuse the 50-server scenarios: lift it, as the Nova runs did.
  STACK_ENV+=(Nova__Quota__Defaults__Instances=-1 Nova__Quota__Defaults__Cores=-1 Nova__Quota__Defaults__RamMb=-1)
  log "starting the stack: ${STACK_ENV[*]} bash scripts/run.sh (output in $DATA/run.log)"
  env "${STACK_ENV[@]}" bash scripts/run.sh >"$DATA/run.log" 2>&1 &
  RUN_PID=$!
  log "waiting for GET $API_URL/ (run.sh builds the solution first)"
  local deadline=$((SECONDS + 900))
  until curl -sf -o /dev/null "$API_URL/"; do
    if ! alive; then
      wait "$RUN_PID" 2>/dev/null || true
      RUN_PID=
      echo "run.sh exited early; its output:" >&2; tail -n 30 "$DATA/run.log" >&2
      if grep -rqsiE 'address already in use|eaddrinuse' "$DATA/run.log" "$DATA/pg/pg.log" "$DATA/rmq/log" "$DATA/logs"; then
        return 2
      fi
      return 1
    fi
    (( SECONDS < deadline )) || { echo "the API did not answer GET / in time" >&2; return 1; }
    sleep 0.5
  done
}

for attempt in 1 2 3 4 5; do
  rc=0; start_stack || rc=$?
  [ $rc -eq 0 ] && break
  [ $rc -eq 2 ] && [ $attempt -lt 5 ] || exit 1
  log "a port was taken meanwhile (ephemeral port clash); retrying with a fresh data folder"
  sleep 2
done
log "API answers; warming up: create one server until it reaches ACTIVE (the fake host has registered), then delete it"

body='{"server": {"name": "bench-warmup", "flavorRef": "1", "imageRef": "8f4c3b2a-1d5e-4c6f-9a7b-0e1d2c3b4a59", "networks": "none"}}'
deadline=$((SECONDS + 300)) attempt=0 ready=
while (( SECONDS < deadline )); do
  alive || { echo "run.sh exited during the warm-up; see $DATA/run.log and $DATA/logs" >&2; tail -n 30 "$DATA/run.log" >&2; exit 1; }
  attempt=$((attempt + 1))
  id=$(curl -s -X POST "${H[@]}" -d "$body" "$API_URL/v2.1/servers" | jq -r '.server.id // empty' 2>/dev/null || true)
  if [ -z "$id" ]; then sleep 1; continue; fi
  status=
  for _ in $(seq 1 100); do
    status=$(curl -s "${H[@]}" "$API_URL/v2.1/servers/$id" | jq -r '.server.status // empty' 2>/dev/null || true)
    [[ $status == ACTIVE || $status == ERROR ]] && break
    sleep 0.1
  done
  curl -s -o /dev/null -X DELETE "${H[@]}" "$API_URL/v2.1/servers/$id" || true
  for _ in $(seq 1 100); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "${H[@]}" "$API_URL/v2.1/servers/$id")" = 404 ] && break
    sleep 0.1
  done
  log "warm-up attempt $attempt: server $id reached ${status:-nothing}"
  if [ "$status" = ACTIVE ]; then ready=1; break; fi
  sleep 1
done
[ -n "$ready" ] || { echo "no server reached ACTIVE during the warm-up; see $DATA/logs" >&2; exit 1; }

COMMAND="bash bench/spine.sh  # stack: ${STACK_ENV[*]} bash scripts/run.sh"
log "running the benchmark ($COUNT servers); report → $OUT"
rc=0
dotnet "$BENCH_DLL" --url "$API_URL" --count "$COUNT" --data "$DATA" --timeout "${BENCH_TIMEOUT:-120}" --quiet-wait "${BENCH_QUIET_WAIT:-300}" \
  --command "$COMMAND" >"$OUT.tmp" || rc=$?
mv "$OUT.tmp" "$OUT"
cat "$OUT"

stop_stack
echo >&2
log "stack logs: $DATA/logs (data folder kept: $DATA)"
for f in "$DATA"/logs/*.log; do
  n=$(grep -ciE '^(fail|crit)|exception|error' "$f" || true)
  log "  $(basename "$f"): $(wc -l <"$f") lines, $n lines mentioning fail/crit/exception/error"
done
exit $rc
