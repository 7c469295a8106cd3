# SPDX-License-Identifier: MIT
"""The soak in short (tests/bench/soak.py): 30 s of 50 wall pollers, 10 votes/s
and a re-allocation every 10 s against one daemon. Checks no request failed,
no acknowledged vote was lost, and the daemon stops cleanly on SIGTERM with
no LeakSanitizer report (in the sanitizer build, LSan runs at that exit).
Latency and memory figures are printed, not asserted: tests/bench/soak.py
measures them in its full 10-minute run (docs/reliability.md).
"""

import json
import os
import sys

import harness

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench"))
import soak  # noqa: E402

DURATION = float(os.environ.get("FORUM_SOAK_SECONDS", "30"))


def test_soak_short(srv):
    args = soak.parse_args(["--duration", str(DURATION), "--pollers", "50",
                            "--poll-interval", "1", "--votes-per-s", "10",
                            "--realloc-every", "10", "--time-limit-ms", "300",
                            "--participants", "60", "--topics", "20", "--rooms", "4",
                            "--slots", "4"])
    figures = soak.soak(srv, args)
    slim = {k: v for k, v in figures.items() if k != "rss_samples"}
    print(json.dumps(slim, indent=1))
    harness.expect(figures["errors"] == 0, "no request failed", figures["first_errors"])
    harness.expect(figures["votes_lost"] == 0, "every acknowledged vote stored",
                   figures["lost_detail"])
    harness.expect(figures["requests"].get("poll", 0) > 0
                   and figures["requests"].get("vote", 0) > 0
                   and figures["requests"].get("allocate", 0) > 0,
                   "every kind of request ran", figures["requests"])
    srv.stop()  # SIGTERM; checks exit status 0 (LSan makes it non-zero on a leak)
    log = "\n".join(srv.stderr_lines)
    harness.expect("LeakSanitizer" not in log and "AddressSanitizer" not in log,
                   "no sanitizer report at exit", srv.log_tail(60))


if __name__ == "__main__":
    harness.main(globals())
