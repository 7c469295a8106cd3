/* SPDX-License-Identifier: MIT */
/*
 * The incremental evaluation of the local search: after thousands of random
 * moves (relocations, swaps, unplacements, some undone), the state must equal
 * a state rebuilt from scratch from the same placement, and each move's
 * delta must equal the change of the recomputed total.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gen.h"
#include "internal.h"

/* Draws a random legal move; false when the draw is not legal. */
static bool random_move(struct alloc__rng *r, const struct alloc__state *st, int *n,
                        int32_t *t, int32_t *to)
{
    const struct alloc__model *m = st->m;
    int32_t a = (int32_t)alloc__rng_below(r, (uint32_t)m->T);
    if (!m->movable[a])
        return false;
    int32_t from = st->place[a];
    if (from >= 0 && alloc__rng_unit(r) < 0.1) {
        *n = 1;
        t[0] = a;
        to[0] = -1;
        return true;
    }
    int32_t c = (int32_t)alloc__rng_below(r, (uint32_t)m->C);
    if (c == from || !alloc__cell_allowed(m, a, c))
        return false;
    int32_t b = st->cell_topic[c];
    if (b < 0) {
        if (!alloc__state_hosts_ok(st, a, c, -1, -1))
            return false;
        *n = 1;
        t[0] = a;
        to[0] = c;
        return true;
    }
    if (m->fixed_cell[b] >= 0 || (from >= 0 && !alloc__cell_allowed(m, b, from)))
        return false;
    if (!alloc__state_hosts_ok(st, a, c, b, -1) ||
        (from >= 0 && !alloc__state_hosts_ok(st, b, from, a, -1)))
        return false;
    *n = 2;
    t[0] = a;
    to[0] = c;
    t[1] = b;
    to[1] = from;
    return true;
}

static void assert_same_state(const struct alloc__state *a, const struct alloc__state *b)
{
    const struct alloc__model *m = a->m;
    size_t ps = (size_t)m->P * (size_t)m->S;
    assert_memory_equal(a->place, b->place, (size_t)m->T * sizeof *a->place);
    assert_memory_equal(a->cell_topic, b->cell_topic,
                        (size_t)m->C * sizeof *a->cell_topic);
    assert_memory_equal(a->hosting, b->hosting, ps);
    assert_true(fabs(a->total - b->total) < 1e-6);
    if (a->fast) {
        assert_memory_equal(a->fmax, b->fmax, ps * sizeof *a->fmax);
        assert_memory_equal(a->fcnt_max, b->fcnt_max, ps * sizeof *a->fcnt_max);
        assert_memory_equal(a->fcnt, b->fcnt, ps * sizeof *a->fcnt);
        return;
    }
    assert_memory_equal(a->choice, b->choice, ps * sizeof *a->choice);
    assert_memory_equal(a->choice_w, b->choice_w, ps * sizeof *a->choice_w);
    assert_memory_equal(a->chosen, b->chosen, (size_t)m->T * sizeof *a->chosen);
    assert_memory_equal(a->wsum, b->wsum, (size_t)m->T * sizeof *a->wsum);
    assert_true(fabs(a->total - b->total) < 1e-6);
}

static void run(uint64_t seed, size_t S, size_t R, size_t T, size_t P, bool roomy)
{
    /* roomy: rooms seat everyone and no max_size, so the state runs in fast mode. */
    struct alloc_problem *p = gen_problem(seed, S, R, T, P, roomy ? 1 : 8, true);
    struct alloc__model m;
    struct alloc__state st, fresh;
    struct alloc__rng r;
    int32_t *place = calloc(T + 1, sizeof *place);
    int moves = 0, undone = 0;

    assert_non_null(place);
    if (roomy)
        for (size_t i = 0; i < R; i++)
            p->rooms[i].capacity = (uint32_t)P + 10;
    for (size_t t = 0; roomy && t < T; t++)
        p->topics[t].has_max_size = false;
    assert_int_equal(alloc__model_init(&m, p), FORUM_OK);
    assert_int_equal(alloc__state_init(&st, &m), FORUM_OK);
    assert_int_equal(alloc__state_init(&fresh, &m), FORUM_OK);
    assert_int_equal(st.fast, roomy);
    for (int32_t t = 0; t < m.T; t++)
        place[t] = m.fixed_cell[t];
    assert_int_equal(alloc__state_load(&st, place), FORUM_OK);
    alloc__rng_seed(&r, seed * 31 + 1);
    for (int iter = 0; iter < 4000; iter++) {
        int n;
        int32_t t[2], to[2];
        if (!random_move(&r, &st, &n, t, to))
            continue;
        double before = alloc__state_recompute_total(&st), d;
        assert_int_equal(alloc__state_move(&st, n, t, to, &d), FORUM_OK);
        double after = alloc__state_recompute_total(&st);
        assert_true(fabs((after - before) - d) < 1e-6);
        assert_true(fabs(after - st.total) < 1e-6);
        moves++;
        if (alloc__rng_unit(&r) < 0.3) {
            alloc__state_undo(&st);
            undone++;
            assert_true(fabs(alloc__state_recompute_total(&st) - before) < 1e-6);
        }
        if (iter % 200 == 0) {
            assert_int_equal(alloc__state_load(&fresh, st.place), FORUM_OK);
            assert_same_state(&st, &fresh);
        }
    }
    assert_int_equal(alloc__state_load(&fresh, st.place), FORUM_OK);
    assert_same_state(&st, &fresh);
    assert_true(moves > 500);
    assert_true(undone > 100);
    alloc__state_release(&st);
    alloc__state_release(&fresh);
    alloc__model_release(&m);
    alloc_problem_free(p);
    free(place);
}

static void test_state_delta_matches_recompute(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 6; seed++)
        run(seed, 2 + seed % 3, 2 + seed % 2, 10 + seed, 30 + 5 * seed, false);
}

/* The same in fast mode (no room can overflow): counters instead of choices. */
static void test_state_fast_mode_matches_recompute(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 6; seed++)
        run(seed, 2 + seed % 3, 2 + seed % 2, 10 + seed, 30 + 5 * seed, true);
}

/* The host rule: two topics with a common host never share a slot. */
static void test_state_hosts_ok(void **state)
{
    struct alloc_problem *p = gen_problem(3, 2, 2, 2, 4, 5, false);
    struct alloc__model m;
    struct alloc__state st;
    (void)state;
    /* Both topics hosted by P1, no needs, no limits, everything available. */
    for (size_t t = 0; t < 2; t++) {
        p->topics[t].n_hosts = 1;
        p->topics[t].hosts[0] = 0;
        p->topics[t].n_needs = 0;
        p->topics[t].has_max_size = false;
    }
    for (size_t r = 0; r < 2; r++) {
        p->rooms[r].n_unavailable = 0;
        p->rooms[r].capacity = 5;
    }
    p->participants[0].n_unavailable = 0;
    p->participants[0].n_needs = 0;
    assert_int_equal(alloc__model_init(&m, p), FORUM_OK);
    assert_int_equal(alloc__state_init(&st, &m), FORUM_OK);
    int32_t place[2] = {0, -1}; /* T1 in S1/R1 */
    assert_int_equal(alloc__state_load(&st, place), FORUM_OK);
    assert_false(alloc__state_hosts_ok(&st, 1, 1, -1, -1)); /* S1/R2: same slot */
    assert_true(alloc__state_hosts_ok(&st, 1, 2, -1, -1));  /* S2/R1 */
    assert_true(alloc__state_hosts_ok(&st, 1, 1, 0, -1));   /* fine if T1 moves away */
    assert_true(alloc__state_hosts_ok(&st, 0, 1, -1, -1));  /* T1 itself, other room */
    alloc__state_release(&st);
    alloc__model_release(&m);
    alloc_problem_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_delta_matches_recompute),
        cmocka_unit_test(test_state_fast_mode_matches_recompute),
        cmocka_unit_test(test_state_hosts_ok),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
