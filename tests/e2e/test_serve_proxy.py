# SPDX-License-Identifier: MIT
"""`forumd serve --trusted-proxy`: X-Forwarded-For names the client only when
it comes from a trusted proxy (rightmost untrusted address), and that client is
what the failed-authentication limit counts, what the access log shows and
what must be on loopback for /metrics. Without the option the header means
nothing. (tests/e2e/test_proxy_nginx.py runs the real nginx in front.)"""

import os
import subprocess

import harness
from harness import expect

FORUMD = os.environ.get("FORUMD")


def metrics(srv, xff):
    return srv.get("/metrics", headers={"X-Forwarded-For": xff})


def fail_auth(srv, xff):
    """One request with an unknown token, as the client that xff names."""
    return srv.post("/api/v1/events", {"name": "x"}, token="no-such-token-0123456789",
                    headers={"X-Forwarded-For": xff})


def logged_client(srv, path_marker):
    """The client address of the access-log line whose target contains path_marker."""
    m = srv.wait_output(r'info  (\S+) "GET [^"]*%s' % path_marker, "stderr")
    return m.group(1) if m else None


def test_usage_errors():
    for args in (["--trusted-proxy", "proxy.example.org"], ["--trusted-proxy", "10.0.0.1/8"],
                 ["--trusted-proxy", "::1/200"], ["--trusted-proxy"],
                 sum([["--trusted-proxy", "10.0.%d.0/24" % i] for i in range(17)], [])):
        p = subprocess.run([FORUMD, "serve", "--listen", "127.0.0.1:0"] + args,
                           capture_output=True, text=True, timeout=60,
                           stdin=subprocess.DEVNULL)
        expect(p.returncode == 2, "forumd serve %s exits 2" % " ".join(args[:2]),
               (p.returncode, p.stderr[-300:]))
        expect("trusted-proxy" in p.stderr, "naming the option", p.stderr[-300:])


def test_header_ignored_without_trusted_proxy():
    srv = harness.Server(log_level="info", extra_args=["--auth-failures-per-minute", "3"])
    with srv:
        r = metrics(srv, "192.0.2.7")
        expect(r.status == 200, "X-Forwarded-For does not move a loopback peer away", r)
        r = srv.get("/healthz?mark=direct", headers={"X-Forwarded-For": "192.0.2.7"})
        expect(logged_client(srv, "mark=direct") == "127.0.0.1",
               "the access log shows the peer", srv.log_tail())
        # Every client behind the same address shares one failure budget.
        codes = [fail_auth(srv, "192.0.2.10").status for _ in range(4)]
        expect(codes[:3] == [401] * 3 and codes[3] == 429, "the 4th failure is refused",
               codes)
        r = fail_auth(srv, "192.0.2.11")
        expect(r.status == 429, "another 'client' is refused too: the header is ignored", r)


def test_trusted_proxy_names_the_client():
    srv = harness.Server(log_level="info",
                         extra_args=["--trusted-proxy", "127.0.0.1",
                                     "--trusted-proxy", "10.0.0.0/8",
                                     "--auth-failures-per-minute", "3"])
    with srv:
        r = metrics(srv, "192.0.2.7")
        expect(r.status == 403 and r.error_code() == "forbidden",
               "/metrics for a remote client behind the proxy: 403", r)
        r = metrics(srv, "127.0.0.5")
        expect(r.status == 200, "a loopback client behind the proxy may scrape", r)
        r = metrics(srv, "127.0.0.9, 192.0.2.8")
        expect(r.status == 403, "what the client wrote left of the proxy's entry is ignored",
               r)
        r = metrics(srv, "nonsense")
        expect(r.status == 200, "a header that is no address leaves the proxy as client", r)

        for mark, xff, want in (("a", "192.0.2.9, 10.1.2.3", "192.0.2.9"),
                                ("b", "2001:db8::1", "2001:db8::1"),
                                ("c", "6.6.6.6, 198.51.100.4", "198.51.100.4")):
            srv.get("/healthz?mark=" + mark, headers={"X-Forwarded-For": xff})
            expect(logged_client(srv, "mark=" + mark) == want,
                   "the access log shows %s for %r" % (want, xff), srv.log_tail())

        # Two X-Forwarded-For headers: the last one is the rightmost part.
        raw = srv.raw_request(b"GET /healthz?mark=two HTTP/1.1\r\nHost: x\r\n"
                              b"X-Forwarded-For: 192.0.2.50\r\n"
                              b"X-Forwarded-For: 192.0.2.51\r\nConnection: close\r\n\r\n")
        expect(raw.startswith(b"HTTP/1.1 200"), "answered", raw[:100])
        expect(logged_client(srv, "mark=two") == "192.0.2.51",
               "the client is the last header's address", srv.log_tail())

        # The failure budget is per client, not per proxy.
        codes = [fail_auth(srv, "192.0.2.10").status for _ in range(4)]
        expect(codes[:3] == [401] * 3 and codes[3] == 429,
               "one client's 4th failure is refused", codes)
        r = fail_auth(srv, "192.0.2.11")
        expect(r.status == 401, "another client behind the same proxy is not", r)
        r = fail_auth(srv, "192.0.2.66, 192.0.2.10")
        expect(r.status == 429, "and a client cannot escape by writing its own header", r)


if __name__ == "__main__":
    harness.main(globals())
