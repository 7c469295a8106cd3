# SPDX-License-Identifier: MIT
"""The Debian package, end to end, on this machine (ctest: package.deb).

Builds the .deb with scripts/package.sh, lints it (lintian: no error, no
warning), installs it with dpkg -i, checks what the postinst made (the forumd
system user, /var/lib/forumd, the unit enabled), validates the unit with
systemd-analyze verify, runs the installed binary as the forumd user with the
unit's ExecStart and the environment of /etc/default/forumd (both parsed from
the installed files; only the port is changed to a free one), checks
/healthz and the admin token file, stops it with SIGTERM, purges the package
and checks that nothing is left but the database (docs/operations.md,
"What purge keeps"), reinstalls to see the database handed back, and purges
again. The machine is left as it was, also when a step fails.

It needs root: run as root (CI), or with sudo -n available. It refuses to run
where forumd is already installed or /var/lib/forumd or a forumd user exists.
"""

import json
import os
import pwd
import grp
import re
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.request

SRC = os.environ.get("FORUM_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
VERSION = os.environ.get("FORUM_VERSION")
UNIT = "/lib/systemd/system/forumd.service"
DEFAULTS = "/etc/default/forumd"
STATE = "/var/lib/forumd"
KEPT_BY_PURGE = {"forumd.db"}  # docs/operations.md: the database stays


class Failure(Exception):
    pass


def expect(cond, what, detail=None):
    if not cond:
        raise Failure("expected: %s%s" % (what, "" if detail is None else "\n  got: %r" % (detail,)))


def run(args, check=True, **kw):
    p = subprocess.run(args, capture_output=True, text=True, stdin=subprocess.DEVNULL, **kw)
    if check and p.returncode != 0:
        raise Failure("%s exited %d:\n%s%s" % (" ".join(args), p.returncode, p.stdout[-3000:],
                                                p.stderr[-3000:]))
    return p


def step(what):
    print("-- " + what, flush=True)


def become_root():
    """Re-runs this script under sudo -n when not root; fails clearly if impossible."""
    if os.geteuid() == 0:
        return
    if shutil.which("sudo") is None or subprocess.run(
            ["sudo", "-n", "true"], capture_output=True).returncode != 0:
        print("FAIL package.deb needs root to install a package: run it as root, or "
              "make 'sudo -n' work for this user", flush=True)
        sys.exit(1)
    keep = ["FORUM_SOURCE_DIR", "FORUM_VERSION", "PATH"]
    env = ["%s=%s" % (k, os.environ[k]) for k in keep if k in os.environ]
    os.execvp("sudo", ["sudo", "-n", "env"] + env + [sys.executable] + sys.argv)


# -- the installed files, read as systemd reads them -------------------------

def unit_service_section(path):
    """The [Service] keys of a unit file: {key: [values]} (continuations joined)."""
    keys, section, pending = {}, None, ""
    for raw in open(path, encoding="utf-8").read().splitlines():
        line = pending + raw.strip()
        pending = ""
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            section = line
            continue
        if section == "[Service]" and "=" in line:
            k, v = line.split("=", 1)
            keys.setdefault(k.strip(), []).append(v.strip())
    return keys


def environment_file(path):
    """KEY=VALUE lines as systemd's EnvironmentFile= reads them (quotes removed)."""
    env = {}
    for raw in open(path, encoding="utf-8").read().splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        expect("=" in line, "an assignment in %s" % path, line)
        k, v = line.split("=", 1)
        v = v.strip()
        if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
            v = v[1:-1]
        env[k.strip()] = v
    return env


def expand_exec(line, env):
    """ExecStart= as systemd expands it: ${X} is one word, a lone $X splits on spaces."""
    expect("%" not in line, "no specifiers in ExecStart (this test does not expand them)",
           line)
    argv = []
    for word in shlex.split(line):
        m = re.fullmatch(r"\$([A-Za-z_][A-Za-z0-9_]*)", word)
        if m:
            argv += env.get(m.group(1), "").split()
            continue
        argv.append(re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}",
                           lambda m: env.get(m.group(1), ""), word))
    return argv


# -- checks ----------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def installed():
    p = run(["dpkg-query", "-W", "-f=${Status}", "forumd"], check=False)
    return p.returncode == 0 and "installed" in p.stdout.split()[-1:]


def user_exists(name):
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def group_exists(name):
    try:
        grp.getgrnam(name)
        return True
    except KeyError:
        return False


def serve_as_unit(token_expected_new):
    """Runs the installed daemon as the unit would; returns the admin token it used."""
    svc = unit_service_section(UNIT)
    for key in ("User", "Group", "WorkingDirectory", "EnvironmentFile", "ExecStart",
                "UMask"):
        expect(len(svc.get(key, [])) == 1, "one %s= in the unit" % key, svc.get(key))
    expect(svc["EnvironmentFile"][0] == DEFAULTS, "the unit reads " + DEFAULTS,
           svc["EnvironmentFile"])
    env = environment_file(DEFAULTS)
    for key in ("FORUMD_LISTEN", "FORUMD_DB", "FORUMD_ADMIN_TOKEN_FILE", "FORUMD_OPTS"):
        expect(key in env, "%s set in %s" % (key, DEFAULTS), sorted(env))
    host, _, _ = env["FORUMD_LISTEN"].rpartition(":")
    expect(host == "127.0.0.1", "the package listens on loopback by default", env)
    port = free_port()
    env["FORUMD_LISTEN"] = "%s:%d" % (host, port)  # the one change: a free port
    argv = expand_exec(svc["ExecStart"][0], env)
    expect(argv[:2] == ["/usr/sbin/forumd", "serve"], "ExecStart runs the installed binary",
           argv)
    expect("%s:%d" % (host, port) in argv and env["FORUMD_DB"] in argv and
           env["FORUMD_ADMIN_TOKEN_FILE"] in argv, "the settings reach the command line",
           argv)
    token_file = env["FORUMD_ADMIN_TOKEN_FILE"]
    expect(os.path.exists(token_file) != token_expected_new,
           "the token file is %s before the first start" %
           ("absent" if token_expected_new else "there"), token_file)

    user, group = svc["User"][0], svc["Group"][0]
    umask = int(svc["UMask"][0], 8)
    cmd = ["setpriv", "--reuid=" + user, "--regid=" + group, "--init-groups",
           "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all", "--"] + argv
    print("   " + " ".join(cmd), flush=True)
    proc = subprocess.Popen(cmd, cwd=svc["WorkingDirectory"][0], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=dict(env, PATH="/usr/sbin:/usr/bin:/sbin:/bin"),
                            preexec_fn=lambda: os.umask(umask))
    out = []
    try:
        deadline = time.monotonic() + 30
        while True:
            line = proc.stdout.readline().decode(errors="replace")
            if line:
                out.append(line)
            if "listening on" in line:
                break
            expect(proc.poll() is None and time.monotonic() < deadline,
                   "the daemon starts and prints where it listens", "".join(out))
        base = "http://127.0.0.1:%d" % port
        status, body = http("GET", base + "/healthz")
        expect(status == 200, "GET /healthz -> 200", (status, body))
        with open("/proc/%d/status" % proc.pid) as f:
            uid = [l.split()[1:] for l in f if l.startswith("Uid:")][0]
        expect(set(uid) == {str(pwd.getpwnam(user).pw_uid)},
               "the daemon runs as %s (real, effective, saved, fs)" % user, uid)
        st = os.stat(token_file)
        expect(stat.S_IMODE(st.st_mode) == 0o600 and st.st_uid == pwd.getpwnam(user).pw_uid,
               "the admin token file is the service's, mode 0600",
               (oct(st.st_mode), st.st_uid))
        token = open(token_file).read().strip()
        expect(all(token not in l for l in out), "the token is not printed", out)
        return proc, base, token, out
    except BaseException:
        proc.kill()
        proc.wait()
        print("".join(out))
        raise


def stop(proc, out):
    proc.send_signal(signal.SIGTERM)
    try:
        rc = proc.wait(timeout=90)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise Failure("the daemon did not stop within 90 s of SIGTERM")
    out.append(proc.stdout.read().decode(errors="replace"))
    expect(rc == 0, "a clean stop (exit 0) on SIGTERM", (rc, "".join(out)[-2000:]))


def leftovers(files):
    """What of the package is still on the machine after a purge."""
    left = []
    for path in files:
        if os.path.lexists(path) and not os.path.isdir(path):
            left.append(path)
    for path in ("/usr/share/doc/forumd", DEFAULTS, UNIT,
                 "/etc/systemd/system/multi-user.target.wants/forumd.service",
                 "/var/lib/systemd/deb-systemd-helper-masked/forumd.service"):
        if os.path.lexists(path):
            left.append(path)
    for root, _, names in os.walk("/var/lib/systemd/deb-systemd-helper-enabled"):
        left += [os.path.join(root, n) for n in names if n.startswith("forumd.service")]
    for root, _, names in os.walk("/etc/systemd/system"):
        left += [os.path.join(root, n) for n in names if n.startswith("forumd.")]
    if user_exists("forumd"):
        left.append("user forumd")
    if group_exists("forumd"):
        left.append("group forumd")
    p = run(["dpkg-query", "-W", "-f=${Status}", "forumd"], check=False)
    if p.returncode == 0 and "not-installed" not in p.stdout:
        left.append("dpkg status: " + p.stdout)
    return left


def main():
    become_root()
    expect(VERSION, "FORUM_VERSION set (run through ctest)")
    for what, there in (("the forumd package", installed()),
                        ("a forumd user", user_exists("forumd")),
                        ("a forumd group", group_exists("forumd")),
                        (STATE, os.path.lexists(STATE))):
        if there:
            print("FAIL package.deb: %s already exists on this machine; this test installs "
                  "and purges the package, so it will not run here" % what, flush=True)
            return 1

    work = tempfile.mkdtemp(prefix="forumd-pkg-")
    proc = None
    try:
        step("build: scripts/package.sh")
        p = run([os.path.join(SRC, "scripts", "package.sh"), os.path.join(work, "build")],
                cwd=SRC)
        deb = p.stdout.strip().splitlines()[-1]
        arch = run(["dpkg", "--print-architecture"]).stdout.strip()
        expect(os.path.basename(deb) == "forumd_%s_%s.deb" % (VERSION, arch),
               "the package is named forumd_<version>_<arch>.deb", deb)
        changelog = open(os.path.join(SRC, "dist", "debian", "changelog")).readline()
        expect(changelog.startswith("forumd (%s) " % VERSION),
               "dist/debian/changelog's latest entry is the project's version", changelog)
        fields = {k: run(["dpkg-deb", "-f", deb, k]).stdout.strip()
                  for k in ("Package", "Version", "Architecture", "Depends")}
        print("   " + json.dumps(fields), flush=True)
        for lib in ("libmicrohttpd12", "libsqlite3-0", "libjansson4", "libnettle8", "libc6",
                    "libcmark0.30.2", "libqrencode4", "adduser"):
            expect(re.search(r"(^|, )%s( |,|$)" % re.escape(lib), fields["Depends"]),
                   "Depends names " + lib, fields["Depends"])
        contents = run(["dpkg-deb", "-c", deb]).stdout
        for path in ("./usr/sbin/forumd", "." + UNIT, "." + DEFAULTS,
                     "./usr/share/man/man8/forumd.8.gz", "./usr/share/doc/forumd/copyright",
                     "./usr/share/doc/forumd/changelog.gz",
                     "./usr/share/doc/forumd/examples/nginx-forumd.conf"):
            expect(re.search(r" %s$" % re.escape(path), contents, re.M),
                   "the package holds " + path, contents)
        odd = [l for l in contents.splitlines() if l and not re.match(
            r"(-rw-r--r--|-rwxr-xr-x|drwxr-xr-x) root/root ", l)]
        expect(not odd, "every file and directory belongs to root, 0644 or 0755", odd)

        step("lintian")
        p = run(["lintian", "--allow-root", "--display-info", deb], check=False)
        print(p.stdout, end="", flush=True)
        bad = [l for l in p.stdout.splitlines() if l[:2] in ("E:", "W:")]
        expect(p.returncode in (0, 1) and not bad and "E:" not in p.stderr,
               "lintian reports no error and no warning", bad or p.stderr[-2000:])

        step("dpkg -i")
        run(["dpkg", "-i", deb])
        files = [l for l in run(["dpkg-query", "-L", "forumd"]).stdout.splitlines()
                 if l.startswith("/")]
        pw = pwd.getpwnam("forumd")
        expect(pw.pw_uid < 1000 and pw.pw_shell in ("/usr/sbin/nologin", "/bin/false") and
               pw.pw_dir == STATE, "forumd is a system user without a login, home " + STATE,
               pw)
        expect(grp.getgrgid(pw.pw_gid).gr_name == "forumd", "in the forumd group")
        st = os.stat(STATE)
        expect(st.st_uid == pw.pw_uid and stat.S_IMODE(st.st_mode) == 0o700,
               STATE + " belongs to forumd, mode 0700", (st.st_uid, oct(st.st_mode)))
        link = "/etc/systemd/system/multi-user.target.wants/forumd.service"
        expect(os.path.islink(link) and os.readlink(link) == UNIT,
               "the unit is enabled on install", link)
        conffiles = run(["dpkg-query", "-W", "-f=${Conffiles}", "forumd"]).stdout
        expect(DEFAULTS in conffiles, DEFAULTS + " is a conffile", conffiles)
        dyn = run(["readelf", "-d", "/usr/sbin/forumd"]).stdout
        expect("RPATH" not in dyn and "RUNPATH" not in dyn, "no RPATH in the binary", dyn)
        p = run(["/usr/sbin/forumd", "--version"])
        expect(p.stdout.strip() == "forumd " + VERSION, "forumd --version", p.stdout)
        p = run(["man", "--warnings", "-l", "-Tutf8", "/usr/share/man/man8/forumd.8.gz"],
                env=dict(os.environ, MANWIDTH="80"))
        expect(p.stderr.strip() == "", "the manual formats without a warning", p.stderr)
        text = re.sub(".\b", "", p.stdout)  # overstrike bold and underline
        text = text.replace("\u2010", "-").replace("\u2212", "-")
        for word in ("serve", "solve", "check", "backup", "--admin-token-file",
                     "--trusted-proxy", "/etc/default/forumd", "--ref", "--json"):
            expect(word in text, "forumd(8) covers " + word, text[:300])

        step("systemd-analyze verify " + UNIT)
        p = run(["systemd-analyze", "verify", UNIT], check=False)
        msgs = [l for l in (p.stdout + p.stderr).splitlines() if "forumd" in l]
        expect(p.returncode == 0 and not msgs, "the unit verifies cleanly",
               (p.returncode, p.stdout + p.stderr))

        step("run the installed daemon as the unit does")
        proc, base, token, out = serve_as_unit(token_expected_new=True)
        status, body = http("POST", base + "/api/v1/events", {"name": "Kept by purge"}, token)
        expect(status == 201, "the token file's token is the admin's", (status, body))
        eid = json.loads(body)["id"]
        stop(proc, out)
        proc = None

        step("dpkg --purge")
        run(["dpkg", "--purge", "forumd"])
        left = leftovers(files)
        expect(not left, "nothing of the package is left after purge", left)
        kept = set(os.listdir(STATE)) if os.path.isdir(STATE) else set()
        expect(kept == KEPT_BY_PURGE, "purge keeps the database and nothing else in " + STATE,
               kept)
        for name in kept | {"."}:
            st = os.lstat(os.path.join(STATE, name))
            expect(st.st_uid == 0 and st.st_gid == 0,
                   "what purge keeps belongs to root (no orphaned id)", (name, st.st_uid))

        step("dpkg -i again: the database is handed back")
        run(["dpkg", "-i", deb])
        st = os.stat(os.path.join(STATE, "forumd.db"))
        expect(st.st_uid == pwd.getpwnam("forumd").pw_uid, "forumd.db is the service's again",
               st.st_uid)
        proc, base, token, out = serve_as_unit(token_expected_new=True)
        status, body = http("GET", base + "/api/v1/events/" + eid)
        expect(status == 200 and json.loads(body).get("name") == "Kept by purge",
               "the event made before the purge is still there", (status, body))
        stop(proc, out)
        proc = None
        run(["dpkg", "--purge", "forumd"])
        left = leftovers(files)
        expect(not left, "nothing left after the second purge", left)
        print("1 passed, 0 failed", flush=True)
        return 0
    except Failure as e:
        print("FAIL package.deb\n  " + str(e).replace("\n", "\n  "), flush=True)
        return 1
    finally:
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        if installed() or run(["dpkg-query", "-W", "forumd"], check=False).returncode == 0:
            run(["dpkg", "--purge", "forumd"], check=False)
        shutil.rmtree(STATE, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
