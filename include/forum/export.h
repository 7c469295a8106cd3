/* SPDX-License-Identifier: MIT */
/*
 * The export writers: a published schedule in, iCalendar (RFC 5545) or CSV
 * (RFC 4180) text out. Pure functions of plain structs: no JSON, no
 * database, no HTTP, no clock, so that tests and fuzzers call them
 * directly and `forumd` links them without the API knowing how they write.
 * Low-level module: it talks only to libc and util/ (buf, mem).
 *
 * Every string is read as a C string (bytes after an embedded NUL are not
 * written); NULL reads as "". Out of memory aborts, as everywhere in the
 * daemon (docs/decisions/0001-out-of-memory-policy.md). Thread-safe: no
 * shared state.
 */
#ifndef FORUM_EXPORT_H
#define FORUM_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

/* The largest export written, in bytes (a big event is well under a megabyte);
 * what would pass it is left out. */
#define EXPORT_MAX (16u * 1024u * 1024u)

/*
 * One item of the schedule: a placed session (a topic, or one group of a
 * group topic), a plenary or a break. Every pointer is borrowed from the
 * caller for the duration of the call.
 */
struct export_session {
    const char *id;    /* its identity across versions: "t1" (group 1), "t1-2", "b1" */
    const char *topic; /* the topic id; "" for a plenary or a break */
    long group;        /* 1, 2, ... (1 for everything but a group topic's groups) */
    const char *kind;  /* the block's kind: forum, groups, workshops, plenary, break */
    const char *block; /* the block's name, or "" */
    const char *title; /* the topic's title, or the plenary's or the break's */
    /* What a calendar shows ("Co-développement — groupe 2"); NULL: the title. */
    const char *summary;
    const char *theme;
    const char *const *hosts; /* host names, n_hosts of them (may be NULL when 0) */
    size_t n_hosts;
    const char *room;      /* room id, "" for a break */
    const char *room_name; /* the room's name */
    const char *room_url;  /* an online room's link (http or https), or "" */
    const char *slot;      /* the (first) slot's id */
    const char *slot_label;
    const char *starts_at; /* "YYYY-MM-DDTHH:MM:SSZ" */
    const char *ends_at;
    /* The same in the event's zone for people ("YYYY-MM-DD HH:MM", the CSV's
     * time columns); NULL: the UTC times are written there. */
    const char *starts_local;
    const char *ends_local;
    long seated;    /* people seated (a plenary: everyone) */
    long sequence;  /* iCalendar SEQUENCE: raised each time its time or room changed */
    bool cancelled; /* dropped by this version: STATUS:CANCELLED in the calendar */
};

/* A schedule version, or one person's part of it (the caller picks the sessions). */
struct export_schedule {
    const char *event_id;     /* UIDs are "<event_id>-<session id>@forumd" */
    const char *name;         /* the calendar's name (X-WR-CALNAME) */
    const char *published_at; /* "YYYY-MM-DDTHH:MM:SSZ": DTSTAMP */
    const char *timezone; /* the zone of starts_local/ends_local (CSV header), or NULL */
    const struct export_session *sessions;
    size_t n_sessions;
};

/*
 * Writes the iCalendar of sc: a VCALENDAR (METHOD:PUBLISH) named sc->name
 * holding one VEVENT per session, with UID "<event_id>-<id>@forumd" (one
 * per session identity, the same in every version: for group 1 of a topic
 * it is "<event_id>-<topic>@forumd", as before groups existed), SEQUENCE,
 * STATUS:CANCELLED when cancelled, DTSTAMP published_at, DTSTART/DTEND in
 * UTC, SUMMARY the summary (or title), LOCATION the room name, URL the
 * room's link when it is an http(s) URL without spaces or controls,
 * DESCRIPTION the theme and the hosts. Lines end with CRLF and fold at 75
 * octets, never inside a UTF-8 sequence; TEXT values escape '\', ';', ','
 * and newlines; control characters are dropped and each byte that starts
 * no well-formed UTF-8 sequence becomes U+FFFD. No sessions: an empty
 * calendar. Returns owned text (free() it, NUL-terminated, never NULL).
 * OUT: len, its length in bytes.
 */
char *export_ics(const struct export_schedule *sc, size_t *len);

/*
 * Writes the CSV of the sessions of sc that are not cancelled, for
 * spreadsheets: a UTF-8 byte-order mark (so that accents show), the header
 * "slot,starts_at (ZONE),ends_at (ZONE),room,topic,title,theme,hosts,seated,
 * session,group,block,kind,starts_at_utc,ends_at_utc" (ZONE: sc->timezone,
 * or UTC; the two time columns hold starts_local/ends_local, the wall clock
 * of the event's zone), then one record per session (hosts joined with
 * "; "), CRLF after each. Fields with
 * ',', '"', CR or LF are quoted with '"' doubled; a field starting with
 * '=', '+', '-', '@', TAB or CR is quoted and prefixed with "'" so that
 * spreadsheets do not run it as a formula. Returns owned text (free() it,
 * NUL-terminated, never NULL). OUT: len, its length in bytes.
 */
char *export_csv(const struct export_schedule *sc, size_t *len);

/* ---- QR codes (qr.c) -------------------------------------------------------- */

/* The longest text a QR code is made for, in bytes. */
#define EXPORT_QR_MAX 1000

/*
 * Encodes text (1 to EXPORT_QR_MAX bytes, taken as they are) as a QR code
 * (libqrencode, 8-bit mode, error correction level M, the smallest version
 * that holds it) drawn as an SVG document: a viewBox of one unit per
 * module, a quiet zone of four modules, black on white, crisp edges.
 * Returns owned text (free() it), or NULL for an empty or too long text.
 * OUT: len.
 */
char *export_qr_svg(const char *text, size_t *len);

#endif /* FORUM_EXPORT_H */
