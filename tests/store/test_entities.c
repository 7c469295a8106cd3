/* SPDX-License-Identifier: MIT */
/*
 * The invariants the schema enforces: one vote per participant and topic,
 * the vote budget, cross-event links refused, cascades, locked cells,
 * immutable published schedules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "forum/store.h"

#define S(x) ((char *)(uintptr_t)(x))

struct fixture {
    struct store *s;
    char eid[STORE_ID_MAX + 1], other[STORE_ID_MAX + 1];
    char s1[STORE_ID_MAX + 1], s2[STORE_ID_MAX + 1], os1[STORE_ID_MAX + 1];
    char r1[STORE_ID_MAX + 1];
    char p1[STORE_ID_MAX + 1], p2[STORE_ID_MAX + 1], op[STORE_ID_MAX + 1];
    char t1[STORE_ID_MAX + 1], t2[STORE_ID_MAX + 1], ot[STORE_ID_MAX + 1];
    char tok[STORE_TOKEN_LEN + 1];
};

static void make_event(struct store *s, char *eid, char *tok)
{
    struct store_event e;
    memset(&e, 0, sizeof(e));
    e.name = S("Bigre");
    e.max_weight = 3;
    assert_int_equal(store_event_create(s, &e, eid, tok, NULL), FORUM_OK);
}

static void make_slot(struct store *s, const char *eid, const char *from, const char *to,
                      char *id)
{
    struct store_slot sl = {NULL, S("Matin"), S(from), S(to)};
    assert_int_equal(store_slot_create(s, eid, &sl, id, NULL), FORUM_OK);
}

static void make_participant(struct store *s, const char *eid, const char *name, char *id)
{
    struct store_participant p;
    char tok[STORE_TOKEN_LEN + 1];
    memset(&p, 0, sizeof(p));
    p.name = S(name);
    assert_int_equal(store_participant_create(s, eid, &p, id, tok, NULL), FORUM_OK);
}

static void make_topic(struct store *s, const char *eid, const char *title,
                       const char *host, char *id)
{
    struct store_topic t;
    memset(&t, 0, sizeof(t));
    t.title = S(title);
    if (host != NULL)
        store_strv_push(&t.host_ids, host);
    assert_int_equal(store_topic_create(s, eid, &t, id, NULL), FORUM_OK);
    store_strv_release(&t.host_ids);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct store_room r;
    assert_int_equal(store_open(":memory:", &f->s, NULL), FORUM_OK);
    assert_int_equal(store_migrate(f->s, 0, NULL), FORUM_OK);
    make_event(f->s, f->eid, f->tok);
    make_event(f->s, f->other, f->tok);
    make_slot(f->s, f->eid, "2025-09-18T07:00:00Z", "2025-09-18T08:00:00Z", f->s1);
    make_slot(f->s, f->eid, "2025-09-18T08:00:00Z", "2025-09-18T09:00:00Z", f->s2);
    make_slot(f->s, f->other, "2025-09-18T08:00:00Z", "2025-09-18T09:00:00Z", f->os1);
    memset(&r, 0, sizeof(r));
    r.name = S("Salle A");
    r.capacity = 20;
    assert_int_equal(store_room_create(f->s, f->eid, &r, f->r1, NULL), FORUM_OK);
    make_participant(f->s, f->eid, "Alice", f->p1);
    make_participant(f->s, f->eid, "Bob", f->p2);
    make_participant(f->s, f->other, "Eve", f->op);
    make_topic(f->s, f->eid, "Le commercial", f->p1, f->t1);
    make_topic(f->s, f->eid, "Faire avec moins", NULL, f->t2);
    make_topic(f->s, f->other, "Ailleurs", f->op, f->ot);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->s);
    free(f);
    return 0;
}

static void test_entities_one_vote_per_participant_and_topic(void **state)
{
    struct fixture *f = *state;
    struct store_vote *v;
    size_t n;
    assert_int_equal(store_vote_put(f->s, f->eid, f->p2, f->t1, 1, 0, NULL), FORUM_OK);
    assert_int_equal(store_vote_put(f->s, f->eid, f->p2, f->t1, 3, 0, NULL), FORUM_OK);
    assert_int_equal(store_vote_list(f->s, f->eid, f->p2, &v, &n, NULL), FORUM_OK);
    assert_int_equal((int)n, 1);
    assert_int_equal(v[0].weight, 3);
    store_votes_free(v, n);
    assert_int_equal(store_vote_delete(f->s, f->eid, f->p2, f->t1, NULL), FORUM_OK);
    assert_int_equal(store_vote_delete(f->s, f->eid, f->p2, f->t1, NULL),
                     FORUM_ENOTFOUND);
}

static void test_entities_vote_budget(void **state)
{
    struct fixture *f = *state;
    struct forum_error err;
    struct store_vote *v;
    size_t n;
    assert_int_equal(store_vote_put(f->s, f->eid, f->p2, f->t1, 3, 4, NULL), FORUM_OK);
    forum_error_clear(&err);
    assert_int_equal(store_vote_put(f->s, f->eid, f->p2, f->t2, 2, 4, &err),
                     FORUM_ECONFLICT);
    assert_string_equal(err.field, "weight");
    /* Lowering an existing vote is within budget. */
    assert_int_equal(store_vote_put(f->s, f->eid, f->p2, f->t1, 2, 4, NULL), FORUM_OK);
    assert_int_equal(store_vote_put(f->s, f->eid, f->p2, f->t2, 2, 4, NULL), FORUM_OK);
    assert_int_equal(store_vote_list(f->s, f->eid, NULL, &v, &n, NULL), FORUM_OK);
    assert_int_equal((int)n, 2);
    store_votes_free(v, n);
}

static void test_entities_cross_event_refused(void **state)
{
    struct fixture *f = *state;
    struct store_room r;
    struct store_topic t;
    char id[STORE_ID_MAX + 1];
    /* A vote of one event's participant on another's topic. */
    assert_int_equal(store_vote_put(f->s, f->eid, f->op, f->t1, 1, 0, NULL),
                     FORUM_ENOTFOUND);
    assert_int_equal(store_vote_put(f->s, f->other, f->p1, f->ot, 1, 0, NULL),
                     FORUM_ENOTFOUND);
    /* A room unavailable in another event's slot. */
    memset(&r, 0, sizeof(r));
    r.name = S("Salle B");
    r.capacity = 5;
    store_strv_push(&r.unavailable, f->os1);
    assert_int_equal(store_room_create(f->s, f->eid, &r, id, NULL), FORUM_EINVAL);
    store_strv_release(&r.unavailable);
    /* A host from another event. */
    memset(&t, 0, sizeof(t));
    t.title = S("Mélange");
    store_strv_push(&t.host_ids, f->op);
    assert_int_equal(store_topic_create(f->s, f->eid, &t, id, NULL), FORUM_EINVAL);
    store_strv_release(&t.host_ids);
    /* A placement in another event's slot. */
    assert_int_equal(store_topic_get(f->s, f->eid, f->t2, &t, NULL), FORUM_OK);
    t.fixed_room = strdup(f->r1);
    t.fixed_slot = strdup(f->os1);
    assert_int_equal(store_topic_update(f->s, f->eid, &t, NULL), FORUM_EINVAL);
    store_topic_release(&t);
}

static void test_entities_cascades(void **state)
{
    struct fixture *f = *state;
    struct store_participant p;
    struct store_topic t;
    struct store_vote *v;
    size_t n;

    assert_int_equal(store_participant_get(f->s, f->eid, f->p2, &p, NULL), FORUM_OK);
    store_strv_push(&p.unavailable, f->s1);
    store_strv_push(&p.needs, "accessible");
    assert_int_equal(store_participant_update(f->s, f->eid, &p, NULL), FORUM_OK);
    store_participant_release(&p);
    assert_int_equal(store_topic_get(f->s, f->eid, f->t2, &t, NULL), FORUM_OK);
    t.fixed_room = strdup(f->r1);
    t.fixed_slot = strdup(f->s1);
    assert_int_equal(store_topic_update(f->s, f->eid, &t, NULL), FORUM_OK);
    store_topic_release(&t);
    assert_int_equal(store_vote_put(f->s, f->eid, f->p2, f->t2, 1, 0, NULL), FORUM_OK);

    /* Deleting the slot unlocks the topic and clears the unavailability. */
    assert_int_equal(store_slot_delete(f->s, f->eid, f->s1, NULL), FORUM_OK);
    assert_int_equal(store_topic_get(f->s, f->eid, f->t2, &t, NULL), FORUM_OK);
    assert_null(t.fixed_room);
    assert_null(t.fixed_slot);
    assert_int_equal(t.vote_count, 1);
    store_topic_release(&t);
    assert_int_equal(store_participant_get(f->s, f->eid, f->p2, &p, NULL), FORUM_OK);
    assert_int_equal((int)p.unavailable.n, 0);
    assert_int_equal((int)p.needs.n, 1);
    store_participant_release(&p);
    /* Deleting the topic deletes its votes. */
    assert_int_equal(store_topic_delete(f->s, f->eid, f->t2, NULL), FORUM_OK);
    assert_int_equal(store_vote_list(f->s, f->eid, f->p2, &v, &n, NULL), FORUM_OK);
    assert_int_equal((int)n, 0);
    free(v);
    /* Deleting another event's topic through this event finds nothing. */
    assert_int_equal(store_topic_delete(f->s, f->eid, f->ot, NULL), FORUM_ENOTFOUND);
}

static void test_entities_locked_cell_holds_one(void **state)
{
    struct fixture *f = *state;
    struct store_topic t;
    struct forum_error err;

    assert_int_equal(store_topic_get(f->s, f->eid, f->t1, &t, NULL), FORUM_OK);
    assert_int_equal((int)t.host_ids.n, 1);
    assert_string_equal(t.host_names.v[0], "Alice");
    t.fixed_room = strdup(f->r1);
    t.fixed_slot = strdup(f->s2);
    assert_int_equal(store_topic_update(f->s, f->eid, &t, NULL), FORUM_OK);
    store_topic_release(&t);
    assert_int_equal(store_topic_get(f->s, f->eid, f->t2, &t, NULL), FORUM_OK);
    t.fixed_room = strdup(f->r1);
    t.fixed_slot = strdup(f->s2);
    forum_error_clear(&err);
    assert_int_equal(store_topic_update(f->s, f->eid, &t, &err), FORUM_ECONFLICT);
    assert_string_equal(err.field, "fixed");
    store_topic_release(&t);
}

static void test_entities_slot_order_checked(void **state)
{
    struct fixture *f = *state;
    struct store_slot sl = {NULL, S("À l'envers"), S("2025-09-18T10:00:00Z"),
                            S("2025-09-18T09:00:00Z")};
    char id[STORE_ID_MAX + 1];
    assert_int_equal(store_slot_create(f->s, f->eid, &sl, id, NULL), FORUM_EINVAL);
}

static void test_entities_published_is_immutable(void **state)
{
    struct fixture *f = *state;
    struct store_allocation a, *list;
    struct store_schedule sc, got;
    char a1[STORE_ID_MAX + 1], a2[STORE_ID_MAX + 1], a3[STORE_ID_MAX + 1];
    size_t n;

    memset(&a, 0, sizeof(a));
    a.solution = S("{\"sessions\":[]}");
    a.bound = -1;
    assert_int_equal(store_allocation_create(f->s, f->eid, &a, a1, NULL), FORUM_OK);
    assert_int_equal(store_allocation_create(f->s, f->eid, &a, a2, NULL), FORUM_OK);
    a.solution = S("{not json");
    assert_int_equal(store_allocation_create(f->s, f->eid, &a, a3, NULL), FORUM_EINVAL);
    assert_int_equal(store_schedule_latest(f->s, f->eid, &got, NULL), FORUM_ENOTFOUND);

    memset(&sc, 0, sizeof(sc));
    sc.version = 2; /* versions follow each other */
    sc.allocation_id = a1;
    sc.published_at = S("2025-09-18T07:00:00Z");
    sc.body = S("{\"version\":1}");
    assert_int_equal(store_schedule_insert(f->s, f->eid, &sc, NULL), FORUM_ECONFLICT);
    sc.version = 1;
    assert_int_equal(store_schedule_insert(f->s, f->other, &sc, NULL), FORUM_ECONFLICT);
    assert_int_equal(store_schedule_insert(f->s, f->eid, &sc, NULL), FORUM_OK);
    assert_int_equal(store_schedule_insert(f->s, f->eid, &sc, NULL), FORUM_ECONFLICT);
    assert_int_equal(store_allocation_delete(f->s, f->eid, a1, NULL), FORUM_ECONFLICT);
    assert_int_equal(store_allocation_delete(f->s, f->eid, a2, NULL), FORUM_OK);
    assert_int_equal(store_allocation_delete(f->s, f->eid, a2, NULL), FORUM_ENOTFOUND);
    assert_int_equal(store_schedule_latest(f->s, f->eid, &got, NULL), FORUM_OK);
    assert_int_equal(got.version, 1);
    assert_string_equal(got.allocation_id, a1);
    store_schedule_release(&got);
    assert_int_equal(store_allocation_list(f->s, f->eid, false, &list, &n, NULL),
                     FORUM_OK);
    assert_int_equal((int)n, 1);
    assert_int_equal(list[0].published, 1);
    assert_null(list[0].solution);
    store_allocations_free(list, n);
}

static void test_entities_clashes(void **state)
{
    struct fixture *f = *state;
    struct store_clash *c;
    size_t n;
    assert_int_equal(store_vote_put(f->s, f->eid, f->p1, f->t2, 1, 0, NULL), FORUM_OK);
    assert_int_equal(store_vote_put(f->s, f->eid, f->p2, f->t1, 1, 0, NULL), FORUM_OK);
    assert_int_equal(store_vote_put(f->s, f->eid, f->p2, f->t2, 1, 0, NULL), FORUM_OK);
    assert_int_equal(store_clash_list(f->s, f->eid, 10, &c, &n, NULL), FORUM_OK);
    assert_int_equal((int)n, 1);
    assert_int_equal(c[0].shared, 1);
    store_clashes_free(c, n);
}

static void test_entities_join_code_unique(void **state)
{
    struct fixture *f = *state;
    struct store_event e;
    char id[STORE_ID_MAX + 1], tok[STORE_TOKEN_LEN + 1], found[STORE_ID_MAX + 1];
    struct forum_error err;
    memset(&e, 0, sizeof(e));
    e.name = S("Avec code");
    e.max_weight = 3;
    e.join_code = S("BIGRE25");
    assert_int_equal(store_event_create(f->s, &e, id, tok, NULL), FORUM_OK);
    forum_error_clear(&err);
    assert_int_equal(store_event_create(f->s, &e, id, tok, &err), FORUM_ECONFLICT);
    assert_string_equal(err.field, "join_code");
    assert_int_equal(store_event_by_join_code(f->s, "BIGRE25", found, NULL), FORUM_OK);
    assert_int_equal(store_event_by_join_code(f->s, "NOPE", found, NULL),
                     FORUM_ENOTFOUND);
    assert_int_equal(store_event_first(f->s, found, NULL), FORUM_OK);
    assert_string_equal(found, f->eid);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_entities_one_vote_per_participant_and_topic),
        T(test_entities_vote_budget),
        T(test_entities_cross_event_refused),
        T(test_entities_cascades),
        T(test_entities_locked_cell_holds_one),
        T(test_entities_slot_order_checked),
        T(test_entities_published_is_immutable),
        T(test_entities_clashes),
        T(test_entities_join_code_unique),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
