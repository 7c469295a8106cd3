/* SPDX-License-Identifier: MIT */
/*
 * The export writers as pure functions: a published schedule document in,
 * iCalendar (RFC 5545) or CSV (RFC 4180) text out. No api_ctx, no store, no
 * HTTP, no clock, so that tests and fuzzers call them directly; export.c
 * wraps them in the handlers.
 *
 * The schedule document is the one publication builds (src/api/publish.c):
 *
 *     {"published_at": "...Z",
 *      "slots":    [{"id", "label", "starts_at", "ends_at"}, ...],
 *      "rooms":    [{"id", "name"}, ...],
 *      "sessions": [{"topic", "title", "theme", "hosts": ["name", ...],
 *                    "room", "slot", "seated"}, ...]}
 *
 * A missing or mistyped member reads as "" (or 0, or no hosts): the writers
 * never fail on the document's shape. Strings are C strings: bytes after an
 * embedded NUL are not written. Out of memory aborts, as everywhere in the
 * daemon (docs/decisions/0001-out-of-memory-policy.md). Thread-safe: no
 * shared state.
 */
#ifndef FORUM_API_EXPORT_FMT_H
#define FORUM_API_EXPORT_FMT_H

#include <jansson.h>
#include <stddef.h>

/* The largest export written, in bytes (a big event is well under a megabyte);
 * what would pass it is left out. */
#define EXPORT_MAX (16u * 1024u * 1024u)

/* One placed session with its names resolved. Every string is borrowed from
 * the schedule document (never NULL: "" when missing) and lives as long as it. */
struct export_item {
    const char *topic, *title, *theme, *room, *room_name, *slot, *slot_label, *starts_at,
        *ends_at;
    json_t *hosts; /* borrowed: the session's array of host names, or NULL */
    json_int_t seated;
};

/*
 * Returns the sessions of doc, in the document's order, keeping only the
 * topics that are keys of the object only (NULL: all of them). doc may be
 * NULL or have no "sessions": none then. OUT: n, the number of items.
 * The array is owned (free() it, never NULL); its strings are borrowed
 * from doc.
 */
struct export_item *export_items(json_t *doc, json_t *only, size_t *n);

/*
 * Writes the iCalendar of the sessions of doc kept by only (as in
 * export_items()): a VCALENDAR named calname (X-WR-CALNAME) holding one
 * VEVENT per session, with UID "<event_id>-<topic>@forumd" (stable across
 * versions), DTSTAMP published_at, DTSTART/DTEND in UTC, SUMMARY the title,
 * LOCATION the room name, DESCRIPTION the theme and the hosts. Lines end
 * with CRLF and fold at 75 octets, never inside a UTF-8 sequence; TEXT
 * values escape '\', ';', ',' and newlines, and control characters are
 * dropped. published_at is "YYYY-MM-DDTHH:MM:SSZ". doc NULL or without
 * sessions: an empty calendar. Every string argument must be non-NULL.
 * Returns owned text (free() it, NUL-terminated, never NULL). OUT: len,
 * its length in bytes.
 */
char *export_ics(const char *event_id, const char *calname, const char *published_at,
                 json_t *doc, json_t *only, size_t *len);

/*
 * Writes the CSV of all the sessions of doc: the header
 * "slot,starts_at,ends_at,room,topic,title,theme,hosts,seated", then one
 * record per session (hosts joined with "; "), CRLF after each. Fields with
 * ',', '"', CR or LF are quoted with '"' doubled; a field starting with
 * '=', '+', '-', '@', TAB or CR is quoted and prefixed with "'" so that
 * spreadsheets do not run it as a formula. doc NULL or without sessions:
 * the header alone. Returns owned text (free() it, NUL-terminated, never
 * NULL). OUT: len, its length in bytes.
 */
char *export_csv(json_t *doc, size_t *len);

#endif /* FORUM_API_EXPORT_FMT_H */
