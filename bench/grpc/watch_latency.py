#!/usr/bin/python3
"""Watch delivery latency and unary call latency of the gRPC API, against a running control plane.

    /usr/bin/python3 -m grpc_tools.protoc -I src/Api/Grpc/Protos -I /usr/include \
        --python_out=/tmp/nova-grpc --grpc_python_out=/tmp/nova-grpc nova/compute/v1/*.proto
    PYTHONPATH=/tmp/nova-grpc /usr/bin/python3 bench/grpc/watch_latency.py 127.0.0.1:8779 [cycles]

Delivery latency = the moment the watcher receives an event minus the event's timestamp (PostgreSQL's
transaction time of the append, so it includes the commit): what a Watch client waits for a change.
"""
import statistics
import sys
import threading
import time

import grpc
from nova.compute.v1 import events_pb2, events_pb2_grpc, servers_pb2, servers_pb2_grpc

address = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8779"
cycles = int(sys.argv[2]) if len(sys.argv) > 2 else 25
project = f"bench{int(time.time())}"
auth = [("x-auth-token", f"bench:{project}")]
channel = grpc.insecure_channel(address)
servers = servers_pb2_grpc.ServersStub(channel)
events = events_pb2_grpc.ServerEventsStub(channel)


def wait_for(server_id, status):
    while True:
        s = servers.GetServer(servers_pb2.GetServerRequest(server_id=server_id), metadata=auth)
        if s.status == status and not s.task_state:
            return
        time.sleep(0.02)


server_id = servers.CreateServer(servers_pb2.CreateServerRequest(
    name="bench", flavor_ref="1", image_ref="8f4c3b2a-1d5e-4c6f-9a7b-0e1d2c3b4a59", networks="none"), metadata=auth).server_ids[0]
wait_for(server_id, "ACTIVE")

delays, received = [], []
watch = events.Watch(events_pb2.WatchRequest(project_id=project), metadata=auth)


def read():
    try:
        for e in watch:
            now = time.time()
            received.append(e.sequence)
            delays.append((now - e.timestamp.ToNanoseconds() / 1e9) * 1000)
    except grpc.RpcError:
        pass


reader = threading.Thread(target=read)
reader.start()
for _ in range(cycles):
    servers.StopServer(servers_pb2.ServerActionRequest(server_id=server_id), metadata=auth)
    wait_for(server_id, "SHUTOFF")
    servers.StartServer(servers_pb2.ServerActionRequest(server_id=server_id), metadata=auth)
    wait_for(server_id, "ACTIVE")
time.sleep(0.5)
watch.cancel()
reader.join()

history = events.ListServerEvents(events_pb2.ListServerEventsRequest(server_id=server_id), metadata=auth).events
live = delays[-cycles * 4:]  # the stop/start events, streamed live (the build was replayed)
unary = []
for _ in range(300):
    t = time.perf_counter()
    servers.GetServer(servers_pb2.GetServerRequest(server_id=server_id), metadata=auth)
    unary.append((time.perf_counter() - t) * 1000)
servers.DeleteServer(servers_pb2.DeleteServerRequest(server_id=server_id), metadata=auth)

q = lambda xs, p: sorted(xs)[min(len(xs) - 1, int(len(xs) * p))]
print(f"events watched {len(received)}, in history {len(history)}, same sequences: {received == [e.sequence for e in history]}")
print(f"watch delivery (append -> client) over {len(live)} live events: p50 {q(live, .5):.1f} ms, p95 {q(live, .95):.1f} ms, max {max(live):.1f} ms")
print(f"GetServer round trip over {len(unary)} calls: p50 {q(unary, .5):.2f} ms, p95 {q(unary, .95):.2f} ms")
