# SPDX-License-Identifier: MIT
"""The hostile-input corpus (tests/api/hostile/*.json) against a real daemon.

Each case file is one JSON object (see tests/api/hostile/README.md):

  "about":    what the case is and which promise of docs/reliability.md it tests
  "request":  {"method", "path", "query"?, "token"?, "headers"?, "content_type"?,
               "body"? (text) | "body_json"? (a value) | "body_hex"? | "body_repeat"?
               {"prefix","chunk","times","suffix"}}    sent with http.client, or
  "raw":      text (or "raw_hex") sent as-is on a socket, "\\r\\n" line ends
  "slow":     {"send": text, "wait_s": n}: send, then stay silent; the daemon
              must close the connection within the timeout (+ slack)
  "repeat":   send the request this many times (e.g. guessed tokens)
  "expect":   {"status": [codes] (of the last answer), "each_status": [codes]
               (every answer but the last), "error_body": true (JSON error body),
               "not_contains": [text], "closed": true}
  "setup":    [{"request": {...}, "capture": name}]: requests sent before the
              snapshot (each must answer 2xx); "capture" names the answer's "id"
              as a new placeholder {name}
  "parallel": [{"request": {...}, "status": [codes]}, ...]: sent all at once
              from threads instead of "request", each with its own expected
              statuses
  "votes_max": {"token": name, "total": n}: after the case, the weights of
              that participant's votes add up to at most n
  "then":     {"request": {...}, "status": [codes]}: one more request after the
              case, with its expected status (e.g. a valid token still served
              after the address was throttled)
  "state":    "unchanged" (default): the snapshot after equals the one before

Placeholders in paths, queries, bodies and raw text: {e} {e2} (events; e has
the join code "open-sesame"),
{s0} {s1} {r0} {r1} {t0} {t1} {p0} {p1} (event e), {s2} {r2} {t2} {p2} (event
e2), {fac} {fac2} {tok0} {tok1} {tok2} (tokens). "token" names one of admin, fac, fac2, p0, p1, p2, or is a
literal. t0 is hosted by p0, t1 by p1 (event e); t2 by p2 (event e2).

Each case gets its own daemon (rate limits and connection state do not leak
between cases); after each, /healthz must answer and SIGTERM must exit 0.
"""

import base64
import glob
import json
import os
import socket
import sys
import time

import harness

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(os.environ.get("FORUM_SOURCE_DIR", os.path.join(HERE, "..", "..")),
                     "tests", "api", "hostile")
SLOW_TIMEOUT_S = 2  # the daemon's connection timeout for these tests
JOIN_CODE = "open-sesame"  # event e's join code (e2 has none)
API = "/api/v1"


def _help_text():
    import subprocess
    try:
        p = subprocess.run([os.environ["FORUMD"], "serve", "--help"], capture_output=True,
                           timeout=30)
        return (p.stdout + p.stderr).decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError, KeyError):
        return ""


_HELP = None


def server_args():
    """The extra `forumd serve` options: a short connection timeout if supported."""
    global _HELP
    if _HELP is None:
        _HELP = _help_text()
    for opt in ("--timeout", "--conn-timeout", "--connection-timeout"):
        if opt + " " in _HELP or opt + "=" in _HELP or opt + "\n" in _HELP:
            return [opt, str(SLOW_TIMEOUT_S)]
    return []


class Fixture:
    """Two events: e (2 slots, 2 rooms, p0 + p1 with topics t0, t1) and e2 (p2, t2)."""

    def __init__(self, srv):
        self.srv = srv
        ev = srv.create_event("Hostile forum", join_code=JOIN_CODE)
        self.v = {"e": ev["id"], "fac": ev["facilitator_token"]}
        e = self.v["e"]
        for i in range(2):
            r = srv.post("%s/events/%s/slots" % (API, e),
                         {"label": "Slot %d" % i,
                          "starts_at": "2026-05-12T1%d:00:00+02:00" % (4 + i),
                          "ends_at": "2026-05-12T1%d:00:00+02:00" % (5 + i)},
                         token=self.v["fac"])
            harness.expect(r.status == 201, "fixture: slot created", r)
            self.v["s%d" % i] = r.body["id"]
            r = srv.post("%s/events/%s/rooms" % (API, e),
                         {"name": "Room %d" % i, "capacity": 10 + i, "features": []},
                         token=self.v["fac"])
            harness.expect(r.status == 201, "fixture: room created", r)
            self.v["r%d" % i] = r.body["id"]
        for i in range(2):
            j = srv.join(e, "Person %d" % i, join_code=JOIN_CODE)
            self.v["p%d" % i], self.v["tok%d" % i] = j["id"], j["token"]
            r = srv.post("%s/events/%s/topics" % (API, e),
                         {"title": "Topic %d" % i, "description": "about %d" % i},
                         token=j["token"])
            harness.expect(r.status == 201, "fixture: topic created", r)
            self.v["t%d" % i] = r.body["id"]
        r = srv.put("%s/events/%s/topics/%s/vote" % (API, e, self.v["t1"]), {"weight": 2},
                    token=self.v["tok0"])
        harness.expect(r.status in (200, 201, 204), "fixture: vote cast", r)
        ev2 = srv.create_event("Other forum")
        self.v["e2"], self.v["fac2"] = ev2["id"], ev2["facilitator_token"]
        r = srv.post("%s/events/%s/slots" % (API, self.v["e2"]),
                     {"label": "Elsewhere slot", "starts_at": "2026-05-12T14:00:00Z",
                      "ends_at": "2026-05-12T15:00:00Z"}, token=self.v["fac2"])
        harness.expect(r.status == 201, "fixture: slot in e2 created", r)
        self.v["s2"] = r.body["id"]
        r = srv.post("%s/events/%s/rooms" % (API, self.v["e2"]),
                     {"name": "Elsewhere room", "capacity": 5}, token=self.v["fac2"])
        harness.expect(r.status == 201, "fixture: room in e2 created", r)
        self.v["r2"] = r.body["id"]
        j = srv.join(self.v["e2"], "Outsider")
        self.v["p2"], self.v["tok2"] = j["id"], j["token"]
        r = srv.post("%s/events/%s/topics" % (API, self.v["e2"]), {"title": "Elsewhere"},
                     token=j["token"])
        harness.expect(r.status == 201, "fixture: topic in e2 created", r)
        self.v["t2"] = r.body["id"]

    def expand(self, text):
        for k in sorted(self.v, key=len, reverse=True):
            text = text.replace("{%s}" % k, str(self.v[k]))
        return text

    def expand_bytes(self, data):
        for k in sorted(self.v, key=len, reverse=True):
            data = data.replace(("{%s}" % k).encode(), str(self.v[k]).encode())
        return data

    def token(self, name):
        names = {"admin": self.srv.admin_token, "fac": self.v["fac"], "fac2": self.v["fac2"],
                 "p0": self.v["tok0"], "p1": self.v["tok1"], "p2": self.v["tok2"]}
        return names.get(name, name)

    def snapshot(self):
        """Everything a case could change, read with the roles that see it."""
        s, v, srv = {}, self.v, self.srv
        reads = [
            ("event", "/events/{e}", None), ("event2", "/events/{e2}", None),
            ("slots", "/events/{e}/slots", None), ("rooms", "/events/{e}/rooms", None),
            ("slots2", "/events/{e2}/slots", None), ("rooms2", "/events/{e2}/rooms", None),
            ("topics", "/events/{e}/topics", None), ("topics2", "/events/{e2}/topics", None),
            ("participants", "/events/{e}/participants", v["fac"]),
            ("participants2", "/events/{e2}/participants", v["fac2"]),
            ("me0", "/events/{e}/me", v["tok0"]), ("me1", "/events/{e}/me", v["tok1"]),
            ("votes0", "/events/{e}/me/votes", v["tok0"]),
            ("votes1", "/events/{e}/me/votes", v["tok1"]),
            ("votes2", "/events/{e2}/me/votes", v["tok2"]),
            ("schedule", "/events/{e}/schedule", None),
        ]
        for name, path, tok in reads:
            r = srv.get(API + self.expand(path), token=tok)
            s[name] = (r.status, r.body if r.body is not None else r.text)
        return s


def build_body(req, fx):
    if "body_json" in req:
        return json.dumps(req["body_json"]).encode("utf-8")
    if "body_hex" in req:
        return fx.expand_bytes(bytes.fromhex(req["body_hex"]))
    if "body_b64" in req:
        return base64.b64decode(req["body_b64"])
    if "body_repeat" in req:
        rep = req["body_repeat"]
        return (rep.get("prefix", "") + rep["chunk"] * rep["times"]
                + rep.get("suffix", "")).encode("utf-8")
    if "body" in req:
        return fx.expand(req["body"]).encode("utf-8", "surrogateescape")
    return None


def send_http(srv, fx, req):
    """One request through http.client. Returns (status, Response) or (None, error)."""
    headers = {}
    for k, v in (req.get("headers") or {}).items():
        if isinstance(v, dict) and "repeat" in v:
            v = v["repeat"] * v["times"]
        headers[k] = fx.expand(v)
    if req.get("token"):
        headers["Authorization"] = "Bearer " + fx.token(req["token"])
    body = build_body(req, fx)
    if body is not None:
        headers.setdefault("Content-Type", req.get("content_type", "application/json"))
    path = fx.expand(req["path"])
    if req.get("query"):
        path += "?" + fx.expand(req["query"])
    conn = srv.connection(timeout=30)
    try:
        conn.putrequest(req.get("method", "GET"), path, skip_accept_encoding=True)
        for k, v in headers.items():
            conn.putheader(k, v)
        if body is not None and "Content-Length" not in headers:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders()
        if body is not None:
            try:
                conn.send(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the daemon may answer 413 and close before reading it all
        resp = conn.getresponse()
        raw = resp.read()
        return resp.status, harness.Response(resp.status, resp.reason, resp.headers, raw)
    except (ConnectionError, socket.timeout, OSError) as e:
        return None, e
    finally:
        conn.close()


def parse_raw_response(data):
    """(status, body bytes, headers dict) of the first answer in data, or (None, ...)."""
    if not data.startswith(b"HTTP/"):
        return None, data, {}
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    try:
        status = int(lines[0].split()[1])
    except (IndexError, ValueError):
        return None, data, {}
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(b":")
        headers[k.strip().lower().decode("latin-1")] = v.strip().decode("latin-1")
    return status, body, headers


def raw_exchange(srv, data, timeout=30):
    """Sends data in 16 KiB pieces, stopping early when the daemon answers (as a
    413 sent before the whole body arrives would otherwise be lost to the TCP
    reset that closing with unread data causes); returns all bytes read."""
    import select
    chunks = []
    with socket.create_connection((srv.host, srv.port), timeout=timeout) as s:
        for i in range(0, len(data), 16384):
            try:
                s.sendall(data[i:i + 16384])
            except (BrokenPipeError, ConnectionResetError):
                break
            if select.select([s], [], [], 0.02)[0]:
                break
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                c = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not c:
                break
            chunks.append(c)
    return b"".join(chunks)


def send_raw(srv, fx, case):
    if "raw_hex" in case:
        data = fx.expand_bytes(bytes.fromhex(case["raw_hex"]))
    else:
        data = fx.expand(case["raw"]).encode("utf-8", "surrogateescape")
    if "raw_pad" in case:  # {"at": marker, "chunk": text, "times": n}
        pad = case["raw_pad"]
        data = data.replace(pad["at"].encode(), (pad["chunk"] * pad["times"]).encode())
    out = raw_exchange(srv, data)
    status, body, headers = parse_raw_response(out)
    return status, (body, headers, out)


def run_slow(srv, fx, case):
    """Sends a partial request and waits; returns seconds until the daemon closed."""
    slow = case["slow"]
    s = socket.create_connection((srv.host, srv.port), timeout=slow["wait_s"])
    t0 = time.monotonic()
    try:
        s.sendall(fx.expand(slow["send"]).encode())
        while True:
            try:
                c = s.recv(65536)
            except ConnectionResetError:
                return time.monotonic() - t0
            except socket.timeout:
                return None  # still open after wait_s
            if not c:
                return time.monotonic() - t0
    finally:
        s.close()


def check_error_body(body_bytes, headers_ctype, what):
    harness.expect(headers_ctype.startswith("application/json"),
                   what + ": the error is application/json", headers_ctype)
    doc = json.loads(body_bytes.decode("utf-8"))
    harness.expect(isinstance(doc.get("error"), dict)
                   and isinstance(doc["error"].get("code"), str)
                   and isinstance(doc["error"].get("message"), str),
                   what + ": the body is {error: {code, message}}", doc)


def run_case(path):
    with open(path, encoding="utf-8") as f:
        case = json.load(f)
    name = os.path.basename(path)
    exp = case.get("expect", {})
    srv = harness.Server(extra_args=server_args())
    srv.start()
    try:
        fx = Fixture(srv)
        for step in case.get("setup", []):
            st, resp = send_http(srv, fx, step["request"])
            harness.expect(st is not None and 200 <= st < 300, name + ": setup step 2xx", resp)
            if "capture" in step:
                fx.v[step["capture"]] = resp.body["id"]
        before = fx.snapshot()
        if "parallel" in case:
            import threading
            results = [None] * len(case["parallel"])

            def one(i, item):
                results[i] = send_http(srv, fx, item["request"])[0]
            threads = [threading.Thread(target=one, args=(i, item))
                       for i, item in enumerate(case["parallel"])]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            for item, st in zip(case["parallel"], results):
                harness.expect(st in item["status"], name + ": %s %s -> %s" % (
                    item["request"]["method"], item["request"]["path"], item["status"]),
                    results)
        elif "slow" in case:
            closed_after = run_slow(srv, fx, case)
            harness.expect(closed_after is not None,
                           name + ": the daemon closes a silent connection within %ds"
                           % case["slow"]["wait_s"], closed_after)
        else:
            statuses, last = [], None
            for _ in range(case.get("repeat", 1)):
                if "raw" in case or "raw_hex" in case:
                    st, last = send_raw(srv, fx, case)
                else:
                    st, last = send_http(srv, fx, case["request"])
                statuses.append(st)
            status = statuses[-1]
            harness.expect(status in exp.get("status", [status]),
                           name + ": status in %s" % exp.get("status"), (statuses, last))
            if "each_status" in exp:
                harness.expect(all(s in exp["each_status"] for s in statuses[:-1]),
                               name + ": every earlier status in %s" % exp["each_status"],
                               statuses)
            if isinstance(last, harness.Response):
                body, ctype = last.raw, last.header("Content-Type", "") or ""
            elif isinstance(last, tuple):
                body, ctype = last[0], last[1].get("content-type", "")
            else:
                body, ctype = b"", ""
            if exp.get("error_body") and status is not None:
                check_error_body(body, ctype, name)
            for text in exp.get("not_contains", []):
                harness.expect(text.encode() not in (body or b""),
                               name + ": the answer does not contain %r" % text, body[:300])
        if "votes_max" in case:
            vm = case["votes_max"]
            r = srv.get(API + fx.expand("/events/{e}/me/votes"), token=fx.token(vm["token"]))
            total = sum(v["weight"] for v in (r.body if isinstance(r.body, list) else []))
            harness.expect(r.status == 200 and total <= vm["total"],
                           name + ": the votes add up to at most %d" % vm["total"], r)
        if "then" in case:
            st, resp = send_http(srv, fx, case["then"]["request"])
            harness.expect(st in case["then"]["status"],
                           name + ": then: status in %s" % case["then"]["status"], resp)
            for text in case["then"].get("not_contains", []):
                harness.expect(text.encode() not in resp.raw,
                               name + ": then: the answer does not contain %r" % text, resp)
        r = srv.get("/healthz")
        harness.expect(r.status == 200, name + ": still serving (/healthz 200)", r)
        if case.get("state", "unchanged") == "unchanged":
            after = fx.snapshot()
            for k in before:
                harness.expect(before[k] == after[k], name + ": state unchanged (%s)" % k,
                               (before[k], after[k]))
        srv.stop()
    finally:
        srv.cleanup()


def main():
    files = sorted(glob.glob(os.path.join(CASES, "*.json")))
    wanted = set(sys.argv[1:])
    if wanted:
        files = [f for f in files if os.path.basename(f) in wanted
                 or os.path.splitext(os.path.basename(f))[0] in wanted]
    failed = 0
    for f in files:
        t0 = time.monotonic()
        try:
            run_case(f)
            print("ok   %s (%.1fs)" % (os.path.basename(f), time.monotonic() - t0), flush=True)
        except Exception as e:  # noqa: BLE001 - report every failure alike
            failed += 1
            print("FAIL %s (%.1fs)\n  %s" % (os.path.basename(f), time.monotonic() - t0,
                                             str(e).replace("\n", "\n  ")), flush=True)
    print("%d/%d hostile cases passed" % (len(files) - failed, len(files)), flush=True)
    sys.exit(1 if failed or not files else 0)


if __name__ == "__main__":
    main()
