# SPDX-License-Identifier: MIT
"""Graceful stop: SIGTERM or SIGINT while a request is in flight still
answers it, then the daemon closes the database and exits 0; new
connections are refused once it is stopping."""

import json
import signal
import socket
import threading
import time

import harness
from harness import expect


def start_slow_request(srv, body):
    """Sends the headers and half of the body of a POST, and returns the socket."""
    s = socket.create_connection((srv.host, srv.port), timeout=30)
    head = ("POST /api/v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Authorization: Bearer %s\r\nContent-Length: %d\r\n\r\n"
            % (srv.admin_token, len(body))).encode()
    s.sendall(head + body[: len(body) // 2])
    time.sleep(0.3)  # let the server read the headers and start the request
    return s


def read_response(s):
    data = b""
    while b"\r\n\r\n" not in data:
        c = s.recv(65536)
        if not c:
            break
        data += c
    head, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v.strip())
    while len(rest) < length:
        c = s.recv(65536)
        if not c:
            break
        rest += c
    status = int(head.split(b" ")[1]) if head.startswith(b"HTTP/") else 0
    return status, rest


def in_flight_survives(sig):
    srv = harness.Server().start()
    try:
        body = json.dumps({"name": "Stopping " + "z" * 150}).encode()
        s = start_slow_request(srv, body)
        srv.proc.send_signal(sig)
        time.sleep(0.5)
        # The listening socket is closed: nobody new gets in.
        refused = False
        try:
            c = socket.create_connection((srv.host, srv.port), timeout=5)
            c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            refused = c.recv(100) == b""
            c.close()
        except OSError:
            refused = True
        expect(refused, "no new connection once stopping")
        expect(srv.running(), "still running while a request is in flight")
        # Now finish the request: it is answered.
        s.sendall(body[len(body) // 2:])
        status, payload = read_response(s)
        s.close()
        expect(status == 201, "the in-flight POST is answered 201 after the signal",
               (status, payload[:200]))
        created = json.loads(payload)
        expect(isinstance(created.get("id"), (str, int)), "with the new event's id", created)
        srv.stop()  # checks exit 0
        # The write was committed: it is there after a restart.
        srv.start()
        r = srv.get("/api/v1/events/%s" % created["id"])
        expect(r.status == 200, "the event created during the stop exists", r)
        srv.stop()
    finally:
        srv.cleanup()


def test_sigterm_in_flight():
    in_flight_survives(signal.SIGTERM)


def test_sigint_in_flight():
    in_flight_survives(signal.SIGINT)


def make_event(srv, topics=24, people=40):
    """An event worth allocating: slots, rooms, topics, participants with votes."""
    ev = srv.create_event("Stop during allocation", max_weight=3, vote_budget=0)
    eid, fac = ev["id"], ev["facilitator_token"]
    e = "/api/v1/events/%s" % eid
    r = srv.patch(e, {"proposals_open": True, "voting_open": True}, token=fac)
    expect(r.status == 200, "open the event", r)
    for i in range(4):
        r = srv.post(e + "/slots", {"label": "S%d" % i,
                                    "starts_at": "2026-06-01T%02d:00:00Z" % (9 + i),
                                    "ends_at": "2026-06-01T%02d:45:00Z" % (9 + i)}, token=fac)
        expect(r.status == 201, "a slot", r)
    for i in range(6):
        r = srv.post(e + "/rooms", {"name": "R%d" % i, "capacity": 12}, token=fac)
        expect(r.status == 201, "a room", r)
    tids = []
    for i in range(topics):
        r = srv.post(e + "/topics", {"title": "T%d" % i}, token=fac)
        expect(r.status == 201, "a topic", r)
        tids.append(r.body["id"])
    for i in range(people):
        p = srv.join(eid, "P%d" % i)
        for k in range(4):
            tid = tids[(i * 7 + k * 5) % len(tids)]
            r = srv.put(e + "/topics/%s/vote" % tid, {"weight": 1 + (i + k) % 3},
                        token=p["token"])
            expect(r.status // 100 == 2, "a vote", r)
    return eid, fac


def test_sigterm_during_allocation():
    """A late answer (the allocation runs off the server threads, the connection is
    suspended) is still sent after SIGTERM, and the daemon exits 0."""
    srv = harness.Server().start()
    try:
        eid, fac = make_event(srv)
        result = {}

        def allocate():
            result["r"] = srv.post("/api/v1/events/%s/allocation" % eid,
                                   {"time_limit_ms": 3000}, token=fac, timeout=120)

        t = threading.Thread(target=allocate)
        t.start()
        time.sleep(0.5)
        srv.proc.send_signal(signal.SIGTERM)
        t.join(timeout=120)
        r = result.get("r")
        expect(r is not None and r.status == 200, "the allocation is answered 200", r)
        expect(isinstance(r.body, dict) and "id" in r.body and "solution" in r.body,
               "with {id, solution}", r)
        srv.stop()
    finally:
        srv.cleanup()


def test_idle_keepalive_does_not_delay_stop(srv):
    conns = []
    for _ in range(5):
        c = srv.connection()
        c.request("GET", "/healthz")
        c.getresponse().read()
        conns.append(c)  # kept open, idle
    t0 = time.monotonic()
    srv.stop()
    expect(time.monotonic() - t0 < 20, "idle connections do not hold the stop",
           time.monotonic() - t0)
    for c in conns:
        c.close()


if __name__ == "__main__":
    harness.main(globals())
