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

/* True when topic t's hosts are free in slot s, ignoring t and ex (-1: none). */
static bool free_hosts(const struct alloc__state *st, int32_t t, int32_t s, int32_t ex)
{
    return alloc__state_hosts_ok(st, t, s, ex, -1);
}

/*
 * Draws a random legal move of units: a topic takes a new configuration (out,
 * or k groups in free allowed rooms of one allowed slot; a fixed topic keeps
 * its first unit), or two one-session topics swap cells. Fills n, u[], to[];
 * false when the draw is not legal.
 */
static bool random_move(struct alloc__rng *r, const struct alloc__state *st, int *n,
                        int32_t *u, int32_t *to)
{
    const struct alloc__model *m = st->m;
    int32_t a = (int32_t)alloc__rng_below(r, (uint32_t)m->T);
    bool fixed = m->fixed_cell[a] >= 0;
    if (!m->movable[a] && !(fixed && m->gmax[a] > 1))
        return false;
    int32_t base = m->unit_start[a], k = st->tk[a];
    *n = 0;
    if (!fixed && st->tk[a] == 1 && alloc__rng_unit(r) < 0.3) {
        /* A swap with another one-session topic. */
        int32_t c = (int32_t)alloc__rng_below(r, (uint32_t)m->C), from = st->place[base];
        int32_t ub = st->cell_unit[c];
        if (ub < 0 || c == from)
            return false;
        int32_t b = m->unit_topic[ub];
        if (b == a || m->fixed_cell[b] >= 0 || st->tk[b] != 1 ||
            !alloc__cell_allowed(m, a, c) || !alloc__cell_allowed(m, b, from) ||
            !free_hosts(st, a, c / m->R, b) || !free_hosts(st, b, from / m->R, a))
            return false;
        u[0] = base;
        to[0] = c;
        u[1] = ub;
        to[1] = from;
        *n = 2;
        return true;
    }
    if (!fixed && alloc__rng_unit(r) < 0.15) {
        for (int32_t j = 0; j < k; j++) {
            u[*n] = base + j;
            to[(*n)++] = -1;
        }
        return *n > 0;
    }
    int32_t s =
        fixed ? m->fixed_cell[a] / m->R : (int32_t)alloc__rng_below(r, (uint32_t)m->S);
    if (!m->topic_slot_ok[(size_t)a * (size_t)m->S + (size_t)s] ||
        !free_hosts(st, a, s, -1))
        return false;
    int32_t want = 1 + (int32_t)alloc__rng_below(r, (uint32_t)m->gmax[a]), got = 0;
    if (fixed) {
        got = 1; /* unit 0 stays at its fixed cell */
    }
    for (int32_t room = 0; room < m->R && got < want; room++) {
        int32_t c = s * m->R + room, occ = st->cell_unit[c];
        bool own = occ >= 0 && m->unit_topic[occ] == a;
        if (!alloc__cell_allowed(m, a, c) || (occ >= 0 && !own) ||
            c == m->fixed_cell[a] || alloc__rng_unit(r) < 0.3)
            continue;
        u[*n] = base + got;
        to[(*n)++] = c;
        got++;
    }
    if (got == 0 || (fixed && got == 1))
        return false;
    for (int32_t j = got; j < k; j++) {
        u[*n] = base + j;
        to[(*n)++] = -1;
    }
    return true;
}

static void assert_same_state(const struct alloc__state *a, const struct alloc__state *b)
{
    const struct alloc__model *m = a->m;
    size_t ps = (size_t)m->P * (size_t)m->S;
    assert_memory_equal(a->place, b->place, (size_t)m->U * sizeof *a->place);
    assert_memory_equal(a->cell_unit, b->cell_unit, (size_t)m->C * sizeof *a->cell_unit);
    assert_memory_equal(a->cell_topic, b->cell_topic,
                        (size_t)m->C * sizeof *a->cell_topic);
    assert_memory_equal(a->hosting, b->hosting, ps);
    assert_memory_equal(a->tk, b->tk, (size_t)m->T * sizeof *a->tk);
    assert_memory_equal(a->feas, b->feas, (size_t)m->T);
    assert_memory_equal(a->kept, b->kept, (size_t)m->T * sizeof *a->kept);
    assert_int_equal(a->sched, b->sched);
    assert_int_equal(a->placed, b->placed);
    assert_int_equal(a->nkept, b->nkept);
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
}

static void run(uint64_t seed, size_t S, size_t R, size_t T, size_t P, bool roomy,
                bool v2)
{
    /* roomy: rooms seat everyone and no max_size, so the state runs in fast mode. */
    struct alloc_problem *p = gen_problem(seed, S, R, T, P, roomy ? 1 : 8, true);
    struct alloc__model m;
    struct alloc__state st, fresh;
    struct alloc__rng r;
    int moves = 0, undone = 0;

    if (roomy)
        for (size_t i = 0; i < R; i++)
            p->rooms[i].capacity = (uint32_t)P + 10;
    for (size_t t = 0; roomy && t < T; t++)
        p->topics[t].has_max_size = false;
    if (v2)
        gen_v2(p, seed, !roomy, true, true);
    assert_int_equal(alloc__model_init(&m, p), FORUM_OK);
    int32_t *place = calloc((size_t)m.U + 1, sizeof *place);
    int32_t *u = calloc(2 * (size_t)m.U + 4, sizeof *u);
    int32_t *to = calloc(2 * (size_t)m.U + 4, sizeof *to);
    assert_non_null(place);
    assert_non_null(u);
    assert_non_null(to);
    assert_int_equal(alloc__state_init(&st, &m), FORUM_OK);
    assert_int_equal(alloc__state_init(&fresh, &m), FORUM_OK);
    assert_int_equal(st.fast, roomy);
    for (int32_t i = 0; i < m.U; i++)
        place[i] = -1;
    for (int32_t t = 0; t < m.T; t++)
        if (m.fixed_cell[t] >= 0)
            place[m.unit_start[t]] = m.fixed_cell[t];
    assert_int_equal(alloc__state_load(&st, place), FORUM_OK);
    alloc__rng_seed(&r, seed * 31 + 1);
    for (int iter = 0; iter < 100000 && moves < 2000; iter++) {
        int n;
        if (!random_move(&r, &st, &n, u, to))
            continue;
        double before = alloc__state_recompute_total(&st);
        int64_t sched = st.sched, placed = st.placed, kept = st.nkept;
        struct alloc__delta d;
        assert_int_equal(alloc__state_move(&st, n, u, to, &d), FORUM_OK);
        double after = alloc__state_recompute_total(&st);
        assert_true(fabs((after - before) - d.sat) < 1e-6);
        assert_true(fabs(after - st.total) < 1e-6);
        assert_int_equal(st.sched - sched, d.sched);
        assert_int_equal(st.placed - placed, d.placed);
        assert_int_equal(st.nkept - kept, d.kept);
        moves++;
        if (alloc__rng_unit(&r) < 0.3) {
            alloc__state_undo(&st);
            undone++;
            assert_true(fabs(alloc__state_recompute_total(&st) - before) < 1e-6);
            assert_int_equal(st.sched, sched);
            assert_int_equal(st.placed, placed);
            assert_int_equal(st.nkept, kept);
        }
        if (iter % 200 == 0) {
            assert_int_equal(alloc__state_load(&fresh, st.place), FORUM_OK);
            assert_same_state(&st, &fresh);
        }
    }
    assert_int_equal(alloc__state_load(&fresh, st.place), FORUM_OK);
    assert_same_state(&st, &fresh);
    assert_true(moves > 1500);
    assert_true(undone > 300);
    alloc__state_release(&st);
    alloc__state_release(&fresh);
    alloc__model_release(&m);
    alloc_problem_free(p);
    free(place);
    free(u);
    free(to);
}

static void test_state_delta_matches_recompute(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 6; seed++)
        run(seed, 2 + seed % 3, 2 + seed % 2, 10 + seed, 30 + 5 * seed, false, false);
}

/* With groups, allowed slots and a previous schedule: the levels too. */
static void test_state_v2_matches_recompute(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 8; seed++)
        run(seed, 2 + seed % 3, 3 + seed % 2, 10 + seed, 30 + 5 * seed, false, true);
}

/* The same in fast mode (no room can overflow): counters instead of choices. */
static void test_state_fast_mode_matches_recompute(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 6; seed++)
        run(seed, 2 + seed % 3, 2 + seed % 2, 10 + seed, 30 + 5 * seed, true, seed % 2);
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
    assert_false(alloc__state_hosts_ok(&st, 1, 0, -1, -1)); /* S1: same slot */
    assert_true(alloc__state_hosts_ok(&st, 1, 1, -1, -1));  /* S2 */
    assert_true(alloc__state_hosts_ok(&st, 1, 0, 0, -1));   /* fine if T1 moves away */
    assert_true(alloc__state_hosts_ok(&st, 0, 0, -1, -1));  /* T1 itself */
    alloc__state_release(&st);
    alloc__model_release(&m);
    alloc_problem_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_delta_matches_recompute),
        cmocka_unit_test(test_state_v2_matches_recompute),
        cmocka_unit_test(test_state_fast_mode_matches_recompute),
        cmocka_unit_test(test_state_hosts_ok),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
