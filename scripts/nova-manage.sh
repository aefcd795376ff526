#!/usr/bin/env bash
# Operator commands against the control plane's database (a wrapper over src/Manage):
#
#   bash scripts/nova-manage.sh projections list             positions and lag of projections and subscriptions
#   bash scripts/nova-manage.sh projections rebuild NAME     rebuild one read model (ServerView, InstanceActionLog)
#   bash scripts/nova-manage.sh projections rebuild --all    rebuild all of them in one pass over the events
#   bash scripts/nova-manage.sh projections rebuild-server ID   rebuild one server's read models
#   bash scripts/nova-manage.sh audit verify [--server ID]   recompute the hash chains (exit 1 when tampered with)
#   bash scripts/nova-manage.sh audit seal                   chain streams recorded before the chains existed
#   bash scripts/nova-manage.sh parked list                  messages parked in error queues, with the reason
#   bash scripts/nova-manage.sh parked replay QUEUE [ID]     send them back to their queue once the cause is fixed
#
# Connects where scripts/run.sh's API does (NOVA_PG_PORT, default 25432, database nova; RabbitMQ on NOVA_RMQ_PORT);
# set ConnectionStrings__Nova and Nova__RabbitMq__Host/Port/User/Pass to point it elsewhere. The tool is built on first use and rebuilt only
# when its sources change. Exit codes: 0 done, 1 failed, 2 bad usage or unknown projection/server.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/scripts/services.sh"
ensure_dotnet
[ -n "${ConnectionStrings__Nova:-}" ] || nova_connection_strings
export ConnectionStrings__Nova

DLL=$ROOT/src/Manage/bin/Release/net10.0/nova-manage.dll
if [ ! -f "$DLL" ] || [ -n "$(find "$ROOT/src/Manage" "$ROOT/src/Projections" "$ROOT/src/Store" "$ROOT/src/Domain" \
      \( -name '*.cs' -o -name '*.csproj' \) -not -path '*/obj/*' -not -path '*/bin/*' -newer "$DLL" -print -quit)" ]; then
  echo "building nova-manage…" >&2
  dotnet build "$ROOT/src/Manage/Manage.csproj" -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary" >&2
  touch "$DLL"
fi
exec dotnet "$DLL" "$@"
