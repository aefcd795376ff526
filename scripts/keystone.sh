#!/usr/bin/env bash
# A real Keystone (Debian's python3-keystone served by uwsgi, fernet tokens) for run.sh and test.sh: its database
# in the PostgreSQL that services.sh started, its files under $NOVA_DATA/keystone, admin created by
# keystone-manage bootstrap, plus a `service` project with the `nova` service user (admin and service roles) that
# the control plane validates tokens with. Sourced, not executed; needs start_postgres first.
#
#   NOVA_KEYSTONE_PORT        where it listens (default 5000)
#   NOVA_ADMIN_PASSWORD       the admin's password (generated and kept in $NOVA_DATA/keystone/admin-password when unset)
#   NOVA_SERVICE_PASSWORD     the nova service user's password (likewise)

NOVA_KEYSTONE_PORT=${NOVA_KEYSTONE_PORT:-5000}

keystone_secret() { # $1 = file; prints the kept secret, making one the first time
  [ -s "$1" ] || { umask 077; python3 -c 'import secrets; print(secrets.token_urlsafe(18))' >"$1"; }
  cat "$1"
}

start_keystone() {
  apt_install python3-keystone python3-psycopg2 uwsgi uwsgi-plugin-python3 || return 1
  local base=$NOVA_DATA/keystone
  mkdir -p "$base/etc" "$base/log"
  export NOVA_KEYSTONE_URL=http://127.0.0.1:$NOVA_KEYSTONE_PORT/v3
  export NOVA_ADMIN_PASSWORD=${NOVA_ADMIN_PASSWORD:-$(keystone_secret "$base/admin-password")}
  export NOVA_SERVICE_PASSWORD=${NOVA_SERVICE_PASSWORD:-$(keystone_secret "$base/service-password")}
  cat >"$base/etc/keystone.conf" <<EOF
[DEFAULT]
log_file = $base/log/keystone.log
[database]
connection = postgresql+psycopg2://postgres@127.0.0.1:$NOVA_PG_PORT/keystone
[token]
provider = fernet
[fernet_tokens]
key_repository = $base/fernet-keys
[credential]
key_repository = $base/credential-keys
EOF
  cat >"$base/etc/uwsgi.ini" <<EOF
[uwsgi]
http-socket = 127.0.0.1:$NOVA_KEYSTONE_PORT
wsgi-file = /usr/bin/keystone-wsgi-public
plugins = python3
master = true
processes = 2
threads = 2
die-on-term = true
# uwsgi's HTTP socket does not keep connections alive; say so, or clients reuse a closed connection
add-header = Connection: close
env = OS_KEYSTONE_CONFIG_DIR=$base/etc
EOF
  local km="keystone-manage --config-file $base/etc/keystone.conf"
  $PGBIN/psql -h 127.0.0.1 -p "$NOVA_PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='keystone'" | grep -q 1 \
    || $PGBIN/psql -h 127.0.0.1 -p "$NOVA_PG_PORT" -U postgres -qc "CREATE DATABASE keystone" || return 1
  {
    $km db_sync &&
    $km fernet_setup --keystone-user root --keystone-group root &&
    $km credential_setup --keystone-user root --keystone-group root &&
    $km bootstrap --bootstrap-password="$NOVA_ADMIN_PASSWORD" --bootstrap-region-id RegionOne \
      --bootstrap-public-url "$NOVA_KEYSTONE_URL/" --bootstrap-internal-url "$NOVA_KEYSTONE_URL/" \
      --bootstrap-admin-url "$NOVA_KEYSTONE_URL/"
  } >"$base/log/manage.log" 2>&1 || { echo "keystone-manage failed; see $base/log/manage.log" >&2; return 1; }
  ( exec uwsgi --ini "$base/etc/uwsgi.ini" ) >"$base/log/uwsgi.log" 2>&1 &
  NOVA_KEYSTONE_PID=$!
  for _ in $(seq 1 300); do
    curl -sf "$NOVA_KEYSTONE_URL" >/dev/null && break
    kill -0 "$NOVA_KEYSTONE_PID" 2>/dev/null || { echo "keystone exited; see $base/log" >&2; return 1; }
    sleep 0.2
  done
  keystone_register_service_user || { echo "could not create the nova service user" >&2; return 1; }
}

stop_keystone() {
  [ -n "${NOVA_KEYSTONE_PID:-}" ] || return 0
  kill -TERM "$NOVA_KEYSTONE_PID" 2>/dev/null; wait "$NOVA_KEYSTONE_PID" 2>/dev/null; NOVA_KEYSTONE_PID=
}

# Keystone's REST API as admin, from Python's standard library (the openstack CLI costs ~2 s per call).
# keystone_rest SCRIPT ARGS…: runs SCRIPT with `call(method, path, body)`, `find_or_create(...)` and `args` defined.
keystone_rest() {
  python3 - "$NOVA_KEYSTONE_URL" "$NOVA_ADMIN_PASSWORD" "$@" <<'PY'
import json, sys, urllib.request, urllib.error
url, password, script, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
def raw(method, path, body=None, token=None):
    req = urllib.request.Request(url + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json", **({"X-Auth-Token": token} if token else {})})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, r.headers, (json.loads(r.read() or b"null"))
    except urllib.error.HTTPError as e:
        return e.code, e.headers, None
status, headers, _ = raw("POST", "/auth/tokens", {"auth": {
    "identity": {"methods": ["password"], "password": {"user": {"name": "admin", "domain": {"id": "default"}, "password": password}}},
    "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}})
assert status == 201, f"admin login failed: {status}"
token = headers["X-Subject-Token"]
def call(method, path, body=None):
    status, _, result = raw(method, path, body, token)
    assert status < 300, f"{method} {path}: {status}"
    return result
def find_or_create(collection, key, match, body):
    for item in call("GET", f"/{collection}")[collection]:
        if all(item.get(k) == v for k, v in match.items()): return item
    return call("POST", f"/{collection}", {key: body})[key]
exec(script)
PY
}

keystone_register_service_user() {
  keystone_rest '
project = find_or_create("projects", "project", {"name": "service"}, {"name": "service", "domain_id": "default"})
user = find_or_create("users", "user", {"name": "nova"}, {"name": "nova", "domain_id": "default", "password": args[0]})
call("PATCH", "/users/" + user["id"], {"user": {"password": args[0]}})
service_role = find_or_create("roles", "role", {"name": "service"}, {"name": "service"})
admin_role = [r for r in call("GET", "/roles?name=admin")["roles"]][0]
for role in (admin_role, service_role):
    call("PUT", "/projects/%s/users/%s/roles/%s" % (project["id"], user["id"], role["id"]))
' "$NOVA_SERVICE_PASSWORD"
}

# keystone_register_endpoints REGION COMPUTE_URL IMAGE_URL: the catalog entries of one control plane
# (services `nova` of type compute and `glance` of type image), public, internal and admin, replacing older ones.
keystone_register_endpoints() {
  keystone_rest '
region, compute_url, image_url = args
if not any(r["id"] == region for r in call("GET", "/regions")["regions"]):
    call("POST", "/regions", {"region": {"id": region}})
for name, type_, target in (("nova", "compute", compute_url), ("glance", "image", image_url)):
    service = find_or_create("services", "service", {"type": type_}, {"name": name, "type": type_})
    for e in call("GET", "/endpoints?service_id=%s&region_id=%s" % (service["id"], region))["endpoints"]:
        call("DELETE", "/endpoints/" + e["id"])
    for interface in ("public", "internal", "admin"):
        call("POST", "/endpoints", {"endpoint": {"service_id": service["id"], "region_id": region, "interface": interface, "url": target}})
' "$@"
}

# write_openrc FILE: the admin's credentials for the openstack CLI against this Keystone.
write_openrc() {
  umask 077
  cat >"$1" <<EOF
export OS_AUTH_URL=$NOVA_KEYSTONE_URL
export OS_IDENTITY_API_VERSION=3
export OS_AUTH_TYPE=password
export OS_USERNAME=admin
export OS_PASSWORD=$NOVA_ADMIN_PASSWORD
export OS_PROJECT_NAME=admin
export OS_USER_DOMAIN_NAME=Default
export OS_PROJECT_DOMAIN_NAME=Default
export OS_REGION_NAME=RegionOne
EOF
}
