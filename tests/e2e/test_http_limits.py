# SPDX-License-Identifier: MIT
"""HTTP limits enforced by src/http: body size, request target and header
size, traversal, methods. Every refusal carries the API's JSON error body."""

import socket

import harness
from harness import expect

BODY_MAX = 64 * 1024


def expect_json_error(r, status, what):
    expect(r.status == status, "%s -> %d" % (what, status), r)
    expect(r.header("Content-Type", "").startswith("application/json"),
           "%s: a JSON error body" % what, r.header("Content-Type"))
    expect(isinstance(r.body, dict) and isinstance(r.body.get("error"), dict)
           and isinstance(r.body["error"].get("code"), str)
           and isinstance(r.body["error"].get("message"), str),
           "%s: {error: {code, message}}" % what, r)


def test_body_over_limit_is_413(srv):
    raw = b'{"name": "' + b"x" * BODY_MAX + b'"}'
    r = srv.request("POST", "/api/v1/events", raw=raw, content_type="application/json",
                    token="admin")
    expect_json_error(r, 413, "a body over 64 KiB")
    # Nothing was created by the refused request.
    events = srv.get("/api/v1/events", token="admin")
    if events.status == 200 and isinstance(events.body, list):
        expect(events.body == [], "the refused request created nothing", events.body)


def test_announced_length_over_limit_is_413(srv):
    # The refusal comes from the headers alone: no body is ever sent.
    head = ("POST /api/v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Content-Length: %d\r\n\r\n" % (10 * 1024 * 1024)).encode()
    out = srv.raw_request(head, timeout=30)
    expect(out.startswith(b"HTTP/1.1 413"), "Content-Length over the limit -> 413", out[:200])
    expect(b'"error"' in out, "413 has the JSON error body", out[-200:])


def test_chunked_body_over_limit_is_413(srv):
    chunk = b"x" * 8192
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(10)) + b"0\r\n\r\n"
    head = (b"POST /api/v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
    out = srv.raw_request(head + body, timeout=30)
    expect(out.startswith(b"HTTP/1.1 413"), "a chunked body over the limit -> 413", out[:200])


def test_long_target_is_414(srv):
    r = srv.get("/api/v1/events/" + "a" * 9000)
    expect_json_error(r, 414, "a request target over 8 KiB")


def test_large_headers_are_431(srv):
    r = srv.get("/healthz", headers={"X-Filler-%d" % i: "y" * 1000 for i in range(20)})
    expect_json_error(r, 431, "20 KB of headers")


def test_traversal_refused(srv):
    for target in ["/../etc/passwd", "/js/../../etc/passwd", "/%2e%2e/etc/passwd",
                   "/%2E%2E/%2e%2e/etc/passwd", "/js/%2e%2e/index.html",
                   "/%252e%252e/etc/passwd", "/js/%252e%252e/%252e%252e/etc/passwd",
                   "/js%2f..%2f..%2fetc/passwd", "/..%5c..%5cetc/passwd",
                   "/e/../../etc/passwd", "/api/v1/../../etc/passwd"]:
        r = srv.get(target)
        expect_json_error(r, 400, "GET " + target)
        expect(b"root:" not in r.raw, "no file content leaks for " + target)


def test_methods_not_allowed(srv):
    for method, path in [("POST", "/"), ("PUT", "/js/api.js"), ("DELETE", "/e/1/wall"),
                         ("POST", "/metrics")]:
        r = srv.request(method, path, raw=b"{}", content_type="application/json")
        expect_json_error(r, 405, "%s %s" % (method, path))
        expect("GET" in (r.header("Allow") or ""), "405 lists the allowed methods",
               r.header("Allow"))
    # The API's own 405 (a known path, a method it does not route).
    r = srv.request("PUT", "/healthz", raw=b"{}", content_type="application/json")
    expect_json_error(r, 405, "PUT /healthz")


def test_malformed_request_line_keeps_server_alive(srv):
    out = srv.raw_request(b"GARBAGE\r\n\r\n", timeout=30)
    expect(not out or out.startswith(b"HTTP/1.1 4"), "garbage gets a 4xx or a close", out)
    with socket.create_connection((srv.host, srv.port), timeout=10) as s:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # never finished
        r = srv.get("/healthz")
        expect(r.status == 200, "the server still answers others", r)


if __name__ == "__main__":
    harness.main(globals())
