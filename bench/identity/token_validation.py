"""What token validation costs the API in keystone mode: the first use of each token (Keystone is asked) and a
cached token. Env: KEYSTONE_URL (http://127.0.0.1:5000/v3), NOVA_HOST/NOVA_PORT (127.0.0.1/8774), OS_PASSWORD (admin's).
Example after `NOVA_AUTH=keystone bash scripts/run.sh`: source .data/run/openrc; python3 bench/identity/token_validation.py"""
import http.client, json, os, statistics, time, urllib.request

ks = os.environ.get("KEYSTONE_URL", "http://127.0.0.1:5000/v3")
pw = os.environ["OS_PASSWORD"]
conn = http.client.HTTPConnection(os.environ.get("NOVA_HOST", "127.0.0.1"), int(os.environ.get("NOVA_PORT", "8774")))

def token():
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin", "domain": {"id": "default"}, "password": pw}}},
            "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
    r = urllib.request.urlopen(urllib.request.Request(ks + "/auth/tokens", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}))
    return r.headers["X-Subject-Token"]

def get(tok):
    t = time.perf_counter()
    conn.request("GET", "/v2.1/flavors", headers={"X-Auth-Token": tok})
    r = conn.getresponse(); r.read()
    assert r.status == 200, r.status
    return (time.perf_counter() - t) * 1000

tokens = [token() for _ in range(20)]
get(tokens[0])
first = [get(t) for t in tokens[1:]]
cached = [get(tokens[0]) for _ in range(500)]
print(f"first use of a token (validated by Keystone): median {statistics.median(first):.1f} ms, max {max(first):.1f} ms, n={len(first)}")
print(f"cached token: median {statistics.median(cached):.2f} ms, p99 {sorted(cached)[int(len(cached) * 0.99)]:.2f} ms, n={len(cached)}")
