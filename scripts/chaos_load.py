"""The load of one chaos scenario: N boots (tagged with the scenario) or the deletion of every server. Each request is
retried until the API answers it (the API or its database may be down for a while): what the user would do."""
import json, os, sys, time, urllib.request, urllib.error
from concurrent.futures import ThreadPoolExecutor

api, load, n, tag = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
HEADERS = {"X-Auth-Token": "admin:chaos", "Content-Type": "application/json", "OpenStack-API-Version": "compute 2.72"}

def call(method, path, body=None, deadline=180, prefix="/v2.1"):
    end = time.time() + deadline
    while True:
        req = urllib.request.Request(api + prefix + path, method=method, headers=HEADERS,
                                     data=json.dumps(body).encode() if body is not None else None)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            if e.code < 500 or e.code == 501:
                if e.code >= 400 and os.environ.get("NOVA_CHAOS_VERBOSE"):
                    print(method, path, e.code, e.read()[:300], file=sys.stderr)
                return e.code, None
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        if time.time() > end:
            return 0, None
        time.sleep(0.5)

IMAGE = None

def boot(i):
    return call("POST", "/servers", {"server": {"name": f"chaos-{tag}-{i}", "flavorRef": "1", "imageRef": IMAGE, "networks": "none"}})[0]

def delete(server):
    return call("DELETE", f"/servers/{server['id']}")[0]

with ThreadPoolExecutor(8) as pool:
    if load == "boots":
        # The image API (the compute proxy /v2.1/images ends at 2.35, as in Nova)
        IMAGE = call("GET", "/v2/images", prefix="/image")[1]["images"][0]["id"]
        statuses = list(pool.map(boot, range(n)))
    else:
        _, body = call("GET", "/servers?limit=1000")
        statuses = list(pool.map(delete, (body or {}).get("servers", [])))
answers = {}
for s in statuses:
    answers[str(s)] = answers.get(str(s), 0) + 1
print(json.dumps({"load": load, "requests": len(statuses), "answers": answers}))
