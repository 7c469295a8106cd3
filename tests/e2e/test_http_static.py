# SPDX-License-Identifier: MIT
"""The web pages: every file of web/ served at /<its path> from the copy
embedded in the binary, the page routes, validators, the security headers on
every response, and --web DIR (from disk, no symlink escapes)."""

import json
import os
import shutil
import tempfile

import harness
from harness import expect

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
WEB = os.path.join(os.environ.get("FORUM_SOURCE_DIR", "."), "web")

PAGES = {
    "/": "index.html",
    "/e/abc123": "participant.html",
    "/e/abc123/": "participant.html",
    "/e/abc123/facilitate": "facilitate.html",
    "/e/abc123/wall": "wall.html",
    "/e/abc123/notes/t1-2": "notes.html",
    "/e/abc123/proceedings": "proceedings.html",
    "/e/abc123/print/doors": "print.html",
    "/e/abc123/print/poster": "print.html",
    "/e/abc123/print/flyer": "print.html",
}


def web_files(root=WEB):
    out = []
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        for f in sorted(files):
            if f.startswith(".") or f.endswith("~"):
                continue
            out.append(os.path.relpath(os.path.join(d, f), root).replace(os.sep, "/"))
    return out


def expect_security_headers(r, what):
    csp = r.header("Content-Security-Policy")
    expect(csp == CSP, "%s: the Content-Security-Policy" % what, csp)
    expect("unsafe-inline" not in csp, "%s: no unsafe-inline" % what)
    expect(r.header("X-Content-Type-Options") == "nosniff", "%s: nosniff" % what,
           r.header("X-Content-Type-Options"))
    expect(r.header("Referrer-Policy") == "no-referrer", "%s: no-referrer" % what,
           r.header("Referrer-Policy"))


def test_every_web_file_is_served(srv):
    files = web_files()
    expect(len(files) > 0, "web/ has files", WEB)
    types = {".html": "text/html", ".js": "text/javascript", ".css": "text/css",
             ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png"}
    for rel in files:
        if rel == "sw.js":
            continue  # test_service_worker_lists_the_release
        r = srv.get("/" + rel)
        expect(r.status == 200, "GET /%s -> 200" % rel, r)
        with open(os.path.join(WEB, rel), "rb") as f:
            expect(r.raw == f.read(), "/%s is the file's bytes" % rel)
        ext = os.path.splitext(rel)[1]
        if ext in types:
            expect((r.header("Content-Type") or "").startswith(types[ext]),
                   "/%s has type %s" % (rel, types[ext]), r.header("Content-Type"))
        etag = r.header("ETag") or ""
        expect(etag.startswith('"') and etag.endswith('"') and len(etag) > 2,
               "/%s has a strong ETag" % rel, etag)
        expect_security_headers(r, "/" + rel)


def test_service_worker_lists_the_release(srv):
    """/sw.js: one line listing every other web file with the ETag it is
    served with, then web/sw.js; revalidated at every update check."""
    r = srv.get("/sw.js")
    expect(r.status == 200, "GET /sw.js -> 200", r)
    expect(r.header("Content-Type", "").startswith("text/javascript"), "sw.js is JavaScript",
           r.header("Content-Type"))
    expect(r.header("Cache-Control") == "no-cache", "sw.js is revalidated",
           r.header("Cache-Control"))
    expect_security_headers(r, "/sw.js")
    first, _, rest = r.raw.partition(b"\n")
    prefix, suffix = b"self.FORUMD_RELEASE = ", b";"
    expect(first.startswith(prefix) and first.endswith(suffix), "the release line", first[:80])
    release = json.loads(first[len(prefix):-len(suffix)])
    with open(os.path.join(WEB, "sw.js"), "rb") as f:
        expect(rest == f.read(), "then the bytes of web/sw.js")
    others = sorted("/" + x for x in web_files() if x != "sw.js")
    expect(sorted(release["files"]) == others, "every other web file is listed",
           sorted(set(release["files"]) ^ set(others)))
    for path, etag in release["files"].items():
        expect(srv.get(path).header("ETag") == etag, "%s: the ETag it is served with" % path)
    expect(release["root"] == "/index.html" and release["pages"]["/wall"] == "/wall.html",
           "the page routes", release)


def test_page_routes(srv):
    for path, name in PAGES.items():
        if not os.path.exists(os.path.join(WEB, name)):
            continue
        r = srv.get(path)
        expect(r.status == 200, "GET %s -> 200" % path, r)
        with open(os.path.join(WEB, name), "rb") as f:
            expect(r.raw == f.read(), "%s serves web/%s" % (path, name))
        expect(r.header("Content-Type", "").startswith("text/html"), "%s is HTML" % path)
        expect_security_headers(r, path)
    for path in ["/e/", "/e/abc/unknown", "/nope.html", "/js/nope.js", "/e/abc/notes/",
                 "/e/abc/notes/a/b", "/e/abc/print/other"]:
        r = srv.get(path)
        expect(r.status == 404, "GET %s -> 404" % path, r)
        expect(r.error_code() is not None, "404 has the JSON error body", r)
        expect_security_headers(r, path)


def test_etag_gives_304(srv):
    r = srv.get("/")
    etag = r.header("ETag")
    expect(r.status == 200 and etag, "/ has an ETag", r)
    r2 = srv.get("/", headers={"If-None-Match": etag})
    expect(r2.status == 304 and r2.raw == b"", "If-None-Match -> 304, no body", r2)
    expect(r2.header("ETag") == etag, "304 repeats the ETag", r2.header("ETag"))
    r3 = srv.get("/", headers={"If-None-Match": '"other"'})
    expect(r3.status == 200, "another tag -> 200", r3)
    h = srv.request("HEAD", "/")
    expect(h.status == 200 and h.raw == b"", "HEAD -> 200 without a body", h)


def test_api_and_errors_carry_security_headers(srv):
    r = srv.get("/healthz")
    expect(r.status == 200, "healthz -> 200", r)
    expect_security_headers(r, "/healthz")
    r = srv.get("/%2e%2e/x")
    expect(r.status == 400, "traversal -> 400", r)
    expect_security_headers(r, "a refusal")


def test_manifests_carry_the_whole_name(srv):
    """The web app manifests (participant and wall) name the event whole, at
    the name's limit in characters of one, two, three and four bytes each (a
    name of 200 "é" once made them 500: it was cut in a fixed buffer inside a
    character)."""
    for name in ["Rencontre", "a" * 200, "é" * 200, "€" * 200, "😀" * 200]:
        ev = srv.create_event(name=name)
        for path, kind in (("manifest.webmanifest", ""), ("wall.webmanifest", "/wall")):
            r = srv.get("/api/v1/events/%s/%s" % (ev["id"], path))
            what = "%s of a %d-character name of %r" % (path, len(name), name[0])
            expect(r.status == 200, what + " -> 200", r)
            expect(r.header("Content-Type") == "application/manifest+json", what + ": its type",
                   r.header("Content-Type"))
            m = json.loads(r.raw.decode("utf-8"))
            if kind:
                expect(m["name"].startswith(name + " · ") and len(m["name"]) > len(name) + 3,
                       what + ": the name whole, then the wall", m["name"])
            else:
                expect(m["name"] == name, what + ": the name whole", m["name"])
            expect(m["start_url"] == "/e/%s%s" % (ev["id"], kind), what + ": start_url", m)
            expect(m["scope"] == "/e/%s" % ev["id"], what + ": scope", m)
    r = srv.get("/api/v1/events/nosuchevent/manifest.webmanifest")
    expect(r.status == 404, "no such event -> 404", r)


def test_web_dir_from_disk():
    d = tempfile.mkdtemp(prefix="forumd-web-")
    outside = tempfile.mkdtemp(prefix="forumd-outside-")
    try:
        os.makedirs(os.path.join(d, "css"))
        with open(os.path.join(d, "index.html"), "w") as f:
            f.write("<!doctype html><p>from disk</p>\n")
        with open(os.path.join(d, "css", "app.css"), "w") as f:
            f.write("body { color: black; }\n")
        with open(os.path.join(outside, "secret.txt"), "w") as f:
            f.write("SECRET\n")
        os.symlink(os.path.join(outside, "secret.txt"), os.path.join(d, "leak.txt"))
        os.symlink(outside, os.path.join(d, "out"))
        with harness.Server(extra_args=["--web", d]) as srv:
            r = srv.get("/")
            expect(r.status == 200 and r.text == "<!doctype html><p>from disk</p>\n",
                   "/ from the disk copy", r)
            expect_security_headers(r, "/ from disk")
            etag = r.header("ETag")
            r = srv.get("/", headers={"If-None-Match": etag})
            expect(r.status == 304, "304 from disk", r)
            r = srv.get("/css/app.css")
            expect(r.status == 200 and r.header("Content-Type", "").startswith("text/css"),
                   "/css/app.css from disk", r)
            # Edits show without a restart.
            with open(os.path.join(d, "css", "app.css"), "w") as f:
                f.write("body { color: red; }\n")
            r = srv.get("/css/app.css")
            expect(r.text == "body { color: red; }\n", "the edited file", r)
            for path in ["/leak.txt", "/out/secret.txt", "/%2e%2e/" +
                         os.path.basename(outside) + "/secret.txt",
                         "/../" + os.path.basename(outside) + "/secret.txt"]:
                r = srv.get(path)
                expect(r.status in (400, 403, 404), "GET %s refused" % path, r)
                expect(b"SECRET" not in r.raw, "no escape through " + path)
    finally:
        shutil.rmtree(d, ignore_errors=True)
        shutil.rmtree(outside, ignore_errors=True)


if __name__ == "__main__":
    harness.main(globals())
