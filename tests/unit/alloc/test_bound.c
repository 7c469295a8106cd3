/* SPDX-License-Identifier: MIT */
/*
 * The bound and the search on tiny problems whose lexicographic optimum is
 * found by enumerating every placement (gen.h), under both objectives, with
 * groups, allowed slots and previous schedules: the bound is never below the
 * optimum's satisfied weight, and the solver reaches every level.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gen.h"
#include "internal.h"

/* Solves p and compares every level with the brute-force optimum; checks the
 * bound against the optimum's satisfied weight. */
static void check_optimum(struct alloc_problem *p, uint64_t seed)
{
    struct alloc__model m;
    struct brute_lev opt;
    bool valid = brute_optimum_lev(p, &opt);
    assert_int_equal(alloc__model_init(&m, p), FORUM_OK);
    int64_t bound = -1;
    assert_int_equal(alloc__bound(&m, &bound), FORUM_OK);
    assert_true(bound <= m.demand);
    struct alloc_options o = {seed, 30000, NULL, NULL};
    struct alloc_result *r = NULL;
    struct forum_error err;
    enum forum_status rc = alloc_solve(p, &o, &r, &err);
    if (!valid) {
        /* Only fixed groups that cannot be filled make a problem without solution. */
        assert_int_equal(rc, FORUM_EINVAL);
        assert_non_null(strstr(err.field, ".fixed"));
    } else {
        assert_int_equal(rc, FORUM_OK);
        if (r->score.scheduled != opt.sched || r->score.satisfied != opt.sat ||
            r->score.moved != (int64_t)p->n_previous - opt.kept)
            print_message("seed %d objective %d: got %d/%d/%d, optimum %d/%d/%d\n",
                          (int)seed, (int)p->objective, (int)r->score.scheduled,
                          (int)r->score.moved, (int)r->score.satisfied, (int)opt.sched,
                          (int)((int64_t)p->n_previous - opt.kept), (int)opt.sat);
        assert_true(bound >= opt.sat);
        assert_int_equal(r->score.scheduled, opt.sched);
        assert_int_equal(r->score.moved, (int64_t)p->n_previous - opt.kept);
        assert_int_equal(r->score.satisfied, opt.sat);
        assert_int_equal(r->score.bound, bound);
        assert_int_equal(r->score.demand, m.demand);
    }
    alloc_result_free(r);
    alloc__model_release(&m);
}

static void test_bound_never_below_optimum(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        size_t S = 2 + seed % 2, R = 2, T = 3 + seed % 3, P = 4 + seed % 6;
        struct alloc_problem *p = gen_problem(seed, S, R, T, P, 4, seed % 3 == 0);
        for (int obj = 0; obj < 2; obj++) {
            p->objective = obj ? ALLOC_VOTES_FIRST : ALLOC_TOPICS_FIRST;
            check_optimum(p, seed);
        }
        alloc_problem_free(p);
    }
}

/* Contract v2: groups, allowed slots and a previous schedule, both objectives. */
static void test_bound_v2_optimum(void **state)
{
    int groups = 0;
    (void)state;
    for (uint64_t seed = 1; seed <= 80; seed++) {
        size_t S = 2, R = 2 + (seed % 5 == 0), T = 3 + seed % 3, P = 4 + seed % 7;
        struct alloc_problem *p = gen_problem(seed, S, R, T, P, 5, seed % 4 == 0);
        gen_v2(p, seed, true, seed % 2 == 0, seed % 3 != 0);
        for (size_t t = 0; t < T; t++)
            groups += p->topics[t].has_groups;
        for (int obj = 0; obj < 2; obj++) {
            p->objective = obj ? ALLOC_VOTES_FIRST : ALLOC_TOPICS_FIRST;
            check_optimum(p, seed);
        }
        alloc_problem_free(p);
    }
    assert_true(groups > 60);
}

/* On the hand-built problem everything is known: optimum 5 of 6. */
static void test_bound_hand(void **state)
{
    struct alloc_problem *p = hand_problem();
    struct alloc__model m;
    int64_t sched;
    (void)state;
    assert_int_equal(alloc__model_init(&m, p), FORUM_OK);
    /* T1 (P2: 2) and T3 (P4: 2, P1 and P2: 1 each); P2 wants both, P1 can only
     * come in S2 where it hosts T1 or T4: at best 2 + 2 + 1 = 5. */
    assert_int_equal(brute_optimum(p, &sched), 5);
    int64_t bound = -1;
    assert_int_equal(alloc__bound(&m, &bound), FORUM_OK);
    assert_true(bound >= 5);
    alloc__model_release(&m);
    alloc_problem_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bound_never_below_optimum),
        cmocka_unit_test(test_bound_v2_optimum),
        cmocka_unit_test(test_bound_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
