/* SPDX-License-Identifier: MIT */
/*
 * alloc_solve() as a whole: the hard rules of contract v2 on random
 * problems (groups, allowed slots, previous schedules, both objectives), the
 * issue's example (every topic runs under topics_first), the reasons for
 * unscheduled topics, fixed groups that cannot be filled, determinism, the
 * stop callback, and failing each allocation in turn (FORUM_ENOMEM, nothing
 * leaked: run under ASan).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "forum/util/mem.h"
#include "gen.h"
#include "internal.h"

static bool has(const size_t *list, size_t n, size_t x)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == x)
            return true;
    return false;
}

static uint32_t weight_of(const struct alloc_participant *q, size_t t)
{
    for (size_t v = 0; v < q->n_votes; v++)
        if (q->votes[v].topic == t)
            return q->votes[v].weight;
    return 0;
}

/* Checks the hard rules of design/ALLOCATOR.md (contract v2) and recomputes
 * the score: scheduled, moved, satisfied, unserved. */
static void check_result(const struct alloc_problem *p, const struct alloc_result *r)
{
    size_t S = p->n_slots, P = p->n_participants, T = p->n_topics;
    uint8_t *busy = calloc(P * S + 1, 1);
    uint8_t *cell = calloc(p->n_rooms * S + 1, 1);
    size_t *groups = calloc(T + 1, sizeof *groups);
    size_t *slot_of = calloc(T + 1, sizeof *slot_of);
    uint8_t *served = calloc(P + 1, 1);
    int64_t sat = 0, moved = 0, unserved = 0, sched = 0;

    assert_non_null(busy);
    assert_non_null(cell);
    assert_non_null(groups);
    assert_non_null(slot_of);
    assert_non_null(served);
    for (size_t i = 0; i < r->n_sessions; i++) {
        const struct alloc_session *se = &r->sessions[i];
        const struct alloc_topic *t = &p->topics[se->topic];
        const struct alloc_room *room = &p->rooms[se->room];
        if (i > 0) /* ordered by slot, then room */
            assert_true(r->sessions[i - 1].slot < se->slot ||
                        (r->sessions[i - 1].slot == se->slot &&
                         r->sessions[i - 1].room < se->room));
        assert_false(cell[se->room * S + se->slot]);
        cell[se->room * S + se->slot] = 1;
        if (groups[se->topic]++ == 0)
            sched++;
        else
            assert_int_equal(slot_of[se->topic], se->slot); /* groups in one slot */
        slot_of[se->topic] = se->slot;
        assert_true(se->group >= 1);
        assert_true(se->group <= (t->has_groups ? t->groups.max : 1));
        if (t->fixed_room != ALLOC_NONE && se->group == 1) {
            assert_int_equal(t->fixed_room, se->room);
            assert_int_equal(t->fixed_slot, se->slot);
        }
        if (t->has_slots)
            assert_true(has(t->slots, t->n_slots, se->slot));
        for (size_t k = 0; k < t->n_needs; k++)
            assert_true(has(room->features, room->n_features, t->needs[k]));
        assert_false(has(room->unavailable, room->n_unavailable, se->slot));
        size_t cap = room->capacity;
        if (t->has_max_size && t->max_size < cap)
            cap = t->max_size;
        assert_true(se->n_attendees <= cap);
        size_t hosts_here = 0;
        for (size_t a = 0; a < se->n_attendees; a++)
            if (has(t->hosts, t->n_hosts, se->attendees[a])) {
                assert_int_equal(a, hosts_here); /* hosts first */
                hosts_here++;
            }
        if (t->has_groups) {
            assert_true(se->n_attendees >= t->groups.size_min);
            assert_true(se->n_attendees <= t->groups.size_max);
            assert_true(t->n_hosts == 0 || hosts_here >= 1);
        } else {
            assert_int_equal(hosts_here, t->n_hosts);
        }
        for (size_t a = 0; a < se->n_attendees; a++) {
            size_t q = se->attendees[a];
            const struct alloc_participant *pp = &p->participants[q];
            assert_false(busy[q * S + se->slot]);
            busy[q * S + se->slot] = 1;
            assert_false(has(pp->unavailable, pp->n_unavailable, se->slot));
            for (size_t k = 0; k < pp->n_needs; k++)
                assert_true(has(room->features, room->n_features, pp->needs[k]));
            bool host = has(t->hosts, t->n_hosts, q);
            uint32_t w = weight_of(pp, se->topic);
            assert_true(host || w > 0);
            if (!host && w > 0) {
                sat += w;
                served[q] = 1;
            }
        }
    }
    for (size_t t = 0; t < T; t++) {
        const struct alloc_topic *tp = &p->topics[t];
        if (tp->fixed_room != ALLOC_NONE)
            assert_true(groups[t] > 0);
        /* Groups numbered 1..k: distinct numbers up to k. */
        for (size_t i = 0; i < r->n_sessions; i++)
            if (r->sessions[i].topic == t)
                assert_true(r->sessions[i].group <= groups[t]);
        /* Every host of a group topic in exactly one of its groups. */
        for (size_t h = 0; tp->has_groups && groups[t] > 0 && h < tp->n_hosts; h++) {
            size_t in = 0;
            for (size_t i = 0; i < r->n_sessions; i++)
                in += r->sessions[i].topic == t &&
                      has(r->sessions[i].attendees, r->sessions[i].n_attendees,
                          tp->hosts[h]);
            assert_int_equal(in, 1);
        }
    }
    assert_int_equal(sched + (int64_t)r->n_unscheduled, (int64_t)T);
    for (size_t i = 0; i < r->n_unscheduled; i++)
        assert_int_equal(groups[r->unscheduled[i]], 0);
    for (size_t i = 0; i < p->n_previous; i++) {
        const struct alloc_previous *e = &p->previous[i];
        bool kept = false;
        for (size_t k = 0; k < r->n_sessions; k++) {
            const struct alloc_session *se = &r->sessions[k];
            kept |= se->topic == e->topic && se->group == e->group &&
                    se->room == e->room && se->slot == e->slot;
        }
        moved += !kept;
    }
    for (size_t q = 0; q < P; q++) {
        bool voter = false;
        for (size_t v = 0; v < p->participants[q].n_votes; v++) {
            size_t t = p->participants[q].votes[v].topic;
            voter |= p->participants[q].votes[v].weight > 0 &&
                     !has(p->topics[t].hosts, p->topics[t].n_hosts, q);
        }
        unserved += voter && !served[q];
    }
    assert_int_equal(sat, r->score.satisfied);
    assert_int_equal(sched, r->score.scheduled);
    assert_int_equal(moved, r->score.moved);
    assert_int_equal(unserved, r->score.unserved);
    assert_true(r->score.bound >= r->score.satisfied);
    free(busy);
    free(cell);
    free(groups);
    free(slot_of);
    free(served);
}

static void test_solve_random_valid(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 30; seed++) {
        struct alloc_problem *p = gen_problem(seed, 2 + seed % 4, 2 + seed % 3,
                                              5 + seed % 9, 10 + seed * 2, 9, true);
        struct alloc_options opt = {seed, 20000, NULL, NULL};
        struct alloc_result *r = NULL;
        assert_int_equal(alloc_solve(p, &opt, &r, NULL), FORUM_OK);
        check_result(p, r);
        alloc_result_free(r);
        alloc_problem_free(p);
    }
}

/* Contract v2 on random problems: groups, allowed slots, previous schedules,
 * both objectives. */
static void test_solve_random_v2_valid(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        struct alloc_problem *p = gen_problem(seed, 2 + seed % 4, 2 + seed % 4,
                                              5 + seed % 9, 10 + seed * 2, 9, true);
        gen_v2(p, seed, true, seed % 3 != 1, seed % 2 == 0);
        p->objective = seed % 5 == 0 ? ALLOC_VOTES_FIRST : ALLOC_TOPICS_FIRST;
        struct alloc_options opt = {seed, 20000, NULL, NULL};
        struct alloc_result *r = NULL;
        assert_int_equal(alloc_solve(p, &opt, &r, NULL), FORUM_OK);
        check_result(p, r);
        alloc_result_free(r);
        alloc_problem_free(p);
    }
}

/*
 * The example: 2 slots x 3 rooms, 4 topics each hosted by a different
 * person, 6 people voting for everything. Under topics_first every topic
 * runs; under votes_first (v1's order) only the most wanted do.
 */
static struct alloc_problem *every_topic_problem(void)
{
    struct alloc_problem *p = gen_problem(1, 2, 3, 4, 6, 10, false);
    for (size_t r = 0; r < 3; r++) {
        p->rooms[r].capacity = 10;
        p->rooms[r].n_features = 0;
        p->rooms[r].n_unavailable = 0;
    }
    for (size_t t = 0; t < 4; t++) {
        p->topics[t].n_hosts = 1;
        p->topics[t].hosts[0] = t;
        p->topics[t].n_needs = 0;
        p->topics[t].has_max_size = false;
    }
    for (size_t q = 0; q < 6; q++) {
        struct alloc_participant *pp = &p->participants[q];
        pp->n_needs = pp->n_unavailable = 0;
        pp->n_votes = 4;
        for (size_t t = 0; t < 4; t++)
            pp->votes[t] = (struct alloc_vote){t, 1};
    }
    return p;
}

static void test_solve_every_topic_runs(void **state)
{
    struct alloc_problem *p = every_topic_problem();
    struct alloc_options opt = {1, 20000, NULL, NULL};
    struct alloc_result *r = NULL;
    struct brute_lev best;
    (void)state;
    assert_int_equal(alloc_solve(p, &opt, &r, NULL), FORUM_OK);
    check_result(p, r);
    assert_int_equal(r->score.scheduled, 4);
    assert_true(brute_optimum_lev(p, &best));
    assert_int_equal(r->score.satisfied, best.sat);
    alloc_result_free(r);
    /* votes_first keeps v1's answer: fewer topics, more votes. */
    p->objective = ALLOC_VOTES_FIRST;
    assert_int_equal(alloc_solve(p, &opt, &r, NULL), FORUM_OK);
    check_result(p, r);
    assert_true(brute_optimum_lev(p, &best));
    assert_int_equal(r->score.satisfied, best.sat);
    assert_int_equal(r->score.scheduled, best.sched);
    assert_true(best.sched < 4);
    alloc_result_free(r);
    alloc_problem_free(p);
}

/* The reasons of contract v2: a block with no open room, a group too big for
 * its voters, and a topic that would cost votes (votes_first). */
static void test_solve_why_v2(void **state)
{
    struct alloc_problem *p = every_topic_problem();
    struct alloc_options opt = {1, 20000, NULL, NULL};
    struct alloc_result *r = NULL;
    (void)state;
    /* T1 may use S2 only, where every room is closed. */
    p->topics[0].has_slots = true;
    p->topics[0].slots = gen_list(1, (const size_t[]){1});
    p->topics[0].n_slots = 1;
    for (size_t k = 0; k < 3; k++) {
        free(p->rooms[k].unavailable);
        p->rooms[k].unavailable = gen_list(1, (const size_t[]){1});
        p->rooms[k].n_unavailable = 1;
    }
    /* T2 runs as groups of at least 8: only 6 people are there. */
    p->topics[1].has_groups = true;
    p->topics[1].groups = (struct alloc_groups){2, 8, 9};
    assert_int_equal(alloc_solve(p, &opt, &r, NULL), FORUM_OK);
    check_result(p, r);
    assert_int_equal(r->n_unscheduled, 2);
    assert_int_equal(r->unscheduled[0], 0);
    assert_int_equal(r->why[0], ALLOC_WHY_NO_SLOT);
    assert_int_equal(r->unscheduled[1], 1);
    assert_int_equal(r->why[1], ALLOC_WHY_TOO_FEW_PEOPLE);
    assert_string_equal(alloc_why_name(r->why[0]), "no_slot");
    assert_string_equal(alloc_why_name(r->why[1]), "too_few_people");
    alloc_result_free(r);
    /* Groups of 2..9 now: T2 can run. Under votes_first two rooms of S1 stay
     * free: T3 or T4 there would take its host away from T2, where everyone
     * but T2's host sits (5 votes; 4 with two sessions, 3 with three). */
    p->topics[1].groups = (struct alloc_groups){2, 2, 9};
    p->objective = ALLOC_VOTES_FIRST;
    assert_int_equal(alloc_solve(p, &opt, &r, NULL), FORUM_OK);
    check_result(p, r);
    assert_int_equal(r->score.satisfied, 5); /* everyone but T2's host, in T2 */
    assert_int_equal(r->n_unscheduled, 3);
    assert_int_equal(r->why[1], ALLOC_WHY_COSTS_VOTES);
    assert_int_equal(r->why[2], ALLOC_WHY_COSTS_VOTES);
    alloc_result_free(r);
    alloc_problem_free(p);
}

/* A fixed group topic whose group cannot be filled: no valid solution exists,
 * so the problem is refused, naming the topic's fixed placement. */
static void test_solve_fixed_group_unfillable(void **state)
{
    struct alloc_problem *p = every_topic_problem();
    struct alloc_result *r = (struct alloc_result *)1;
    struct forum_error err;
    (void)state;
    p->topics[2].has_groups = true;
    p->topics[2].groups = (struct alloc_groups){1, 7, 8};
    p->topics[2].fixed_room = 0;
    p->topics[2].fixed_slot = 0;
    forum_error_clear(&err);
    assert_int_equal(alloc_solve(p, NULL, &r, &err), FORUM_EINVAL);
    assert_null(r);
    assert_string_equal(err.field, "topics[2].fixed");
    /* With 6 people a group of 6 fits: it runs, group 1 at its cell. */
    p->topics[2].groups.size_min = 6;
    struct alloc_options opt = {1, 5000, NULL, NULL};
    assert_int_equal(alloc_solve(p, &opt, &r, &err), FORUM_OK);
    check_result(p, r);
    alloc_result_free(r);
    alloc_problem_free(p);
}

static void test_solve_why(void **state)
{
    struct alloc_problem *p = hand_problem();
    struct alloc_options opt = {1, 5000, NULL, NULL};
    struct alloc_result *r = NULL;
    (void)state;
    assert_int_equal(alloc_solve(p, &opt, &r, NULL), FORUM_OK);
    check_result(p, r);
    assert_int_equal(r->score.satisfied, 5);
    assert_int_equal(r->score.demand, 6);
    assert_int_equal(r->n_unscheduled, 2);
    assert_int_equal(r->unscheduled[0], 1); /* T2: two hosts, max_size 1 */
    assert_int_equal(r->why[0], ALLOC_WHY_NO_ROOM);
    assert_int_equal(r->unscheduled[1], 3); /* T4: its only cell went to T1 */
    assert_int_equal(r->why[1], ALLOC_WHY_NO_VOTES);
    assert_string_equal(alloc_why_name(r->why[0]), "no_room");
    assert_non_null(strstr(alloc_why_str(r->why[0]), "room"));
    alloc_result_free(r);

    /* P1 away in S2 instead: T1 and T4 both fit in S1 (R1 and R2) but share
     * their host, so one of them has a free cell and a busy host. */
    p->participants[0].unavailable[0] = 1;
    assert_int_equal(alloc_solve(p, &opt, &r, NULL), FORUM_OK);
    check_result(p, r);
    assert_int_equal(r->n_unscheduled, 2);
    assert_int_equal(r->why[1], ALLOC_WHY_HOSTS_BUSY);
    alloc_result_free(r);

    /* P1 away in both slots: neither T1 nor T4 can ever run. */
    free(p->participants[0].unavailable);
    p->participants[0].unavailable = gen_list(2, (const size_t[]){0, 1});
    p->participants[0].n_unavailable = 2;
    assert_int_equal(alloc_solve(p, &opt, &r, NULL), FORUM_OK);
    check_result(p, r);
    assert_int_equal(r->n_unscheduled, 3);
    assert_int_equal(r->unscheduled[0], 0);
    assert_int_equal(r->why[0], ALLOC_WHY_HOSTS_UNAVAILABLE);
    assert_int_equal(r->unscheduled[2], 3);
    assert_int_equal(r->why[2], ALLOC_WHY_HOSTS_UNAVAILABLE);
    alloc_result_free(r);
    alloc_problem_free(p);
}

static void assert_same_result(const struct alloc_result *a, const struct alloc_result *b)
{
    assert_int_equal(a->n_sessions, b->n_sessions);
    assert_int_equal(a->iterations, b->iterations);
    assert_memory_equal(&a->score, &b->score, sizeof a->score);
    for (size_t i = 0; i < a->n_sessions; i++) {
        assert_int_equal(a->sessions[i].topic, b->sessions[i].topic);
        assert_int_equal(a->sessions[i].group, b->sessions[i].group);
        assert_int_equal(a->sessions[i].room, b->sessions[i].room);
        assert_int_equal(a->sessions[i].slot, b->sessions[i].slot);
        assert_int_equal(a->sessions[i].n_attendees, b->sessions[i].n_attendees);
        assert_memory_equal(a->sessions[i].attendees, b->sessions[i].attendees,
                            a->sessions[i].n_attendees * sizeof(size_t));
    }
}

static void test_solve_deterministic(void **state)
{
    struct alloc_problem *p = gen_problem(11, 4, 4, 14, 60, 12, true);
    gen_v2(p, 11, true, true, true);
    struct alloc_options opt = {42, 50000, NULL, NULL};
    struct alloc_result *a = NULL, *b = NULL;
    (void)state;
    assert_int_equal(alloc_solve(p, &opt, &a, NULL), FORUM_OK);
    assert_int_equal(alloc_solve(p, &opt, &b, NULL), FORUM_OK);
    assert_same_result(a, b);
    assert_true(a->iterations >= 50000);
    alloc_result_free(a);
    alloc_result_free(b);
    alloc_problem_free(p);
}

struct stop_after {
    int calls, limit;
};

static bool stop_cb(void *cls)
{
    struct stop_after *s = cls;
    return ++s->calls >= s->limit;
}

/* The callback runs only at fixed step boundaries, so the same answers give
 * the same result. */
static void test_solve_should_stop(void **state)
{
    struct alloc_problem *p = gen_problem(5, 3, 3, 10, 40, 8, false);
    struct stop_after s1 = {0, 5}, s2 = {0, 5};
    struct alloc_options o1 = {3, 0, stop_cb, &s1}, o2 = {3, 0, stop_cb, &s2};
    struct alloc_result *a = NULL, *b = NULL;
    (void)state;
    assert_int_equal(alloc_solve(p, &o1, &a, NULL), FORUM_OK);
    assert_int_equal(alloc_solve(p, &o2, &b, NULL), FORUM_OK);
    assert_int_equal(s1.calls, 5);
    assert_true(a->iterations <= 5 * ALLOC_STOP_CHECK_EVERY + 64 * 1024);
    check_result(p, a);
    assert_same_result(a, b);
    alloc_result_free(a);
    alloc_result_free(b);
    alloc_problem_free(p);
}

static void test_solve_rejects_bad_fixed(void **state)
{
    struct alloc_problem *p = hand_problem();
    struct alloc_result *r = (struct alloc_result *)1;
    struct forum_error err;
    (void)state;
    p->topics[2].fixed_room = 1; /* T3 in R2 ... */
    p->topics[2].fixed_slot = 1; /* ... in S2, where R2 is closed */
    forum_error_clear(&err);
    assert_int_equal(alloc_solve(p, NULL, &r, &err), FORUM_EINVAL);
    assert_null(r);
    assert_string_equal(err.field, "topics[2].fixed");
    alloc_problem_free(p);
}

/* Every allocation of alloc_solve() fails in turn: FORUM_ENOMEM each time,
 * no result, nothing leaked; then it succeeds. */
static void test_solve_fail_each_allocation(void **state)
{
    struct alloc_problem *p = gen_problem(9, 3, 3, 8, 25, 6, true);
    gen_v2(p, 9, true, true, true);
    struct alloc_options opt = {1, 3000, NULL, NULL};
    struct alloc_result *r = NULL;
    (void)state;
    forum_mem_fail_nth(0);
    forum_mem_fail_nth(1000000000ul); /* count without failing */
    assert_int_equal(alloc_solve(p, &opt, &r, NULL), FORUM_OK);
    unsigned long total = forum_mem_count();
    alloc_result_free(r);
    assert_true(total > 10);
    for (unsigned long n = 1; n <= total; n++) {
        struct forum_error err;
        forum_error_clear(&err);
        r = (struct alloc_result *)1;
        forum_mem_fail_nth(n);
        enum forum_status rc = alloc_solve(p, &opt, &r, &err);
        forum_mem_fail_nth(0);
        assert_int_equal(rc, FORUM_ENOMEM);
        assert_null(r);
        assert_int_equal(err.code, FORUM_ENOMEM);
    }
    forum_mem_fail_nth(total + 1);
    assert_int_equal(alloc_solve(p, &opt, &r, NULL), FORUM_OK);
    forum_mem_fail_nth(0);
    check_result(p, r);
    alloc_result_free(r);
    alloc_problem_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_solve_random_valid),
        cmocka_unit_test(test_solve_random_v2_valid),
        cmocka_unit_test(test_solve_every_topic_runs),
        cmocka_unit_test(test_solve_why_v2),
        cmocka_unit_test(test_solve_fixed_group_unfillable),
        cmocka_unit_test(test_solve_why),
        cmocka_unit_test(test_solve_deterministic),
        cmocka_unit_test(test_solve_should_stop),
        cmocka_unit_test(test_solve_rejects_bad_fixed),
        cmocka_unit_test(test_solve_fail_each_allocation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
