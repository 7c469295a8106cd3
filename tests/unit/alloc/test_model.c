/* SPDX-License-Identifier: MIT */
/*
 * The feasibility masks and the counted votes of the compact model, on a
 * hand-built problem whose answers are known (see hand_problem()).
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

static void test_model_masks(void **state)
{
    struct alloc_problem *p = hand_problem();
    struct alloc__model m;
    (void)state;
    assert_int_equal(alloc_problem_validate(p, NULL), FORUM_OK);
    assert_int_equal(alloc__model_init(&m, p), FORUM_OK);
    assert_int_equal(m.C, 6);
    /* Cells are s * R + r. R2 is unavailable in S2. */
    assert_true(m.room_avail[0 * 3 + 1]);
    assert_false(m.room_avail[1 * 3 + 1]);
    /* T1: projector and the host's accessible: R1 only; host P1 away in S1. */
    assert_true(m.topic_room_ok[0 * 3 + 0]);
    assert_false(m.topic_room_ok[0 * 3 + 1]);
    assert_false(m.topic_room_ok[0 * 3 + 2]);
    assert_false(m.topic_slot_ok[0 * 2 + 0]);
    assert_true(m.topic_slot_ok[0 * 2 + 1]);
    assert_true(m.movable[0]);
    assert_true(alloc__cell_allowed(&m, 0, 1 * 3 + 0));
    assert_false(alloc__cell_allowed(&m, 0, 0 * 3 + 0));
    /* T2: two hosts, max_size 1: no room at all. */
    for (int32_t r = 0; r < 3; r++)
        assert_false(m.topic_room_ok[1 * 3 + r]);
    assert_false(m.movable[1]);
    /* T3: anywhere available. */
    for (int32_t c = 0; c < 6; c++)
        assert_int_equal(alloc__cell_allowed(&m, 2, c), c != 1 * 3 + 1);
    /* T4: R1 or R2 (the host needs accessible), S2 only, R2 closed then. */
    assert_true(m.topic_room_ok[3 * 3 + 0]);
    assert_true(m.topic_room_ok[3 * 3 + 1]);
    assert_false(m.topic_room_ok[3 * 3 + 2]);
    assert_false(alloc__cell_allowed(&m, 3, 1 * 3 + 1));
    assert_true(alloc__cell_allowed(&m, 3, 1 * 3 + 0));
    /* Participant classes: P1 may not enter R3; the others go anywhere. */
    assert_true(alloc__p_room_ok(&m, 0, 0));
    assert_true(alloc__p_room_ok(&m, 0, 1));
    assert_false(alloc__p_room_ok(&m, 0, 2));
    for (int32_t q = 1; q < 4; q++)
        for (int32_t r = 0; r < 3; r++)
            assert_true(alloc__p_room_ok(&m, q, r));
    assert_int_equal(m.n_classes, 2);
    assert_true(m.p_unavail[0 * 2 + 0]);
    assert_false(m.p_unavail[0 * 2 + 1]);
    /* Seats: T3 in R2 has 2 seats; T1 in R1: 10 - 1 host. */
    assert_int_equal(alloc__seats(&m, 2, 1), 2);
    assert_int_equal(alloc__seats(&m, 0, 0), 9);
    alloc__model_release(&m);
    alloc_problem_free(p);
}

static void test_model_counted_votes(void **state)
{
    struct alloc_problem *p = hand_problem();
    struct alloc__model m;
    (void)state;
    assert_int_equal(alloc__model_init(&m, p), FORUM_OK);
    /* P1's vote for T4, which P1 hosts, and P3's weight-0 vote are dropped. */
    assert_int_equal(m.vote_start[1] - m.vote_start[0], 1);
    assert_int_equal(m.vote_t[m.vote_start[0]], 2);
    assert_int_equal(m.vote_start[3] - m.vote_start[2], 0);
    /* P2's votes sorted by weight: T1 (2) before T3 (1). */
    assert_int_equal(m.vote_start[2] - m.vote_start[1], 2);
    assert_int_equal(m.vote_t[m.vote_start[1]], 0);
    assert_int_equal(m.vote_w[m.vote_start[1]], 2);
    assert_int_equal(m.vote_t[m.vote_start[1] + 1], 2);
    /* T3's voters by weight: P4 (2), then P1 and P2 (1) by index. */
    assert_int_equal(m.voter_start[3] - m.voter_start[2], 3);
    assert_int_equal(m.voter_p[m.voter_start[2]], 3);
    assert_int_equal(m.voter_p[m.voter_start[2] + 1], 0);
    assert_int_equal(m.voter_p[m.voter_start[2] + 2], 1);
    assert_int_equal(m.voter_start[4] - m.voter_start[3], 0); /* T4: no counted vote */
    assert_int_equal(m.demand, 1 + 2 + 1 + 2);
    alloc__model_release(&m);
    alloc_problem_free(p);
}

/* Indices out of range and bad fixed placements are refused, with the field named. */
static void test_model_validate(void **state)
{
    struct alloc_problem *p = hand_problem();
    struct forum_error err;
    (void)state;
    /* T1 fixed in R3 (no projector). */
    p->topics[0].fixed_room = 2;
    p->topics[0].fixed_slot = 1;
    forum_error_clear(&err);
    assert_int_equal(alloc_problem_validate(p, &err), FORUM_EINVAL);
    assert_string_equal(err.field, "topics[0].fixed");
    assert_non_null(strstr(err.msg, "projector"));
    /* T1 fixed in R1/S1: its host is away. */
    p->topics[0].fixed_room = 0;
    p->topics[0].fixed_slot = 0;
    forum_error_clear(&err);
    assert_int_equal(alloc_problem_validate(p, &err), FORUM_EINVAL);
    assert_non_null(strstr(err.msg, "unavailable"));
    /* T1 and T4 (same host) both fixed in S2. */
    p->topics[0].fixed_slot = 1;
    p->topics[3].fixed_room = 1;
    p->topics[3].fixed_slot = 0;
    forum_error_clear(&err);
    assert_int_equal(alloc_problem_validate(p, &err), FORUM_EINVAL); /* host away in S1 */
    p->topics[3].fixed_slot = 1;
    forum_error_clear(&err);
    assert_int_equal(alloc_problem_validate(p, &err), FORUM_EINVAL); /* R2 closed in S2 */
    p->topics[3].fixed_room = ALLOC_NONE;
    p->topics[3].fixed_slot = ALLOC_NONE;
    assert_int_equal(alloc_problem_validate(p, NULL), FORUM_OK);
    /* A vote for a topic out of range. */
    p->participants[3].votes[0].topic = 9;
    forum_error_clear(&err);
    assert_int_equal(alloc_problem_validate(p, &err), FORUM_EINVAL);
    alloc_problem_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_masks),
        cmocka_unit_test(test_model_counted_votes),
        cmocka_unit_test(test_model_validate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
