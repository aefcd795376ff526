#!/usr/bin/python3
"""A walk through the gRPC API with Python (Debian: apt-get install python3-grpcio python3-grpc-tools).

Generate the stubs once, from the repository root:
    /usr/bin/python3 -m grpc_tools.protoc -I src/Api/Grpc/Protos -I /usr/include \
        --python_out=/tmp/nova-grpc --grpc_python_out=/tmp/nova-grpc nova/compute/v1/*.proto
then:
    PYTHONPATH=/tmp/nova-grpc /usr/bin/python3 docs/grpc/demo.py 127.0.0.1:8779
"""
import sys
import time

import grpc
from nova.compute.v1 import events_pb2, events_pb2_grpc, flavors_pb2, flavors_pb2_grpc, servers_pb2, servers_pb2_grpc

address = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8779"
image = sys.argv[2] if len(sys.argv) > 2 else "8f4c3b2a-1d5e-4c6f-9a7b-0e1d2c3b4a59"  # run.sh's default image
channel = grpc.insecure_channel(address)
auth = [("x-auth-token", "alice:demo")]  # noauth2: user:project
servers = servers_pb2_grpc.ServersStub(channel)
flavors = flavors_pb2_grpc.FlavorsStub(channel)
events = events_pb2_grpc.ServerEventsStub(channel)

print("flavors:", [f.name for f in flavors.ListFlavors(flavors_pb2.ListFlavorsRequest(), metadata=auth).flavors])

try:
    servers.GetServer(servers_pb2.GetServerRequest(server_id="00000000-0000-0000-0000-000000000001"), metadata=auth)
except grpc.RpcError as e:
    print("unknown server:", e.code(), e.details())
try:
    servers.ListServers(servers_pb2.ListServersRequest(), metadata=[])
except grpc.RpcError as e:
    print("no token:", e.code(), e.details())


def wait_for(server_id, status):
    while True:
        s = servers.GetServer(servers_pb2.GetServerRequest(server_id=server_id), metadata=auth)
        if s.status == status and not s.task_state:
            return s
        time.sleep(0.1)


created = servers.CreateServer(servers_pb2.CreateServerRequest(
    name="demo", flavor_ref="1", image_ref=image, networks="none"), metadata=auth)
server_id = created.server_ids[0]
print("created:", server_id)
s = wait_for(server_id, "ACTIVE")
print("status:", s.status, "power_state:", s.power_state, "flavor:", s.flavor.name)

try:
    servers.StartServer(servers_pb2.ServerActionRequest(server_id=server_id), metadata=auth)
except grpc.RpcError as e:
    print("start an active server:", e.code(), e.details())

stop = servers.StopServer(servers_pb2.ServerActionRequest(server_id=server_id), metadata=auth)
print("stop recorded at version", stop.version, "request", stop.request_id)
print("status:", wait_for(server_id, "SHUTOFF").status)

history = events.ListServerEvents(events_pb2.ListServerEventsRequest(server_id=server_id), metadata=auth)
for e in history.events:
    print(f"  {e.sequence:>4} v{e.version:<2} {e.type:<28} {e.user_id}/{e.project_id} {e.request_id}")

# Watch the project from the beginning; drop the connection after 4 events, resume from the last sequence.
watch = events.Watch(events_pb2.WatchRequest(project_id="demo", after_position=0), metadata=auth)
seen = []
for e in watch:
    seen.append(e)
    if len(seen) == 4:
        watch.cancel()
        break
print("watched", [e.sequence for e in seen], "then disconnected")
servers.StartServer(servers_pb2.ServerActionRequest(server_id=server_id), metadata=auth)
watch = events.Watch(events_pb2.WatchRequest(project_id="demo", after_position=seen[-1].sequence), metadata=auth)
for e in watch:
    seen.append(e)
    print("  resumed:", e.sequence, e.type)
    if e.type == "server_started":
        watch.cancel()
        break
print("exactly once, in order:", [e.sequence for e in seen] == sorted({e.sequence for e in seen}))

servers.DeleteServer(servers_pb2.DeleteServerRequest(server_id=server_id), metadata=auth)
print("deleted")
