/* SPDX-License-Identifier: MIT */
/*
 * The daemon's clock: the system's wall clock, shifted by an offset that is
 * set once at start (forumd serve --now, for rehearsing a day before it
 * happens and for tests that must not depend on the date). Everything that
 * asks "has this slot started?" or stamps a time reads it here.
 * Low-level module: it talks only to libc.
 */
#ifndef FORUM_UTIL_CLOCK_H
#define FORUM_UTIL_CLOCK_H

#include <stdbool.h>
#include <time.h>

/*
 * Shifts the clock by seconds (0: the system's time again). Meant to be
 * called before the threads start; reading it from any thread is safe.
 */
void forum_clock_set_offset(long long seconds);

/* The offset in seconds (0 unless set). */
long long forum_clock_offset(void);

/* Now, in seconds since the epoch: the system's time plus the offset. */
time_t forum_clock_now(void);

/*
 * Parses an RFC 3339 time with a zone or Z ("2025-09-18T09:30:00+02:00",
 * "2025-09-18T07:30:00Z"; fractions of a second dropped, a leap second read
 * as :59) into seconds since the epoch, between 1970 and 9999. Returns false,
 * leaving out alone, when s is not one (31 April included).
 */
bool forum_clock_parse(const char *s, time_t *out);

/* Writes t as "YYYY-MM-DDTHH:MM:SSZ" into out (21 bytes). */
void forum_clock_format(time_t t, char *out);

#endif /* FORUM_UTIL_CLOCK_H */
