# SPDX-License-Identifier: MIT
"""`forumd serve` options: usage errors, the admin token (file, environment,
generated and printed once), --demo, --threads, --log-level and the access
log, a port already in use."""

import os
import re
import socket
import subprocess
import tempfile

import harness
from harness import expect

FORUMD = os.environ.get("FORUMD")


def run(args, env=None, timeout=60):
    e = dict(os.environ)
    e.pop("FORUMD_ADMIN_TOKEN", None)
    e.update(env or {})
    return subprocess.run([FORUMD, "serve"] + args, capture_output=True, text=True,
                          timeout=timeout, env=e, stdin=subprocess.DEVNULL)


def test_help_and_usage_errors():
    p = run(["--help"])
    expect(p.returncode == 0 and "--listen" in p.stdout and "--admin-token-file" in p.stdout,
           "--help prints the options and exits 0", p)
    for args in (["--bogus"], ["--listen", "nowhere"], ["--listen", "127.0.0.1:99999"],
                 ["--threads", "0"], ["--log-level", "loud"], ["extra"],
                 ["--listen", "example.org:80"]):
        p = run(args)
        expect(p.returncode == 2, "forumd serve %s exits 2" % " ".join(args),
               (p.returncode, p.stderr[-300:]))
        expect(p.stderr.strip() != "", "with a message on stderr", args)


def test_port_in_use_exits_1():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        d = tempfile.mkdtemp(prefix="forumd-e2e-")
        p = run(["--listen", "127.0.0.1:%d" % port, "--db", os.path.join(d, "x.db")],
                env={"FORUMD_ADMIN_TOKEN": "t" * 32})
        expect(p.returncode == 1, "a port in use: exit 1", (p.returncode, p.stderr[-300:]))


def test_admin_token_file():
    d = tempfile.mkdtemp(prefix="forumd-e2e-")
    path = os.path.join(d, "token")
    with open(path, "w") as f:
        f.write("file-token-0123456789abcdef0123456789\n")
    os.chmod(path, 0o600)
    with harness.Server(admin_token=None, extra_args=["--admin-token-file", path]) as srv:
        r = srv.post("/api/v1/events", {"name": "From the file"},
                     token="file-token-0123456789abcdef0123456789")
        expect(r.status == 201, "the token from the file is the admin's", r)
        r = srv.post("/api/v1/events", {"name": "Wrong"}, token="not-the-token-at-all-xxxxxxxx")
        expect(r.status in (401, 403), "another token is not", r)
    p = run(["--admin-token-file", os.path.join(d, "no-such-dir", "token"), "--db",
             os.path.join(d, "y.db"), "--listen", "127.0.0.1:0"])
    expect(p.returncode == 1 and "no-such-dir" in p.stderr,
           "a token file that can be neither read nor created: exit 1, naming it",
           (p.returncode, p.stderr[-300:]))
    for content in ("", "\n", "two words\n", "x" * 257 + "\n"):
        with open(path, "w") as f:
            f.write(content)
        p = run(["--admin-token-file", path, "--db", os.path.join(d, "y.db"),
                 "--listen", "127.0.0.1:0"])
        expect(p.returncode == 1 and "--admin-token-file" in p.stderr,
               "a token file holding %r is refused, naming the option" % content[:20],
               (p.returncode, p.stderr[-300:]))


def test_admin_token_file_created_when_missing():
    d = tempfile.mkdtemp(prefix="forumd-e2e-")
    path = os.path.join(d, "admin-token")
    with harness.Server(admin_token=None, extra_args=["--admin-token-file", path]) as srv:
        expect(srv.wait_output(r"created the admin token file .*admin-token", "stderr"),
               "the daemon says it created the file", srv.log_tail())
        st = os.stat(path)
        expect(st.st_mode & 0o777 == 0o600, "the file is created with mode 0600",
               oct(st.st_mode))
        with open(path) as f:
            token = f.read()
        expect(re.fullmatch(r"[0-9a-f]{32}\n", token) is not None,
               "it holds one fresh token line", token)
        token = token.strip()
        expect(all(token not in line for line in srv.stdout_lines) and
               all(token not in line for line in srv.stderr_lines),
               "the token itself is printed nowhere", srv.log_tail())
        r = srv.post("/api/v1/events", {"name": "Created token"}, token=token)
        expect(r.status == 201, "the created token is the admin's", r)
        srv.stop()
        srv.start()
        expect(open(path).read().strip() == token, "a restart reads it, unchanged")
        created = [l for l in srv.stderr_lines if "created the admin token file" in l]
        expect(len(created) == 1, "and creates nothing", created)
        r = srv.post("/api/v1/events", {"name": "Again"}, token=token)
        expect(r.status == 201, "and it still works", r)
        os.chmod(path, 0o644)
        srv.stop()
        srv.start()
        expect(srv.wait_output(r"admin-token.*can be read by other users", "stderr"),
               "a token file others can read is warned about", srv.log_tail())


def test_generated_token_printed_once():
    srv = harness.Server(admin_token=None)
    try:
        srv.start()
        srv.wait_output(r"^\s+\S{20,}\s*$")
        out = "\n".join(srv.stdout_lines) + "\n".join(srv.stderr_lines)
        tokens = re.findall(r"^\s+(\S{20,})\s*$", "\n".join(srv.stdout_lines), re.M)
        expect(len(tokens) == 1, "the generated admin token is printed", out[-500:])
        r = srv.post("/api/v1/events", {"name": "With the generated token"}, token=tokens[0])
        expect(r.status == 201, "the printed token is the admin's", r)
        srv.stop()
        srv.stdout_lines.clear()
        srv.start()
        again = re.findall(r"^\s+(\S{20,})\s*$", "\n".join(srv.stdout_lines), re.M)
        expect(again == [], "not printed a second time", list(srv.stdout_lines))
        r = srv.post("/api/v1/events", {"name": "Still valid"}, token=tokens[0])
        expect(r.status == 201, "and still valid after a restart", r)
        srv.stop()
    finally:
        srv.cleanup()


def test_demo_prints_links():
    with harness.Server(extra_args=["--demo"]) as srv:
        srv.wait_output(r"/e/[A-Za-z0-9_-]+/wall")
        text = "\n".join(srv.stdout_lines)
        eids = set(re.findall(r"/e/([A-Za-z0-9_-]+)", text))
        expect(len(eids) == 1, "the demo links name one event", text)
        eid = eids.pop()
        expect(srv.base_url in text, "the links use the address served", text)
        r = srv.get("/api/v1/events/%s" % eid)
        expect(r.status == 200, "the demo event exists", r)
        r = srv.get("/api/v1/events/%s/schedule" % eid)
        expect(r.status == 200 and r.body.get("sessions"), "with a published schedule", r)
        r = srv.get("/e/%s/wall" % eid)
        expect(r.status == 200 and b"<html" in r.raw.lower(), "its wall page", r)


def test_threads_and_log_levels():
    with harness.Server(extra_args=["--threads", "1", "--log-level", "info"]) as srv:
        for _ in range(3):
            expect(srv.get("/healthz").status == 200, "one thread answers")
        srv.get("/healthz?from=test-access-log")
        srv.stop()
        lines = [x for x in srv.stderr_lines if "test-access-log" in x]
        expect(len(lines) == 1 and " 200 " in lines[0] and "127.0.0.1" in lines[0],
               "one access-log line per request at info", list(srv.stderr_lines)[-5:])
    with harness.Server(extra_args=["--log-level", "warn"]) as srv:
        srv.get("/healthz?from=test-access-log")
        srv.stop()
        expect(not [x for x in srv.stderr_lines if "test-access-log" in x],
               "no access log at warn", list(srv.stderr_lines)[-5:])


if __name__ == "__main__":
    harness.main(globals())
