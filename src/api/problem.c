/* SPDX-License-Identifier: MIT */
/*
 * The allocation problem: the allocator's input document (ALLOCATOR.md
 * contract v2, ids = API ids) built from the store in one read snapshot, and
 * GET /allocation/problem. Each topic gets its block's slots (`slots`) and,
 * run as groups, its `groups`; plenaries and breaks are not in the problem,
 * and their slots are no topic's.
 */
#include <string.h>

#include "internal.h"

/* The features of the online rule (docs/api.md, "The allocation problem"). */
#define FEATURE_ONLINE "online"
#define FEATURE_IN_PERSON "in_person"

/*
 * Slots that overlap were refused since docs/decisions/0011, but a database
 * from before may hold some: the allocator's model is disjoint slots, so
 * such an event is not allocated until they are fixed (FORUM_EINVAL, field
 * "slots", naming both). slots come in chronological order.
 */
static enum forum_status slots_disjoint(const struct store_slot *slots, size_t n,
                                        struct forum_error *err)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (api__slots_overlap(&slots[i], &slots[j]))
                return forum_error_set(err, FORUM_EINVAL, "slots",
                                       "slots %s (%s) and %s (%s) overlap: change or "
                                       "delete one of them",
                                       slots[j].id, slots[j].label, slots[i].id,
                                       slots[i].label);
    return FORUM_OK;
}

static bool strv_has(const struct store_strv *sv, const char *s)
{
    for (size_t i = 0; i < sv->n; i++)
        if (strcmp(sv->v[i], s) == 0)
            return true;
    return false;
}

/* True when participant pid needs feature f. */
static bool person_needs(const struct store_participant *people, size_t n,
                         const char *pid, const char *f)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(people[i].id, pid) == 0)
            return strv_has(&people[i].needs, f);
    return false;
}

/*
 * The online rule, written as features and needs so that the allocator
 * needs no rule of its own: every room without "online" gets the feature
 * "in_person" in the problem, and every topic that does not need "online"
 * (nor has a host who does) needs "in_person". An online room thus holds
 * only online topics, unless the facilitator gave it "in_person" too (a
 * hybrid room). An event without an online room is left as it is.
 */
static void online_rule(json_t *rooms_doc, json_t *topics_doc,
                        const struct store_room *rooms, size_t n_rooms,
                        const struct store_topic *topics, size_t n_topics,
                        const struct store_participant *people, size_t n_people)
{
    bool any_online = false;

    for (size_t i = 0; i < n_rooms; i++)
        any_online = any_online || strv_has(&rooms[i].features, FEATURE_ONLINE);
    if (!any_online)
        return;
    for (size_t i = 0; i < n_rooms; i++) {
        if (strv_has(&rooms[i].features, FEATURE_ONLINE) ||
            strv_has(&rooms[i].features, FEATURE_IN_PERSON))
            continue;
        json_array_append_new(json_object_get(json_array_get(rooms_doc, i), "features"),
                              json_string(FEATURE_IN_PERSON));
    }
    for (size_t i = 0; i < n_topics; i++) {
        bool online = strv_has(&topics[i].needs, FEATURE_ONLINE);
        for (size_t h = 0; h < topics[i].host_ids.n && !online; h++)
            online =
                person_needs(people, n_people, topics[i].host_ids.v[h], FEATURE_ONLINE);
        if (online || strv_has(&topics[i].needs, FEATURE_IN_PERSON))
            continue;
        json_array_append_new(json_object_get(json_array_get(topics_doc, i), "needs"),
                              json_string(FEATURE_IN_PERSON));
    }
}

/* True when slot sid is in a plenary or a break. */
static bool in_everyones_block(const struct store_block *v, size_t n, const char *sid)
{
    for (size_t b = 0; b < n; b++) {
        if (api__block_allocated(v[b].kind))
            continue;
        for (size_t k = 0; k < v[b].slots.n; k++)
            if (strcmp(v[b].slots.v[k], sid) == 0)
                return true;
    }
    return false;
}

/*
 * A room's unavailable slots: its own, and every slot of a plenary or a
 * break (the plenary holds its room and everyone; a break holds everyone).
 * The same rule as the topics' `slots`, said where a solver that reads only
 * contract v1 sees it too.
 */
static json_t *room_unavailable(const struct store_room *r,
                                const struct store_slot *slots, size_t n_slots,
                                const struct store_block *blocks, size_t n_blocks)
{
    json_t *arr = json_array();

    for (size_t i = 0; i < n_slots; i++) {
        bool off = in_everyones_block(blocks, n_blocks, slots[i].id);
        for (size_t k = 0; !off && k < r->unavailable.n; k++)
            off = strcmp(r->unavailable.v[k], slots[i].id) == 0;
        if (off)
            json_array_append_new(arr, json_string(slots[i].id));
    }
    return arr;
}

enum forum_status api__problem_build(struct store *s, const char *eid, json_t **out,
                                     struct forum_error *err)
{
    struct store_slot *slots = NULL;
    struct store_room *rooms = NULL;
    struct store_topic *topics = NULL;
    struct store_participant *people = NULL;
    struct store_vote *votes = NULL;
    struct store_block *blocks = NULL;
    size_t n_slots = 0, n_rooms = 0, n_topics = 0, n_people = 0, n_votes = 0,
           n_blocks = 0;
    json_t *open_slots = NULL; /* the slots of no plenary or break, when there are such */
    enum forum_status rc;
    json_t *doc = NULL, *arr;

    *out = NULL;
    /* One snapshot: a write committed between two lists (a topic deleted
     * with its votes) must not give a document that names what is gone. */
    rc = store_read_begin(s, err);
    if (rc != FORUM_OK)
        return rc;
    rc = store_slot_list(s, eid, &slots, &n_slots, err);
    if (rc == FORUM_OK)
        rc = store_room_list(s, eid, &rooms, &n_rooms, err);
    if (rc == FORUM_OK)
        rc = store_topic_list(s, eid, &topics, &n_topics, err);
    if (rc == FORUM_OK)
        rc = store_participant_list(s, eid, &people, &n_people, err);
    if (rc == FORUM_OK)
        rc = store_vote_list(s, eid, NULL, &votes, &n_votes, err);
    if (rc == FORUM_OK)
        rc = store_block_list(s, eid, &blocks, &n_blocks, err);
    store_read_end(s);
    if (rc == FORUM_OK)
        rc = slots_disjoint(slots, n_slots, err);
    if (rc != FORUM_OK)
        goto out;
    doc = json_object();
    arr = json_array();
    for (size_t i = 0; i < n_slots; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(slots[i].id));
        json_object_set_new(o, "label", json_string(slots[i].label));
        json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "slots", arr);
    arr = json_array();
    for (size_t i = 0; i < n_rooms; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(rooms[i].id));
        json_object_set_new(o, "capacity", json_integer(rooms[i].capacity));
        json_object_set_new(o, "features", api__strv_json(&rooms[i].features));
        json_object_set_new(
            o, "unavailable",
            room_unavailable(&rooms[i], slots, n_slots, blocks, n_blocks));
        json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "rooms", arr);
    arr = json_array();
    /* Plenaries and breaks are not allocated: their slots are no topic's. */
    for (size_t i = 0; i < n_slots; i++) {
        if (in_everyones_block(blocks, n_blocks, slots[i].id)) {
            open_slots = json_array();
            break;
        }
    }
    for (size_t i = 0; open_slots != NULL && i < n_slots; i++)
        if (!in_everyones_block(blocks, n_blocks, slots[i].id))
            json_array_append_new(open_slots, json_string(slots[i].id));
    for (size_t i = 0; i < n_topics; i++) {
        json_t *o = json_object();
        const struct store_block *b = NULL;
        for (size_t k = 0; topics[i].block_id != NULL && k < n_blocks; k++)
            if (strcmp(blocks[k].id, topics[i].block_id) == 0)
                b = &blocks[k];
        json_object_set_new(o, "id", json_string(topics[i].id));
        json_object_set_new(o, "hosts", api__strv_json(&topics[i].host_ids));
        json_object_set_new(o, "needs", api__strv_json(&topics[i].needs));
        if (topics[i].max_size > 0)
            json_object_set_new(o, "max_size", json_integer(topics[i].max_size));
        if (topics[i].fixed_room != NULL) {
            json_t *f = json_object();
            json_object_set_new(f, "room", json_string(topics[i].fixed_room));
            json_object_set_new(f, "slot", json_string(topics[i].fixed_slot));
            json_object_set_new(o, "fixed", f);
        }
        /* A topic may use its block's slots; one in no block, every slot but
         * the plenaries' and breaks'. */
        if (b != NULL)
            json_object_set_new(o, "slots", api__strv_json(&b->slots));
        else if (open_slots != NULL)
            json_object_set_new(o, "slots", json_deep_copy(open_slots));
        if (topics[i].groups_max > 0) {
            json_t *g = json_object();
            json_object_set_new(g, "max", json_integer(topics[i].groups_max));
            json_object_set_new(g, "size_min", json_integer(topics[i].group_size_min));
            json_object_set_new(g, "size_max", json_integer(topics[i].group_size_max));
            json_object_set_new(o, "groups", g);
        }
        json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "topics", arr);
    online_rule(json_object_get(doc, "rooms"), arr, rooms, n_rooms, topics, n_topics,
                people, n_people);
    arr = json_array();
    for (size_t i = 0, v = 0; i < n_people; i++) {
        json_t *o = json_object(), *w = json_object();
        json_object_set_new(o, "id", json_string(people[i].id));
        json_object_set_new(o, "needs", api__strv_json(&people[i].needs));
        json_object_set_new(o, "unavailable", api__strv_json(&people[i].unavailable));
        /* The votes come sorted by participant id (people by creation): find
         * this person's first vote by bisection, then take the run. */
        size_t lo = 0, hi = n_votes;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp(votes[mid].participant_id, people[i].id) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (v = lo; v < n_votes && strcmp(votes[v].participant_id, people[i].id) == 0;
             v++)
            json_object_set_new(w, votes[v].topic_id, json_integer(votes[v].weight));
        json_object_set_new(o, "votes", w);
        json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "participants", arr);
    *out = doc;
out:
    store_slots_free(slots, n_slots);
    store_rooms_free(rooms, n_rooms);
    store_topics_free(topics, n_topics);
    store_participants_free(people, n_people);
    store_votes_free(votes, n_votes);
    store_blocks_free(blocks, n_blocks);
    json_decref(open_slots);
    return rc;
}

void api__problem_get(struct api_ctx *c)
{
    struct forum_error err;
    enum forum_status rc;
    json_t *doc;

    forum_error_clear(&err);
    rc = api__problem_build(c->store, CTX_EID(c), &doc, &err);
    if (rc == FORUM_EINVAL) {
        api__error(c, 422, "invalid_problem", err.field, "%s", err.msg);
        return;
    }
    if (api__failed(c, rc, &err))
        return;
    api__json(c, 200, doc);
}
