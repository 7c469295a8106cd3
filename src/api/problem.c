/* SPDX-License-Identifier: MIT */
/*
 * The allocation problem: the allocator's input document (ALLOCATOR.md
 * contract v2, ids = API ids) built from the store in one read snapshot, and
 * GET /allocation/problem. Each topic gets its block's slots (`slots`) and,
 * run as groups, its `groups`; plenaries and breaks are not in the problem,
 * and their slots are no topic's. Cancelled topics are left out.
 *
 * After a publication, the slots that have started (by the daemon's clock)
 * are not in the problem either, nor the topics held in them: publishing the
 * draft keeps them as published. The published sessions of the other slots
 * are sent as `previous`, so that a re-run changes as little as the changes
 * of the day force (ALLOCATOR.md, The previous schedule).
 */
#include <stdlib.h>
#include <string.h>

#include "forum/util/mem.h"
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

void api__problem_info_release(struct api_problem_info *info)
{
    free(info->kept_slots);
    memset(info, 0, sizeof(info[0]));
}

/* True when sid is one of the n strings of v. */
static bool in_list(char *const *v, size_t n, const char *sid)
{
    for (size_t i = 0; sid != NULL && i < n; i++)
        if (strcmp(v[i], sid) == 0)
            return true;
    return false;
}

static bool strv_has(const struct store_strv *sv, const char *s)
{
    return in_list(sv->v, sv->n, s);
}

/* The strings of sv that are in keep (n of them), as an owned JSON array. */
static json_t *strv_within(const struct store_strv *sv, char *const *keep, size_t n)
{
    json_t *arr = json_array();

    for (size_t i = 0; i < sv->n; i++)
        if (in_list(keep, n, sv->v[i]))
            json_array_append_new(arr, json_string(sv->v[i]));
    return arr;
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
                        const struct store_topic *topics, const bool *in, size_t n_topics,
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
    for (size_t i = 0, d = 0; i < n_topics; i++) {
        bool online;
        if (!in[i])
            continue; /* not in the document */
        online = strv_has(&topics[i].needs, FEATURE_ONLINE);
        for (size_t h = 0; h < topics[i].host_ids.n && !online; h++)
            online =
                person_needs(people, n_people, topics[i].host_ids.v[h], FEATURE_ONLINE);
        d++;
        if (online || strv_has(&topics[i].needs, FEATURE_IN_PERSON))
            continue;
        json_array_append_new(json_object_get(json_array_get(topics_doc, d - 1), "needs"),
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
                                const bool *kept, const struct store_block *blocks,
                                size_t n_blocks)
{
    json_t *arr = json_array();

    for (size_t i = 0; i < n_slots; i++) {
        if (kept[i])
            continue;
        bool off = in_everyones_block(blocks, n_blocks, slots[i].id);
        for (size_t k = 0; !off && k < r->unavailable.n; k++)
            off = strcmp(r->unavailable.v[k], slots[i].id) == 0;
        if (off)
            json_array_append_new(arr, json_string(slots[i].id));
    }
    return arr;
}

enum forum_status api__problem_build(struct store *s, const char *eid, json_t **out,
                                     struct api_problem_info *info,
                                     struct forum_error *err)
{
    struct store_slot *slots = NULL;
    struct store_room *rooms = NULL;
    struct store_topic *topics = NULL;
    struct store_participant *people = NULL;
    struct store_vote *votes = NULL;
    struct store_block *blocks = NULL;
    struct store_schedule sc;
    struct api_plan plan;
    size_t n_slots = 0, n_rooms = 0, n_topics = 0, n_people = 0, n_votes = 0,
           n_blocks = 0;
    json_t *open_slots = NULL; /* the slots of no plenary or break, when there are such */
    json_t *kept_json = json_array();
    enum forum_status rc;
    json_t *doc = NULL, *arr;
    bool *kept = NULL, *in = NULL, any_kept = false;
    char **left = NULL; /* the ids of the slots in the problem */
    size_t n_left = 0;

    *out = NULL;
    memset(&sc, 0, sizeof(sc));
    if (info != NULL)
        memset(info, 0, sizeof(*info));
    /* One snapshot: a write committed between two lists (a topic deleted
     * with its votes) must not give a document that names what is gone. */
    rc = store_read_begin(s, err);
    if (rc != FORUM_OK) {
        json_decref(kept_json);
        return rc;
    }
    rc = api__plan_read(s, eid, &plan, err);
    if (rc == FORUM_OK)
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
    if (rc == FORUM_OK && plan.version > 0)
        rc = store_schedule_get(s, eid, plan.version, NULL, 0, &sc, err);
    store_read_end(s);
    if (rc == FORUM_OK)
        rc = slots_disjoint(slots, n_slots, err);
    if (rc != FORUM_OK)
        goto out;

    /* After a publication, what has started stays as published. */
    kept = forum_xcalloc(n_slots + 1, sizeof(*kept));
    left = forum_xcalloc(n_slots + 1, sizeof(*left));
    for (size_t i = 0; i < n_slots; i++) {
        kept[i] = plan.version > 0 && api__slot_started(slots[i].starts_at, plan.now);
        if (kept[i]) {
            any_kept = true;
            json_array_append_new(kept_json, json_string(slots[i].id));
        } else {
            left[n_left++] = slots[i].id;
        }
    }
    /* The topics in the problem: not cancelled, not held in a slot kept. */
    in = forum_xcalloc(n_topics + 1, sizeof(*in));
    for (size_t i = 0; i < n_topics; i++) {
        in[i] = !topics[i].cancelled;
        for (size_t k = 0; in[i] && k < sc.n_sessions; k++) {
            const struct store_session *x = &sc.sessions[k];
            if (x->topic_id != NULL && strcmp(x->topic_id, topics[i].id) == 0 &&
                !in_list(left, n_left, x->slot_id) &&
                api__by_id(slots, n_slots, sizeof(*slots), x->slot_id) != NULL)
                in[i] = false;
        }
    }

    doc = json_object();
    arr = json_array();
    for (size_t i = 0; i < n_slots; i++) {
        json_t *o;
        if (kept[i])
            continue;
        o = json_object();
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
            room_unavailable(&rooms[i], slots, n_slots, kept, blocks, n_blocks));
        json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "rooms", arr);
    arr = json_array();
    /* Plenaries and breaks are not allocated: their slots are no topic's. A
     * topic in no block may use every slot left but theirs. */
    for (size_t i = 0; i < n_slots && open_slots == NULL; i++)
        if (any_kept || in_everyones_block(blocks, n_blocks, slots[i].id))
            open_slots = json_array();
    for (size_t i = 0; open_slots != NULL && i < n_slots; i++)
        if (!kept[i] && !in_everyones_block(blocks, n_blocks, slots[i].id))
            json_array_append_new(open_slots, json_string(slots[i].id));
    for (size_t i = 0; i < n_topics; i++) {
        json_t *o;
        const struct store_block *b = NULL;
        if (!in[i])
            continue;
        o = json_object();
        for (size_t k = 0; topics[i].block_id != NULL && k < n_blocks; k++)
            if (strcmp(blocks[k].id, topics[i].block_id) == 0)
                b = &blocks[k];
        json_object_set_new(o, "id", json_string(topics[i].id));
        json_object_set_new(o, "hosts", api__strv_json(&topics[i].host_ids));
        json_object_set_new(o, "needs", api__strv_json(&topics[i].needs));
        if (topics[i].max_size > 0)
            json_object_set_new(o, "max_size", json_integer(topics[i].max_size));
        /* A lock in a slot that has started is in the past. */
        if (topics[i].fixed_room != NULL && in_list(left, n_left, topics[i].fixed_slot)) {
            json_t *f = json_object();
            json_object_set_new(f, "room", json_string(topics[i].fixed_room));
            json_object_set_new(f, "slot", json_string(topics[i].fixed_slot));
            json_object_set_new(o, "fixed", f);
        }
        /* A topic may use its block's slots (those left); one in no block,
         * every slot but the plenaries' and breaks'. */
        if (b != NULL)
            json_object_set_new(o, "slots", strv_within(&b->slots, left, n_left));
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
    online_rule(json_object_get(doc, "rooms"), arr, rooms, n_rooms, topics, in, n_topics,
                people, n_people);
    arr = json_array();
    for (size_t i = 0, v = 0; i < n_people; i++) {
        json_t *o = json_object(), *w = json_object();
        json_object_set_new(o, "id", json_string(people[i].id));
        json_object_set_new(o, "needs", api__strv_json(&people[i].needs));
        json_object_set_new(o, "unavailable",
                            strv_within(&people[i].unavailable, left, n_left));
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
             v++) {
            const struct store_topic *t =
                api__by_id(topics, n_topics, sizeof(*topics), votes[v].topic_id);
            if (t != NULL && in[t - topics])
                json_object_set_new(w, votes[v].topic_id, json_integer(votes[v].weight));
        }
        json_object_set_new(o, "votes", w);
        json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "participants", arr);
    /* The published sessions of the slots left, for the topics still in. */
    if (plan.version > 0) {
        arr = json_array();
        for (size_t k = 0; k < sc.n_sessions; k++) {
            const struct store_session *x = &sc.sessions[k];
            const struct store_topic *t =
                api__by_id(topics, n_topics, sizeof(*topics), x->topic_id);
            json_t *o;
            if (t == NULL || !in[t - topics] || !in_list(left, n_left, x->slot_id) ||
                api__by_id(rooms, n_rooms, sizeof(*rooms), x->room_id) == NULL)
                continue;
            o = json_object();
            json_object_set_new(o, "topic", json_string(x->topic_id));
            json_object_set_new(o, "group", json_integer(x->group));
            json_object_set_new(o, "room", json_string(x->room_id));
            json_object_set_new(o, "slot", json_string(x->slot_id));
            json_array_append_new(arr, o);
        }
        json_object_set_new(doc, "previous", arr);
    }
    *out = doc;
    if (info != NULL) {
        info->base_version = plan.version;
        info->plan_seq = plan.head;
        info->kept_slots = json_dumps(kept_json, JSON_COMPACT);
    }
out:
    store_slots_free(slots, n_slots);
    store_rooms_free(rooms, n_rooms);
    store_topics_free(topics, n_topics);
    store_participants_free(people, n_people);
    store_votes_free(votes, n_votes);
    store_blocks_free(blocks, n_blocks);
    store_schedule_release(&sc);
    json_decref(open_slots);
    json_decref(kept_json);
    free(kept);
    free(in);
    free(left);
    return rc;
}

void api__problem_get(struct api_ctx *c)
{
    struct forum_error err;
    enum forum_status rc;
    json_t *doc;

    forum_error_clear(&err);
    rc = api__problem_build(c->store, CTX_EID(c), &doc, NULL, &err);
    if (rc == FORUM_EINVAL) {
        api__error(c, 422, "invalid_problem", err.field, "%s", err.msg);
        return;
    }
    if (api__failed(c, rc, &err))
        return;
    api__json(c, 200, doc);
}
