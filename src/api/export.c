/* SPDX-License-Identifier: MIT */
/*
 * The published schedule for people and programs: a participant's agenda
 * (JSON and a read-only iCalendar feed), the event's iCalendar and CSV. The
 * handlers find the document and answer; export_fmt.c writes the text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export_fmt.h"
#include "internal.h"

/* The string member key of o (borrowed), "" when o or the member is missing. */
static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));

    return s ? s : "";
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
    struct export_item *items;
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
    items = export_items(doc, mine, &n);
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

/* ---- iCalendar, CSV: the writers are in export_fmt.c ------------------------- */

/* Answers the iCalendar of doc, keeping the topics that are keys of only (NULL: all). */
static void send_ics(struct api_ctx *c, json_t *doc, json_t *only)
{
    size_t len;
    char *text = export_ics(CTX_EID(c), c->has_event ? c->event.name : "forumd",
                            str(doc, "published_at"), doc, only, &len);

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
        store_now(now);
        /* Written before the call: its arguments are evaluated in no set order. */
        text = export_ics(CTX_EID(c), c->event.name, now, NULL, NULL, &len);
        api__text(c, 200, "text/calendar; charset=utf-8", text, len);
        return;
    }
    if (api__failed(c, rc, &err))
        return;
    send_ics(c, doc, mine);
    json_decref(doc);
    json_decref(mine);
}

void api__schedule_csv(struct api_ctx *c)
{
    json_t *doc;
    size_t len;
    char *text;

    if (!published_doc(c, &doc))
        return;
    text = export_csv(doc, &len);
    json_decref(doc);
    api__text(c, 200, "text/csv; charset=utf-8", text, len);
    api_response_add_header(c->resp, "Content-Disposition",
                            "attachment; filename=\"schedule.csv\"");
}
