/* SPDX-License-Identifier: MIT */
/*
 * What changed, session by session: two sets of sessions compared by their
 * identity (topic, group). A session is moved when its room or its times
 * differ (the rule of SEQUENCE), new when its identity was not there,
 * dropped (or cancelled) when it is gone. Used for a draft against the
 * published version (who is affected), for a version against the one before
 * (the wall's highlight) and for one person's agenda against the version
 * they last saw (GET /me/agenda?since=).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/util/mem.h"
#include "internal.h"

/* The session of v (n of them) whose identity is id, or NULL. */
static const struct store_session *find(const struct store_session *v, size_t n,
                                        const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].id, id) == 0)
            return &v[i];
    return NULL;
}

static bool same_text(const char *a, const char *b)
{
    return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/* True when b is a in another room or at another time. */
static bool moved(const struct store_session *a, const struct store_session *b)
{
    return !same_text(a->room_id, b->room_id) || !same_text(a->starts_at, b->starts_at) ||
           !same_text(a->ends_at, b->ends_at);
}

static json_t *str_or_null(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

/* Where and when x takes place: {room, room_name, slot, slot_label, starts_at,
 * ends_at}, names from a version's grid (sc) or from the event as it is (w). */
static json_t *place_json(const struct store_session *x, const struct store_schedule *sc,
                          const struct api_world *w)
{
    json_t *o = json_object();
    const char *room = NULL, *label = NULL;

    if (sc != NULL) {
        const struct store_version_room *r =
            api__by_id(sc->rooms, sc->n_rooms, sizeof(*sc->rooms), x->room_id);
        const struct store_version_slot *sl =
            api__by_id(sc->slots, sc->n_slots, sizeof(*sc->slots), x->slot_id);
        room = r ? r->name : NULL;
        label = sl ? sl->label : NULL;
    } else if (w != NULL) {
        const struct store_room *r =
            api__by_id(w->rooms, w->n_rooms, sizeof(*w->rooms), x->room_id);
        const struct store_slot *sl =
            api__by_id(w->slots, w->n_slots, sizeof(*w->slots), x->slot_id);
        room = r ? r->name : NULL;
        label = sl ? sl->label : NULL;
    }
    json_object_set_new(o, "room", str_or_null(x->room_id));
    json_object_set_new(o, "room_name", json_string(room ? room : ""));
    json_object_set_new(o, "slot", json_string(x->slot_id));
    json_object_set_new(o, "slot_label", json_string(label ? label : ""));
    json_object_set_new(o, "starts_at", json_string(x->starts_at));
    json_object_set_new(o, "ends_at", json_string(x->ends_at));
    return o;
}

/* True when sid is a string of the JSON array kept (may be NULL). */
static bool in_array(json_t *kept, const char *sid)
{
    size_t i;
    json_t *x;

    json_array_foreach(kept, i, x)
    {
        if (json_is_string(x) && strcmp(json_string_value(x), sid) == 0)
            return true;
    }
    return false;
}

/* ---- a draft against the published version -------------------------------------- */

/* The people of ids as [{id, name}] (names from w), counting each new one in seen. */
static json_t *people_json(const struct store_strv *ids, const struct api_world *w,
                           struct store_strv *seen)
{
    json_t *arr = json_array();

    for (size_t i = 0; i < ids->n; i++) {
        const struct store_participant *p =
            api__by_id(w->people, w->n_people, sizeof(*w->people), ids->v[i]);
        json_t *o = json_object();
        bool known = false;
        json_object_set_new(o, "id", json_string(ids->v[i]));
        json_object_set_new(o, "name", json_string(p ? p->name : ""));
        json_array_append_new(arr, o);
        for (size_t k = 0; k < seen->n && !known; k++)
            known = strcmp(seen->v[k], ids->v[i]) == 0;
        if (!known)
            store_strv_push(seen, ids->v[i]);
    }
    return arr;
}

static json_t *change_item(const struct store_session *x, const char *change)
{
    json_t *o = json_object();

    json_object_set_new(o, "id", json_string(x->id));
    json_object_set_new(o, "topic", str_or_null(x->topic_id));
    json_object_set_new(o, "group", json_integer(x->group));
    json_object_set_new(o, "title", json_string(x->title));
    json_object_set_new(o, "change", json_string(change));
    return o;
}

json_t *api__draft_changes(struct store *s, const char *eid,
                           const struct store_allocation *a)
{
    struct store_schedule sc;
    struct api_world w;
    struct store_session *draft = NULL;
    struct store_strv seen = {NULL, 0};
    size_t n_draft = 0, i;
    long latest = 0, n_moved = 0, n_dropped = 0, n_new = 0;
    json_t *sol = NULL, *kept = NULL, *x, *doc = NULL, *items;

    memset(&sc, 0, sizeof(sc));
    memset(&w, 0, sizeof(w));
    if (a->published > 0 ||
        store_schedule_latest_version(s, eid, &latest, NULL) != FORUM_OK || latest == 0 ||
        (a->base_version >= 0 && a->base_version != latest))
        return NULL;
    if (store_schedule_get(s, eid, latest, NULL,
                           STORE_SCHEDULE_GRID | STORE_SCHEDULE_ATTENDEES, &sc,
                           NULL) != FORUM_OK ||
        api__world_load(s, eid, &w, NULL) != FORUM_OK)
        goto out;
    sol = json_loads(a->solution, 0, NULL);
    kept = json_loads(a->kept_slots != NULL ? a->kept_slots : "[]", 0, NULL);
    draft = forum_xcalloc(json_array_size(json_object_get(sol, "sessions")) + 1,
                          sizeof(*draft));
    json_array_foreach(json_object_get(sol, "sessions"), i, x)
    {
        /* A session naming what is gone since is left out here; publishing
         * the draft says so. */
        if (api__draft_session(&w, x, &draft[n_draft], NULL) == FORUM_OK)
            n_draft++;
        else
            store_session_release(&draft[n_draft]);
    }
    doc = json_object();
    items = json_array();
    for (i = 0; i < sc.n_sessions; i++) {
        const struct store_session *was = &sc.sessions[i], *now;
        json_t *o;
        if (was->everyone || in_array(kept, was->slot_id))
            continue;
        now = find(draft, n_draft, was->id);
        if (now != NULL && !moved(was, now))
            continue;
        o = change_item(was, now != NULL ? "moved" : "dropped");
        json_object_set_new(o, "from", place_json(was, &sc, NULL));
        json_object_set_new(o, "to",
                            now != NULL ? place_json(now, NULL, &w) : json_null());
        json_object_set_new(o, "affected", people_json(&was->attendees, &w, &seen));
        if (now != NULL)
            n_moved++;
        else
            n_dropped++;
        json_array_append_new(items, o);
    }
    for (i = 0; i < n_draft; i++) {
        json_t *o;
        if (find(sc.sessions, sc.n_sessions, draft[i].id) != NULL)
            continue;
        o = change_item(&draft[i], "new");
        json_object_set_new(o, "from", json_null());
        json_object_set_new(o, "to", place_json(&draft[i], NULL, &w));
        json_object_set_new(o, "seated", json_integer(draft[i].seats));
        n_new++;
        json_array_append_new(items, o);
    }
    json_object_set_new(doc, "version", json_integer(latest));
    json_object_set_new(doc, "moved", json_integer(n_moved));
    json_object_set_new(doc, "dropped", json_integer(n_dropped));
    json_object_set_new(doc, "new", json_integer(n_new));
    json_object_set_new(doc, "people", json_integer((json_int_t)seen.n));
    json_object_set_new(doc, "sessions", items);
out:
    for (i = 0; i < n_draft; i++)
        store_session_release(&draft[i]);
    free(draft);
    store_strv_release(&seen);
    json_decref(sol);
    json_decref(kept);
    store_schedule_release(&sc);
    api__world_release(&w);
    return doc;
}

/* ---- a version against the one before -----------------------------------------------
 */

json_t *api__version_changes(struct store *s, const char *eid,
                             const struct store_schedule *sc)
{
    struct store_schedule prev;
    json_t *doc, *items;

    if (sc->version <= 1 ||
        store_schedule_get(s, eid, sc->version - 1, NULL, STORE_SCHEDULE_GRID, &prev,
                           NULL) != FORUM_OK)
        return NULL;
    items = json_array();
    for (size_t i = 0; i < sc->n_sessions; i++) {
        const struct store_session *now = &sc->sessions[i];
        const struct store_session *was = find(prev.sessions, prev.n_sessions, now->id);
        json_t *o;
        if (was != NULL && !moved(was, now))
            continue;
        o = json_object();
        json_object_set_new(o, "id", json_string(now->id));
        json_object_set_new(o, "change", json_string(was != NULL ? "moved" : "new"));
        if (was != NULL)
            json_object_set_new(o, "from", place_json(was, &prev, NULL));
        json_array_append_new(items, o);
    }
    for (size_t i = 0; i < prev.n_sessions; i++) {
        const struct store_session *was = &prev.sessions[i];
        json_t *o;
        if (find(sc->sessions, sc->n_sessions, was->id) != NULL)
            continue;
        o = change_item(was, "cancelled");
        json_object_set_new(o, "from", place_json(was, &prev, NULL));
        json_array_append_new(items, o);
    }
    doc = json_object();
    json_object_set_new(doc, "since", json_integer(prev.version));
    json_object_set_new(doc, "sessions", items);
    store_schedule_release(&prev);
    return doc;
}

/* ---- one person's agenda against the version they last saw ----------------------------
 */

static int by_start(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    const char *p = json_string_value(json_object_get(x, "starts_at"));
    const char *q = json_string_value(json_object_get(y, "starts_at"));
    int d = strcmp(p ? p : "", q ? q : "");

    if (d == 0) {
        p = json_string_value(json_object_get(x, "id"));
        q = json_string_value(json_object_get(y, "id"));
        d = strcmp(p ? p : "", q ? q : "");
    }
    return d;
}

void api__agenda_mark(struct store *s, const char *eid, const char *pid, long since,
                      const struct store_schedule *cur, json_t *agenda,
                      json_t *(*item)(const struct store_schedule *,
                                      const struct store_session *))
{
    struct store_schedule old, all;
    size_t n, i;
    json_t **v;

    memset(&old, 0, sizeof(old));
    memset(&all, 0, sizeof(all));
    if (since > 0 && store_schedule_get(s, eid, since, pid, STORE_SCHEDULE_GRID, &old,
                                        NULL) != FORUM_OK)
        return;
    if (store_schedule_get(s, eid, cur->version, NULL, 0, &all, NULL) != FORUM_OK) {
        store_schedule_release(&old);
        return;
    }
    for (i = 0; i < json_array_size(agenda); i++) {
        json_t *o = json_array_get(agenda, i);
        const struct store_session *now = find(
            cur->sessions, cur->n_sessions, json_string_value(json_object_get(o, "id")));
        const struct store_session *was =
            now != NULL ? find(old.sessions, old.n_sessions, now->id) : NULL;
        if (now == NULL || (was != NULL && !moved(was, now)))
            continue;
        json_object_set_new(o, "change", json_string(was != NULL ? "moved" : "new"));
        if (was != NULL)
            json_object_set_new(o, "was", place_json(was, &old, NULL));
    }
    /* What the person had and has no more: cancelled, or still on without them. */
    for (i = 0; i < old.n_sessions; i++) {
        const struct store_session *was = &old.sessions[i];
        json_t *o;
        if (find(cur->sessions, cur->n_sessions, was->id) != NULL)
            continue;
        o = item(&old, was);
        json_object_set_new(o, "change",
                            json_string(find(all.sessions, all.n_sessions, was->id)
                                            ? "removed"
                                            : "cancelled"));
        json_object_set_new(o, "was", place_json(was, &old, NULL));
        json_array_append_new(agenda, o);
    }
    /* In time order again, the marks of what is gone among the rest. */
    n = json_array_size(agenda);
    v = forum_xcalloc(n + 1, sizeof(*v));
    for (i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(agenda, i));
    qsort(v, n, sizeof(*v), by_start);
    json_array_clear(agenda);
    for (i = 0; i < n; i++)
        json_array_append_new(agenda, v[i]);
    free(v);
    store_schedule_release(&old);
    store_schedule_release(&all);
}
