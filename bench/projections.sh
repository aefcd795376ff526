#!/usr/bin/env bash
# The projection benchmark: a private, durable PostgreSQL (fsync on, as run.sh) in a fresh folder,
# then bench/Nova.ProjectionBench: seeds ~127k events of realistic server lifecycles through Marten,
# measures the rebuild rate (Marten's in-place rebuild and nova-manage's zero-downtime rebuild) and
# the live lag of the ServerView projection at a steady append rate. Report: bench/results-projections.md.
#
#   bash bench/projections.sh
#   BENCH_SERVERS=10000   server streams to seed (~12.7 events each)
#   BENCH_RATE=1000       events/s appended during the lag phase (one event per commit)
#   BENCH_SECONDS=30      length of the measured lag phase (after a 3 s warm-up)
#   BENCH_WRITERS=16      concurrent writers sharing that rate
#   BENCH_PER_COMMIT=1    events per commit (each to another server stream)
#   BENCH_OUT=bench/results-projections.md
# Diagnosis: BENCH_DAEMON_LOG=Debug (the daemon's log, timestamped, on stderr), BENCH_GAP_EVIDENCE=off
# (Marten's wall-clock-only gap skipping), BENCH_MIN_THREADS=64 (thread-pool floor of the bench process).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export NOVA_PG_PORT=26452
OUT=${BENCH_OUT:-bench/results-projections.md}
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

if (exec 3<>/dev/tcp/127.0.0.1/$NOVA_PG_PORT) 2>/dev/null; then
  echo "port $NOVA_PG_PORT is already in use; is another benchmark running?" >&2; exit 1
fi
log "building bench/Nova.ProjectionBench"
dotnet build bench/Nova.ProjectionBench/Nova.ProjectionBench.csproj -c Release -nologo -clp:ErrorsOnly >/dev/null

NOVA_DATA=$(mktemp -d /tmp/nova-projbench.XXXXXX); chmod 755 "$NOVA_DATA"; export NOVA_DATA
source scripts/services.sh
trap 'stop_postgres; rm -rf "$NOVA_DATA"' EXIT
start_postgres durable
$PGBIN/psql -h 127.0.0.1 -p $NOVA_PG_PORT -U postgres -qc "CREATE DATABASE nova"
nova_connection_strings

ARGS=(--servers "${BENCH_SERVERS:-10000}" --rate "${BENCH_RATE:-1000}" --seconds "${BENCH_SECONDS:-30}" --writers "${BENCH_WRITERS:-16}" --per-commit "${BENCH_PER_COMMIT:-1}")
log "running Nova.ProjectionBench ${ARGS[*]}"
RESULT=$(dotnet bench/Nova.ProjectionBench/bin/Release/net10.0/Nova.ProjectionBench.dll "${ARGS[@]}")
{
  echo "# Projection benchmark"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo),"
  echo "PostgreSQL 15 durable (fsync on) on the same machine; load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Command: \`bash bench/projections.sh\` (Nova.ProjectionBench ${ARGS[*]})."
  echo
  echo "$RESULT"
} >"$OUT"
cat "$OUT"
