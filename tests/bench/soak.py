#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Soak: a day at a venue, compressed. Standard library only.

Starts a real `forumd serve` (tests/e2e/harness.py), fills an event
(slots, rooms, topics, participants), then for --duration seconds runs:

  * --pollers wall displays, each polling GET /schedule with If-None-Match
    every --poll-interval seconds on its own keep-alive connection;
  * --votes-per-s votes (PUT and, one time in five, DELETE), spread over
    the participants so that no token nears its write rate limit; each
    participant's votes are sent one after the other, so the last answer
    acknowledged is the state that must be stored;
  * one re-allocation and publication every --realloc-every seconds.

At the end it checks that every acknowledged vote is what GET /me/votes
returns (no acknowledged vote lost), then prints the figures: requests,
errors, latency percentiles per kind, resident memory of the daemon after
warm-up (60 s), at the end of the load and at most (drift: these two
points, and the medians of the first minute after warm-up and of the last
minute), and writes them as JSON with --json. Every 5 s it samples the resident size with the
daemon's own memory gauges from /metrics (malloc's heap and what of it is
in use, SQLite's memory and page caches, open connections), which tell a
leak from fragmentation and from caches filling.

    tests/bench/soak.py --forumd build/src/forumd            # 10 minutes, 300 pollers
    tests/bench/soak.py --duration 30 --pollers 50 --votes-per-s 10

Exit status: 0 when there were no errors and no lost vote, 1 otherwise.
The thresholds of docs/reliability.md (p99 < 50 ms, drift < 5 %) are
printed as figures, not asserted (speed is measured, not tested).
"""

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import harness  # noqa: E402

API = "/api/v1"


class Conn:
    """One keep-alive HTTP/1.1 connection over asyncio streams."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def _open(self):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, method, path, token=None, body=None, headers=None):
        """Returns (status, headers dict, body bytes). Reconnects once if closed."""
        for attempt in (0, 1):
            if self.writer is None:
                await self._open()
            try:
                return await self._request(method, path, token, body, headers)
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 1:
                    raise
        raise ConnectionError("unreachable")

    async def _request(self, method, path, token, body, headers):
        data = json.dumps(body).encode() if body is not None else b""
        lines = ["%s %s HTTP/1.1" % (method, path), "Host: %s:%d" % (self.host, self.port)]
        if token:
            lines.append("Authorization: Bearer " + token)
        if body is not None:
            lines.append("Content-Type: application/json")
        if body is not None or method in ("POST", "PUT", "PATCH"):
            lines.append("Content-Length: %d" % len(data))
        for k, v in (headers or {}).items():
            lines.append("%s: %s" % (k, v))
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + data)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        hdrs = {}
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            k, _, v = line.decode("latin-1").partition(":")
            hdrs[k.strip().lower()] = v.strip()
        payload = b""
        if status in (204, 304) or method == "HEAD":
            pass
        elif hdrs.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readline()
                    break
                payload += await self.reader.readexactly(size)
                await self.reader.readline()
        elif "content-length" in hdrs:
            payload = await self.reader.readexactly(int(hdrs["content-length"]))
        else:
            payload = await self.reader.read()
            self.close()
        if hdrs.get("connection", "").lower() == "close":
            self.close()
        return status, hdrs, payload


class Stats:
    def __init__(self):
        self.lat = {}  # kind -> [seconds]
        self.count = {}
        self.errors = []
        self.statuses = {}

    def add(self, kind, seconds, status, ok):
        self.lat.setdefault(kind, []).append(seconds)
        self.count[kind] = self.count.get(kind, 0) + 1
        self.statuses.setdefault(kind, {})
        self.statuses[kind][status] = self.statuses[kind].get(status, 0) + 1
        if not ok and len(self.errors) < 50:
            self.errors.append((kind, status))
        if not ok:
            self.statuses[kind]["errors"] = self.statuses[kind].get("errors", 0) + 1

    def error_count(self):
        return sum(s.get("errors", 0) for s in self.statuses.values())

    def percentiles(self):
        out = {}
        for kind, xs in self.lat.items():
            xs = sorted(xs)

            def pct(p):
                return xs[min(len(xs) - 1, int(p * len(xs)))] * 1000.0
            out[kind] = {"n": len(xs), "p50_ms": round(pct(0.50), 2),
                         "p99_ms": round(pct(0.99), 2), "max_ms": round(xs[-1] * 1000.0, 2)}
        return out


def rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def setup_event(srv, n_participants, n_topics, n_rooms, n_slots):
    """An event shaped like a real day; returns (eid, fac token, participants, topics)."""
    ev = srv.create_event("Soak forum", max_weight=3)
    eid, fac = ev["id"], ev["facilitator_token"]
    for i in range(n_slots):
        r = srv.post("%s/events/%s/slots" % (API, eid),
                     {"label": "Slot %d" % (i + 1),
                      "starts_at": "2026-05-12T%02d:00:00+02:00" % (9 + i),
                      "ends_at": "2026-05-12T%02d:00:00+02:00" % (10 + i)}, token=fac)
        harness.expect(r.status == 201, "slot created", r)
    for i in range(n_rooms):
        r = srv.post("%s/events/%s/rooms" % (API, eid),
                     {"name": "Room %d" % (i + 1), "capacity": 15 + 5 * (i % 4),
                      "features": ["accessible"] if i % 2 == 0 else []}, token=fac)
        harness.expect(r.status == 201, "room created", r)
    parts = []
    for i in range(n_participants):
        j = srv.join(eid, "Person %d" % (i + 1))
        parts.append((j["id"], j["token"]))
    topics = []
    for i in range(n_topics):
        host = parts[i % len(parts)]
        r = srv.post("%s/events/%s/topics" % (API, eid),
                     {"title": "Topic %d" % (i + 1), "description": "Soak topic %d" % i},
                     token=host[1])
        harness.expect(r.status == 201, "topic created", r)
        topics.append(r.body["id"])
    return eid, fac, parts, topics


async def poller(srv, eid, stats, stop_at, interval, rng):
    conn = Conn(srv.host, srv.port)
    etag = None
    await asyncio.sleep(rng.uniform(0, interval))
    try:
        while time.monotonic() < stop_at:
            t0 = time.monotonic()
            try:
                hdrs = {"If-None-Match": etag} if etag else None
                status, h, _ = await conn.request("GET", "%s/events/%s/schedule" % (API, eid),
                                                  headers=hdrs)
                ok = status in (200, 304)
                if status == 200:
                    etag = h.get("etag", etag)
            except (OSError, ValueError, asyncio.IncompleteReadError):
                status, ok = "conn", False
            stats.add("poll", time.monotonic() - t0, status, ok)
            await asyncio.sleep(max(0.0, interval - (time.monotonic() - t0)))
    finally:
        conn.close()


async def voter(srv, eid, mine, topics, acked, stats, stop_at, interval, rng):
    """Votes for its own participants, one request at a time."""
    conn = Conn(srv.host, srv.port)
    await asyncio.sleep(rng.uniform(0, interval))
    try:
        while time.monotonic() < stop_at:
            t0 = time.monotonic()
            pid, tok = rng.choice(mine)
            tid = rng.choice(topics)
            path = "%s/events/%s/topics/%s/vote" % (API, eid, tid)
            try:
                if rng.random() < 0.2:
                    status, _, _ = await conn.request("DELETE", path, token=tok)
                    ok = status in (200, 204, 404)
                    if status in (200, 204, 404):
                        acked[pid].pop(tid, None)
                else:
                    w = rng.randint(1, 3)
                    status, _, _ = await conn.request("PUT", path, token=tok, body={"weight": w})
                    ok = status in (200, 201, 204)
                    if ok:
                        acked[pid][tid] = w
                    elif status == 409:
                        ok = True  # a topic the participant hosts, or voting closed
            except (OSError, ValueError, asyncio.IncompleteReadError):
                status, ok = "conn", False
            stats.add("vote", time.monotonic() - t0, status, ok)
            await asyncio.sleep(max(0.0, interval - (time.monotonic() - t0)))
    finally:
        conn.close()


async def reallocator(srv, eid, fac, stats, stop_at, every, time_limit_ms):
    conn = Conn(srv.host, srv.port)
    try:
        next_at = time.monotonic()
        while time.monotonic() < stop_at:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            if time.monotonic() >= stop_at:
                break
            next_at += every
            t0 = time.monotonic()
            try:
                status, _, body = await conn.request(
                    "POST", "%s/events/%s/allocation" % (API, eid), token=fac,
                    body={"time_limit_ms": time_limit_ms})
                ok = status == 200
                stats.add("allocate", time.monotonic() - t0, status, ok)
                if ok:
                    aid = json.loads(body)["id"]
                    t1 = time.monotonic()
                    status, _, _ = await conn.request(
                        "POST", "%s/events/%s/schedule/publish" % (API, eid), token=fac,
                        body={"allocation": aid})
                    stats.add("publish", time.monotonic() - t1, status, status in (200, 201))
            except (OSError, ValueError, KeyError, asyncio.IncompleteReadError):
                stats.add("allocate", time.monotonic() - t0, "conn", False)
    finally:
        conn.close()


# The daemon's own gauges sampled with its resident size: /metrics name -> key.
GAUGES = {"forumd_heap_bytes": "heap_kib", "forumd_heap_in_use_bytes": "heap_in_use_kib",
          "forumd_sqlite_memory_bytes": "sqlite_kib",
          "forumd_sqlite_page_cache_bytes": "sqlite_page_cache_kib",
          "forumd_http_connections_open": "connections_open"}


async def daemon_gauges(conn):
    """The daemon's gauges from /metrics (sizes in KiB), a dict."""
    try:
        status, _, body = await conn.request("GET", "/metrics")
    except (OSError, asyncio.IncompleteReadError):
        return {}
    out = {}
    if status != 200:
        return out
    for line in body.decode("utf-8", "replace").splitlines():
        name, _, value = line.partition(" ")
        if name in GAUGES:
            key = GAUGES[name]
            out[key] = int(float(value)) // (1024 if key.endswith("_kib") else 1)
    return out


async def sampler(srv, samples, stop_at, every=5.0):
    """Samples (seconds, VmRSS KiB, the daemon's memory gauges) every few seconds."""
    t_start = time.monotonic()
    conn = Conn(srv.host, srv.port)
    # Only while the load runs: once it stops, the pollers' connections close
    # and the figure would drop.
    while time.monotonic() < stop_at - 0.5:
        samples.append((round(time.monotonic() - t_start, 1), rss_kib(srv.proc.pid),
                        await daemon_gauges(conn)))
        await asyncio.sleep(min(every, max(0.0, stop_at - 0.5 - time.monotonic())))
    conn.close()


async def run_load(srv, eid, fac, parts, topics, args, stats, acked, samples):
    rng = random.Random(args.seed)
    stop_at = time.monotonic() + args.duration
    n_voters = max(1, min(len(parts), int(round(args.votes_per_s))))
    vote_interval = n_voters / args.votes_per_s if args.votes_per_s > 0 else 1e9
    tasks = [poller(srv, eid, stats, stop_at, args.poll_interval, random.Random(rng.random()))
             for _ in range(args.pollers)]
    for v in range(n_voters):
        mine = parts[v::n_voters]
        tasks.append(voter(srv, eid, mine, topics, acked, stats, stop_at, vote_interval,
                           random.Random(rng.random())))
    tasks.append(reallocator(srv, eid, fac, stats, stop_at, args.realloc_every,
                             args.time_limit_ms))
    tasks.append(sampler(srv, samples, stop_at))
    await asyncio.gather(*tasks)


def check_votes(srv, eid, parts, acked):
    """Every acknowledged vote is stored, and nothing else. Returns the mismatches."""
    lost = []
    for pid, tok in parts:
        r = srv.get("%s/events/%s/me/votes" % (API, eid), token=tok)
        if r.status != 200:
            lost.append((pid, "status %d" % r.status))
            continue
        items = r.body if isinstance(r.body, list) else (r.body or {}).get("votes", [])
        stored = {str(v["topic"]): v["weight"] for v in items}
        want = {str(k): v for k, v in acked[pid].items()}
        if stored != want:
            lost.append((pid, {"acknowledged": want, "stored": stored}))
    return lost


def soak(srv, args):
    """Runs the soak on a started server; returns the figures (a dict)."""
    eid, fac, parts, topics = setup_event(srv, args.participants, args.topics, args.rooms,
                                          args.slots)
    stats, samples = Stats(), []
    acked = {pid: {} for pid, _ in parts}
    # The first allocation and publication before the pollers start.
    r = srv.post("%s/events/%s/allocation" % (API, eid), {"time_limit_ms": args.time_limit_ms},
                 token=fac)
    harness.expect(r.status == 200, "first allocation", r)
    r = srv.post("%s/events/%s/schedule/publish" % (API, eid), {"allocation": r.body["id"]},
                 token=fac)
    harness.expect(r.status in (200, 201), "first publication", r)
    t0 = time.monotonic()
    asyncio.run(run_load(srv, eid, fac, parts, topics, args, stats, acked, samples))
    elapsed = time.monotonic() - t0
    lost = check_votes(srv, eid, parts, acked)
    warm = [(kib, gauges) for t, kib, gauges in samples
            if kib and t >= min(60.0, args.duration / 4)]
    rss_warm, rss_end = (warm[0][0], warm[-1][0]) if warm else (None, None)
    rss_max = max(kib for kib, _ in warm) if warm else None
    # The same comparison with a minute of samples on each side (medians),
    # so that where the two points fall in the re-allocation cycle (the
    # solver's peak) does not decide the figure.
    t_warm = min(60.0, args.duration / 4)
    t_last = max(t_warm, samples[-1][0] - 60.0) if samples else t_warm
    first = [kib for t, kib, _ in samples if kib and t_warm <= t < t_warm + 60.0]
    last = [kib for t, kib, _ in samples if kib and t >= t_last]
    drift_median = (100.0 * (statistics.median(last) - statistics.median(first))
                    / statistics.median(first)) if first and last else None
    drift = (100.0 * (rss_end - rss_warm) / rss_warm) if rss_warm else None
    memory = {"warm": warm[0][1], "end": warm[-1][1]} if warm else {}
    return {
        "duration_s": round(elapsed, 1),
        "pollers": args.pollers, "poll_interval_s": args.poll_interval,
        "votes_per_s_target": args.votes_per_s, "participants": len(parts),
        "topics": len(topics), "realloc_every_s": args.realloc_every,
        "requests": {k: v for k, v in stats.count.items()},
        "requests_per_s": round(sum(stats.count.values()) / elapsed, 1),
        "statuses": {k: {str(s): n for s, n in v.items()} for k, v in stats.statuses.items()},
        "errors": stats.error_count(), "first_errors": stats.errors[:10],
        "latency": stats.percentiles(),
        "rss_kib_warm": rss_warm, "rss_kib_end": rss_end,
        "rss_drift_percent": round(drift, 2) if drift is not None else None,
        "rss_kib_max": rss_max,
        "rss_drift_median_percent": round(drift_median, 2) if drift_median is not None else None,
        "memory_kib": memory,
        "rss_samples": samples,
        "votes_acknowledged_checked": sum(len(v) for v in acked.values()),
        "votes_lost": len(lost), "lost_detail": lost[:5],
    }


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--forumd", default=os.environ.get("FORUMD"),
                    help="the forumd binary (default: $FORUMD)")
    ap.add_argument("--duration", type=float, default=600.0)
    ap.add_argument("--pollers", type=int, default=300)
    ap.add_argument("--poll-interval", type=float, default=2.0)
    ap.add_argument("--votes-per-s", type=float, default=20.0)
    ap.add_argument("--realloc-every", type=float, default=60.0)
    ap.add_argument("--time-limit-ms", type=int, default=2000)
    ap.add_argument("--participants", type=int, default=200)
    ap.add_argument("--topics", type=int, default=40)
    ap.add_argument("--rooms", type=int, default=8)
    ap.add_argument("--slots", type=int, default=6)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", help="write the figures to this file")
    return ap.parse_args(argv)


def main():
    args = parse_args()
    if not args.forumd:
        sys.exit("soak: give --forumd or set FORUMD")
    srv = harness.Server(binary=os.path.abspath(args.forumd), log_level="warn")
    srv.start()
    try:
        figures = soak(srv, args)
        srv.stop()
        figures["exit_status"] = 0
    finally:
        srv.cleanup()
    slim = dict(figures)
    slim.pop("rss_samples")
    print(json.dumps(slim, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=2)
    sys.exit(0 if figures["errors"] == 0 and figures["votes_lost"] == 0 else 1)


if __name__ == "__main__":
    main()
