# SPDX-License-Identifier: MIT
"""dist/nginx/forumd.conf, as shipped, in front of a real forumd: nginx on
loopback ports with a throwaway self-signed certificate, forumd with
--trusted-proxy 127.0.0.1. Through TLS: /healthz, a page (and its 304), an
API call with a body, the body size limit in the API's error shape, /metrics
kept private, the redirect from plain HTTP, HTTP/2, the client's address
reaching forumd (its access log and its per-client failure limit), and an
allocation that outlasts the ordinary read timeout.

The config file is used as it is, with only its addresses, ports and
certificate paths replaced, and its two read timeouts scaled down (60 s ->
2 s, 300 s -> 20 s) so that the allocation's own timeout can be seen to apply;
every replacement must match exactly once, so the test breaks if the file
drifts."""

import http.client
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import time

import harness
from harness import expect
from test_api_async import small_event

SRC = os.environ.get("FORUM_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")
CONF = os.path.join(SRC, "dist", "nginx", "forumd.conf")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BODY_MAX = 65536  # API_BODY_MAX


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def replace_once(text, old, new):
    expect(text.count(old) == 1, "dist/nginx/forumd.conf has exactly one %r" % old,
           text.count(old))
    return text.replace(old, new)


class Nginx:
    def __init__(self, upstream_port):
        self.dir = tempfile.mkdtemp(prefix="forumd-nginx-")
        os.chmod(self.dir, 0o755)  # nginx's workers may run as nobody
        self.tls_port, self.http_port = free_port(), free_port()
        self.cert = os.path.join(self.dir, "cert.pem")
        key = os.path.join(self.dir, "key.pem")
        p = subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", self.cert,
             "-days", "1", "-subj", "/CN=localhost",
             "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
            capture_output=True, text=True)
        expect(p.returncode == 0, "openssl makes a self-signed certificate", p.stderr)

        conf = open(CONF, encoding="utf-8").read()
        conf = replace_once(conf, "server 127.0.0.1:8080;", "server 127.0.0.1:%d;" % upstream_port)
        conf = replace_once(conf, "listen 80;", "listen 127.0.0.1:%d;" % self.http_port)
        conf = replace_once(conf, "listen [::]:80;", "")
        conf = replace_once(conf, "listen 443 ssl http2;",
                            "listen 127.0.0.1:%d ssl http2;" % self.tls_port)
        conf = replace_once(conf, "listen [::]:443 ssl http2;", "")
        conf = replace_once(conf, "/etc/letsencrypt/live/forum.example.org/fullchain.pem",
                            self.cert)
        conf = replace_once(conf, "/etc/letsencrypt/live/forum.example.org/privkey.pem", key)
        conf = replace_once(conf, "proxy_read_timeout 60s;", "proxy_read_timeout 2s;")
        conf = replace_once(conf, "proxy_read_timeout 300s;", "proxy_read_timeout 20s;")
        with open(os.path.join(self.dir, "forumd.conf"), "w") as f:
            f.write(conf)
        tmp = os.path.join(self.dir, "tmp")
        os.mkdir(tmp)
        os.chmod(tmp, 0o777)
        user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
        self.conf = os.path.join(self.dir, "nginx.conf")
        with open(self.conf, "w") as f:
            f.write("""daemon off;
%(user)sworker_processes 1;
pid %(d)s/nginx.pid;
error_log %(d)s/error.log info;
events { worker_connections 256; }
http {
    access_log %(d)s/access.log;
    client_body_temp_path %(t)s/body;
    proxy_temp_path %(t)s/proxy;
    fastcgi_temp_path %(t)s/fastcgi;
    uwsgi_temp_path %(t)s/uwsgi;
    scgi_temp_path %(t)s/scgi;
    include %(d)s/forumd.conf;
}
""" % {"d": self.dir, "t": tmp, "user": user})
        self.proc = None

    def start(self):
        args = [NGINX, "-p", self.dir, "-c", self.conf, "-e", os.path.join(self.dir, "error.log")]
        p = subprocess.run(args + ["-t"], capture_output=True, text=True)
        expect(p.returncode == 0, "nginx -t accepts the config", p.stderr)
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.tls_port), timeout=1).close()
                return self
            except OSError:
                expect(self.proc.poll() is None and time.monotonic() < deadline,
                       "nginx starts", self.log())
                time.sleep(0.05)

    def log(self):
        try:
            return open(os.path.join(self.dir, "error.log")).read()[-3000:]
        except OSError:
            return ""

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def request(self, method, path, body=None, headers=None, source="127.0.0.2", timeout=60):
        """One HTTPS request, certificate verified, from the loopback address source."""
        ctx = ssl.create_default_context(cafile=self.cert)
        conn = http.client.HTTPSConnection("127.0.0.1", self.tls_port, context=ctx,
                                           timeout=timeout, source_address=(source, 0))
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return harness.Response(r.status, r.reason, r.headers, r.read())
        finally:
            conn.close()


def json_post(ngx, path, text, token=None, source="127.0.0.2", timeout=60):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    return ngx.request("POST", path, text.encode() if isinstance(text, str) else text,
                       headers, source, timeout)


def test_forumd_behind_nginx():
    srv = harness.Server(log_level="info", extra_args=["--trusted-proxy", "127.0.0.1",
                                                       "--auth-failures-per-minute", "3"])
    srv.start()
    ngx = Nginx(srv.port)
    try:
        ngx.start()
        r = ngx.request("GET", "/healthz")
        expect(r.status == 200, "GET /healthz through TLS", r)
        expect(r.header("Strict-Transport-Security", "").startswith("max-age="),
               "nginx adds HSTS", dict(r.headers))
        expect(r.header("X-Content-Type-Options") == "nosniff",
               "forumd's own headers pass through", dict(r.headers))

        r = ngx.request("GET", "/")
        expect(r.status == 200 and r.header("Content-Type", "").startswith("text/html"),
               "a page", r)
        etag = r.header("ETag")
        r = ngx.request("GET", "/", headers={"If-None-Match": etag})
        expect(r.status == 304, "and its 304 with the ETag", r)

        r = json_post(ngx, "/api/v1/events", '{"name":"Behind nginx"}', harness.ADMIN_TOKEN)
        expect(r.status == 201 and r.body and "id" in r.body, "an API call with a body", r)
        eid = r.body["id"]
        r = ngx.request("GET", "/api/v1/events/%s?mark=viaproxy" % eid)
        expect(r.status == 200 and r.body["name"] == "Behind nginx", "read back", r)
        m = srv.wait_output(r'info  (\S+) "GET /api/v1/events/\S+\?mark=viaproxy', "stderr")
        expect(m and m.group(1) == "127.0.0.2",
               "forumd logs the client's address, not nginx's", srv.log_tail())

        # The size limit: 64 KiB passes nginx (forumd judges the JSON), a byte more
        # is refused by nginx in the API's error shape, before forumd sees it.
        r = json_post(ngx, "/api/v1/events?mark=fits", b"{" + b" " * (BODY_MAX - 2) + b"}",
                      harness.ADMIN_TOKEN)
        expect(r.status < 500 and srv.wait_output(r'"POST /api/v1/events\?mark=fits"', "stderr"),
               "a body of exactly %d bytes reaches forumd (which judges it)" % BODY_MAX,
               (r, srv.log_tail()))
        r = json_post(ngx, "/api/v1/events?mark=toolarge", b"{" + b" " * (BODY_MAX - 1) + b"}",
                      harness.ADMIN_TOKEN)
        expect(r.status == 413 and r.error_code() == "too_large",
               "one byte more: 413 too_large as JSON", r)
        expect(not any("mark=toolarge" in l for l in srv.stderr_lines),
               "forumd never saw it", srv.log_tail())

        r = ngx.request("GET", "/metrics")
        expect(r.status == 404, "/metrics is not served through the proxy", r)

        conn = http.client.HTTPConnection("127.0.0.1", ngx.http_port, timeout=30)
        conn.request("GET", "/e/x/wall")
        r = conn.getresponse()
        r.read()
        conn.close()
        expect(r.status == 301 and r.getheader("Location", "").startswith("https://")
               and r.getheader("Location").endswith("/e/x/wall"),
               "plain HTTP is redirected to HTTPS", (r.status, r.getheader("Location")))

        p = subprocess.run(["curl", "-sS", "--http2", "--cacert", ngx.cert, "-o", "/dev/null",
                            "-w", "%{http_version} %{http_code}",
                            "https://127.0.0.1:%d/healthz" % ngx.tls_port],
                           capture_output=True, text=True, timeout=60)
        expect(p.stdout.strip() == "2 200", "HTTP/2 over TLS", (p.stdout, p.stderr))

        # forumd counts failed logins per client behind the proxy.
        codes = [json_post(ngx, "/api/v1/events", '{"name":"x"}', "no-such-token-0123456789",
                           source="127.0.0.3").status for _ in range(4)]
        expect(codes == [401, 401, 401, 429], "one client's 4th failure is refused", codes)
        r = json_post(ngx, "/api/v1/events", '{"name":"x"}', "no-such-token-0123456789",
                      source="127.0.0.4")
        expect(r.status == 401, "another client behind the same proxy is not", r)

        # An allocation may take longer than ordinary requests are given.
        ev_id, fac, base = small_event(srv)
        t0 = time.monotonic()
        r = json_post(ngx, base + "/allocation", '{"time_limit_ms":4000}', fac, timeout=60)
        took = time.monotonic() - t0
        expect(r.status == 200, "an allocation through nginx", (r, ngx.log()))
        expect(took > 2.5, "that outlasted the ordinary read timeout (2 s here)", took)
        r = ngx.request("GET", "/healthz")
        expect(r.status == 200, "nginx still serves", r)
        srv.stop()
    except BaseException:
        print("--- nginx error.log ---\n" + ngx.log())
        raise
    finally:
        ngx.stop()
        srv.cleanup()


if __name__ == "__main__":
    harness.main(globals())
