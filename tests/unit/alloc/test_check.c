/* SPDX-License-Identifier: MIT */
/*
 * The referee's core (alloc_check.h) on a hand-built contract v2 problem
 * with a known valid plan (good()): the recomputed score, then one broken
 * plan per hard rule and per sub-case, each named by its rule number, the
 * unscheduled list and the claimed score, the comparison with a reference,
 * and out-of-memory at every allocation.
 *
 * The problem (indices: S1..S3 = 0..2, R1..R3 = 0..2, T1..T5 = 0..4,
 * P1..P8 = 0..7; features step-free = 0, projector = 1):
 *   R1 capacity 5 {step-free, projector}; R2 capacity 3 {step-free},
 *   unavailable in S3; R3 capacity 4 {}.
 *   T1 host P1, needs projector, max_size 4.
 *   T2 hosts P5 and P6, groups {max 2, size 2..3}, slots {S2, S3}.
 *   T3 no host, fixed in R3/S1.
 *   T4 host P7, slots {S3}: no room is free then, it stays unscheduled.
 *   T5 host P2.
 *   P1 votes T1 5 (its own topic: not counted), T2 2, T3 1, T5 1.
 *   P2 T1 3. P3 needs step-free, votes T1 1, T2 1, T4 0. P4 unavailable in
 *   S1, votes T2 2, T4 1. P5 T1 1. P6 T3 2, T5 0. P7 T5 1. P8 T1 2, T2 1.
 *   previous: T1/1 R1 S2 (kept), T2/2 R2 S2 (moved), T4/1 R2 S3 (dropped),
 *   T2/3 R3 S2 (a group that can no longer exist: moved).
 * The plan: S1: T3 in R3 {P1}, T5 in R2 {P2, P7}; S2: T1 in R1 {P1, P2,
 * P3, P8}; S3: T2 group 1 in R1 {P5, P4, P3}, group 2 in R3 {P6, P8, P1}.
 * Counted demand 4+3+2+3+1+2+1+3 = 19; satisfied P1 3, P2 3, P3 2, P4 2,
 * P7 1, P8 3 = 14; P5 and P6 attend nothing they voted for: unserved 2.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "forum/alloc_check.h"
#include "forum/util/mem.h"

enum { S1, S2, S3 };
enum { R1, R2, R3 };
enum { T1, T2, T3, T4, T5 };
enum { P1, P2, P3, P4, P5, P6, P7, P8 };

#define END SIZE_MAX

/* An owned list of indices up to END; *n gets its length. */
static size_t *list(size_t *n, ...)
{
    size_t buf[16], k = 0, x;
    va_list ap;

    va_start(ap, n);
    while ((x = va_arg(ap, size_t)) != END && k < 16)
        buf[k++] = x;
    va_end(ap);
    size_t *out = calloc(k + 1, sizeof *out);
    assert_non_null(out);
    memcpy(out, buf, k * sizeof *out);
    *n = k;
    return out;
}

static char *dup(const char *s)
{
    char *c = strdup(s);
    assert_non_null(c);
    return c;
}

static void vote(struct alloc_participant *q, size_t topic, uint32_t weight)
{
    q->votes[q->n_votes].topic = topic;
    q->votes[q->n_votes++].weight = weight;
}

static struct alloc_problem *problem(void)
{
    struct alloc_problem *p = calloc(1, sizeof *p);
    char id[8];

    assert_non_null(p);
    p->n_slots = 3;
    p->n_rooms = 3;
    p->n_topics = 5;
    p->n_participants = 8;
    p->n_features = 2;
    p->slots = calloc(3, sizeof *p->slots);
    p->rooms = calloc(3, sizeof *p->rooms);
    p->topics = calloc(5, sizeof *p->topics);
    p->participants = calloc(8, sizeof *p->participants);
    p->features = calloc(2, sizeof *p->features);
    p->previous = calloc(4, sizeof *p->previous);
    assert_true(p->slots && p->rooms && p->topics && p->participants && p->features &&
                p->previous);
    p->features[0] = dup("step-free");
    p->features[1] = dup("projector");
    for (size_t i = 0; i < 3; i++) {
        snprintf(id, sizeof id, "S%zu", i + 1);
        p->slots[i].id = dup(id);
        snprintf(id, sizeof id, "R%zu", i + 1);
        p->rooms[i].id = dup(id);
    }
    p->rooms[R1].capacity = 5;
    p->rooms[R1].features = list(&p->rooms[R1].n_features, 0, 1, END);
    p->rooms[R2].capacity = 3;
    p->rooms[R2].features = list(&p->rooms[R2].n_features, 0, END);
    p->rooms[R2].unavailable = list(&p->rooms[R2].n_unavailable, S3, END);
    p->rooms[R3].capacity = 4;
    for (size_t i = 0; i < 5; i++) {
        struct alloc_topic *t = &p->topics[i];
        snprintf(id, sizeof id, "T%zu", i + 1);
        t->id = dup(id);
        t->fixed_room = t->fixed_slot = ALLOC_NONE;
    }
    struct alloc_topic *t = p->topics;
    t[T1].hosts = list(&t[T1].n_hosts, P1, END);
    t[T1].needs = list(&t[T1].n_needs, 1, END);
    t[T1].has_max_size = true;
    t[T1].max_size = 4;
    t[T2].hosts = list(&t[T2].n_hosts, P5, P6, END);
    t[T2].has_groups = true;
    t[T2].groups = (struct alloc_groups){.max = 2, .size_min = 2, .size_max = 3};
    t[T2].has_slots = true;
    t[T2].slots = list(&t[T2].n_slots, S2, S3, END);
    t[T3].fixed_room = R3;
    t[T3].fixed_slot = S1;
    t[T4].hosts = list(&t[T4].n_hosts, P7, END);
    t[T4].has_slots = true;
    t[T4].slots = list(&t[T4].n_slots, S3, END);
    t[T5].hosts = list(&t[T5].n_hosts, P2, END);
    for (size_t i = 0; i < 8; i++) {
        snprintf(id, sizeof id, "P%zu", i + 1);
        p->participants[i].id = dup(id);
        p->participants[i].votes = calloc(4, sizeof *p->participants[i].votes);
        assert_non_null(p->participants[i].votes);
    }
    struct alloc_participant *q = p->participants;
    vote(&q[P1], T1, 5);
    vote(&q[P1], T2, 2);
    vote(&q[P1], T3, 1);
    vote(&q[P1], T5, 1);
    vote(&q[P2], T1, 3);
    q[P3].needs = list(&q[P3].n_needs, 0, END);
    vote(&q[P3], T1, 1);
    vote(&q[P3], T4, 0);
    vote(&q[P3], T2, 1);
    q[P4].unavailable = list(&q[P4].n_unavailable, S1, END);
    vote(&q[P4], T2, 2);
    vote(&q[P4], T4, 1);
    vote(&q[P5], T1, 1);
    vote(&q[P6], T3, 2);
    vote(&q[P6], T5, 0);
    vote(&q[P7], T5, 1);
    vote(&q[P8], T1, 2);
    vote(&q[P8], T2, 1);
    p->previous[0] = (struct alloc_previous){T1, 1, R1, S2};
    p->previous[1] = (struct alloc_previous){T2, 2, R2, S2};
    p->previous[2] = (struct alloc_previous){T4, 1, R2, S3};
    p->previous[3] = (struct alloc_previous){T2, 3, R3, S2};
    p->n_previous = 4;
    return p;
}

static void put(struct alloc_check_session *x, size_t topic, uint32_t group, size_t room,
                size_t slot)
{
    x->topic = topic;
    x->group = group;
    x->room = room;
    x->slot = slot;
}

static struct alloc_check_solution *good(void)
{
    struct alloc_check_solution *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->sessions = calloc(8, sizeof *s->sessions); /* room for added sessions */
    assert_non_null(s->sessions);
    struct alloc_check_session *x = s->sessions;
    put(&x[0], T3, 1, R3, S1);
    x[0].attendees = list(&x[0].n_attendees, P1, END);
    put(&x[1], T5, 1, R2, S1);
    x[1].attendees = list(&x[1].n_attendees, P2, P7, END);
    put(&x[2], T1, 1, R1, S2);
    x[2].attendees = list(&x[2].n_attendees, P1, P2, P3, P8, END);
    put(&x[3], T2, 1, R1, S3);
    x[3].attendees = list(&x[3].n_attendees, P5, P4, P3, END);
    put(&x[4], T2, 2, R3, S3);
    x[4].attendees = list(&x[4].n_attendees, P6, P8, P1, END);
    s->n_sessions = 5;
    s->unscheduled = list(&s->n_unscheduled, T4, END);
    return s;
}

/* The session of topic t, group g in s. */
static struct alloc_check_session *sess(struct alloc_check_solution *s, size_t t,
                                        uint32_t g)
{
    for (size_t i = 0; i < s->n_sessions; i++)
        if (s->sessions[i].topic == t && s->sessions[i].group == g)
            return &s->sessions[i];
    fail_msg("no session of topic %zu group %u", t, (unsigned)g);
    return NULL;
}

/* Replaces x's attendees by the list up to END. */
static void seat(struct alloc_check_session *x, ...)
{
    size_t k = 0, v;
    va_list ap;

    free(x->attendees);
    x->attendees = calloc(16, sizeof *x->attendees);
    assert_non_null(x->attendees);
    va_start(ap, x);
    while ((v = va_arg(ap, size_t)) != END && k < 16)
        x->attendees[k++] = v;
    va_end(ap);
    x->n_attendees = k;
}

static struct alloc_check_session *add_session(struct alloc_check_solution *s,
                                               size_t topic, uint32_t group, size_t room,
                                               size_t slot)
{
    struct alloc_check_session *x = &s->sessions[s->n_sessions++];
    put(x, topic, group, room, slot);
    return x;
}

static struct alloc_check_report *run(const struct alloc_problem *p,
                                      const struct alloc_check_solution *s)
{
    struct alloc_check_report *r = NULL;
    struct forum_error err;

    forum_error_clear(&err);
    assert_int_equal(alloc_check(p, s, &r, &err), FORUM_OK);
    assert_non_null(r);
    return r;
}

/* The rules broken, as a bit set (bit 0: the document). */
static unsigned rules(const struct alloc_check_report *r)
{
    unsigned set = 0;
    for (unsigned k = 0; k < 7; k++)
        if (r->by_rule[k] > 0)
            set |= 1u << k;
    return set;
}

/* Asserts that exactly the rules in want are broken and that a kept
 * violation of rule `rule` says `words`. */
static void expect(const struct alloc_check_report *r, unsigned want, unsigned rule,
                   const char *words)
{
    if (rules(r) != want) {
        for (size_t i = 0; i < r->n_violations; i++)
            print_message("rule %u: %s\n", r->violations[i].rule, r->violations[i].text);
        fail_msg("rules broken 0x%x, expected 0x%x", rules(r), want);
    }
    assert_false(r->valid);
    for (size_t i = 0; i < r->n_violations; i++)
        if (r->violations[i].rule == rule && strstr(r->violations[i].text, words))
            return;
    fail_msg("no rule %u violation says \"%s\"", rule, words);
}

#define RULE(n) (1u << (n))

/* Runs the good plan edited by edit() on the problem edited by pedit(). */
static void broken(void (*pedit)(struct alloc_problem *),
                   void (*edit)(struct alloc_check_solution *), unsigned want,
                   unsigned rule, const char *words)
{
    struct alloc_problem *p = problem();
    struct alloc_check_solution *s = good();
    if (pedit)
        pedit(p);
    if (edit)
        edit(s);
    struct alloc_check_report *r = run(p, s);
    expect(r, want, rule, words);
    alloc_check_report_free(r);
    alloc_check_solution_free(s);
    alloc_problem_free(p);
}

static void test_check_good(void **state)
{
    struct alloc_problem *p = problem();
    struct alloc_check_solution *s = good();
    (void)state;
    struct alloc_check_report *r = run(p, s);
    for (size_t i = 0; i < r->n_violations; i++)
        print_message("rule %u: %s\n", r->violations[i].rule, r->violations[i].text);
    assert_true(r->valid);
    assert_int_equal(r->n_total, 0);
    assert_int_equal(r->score.scheduled, 4);
    assert_int_equal(r->score.moved, 3);
    assert_int_equal(r->score.satisfied, 14);
    assert_int_equal(r->score.demand, 19);
    assert_int_equal(r->score.unserved, 2);
    assert_int_equal(r->n_warnings, 0);
    alloc_check_report_free(r);
    alloc_check_solution_free(s);
    alloc_problem_free(p);
}

static void test_check_score_moved_unserved(void **state)
{
    struct alloc_problem *p = problem();
    struct alloc_check_solution *s = good();
    (void)state;
    /* T1 moves to R3: its previous session moves too (R3 has no projector,
     * and P3 needs step-free: rules 3 and 5, but the score is still counted). */
    sess(s, T1, 1)->room = R3;
    /* P5 now attends T1 (their vote, 1): no longer unserved. */
    seat(sess(s, T1, 1), P1, P2, P3, P5, END);
    struct alloc_check_report *r = run(p, s);
    assert_int_equal(r->score.moved, 4);
    assert_int_equal(r->score.satisfied, 14 - 2 + 1); /* P8 left T1, P5 joined */
    assert_int_equal(r->score.unserved, 1);           /* P6 */
    assert_int_equal(rules(r), RULE(3) | RULE(5));
    alloc_check_report_free(r);
    /* Without previous, nothing is moved; a votes_first problem is the same plan. */
    p->n_previous = 0;
    p->objective = ALLOC_VOTES_FIRST;
    r = run(p, s);
    assert_int_equal(r->score.moved, 0);
    assert_int_equal(r->objective, ALLOC_VOTES_FIRST);
    alloc_check_report_free(r);
    /* T2 group 2 back in R2/S2, where it was: P6 and P8 there, P1 is busy in S2. */
    alloc_check_solution_free(s);
    s = good();
    p->n_previous = 4;
    struct alloc_check_session *g2 = sess(s, T2, 2);
    g2->room = R2;
    g2->slot = S2;
    r = run(p, s);
    assert_int_equal(r->score.moved, 2);
    assert_true(r->by_rule[1] > 0); /* groups in two slots */
    assert_true(r->by_rule[5] > 0); /* P1 and P8 in two sessions of S2 */
    alloc_check_report_free(r);
    alloc_check_solution_free(s);
    alloc_problem_free(p);
}

/* ---- rule 1 ---- */

static void edit_cell_twice(struct alloc_check_solution *s)
{
    sess(s, T5, 1)->room = R3;
}
static void edit_topic_twice(struct alloc_check_solution *s)
{
    add_session(s, T3, 1, R2, S2);
}
static void edit_group_gap(struct alloc_check_solution *s)
{
    sess(s, T2, 2)->group = 3;
}
static void edit_group_twice(struct alloc_check_solution *s)
{
    sess(s, T2, 2)->group = 1;
}
static void edit_groups_two_slots(struct alloc_check_solution *s)
{
    struct alloc_check_session *x = sess(s, T2, 2);
    x->slot = S2;
    seat(x, P6, P4, END);
}
static void edit_too_many_groups(struct alloc_check_solution *s)
{
    seat(add_session(s, T2, 3, R2, S2), P5, P4, END);
}
static void edit_ordinary_group(struct alloc_check_solution *s)
{
    sess(s, T5, 1)->group = 2;
}

static void test_check_rule1(void **state)
{
    (void)state;
    broken(NULL, edit_cell_twice, RULE(1), 1, "holds two sessions in slot \"S1\"");
    broken(NULL, edit_topic_twice, RULE(1), 1, "topic \"T3\" has 2 sessions");
    broken(NULL, edit_group_gap, RULE(1), 1, "group 3 is out of range");
    broken(NULL, edit_group_twice, RULE(1), 1, "group 1 appears twice");
    broken(NULL, edit_groups_two_slots, RULE(1), 1, "are in different slots");
    broken(NULL, edit_too_many_groups, RULE(1) | RULE(4), 1,
           "more than its groups.max 2");
    broken(NULL, edit_ordinary_group, RULE(1), 1, "not group 2");
}

/* ---- rule 2 ---- */

static void edit_fixed_moved(struct alloc_check_solution *s)
{
    struct alloc_check_session *x = sess(s, T3, 1);
    x->room = R2;
    x->slot = S2;
    seat(x, END);
}
static void edit_fixed_dropped(struct alloc_check_solution *s)
{
    sess(s, T3, 1)->topic = T4; /* T4 in R3/S1: outside its slots, too */
    s->unscheduled[0] = T3;
    seat(sess(s, T4, 1), P7, END);
    sess(s, T5, 1)->room = R1;
    seat(sess(s, T5, 1), P2, END);
}

static void test_check_rule2(void **state)
{
    (void)state;
    broken(NULL, edit_fixed_moved, RULE(2), 2, "fixed in room \"R3\", slot \"S1\"");
    broken(NULL, edit_fixed_dropped, RULE(2) | RULE(3), 2, "topic \"T3\" is fixed");
}

/* ---- rule 3 ---- */

static void edit_missing_feature(struct alloc_check_solution *s)
{
    struct alloc_check_session *x = sess(s, T1, 1);
    x->room = R3;
    seat(x, P1, P2, P8, END);
}
static void edit_room_unavailable(struct alloc_check_solution *s)
{
    sess(s, T5, 1)->slot = S3;
}
static void pedit_host_away(struct alloc_problem *p)
{
    free(p->participants[P2].unavailable);
    p->participants[P2].unavailable = list(&p->participants[P2].n_unavailable, S1, END);
}
static void pedit_host_needs(struct alloc_problem *p)
{
    /* T5's host P2 now needs a projector, which R2 lacks. */
    free(p->participants[P2].needs);
    p->participants[P2].needs = list(&p->participants[P2].n_needs, 1, END);
}
static void edit_outside_slots(struct alloc_check_solution *s)
{
    seat(add_session(s, T4, 1, R3, S2), P7, P4, END);
    s->n_unscheduled = 0;
}

static void test_check_rule3(void **state)
{
    (void)state;
    broken(NULL, edit_missing_feature, RULE(3), 3, "room \"R3\" lacks \"projector\"");
    broken(NULL, edit_room_unavailable, RULE(3), 3,
           "room \"R2\" is unavailable in slot \"S3\"");
    /* The host away is also a participant away (rule 5). */
    broken(pedit_host_away, NULL, RULE(3) | RULE(5), 3,
           "host \"P2\" of topic \"T5\" is unavailable in slot \"S1\"");
    /* A host's needs are the topic's room needs (and the host's own, rule 5). */
    broken(pedit_host_needs, NULL, RULE(3) | RULE(5), 3,
           "room \"R2\" lacks \"projector\", which topic \"T5\" or its hosts need");
    broken(NULL, edit_outside_slots, RULE(3), 3, "outside the slots the topic allows");
}

/* ---- rule 4 ---- */

static void edit_host_missing(struct alloc_check_solution *s)
{
    seat(sess(s, T1, 1), P2, P3, P8, END);
}
static void edit_host_two_groups(struct alloc_check_solution *s)
{
    seat(sess(s, T2, 2), P6, P5, P1, END);
}
static void edit_group_without_host(struct alloc_check_solution *s)
{
    seat(sess(s, T2, 1), P5, P6, P3, END);
    seat(sess(s, T2, 2), P4, P8, P1, END);
}
static void edit_host_no_group(struct alloc_check_solution *s)
{
    seat(sess(s, T2, 2), P6, P8, END);
    seat(sess(s, T2, 1), P4, P3, END);
}

static void test_check_rule4(void **state)
{
    (void)state;
    broken(NULL, edit_host_missing, RULE(4), 4,
           "host \"P1\" does not attend topic \"T1\"");
    /* Two groups of one slot: also two sessions at once (rule 5). */
    broken(NULL, edit_host_two_groups, RULE(4) | RULE(5), 4,
           "host \"P5\" attends 2 groups of topic \"T2\"");
    broken(NULL, edit_group_without_host, RULE(4), 4,
           "group 2 of topic \"T2\" has no host");
    broken(NULL, edit_host_no_group, RULE(4), 4,
           "host \"P5\" attends 0 groups of topic \"T2\"");
}

/* ---- rule 5 ---- */

static void edit_two_sessions(struct alloc_check_solution *s)
{
    seat(sess(s, T5, 1), P2, P7, P1, END);
}
static void edit_unavailable(struct alloc_check_solution *s)
{
    seat(sess(s, T5, 1), P2, P7, P4, END);
}
static void edit_no_vote(struct alloc_check_solution *s)
{
    seat(sess(s, T1, 1), P1, P2, P3, P7, END);
}
static void edit_weight_zero(struct alloc_check_solution *s)
{
    seat(sess(s, T5, 1), P2, P7, P6, END);
}
static void edit_needs(struct alloc_check_solution *s)
{
    seat(sess(s, T2, 1), P5, P4, P8, END);
    seat(sess(s, T2, 2), P6, P3, P1, END);
}

static void test_check_rule5(void **state)
{
    (void)state;
    broken(NULL, edit_two_sessions, RULE(5), 5,
           "participant \"P1\" attends two sessions in slot \"S1\"");
    /* P4 is away in S1 and has no vote for T5 either. */
    broken(NULL, edit_unavailable, RULE(5), 5,
           "participant \"P4\" is unavailable in slot \"S1\"");
    broken(NULL, edit_no_vote, RULE(5), 5,
           "participant \"P7\" attends topic \"T1\" without a vote for it");
    broken(NULL, edit_weight_zero, RULE(5), 5, "(their weight is 0)");
    broken(NULL, edit_needs, RULE(5), 5,
           "participant \"P3\" needs \"step-free\", which room \"R3\" lacks");
}

/* ---- rule 6 ---- */

static void pedit_small_room(struct alloc_problem *p)
{
    p->rooms[R2].capacity = 1;
}
static void pedit_max_size(struct alloc_problem *p)
{
    p->topics[T1].max_size = 3;
}
static void edit_group_small(struct alloc_check_solution *s)
{
    seat(sess(s, T2, 2), P6, END);
}
static void pedit_group_large(struct alloc_problem *p)
{
    p->topics[T2].groups.size_max = 2;
}
static void edit_unknown_seats(struct alloc_check_solution *s)
{
    sess(s, T5, 1)->n_unknown = 2;
}

static void test_check_rule6(void **state)
{
    (void)state;
    broken(pedit_small_room, NULL, RULE(6), 6, "more than its capacity 1");
    broken(pedit_max_size, NULL, RULE(6), 6, "more than the topic's max_size 3");
    broken(NULL, edit_group_small, RULE(6), 6,
           "1 attendees, outside the group size 2..3");
    broken(pedit_group_large, NULL, RULE(6), 6,
           "3 attendees, outside the group size 2..2");
    /* Attendees the reader could not name still take their seats. */
    broken(NULL, edit_unknown_seats, RULE(6), 6, "has 4 attendees in room \"R2\"");
}

/* ---- the document: unscheduled, claimed score, the reader's defects ---- */

static void edit_unscheduled_extra(struct alloc_check_solution *s)
{
    free(s->unscheduled);
    s->unscheduled = list(&s->n_unscheduled, T4, T1, END);
}
static void edit_unscheduled_missing(struct alloc_check_solution *s)
{
    s->n_unscheduled = 0;
}
static void edit_unscheduled_unknown(struct alloc_check_solution *s)
{
    s->n_unscheduled_unknown = 1;
}

static void test_check_unscheduled(void **state)
{
    (void)state;
    broken(NULL, edit_unscheduled_extra, RULE(0), 0,
           "topic \"T1\" has a session but is listed");
    broken(NULL, edit_unscheduled_missing, RULE(0), 0,
           "topic \"T4\" has no session but is not listed");
    broken(NULL, edit_unscheduled_unknown, RULE(0), 0, "it names 1 unknown topic;");
}

static void claim(struct alloc_check_figure *f, double v)
{
    f->has = f->number = true;
    f->value = v;
}

static void test_check_claim(void **state)
{
    struct alloc_problem *p = problem();
    struct alloc_check_solution *s = good();
    struct alloc_check_report *r;
    (void)state;

    s->claim.present = s->claim.is_object = true;
    claim(&s->claim.scheduled, 4);
    claim(&s->claim.satisfied, 14);
    claim(&s->claim.demand, 19);
    claim(&s->claim.bound, 16);
    r = run(p, s);
    assert_true(r->valid);
    assert_int_equal(r->n_warnings, 1);
    assert_string_equal(r->warnings[0], "score lacks moved, unserved");
    alloc_check_report_free(r);
    claim(&s->claim.moved, 3);
    claim(&s->claim.unserved, 2);
    r = run(p, s);
    assert_true(r->valid);
    assert_int_equal(r->n_warnings, 0);
    alloc_check_report_free(r);
    claim(&s->claim.satisfied, 15);
    r = run(p, s);
    expect(r, RULE(0), 0, "score.satisfied: claimed 15, recomputed 14");
    alloc_check_report_free(r);
    claim(&s->claim.satisfied, 14);
    claim(&s->claim.bound, 13.5);
    r = run(p, s);
    expect(r, RULE(0), 0, "score.bound 13.5 is below the recomputed satisfied 14");
    alloc_check_report_free(r);
    s->claim.bound.number = false;
    r = run(p, s);
    expect(r, RULE(0), 0, "score.bound is not a number");
    alloc_check_report_free(r);
    s->claim.bound.has = false;
    s->claim.moved.number = false;
    r = run(p, s);
    expect(r, RULE(0), 0, "score.moved is not a number");
    alloc_check_report_free(r);
    s->claim.is_object = false;
    r = run(p, s);
    expect(r, RULE(0), 0, "score is not an object");
    alloc_check_report_free(r);
    alloc_check_solution_free(s);
    alloc_problem_free(p);
}

static void test_check_defects(void **state)
{
    struct alloc_problem *p = problem();
    struct alloc_check_solution *s = good();
    (void)state;

    s->defects = calloc(1, sizeof *s->defects);
    assert_non_null(s->defects);
    snprintf(s->defects[0].text, sizeof s->defects[0].text, "sessions[5]: unknown room");
    s->n_defects = 1;
    s->n_defects_total = 3; /* two more were found than kept */
    s->n_why = 1;
    s->why = list(&s->n_why, T1, END);
    struct alloc_check_report *r = run(p, s);
    assert_false(r->valid);
    assert_int_equal(r->n_total, 3);
    assert_int_equal(r->n_violations, 1);
    assert_int_equal(r->by_rule[0], 3);
    assert_string_equal(r->violations[0].text, "sessions[5]: unknown room");
    assert_int_equal(r->n_warnings, 1);
    assert_non_null(strstr(r->warnings[0], "why explains 1 topics that have a session"));
    alloc_check_report_free(r);
    alloc_check_solution_free(s);
    alloc_problem_free(p);
}

/* Many violations: every one is counted, the first ALLOC_CHECK_MAX_KEPT kept. */
static void test_check_many(void **state)
{
    struct alloc_problem *p = problem();
    struct alloc_check_solution *s = calloc(1, sizeof *s);
    (void)state;
    size_t n = 3 * ALLOC_CHECK_MAX_KEPT;
    assert_non_null(s);
    s->sessions = calloc(n, sizeof *s->sessions);
    assert_non_null(s->sessions);
    for (size_t i = 0; i < n; i++)
        put(&s->sessions[s->n_sessions++], T3, 1, R1, S1); /* rule 1, many times */
    struct alloc_check_report *r = run(p, s);
    assert_int_equal(r->n_violations, ALLOC_CHECK_MAX_KEPT);
    assert_true(r->n_total > n);
    assert_int_equal(r->by_rule[1], n); /* n - 1 cells, and T3 has n sessions */
    assert_true(r->by_rule[2] == 1);    /* not in its fixed cell */
    alloc_check_report_free(r);
    alloc_check_solution_free(s);
    alloc_problem_free(p);
}

static void test_check_bad_indices(void **state)
{
    struct alloc_problem *p = problem();
    struct alloc_check_solution *s = good();
    struct alloc_check_report *r = NULL;
    struct forum_error err;
    (void)state;

    s->sessions[1].attendees[0] = 8;
    forum_error_clear(&err);
    assert_int_equal(alloc_check(p, s, &r, &err), FORUM_EINVAL);
    assert_null(r);
    assert_non_null(strstr(err.msg, "sessions[1].attendees"));
    s->sessions[1].attendees[0] = P2;
    s->sessions[0].room = 3;
    assert_int_equal(alloc_check(p, s, &r, NULL), FORUM_EINVAL);
    s->sessions[0].room = R3;
    p->previous[0].group = 0;
    assert_int_equal(alloc_check(p, s, &r, NULL), FORUM_EINVAL);
    assert_null(r);
    alloc_check_solution_free(s);
    alloc_problem_free(p);
}

static void test_check_compare_ref(void **state)
{
    struct alloc_problem *p = problem();
    struct alloc_check_solution *s = good();
    struct alloc_check_report *r;
    (void)state;

    struct alloc_score a = {.scheduled = 4, .moved = 1, .satisfied = 10};
    struct alloc_score b = {.scheduled = 3, .moved = 0, .satisfied = 20};
    assert_true(alloc_check_compare(&a, &b, ALLOC_TOPICS_FIRST) > 0);
    assert_true(alloc_check_compare(&a, &b, ALLOC_VOTES_FIRST) < 0);
    assert_int_equal(alloc_check_compare(&a, &a, ALLOC_VOTES_FIRST), 0);
    b.scheduled = 4;
    assert_true(alloc_check_compare(&a, &b, ALLOC_TOPICS_FIRST) < 0); /* moved 1 > 0 */

    /* Ours: 4 / 3 / 14. */
    struct alloc_check_ref ref = {
        .satisfied = 16, .has_levels = true, .scheduled = 4, .moved = 3};
    r = run(p, s);
    alloc_check_against_ref(r, &ref, NULL);
    assert_true(r->has_ref && r->has_ratio && r->levels_equal);
    assert_true(r->ratio == 0.875);
    assert_int_equal(r->vs_ref, ALLOC_VS_WORSE);
    assert_string_equal(alloc_check_vs_name(r->vs_ref), "worse");
    assert_true(r->valid);
    alloc_check_report_free(r);

    ref = (struct alloc_check_ref){
        .satisfied = 15, .has_levels = true, .scheduled = 3, .moved = 0, .proven = true};
    r = run(p, s);
    alloc_check_against_ref(r, &ref, NULL);
    assert_false(r->levels_equal);
    assert_int_equal(r->vs_ref, ALLOC_VS_BETTER);
    assert_int_equal(r->n_warnings, 1); /* a valid plan beats a proven optimum */
    assert_true(r->ratio == 0.933333);
    alloc_check_report_free(r);

    /* votes_first: fewer moved first, so the ref with 0 moved is better. */
    p->objective = ALLOC_VOTES_FIRST;
    r = run(p, s);
    alloc_check_against_ref(r, &ref, NULL);
    assert_int_equal(r->vs_ref, ALLOC_VS_WORSE);
    alloc_check_report_free(r);
    p->objective = ALLOC_TOPICS_FIRST;

    /* A v1 ref (no levels), and a ref of 0. */
    ref = (struct alloc_check_ref){.satisfied = 14};
    r = run(p, s);
    alloc_check_against_ref(r, &ref, NULL);
    assert_int_equal(r->vs_ref, ALLOC_VS_NONE);
    assert_true(r->ratio == 1.0);
    alloc_check_report_free(r);
    ref.satisfied = 0;
    r = run(p, s);
    alloc_check_against_ref(r, &ref, NULL);
    assert_false(r->has_ratio);
    alloc_check_report_free(r);

    /* A claimed bound below the ref's satisfied: invalid. */
    s->claim.present = s->claim.is_object = true;
    claim(&s->claim.bound, 15);
    ref = (struct alloc_check_ref){.satisfied = 16};
    r = run(p, s);
    assert_true(r->valid);
    alloc_check_against_ref(r, &ref, &s->claim);
    expect(r, RULE(0), 0, "below the reference's satisfied 16");
    alloc_check_report_free(r);
    alloc_check_solution_free(s);
    alloc_problem_free(p);
}

/* Every allocation fails in turn: FORUM_ENOMEM, nothing returned, no leak. */
static void test_check_oom(void **state)
{
    struct alloc_problem *p = problem();
    struct alloc_check_solution *s = good();
    (void)state;
    unsigned long n;

    for (n = 1;; n++) {
        struct alloc_check_report *r = NULL;
        struct forum_error err;
        forum_error_clear(&err);
        forum_mem_fail_nth(n);
        enum forum_status rc = alloc_check(p, s, &r, &err);
        unsigned long used = forum_mem_count();
        forum_mem_fail_nth(0);
        if (rc == FORUM_OK) {
            assert_true(r->valid);
            assert_int_equal(r->score.satisfied, 14);
            alloc_check_report_free(r);
            if (used < n)
                break;
            continue;
        }
        assert_int_equal(rc, FORUM_ENOMEM);
        assert_null(r);
    }
    assert_true(n > 10);
    alloc_check_solution_free(s);
    alloc_problem_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_good),
        cmocka_unit_test(test_check_score_moved_unserved),
        cmocka_unit_test(test_check_rule1),
        cmocka_unit_test(test_check_rule2),
        cmocka_unit_test(test_check_rule3),
        cmocka_unit_test(test_check_rule4),
        cmocka_unit_test(test_check_rule5),
        cmocka_unit_test(test_check_rule6),
        cmocka_unit_test(test_check_unscheduled),
        cmocka_unit_test(test_check_claim),
        cmocka_unit_test(test_check_defects),
        cmocka_unit_test(test_check_many),
        cmocka_unit_test(test_check_bad_indices),
        cmocka_unit_test(test_check_compare_ref),
        cmocka_unit_test(test_check_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
