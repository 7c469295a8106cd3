/* SPDX-License-Identifier: MIT */
/*
 * Time zones without the process-wide TZ variable: a zone's UTC offsets are
 * read from its TZif file (RFC 8536) in /usr/share/zoneinfo into an object
 * of its own, so threads can convert in different zones at once (glibc's
 * localtime_r() knows one zone per process).
 * Low-level module: it talks only to libc.
 */
#ifndef FORUM_UTIL_TZ_H
#define FORUM_UTIL_TZ_H

#include <stdbool.h>

#include "forum/status.h"

/* The directory of the compiled zone files. */
#define TZ_DIR "/usr/share/zoneinfo"

struct tz;

/*
 * Loads zone name ("Europe/Paris", "UTC") from TZ_DIR. "UTC" (and a machine
 * without the tz database, for "UTC" only) needs no file. FORUM_EINVAL for a
 * name with "..", a leading '/', or a file that is not TZif. OUT: out
 * (owned: free with tz_free()).
 */
enum forum_status tz_load(const char *name, struct tz **out, struct forum_error *err);

/* Frees z. NULL-safe. */
void tz_free(struct tz *z);

/*
 * The offset from UTC, in seconds, in force at t (seconds since the epoch):
 * 7200 for Paris in summer. After the zone's last transition (2037 in
 * Debian's files) the last offset stays in force.
 */
long tz_offset(const struct tz *z, long long t);

/*
 * The instant at which the wall clock of z shows local (local seconds since
 * the epoch, that is UTC seconds plus the offset). In the hour skipped at a
 * switch to summer time it gives the instant an hour later on the clock; in
 * the hour repeated in autumn, the first of the two.
 */
long long tz_from_local(const struct tz *z, long long local);

#endif /* FORUM_UTIL_TZ_H */
