# SPDX-License-Identifier: MIT
"""End-to-end harness: a real `forumd serve` on a free loopback port.

Standard library only. Typical use in a tests/e2e/test_*.py script:

    import harness

    def test_health(srv):
        r = srv.get("/healthz")
        harness.expect(r.status == 200, "healthz answers", r)

    if __name__ == "__main__":
        harness.main(globals())        # runs every test_* with a fresh server

`harness.main` gives each `test_*(srv)` function its own server (temporary
database directory, FORUMD_ADMIN_TOKEN set), stops it with SIGTERM afterwards
and checks that it exits 0. A function taking no argument gets no server.

Environment (set by tests/e2e/CMakeLists.txt):
  FORUMD            path of the forumd binary (required)
  FORUM_SOURCE_DIR  the project root (for web/ and the like)
  FORUMD_E2E_VERBOSE=1 echoes the daemon's stderr as it runs
"""

import collections
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback

ADMIN_TOKEN = "e2e-admin-token-0123456789abcdef0123456789abcdef"
START_TIMEOUT = 60.0  # seconds; generous for sanitizer builds
STOP_TIMEOUT = 60.0
REQUEST_TIMEOUT = 60.0

_LISTEN_RE = re.compile(r"listening on http://([0-9.]+|\[[0-9a-fA-F:]+\]):(\d+)")


class Failure(AssertionError):
    """A failed expectation inside a test."""


def expect(cond, what, detail=None):
    """Fails the current test with `what` (and `detail`) unless cond holds."""
    if not cond:
        msg = "expected: " + what
        if detail is not None:
            msg += "\n  got: " + repr(detail)
        raise Failure(msg)


class Response:
    """One HTTP answer: status, headers (case-insensitive), raw bytes, parsed JSON."""

    def __init__(self, status, reason, headers, raw):
        self.status = status
        self.reason = reason
        self.headers = headers  # http.client.HTTPMessage: headers["etag"] works
        self.raw = raw
        self.body = None
        ctype = headers.get("Content-Type", "") or ""
        if raw and ctype.startswith("application/json"):
            try:
                self.body = json.loads(raw.decode("utf-8"))
            except ValueError:
                self.body = None

    @property
    def text(self):
        return self.raw.decode("utf-8", errors="replace")

    def header(self, name, default=None):
        return self.headers.get(name, default)

    def error_code(self):
        """The `error.code` of a JSON error body, or None."""
        if isinstance(self.body, dict) and isinstance(self.body.get("error"), dict):
            return self.body["error"].get("code")
        return None

    def __repr__(self):
        text = self.text
        if len(text) > 400:
            text = text[:400] + "..."
        return "<%d %s %s>" % (self.status, self.reason, text)


class Server:
    """One forumd process. Start with start(); stop with stop() or kill().

    db_dir: the directory holding forumd.db (a fresh temporary one by default,
    removed by cleanup()). extra_args: more `forumd serve` options.
    """

    def __init__(self, db_dir=None, admin_token=ADMIN_TOKEN, extra_args=(), env=None,
                 binary=None, log_level=None):
        self.binary = binary or os.environ.get("FORUMD")
        if not self.binary:
            raise RuntimeError("FORUMD is not set: run through ctest")
        self._own_dir = db_dir is None
        self.db_dir = db_dir or tempfile.mkdtemp(prefix="forumd-e2e-")
        self.db_path = os.path.join(self.db_dir, "forumd.db")
        self.admin_token = admin_token
        self.extra_args = list(extra_args)
        self.env = dict(env or {})
        self.log_level = log_level
        self.proc = None
        self.host = "127.0.0.1"
        self.port = None
        self.stderr_lines = collections.deque(maxlen=5000)
        self.stdout_lines = collections.deque(maxlen=5000)
        self._threads = []
        self._listening = threading.Event()

    # -- lifecycle --------------------------------------------------------

    def start(self):
        """Starts forumd and waits until it prints the port it got."""
        assert self.proc is None or self.proc.poll() is not None, "already running"
        args = [self.binary, "serve", "--listen", "127.0.0.1:0", "--db", self.db_path]
        if self.log_level:
            args += ["--log-level", self.log_level]
        args += self.extra_args
        env = dict(os.environ)
        env.pop("FORUMD_ADMIN_TOKEN", None)
        if self.admin_token is not None:
            env["FORUMD_ADMIN_TOKEN"] = self.admin_token
        env.update(self.env)
        self._listening.clear()
        self.port = None
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=env, cwd=self.db_dir)
        self._threads = [
            threading.Thread(target=self._drain, args=(self.proc.stderr, True), daemon=True),
            threading.Thread(target=self._drain, args=(self.proc.stdout, False), daemon=True),
        ]
        for t in self._threads:
            t.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self._listening.wait(0.05):
            if self.proc.poll() is not None:
                self._join_drains()
                raise RuntimeError("forumd exited with %d before listening:\n%s"
                                   % (self.proc.returncode, self.log_tail()))
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError("forumd did not print its port:\n" + self.log_tail())
        return self

    def _drain(self, pipe, is_stderr):
        verbose = os.environ.get("FORUMD_E2E_VERBOSE") == "1"
        for raw in iter(pipe.readline, b""):
            line = raw.decode("utf-8", errors="replace").rstrip("\n")
            (self.stderr_lines if is_stderr else self.stdout_lines).append(line)
            if verbose:
                sys.stderr.write("[forumd%s] %s\n" % ("" if is_stderr else " out", line))
            if is_stderr and self.port is None:
                m = _LISTEN_RE.search(line)
                if m:
                    self.host = m.group(1).strip("[]")
                    self.port = int(m.group(2))
                    self._listening.set()
        pipe.close()

    def _join_drains(self):
        for t in self._threads:
            t.join(timeout=10)

    def stop(self, timeout=STOP_TIMEOUT, expect_code=0):
        """Sends SIGTERM, waits, and checks the exit status (0 by default)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            self._join_drains()
            raise Failure("forumd did not exit within %.0fs of SIGTERM:\n%s"
                          % (timeout, self.log_tail()))
        self._join_drains()
        if expect_code is not None and rc != expect_code:
            raise Failure("forumd exited with %d after SIGTERM (expected %d):\n%s"
                          % (rc, expect_code, self.log_tail()))
        return rc

    def kill(self):
        """SIGKILL: the crash. The database directory stays for restart()."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._join_drains()

    def restart(self):
        """Starts again on the same database (after stop() or kill())."""
        if self.proc is not None and self.proc.poll() is None:
            self.stop()
        return self.start()

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def cleanup(self):
        """Kills the process if still running and removes its temporary directory."""
        self.kill()
        if self._own_dir:
            shutil.rmtree(self.db_dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None and self.running():
                self.stop()
        finally:
            self.cleanup()
        return False

    def wait_output(self, pattern, stream="stdout", timeout=10.0):
        """Waits until a line of stdout (or "stderr") matches the regex pattern.

        Lines printed before "listening on" may still be on their way through
        the pipe when start() returns. Returns the re.Match, or None.
        """
        rx = re.compile(pattern)
        lines = self.stdout_lines if stream == "stdout" else self.stderr_lines
        deadline = time.monotonic() + timeout
        while True:
            for line in list(lines):
                m = rx.search(line)
                if m:
                    return m
            if time.monotonic() > deadline:
                return None
            time.sleep(0.02)

    def log_tail(self, n=40):
        lines = list(self.stderr_lines)[-n:]
        out = list(self.stdout_lines)[-n:]
        s = "--- stderr ---\n" + "\n".join(lines)
        if out:
            s += "\n--- stdout ---\n" + "\n".join(out)
        return s

    # -- requests ---------------------------------------------------------

    @property
    def base_url(self):
        return "http://%s:%d" % (self.host, self.port)

    def connection(self, timeout=REQUEST_TIMEOUT):
        """A new http.client connection to the daemon (the caller closes it)."""
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def request(self, method, path, body=None, token=None, headers=None, raw=None,
                content_type=None, timeout=REQUEST_TIMEOUT):
        """Sends one request on a fresh connection and returns a Response.

        body: a Python value sent as JSON; raw: bytes sent as they are.
        token: sent as `Authorization: Bearer TOKEN` ("admin" = the admin token).
        """
        hdrs = {}
        if token == "admin":
            token = self.admin_token
        if token:
            hdrs["Authorization"] = "Bearer " + token
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            hdrs["Content-Type"] = content_type or "application/json"
        elif raw is not None:
            data = raw
            if content_type:
                hdrs["Content-Type"] = content_type
        if headers:
            hdrs.update(headers)
        conn = self.connection(timeout)
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            payload = resp.read()
            return Response(resp.status, resp.reason, resp.headers, payload)
        finally:
            conn.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body=body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body=body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def raw_request(self, data, timeout=REQUEST_TIMEOUT):
        """Sends raw bytes on a plain socket and returns everything read until close."""
        import socket
        with socket.create_connection((self.host, self.port), timeout=timeout) as s:
            s.sendall(data)
            chunks = []
            while True:
                try:
                    c = s.recv(65536)
                except (ConnectionResetError, socket.timeout):
                    break
                if not c:
                    break
                chunks.append(c)
            return b"".join(chunks)

    # -- API shortcuts (docs/api.md) ---------------------------------------

    def create_event(self, name="E2E event", **fields):
        """POST /api/v1/events as admin; returns the 201 body (id, facilitator_token...)."""
        body = {"name": name}
        body.update(fields)
        r = self.post("/api/v1/events", body, token="admin")
        expect(r.status == 201, "POST /api/v1/events -> 201", r)
        return r.body

    def join(self, eid, name="Ada", join_code=None, **fields):
        """POST /api/v1/events/{eid}/participants; returns the 201 body (id, token)."""
        body = {"name": name}
        if join_code is not None:
            body["join_code"] = join_code
        body.update(fields)
        r = self.post("/api/v1/events/%s/participants" % eid, body)
        expect(r.status == 201, "join -> 201", r)
        return r.body


def main(namespace, server_factory=None):
    """Runs every test_* function of namespace (a module's globals()).

    A test taking one argument gets a started Server (server_factory() if
    given), stopped with SIGTERM and checked for exit 0 afterwards. Prints one
    line per test; exits 1 if any failed. Command-line arguments select tests
    by name.
    """
    import inspect
    wanted = set(sys.argv[1:])
    tests = [(n, f) for n, f in namespace.items()
             if n.startswith("test_") and callable(f) and (not wanted or n in wanted)]
    tests.sort(key=lambda t: t[1].__code__.co_firstlineno)
    failed = 0
    for name, fn in tests:
        t0 = time.monotonic()
        srv = None
        try:
            if len(inspect.signature(fn).parameters) >= 1:
                srv = server_factory() if server_factory else Server()
                srv.start()
                fn(srv)
                if srv.running():
                    srv.stop()
            else:
                fn()
            print("ok   %s (%.1fs)" % (name, time.monotonic() - t0), flush=True)
        except Exception as e:  # noqa: BLE001 - report every failure the same way
            failed += 1
            print("FAIL %s (%.1fs)" % (name, time.monotonic() - t0), flush=True)
            if isinstance(e, Failure):
                print("  " + str(e).replace("\n", "\n  "))
            else:
                traceback.print_exc(file=sys.stdout)
            if srv is not None:
                print(srv.log_tail())
        finally:
            if srv is not None:
                srv.cleanup()
    print("%d/%d passed" % (len(tests) - failed, len(tests)), flush=True)
    sys.exit(1 if failed or not tests else 0)
