# SPDX-License-Identifier: MIT
"""Connection limits: a whole venue behind one NAT address gets in (at least
256 connections open at once from one address), and the per-address limit
is enforced when set lower (--per-ip-connections)."""

import socket
import time

import harness
from harness import expect


def open_idle(srv, n):
    socks = []
    for _ in range(n):
        s = socket.create_connection((srv.host, srv.port), timeout=30)
        socks.append(s)
    return socks


def ask(s):
    """One request on an open socket; returns the status, or 0 if refused/closed."""
    try:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        data = b""
        while b"\r\n\r\n" not in data:
            c = s.recv(4096)
            if not c:
                return 0
            data += c
        return int(data.split(b" ")[1])
    except OSError:
        return 0


def test_256_concurrent_connections_from_one_address(srv):
    socks = open_idle(srv, 300)
    try:
        # All 300 are open at once; each one gets its answer.
        statuses = [ask(s) for s in socks]
        ok = sum(1 for st in statuses if st == 200)
        expect(ok == 300, "300 connections from 127.0.0.1 all answered", ok)
        r = srv.get("/metrics")
        if r.status == 200:
            line = [x for x in r.text.splitlines()
                    if x.startswith("forumd_http_connections_open ")]
            expect(line and int(line[0].split()[1]) >= 300, "the gauge counts them", line)
    finally:
        for s in socks:
            s.close()


def test_per_address_limit_enforced():
    with harness.Server(extra_args=["--per-ip-connections", "8"]) as srv:
        socks = open_idle(srv, 12)
        try:
            statuses = [ask(s) for s in socks]
            ok = sum(1 for st in statuses if st == 200)
            expect(ok == 8, "exactly 8 of 12 connections admitted", statuses)
        finally:
            for s in socks:
                s.close()
        # Once they are closed (and the server has seen it), new ones get in again.
        status = 0
        for _ in range(100):
            s = socket.create_connection((srv.host, srv.port), timeout=30)
            status = ask(s)
            s.close()
            if status == 200:
                break
            time.sleep(0.1)
        expect(status == 200, "admitted again after closing", status)


def test_slow_client_dropped():
    """A client that stops half-way through its headers is disconnected after
    --timeout seconds, and the others are served meanwhile."""
    with harness.Server(extra_args=["--timeout", "2"]) as srv:
        s = socket.create_connection((srv.host, srv.port), timeout=60)
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            r = srv.get("/healthz")
            expect(r.status == 200, "others are served meanwhile", r)
            try:
                data = s.recv(4096)
            except ConnectionResetError:
                data = b""
            except socket.timeout:
                data = None
            expect(data is not None and not data.startswith(b"HTTP/1.1 200"),
                   "the stalled connection is closed by the server", data)
        finally:
            s.close()


if __name__ == "__main__":
    harness.main(globals())
