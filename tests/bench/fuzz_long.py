#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Long fuzzing of the whole daemon over raw sockets (the libFuzzer runs are
tests/bench/fuzz_long.sh). Standard library only.

Mutates well-formed requests (byte flips, inserted CRLFs, NULs, escapes,
huge lengths, chunked framing, pipelined requests, cut bodies) and sends
them to a real `forumd serve` started with `--timeout 2`; every 200 requests
/healthz must answer 200; at the end the daemon must exit 0 on SIGTERM
with no sanitizer report (use the sanitizer build).

    tests/bench/fuzz_long.py --forumd build/asan/src/forumd --seconds 600 --seed 1
"""
import argparse
import os
import random
import socket
import sys
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness
ap = argparse.ArgumentParser(description="raw HTTP mutation fuzzing of forumd")
ap.add_argument("--forumd", default=os.environ.get("FORUMD"))
ap.add_argument("--seconds", type=float, default=600.0)
ap.add_argument("--seed", type=int, default=1)
args = ap.parse_args()
if not args.forumd:
    sys.exit("fuzz_long.py: give --forumd or set FORUMD")
rng = random.Random(args.seed)
dur = args.seconds
srv = harness.Server(binary=os.path.abspath(args.forumd), extra_args=["--timeout", "2"])
srv.start()
ev = srv.create_event("Raw", join_code="abc")
e, fac = ev["id"], ev["facilitator_token"]
j = srv.join(e, "A", join_code="abc")
t = srv.post("/api/v1/events/%s/topics" % e, {"title": "T"}, token=j["token"]).body["id"]
base = [
 b"GET /api/v1/events/%s HTTP/1.1\r\nHost: x\r\n\r\n" % e.encode(),
 b"POST /api/v1/events/%s/topics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"title\":\"ab\"}" % (e.encode(), j["token"].encode()),
 b"PUT /api/v1/events/%s/topics/%s/vote HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nc\r\n{\"weight\":2}\r\n0\r\n\r\n" % (e.encode(), t.encode(), j["token"].encode()),
 b"GET /api/v1/events/%s/schedule HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"x\", W/\"y\", *\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" % e.encode(),
 b"GET /e/%s/wall HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nRange: bytes=0-10\r\n\r\n" % e.encode(),
 b"POST /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: 14\r\nExpect: 100-continue\r\n\r\n{\"name\":\"ev\"}" % srv.admin_token.encode(),
 b"GET /metrics HTTP/1.0\r\n\r\n",
]
toks = [b"\r\n", b"\r\n\r\n", b"%00", b"%2e%2e/", b"\x00", b"\xff", b"Content-Length: 99999999999999999999\r\n", b"Transfer-Encoding: chunked\r\n", b"ffffffffffffffff\r\n", b" ", b":", b"HTTP/1.1", b"HTTP/0.9", b"/" * 50, b"a" * 5000, b"\r\n\tfolded", b"Host: y\r\n", b"Connection: close\r\n", b"{\"", b"[" * 100]
def mutate(d):
    d = bytearray(d)
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(5)
        if op == 0 and d: d[rng.randrange(len(d))] = rng.randrange(256)
        elif op == 1: i = rng.randrange(len(d) + 1); d[i:i] = rng.choice(toks)
        elif op == 2 and len(d) > 2: i = rng.randrange(len(d)); del d[i:i + rng.randint(1, 20)]
        elif op == 3: i = rng.randrange(len(d) + 1); d[i:i] = rng.choice(base)[:rng.randrange(200)]
        else: d += rng.choice(base)
    return bytes(d)
n = 0; t0 = time.time()
while time.time() - t0 < dur:
    data = mutate(rng.choice(base))
    try:
        with socket.create_connection((srv.host, srv.port), timeout=0.3) as s:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR) if rng.random() < 0.5 else None
            while s.recv(65536): pass
    except OSError:
        pass
    n += 1
    if n % 200 == 0:
        r = srv.get("/healthz")
        if r.status != 200 or not srv.running():
            print("DOWN after", n); print(srv.log_tail()); sys.exit(1)
print("sent", n)
srv.stop()
log = "\n".join(srv.stderr_lines)
bad = "Sanitizer" in log or "runtime error" in log
print("sanitizer report:\n" + srv.log_tail(80) if bad else "clean: no sanitizer report")
srv.cleanup()
sys.exit(1 if bad else 0)
