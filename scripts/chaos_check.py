"""The checks after one chaos scenario (API, "PART LOAD", servers booted); prints one line, exits 1 when an invariant is broken.
- the burst happened: N servers booted, or none left after the deletes
- no server in a task state once the deadline has passed (waits up to NOVA_CHAOS_SETTLE seconds, default 120)
- claims: every claim belongs to a live server on that host, every ACTIVE or SHUTOFF server has its claim
- quota usage counts exactly the live servers
- no host reports more guests than it has live servers
- the server list equals the list after `nova-manage projections rebuild --all`"""
import json, os, subprocess, sys, time, urllib.request

api, scenario, expected = sys.argv[1], sys.argv[2], int(sys.argv[3])
part, load = scenario.split()
HEADERS = {"X-Auth-Token": "admin:chaos", "OpenStack-API-Version": "compute 2.72"}
PG = ["/usr/lib/postgresql/15/bin/psql", "-h", "127.0.0.1", "-p", os.environ["NOVA_PG_PORT"], "-U", "postgres", "-d", "nova", "-tAc"]

def get(path):
    req = urllib.request.Request(api + "/v2.1" + path, headers=HEADERS)
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())

def servers():
    return get("/servers/detail?all_tenants=1&limit=1000")["servers"]

def sql(query):
    return subprocess.run(PG + [query], capture_output=True, text=True, check=True).stdout.strip()

settle = float(os.environ.get("NOVA_CHAOS_SETTLE", "120"))
end = time.time() + settle
while True:
    try:
        live = servers()
        stuck = [s for s in live if s.get("OS-EXT-STS:task_state")]
    except Exception as e:  # the API may still be coming back
        live, stuck = None, [str(e)]
    if not stuck or time.time() > end:
        break
    time.sleep(2)
problems = []
if live is None:
    print(f"{scenario}: FAILED (API not answering: {stuck})"); sys.exit(1)
if stuck:
    problems.append(f"{len(stuck)} in a task state: " + ", ".join(f"{s['id']}={s['OS-EXT-STS:task_state']}" for s in stuck[:5]))

# The burst really happened: the boots are there (a retried POST may add one), the deletes took everything.
if load == "boots":
    booted = sum(1 for s in live if s["name"].startswith(f"chaos-{part}-"))
    if booted < expected:
        problems.append(f"only {booted} of {expected} boots recorded")
elif live:
    problems.append(f"{len(live)} servers left after deleting them all")

by_id = {s["id"]: s for s in live}
claims = json.loads(sql("select coalesce(json_agg(json_build_object('host', data->>'Name', 'claims', data->'Claims')), '[]') from nova.mt_doc_computehost"))
for host in claims:
    for server_id in (host["claims"] or {}):
        s = by_id.get(server_id)
        if s is None or s.get("OS-EXT-SRV-ATTR:host") != host["host"]:
            problems.append(f"claim on {host['host']} for {server_id}, which is not a live server there")
claimed = {(h["host"], sid) for h in claims for sid in (h["claims"] or {})}
for s in live:
    if s["status"] in ("ACTIVE", "SHUTOFF") and (s.get("OS-EXT-SRV-ATTR:host"), s["id"]) not in claimed:
        problems.append(f"{s['id']} is {s['status']} on {s.get('OS-EXT-SRV-ATTR:host')} without a claim")

usage = int(sql("select coalesce(sum((select count(*) from jsonb_object_keys(data->'Servers'))), 0) from nova.mt_doc_projectusage") or 0)
if usage != len(live):
    problems.append(f"quota usage counts {usage} servers, {len(live)} are live")

for hv in get("/os-hypervisors/detail")["hypervisors"]:
    on_host = sum(1 for s in live if s.get("OS-EXT-SRV-ATTR:host") == hv["hypervisor_hostname"])
    if hv.get("running_vms", 0) > on_host:
        problems.append(f"{hv['hypervisor_hostname']} runs {hv['running_vms']} guests for {on_host} live servers")

def shape(ss):
    return sorted((s["id"], s["status"], s.get("OS-EXT-STS:task_state"), s.get("OS-EXT-SRV-ATTR:host")) for s in ss)
before = shape(live)
manage = subprocess.run(["dotnet", "src/Manage/bin/Release/net10.0/nova-manage.dll", "projections", "rebuild", "--all"],
                        capture_output=True, text=True)
if manage.returncode != 0:
    problems.append("rebuild failed: " + (manage.stderr or manage.stdout).strip()[:200])
else:
    time.sleep(2)
    after = shape(servers())
    if after != before:
        problems.append(f"read model differs from a rebuild ({len(set(before) ^ set(after))} rows)")

counts = {}
for s in live:
    counts[s["status"]] = counts.get(s["status"], 0) + 1
summary = " ".join(f"{k.lower()}={v}" for k, v in sorted(counts.items()))
if problems:
    print(f"{scenario}: FAILED ({summary}): " + "; ".join(problems[:8])); sys.exit(1)
print(f"{scenario}: ok ({summary}, claims={len(claimed)})")
