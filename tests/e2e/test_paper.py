# SPDX-License-Identifier: MIT
"""The harvest and the paper bridge on the demo event, checked with Debian's
own tools, as a person would print and scan them:

- `chromium --headless --print-to-pdf` of the proceedings: `pdftotext` finds
  every session title that has notes, each on its own page, in slot order;
- of the door sheets: one page per room;
- every QR code on the door sheets and the flyer (`pdftoppm` renders) and on
  the wall (a `chromium --screenshot`) decodes with `zbarimg` to the exact
  URL it stands for;
- the iCalendar of a schedule with online rooms parses with python3-icalendar,
  with `URL` set and the link in `LOCATION`;
- the people who take part online (who need `online`) are seated only in
  online rooms.

Chromium missing: skipped (exit 77), as the browser tests are; zbar-tools,
poppler-utils and python3-icalendar are test dependencies (scripts/deps.sh).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import harness
from harness import expect

CHROMIUM = os.environ.get("FORUM_CHROMIUM", "/usr/bin/chromium")
TOOLS = ["pdftotext", "pdftoppm", "pdfinfo", "zbarimg"]


def chromium(args, url, timeout=120):
    """Runs headless Chromium once on url with its own profile."""
    profile = tempfile.mkdtemp(prefix="forumd-chromium-")
    try:
        cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-dev-shm-usage", "--no-first-run", "--disable-sync",
               "--disable-background-networking", "--user-data-dir=" + profile,
               # Time for the page's fetches and its QR images before printing.
               "--virtual-time-budget=20000", "--run-all-compositor-stages-before-draw",
               "--lang=fr-FR"] + args + [url]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout)
        expect(p.returncode == 0, "chromium ran on %s" % url,
               p.stderr.decode(errors="replace")[-2000:])
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def print_pdf(url, out):
    chromium(["--print-to-pdf=" + out, "--no-pdf-header-footer"], url)
    expect(os.path.getsize(out) > 1000, "a PDF of %s" % url, os.path.getsize(out))


def pages_of(pdf):
    info = subprocess.run(["pdfinfo", pdf], stdout=subprocess.PIPE, check=True).stdout
    return int(re.search(rb"Pages:\s+(\d+)", info).group(1))


def page_text(pdf, n):
    out = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", pdf, "-"],
                         stdout=subprocess.PIPE, check=True).stdout.decode("utf-8")
    return " ".join(out.split())


def decode(png):
    """The QR codes zbarimg reads in an image, as a sorted list of texts."""
    p = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", png],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    expect(p.returncode in (0, 4), "zbarimg ran on %s" % png, p.stderr)
    return sorted(x for x in p.stdout.decode("utf-8").split("\n") if x)


# zbar misses a sound code now and then at one sampling of the page: in one
# run of 17, a door sheet's 26 mm code did not read at 200 dpi, and the same
# PDF read at 150, 250, 300, 400 and 600 dpi. A code counts as read when it
# reads at either of two resolutions, as a phone reads it from one frame or
# the next; a wrong or missing code fails at both.
DPIS = (200, 300)


def render_pages(pdf, prefix, dpi=200):
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", pdf, prefix], check=True)
    d = os.path.dirname(prefix)
    base = os.path.basename(prefix)
    return sorted(os.path.join(d, f) for f in os.listdir(d)
                  if f.startswith(base + "-") and f.endswith(".png"))


def codes_by_page(pdf, prefix):
    """Each page's QR codes read at any of DPIS: a sorted list per page."""
    renders = [render_pages(pdf, "%s%d" % (prefix, dpi), dpi) for dpi in DPIS]
    expect(len(set(map(len, renders))) == 1, "the same pages at every resolution", renders)
    return [sorted(set(x for png in pngs for x in decode(png))) for pngs in zip(*renders)]


def demo(srv):
    """The demo event: its id and facilitator token from the printed links."""
    srv.wait_output(r"/e/[A-Za-z0-9_-]+/facilitate#token=\w+")
    text = "\n".join(srv.stdout_lines)
    m = re.search(r"/e/([A-Za-z0-9_-]+)/facilitate#token=(\w+)", text)
    return m.group(1), m.group(2)


def test_paper_on_the_demo():
    if not os.path.exists(CHROMIUM):
        print("SKIP: %s is not installed" % CHROMIUM)
        sys.exit(77)
    missing = [t for t in TOOLS if shutil.which(t) is None]
    expect(not missing, "zbar-tools and poppler-utils (scripts/deps.sh)", missing)
    work = tempfile.mkdtemp(prefix="forumd-paper-")
    with harness.Server(extra_args=["--demo"]) as srv:
        try:
            eid, fac = demo(srv)
            base = srv.base_url
            sched = srv.get("/api/v1/events/%s/schedule" % eid).body
            book = srv.get("/api/v1/events/%s/proceedings.json" % eid).body
            check_proceedings(base, eid, book, work)
            check_doors(base, eid, sched, work)
            check_flyer(base, eid, fac, work)
            check_wall(base, eid, sched, work)
            check_ics(srv, eid, sched)
            check_online_seating(srv, eid, fac)
        finally:
            shutil.rmtree(work, ignore_errors=True)


def check_proceedings(base, eid, book, work):
    with_notes = [x for b in book["blocks"] for x in b["sessions"] if x["notes"]]
    expect(len(with_notes) >= 4, "the demo has notes", len(with_notes))
    pdf = os.path.join(work, "proceedings.pdf")
    print_pdf("%s/e/%s/proceedings" % (base, eid), pdf)
    n = pages_of(pdf)
    texts = [page_text(pdf, i) for i in range(1, n + 1)]
    expect("Bigre! Rencontre.s 2025" in texts[0], "the event's name first", texts[0][:300])
    # A page per session with notes, after the contents, in slot order.
    expected = sorted(with_notes, key=lambda x: x["starts_at"])
    found = []
    # The contents (a page or two) list every title too: a session's own
    # page is the one with its title and its notes' headings.
    heads = ("Points clés", "Key points")
    for x in expected:
        title = x["title"]
        pages = [i for i, t in enumerate(texts) if title in t and any(h in t for h in heads)]
        expect(pages, "the title %r on a page of its own" % title, texts)
        found.append(pages[0])
    expect(found == sorted(found) and len(set(found)) == len(found),
           "one page each, in slot order", list(zip([x["title"] for x in expected], found)))
    # Printed: no navigation, no buttons.
    whole = " ".join(texts)
    for word in ("Imprimer / PDF", "Print / PDF", "Télécharger", "Download"):
        expect(word not in whole, "no %r in print" % word)


def check_doors(base, eid, sched, work):
    pdf = os.path.join(work, "doors.pdf")
    print_pdf("%s/e/%s/print/doors" % (base, eid), pdf)
    rooms = sched["rooms"]
    n = pages_of(pdf)
    expect(n == len(rooms), "one page per room", (n, len(rooms)))
    codes = codes_by_page(pdf, os.path.join(work, "doors"))
    expect(len(codes) == len(rooms), "a render of each page", len(codes))
    for i, room in enumerate(rooms):
        text = page_text(pdf, i + 1)
        expect(room["name"] in text, "page %d is the room %s" % (i + 1, room["name"]), text[:200])
        want = sorted(
            ["%s/e/%s/notes/%s" % (base, eid, x["id"]) for x in sched["sessions"]
             if x.get("room") == room["id"] and x["kind"] != "break"]
            + ([room["url"]] if room.get("url") else []))
        got = codes[i]
        # A room's online link and a plenary's both print the room's link: a set.
        expect(sorted(set(got)) == sorted(set(want)),
               "every QR code of %s decodes to the URL it stands for" % room["name"],
               {"got": got, "want": want})
        for url in set(want):
            expect(url in text.replace(" ", "") or url in text,
                   "the URL %s is written under its code" % url, text[:600])


def check_flyer(base, eid, fac, work):
    want = "%s/e/%s#code=BIGRE2025" % (base, eid)
    # The code from the link, or from the facilitator's token.
    for frag in ("#code=BIGRE2025", "#token=" + fac):
        pdf = os.path.join(work, "flyer.pdf")
        print_pdf("%s/e/%s/print/flyer%s" % (base, eid, frag), pdf)
        expect(pages_of(pdf) == 1, "the flyer is one page", pages_of(pdf))
        text = page_text(pdf, 1)
        expect("BIGRE2025" in text, "the flyer says the code", text)
        got = codes_by_page(pdf, os.path.join(work, "flyer%d-" % len(frag)))[0]
        expect(got == [want], "the flyer's QR code is the link to join", got)


def check_wall(base, eid, sched, work):
    png = os.path.join(work, "wall.png")
    chromium(["--screenshot=" + png, "--window-size=1920,1080", "--hide-scrollbars"],
             "%s/e/%s/wall#code=BIGRE2025" % (base, eid))
    got = decode(png)
    join = "%s/e/%s#code=BIGRE2025" % (base, eid)
    online = {r["url"] for r in sched["rooms"] if r.get("url")}
    expect(join in got, "the wall's QR code to join", got)
    expect(set(got) - {join} and set(got) - {join} <= online,
           "the wall's other codes are online rooms' links", got)


def import_icalendar():
    """python3-icalendar, Debian's: also when the interpreter running the
    tests is not Debian's own (a pyenv, a venv), from Debian's directory."""
    try:
        import icalendar
    except ImportError:
        sys.path.append("/usr/lib/python3/dist-packages")
        try:
            import icalendar
        except ImportError:
            expect(False, "python3-icalendar (scripts/deps.sh)")
    return icalendar


def check_ics(srv, eid, sched):
    icalendar = import_icalendar()

    r = srv.get("/api/v1/events/%s/schedule.ics" % eid)
    expect(r.status == 200, "the calendar", r)
    cal = icalendar.Calendar.from_ical(r.raw)
    rooms = {x["name"]: x for x in sched["rooms"]}
    online = 0
    for ev in cal.walk("VEVENT"):
        loc = str(ev.get("LOCATION", ""))
        name = loc.split(" — ")[0]
        room = rooms.get(name)
        if room and room.get("url"):
            online += 1
            expect(str(ev.get("URL")) == room["url"], "URL is the room's link", (loc, ev.get("URL")))
            expect(loc == "%s — %s" % (room["name"], room["url"]),
                   "LOCATION says the room and its link", loc)
        elif room:
            expect("URL" not in ev and loc == room["name"], "no link for a room without one", loc)
    expect(online >= 2, "sessions in online rooms, the plenary's among them", online)


def check_online_seating(srv, eid, fac):
    rooms = {r["id"]: r for r in srv.get("/api/v1/events/%s/rooms" % eid, token=fac).body}
    people = srv.get("/api/v1/events/%s/participants" % eid, token=fac).body
    remote = {p["id"] for p in people if "online" in p["needs"]}
    expect(len(remote) == 2, "two people take part online", remote)
    aid = srv.get("/api/v1/events/%s/allocations" % eid, token=fac).body[0]["id"]
    sol = srv.get("/api/v1/events/%s/allocations/%s" % (eid, aid), token=fac).body["solution"]
    seated = 0
    for s in sol["sessions"]:
        for p in set(s.get("attendees", [])) & remote:
            seated += 1
            expect("online" in rooms[s["room"]]["features"],
                   "someone online is seated in an online room only", (p, rooms[s["room"]]))
    expect(seated > 0, "the people online are seated somewhere", sol["sessions"][:3])


if __name__ == "__main__":
    harness.main(globals())
