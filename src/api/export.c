/* SPDX-License-Identifier: MIT */
/*
 * The published schedule for people and programs: a participant's agenda
 * (JSON and a read-only iCalendar feed), the event's iCalendar (RFC 5545,
 * times in UTC with "Z") and CSV (RFC 4180, formula injection defused).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/util/buf.h"
#include "forum/util/mem.h"
#include "internal.h"

/* The largest export we build (a big event is well under a megabyte). */
#define EXPORT_MAX (16u * 1024u * 1024u)

/* One placed session, with names resolved (every string borrowed from the doc). */
struct item {
    const char *topic, *title, *theme, *room, *room_name, *slot, *slot_label, *starts_at,
        *ends_at;
    json_t *hosts;
    json_int_t seated;
};

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

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));

    return s ? s : "";
}

/*
 * OUT: items, n: the sessions of the schedule doc, in its order, keeping
 * only the topics listed in only (NULL: all). Free with free().
 */
static void items_of(json_t *doc, json_t *only, struct item **items, size_t *n)
{
    json_t *sessions = json_object_get(doc, "sessions"), *x;
    size_t i;

    *items = forum_xcalloc(json_array_size(sessions) + 1, sizeof(**items));
    *n = 0;
    json_array_foreach(sessions, i, x)
    {
        struct item *it = &(*items)[*n];
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
}

/*
 * OUT: doc (the latest schedule) and mine (an object whose keys are the
 * topics pid attends). FORUM_ENOTFOUND before the first publication.
 */
static enum forum_status attended(struct api_ctx *c, const char *pid, json_t **doc,
                                  json_t **mine, struct forum_error *err)
{
    struct store_schedule sc;
    struct store_allocation a;
    enum forum_status rc;
    json_t *sol, *x, *who;
    size_t i, j;

    *doc = *mine = NULL;
    rc = store_schedule_latest(c->store, CTX_EID(c), &sc, err);
    if (rc != FORUM_OK)
        return rc;
    rc = store_allocation_get(c->store, CTX_EID(c), sc.allocation_id, &a, err);
    if (rc != FORUM_OK) {
        store_schedule_release(&sc);
        return rc;
    }
    *doc = json_loads(sc.body, 0, NULL);
    sol = json_loads(a.solution, 0, NULL);
    *mine = json_object();
    json_array_foreach(json_object_get(sol, "sessions"), i, x)
    {
        json_array_foreach(json_object_get(x, "attendees"), j, who)
        {
            if (json_is_string(who) && strcmp(json_string_value(who), pid) == 0)
                json_object_set_new(*mine, str(x, "topic"), json_true());
        }
    }
    json_decref(sol);
    store_allocation_release(&a);
    store_schedule_release(&sc);
    return *doc != NULL ? FORUM_OK : FORUM_EINTERNAL;
}

void api__me_agenda(struct api_ctx *c)
{
    struct forum_error err;
    enum forum_status rc;
    json_t *doc, *mine, *arr = json_array();
    struct item *items = NULL;
    size_t n = 0;

    forum_error_clear(&err);
    rc = attended(c, c->who.participant_id, &doc, &mine, &err);
    if (rc == FORUM_ENOTFOUND) {
        api__json(c, 200, arr); /* nothing published yet: an empty agenda */
        return;
    }
    if (rc != FORUM_OK) {
        json_decref(arr);
        api__fail(c, rc, &err);
        return;
    }
    items_of(doc, mine, &items, &n);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "topic", json_string(items[i].topic));
        json_object_set_new(o, "title", json_string(items[i].title));
        json_object_set_new(o, "room", json_string(items[i].room));
        json_object_set_new(o, "room_name", json_string(items[i].room_name));
        json_object_set_new(o, "slot", json_string(items[i].slot));
        json_object_set_new(o, "slot_label", json_string(items[i].slot_label));
        json_object_set_new(o, "starts_at", json_string(items[i].starts_at));
        json_object_set_new(o, "ends_at", json_string(items[i].ends_at));
        json_array_append_new(arr, o);
    }
    free(items);
    json_decref(doc);
    json_decref(mine);
    api__json(c, 200, arr);
}

/* ---- iCalendar
 * -------------------------------------------------------------------------- */

/*
 * Appends one content line, escaped as TEXT when text is set, folded at 75
 * octets (never inside a UTF-8 sequence) and ended with CRLF.
 */
static void ics_line(struct buf *b, const char *name, const char *value, bool text)
{
    struct buf line;
    size_t col = 0;

    buf_init(&line, EXPORT_MAX);
    buf_append_str(&line, name);
    buf_append_char(&line, ':');
    for (const char *p = value; *p; p++) {
        if (text && (*p == '\\' || *p == ';' || *p == ',')) {
            buf_append_char(&line, '\\');
            buf_append_char(&line, *p);
        } else if (text && *p == '\n') {
            buf_append_str(&line, "\\n");
        } else if (*p == '\r' || (unsigned char)*p < 0x20) {
            continue;
        } else {
            buf_append_char(&line, *p);
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
            buf_append_char(b, ' ');
        buf_append(b, line.ptr + i, take);
        buf_append_str(b, "\r\n");
        i += take;
        col++;
    }
    buf_release(&line);
}

/* "2025-09-18T07:00:00Z" -> "20250918T070000Z". */
static void ics_time(const char *utc, char *out)
{
    size_t o = 0;

    for (const char *p = utc; *p && o < 16; p++)
        if (*p != '-' && *p != ':')
            out[o++] = *p;
    out[o] = '\0';
}

static char *ics_render(const char *eid, const char *calname, const char *published_at,
                        const struct item *items, size_t n, size_t *len)
{
    struct buf b, desc;
    char t[24], stamp[24], uid[200];

    buf_init(&b, EXPORT_MAX);
    ics_time(published_at, stamp);
    buf_append_str(&b,
                   "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//forumd//forumd//EN\r\n"
                   "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n");
    ics_line(&b, "X-WR-CALNAME", calname, true);
    for (size_t i = 0; i < n; i++) {
        size_t h;
        json_t *x;

        buf_append_str(&b, "BEGIN:VEVENT\r\n");
        /* Stable across versions, so calendar apps move the event, not duplicate it. */
        snprintf(uid, sizeof(uid), "%s-%s@forumd", eid, items[i].topic);
        ics_line(&b, "UID", uid, false);
        ics_line(&b, "DTSTAMP", stamp, false);
        ics_time(items[i].starts_at, t);
        ics_line(&b, "DTSTART", t, false);
        ics_time(items[i].ends_at, t);
        ics_line(&b, "DTEND", t, false);
        ics_line(&b, "SUMMARY", items[i].title, true);
        ics_line(&b, "LOCATION", items[i].room_name, true);
        buf_init(&desc, EXPORT_MAX);
        if (items[i].theme[0])
            buf_printf(&desc, "%s\n", items[i].theme);
        json_array_foreach(items[i].hosts, h, x)
            buf_printf(&desc, "%s%s", h ? ", " : "", json_string_value(x));
        if (desc.len > 0)
            ics_line(&b, "DESCRIPTION", desc.ptr, true);
        buf_release(&desc);
        buf_append_str(&b, "END:VEVENT\r\n");
    }
    buf_append_str(&b, "END:VCALENDAR\r\n");
    return buf_detach(&b, len);
}

static void send_ics(struct api_ctx *c, json_t *doc, json_t *only)
{
    struct item *items;
    size_t n, len;
    char *text;
    const char *published_at = str(doc, "published_at");

    items_of(doc, only, &items, &n);
    text = ics_render(CTX_EID(c), c->has_event ? c->event.name : "forumd", published_at,
                      items, n, &len);
    free(items);
    api__text(c, 200, "text/calendar; charset=utf-8", text, len);
}

/*
 * OUT: doc, the published schedule document (owned). Returns false, after
 * answering 404 (nothing published yet) or the failure, when there is none.
 */
static bool published_doc(struct api_ctx *c, json_t **doc)
{
    struct forum_error err;
    enum forum_status rc;
    long version;

    forum_error_clear(&err);
    rc = api__schedule_doc(c, doc, &version, NULL, &err);
    if (rc == FORUM_ENOTFOUND) {
        api__error(c, 404, "not_published", NULL, "no schedule is published yet");
        return false;
    }
    if (rc != FORUM_OK) {
        api__fail(c, rc, &err);
        return false;
    }
    return true;
}

void api__schedule_ics(struct api_ctx *c)
{
    json_t *doc;

    if (!published_doc(c, &doc))
        return;
    send_ics(c, doc, NULL);
    json_decref(doc);
}

void api__feed_ics(struct api_ctx *c)
{
    char secret[API_PARAM_MAX + 1];
    struct store_principal who;
    struct forum_error err;
    enum forum_status rc;
    size_t n = strlen(c->param[1]);
    json_t *doc, *mine;

    snprintf(secret, sizeof(secret), "%s", c->param[1]);
    if (n > 4 && strcmp(secret + n - 4, ".ics") == 0)
        secret[n - 4] = '\0';
    forum_error_clear(&err);
    rc = store_auth_lookup(c->store, secret, &who, &err);
    if (rc == FORUM_ENOTFOUND ||
        (rc == FORUM_OK &&
         (who.role != STORE_ROLE_FEED || strcmp(who.event_id, CTX_EID(c)) != 0))) {
        /* As for tokens: a valid secret is always served, wrong ones are limited. */
        if (api__failures_blocked(c))
            return;
        api__auth_failed(c);
        api__error(c, 404, "not_found", NULL, "no such calendar");
        return;
    }
    if (api__failed(c, rc, &err))
        return;
    rc = attended(c, who.participant_id, &doc, &mine, &err);
    if (rc == FORUM_ENOTFOUND) {
        /* Nothing published yet: an empty calendar that the app polls later. */
        char now[21];
        size_t len;
        store_now(now);
        api__text(c, 200, "text/calendar; charset=utf-8",
                  ics_render(CTX_EID(c), c->event.name, now, NULL, 0, &len), len);
        return;
    }
    if (api__failed(c, rc, &err))
        return;
    send_ics(c, doc, mine);
    json_decref(doc);
    json_decref(mine);
}

/* ---- CSV
 * ----------------------------------------------------------------------------------- */

/* Appends one field: a leading formula character is defused with "'", then RFC 4180
 * quoting. */
static void csv_field(struct buf *b, const char *s, bool last)
{
    bool defuse = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
                  s[0] == '\t' || s[0] == '\r';
    bool quote = defuse || strpbrk(s, ",\"\r\n") != NULL;

    if (quote)
        buf_append_char(b, '"');
    if (defuse)
        buf_append_char(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            buf_append_char(b, '"');
        buf_append_char(b, *p);
    }
    if (quote)
        buf_append_char(b, '"');
    buf_append_str(b, last ? "\r\n" : ",");
}

void api__schedule_csv(struct api_ctx *c)
{
    json_t *doc, *x;
    struct item *items;
    size_t n, len, h;
    struct buf b, hosts;
    char seated[32];
    char *text;

    if (!published_doc(c, &doc))
        return;
    items_of(doc, NULL, &items, &n);
    buf_init(&b, EXPORT_MAX);
    buf_append_str(&b, "slot,starts_at,ends_at,room,topic,title,theme,hosts,seated\r\n");
    for (size_t i = 0; i < n; i++) {
        buf_init(&hosts, EXPORT_MAX);
        json_array_foreach(items[i].hosts, h, x)
            buf_printf(&hosts, "%s%s", h ? "; " : "", json_string_value(x));
        snprintf(seated, sizeof(seated), "%lld", (long long)items[i].seated);
        csv_field(&b, items[i].slot_label, false);
        csv_field(&b, items[i].starts_at, false);
        csv_field(&b, items[i].ends_at, false);
        csv_field(&b, items[i].room_name, false);
        csv_field(&b, items[i].topic, false);
        csv_field(&b, items[i].title, false);
        csv_field(&b, items[i].theme, false);
        csv_field(&b, hosts.ptr ? hosts.ptr : "", false);
        csv_field(&b, seated, true);
        buf_release(&hosts);
    }
    free(items);
    json_decref(doc);
    text = buf_detach(&b, &len);
    api__text(c, 200, "text/csv; charset=utf-8", text, len);
    api_response_add_header(c->resp, "Content-Disposition",
                            "attachment; filename=\"schedule.csv\"");
}
