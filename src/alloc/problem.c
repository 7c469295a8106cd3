/* SPDX-License-Identifier: MIT */
/*
 * The plain data of the allocator: freeing problems and results, checking a
 * problem (indices, limits, fixed placements against the hard rules), and
 * the names of the reasons why a topic stays unscheduled.
 */
#include "forum/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void alloc_problem_free(struct alloc_problem *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->n_slots; i++) {
        free(p->slots[i].id);
        free(p->slots[i].label);
    }
    for (size_t i = 0; i < p->n_rooms; i++) {
        free(p->rooms[i].id);
        free(p->rooms[i].features);
        free(p->rooms[i].unavailable);
    }
    for (size_t i = 0; i < p->n_topics; i++) {
        free(p->topics[i].id);
        free(p->topics[i].hosts);
        free(p->topics[i].needs);
        free(p->topics[i].slots);
    }
    for (size_t i = 0; i < p->n_participants; i++) {
        free(p->participants[i].id);
        free(p->participants[i].needs);
        free(p->participants[i].unavailable);
        free(p->participants[i].votes);
    }
    for (size_t i = 0; i < p->n_features; i++)
        free(p->features[i]);
    free(p->slots);
    free(p->rooms);
    free(p->topics);
    free(p->participants);
    free(p->features);
    free(p->previous);
    free(p);
}

void alloc_result_free(struct alloc_result *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n_sessions; i++)
        free(r->sessions[i].attendees);
    free(r->sessions);
    free(r->unscheduled);
    free(r->why);
    free(r);
}

const char *alloc_why_str(enum alloc_why why)
{
    switch (why) {
    case ALLOC_WHY_NO_ROOM:
        return "no room has the features and the capacity it needs";
    case ALLOC_WHY_HOSTS_UNAVAILABLE:
        return "its hosts are unavailable whenever a suitable room is free";
    case ALLOC_WHY_NO_VOTES:
        return "nobody but its hosts voted for it";
    case ALLOC_WHY_OUTVOTED:
        return "outvoted: every suitable room and slot went to topics with more votes";
    case ALLOC_WHY_HOSTS_BUSY:
        return "its hosts are worth more in other sessions in every free slot";
    }
    return "unknown";
}

const char *alloc_why_name(enum alloc_why why)
{
    switch (why) {
    case ALLOC_WHY_NO_ROOM:
        return "no_room";
    case ALLOC_WHY_HOSTS_UNAVAILABLE:
        return "hosts_unavailable";
    case ALLOC_WHY_NO_VOTES:
        return "no_votes";
    case ALLOC_WHY_OUTVOTED:
        return "outvoted";
    case ALLOC_WHY_HOSTS_BUSY:
        return "hosts_busy";
    }
    return "unknown";
}

/* Returns true when the sorted-or-not list holds x. Lists are short. */
static bool has(const size_t *list, size_t n, size_t x)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == x)
            return true;
    return false;
}

static bool within(const size_t *list, size_t n, size_t limit)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] >= limit)
            return false;
    return true;
}

static enum forum_status check_shape(const struct alloc_problem *p,
                                     struct forum_error *err)
{
    if (p->n_slots > ALLOC_MAX_SLOTS || p->n_rooms > ALLOC_MAX_ROOMS ||
        p->n_topics > ALLOC_MAX_TOPICS || p->n_participants > ALLOC_MAX_PARTICIPANTS ||
        p->n_features > ALLOC_MAX_FEATURES ||
        (p->n_slots > 0 && p->n_rooms > ALLOC_MAX_CELLS / p->n_slots) ||
        (p->n_slots > 0 && p->n_participants > ALLOC_MAX_PARTICIPANT_SLOTS / p->n_slots))
        return forum_error_set(err, FORUM_EINVAL, "",
                               "the problem exceeds the size limits");
    for (size_t i = 0; i < p->n_rooms; i++) {
        const struct alloc_room *r = &p->rooms[i];
        if (!within(r->features, r->n_features, p->n_features) ||
            !within(r->unavailable, r->n_unavailable, p->n_slots))
            return forum_error_set(err, FORUM_EINVAL, "",
                                   "rooms[%zu]: index out of range", i);
        if (r->capacity > ALLOC_MAX_CAPACITY)
            return forum_error_set(err, FORUM_EINVAL, "",
                                   "rooms[%zu].capacity: too large", i);
    }
    size_t votes = 0;
    for (size_t i = 0; i < p->n_participants; i++) {
        const struct alloc_participant *q = &p->participants[i];
        if (!within(q->needs, q->n_needs, p->n_features) ||
            !within(q->unavailable, q->n_unavailable, p->n_slots))
            return forum_error_set(err, FORUM_EINVAL, "",
                                   "participants[%zu]: index out of range", i);
        for (size_t v = 0; v < q->n_votes; v++) {
            if (q->votes[v].topic >= p->n_topics || q->votes[v].weight > ALLOC_MAX_WEIGHT)
                return forum_error_set(err, FORUM_EINVAL, "",
                                       "participants[%zu].votes: bad topic or weight", i);
            for (size_t u = 0; u < v; u++)
                if (q->votes[u].topic == q->votes[v].topic)
                    return forum_error_set(err, FORUM_EINVAL, "",
                                           "participants[%zu].votes: topic twice", i);
        }
        votes += q->n_votes;
        if (votes > ALLOC_MAX_VOTES)
            return forum_error_set(err, FORUM_EINVAL, "", "too many votes");
    }
    for (size_t i = 0; i < p->n_topics; i++) {
        const struct alloc_topic *t = &p->topics[i];
        if (!within(t->hosts, t->n_hosts, p->n_participants) ||
            !within(t->needs, t->n_needs, p->n_features))
            return forum_error_set(err, FORUM_EINVAL, "",
                                   "topics[%zu]: index out of range", i);
        for (size_t h = 1; h < t->n_hosts; h++)
            if (has(t->hosts, h, t->hosts[h]))
                return forum_error_set(err, FORUM_EINVAL, "",
                                       "topics[%zu].hosts: host twice", i);
        if (t->has_max_size && t->max_size > ALLOC_MAX_CAPACITY)
            return forum_error_set(err, FORUM_EINVAL, "",
                                   "topics[%zu].max_size: too large", i);
        if ((t->fixed_room == ALLOC_NONE) != (t->fixed_slot == ALLOC_NONE) ||
            (t->fixed_room != ALLOC_NONE &&
             (t->fixed_room >= p->n_rooms || t->fixed_slot >= p->n_slots)))
            return forum_error_set(err, FORUM_EINVAL, "", "topics[%zu].fixed: bad cell",
                                   i);
    }
    return FORUM_OK;
}

/* Checks topic i's fixed placement against rules 1, 3, 4, 5 and 6. */
static enum forum_status check_fixed(const struct alloc_problem *p, size_t i,
                                     struct forum_error *err)
{
    const struct alloc_topic *t = &p->topics[i];
    const struct alloc_room *room = &p->rooms[t->fixed_room];
    const char *rid = room->id, *sid = p->slots[t->fixed_slot].id;
    char field[FORUM_ERROR_FIELD_MAX];

    snprintf(field, sizeof field, "topics[%zu].fixed", i);
    for (size_t k = 0; k < t->n_needs; k++)
        if (!has(room->features, room->n_features, t->needs[k]))
            return forum_error_set(
                err, FORUM_EINVAL, field,
                "room \"%s\" lacks the feature \"%s\" that topic \"%s\" needs", rid,
                p->features[t->needs[k]], t->id);
    if (has(room->unavailable, room->n_unavailable, t->fixed_slot))
        return forum_error_set(err, FORUM_EINVAL, field,
                               "room \"%s\" is unavailable in slot \"%s\"", rid, sid);
    for (size_t h = 0; h < t->n_hosts; h++) {
        const struct alloc_participant *q = &p->participants[t->hosts[h]];
        if (has(q->unavailable, q->n_unavailable, t->fixed_slot))
            return forum_error_set(err, FORUM_EINVAL, field,
                                   "host \"%s\" is unavailable in slot \"%s\"", q->id,
                                   sid);
        for (size_t k = 0; k < q->n_needs; k++)
            if (!has(room->features, room->n_features, q->needs[k]))
                return forum_error_set(err, FORUM_EINVAL, field,
                                       "room \"%s\" lacks the feature \"%s\" that host "
                                       "\"%s\" needs",
                                       rid, p->features[q->needs[k]], q->id);
    }
    size_t size = room->capacity;
    if (t->has_max_size && t->max_size < size)
        size = t->max_size;
    if (t->n_hosts > size)
        return forum_error_set(
            err, FORUM_EINVAL, field,
            "%zu hosts do not fit: room \"%s\" takes at most %zu people here", t->n_hosts,
            rid, size);
    for (size_t j = 0; j < i; j++) {
        const struct alloc_topic *u = &p->topics[j];
        if (u->fixed_room == ALLOC_NONE || u->fixed_slot != t->fixed_slot)
            continue;
        if (u->fixed_room == t->fixed_room)
            return forum_error_set(err, FORUM_EINVAL, field,
                                   "topic \"%s\" is already fixed in room \"%s\", slot "
                                   "\"%s\"",
                                   u->id, rid, sid);
        for (size_t h = 0; h < t->n_hosts; h++)
            if (has(u->hosts, u->n_hosts, t->hosts[h]))
                return forum_error_set(
                    err, FORUM_EINVAL, field,
                    "host \"%s\" also hosts topic \"%s\", fixed in slot "
                    "\"%s\"",
                    p->participants[t->hosts[h]].id, u->id, sid);
    }
    return FORUM_OK;
}

enum forum_status alloc_problem_validate(const struct alloc_problem *p,
                                         struct forum_error *err)
{
    enum forum_status rc;

    if (p == NULL)
        return forum_error_set(err, FORUM_EINVAL, "", "no problem");
    rc = check_shape(p, err);
    if (rc != FORUM_OK)
        return rc;
    for (size_t i = 0; i < p->n_topics; i++) {
        if (p->topics[i].fixed_room == ALLOC_NONE)
            continue;
        rc = check_fixed(p, i, err);
        if (rc != FORUM_OK)
            return rc;
    }
    return FORUM_OK;
}
