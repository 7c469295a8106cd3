/* SPDX-License-Identifier: MIT */
/*
 * The bound and the search on tiny problems whose optimum is found by
 * enumerating every placement: the bound is never below the optimum, and
 * the solver reaches it.
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

static void test_bound_never_below_optimum(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        size_t S = 2 + seed % 2, R = 2, T = 3 + seed % 3, P = 4 + seed % 6;
        struct alloc_problem *p = gen_problem(seed, S, R, T, P, 4, seed % 3 == 0);
        struct alloc__model m;
        int64_t sched, opt = brute_optimum(p, &sched);
        assert_int_equal(alloc__model_init(&m, p), FORUM_OK);
        int64_t bound = -1;
        assert_int_equal(alloc__bound(&m, &bound), FORUM_OK);
        assert_true(opt >= 0);
        assert_true(bound >= opt);
        assert_true(bound <= m.demand);

        struct alloc_options opt_s = {seed, 30000, NULL, NULL};
        struct alloc_result *r = NULL;
        assert_int_equal(alloc_solve(p, &opt_s, &r, NULL), FORUM_OK);
        assert_int_equal(r->score.satisfied, opt);
        assert_int_equal(r->score.scheduled, sched);
        assert_int_equal(r->score.bound, bound);
        assert_int_equal(r->score.demand, m.demand);
        alloc_result_free(r);
        alloc__model_release(&m);
        alloc_problem_free(p);
    }
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
        cmocka_unit_test(test_bound_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
