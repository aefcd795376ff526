#!/usr/bin/env bash
# Auditors' benchmark: EVENTS events (default 200000) appended straight through Marten (the hash-chain
# trigger included), then GET /v2.1/events/export streamed in full and filtered while the API's resident
# memory is sampled, then every hash chain verified. Uses the PostgreSQL/RabbitMQ on NOVA_PG_PORT /
# NOVA_RMQ_PORT when they already run, else starts throwaway ones under $NOVA_DATA.
#
#   EVENTS=1000000 NOVA_PG_PORT=24742 NOVA_RMQ_PORT=25030 bash bench/audit.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export NOVA_DATA=${NOVA_DATA:-$PWD/.data/bench-audit}
EVENTS=${EVENTS:-200000}
API_URL=http://127.0.0.1:${NOVA_BENCH_API_PORT:-8792}
DB=nova_audit_bench
source scripts/services.sh
mkdir -p "$NOVA_DATA"
API_PID=
cleanup() {
  [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null && wait "$API_PID" 2>/dev/null
  stop_rabbitmq; stop_postgres
}
trap cleanup EXIT
$PGBIN/pg_isready -q -h 127.0.0.1 -p "$NOVA_PG_PORT" || start_postgres throwaway
(exec 3<>/dev/tcp/127.0.0.1/$NOVA_RMQ_PORT) 2>/dev/null || start_rabbitmq
psql() { $PGBIN/psql -h 127.0.0.1 -p "$NOVA_PG_PORT" -U postgres "$@"; }
psql -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" postgres
export ConnectionStrings__Nova="Host=127.0.0.1;Port=$NOVA_PG_PORT;Database=$DB;Username=postgres;Maximum Pool Size=50"

dotnet build src/Api -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build bench/Nova.AuditBench -c Release -nologo -clp:ErrorsOnly >/dev/null
BENCH="dotnet bench/Nova.AuditBench/bin/Release/net10.0/Nova.AuditBench.dll"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(lscpu | sed -n 's/^Model name: *//p')"

$BENCH seed "$ConnectionStrings__Nova" "$EVENTS"

(cd src/Api/bin/Release/net10.0 && Nova__Api__Url=$API_URL Nova__RabbitMq__Host=127.0.0.1 Nova__RabbitMq__Port=$NOVA_RMQ_PORT \
   Nova__Bus__QueuePrefix=auditbench. exec dotnet Nova.Api.dll) >"$NOVA_DATA/api.log" 2>&1 &
API_PID=$!
for _ in $(seq 1 300); do curl -sf "$API_URL/" >/dev/null && break; sleep 0.2; done
top=$(psql -tAc "SELECT max(seq_id) FROM nova.mt_events" $DB)
for _ in $(seq 1 600); do
  hwm=$(curl -sf -H 'X-Auth-Token: admin:admin' "$API_URL/v2.1/events?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["high_water_mark"])')
  [ "$hwm" -ge "$top" ] && break; sleep 0.5
done
echo "store: $(psql -tAc "SELECT count(*) FROM nova.mt_events" $DB) events, $(psql -tAc "SELECT pg_size_pretty(pg_total_relation_size('nova.mt_events'))" $DB) in mt_events, high-water mark $hwm"

echo "--- full export"; $BENCH export "$API_URL" "$API_PID"
echo "--- full export again (warm)"; $BENCH export "$API_URL" "$API_PID"
echo "--- filtered export (?project_id=project-3, a tenth of the store)"; $BENCH export "$API_URL" "$API_PID" "?project_id=project-3"
echo "--- one page of the feed, filtered by project, far into the store"
after=$(( top / 2 ))
curl -s -o /dev/null -w "GET /v2.1/events?project_id=project-7&after=$after&limit=1000: %{http_code} in %{time_total} s\n" \
  -H 'X-Auth-Token: admin:admin' "$API_URL/v2.1/events?project_id=project-7&after=$after&limit=1000"
echo "--- verify every chain"; $BENCH verify "$ConnectionStrings__Nova"
echo "--- what the chain costs an append: 50000 more events without, then with the trigger"
$BENCH seed-unchained "$ConnectionStrings__Nova" 50000
$BENCH seed "$ConnectionStrings__Nova" 50000
