/* SPDX-License-Identifier: MIT */
/*
 * The iCalendar writer (RFC 5545): times in UTC with "Z", one UID per
 * session identity, SEQUENCE and STATUS:CANCELLED so that subscribed
 * calendars follow the versions; fuzzed directly by tests/fuzz/fuzz_export.c.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * Appends one content line, escaped as TEXT when text is set, folded at 75
 * octets (never inside a UTF-8 sequence) and ended with CRLF. Control
 * characters (RFC 5545's CONTROL: 0x00-0x1F but a TEXT newline, and 0x7F)
 * are dropped, and each byte that starts no well-formed UTF-8 sequence
 * becomes U+FFFD: the API stores neither, but the writer does not rely on it
 * (a stray continuation byte would leave the folding no place to cut).
 */
static void ics_line(struct buf *b, const char *name, const char *value, bool text)
{
    struct buf line;
    size_t col = 0;

    buf_init(&line, EXPORT_MAX);
    export__put_str(&line, name);
    export__put_char(&line, ':');
    for (const unsigned char *p = (const unsigned char *)value; *p;) {
        size_t n = export__utf8_len(p);
        char ch = (char)*p;

        if (n == 0) {
            export__put_str(&line, "\xEF\xBF\xBD");
            p++;
        } else if (n > 1) {
            export__put(&line, (const char *)p, n);
            p += n;
        } else if (text && (ch == '\\' || ch == ';' || ch == ',')) {
            export__put_char(&line, '\\');
            export__put_char(&line, ch);
            p++;
        } else if (text && ch == '\n') {
            export__put_str(&line, "\\n");
            p++;
        } else if (*p < 0x20 || *p == 0x7F) {
            p++;
        } else {
            export__put_char(&line, ch);
            p++;
        }
    }
    for (size_t i = 0; i < line.len;) {
        size_t room = col == 0 ? 75 : 74, take = line.len - i;
        if (take > room) {
            take = room;
            /* Back up to the start of a UTF-8 sequence. */
            while (take > 0 && ((unsigned char)line.ptr[i + take] & 0xC0) == 0x80)
                take--;
        }
        if (col > 0)
            export__put_char(b, ' ');
        export__put(b, line.ptr + i, take);
        export__put_str(b, "\r\n");
        i += take;
        col++;
    }
    buf_release(&line);
}

/* "2025-09-18T07:00:00Z" -> "20250918T070000Z". out holds at least 17 bytes. */
static void ics_time(const char *utc, char *out)
{
    size_t o = 0;

    for (const char *p = utc; *p && o < 16; p++)
        if (*p != '-' && *p != ':')
            out[o++] = *p;
    out[o] = '\0';
}

/* True when url is an http(s) URL the URL property may carry as it is. */
static bool url_ok(const char *url)
{
    if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
        return false;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= 0x20 || *p >= 0x7F || *p == '"' || *p == '\\')
            return false;
    return true;
}

char *export_ics(const struct export_schedule *sc, size_t *len)
{
    struct buf b, desc;
    char t[24], stamp[24], uid[200], seq[32];

    buf_init(&b, EXPORT_MAX);
    ics_time(export__nz(sc != NULL ? sc->published_at : NULL), stamp);
    export__put_str(&b,
                    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//forumd//forumd//EN\r\n"
                    "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n");
    ics_line(&b, "X-WR-CALNAME", export__nz(sc != NULL ? sc->name : NULL), true);
    for (size_t i = 0; sc != NULL && i < sc->n_sessions; i++) {
        const struct export_session *it = &sc->sessions[i];
        const char *summary = it->summary != NULL ? it->summary : export__nz(it->title);

        export__put_str(&b, "BEGIN:VEVENT\r\n");
        /* One per session identity, the same in every version, so that calendar
         * apps move or cancel the event instead of duplicating it. */
        snprintf(uid, sizeof(uid), "%s-%s@forumd", export__nz(sc->event_id),
                 export__nz(it->id));
        ics_line(&b, "UID", uid, false);
        snprintf(seq, sizeof(seq), "%ld", it->sequence > 0 ? it->sequence : 0);
        ics_line(&b, "SEQUENCE", seq, false);
        ics_line(&b, "DTSTAMP", stamp, false);
        ics_time(export__nz(it->starts_at), t);
        ics_line(&b, "DTSTART", t, false);
        ics_time(export__nz(it->ends_at), t);
        ics_line(&b, "DTEND", t, false);
        ics_line(&b, "SUMMARY", summary, true);
        if (it->cancelled)
            ics_line(&b, "STATUS", "CANCELLED", false);
        /* An online room: its link in LOCATION too, where every calendar app
         * shows it (and most make it a link), beside URL. */
        buf_init(&desc, EXPORT_MAX);
        export__put_str(&desc, export__nz(it->room_name));
        if (url_ok(export__nz(it->room_url))) {
            export__put_str(&desc, desc.len > 0 ? " \xE2\x80\x94 " : "");
            export__put_str(&desc, it->room_url);
        }
        if (desc.len > 0)
            ics_line(&b, "LOCATION", desc.ptr, true);
        buf_release(&desc);
        if (url_ok(export__nz(it->room_url)))
            ics_line(&b, "URL", it->room_url, false);
        buf_init(&desc, EXPORT_MAX);
        if (export__nz(it->theme)[0]) {
            export__put_str(&desc, it->theme);
            export__put_char(&desc, '\n');
        }
        export__put_hosts(&desc, it->hosts, it->n_hosts, ", ");
        if (desc.len > 0)
            ics_line(&b, "DESCRIPTION", desc.ptr, true);
        buf_release(&desc);
        export__put_str(&b, "END:VEVENT\r\n");
    }
    export__put_str(&b, "END:VCALENDAR\r\n");
    return buf_detach(&b, len);
}
