/* SPDX-License-Identifier: MIT */
/*
 * Test helpers for the allocator's unit tests: small random problems built
 * in C (no JSON), and a brute-force optimum for tiny ones. Header-only, so
 * that each test stays one file.
 */
#ifndef FORUM_TEST_ALLOC_GEN_H
#define FORUM_TEST_ALLOC_GEN_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/alloc.h"
#include "internal.h"

static inline char *gen_id(char prefix, size_t i)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%c%zu", prefix, i + 1);
    char *s = malloc(strlen(buf) + 1);
    if (s != NULL)
        strcpy(s, buf);
    return s;
}

static inline size_t gen_below(struct alloc__rng *r, size_t n)
{
    return (size_t)alloc__rng_below(r, (uint32_t)n);
}

/*
 * A random problem with S slots, R rooms, T topics, P participants and two
 * features. Capacities are small (1..cap_max) so that seating matters.
 * Some topics are fixed when fixed is true (only where the rules allow).
 * Returns an owned problem (alloc_problem_free()), never NULL (aborts).
 */
static inline struct alloc_problem *gen_problem(uint64_t seed, size_t S, size_t R,
                                                size_t T, size_t P, uint32_t cap_max,
                                                bool fixed)
{
    struct alloc__rng rng;
    struct alloc_problem *p = calloc(1, sizeof *p);

    alloc__rng_seed(&rng, seed);
    if (p == NULL)
        abort();
    p->n_slots = S;
    p->n_rooms = R;
    p->n_topics = T;
    p->n_participants = P;
    p->n_features = 2;
    p->slots = calloc(S + 1, sizeof *p->slots);
    p->rooms = calloc(R + 1, sizeof *p->rooms);
    p->topics = calloc(T + 1, sizeof *p->topics);
    p->participants = calloc(P + 1, sizeof *p->participants);
    p->features = calloc(2, sizeof *p->features);
    if (!p->slots || !p->rooms || !p->topics || !p->participants || !p->features)
        abort();
    p->features[0] = gen_id('a', 0);
    p->features[1] = gen_id('b', 0);
    for (size_t s = 0; s < S; s++)
        p->slots[s].id = gen_id('S', s);
    for (size_t r = 0; r < R; r++) {
        struct alloc_room *room = &p->rooms[r];
        room->id = gen_id('R', r);
        room->capacity = 1 + alloc__rng_below(&rng, cap_max);
        room->features = calloc(2, sizeof *room->features);
        room->unavailable = calloc(1, sizeof *room->unavailable);
        for (size_t f = 0; f < 2; f++)
            if (alloc__rng_unit(&rng) < 0.7)
                room->features[room->n_features++] = f;
        if (S > 1 && alloc__rng_unit(&rng) < 0.2)
            room->unavailable[room->n_unavailable++] = gen_below(&rng, S);
    }
    for (size_t i = 0; i < P; i++) {
        struct alloc_participant *q = &p->participants[i];
        q->id = gen_id('P', i);
        q->needs = calloc(1, sizeof *q->needs);
        q->unavailable = calloc(1, sizeof *q->unavailable);
        q->votes = calloc(T + 1, sizeof *q->votes);
        if (alloc__rng_unit(&rng) < 0.15)
            q->needs[q->n_needs++] = 0;
        if (S > 1 && alloc__rng_unit(&rng) < 0.2)
            q->unavailable[q->n_unavailable++] = gen_below(&rng, S);
        for (size_t t = 0; t < T; t++)
            if (alloc__rng_unit(&rng) < 0.45) {
                q->votes[q->n_votes].topic = t;
                q->votes[q->n_votes].weight = 1 + alloc__rng_below(&rng, 3);
                q->n_votes++;
            }
    }
    for (size_t t = 0; t < T; t++) {
        struct alloc_topic *tp = &p->topics[t];
        tp->id = gen_id('T', t);
        tp->fixed_room = tp->fixed_slot = ALLOC_NONE;
        tp->hosts = calloc(2, sizeof *tp->hosts);
        tp->needs = calloc(1, sizeof *tp->needs);
        double x = alloc__rng_unit(&rng);
        size_t nh = x < 0.2 ? 0 : x < 0.85 ? 1 : 2;
        for (size_t h = 0; h < nh && P > 0; h++) {
            size_t q = gen_below(&rng, P);
            if (h == 1 && tp->hosts[0] == q)
                break;
            tp->hosts[tp->n_hosts++] = q;
        }
        if (alloc__rng_unit(&rng) < 0.2)
            tp->needs[tp->n_needs++] = 1;
        if (alloc__rng_unit(&rng) < 0.2) {
            tp->has_max_size = true;
            tp->max_size = 1 + alloc__rng_below(&rng, 4);
        }
    }
    if (fixed) {
        /* Fix up to two topics where validation accepts it. */
        for (size_t k = 0, tries = 0; k < 2 && tries < 50 && T > 0; tries++) {
            size_t t = gen_below(&rng, T);
            if (p->topics[t].fixed_room != ALLOC_NONE)
                continue;
            p->topics[t].fixed_room = gen_below(&rng, R);
            p->topics[t].fixed_slot = gen_below(&rng, S);
            if (alloc_problem_validate(p, NULL) != FORUM_OK)
                p->topics[t].fixed_room = p->topics[t].fixed_slot = ALLOC_NONE;
            else
                k++;
        }
    }
    return p;
}

/*
 * Contract v2 on top of gen_problem(): with groups, some unfixed topics run as
 * groups (max 1-3, size_min 1-3, size_max up to 2 more); with blocks, each
 * unfixed topic may use a random non-empty set of slots (a fixed one keeps
 * its slot among them); with previous, a few previous entries on distinct
 * (topic, group) pairs and cells, some of them impossible to keep.
 */
static inline void gen_v2(struct alloc_problem *p, uint64_t seed, bool groups,
                          bool blocks, bool previous)
{
    struct alloc__rng rng;
    alloc__rng_seed(&rng, seed ^ 0x5eed);
    for (size_t t = 0; t < p->n_topics; t++) {
        struct alloc_topic *tp = &p->topics[t];
        if (groups && tp->fixed_room == ALLOC_NONE && alloc__rng_unit(&rng) < 0.4) {
            tp->has_groups = true;
            tp->groups.max = 1 + alloc__rng_below(&rng, 3);
            tp->groups.size_min = 1 + alloc__rng_below(&rng, 3);
            tp->groups.size_max = tp->groups.size_min + alloc__rng_below(&rng, 3);
            tp->has_max_size = false;
        }
        if (blocks && alloc__rng_unit(&rng) < 0.6) {
            tp->has_slots = true;
            tp->slots = calloc(p->n_slots + 1, sizeof *tp->slots);
            if (tp->slots == NULL)
                abort();
            for (size_t s = 0; s < p->n_slots; s++)
                if (s == tp->fixed_slot || alloc__rng_unit(&rng) < 0.5)
                    tp->slots[tp->n_slots++] = s;
        }
    }
    if (!previous || p->n_topics == 0)
        return;
    size_t n = 1 + gen_below(&rng, 4);
    p->previous = calloc(n + 1, sizeof *p->previous);
    if (p->previous == NULL)
        abort();
    for (size_t k = 0; k < n; k++) {
        struct alloc_previous e = {
            gen_below(&rng, p->n_topics), 1 + alloc__rng_below(&rng, 2),
            gen_below(&rng, p->n_rooms), gen_below(&rng, p->n_slots)};
        bool clash = false;
        for (size_t j = 0; j < p->n_previous; j++) {
            const struct alloc_previous *f = &p->previous[j];
            clash |= (f->topic == e.topic && f->group == e.group) ||
                     (f->room == e.room && f->slot == e.slot);
        }
        if (!clash)
            p->previous[p->n_previous++] = e;
    }
}

/*
 * The exact lexicographic optimum of a tiny problem (under p->objective) by
 * enumerating every placement: each topic unplaced (unless fixed) or, in one
 * of its allowed slots, in a set of 1..gmax allowed rooms (a fixed topic's
 * set holds its room, as group 1), cells distinct, hosts in one session per
 * slot; each slot seated exactly, placements with an unfillable group
 * skipped.
 */
struct brute_lev {
    int64_t sched, kept, sat;
};

struct brute {
    const struct alloc__model *m;
    struct alloc__seat_work sw;
    int32_t *slot_of; /* T: slot or -1 */
    int32_t *cell;    /* C: unit or -1 */
    int32_t *rooms;   /* R: scratch */
    struct brute_lev best;
    bool found;
    enum alloc_objective obj;
};

static inline int brute_cmp(enum alloc_objective obj, const struct brute_lev *a,
                            const struct brute_lev *b)
{
    int64_t x[3] = {a->sched, a->kept, a->sat}, y[3] = {b->sched, b->kept, b->sat};
    if (obj == ALLOC_VOTES_FIRST) {
        x[0] = a->kept, x[1] = a->sat, x[2] = a->sched;
        y[0] = b->kept, y[1] = b->sat, y[2] = b->sched;
    }
    for (int i = 0; i < 3; i++)
        if (x[i] != y[i])
            return x[i] > y[i] ? 1 : -1;
    return 0;
}

static inline bool brute_hosts_ok(const struct brute *b, int32_t t, int32_t s)
{
    const struct alloc__model *m = b->m;
    for (int32_t u = 0; u < t; u++) {
        if (b->slot_of[u] != s)
            continue;
        for (int32_t i = m->host_start[t]; i < m->host_start[t + 1]; i++)
            for (int32_t j = m->host_start[u]; j < m->host_start[u + 1]; j++)
                if (m->host_p[i] == m->host_p[j])
                    return false;
    }
    return true;
}

static inline void brute_leaf(struct brute *b)
{
    const struct alloc__model *m = b->m;
    struct brute_lev lv = {0, 0, 0};
    for (int32_t s = 0; s < m->S; s++) {
        struct alloc__seating o;
        if (alloc__seat_slot(m, b->cell, s, &o, NULL, &b->sw) != FORUM_OK)
            abort();
        if (o.missing != 0)
            return;
        lv.sat += o.sat;
    }
    for (int32_t t = 0; t < m->T; t++) {
        int32_t k = 0, s = b->slot_of[t];
        if (s < 0)
            continue;
        lv.sched++;
        for (int32_t u = m->unit_start[t]; u < m->unit_start[t + 1]; u++)
            for (int32_t r = 0; r < m->R; r++)
                if (b->cell[s * m->R + r] == u)
                    b->rooms[k++] = r;
        lv.kept += alloc__kept(m, t, s, k, b->rooms);
    }
    if (!b->found || brute_cmp(b->obj, &lv, &b->best) > 0) {
        b->best = lv;
        b->found = true;
    }
}

static inline void brute_rec(struct brute *b, int32_t t);

/* Places units j.. of topic t in slot s, in rooms from r on. */
static inline void brute_units(struct brute *b, int32_t t, int32_t s, int32_t j,
                               int32_t r)
{
    const struct alloc__model *m = b->m;
    if (j > 0)
        brute_rec(b, t + 1); /* t has j groups */
    if (j >= m->gmax[t])
        return;
    for (; r < m->R; r++) {
        int32_t c = s * m->R + r;
        if (b->cell[c] >= 0 || !alloc__cell_allowed(m, t, c) || c == m->fixed_cell[t])
            continue;
        b->cell[c] = m->unit_start[t] + j;
        brute_units(b, t, s, j + 1, r + 1);
        b->cell[c] = -1;
    }
}

static inline void brute_rec(struct brute *b, int32_t t)
{
    const struct alloc__model *m = b->m;
    if (t == m->T) {
        brute_leaf(b);
        return;
    }
    if (m->fixed_cell[t] < 0) {
        b->slot_of[t] = -1;
        brute_rec(b, t + 1);
    }
    for (int32_t s = 0; s < m->S; s++) {
        if (!m->topic_slot_ok[(size_t)t * (size_t)m->S + (size_t)s] ||
            !brute_hosts_ok(b, t, s))
            continue;
        b->slot_of[t] = s;
        if (m->fixed_cell[t] >= 0) {
            int32_t c = m->fixed_cell[t];
            if (b->cell[c] >= 0)
                continue;
            b->cell[c] = m->unit_start[t];
            brute_units(b, t, s, 1, 0);
            b->cell[c] = -1;
        } else {
            brute_units(b, t, s, 0, 0);
        }
    }
    b->slot_of[t] = -1;
}

/* Returns false when no valid placement exists (fixed groups unfillable). */
static inline bool brute_optimum_lev(const struct alloc_problem *p, struct brute_lev *out)
{
    struct alloc__model m;
    struct brute b = {0};

    if (alloc__model_init(&m, p) != FORUM_OK)
        abort();
    b.m = &m;
    b.obj = p->objective;
    if (alloc__seat_work_init(&b.sw, &m) != FORUM_OK)
        abort();
    b.slot_of = malloc(((size_t)m.T + 1) * sizeof *b.slot_of);
    b.cell = malloc(((size_t)m.C + 1) * sizeof *b.cell);
    b.rooms = malloc(((size_t)m.R + 1) * sizeof *b.rooms);
    if (b.slot_of == NULL || b.cell == NULL || b.rooms == NULL)
        abort();
    for (int32_t c = 0; c < m.C; c++)
        b.cell[c] = -1;
    for (int32_t t = 0; t < m.T; t++)
        b.slot_of[t] = -1;
    brute_rec(&b, 0);
    *out = b.best;
    free(b.slot_of);
    free(b.cell);
    free(b.rooms);
    alloc__seat_work_release(&b.sw);
    alloc__model_release(&m);
    return b.found;
}

/* The v1 view: the most satisfied weight (votes_first without a previous
 * schedule), and the most scheduled among such placements. */
static inline int64_t brute_optimum(struct alloc_problem *p, int64_t *sched)
{
    struct brute_lev lv;
    enum alloc_objective obj = p->objective;
    p->objective = ALLOC_VOTES_FIRST;
    if (!brute_optimum_lev(p, &lv))
        abort();
    p->objective = obj;
    *sched = lv.sched;
    return lv.sat;
}

/*
 * A hand-built problem whose masks are known (features: 0 "accessible",
 * 1 "projector"):
 *   slots S1 S2; rooms R1 (cap 10, both features), R2 (cap 2, accessible,
 *   unavailable in S2), R3 (cap 5, no feature);
 *   P1 needs accessible, unavailable in S1; P2, P3, P4 need nothing;
 *   T1 hosted by P1, needs projector      -> only R1, only S2
 *   T2 hosted by P2 and P3, max_size 1    -> no room (2 hosts > 1)
 *   T3 no host, no need                   -> anywhere
 *   T4 hosted by P1                       -> R1 or R2, S2 only, so R1/S2 only
 *   votes: P1 T4:3 (own topic, dropped), T3:1; P2 T1:2, T3:1; P3 T2:0 (weight 0);
 *          P4 T3:2
 */
static inline size_t *gen_list(size_t n, const size_t *v)
{
    size_t *a = calloc(n + 1, sizeof *a);
    if (a == NULL)
        abort();
    memcpy(a, v, n * sizeof *a);
    return a;
}

static inline struct alloc_problem *hand_problem(void)
{
    struct alloc_problem *p = calloc(1, sizeof *p);
    if (p == NULL)
        abort();
    p->n_slots = 2;
    p->n_rooms = 3;
    p->n_topics = 4;
    p->n_participants = 4;
    p->n_features = 2;
    p->slots = calloc(2, sizeof *p->slots);
    p->rooms = calloc(3, sizeof *p->rooms);
    p->topics = calloc(4, sizeof *p->topics);
    p->participants = calloc(4, sizeof *p->participants);
    p->features = calloc(2, sizeof *p->features);
    if (!p->slots || !p->rooms || !p->topics || !p->participants || !p->features)
        abort();
    p->features[0] = strdup("accessible");
    p->features[1] = strdup("projector");
    for (size_t i = 0; i < 2; i++)
        p->slots[i].id = gen_id('S', i);
    static const uint32_t caps[3] = {10, 2, 5};
    for (size_t i = 0; i < 3; i++) {
        p->rooms[i].id = gen_id('R', i);
        p->rooms[i].capacity = caps[i];
    }
    p->rooms[0].features = gen_list(2, (const size_t[]){0, 1});
    p->rooms[0].n_features = 2;
    p->rooms[1].features = gen_list(1, (const size_t[]){0});
    p->rooms[1].n_features = 1;
    p->rooms[1].unavailable = gen_list(1, (const size_t[]){1});
    p->rooms[1].n_unavailable = 1;
    for (size_t i = 0; i < 4; i++) {
        p->topics[i].id = gen_id('T', i);
        p->topics[i].fixed_room = p->topics[i].fixed_slot = ALLOC_NONE;
        p->participants[i].id = gen_id('P', i);
        p->participants[i].votes = calloc(2, sizeof(struct alloc_vote));
        if (p->participants[i].votes == NULL)
            abort();
    }
    p->participants[0].needs = gen_list(1, (const size_t[]){0});
    p->participants[0].n_needs = 1;
    p->participants[0].unavailable = gen_list(1, (const size_t[]){0});
    p->participants[0].n_unavailable = 1;
    p->topics[0].hosts = gen_list(1, (const size_t[]){0});
    p->topics[0].n_hosts = 1;
    p->topics[0].needs = gen_list(1, (const size_t[]){1});
    p->topics[0].n_needs = 1;
    p->topics[1].hosts = gen_list(2, (const size_t[]){1, 2});
    p->topics[1].n_hosts = 2;
    p->topics[1].has_max_size = true;
    p->topics[1].max_size = 1;
    p->topics[3].hosts = gen_list(1, (const size_t[]){0});
    p->topics[3].n_hosts = 1;
    struct alloc_vote *v;
    v = p->participants[0].votes;
    v[0] = (struct alloc_vote){3, 3};
    v[1] = (struct alloc_vote){2, 1};
    p->participants[0].n_votes = 2;
    v = p->participants[1].votes;
    v[0] = (struct alloc_vote){2, 1};
    v[1] = (struct alloc_vote){0, 2};
    p->participants[1].n_votes = 2;
    v = p->participants[2].votes;
    v[0] = (struct alloc_vote){1, 0};
    p->participants[2].n_votes = 1;
    v = p->participants[3].votes;
    v[0] = (struct alloc_vote){2, 2};
    p->participants[3].n_votes = 1;
    return p;
}

#endif /* FORUM_TEST_ALLOC_GEN_H */
