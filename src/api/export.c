/* SPDX-License-Identifier: MIT */
/*
 * The published schedule for people and programs: a participant's agenda
 * (JSON and a read-only iCalendar feed), the event's iCalendar and CSV. The
 * handlers find the schedule and answer; the writers of forum/export.h
 * write the text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "forum/export.h"
#include "forum/util/mem.h"
#include "forum/util/tz.h"
#include "internal.h"

/* The string member key of o (borrowed), "" when o or the member is missing. */
static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));

    return s ? s : "";
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

/* The sessions of doc as the writers take them, keeping only the topics that
 * are keys of only (NULL: all). Owned array (free() it and each hosts array);
 * the strings are borrowed from doc. OUT: n. */
static struct export_session *doc_sessions(json_t *doc, json_t *only, size_t *n)
{
    json_t *sessions = json_object_get(doc, "sessions"), *x;
    struct export_session *v = forum_xcalloc(json_array_size(sessions) + 1, sizeof(*v));
    size_t i;

    *n = 0;
    json_array_foreach(sessions, i, x)
    {
        struct export_session *it = &v[*n];
        json_t *room, *slot, *hosts = json_object_get(x, "hosts");
        const char **names;

        it->topic = str(x, "topic");
        if (only != NULL && json_object_get(only, it->topic) == NULL)
            continue;
        it->id = it->topic;
        it->group = 1;
        it->kind = "forum";
        it->title = str(x, "title");
        it->theme = str(x, "theme");
        it->room = str(x, "room");
        it->slot = str(x, "slot");
        it->seated = (long)json_integer_value(json_object_get(x, "seated"));
        names = forum_xcalloc(json_array_size(hosts) + 1, sizeof(*names));
        for (size_t h = 0; h < json_array_size(hosts); h++)
            names[h] = json_string_value(json_array_get(hosts, h));
        it->hosts = names;
        it->n_hosts = json_array_size(hosts);
        room = by_id(json_object_get(doc, "rooms"), it->room);
        slot = by_id(json_object_get(doc, "slots"), it->slot);
        it->room_name = str(room, "name");
        it->slot_label = str(slot, "label");
        it->starts_at = str(slot, "starts_at");
        it->ends_at = str(slot, "ends_at");
        (*n)++;
    }
    return v;
}

static void sessions_free(struct export_session *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free((void *)(uintptr_t)v[i].hosts);
    free(v);
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
    struct export_session *items;
    size_t n;

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
    items = doc_sessions(doc, mine, &n);
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
    sessions_free(items, n);
    json_decref(doc);
    json_decref(mine);
    api__json(c, 200, arr);
}

/* ---- iCalendar, CSV: the writers are in src/export/ ----------------------------- */

/* Answers the iCalendar of doc, keeping the topics that are keys of only (NULL: all). */
static void send_ics(struct api_ctx *c, json_t *doc, json_t *only)
{
    struct export_schedule sc;
    size_t len, n;
    struct export_session *v = doc_sessions(doc, only, &n);
    char *text;

    sc.event_id = CTX_EID(c);
    sc.name = c->has_event ? c->event.name : "forumd";
    sc.published_at = str(doc, "published_at");
    sc.sessions = v;
    sc.n_sessions = n;
    text = export_ics(&sc, &len);
    sessions_free(v, n);
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
        char now[21], *text;
        size_t len;
        struct export_schedule sc = {
            .event_id = CTX_EID(c), .name = c->event.name, .published_at = now};
        store_now(now);
        text = export_ics(&sc, &len);
        api__text(c, 200, "text/calendar; charset=utf-8", text, len);
        return;
    }
    if (api__failed(c, rc, &err))
        return;
    send_ics(c, doc, mine);
    json_decref(doc);
    json_decref(mine);
}

/* Writes the UTC time utc ("YYYY-MM-DDTHH:MM:SSZ") on the wall clock of z as
 * "YYYY-MM-DD HH:MM" (out: 17 bytes); "" when utc is not such a time. */
static void local_time(const struct tz *z, const char *utc, char *out)
{
    long long t;
    time_t tt;
    struct tm tm;

    out[0] = '\0';
    if (utc == NULL || strlen(utc) != 20)
        return;
    t = api__time_epoch(utc);
    tt = (time_t)(t + tz_offset(z, t));
    if (gmtime_r(&tt, &tm) != NULL)
        strftime(out, 17, "%Y-%m-%d %H:%M", &tm);
}

void api__schedule_csv(struct api_ctx *c)
{
    struct tz *z = NULL;
    char(*local)[17] = NULL;
    struct forum_error err;
    json_t *doc;
    size_t len, n;
    char *text;
    struct export_schedule sc;
    struct export_session *v;

    if (!published_doc(c, &doc))
        return;
    v = doc_sessions(doc, NULL, &n);
    memset(&sc, 0, sizeof(sc));
    sc.event_id = CTX_EID(c);
    sc.name = c->event.name;
    sc.published_at = str(doc, "published_at");
    sc.sessions = v;
    sc.n_sessions = n;
    /* People read the CSV in a spreadsheet: times on the event's wall clock. */
    forum_error_clear(&err);
    if (tz_load(c->event.timezone, &z, &err) == FORUM_OK) {
        local = forum_xcalloc(2 * n + 1, sizeof(*local));
        for (size_t i = 0; i < n; i++) {
            local_time(z, v[i].starts_at, local[2 * i]);
            local_time(z, v[i].ends_at, local[2 * i + 1]);
            v[i].starts_local = local[2 * i];
            v[i].ends_local = local[2 * i + 1];
        }
        sc.timezone = c->event.timezone;
    }
    text = export_csv(&sc, &len);
    tz_free(z);
    free(local);
    sessions_free(v, n);
    json_decref(doc);
    api__text(c, 200, "text/csv; charset=utf-8", text, len);
    api_response_add_header(c->resp, "Content-Disposition",
                            "attachment; filename=\"schedule.csv\"");
}
