# SPDX-License-Identifier: MIT
"""Graceful stop: SIGTERM or SIGINT while a request is in flight still
answers it, then the daemon closes the database and exits 0; new
connections are refused once it is stopping."""

import json
import signal
import socket
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
