/* SPDX-License-Identifier: MIT */
/*
 * alloc_solve() as a whole: the hard rules on random problems, the reasons
 * for unscheduled topics, determinism, the stop callback, and failing each
 * allocation in turn (FORUM_ENOMEM, nothing leaked: run under ASan).
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

/* Checks the hard rules of design/ALLOCATOR.md and recomputes the score. */
static void check_result(const struct alloc_problem *p, const struct alloc_result *r)
{
    size_t S = p->n_slots, P = p->n_participants;
    uint8_t *busy = calloc(P * S + 1, 1);
    uint8_t *cell = calloc(p->n_rooms * S + 1, 1);
    uint8_t *placed = calloc(p->n_topics + 1, 1);
    int64_t sat = 0;

    assert_non_null(busy);
    assert_non_null(cell);
    assert_non_null(placed);
    for (size_t i = 0; i < r->n_sessions; i++) {
        const struct alloc_session *se = &r->sessions[i];
        const struct alloc_topic *t = &p->topics[se->topic];
        const struct alloc_room *room = &p->rooms[se->room];
        assert_false(cell[se->room * S + se->slot]);
        cell[se->room * S + se->slot] = 1;
        assert_false(placed[se->topic]);
        placed[se->topic] = 1;
        if (t->fixed_room != ALLOC_NONE) {
            assert_int_equal(t->fixed_room, se->room);
            assert_int_equal(t->fixed_slot, se->slot);
        }
        for (size_t k = 0; k < t->n_needs; k++)
            assert_true(has(room->features, room->n_features, t->needs[k]));
        assert_false(has(room->unavailable, room->n_unavailable, se->slot));
        size_t cap = room->capacity;
        if (t->has_max_size && t->max_size < cap)
            cap = t->max_size;
        assert_true(se->n_attendees <= cap);
        for (size_t h = 0; h < t->n_hosts; h++)
            assert_int_equal(se->attendees[h], t->hosts[h]); /* hosts first */
        for (size_t a = 0; a < se->n_attendees; a++) {
            size_t q = se->attendees[a];
            const struct alloc_participant *pp = &p->participants[q];
            assert_false(busy[q * S + se->slot]);
            busy[q * S + se->slot] = 1;
            assert_false(has(pp->unavailable, pp->n_unavailable, se->slot));
            for (size_t k = 0; k < pp->n_needs; k++)
                assert_true(has(room->features, room->n_features, pp->needs[k]));
            bool host = has(t->hosts, t->n_hosts, q), voted = false;
            for (size_t v = 0; v < pp->n_votes; v++)
                if (pp->votes[v].topic == se->topic && pp->votes[v].weight > 0) {
                    voted = true;
                    if (!host)
                        sat += pp->votes[v].weight;
                }
            assert_true(host || voted);
        }
    }
    for (size_t t = 0; t < p->n_topics; t++)
        if (p->topics[t].fixed_room != ALLOC_NONE)
            assert_true(placed[t]);
    assert_int_equal(r->n_sessions + r->n_unscheduled, p->n_topics);
    for (size_t i = 0; i < r->n_unscheduled; i++)
        assert_false(placed[r->unscheduled[i]]);
    assert_int_equal(sat, r->score.satisfied);
    assert_int_equal((int64_t)r->n_sessions, r->score.scheduled);
    assert_true(r->score.bound >= r->score.satisfied);
    free(busy);
    free(cell);
    free(placed);
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
        cmocka_unit_test(test_solve_why),
        cmocka_unit_test(test_solve_deterministic),
        cmocka_unit_test(test_solve_should_stop),
        cmocka_unit_test(test_solve_rejects_bad_fixed),
        cmocka_unit_test(test_solve_fail_each_allocation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
