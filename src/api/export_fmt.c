/* SPDX-License-Identifier: MIT */
/*
 * The iCalendar (RFC 5545, times in UTC with "Z") and CSV (RFC 4180, formula
 * injection defused) writers: pure functions of the published schedule
 * document, fuzzed directly by tests/fuzz/fuzz_export.c.
 */
#include "export_fmt.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/util/buf.h"
#include "forum/util/mem.h"

/* The daemon's policy (docs/decisions/0001): out of memory aborts. buf_ itself
 * propagates FORUM_ENOMEM, so the writers check each append; FORUM_EINVAL
 * (past EXPORT_MAX) leaves the buffer as it was. */
static void put(struct buf *b, const char *s, size_t n)
{
    if (buf_append(b, s, n) == FORUM_ENOMEM) {
        fprintf(stderr, "forumd: out of memory (export of %zu bytes)\n", b->len + n);
        abort();
    }
}

static void put_str(struct buf *b, const char *s)
{
    put(b, s, strlen(s));
}

static void put_char(struct buf *b, char c)
{
    put(b, &c, 1);
}

static json_t *by_id(json_t *arr, const char *id)
{
    size_t i;
    json_t *x;

    json_array_foreach(arr, i, x)
    {
        const char *xid = json_string_value(json_object_get(x, "id"));
        if (xid != NULL && strcmp(xid, id) == 0)
            return x;
    }
    return NULL;
}

/* The string member key of o (borrowed), "" when o or the member is missing. */
static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));

    return s ? s : "";
}

struct export_item *export_items(json_t *doc, json_t *only, size_t *n)
{
    json_t *sessions = json_object_get(doc, "sessions"), *x;
    struct export_item *items;
    size_t i;

    items = forum_xcalloc(json_array_size(sessions) + 1, sizeof(*items));
    *n = 0;
    json_array_foreach(sessions, i, x)
    {
        struct export_item *it = &items[*n];
        json_t *room, *slot;

        it->topic = str(x, "topic");
        if (only != NULL && json_object_get(only, it->topic) == NULL)
            continue;
        it->title = str(x, "title");
        it->theme = str(x, "theme");
        it->room = str(x, "room");
        it->slot = str(x, "slot");
        it->hosts = json_object_get(x, "hosts");
        it->seated = json_integer_value(json_object_get(x, "seated"));
        room = by_id(json_object_get(doc, "rooms"), it->room);
        slot = by_id(json_object_get(doc, "slots"), it->slot);
        it->room_name = str(room, "name");
        it->slot_label = str(slot, "label");
        it->starts_at = str(slot, "starts_at");
        it->ends_at = str(slot, "ends_at");
        (*n)++;
    }
    return items;
}

/* Appends the host names of hosts to b, separated by sep (non-strings read as ""). */
static void put_hosts(struct buf *b, json_t *hosts, const char *sep)
{
    size_t h;
    json_t *x;

    json_array_foreach(hosts, h, x)
    {
        const char *name = json_string_value(x);
        if (h > 0)
            put_str(b, sep);
        put_str(b, name != NULL ? name : "");
    }
}

/* ---- iCalendar ---------------------------------------------------------------- */

/*
 * Returns the length (1 to 4) of the well-formed UTF-8 sequence that starts
 * at p (NUL-terminated), or 0 when none does (RFC 3629: no overlong forms,
 * no surrogates, nothing past U+10FFFF).
 */
static size_t utf8_len(const unsigned char *p)
{
    unsigned char lo = 0x80, hi = 0xBF;

    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xC2 && p[0] <= 0xDF)
        return (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        if (p[0] == 0xE0)
            lo = 0xA0;
        else if (p[0] == 0xED)
            hi = 0x9F;
        return p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        if (p[0] == 0xF0)
            lo = 0x90;
        else if (p[0] == 0xF4)
            hi = 0x8F;
        return p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80
                   ? 4
                   : 0;
    }
    return 0;
}

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
    put_str(&line, name);
    put_char(&line, ':');
    for (const unsigned char *p = (const unsigned char *)value; *p;) {
        size_t n = utf8_len(p);
        char ch = (char)*p;

        if (n == 0) {
            put_str(&line, "\xEF\xBF\xBD");
            p++;
        } else if (n > 1) {
            put(&line, (const char *)p, n);
            p += n;
        } else if (text && (ch == '\\' || ch == ';' || ch == ',')) {
            put_char(&line, '\\');
            put_char(&line, ch);
            p++;
        } else if (text && ch == '\n') {
            put_str(&line, "\\n");
            p++;
        } else if (*p < 0x20 || *p == 0x7F) {
            p++;
        } else {
            put_char(&line, ch);
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
            put_char(b, ' ');
        put(b, line.ptr + i, take);
        put_str(b, "\r\n");
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

char *export_ics(const char *event_id, const char *calname, const char *published_at,
                 json_t *doc, json_t *only, size_t *len)
{
    struct buf b, desc;
    struct export_item *items;
    size_t n;
    char t[24], stamp[24], uid[200];

    items = export_items(doc, only, &n);
    buf_init(&b, EXPORT_MAX);
    ics_time(published_at, stamp);
    put_str(&b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//forumd//forumd//EN\r\n"
                "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n");
    ics_line(&b, "X-WR-CALNAME", calname, true);
    for (size_t i = 0; i < n; i++) {
        const struct export_item *it = &items[i];

        put_str(&b, "BEGIN:VEVENT\r\n");
        /* Stable across versions, so calendar apps move the event, not duplicate it. */
        snprintf(uid, sizeof(uid), "%s-%s@forumd", event_id, it->topic);
        ics_line(&b, "UID", uid, false);
        ics_line(&b, "DTSTAMP", stamp, false);
        ics_time(it->starts_at, t);
        ics_line(&b, "DTSTART", t, false);
        ics_time(it->ends_at, t);
        ics_line(&b, "DTEND", t, false);
        ics_line(&b, "SUMMARY", it->title, true);
        ics_line(&b, "LOCATION", it->room_name, true);
        buf_init(&desc, EXPORT_MAX);
        if (it->theme[0]) {
            put_str(&desc, it->theme);
            put_char(&desc, '\n');
        }
        put_hosts(&desc, it->hosts, ", ");
        if (desc.len > 0)
            ics_line(&b, "DESCRIPTION", desc.ptr, true);
        buf_release(&desc);
        put_str(&b, "END:VEVENT\r\n");
    }
    put_str(&b, "END:VCALENDAR\r\n");
    free(items);
    return buf_detach(&b, len);
}

/* ---- CSV ---------------------------------------------------------------------- */

/* Appends one field: a leading formula character is defused with "'", then
 * RFC 4180 quoting; then ',' or, for the last field, CRLF. */
static void csv_field(struct buf *b, const char *s, bool last)
{
    bool defuse = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
                  s[0] == '\t' || s[0] == '\r';
    bool quote = defuse || strpbrk(s, ",\"\r\n") != NULL;

    if (quote)
        put_char(b, '"');
    if (defuse)
        put_char(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            put_char(b, '"');
        put_char(b, *p);
    }
    if (quote)
        put_char(b, '"');
    put_str(b, last ? "\r\n" : ",");
}

char *export_csv(json_t *doc, size_t *len)
{
    struct export_item *items;
    size_t n;
    struct buf b, hosts;
    char seated[32];

    items = export_items(doc, NULL, &n);
    buf_init(&b, EXPORT_MAX);
    put_str(&b, "slot,starts_at,ends_at,room,topic,title,theme,hosts,seated\r\n");
    for (size_t i = 0; i < n; i++) {
        const struct export_item *it = &items[i];

        buf_init(&hosts, EXPORT_MAX);
        put_hosts(&hosts, it->hosts, "; ");
        snprintf(seated, sizeof(seated), "%lld", (long long)it->seated);
        csv_field(&b, it->slot_label, false);
        csv_field(&b, it->starts_at, false);
        csv_field(&b, it->ends_at, false);
        csv_field(&b, it->room_name, false);
        csv_field(&b, it->topic, false);
        csv_field(&b, it->title, false);
        csv_field(&b, it->theme, false);
        csv_field(&b, hosts.ptr ? hosts.ptr : "", false);
        csv_field(&b, seated, true);
        buf_release(&hosts);
    }
    free(items);
    return buf_detach(&b, len);
}
