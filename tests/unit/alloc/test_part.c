/* SPDX-License-Identifier: MIT */
/*
 * The partition search (part.c): it applies only where rooms do not matter
 * and votes weigh the same; its placements keep the hard rules and the fixed
 * topics, reach the brute-force optimum on tiny instances, and are a function
 * of the seed and the number of steps.
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

/* A random problem made partition-like: no hosts, no topic needs or max_size,
 * rooms without features that seat everyone, every weight 1. Some people need
 * a feature no room has (they can attend nothing); availability is kept. */
static struct alloc_problem *gen_partition(uint64_t seed, size_t S, size_t R, size_t T,
                                           size_t P)
{
    struct alloc_problem *p = gen_problem(seed, S, R, T, P, 1, true);
    for (size_t t = 0; t < T; t++) {
        p->topics[t].n_hosts = 0;
        p->topics[t].n_needs = 0;
        p->topics[t].has_max_size = false;
    }
    for (size_t r = 0; r < R; r++) {
        p->rooms[r].n_features = 0;
        p->rooms[r].capacity = (uint32_t)P + 1;
    }
    for (size_t i = 0; i < P; i++)
        for (size_t v = 0; v < p->participants[i].n_votes; v++)
            p->participants[i].votes[v].weight = 1;
    return p;
}

struct budget {
    uint64_t left;
    uint64_t calls;
};

static bool spend(void *cls, uint64_t units)
{
    struct budget *b = cls;
    b->calls++;
    if (b->left <= units)
        return true;
    b->left -= units;
    return false;
}

/* Runs the search from the fixed topics alone; returns the exact score. */
static int64_t run_part(const struct alloc__model *m, uint64_t seed, uint64_t steps,
                        int32_t *place)
{
    struct budget b = {steps, 0};
    struct alloc__state st;
    struct alloc__seat_work sw = {0};
    int64_t sat = 0;

    for (int32_t t = 0; t < m->T; t++)
        place[t] = m->fixed_cell[t];
    assert_int_equal(alloc__part_search(m, place, seed, spend, &b), FORUM_OK);
    assert_true(b.calls >= steps / 256);
    /* Hard rules: fixed topics kept, allowed and distinct cells. */
    int32_t *seen = calloc((size_t)m->C + 1, sizeof *seen);
    assert_non_null(seen);
    for (int32_t t = 0; t < m->T; t++) {
        if (m->fixed_cell[t] >= 0)
            assert_int_equal(place[t], m->fixed_cell[t]);
        if (place[t] < 0)
            continue;
        assert_true(alloc__cell_allowed(m, t, place[t]));
        assert_int_equal(seen[place[t]]++, 0);
    }
    free(seen);
    assert_int_equal(alloc__state_init(&st, m), FORUM_OK);
    assert_int_equal(alloc__state_load(&st, place), FORUM_OK);
    assert_int_equal(alloc__seat_work_init(&sw, m), FORUM_OK);
    for (int32_t s = 0; s < m->S; s++) {
        struct alloc__seating o;
        assert_int_equal(alloc__seat_slot(m, st.cell_unit, s, &o, NULL, &sw), FORUM_OK);
        assert_int_equal(o.missing, 0);
        sat += o.sat;
    }
    alloc__seat_work_release(&sw);
    alloc__state_release(&st);
    return sat;
}

static void test_part_applies(void **state)
{
    (void)state;
    struct alloc_problem *p = gen_partition(1, 3, 2, 5, 12);
    struct alloc__model m;
    assert_int_equal(alloc__model_init(&m, p), FORUM_OK);
    assert_true(alloc__part_applies(&m));
    alloc__model_release(&m);
    /* A weight of 2 somewhere: votes no longer weigh the same. */
    for (size_t i = 0; i < p->n_participants; i++)
        if (p->participants[i].n_votes > 0) {
            p->participants[i].votes[0].weight = 2;
            break;
        }
    assert_int_equal(alloc__model_init(&m, p), FORUM_OK);
    assert_false(alloc__part_applies(&m));
    alloc__model_release(&m);
    alloc_problem_free(p);
    /* A host, or a room too small: rooms matter. */
    p = gen_partition(2, 3, 2, 5, 12);
    p->topics[0].hosts[0] = 0;
    p->topics[0].n_hosts = 1;
    assert_int_equal(alloc__model_init(&m, p), FORUM_OK);
    assert_false(alloc__part_applies(&m));
    alloc__model_release(&m);
    p->topics[0].n_hosts = 0;
    p->rooms[1].capacity = 1;
    assert_int_equal(alloc__model_init(&m, p), FORUM_OK);
    assert_false(alloc__part_applies(&m));
    alloc__model_release(&m);
    alloc_problem_free(p);
}

/* Tiny instances: the optimum, by enumeration, on every one. */
static void test_part_reaches_optimum(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 30; seed++) {
        size_t S = 2 + seed % 2, R = 1 + seed % 2, T = 3 + seed % 3, P = 8 + seed % 7;
        struct alloc_problem *p = gen_partition(seed, S, R, T, P);
        struct alloc__model m;
        int32_t place[8];
        int64_t sched;
        assert_int_equal(alloc__model_init(&m, p), FORUM_OK);
        assert_true(alloc__part_applies(&m));
        int64_t got = run_part(&m, seed, 20000, place);
        assert_int_equal(got, brute_optimum(p, &sched));
        alloc__model_release(&m);
        alloc_problem_free(p);
    }
}

/* The same seed and step budget give the same placement; a bigger instance. */
static void test_part_deterministic(void **state)
{
    (void)state;
    struct alloc_problem *p = gen_partition(7, 6, 3, 16, 60);
    struct alloc__model m;
    int32_t a[16], b[16];
    assert_int_equal(alloc__model_init(&m, p), FORUM_OK);
    assert_true(alloc__part_applies(&m));
    int64_t va = run_part(&m, 5, 50000, a);
    int64_t vb = run_part(&m, 5, 50000, b);
    assert_int_equal(va, vb);
    assert_memory_equal(a, b, sizeof a);
    alloc__model_release(&m);
    alloc_problem_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_part_applies),
        cmocka_unit_test(test_part_reaches_optimum),
        cmocka_unit_test(test_part_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
