/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the problem parser (alloc_json_parse_problem) and the
 * solver with a tiny iteration budget, contract v2 (groups, allowed slots,
 * previous, objective). Besides the sanitizers, every parsed problem must
 * validate, every result must keep the hard rules of design/ALLOCATOR.md
 * (rechecked here from the problem, independently of the solver), its score
 * (scheduled, moved, satisfied, demand, unserved) must add up, the same seed
 * must give the same solution, and the solution document must be valid
 * JSON. The solver may refuse a parsed problem only for fixed groups that
 * cannot all be filled (EINVAL naming the topic's `fixed`).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "forum/alloc.h"
#include "forum/alloc_json.h"

#define FUZZ_ITERATIONS 2048

static void fail(const char *what, size_t a, size_t b)
{
    fprintf(stderr, "fuzz_problem: %s (%zu, %zu)\n", what, a, b);
    abort();
}

static bool has_index(const size_t *v, size_t n, size_t x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == x)
            return true;
    return false;
}

/* The weight participant q gave topic t (0 when none). */
static uint32_t weight_of(const struct alloc_participant *q, size_t t)
{
    for (size_t i = 0; i < q->n_votes; i++)
        if (q->votes[i].topic == t)
            return q->votes[i].weight;
    return 0;
}

static bool room_has_all(const struct alloc_room *r, const size_t *needs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!has_index(r->features, r->n_features, needs[i]))
            return false;
    return true;
}

/* True when participant q voted for t (weight > 0) and does not host it: a
 * counted vote. */
static bool counted(const struct alloc_problem *p, size_t q, size_t t)
{
    return weight_of(&p->participants[q], t) > 0 &&
           !has_index(p->topics[t].hosts, p->topics[t].n_hosts, q);
}

/* Rechecks rules 1-6 and the score of contract v2. */
static void check_result(const struct alloc_problem *p, const struct alloc_result *r)
{
    size_t cells = p->n_rooms * p->n_slots, T = p->n_topics,
           PS = p->n_participants * p->n_slots;
    unsigned char *cell_used = calloc(cells ? cells : 1, 1);
    /* per topic: sessions, their slot, the group numbers seen */
    size_t *count = calloc(T ? T : 1, sizeof *count);
    size_t *slot_of = calloc(T ? T : 1, sizeof *slot_of);
    unsigned char *numbers = calloc(T * 256 + 1, 1);
    /* busy[q * n_slots + s]: participant q already sits somewhere in slot s. */
    unsigned char *busy = calloc(PS ? PS : 1, 1);
    unsigned char *served = calloc(p->n_participants ? p->n_participants : 1, 1);
    int64_t satisfied = 0, demand = 0, moved = 0, unserved = 0;

    if (cell_used == NULL || count == NULL || slot_of == NULL || numbers == NULL ||
        busy == NULL || served == NULL)
        abort();
    size_t sched = 0;
    for (size_t i = 0; i < r->n_sessions; i++) {
        const struct alloc_session *s = &r->sessions[i];
        if (s->topic >= T || s->room >= p->n_rooms || s->slot >= p->n_slots)
            fail("session index out of range", i, 0);
        if (count[s->topic] == 0)
            sched++;
        else if (slot_of[s->topic] != s->slot)
            fail("rule 1: a topic's groups in two slots", s->topic, s->slot);
        count[s->topic]++;
        slot_of[s->topic] = s->slot;
        if (s->group < 1 || s->group > 255 || numbers[s->topic * 256 + s->group]++)
            fail("rule 1: a group number twice or out of range", s->topic, s->group);
    }
    if (sched + r->n_unscheduled != T)
        fail("scheduled + unscheduled != topics", sched, r->n_unscheduled);
    if ((int64_t)sched != r->score.scheduled)
        fail("score.scheduled != topics with a session", sched,
             (size_t)r->score.scheduled);
    for (size_t t = 0; t < T; t++) {
        const struct alloc_topic *tp = &p->topics[t];
        size_t most = tp->has_groups ? tp->groups.max : 1;
        if (count[t] > most)
            fail("rule 1: more sessions than groups.max", t, count[t]);
        for (size_t g = 1; g <= count[t]; g++)
            if (!numbers[t * 256 + g])
                fail("rule 1: groups not numbered 1..k", t, g);
    }
    for (size_t i = 0; i < r->n_sessions; i++) {
        const struct alloc_session *s = &r->sessions[i];
        const struct alloc_topic *t = &p->topics[s->topic];
        const struct alloc_room *room = &p->rooms[s->room];
        if (cell_used[s->room * p->n_slots + s->slot]++)
            fail("rule 1: two sessions in one cell", s->room, s->slot);
        if (t->fixed_room != ALLOC_NONE && s->group == 1 &&
            (t->fixed_room != s->room || t->fixed_slot != s->slot))
            fail("rule 2: a fixed topic placed elsewhere", s->topic, 0);
        if (!room_has_all(room, t->needs, t->n_needs))
            fail("rule 3: room lacks a feature the topic needs", s->topic, s->room);
        if (has_index(room->unavailable, room->n_unavailable, s->slot))
            fail("rule 3: room unavailable", s->room, s->slot);
        if (t->has_slots && !has_index(t->slots, t->n_slots, s->slot))
            fail("rule 3: outside the topic's slots", s->topic, s->slot);
        size_t hosts_here = 0;
        for (size_t h = 0; h < t->n_hosts; h++) {
            const struct alloc_participant *q = &p->participants[t->hosts[h]];
            bool here = has_index(s->attendees, s->n_attendees, t->hosts[h]);
            if (has_index(q->unavailable, q->n_unavailable, s->slot))
                fail("rule 3: host unavailable", t->hosts[h], s->slot);
            if (!room_has_all(room, q->needs, q->n_needs))
                fail("rule 3: room lacks a feature a host needs", t->hosts[h], s->room);
            if (!t->has_groups && !here)
                fail("rule 4: a host does not attend", t->hosts[h], s->topic);
            hosts_here += here;
        }
        if (t->has_groups && t->n_hosts > 0 && hosts_here == 0)
            fail("rule 4: a group without a host", s->topic, s->group);
        if (s->n_attendees > room->capacity)
            fail("rule 6: over capacity", s->n_attendees, room->capacity);
        if (t->has_max_size && s->n_attendees > t->max_size)
            fail("rule 6: over max_size", s->n_attendees, t->max_size);
        if (t->has_groups &&
            (s->n_attendees < t->groups.size_min || s->n_attendees > t->groups.size_max))
            fail("rule 6: a group outside size_min..size_max", s->topic, s->n_attendees);
        for (size_t a = 0; a < s->n_attendees; a++) {
            size_t qi = s->attendees[a];
            const struct alloc_participant *q;
            bool host;
            uint32_t w;
            if (qi >= p->n_participants)
                fail("attendee index out of range", qi, 0);
            q = &p->participants[qi];
            host = has_index(t->hosts, t->n_hosts, qi);
            w = weight_of(q, s->topic);
            if (busy[qi * p->n_slots + s->slot]++)
                fail("rule 5: two sessions in one slot", qi, s->slot);
            if (has_index(q->unavailable, q->n_unavailable, s->slot))
                fail("rule 5: attends while unavailable", qi, s->slot);
            if (!host && w == 0)
                fail("rule 5: attends without a vote", qi, s->topic);
            if (!room_has_all(room, q->needs, q->n_needs))
                fail("rule 5: room lacks a feature the attendee needs", qi, s->room);
            if (!host) {
                satisfied += w;
                served[qi] = 1;
            }
        }
    }
    for (size_t t = 0; t < T; t++) {
        const struct alloc_topic *tp = &p->topics[t];
        for (size_t h = 0; tp->has_groups && count[t] > 0 && h < tp->n_hosts; h++) {
            size_t in = 0;
            for (size_t i = 0; i < r->n_sessions; i++)
                in += r->sessions[i].topic == t &&
                      has_index(r->sessions[i].attendees, r->sessions[i].n_attendees,
                                tp->hosts[h]);
            if (in != 1)
                fail("rule 4: a host not in exactly one group", t, tp->hosts[h]);
        }
    }
    for (size_t qi = 0; qi < p->n_participants; qi++) {
        const struct alloc_participant *q = &p->participants[qi];
        bool voter = false;
        for (size_t v = 0; v < q->n_votes; v++)
            if (counted(p, qi, q->votes[v].topic)) {
                demand += q->votes[v].weight;
                voter = true;
            }
        unserved += voter && !served[qi];
    }
    for (size_t t = 0; t < T; t++)
        if (p->topics[t].fixed_room != ALLOC_NONE && count[t] == 0)
            fail("rule 2: a fixed topic is unscheduled", t, 0);
    for (size_t i = 0; i < p->n_previous; i++) {
        const struct alloc_previous *e = &p->previous[i];
        bool kept = false;
        for (size_t k = 0; k < r->n_sessions && !kept; k++) {
            const struct alloc_session *s = &r->sessions[k];
            kept = s->topic == e->topic && s->group == e->group && s->room == e->room &&
                   s->slot == e->slot;
        }
        moved += !kept;
    }
    if (satisfied != r->score.satisfied)
        fail("score.satisfied does not add up", (size_t)satisfied,
             (size_t)r->score.satisfied);
    if (demand != r->score.demand)
        fail("score.demand does not add up", (size_t)demand, (size_t)r->score.demand);
    if (moved != r->score.moved)
        fail("score.moved does not add up", (size_t)moved, (size_t)r->score.moved);
    if (unserved != r->score.unserved)
        fail("score.unserved does not add up", (size_t)unserved,
             (size_t)r->score.unserved);
    if (r->score.bound < r->score.satisfied || r->score.satisfied > r->score.demand)
        fail("score.bound < satisfied or satisfied > demand", (size_t)r->score.bound,
             (size_t)r->score.satisfied);
    free(cell_used);
    free(count);
    free(slot_of);
    free(numbers);
    free(busy);
    free(served);
}

static char *solve_and_dump(const struct alloc_problem *p, uint64_t seed, size_t *len)
{
    struct alloc_options opt = {.seed = seed, .max_iterations = FUZZ_ITERATIONS};
    struct alloc_result *r = NULL;
    struct forum_error err;
    char *doc;

    forum_error_clear(&err);
    enum forum_status rc = alloc_solve(p, &opt, &r, &err);
    if (rc == FORUM_EINVAL && strstr(err.field, ".fixed") != NULL && r == NULL)
        return NULL; /* fixed groups that cannot all be filled: no solution exists */
    if (rc != FORUM_OK) {
        /* The parser validated p: only out-of-memory may fail here. */
        fprintf(stderr, "fuzz_problem: alloc_solve refused a parsed problem: %s: %s\n",
                err.field, err.msg);
        abort();
    }
    check_result(p, r);
    doc = alloc_json_dump_solution(p, r, len);
    if (doc == NULL)
        abort();
    alloc_result_free(r);
    return doc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct alloc_problem *p = NULL;
    struct alloc_json_options opts;
    struct forum_error err;
    enum forum_status rc;
    char *a, *b = NULL;
    size_t alen = 0, blen = 0;
    json_t *doc;

    forum_error_clear(&err);
    rc = alloc_json_parse_problem((const char *)data, size, &p, &opts, &err);
    if (rc != FORUM_OK) {
        if (p != NULL || err.code == FORUM_OK || err.msg[0] == '\0')
            fail("a refused document without a clean error", (size_t)rc, 0);
        return 0;
    }
    forum_error_clear(&err);
    if (alloc_problem_validate(p, &err) != FORUM_OK) {
        fprintf(stderr, "fuzz_problem: parsed but invalid: %s: %s\n", err.field, err.msg);
        abort();
    }
    a = solve_and_dump(p, opts.has_seed ? opts.seed : 1, &alen);
    if (a == NULL) {
        alloc_problem_free(p);
        return 0;
    }
    /* Determinism on one input in four (chosen by the input, so replays agree). */
    if (size % 4 == 0) {
        b = solve_and_dump(p, opts.has_seed ? opts.seed : 1, &blen);
        if (alen != blen || memcmp(a, b, alen) != 0)
            fail("the same seed gave two solutions", alen, blen);
        free(b);
    }
    doc = json_loadb(a, alen, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(doc))
        fail("the solution document is not a JSON object", alen, 0);
    json_decref(doc);
    free(a);
    alloc_problem_free(p);
    return 0;
}
