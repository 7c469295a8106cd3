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

#include "forum/util/mem.h"

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
        return "its hosts run other sessions whenever a suitable room is free";
    case ALLOC_WHY_NO_SLOT:
        return "no suitable room is open in the slots it may use";
    case ALLOC_WHY_TOO_FEW_PEOPLE:
        return "too few of its voters are free at the same time to fill a group";
    case ALLOC_WHY_COSTS_VOTES:
        return "wherever a room is free, it would cost more votes than it brings";
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
    case ALLOC_WHY_NO_SLOT:
        return "no_slot";
    case ALLOC_WHY_TOO_FEW_PEOPLE:
        return "too_few_people";
    case ALLOC_WHY_COSTS_VOTES:
        return "costs_votes";
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
        if (t->has_slots) {
            for (size_t k = 0; k < t->n_slots; k++)
                if (t->slots[k] >= p->n_slots ||
                    (k > 0 && t->slots[k] <= t->slots[k - 1]))
                    return forum_error_set(
                        err, FORUM_EINVAL, "",
                        "topics[%zu].slots: not ascending slot indices", i);
            if (t->fixed_slot != ALLOC_NONE && !has(t->slots, t->n_slots, t->fixed_slot))
                return forum_error_set(
                    err, FORUM_EINVAL, "",
                    "topics[%zu].fixed.slot: outside the topic's slots", i);
        }
        if (t->has_groups && (t->groups.max < 1 || t->groups.size_min < 1 ||
                              t->groups.size_min > t->groups.size_max ||
                              t->groups.size_max > ALLOC_MAX_CAPACITY ||
                              t->groups.max > ALLOC_MAX_CAPACITY))
            return forum_error_set(err, FORUM_EINVAL, "",
                                   "topics[%zu].groups: needs 1 <= max and "
                                   "1 <= size_min <= size_max <= %d",
                                   i, ALLOC_MAX_CAPACITY);
    }
    if (p->n_previous > ALLOC_MAX_CELLS || (p->n_previous > 0 && p->previous == NULL))
        return forum_error_set(err, FORUM_EINVAL, "", "previous: too many entries");
    for (size_t i = 0; i < p->n_previous; i++) {
        const struct alloc_previous *e = &p->previous[i];
        if (e->topic >= p->n_topics || e->room >= p->n_rooms || e->slot >= p->n_slots ||
            e->group < 1 || e->group > ALLOC_MAX_CAPACITY)
            return forum_error_set(err, FORUM_EINVAL, "", "previous[%zu]: out of range",
                                   i);
    }
    if (p->objective != ALLOC_TOPICS_FIRST && p->objective != ALLOC_VOTES_FIRST)
        return forum_error_set(err, FORUM_EINVAL, "", "options.objective: unknown");
    return FORUM_OK;
}

static int cmp_previous(const void *a, const void *b)
{
    const struct alloc_previous *x = *(const struct alloc_previous *const *)a;
    const struct alloc_previous *y = *(const struct alloc_previous *const *)b;
    if (x->topic != y->topic)
        return x->topic < y->topic ? -1 : 1;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* Two previous entries for one (topic, group) or one cell (the parser reports
 * these by field; this check is for problems built by hand). */
static enum forum_status check_previous(const struct alloc_problem *p,
                                        struct forum_error *err)
{
    size_t n = p->n_previous, cells = p->n_slots * p->n_rooms;
    enum forum_status rc = FORUM_OK;

    if (n < 2)
        return FORUM_OK;
    const struct alloc_previous **by = forum_try_malloc(n * sizeof *by);
    uint8_t *used = forum_try_calloc(cells + 1, 1);
    if (by == NULL || used == NULL) {
        rc = forum_error_set(err, FORUM_ENOMEM, "", "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const struct alloc_previous *e = &p->previous[i];
        size_t c = e->slot * p->n_rooms + e->room;
        if (used[c]) {
            rc = forum_error_set(err, FORUM_EINVAL, "",
                                 "previous[%zu]: a second entry for one cell", i);
            goto out;
        }
        used[c] = 1;
        by[i] = e;
    }
    qsort(by, n, sizeof *by, cmp_previous);
    for (size_t i = 1; i < n; i++)
        if (by[i]->topic == by[i - 1]->topic && by[i]->group == by[i - 1]->group) {
            rc = forum_error_set(err, FORUM_EINVAL, "",
                                 "previous[%zu]: a second entry for one topic and group",
                                 (size_t)(by[i] - p->previous));
            goto out;
        }
out:
    free(by);
    free(used);
    return rc;
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
    if (t->has_groups) {
        /* The hosts spread over the groups; group 1 needs size_min people here. */
        if (t->groups.size_max < size)
            size = t->groups.size_max;
        if (size < t->groups.size_min)
            return forum_error_set(
                err, FORUM_EINVAL, field,
                "room \"%s\" takes at most %zu people here, fewer than "
                "groups.size_min %u",
                rid, size, (unsigned)t->groups.size_min);
    } else if (t->n_hosts > size) {
        return forum_error_set(
            err, FORUM_EINVAL, field,
            "%zu hosts do not fit: room \"%s\" takes at most %zu people here", t->n_hosts,
            rid, size);
    }
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
    rc = check_previous(p, err);
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
