/* SPDX-License-Identifier: MIT */
/*
 * Publication: a draft becomes the next schedule version, as rows. The
 * draft's sessions (topic, group, room, slot, attendees: the allocator's
 * document, read here and nowhere else) join the topics, rooms, slots and
 * blocks as they are now; each plenary and break block becomes one session
 * for everyone. The store keeps it all, immutable, and sets each session's
 * SEQUENCE; the cache is then rendered from the rows it wrote.
 * POST /schedule/publish.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/util/mem.h"
#include "internal.h"

/* What publication reads from the store, loaded once. */
struct pub_world {
    struct store_event event;
    struct store_slot *slots;
    size_t n_slots;
    struct store_room *rooms;
    size_t n_rooms;
    struct store_topic *topics;
    size_t n_topics;
    struct store_block *blocks;
    size_t n_blocks;
    struct store_participant *people;
    size_t n_people;
};

static void world_release(struct pub_world *w)
{
    store_event_release(&w->event);
    store_slots_free(w->slots, w->n_slots);
    store_rooms_free(w->rooms, w->n_rooms);
    store_topics_free(w->topics, w->n_topics);
    store_blocks_free(w->blocks, w->n_blocks);
    store_participants_free(w->people, w->n_people);
    memset(w, 0, sizeof(*w));
}

static enum forum_status world_load(struct store *s, const char *eid, struct pub_world *w,
                                    struct forum_error *err)
{
    enum forum_status rc = store_event_get(s, eid, &w->event, err);

    if (rc == FORUM_OK)
        rc = store_slot_list(s, eid, &w->slots, &w->n_slots, err);
    if (rc == FORUM_OK)
        rc = store_room_list(s, eid, &w->rooms, &w->n_rooms, err);
    if (rc == FORUM_OK)
        rc = store_topic_list(s, eid, &w->topics, &w->n_topics, err);
    if (rc == FORUM_OK)
        rc = store_block_list(s, eid, &w->blocks, &w->n_blocks, err);
    if (rc == FORUM_OK)
        rc = store_participant_list(s, eid, &w->people, &w->n_people, err);
    return rc;
}

/* The slot, room, topic or block of w whose id is id, or NULL. */
#define FIND(w, what, id) api__by_id((w)->what, (w)->n_##what, sizeof(*(w)->what), (id))

/* The block slot sid is in, or NULL. */
static const struct store_block *block_of_slot(const struct pub_world *w, const char *sid)
{
    for (size_t i = 0; i < w->n_blocks; i++)
        for (size_t k = 0; k < w->blocks[i].slots.n; k++)
            if (strcmp(w->blocks[i].slots.v[k], sid) == 0)
                return &w->blocks[i];
    return NULL;
}

static char *dup_or_null(const char *s)
{
    return s != NULL ? forum_xstrdup(s) : NULL;
}

/* The grid as it is now: slots with their block, rooms, blocks. */
static void grid_fill(const struct pub_world *w, struct store_schedule *sc)
{
    sc->slots = forum_xcalloc(w->n_slots + 1, sizeof(*sc->slots));
    for (size_t i = 0; i < w->n_slots; i++) {
        const struct store_block *b = block_of_slot(w, w->slots[i].id);
        sc->slots[i].id = forum_xstrdup(w->slots[i].id);
        sc->slots[i].label = forum_xstrdup(w->slots[i].label);
        sc->slots[i].starts_at = forum_xstrdup(w->slots[i].starts_at);
        sc->slots[i].ends_at = forum_xstrdup(w->slots[i].ends_at);
        sc->slots[i].block_id = b ? forum_xstrdup(b->id) : NULL;
    }
    sc->n_slots = w->n_slots;
    sc->rooms = forum_xcalloc(w->n_rooms + 1, sizeof(*sc->rooms));
    for (size_t i = 0; i < w->n_rooms; i++) {
        sc->rooms[i].id = forum_xstrdup(w->rooms[i].id);
        sc->rooms[i].name = forum_xstrdup(w->rooms[i].name);
        sc->rooms[i].url = dup_or_null(w->rooms[i].url);
    }
    sc->n_rooms = w->n_rooms;
    sc->blocks = forum_xcalloc(w->n_blocks + 1, sizeof(*sc->blocks));
    for (size_t i = 0; i < w->n_blocks; i++) {
        sc->blocks[i].id = forum_xstrdup(w->blocks[i].id);
        sc->blocks[i].name = forum_xstrdup(w->blocks[i].name);
        sc->blocks[i].kind = forum_xstrdup(w->blocks[i].kind);
        sc->blocks[i].title = forum_xstrdup(w->blocks[i].title ? w->blocks[i].title : "");
        sc->blocks[i].room_id = dup_or_null(w->blocks[i].room_id);
    }
    sc->n_blocks = w->n_blocks;
}

static enum forum_status stale(struct forum_error *err, const char *why)
{
    return forum_error_set(err, FORUM_ECONFLICT, "allocation",
                           "this draft %s since it was made: allocate again", why);
}

/*
 * One session of the draft (x: {topic, group, room, slot, attendees}) as a
 * row. Its hosts are the topic's hosts seated in it (a group topic's hosts
 * spread over its groups). FORUM_ECONFLICT when the draft names what is gone
 * or a slot that became a plenary's or a break's.
 */
static enum forum_status placed_session(const struct pub_world *w, json_t *x,
                                        struct store_session *out,
                                        struct forum_error *err)
{
    const char *tid = json_string_value(json_object_get(x, "topic"));
    const char *rid = json_string_value(json_object_get(x, "room"));
    const char *sid = json_string_value(json_object_get(x, "slot"));
    json_t *group = json_object_get(x, "group"), *who = json_object_get(x, "attendees");
    const struct store_topic *t = FIND(w, topics, tid);
    const struct store_slot *slot = FIND(w, slots, sid);
    const struct store_block *b, *in;
    char id[STORE_ID_MAX + 16];
    size_t i;
    json_t *p;

    if (t == NULL || FIND(w, rooms, rid) == NULL || slot == NULL)
        return stale(err, "names topics, rooms or slots that are gone");
    in = block_of_slot(w, sid);
    if (in != NULL && !api__block_allocated(in->kind))
        return stale(err, "places a topic in a slot that became a plenary or a break");
    out->group = json_is_integer(group) ? (long)json_integer_value(group) : 1;
    if (out->group < 1 || out->group > API_GROUPS_MAX)
        return stale(err, "has a group number out of range");
    if (out->group > 1)
        snprintf(id, sizeof(id), "%s-%ld", tid, out->group);
    else
        snprintf(id, sizeof(id), "%s", tid);
    b = FIND(w, blocks, t->block_id);
    out->id = forum_xstrdup(id);
    out->topic_id = forum_xstrdup(tid);
    out->block_id = b ? forum_xstrdup(b->id) : NULL;
    out->kind = forum_xstrdup(b ? b->kind : "forum");
    out->room_id = forum_xstrdup(rid);
    out->slot_id = forum_xstrdup(sid);
    out->title = forum_xstrdup(t->title);
    out->theme = forum_xstrdup(t->theme ? t->theme : "");
    out->starts_at = forum_xstrdup(slot->starts_at);
    out->ends_at = forum_xstrdup(slot->ends_at);
    json_array_foreach(who, i, p)
    {
        if (json_is_string(p))
            store_strv_push(&out->attendees, json_string_value(p));
    }
    out->seats = (long)out->attendees.n;
    for (size_t h = 0; h < t->host_ids.n; h++) {
        for (size_t a = 0; a < out->attendees.n; a++) {
            if (strcmp(t->host_ids.v[h], out->attendees.v[a]) == 0) {
                store_strv_push(&out->hosts, t->host_names.v[h]);
                break;
            }
        }
    }
    return FORUM_OK;
}

/*
 * A plenary or a break block as one session for everyone: from its first
 * slot's start to its last slot's end, in its room (a break may have none).
 * A plenary seats every participant.
 */
static void everyone_session(const struct pub_world *w, const struct store_block *b,
                             struct store_session *out)
{
    const struct store_slot *first = FIND(w, slots, b->slots.v[0]);

    out->id = forum_xstrdup(b->id);
    out->group = 1;
    out->block_id = forum_xstrdup(b->id);
    out->kind = forum_xstrdup(b->kind);
    out->room_id = dup_or_null(b->room_id);
    out->slot_id = forum_xstrdup(first ? first->id : b->slots.v[0]);
    out->title = forum_xstrdup(b->title && b->title[0] ? b->title : b->name);
    out->theme = forum_xstrdup("");
    out->starts_at = forum_xstrdup(b->starts_at);
    out->ends_at = forum_xstrdup(b->ends_at);
    out->seats = strcmp(b->kind, "plenary") == 0 ? (long)w->n_people : 0;
    out->everyone = true;
}

enum forum_status api__publish_allocation(struct api *api, struct store *s,
                                          const char *eid, const char *aid, long *version,
                                          struct forum_error *err)
{
    struct store_allocation a;
    struct store_schedule sc;
    struct pub_world w;
    struct api_sched *e = NULL;
    json_t *sol = NULL, *sessions, *x;
    enum forum_status rc;
    char now[21];
    long latest = 0;
    size_t i, n = 0;

    memset(&a, 0, sizeof(a));
    memset(&sc, 0, sizeof(sc));
    memset(&w, 0, sizeof(w));
    rc = store_allocation_get(s, eid, aid, &a, err);
    if (rc != FORUM_OK)
        goto out;
    if (a.published > 0) {
        rc = forum_error_set(err, FORUM_ECONFLICT, "allocation",
                             "this allocation is published already (version %ld)",
                             a.published);
        goto out;
    }
    rc = world_load(s, eid, &w, err);
    if (rc == FORUM_OK)
        rc = store_schedule_latest_version(s, eid, &latest, err);
    if (rc != FORUM_OK)
        goto out;
    sol = json_loads(a.solution, 0, NULL);
    sessions = json_object_get(sol, "sessions");
    store_now(now);
    sc.version = latest + 1;
    sc.allocation_id = forum_xstrdup(a.id);
    sc.published_at = forum_xstrdup(now);
    sc.timezone = forum_xstrdup(w.event.timezone);
    grid_fill(&w, &sc);
    sc.sessions =
        forum_xcalloc(json_array_size(sessions) + w.n_blocks + 1, sizeof(*sc.sessions));
    json_array_foreach(sessions, i, x)
    {
        const struct store_session *y = &sc.sessions[n];
        rc = placed_session(&w, x, &sc.sessions[n++], err);
        for (size_t k = 0; rc == FORUM_OK && k + 1 < n; k++) {
            const struct store_session *z = &sc.sessions[k];
            if (strcmp(z->id, y->id) == 0 || (strcmp(z->room_id, y->room_id) == 0 &&
                                              strcmp(z->slot_id, y->slot_id) == 0))
                rc = forum_error_set(err, FORUM_ECONFLICT, "allocation",
                                     "this draft places two sessions in one room and "
                                     "slot, or one session twice: allocate again");
        }
        if (rc != FORUM_OK)
            goto out;
    }
    for (i = 0; i < w.n_blocks; i++)
        if (!api__block_allocated(w.blocks[i].kind) && w.blocks[i].slots.n > 0)
            everyone_session(&w, &w.blocks[i], &sc.sessions[n++]);
    sc.n_sessions = n;
    rc = store_schedule_insert(s, eid, &sc, err);
    if (rc != FORUM_OK)
        goto out;
    *version = sc.version;
    /* The cache is rendered from the rows just written, as a restart would. The
     * version is published either way: when that fails, the cached one is
     * dropped so that the next read renders it. */
    if (api__schedule_load(api, s, eid, &e, NULL) != FORUM_OK)
        api__cache_drop(api, eid);
    api__sched_unref(e);
out:
    sc.n_sessions = n;
    json_decref(sol);
    store_allocation_release(&a);
    store_schedule_release(&sc);
    world_release(&w);
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
