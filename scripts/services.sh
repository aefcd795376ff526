#!/usr/bin/env bash
# Local PostgreSQL and RabbitMQ for run.sh and test.sh: installed from apt when missing,
# started as children of the calling script under $NOVA_DATA, stopped by stop_services.
# Sourced, not executed.

NOVA_PG_PORT=${NOVA_PG_PORT:-25432}
NOVA_RMQ_PORT=${NOVA_RMQ_PORT:-25720}
PGBIN=/usr/lib/postgresql/15/bin

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_dotnet() {
  command -v dotnet >/dev/null && return 0
  echo "the .NET 10 SDK is required (dotnet on PATH)" >&2; return 1
}

# $1 = "durable" (fsync on, for run.sh) or "throwaway" (tests)
start_postgres() {
  local mode=${1:-durable} base=$NOVA_DATA/pg
  apt_install postgresql
  mkdir -p "$base/sock"; chown -R postgres:postgres "$base"
  if [ ! -d "$base/data" ]; then
    runuser -u postgres -- $PGBIN/initdb -D "$base/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$base/initdb.log" 2>&1
  fi
  local extra=()
  [ "$mode" = throwaway ] && extra=(-c fsync=off -c synchronous_commit=off -c full_page_writes=off)
  runuser -u postgres -- $PGBIN/postgres -D "$base/data" -p "$NOVA_PG_PORT" -k "$base/sock" \
    -c listen_addresses=127.0.0.1 -c max_connections=300 "${extra[@]}" >"$base/pg.log" 2>&1 &
  NOVA_PG_PID=$!
  for _ in $(seq 1 200); do $PGBIN/pg_isready -q -h 127.0.0.1 -p "$NOVA_PG_PORT" && return 0; sleep 0.1; done
  echo "PostgreSQL did not start; see $base/pg.log" >&2; return 1
}

stop_postgres() {
  [ -n "${NOVA_PG_PID:-}" ] || return 0
  runuser -u postgres -- $PGBIN/pg_ctl -D "$NOVA_DATA/pg/data" -m fast -w stop >/dev/null 2>&1 || kill "$NOVA_PG_PID" 2>/dev/null
  wait "$NOVA_PG_PID" 2>/dev/null; NOVA_PG_PID=
}

rmq_env() {
  local b=$NOVA_DATA/rmq
  export HOME=$b RABBITMQ_NODENAME=nova@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$NOVA_RMQ_PORT
  export RABBITMQ_DIST_PORT=$((NOVA_RMQ_PORT + 1)) ERL_EPMD_PORT=$((NOVA_RMQ_PORT + 2)) ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_BASE=$b RABBITMQ_MNESIA_BASE=$b/mnesia RABBITMQ_LOG_BASE=$b/log RABBITMQ_PID_FILE=$b/rabbit.pid \
         RABBITMQ_ENABLED_PLUGINS_FILE=$b/enabled_plugins RABBITMQ_CONFIG_FILE=$b/rabbitmq RABBITMQ_CONF_ENV_FILE=$b/rabbitmq-env.conf
  # the server's and the CLI's Erlang crash dumps would otherwise land in the working directory (the repository)
  export ERL_CRASH_DUMP=$b/log/erl_crash.dump
}

start_rabbitmq() {
  apt_install rabbitmq-server
  local b=$NOVA_DATA/rmq
  mkdir -p "$b/log" "$b/mnesia"; echo '[].' > "$b/enabled_plugins"; : > "$b/rabbitmq-env.conf"
  # the server and every CLI call must share HOME (the Erlang cookie); keep the caller's HOME intact
  ( rmq_env
    epmd -address 127.0.0.1 -port "$ERL_EPMD_PORT" -daemon
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
      exec /usr/lib/rabbitmq/bin/rabbitmq-server >"$b/log/stdout.log" 2>&1 ) &
  NOVA_RMQ_PID=$!
  for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/$NOVA_RMQ_PORT) 2>/dev/null && break; sleep 0.2; done
  ( rmq_env; /usr/lib/rabbitmq/bin/rabbitmqctl -q await_startup --timeout 60 ) || {
    echo "RabbitMQ did not start; see $b/log" >&2; return 1; }
}

stop_rabbitmq() {
  [ -n "${NOVA_RMQ_PID:-}" ] || return 0
  ( rmq_env; /usr/lib/rabbitmq/bin/rabbitmqctl -q shutdown >/dev/null 2>&1 ) || kill "$NOVA_RMQ_PID" 2>/dev/null
  wait "$NOVA_RMQ_PID" 2>/dev/null; NOVA_RMQ_PID=
  ( rmq_env; epmd -port "$ERL_EPMD_PORT" -kill >/dev/null 2>&1 ) || true
}

nova_connection_strings() {
  export ConnectionStrings__Nova="Host=127.0.0.1;Port=$NOVA_PG_PORT;Database=nova;Username=postgres;Maximum Pool Size=100"
  export ConnectionStrings__NovaAdmin="Host=127.0.0.1;Port=$NOVA_PG_PORT;Database=postgres;Username=postgres"
  export Nova__RabbitMq__Host=127.0.0.1 Nova__RabbitMq__Port=$NOVA_RMQ_PORT
}

# libvirtd (with virtlogd) for the libvirt compute driver and its tests. Without a service manager the daemons
# are started here, libvirtd under tini as a subreaper (QEMU's exit is then reaped at once: destroy ≈ 0.2 s, not
# 1.5 s). A libvirtd that already runs (started by the system or an earlier run) is used as it is and left running.
start_libvirt() {
  apt_install qemu-utils qemu-system-x86 libvirt-daemon-system tini || return 1
  local conf=/etc/libvirt/qemu.conf log=$NOVA_DATA/libvirt
  mkdir -p "$log"
  # QEMU runs as root (instance folders are root-only), without security labels or cgroups (none usable here).
  if ! grep -q '^# nova-es settings' "$conf" 2>/dev/null; then
    printf '\n# nova-es settings\nuser = "root"\ngroup = "root"\nsecurity_driver = "none"\ncgroup_controllers = [ ]\n' >>"$conf"
  fi
  if pgrep -x libvirtd >/dev/null; then
    NOVA_LIBVIRT_STARTED=
  else
    pgrep -x virtlogd >/dev/null || virtlogd -d
    ( exec tini -s -- libvirtd ) >"$log/libvirtd.log" 2>&1 &
    NOVA_LIBVIRT_PID=$!
    NOVA_LIBVIRT_STARTED=1
  fi
  for _ in $(seq 1 100); do
    [ -S /run/libvirt/libvirt-sock ] && virsh -c qemu:///system version >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "libvirtd did not start; see $log/libvirtd.log" >&2; return 1
}

stop_libvirt() {
  [ -n "${NOVA_LIBVIRT_STARTED:-}" ] && [ -n "${NOVA_LIBVIRT_PID:-}" ] || return 0
  kill "$NOVA_LIBVIRT_PID" 2>/dev/null; wait "$NOVA_LIBVIRT_PID" 2>/dev/null
  NOVA_LIBVIRT_PID=; NOVA_LIBVIRT_STARTED=
}

# supervise NAME LOG COMMAND…: runs COMMAND as a service manager would. When it exits (crash, kill -9, OOM) its
# death and restart are logged and it is started again after 1 s, 2 s, 4 s … at most 30 s; the delay starts over
# once a run has lasted NOVA_RESTART_RESET_SECONDS (default 60), so a process that crashes once a day is back at
# once and one that crashes at start-up does not spin. Output goes to LOG, appended across restarts.
# Run it in the background; TERM stops the command and the supervision (cleanup in run.sh sends it).
supervise() {
  local name=$1 log=$2; shift 2
  local delay=1 child= started status reset=${NOVA_RESTART_RESET_SECONDS:-60}
  trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; [ -n "$child" ] && wait "$child" 2>/dev/null; exit 0' TERM
  say() { echo "[$(date +%T)] $name: $*" | tee -a "$log" >&2; }
  while :; do
    started=$SECONDS
    "$@" >>"$log" 2>&1 &
    child=$!
    status=0; wait "$child" || status=$?
    child=
    if [ $((SECONDS - started)) -ge "$reset" ]; then delay=1; fi
    if [ "$status" -gt 128 ]; then
      say "exited on signal $(kill -l $((status - 128)) 2>/dev/null || echo $((status - 128))) after $((SECONDS - started)) s; restarting in $delay s"
    else
      say "exited with status $status after $((SECONDS - started)) s; restarting in $delay s"
    fi
    # sleep in the background so TERM interrupts the wait at once
    sleep "$delay" & child=$!; wait "$child" || true; child=
    say "restarting"
    delay=$((delay * 2 > 30 ? 30 : delay * 2))
  done
}
