# SPDX-License-Identifier: MIT
"""GET /metrics: Prometheus text on loopback (the api's lines and the http
layer's), 403 from any other address."""

import socket
import time

import harness
from harness import expect


def counter(text, name):
    """The value of the sample `name` in Prometheus text, or 0."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.rpartition(" ")[2])
    return 0.0


def test_metrics_on_loopback(srv):
    for _ in range(3):
        srv.get("/healthz")
    srv.get("/nope")
    # The http layer counts a request when libmicrohttpd reports it complete,
    # which may come a moment after the client has read the answer: read the
    # counters until they have caught up (or the deadline passes).
    deadline = time.monotonic() + 5
    while True:
        r = srv.get("/metrics")
        expect(r.status == 200, "GET /metrics from 127.0.0.1 -> 200", r)
        text = r.text
        if (counter(text, 'forumd_http_requests_total{class="2xx"}') >= 3
                and counter(text, 'forumd_http_requests_total{class="4xx"}') >= 1) \
                or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    expect(r.header("Content-Type", "").startswith("text/plain"), "Prometheus text",
           r.header("Content-Type"))
    for name in ["forumd_http_requests_total{class=\"2xx\"}",
                 "forumd_http_requests_total{class=\"4xx\"}",
                 "forumd_http_connections_open", "forumd_http_connections_total",
                 "forumd_http_received_bytes_total", "forumd_http_sent_bytes_total",
                 "forumd_http_request_duration_seconds_bucket{le=\"+Inf\"}",
                 "forumd_http_request_duration_seconds_count"]:
        expect(name in text, "metrics name " + name, text[:2000])
    values = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            k, _, v = line.rpartition(" ")
            values[k] = float(v)
    expect(values.get('forumd_http_requests_total{class="2xx"}', 0) >= 3,
           "the 2xx requests are counted", values)
    expect(values.get('forumd_http_requests_total{class="4xx"}', 0) >= 1,
           "the 404 is counted", values)
    # The api's own lines are there too (anything not from the http layer).
    api_lines = [k for k in values if not k.startswith("forumd_http_")]
    expect(len(api_lines) > 0, "the api's metrics lines", sorted(values)[:20])


def test_memory_gauges(srv):
    """The memory gauges are there and consistent (their values are measured
    by tests/bench/soak.py, not asserted)."""
    r = srv.get("/metrics")
    expect(r.status == 200, "GET /metrics", r)
    g = {name: counter(r.text, name) for name in [
        "process_resident_memory_bytes", "forumd_heap_bytes", "forumd_heap_in_use_bytes",
        "forumd_sqlite_memory_bytes", "forumd_sqlite_memory_highwater_bytes",
        "forumd_sqlite_page_cache_bytes"]}
    for name in g:
        expect("\n# TYPE %s gauge\n" % name in r.text, "a gauge " + name, r.text[-1500:])
    expect(g["process_resident_memory_bytes"] > 1 << 20, "resident memory above 1 MiB", g)
    expect(0 < g["forumd_sqlite_memory_bytes"] <= g["forumd_sqlite_memory_highwater_bytes"],
           "SQLite holds some memory, at most its high-water mark", g)
    expect(g["forumd_sqlite_page_cache_bytes"] <= g["forumd_sqlite_memory_bytes"],
           "the page caches are part of SQLite's memory", g)
    expect(g["forumd_heap_in_use_bytes"] <= g["forumd_heap_bytes"],
           "malloc uses at most what it holds", g)


def non_loopback_address():
    """An address of this host that is not loopback, or None."""
    for probe in ["192.0.2.1", "10.255.255.255", "8.8.8.8"]:
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.connect((probe, 9))
                addr = s.getsockname()[0]
                if not addr.startswith("127."):
                    return addr
        except OSError:
            continue
    return None


def test_metrics_refused_off_loopback():
    addr = non_loopback_address()
    if addr is None:
        print("  (no non-loopback address on this host: only the loopback half runs)")
    with harness.Server(extra_args=["--listen", "0.0.0.0:0"]) as srv:
        r = srv.get("/metrics")
        expect(r.status == 200, "loopback still allowed on 0.0.0.0", r)
        if addr is not None:
            srv.host = addr
            r = srv.get("/metrics")
            expect(r.status == 403, "GET /metrics from %s -> 403" % addr, r)
            expect(r.error_code() is not None, "403 has the JSON error body", r)
            r = srv.get("/healthz")
            expect(r.status == 200, "other paths answer off loopback", r)
            srv.host = "127.0.0.1"


if __name__ == "__main__":
    harness.main(globals())
