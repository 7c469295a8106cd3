/* SPDX-License-Identifier: MIT */
/*
 * Publication: a draft becomes the next schedule version (rendered once,
 * stored, immutable) and replaces the cached one; POST /schedule/publish.
 */
#include <string.h>

#include "internal.h"

static const struct store_slot *find_slot(const struct store_slot *v, size_t n,
                                          const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].id, id) == 0)
            return &v[i];
    return NULL;
}

static const struct store_room *find_room(const struct store_room *v, size_t n,
                                          const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].id, id) == 0)
            return &v[i];
    return NULL;
}

static const struct store_topic *find_topic(const struct store_topic *v, size_t n,
                                            const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].id, id) == 0)
            return &v[i];
    return NULL;
}

enum forum_status api__publish_allocation(struct api *api, struct store *s,
                                          const char *eid, const char *aid, long *version,
                                          struct forum_error *err)
{
    struct store_allocation a;
    struct store_event ev;
    struct store_schedule latest, sc;
    struct store_slot *slots = NULL;
    struct store_room *rooms = NULL;
    struct store_topic *topics = NULL;
    size_t n_slots = 0, n_rooms = 0, n_topics = 0, i;
    json_t *sol = NULL, *doc = NULL, *arr, *x;
    enum forum_status rc;
    char now[21];
    char *body = NULL;

    memset(&a, 0, sizeof(a));
    memset(&ev, 0, sizeof(ev));
    memset(&latest, 0, sizeof(latest));
    rc = store_allocation_get(s, eid, aid, &a, err);
    if (rc != FORUM_OK)
        goto out;
    if (a.published > 0) {
        rc = forum_error_set(err, FORUM_ECONFLICT, "allocation",
                             "this allocation is published already (version %ld)",
                             a.published);
        goto out;
    }
    rc = store_event_get(s, eid, &ev, err);
    if (rc == FORUM_OK)
        rc = store_slot_list(s, eid, &slots, &n_slots, err);
    if (rc == FORUM_OK)
        rc = store_room_list(s, eid, &rooms, &n_rooms, err);
    if (rc == FORUM_OK)
        rc = store_topic_list(s, eid, &topics, &n_topics, err);
    if (rc != FORUM_OK)
        goto out;
    rc = store_schedule_latest(s, eid, &latest, err);
    if (rc == FORUM_ENOTFOUND) {
        forum_error_clear(err);
        rc = FORUM_OK;
    }
    if (rc != FORUM_OK)
        goto out;
    sol = json_loads(a.solution, 0, NULL);
    store_now(now);
    doc = json_object();
    json_object_set_new(doc, "version", json_integer(latest.version + 1));
    json_object_set_new(doc, "published_at", json_string(now));
    json_object_set_new(doc, "timezone", json_string(ev.timezone));
    arr = json_array();
    for (i = 0; i < n_slots; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(slots[i].id));
        json_object_set_new(o, "label", json_string(slots[i].label));
        json_object_set_new(o, "starts_at", json_string(slots[i].starts_at));
        json_object_set_new(o, "ends_at", json_string(slots[i].ends_at));
        json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "slots", arr);
    arr = json_array();
    for (i = 0; i < n_rooms; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(rooms[i].id));
        json_object_set_new(o, "name", json_string(rooms[i].name));
        json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "rooms", arr);
    arr = json_array();
    json_array_foreach(json_object_get(sol, "sessions"), i, x)
    {
        const char *tid = json_string_value(json_object_get(x, "topic"));
        const char *rid = json_string_value(json_object_get(x, "room"));
        const char *sid = json_string_value(json_object_get(x, "slot"));
        const struct store_topic *t = tid ? find_topic(topics, n_topics, tid) : NULL;
        json_t *o, *hosts;

        if (t == NULL || rid == NULL || sid == NULL || !find_room(rooms, n_rooms, rid) ||
            !find_slot(slots, n_slots, sid)) {
            rc = forum_error_set(err, FORUM_ECONFLICT, "allocation",
                                 "this draft names topics, rooms or slots that are gone: "
                                 "allocate again");
            goto out;
        }
        o = json_object();
        json_object_set_new(o, "topic", json_string(tid));
        json_object_set_new(o, "title", json_string(t->title));
        json_object_set_new(o, "theme", json_string(t->theme));
        hosts = json_array();
        for (size_t h = 0; h < t->host_names.n; h++)
            json_array_append_new(hosts, json_string(t->host_names.v[h]));
        json_object_set_new(o, "hosts", hosts);
        json_object_set_new(o, "room", json_string(rid));
        json_object_set_new(o, "slot", json_string(sid));
        json_object_set_new(
            o, "seated",
            json_integer((json_int_t)json_array_size(json_object_get(x, "attendees"))));
        json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "sessions", arr);
    body = json_dumps(doc, JSON_COMPACT);
    memset(&sc, 0, sizeof(sc));
    sc.version = latest.version + 1;
    sc.allocation_id = a.id;
    sc.published_at = now;
    sc.body = body;
    rc = store_schedule_insert(s, eid, &sc, err);
    if (rc != FORUM_OK)
        goto out;
    *version = sc.version;
    api__cache_put(api, api__sched_new(eid, sc.version, body));
    body = NULL;
out:
    free(body);
    json_decref(doc);
    json_decref(sol);
    store_allocation_release(&a);
    store_event_release(&ev);
    store_schedule_release(&latest);
    store_slots_free(slots, n_slots);
    store_rooms_free(rooms, n_rooms);
    store_topics_free(topics, n_topics);
    return rc;
}

void api__publish(struct api_ctx *c)
{
    static const char *const keys[] = {"allocation", NULL};
    const char *aid = NULL;
    struct forum_error err;
    enum forum_status rc;
    long version = 0;
    json_t *doc;

    if (!api__only_keys(c, keys) ||
        !api__get_string(c, "allocation", true, STORE_ID_MAX, false, &aid, NULL))
        return;
    forum_error_clear(&err);
    rc = api__publish_allocation(c->api, c->store, CTX_EID(c), aid, &version, &err);
    if (rc == FORUM_ENOTFOUND) {
        api__error(c, 404, "not_found", "allocation", "no such allocation");
        return;
    }
    if (api__failed(c, rc, &err))
        return;
    doc = json_object();
    json_object_set_new(doc, "version", json_integer(version));
    json_object_set_new(doc, "allocation", json_string(aid));
    api__json(c, 200, doc);
}
