/* SPDX-License-Identifier: MIT */
/*
 * The invariants the schema enforces: one vote per participant and topic,
 * the vote budget, cross-event links refused, cascades, locked cells,
 * immutable published schedules, session rows and their SEQUENCE, blocks,
 * session notes (saved over the revision read only, revisions joined and
 * kept, by identity across versions) and who says they were there.
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

/* A session row in room (NULL: none) and slot sl at [from, to), attended by
 * the participants of who (NULL-terminated). Strings borrowed. */
static struct store_session session_of(const char *id, const char *topic, long group,
                                       const char *room, const char *sl, const char *from,
                                       const char *to, const char *const *who)
{
    struct store_session x;

    memset(&x, 0, sizeof(x));
    x.id = S(id);
    x.topic_id = S(topic);
    x.group = group;
    x.kind = S(topic != NULL ? "forum" : "plenary");
    x.room_id = S(room);
    x.slot_id = S(sl);
    x.title = S(id);
    x.theme = S("");
    x.starts_at = S(from);
    x.ends_at = S(to);
    x.everyone = topic == NULL;
    for (size_t i = 0; who != NULL && who[i] != NULL; i++)
        store_strv_push(&x.attendees, who[i]);
    x.seats = (long)x.attendees.n;
    return x;
}

/* Publishes the n sessions of v (whose attendee lists it frees) as version
 * `version` with allocation aid; returns the status. */
static enum forum_status publish(struct fixture *f, long version, const char *aid,
                                 struct store_session *v, size_t n)
{
    struct store_schedule sc;
    struct store_version_slot slots[2] = {
        {f->s1, S("Matin"), S("2025-09-18T07:00:00Z"), S("2025-09-18T08:00:00Z"), NULL},
        {f->s2, S("Midi"), S("2025-09-18T08:00:00Z"), S("2025-09-18T09:00:00Z"), NULL}};
    struct store_version_room rooms[1] = {
        {f->r1, S("Salle A"), S("https://visio.example")}};
    enum forum_status rc;

    memset(&sc, 0, sizeof(sc));
    sc.version = version;
    sc.allocation_id = S(aid);
    sc.published_at = S("2025-09-18T06:00:00Z");
    sc.timezone = S("Europe/Paris");
    sc.slots = slots;
    sc.n_slots = 2;
    sc.rooms = rooms;
    sc.n_rooms = 1;
    sc.sessions = v;
    sc.n_sessions = n;
    rc = store_schedule_insert(f->s, f->eid, &sc, NULL);
    for (size_t i = 0; i < n; i++)
        store_strv_release(&v[i].attendees);
    return rc;
}

static void new_draft(struct fixture *f, char *id)
{
    struct store_allocation a;

    memset(&a, 0, sizeof(a));
    a.solution = S("{\"sessions\":[]}");
    a.bound = -1;
    assert_int_equal(store_allocation_create(f->s, f->eid, &a, id, NULL), FORUM_OK);
}

static void test_entities_published_is_immutable(void **state)
{
    struct fixture *f = *state;
    struct store_allocation a, *list;
    struct store_schedule got;
    struct store_session v[1];
    char a1[STORE_ID_MAX + 1], a2[STORE_ID_MAX + 1], a3[STORE_ID_MAX + 1];
    size_t n;
    long latest = -1;

    new_draft(f, a1);
    new_draft(f, a2);
    memset(&a, 0, sizeof(a));
    a.solution = S("{not json");
    assert_int_equal(store_allocation_create(f->s, f->eid, &a, a3, NULL), FORUM_EINVAL);
    assert_int_equal(store_schedule_get(f->s, f->eid, 0, NULL, 0, &got, NULL),
                     FORUM_ENOTFOUND);
    assert_int_equal(store_schedule_latest_version(f->s, f->eid, &latest, NULL),
                     FORUM_OK);
    assert_int_equal(latest, 0);

    /* Versions follow each other, in the allocation's event, once per draft. */
    v[0] = session_of(f->t1, f->t1, 1, f->r1, f->s1, "2025-09-18T07:00:00Z",
                      "2025-09-18T08:00:00Z", NULL);
    assert_int_equal(publish(f, 2, a1, v, 1), FORUM_ECONFLICT);
    assert_int_equal(publish(f, 1, a1, v, 1), FORUM_OK);
    assert_int_equal(publish(f, 1, a1, v, 1), FORUM_ECONFLICT);
    assert_int_equal(publish(f, 2, a1, v, 1), FORUM_ECONFLICT);
    assert_int_equal(store_allocation_delete(f->s, f->eid, a1, NULL), FORUM_ECONFLICT);
    assert_int_equal(store_allocation_delete(f->s, f->eid, a2, NULL), FORUM_OK);
    assert_int_equal(store_allocation_delete(f->s, f->eid, a2, NULL), FORUM_ENOTFOUND);
    assert_int_equal(
        store_schedule_get(f->s, f->eid, 0, NULL, STORE_SCHEDULE_GRID, &got, NULL),
        FORUM_OK);
    assert_int_equal(got.version, 1);
    assert_string_equal(got.allocation_id, a1);
    assert_string_equal(got.timezone, "Europe/Paris");
    assert_int_equal(got.n_slots, 2);
    assert_int_equal(got.n_rooms, 1);
    assert_string_equal(got.rooms[0].url, "https://visio.example");
    assert_int_equal(got.n_sessions, 1);
    assert_string_equal(got.sessions[0].id, f->t1);
    store_schedule_release(&got);
    assert_int_equal(store_schedule_latest_version(f->s, f->eid, &latest, NULL),
                     FORUM_OK);
    assert_int_equal(latest, 1);
    assert_int_equal(store_allocation_list(f->s, f->eid, false, &list, &n, NULL),
                     FORUM_OK);
    assert_int_equal((int)n, 1);
    assert_int_equal(list[0].published, 1);
    assert_null(list[0].solution);
    store_allocations_free(list, n);
}

/* SEQUENCE follows each identity: unchanged keeps it, a move raises it by
 * one, a return after being dropped by two; one person's part holds what
 * they attend and what is for everyone. */
static void test_entities_sessions_sequence_and_agenda(void **state)
{
    struct fixture *f = *state;
    const char *const alice[] = {f->p1, NULL}, *const both[] = {f->p1, f->p2, NULL};
    const char *const bob[] = {f->p2, NULL};
    char a1[STORE_ID_MAX + 1], a2[STORE_ID_MAX + 1], a3[STORE_ID_MAX + 1];
    char g2[STORE_ID_MAX + 8];
    struct store_session v[4];
    struct store_schedule got;
    struct forum_error err;

    snprintf(g2, sizeof(g2), "%s-2", f->t2);
    new_draft(f, a1);
    new_draft(f, a2);
    new_draft(f, a3);
    /* v1: t1 in s1, t2 group 2 in s2, a plenary (no room) in s2. */
    v[0] = session_of(f->t1, f->t1, 1, f->r1, f->s1, "2025-09-18T07:00:00Z",
                      "2025-09-18T08:00:00Z", both);
    v[1] = session_of(g2, f->t2, 2, f->r1, f->s2, "2025-09-18T08:00:00Z",
                      "2025-09-18T09:00:00Z", bob);
    v[2] = session_of("bplenary", NULL, 1, NULL, f->s2, "2025-09-18T08:00:00Z",
                      "2025-09-18T09:00:00Z", NULL);
    assert_int_equal(publish(f, 1, a1, v, 3), FORUM_OK);
    /* v2: t1 unchanged, t2-2 dropped, the plenary longer (its time changed). */
    v[0] = session_of(f->t1, f->t1, 1, f->r1, f->s1, "2025-09-18T07:00:00Z",
                      "2025-09-18T08:00:00Z", alice);
    v[1] = session_of("bplenary", NULL, 1, NULL, f->s2, "2025-09-18T08:00:00Z",
                      "2025-09-18T09:30:00Z", NULL);
    assert_int_equal(publish(f, 2, a2, v, 2), FORUM_OK);
    /* v3: t1 moves to s2, t2-2 comes back in s1. */
    v[0] = session_of(f->t1, f->t1, 1, f->r1, f->s2, "2025-09-18T08:00:00Z",
                      "2025-09-18T09:00:00Z", alice);
    v[1] = session_of(g2, f->t2, 2, f->r1, f->s1, "2025-09-18T07:00:00Z",
                      "2025-09-18T08:00:00Z", bob);
    assert_int_equal(publish(f, 3, a3, v, 2), FORUM_OK);

    assert_int_equal(
        store_schedule_get(f->s, f->eid, 2, NULL, STORE_SCHEDULE_ATTENDEES, &got, NULL),
        FORUM_OK);
    assert_int_equal(got.version, 2);
    assert_int_equal(got.n_sessions, 2);
    assert_string_equal(got.sessions[0].id, f->t1);
    assert_int_equal(got.sessions[0].sequence, 0);
    assert_int_equal(got.sessions[0].attendees.n, 1);
    assert_string_equal(got.sessions[1].id, "bplenary");
    assert_int_equal(got.sessions[1].sequence, 1);
    assert_true(got.sessions[1].everyone);
    assert_null(got.sessions[1].topic_id);
    store_schedule_release(&got);

    assert_int_equal(store_schedule_get(f->s, f->eid, 0, NULL, 0, &got, NULL), FORUM_OK);
    assert_int_equal(got.version, 3);
    assert_string_equal(got.sessions[0].id, g2); /* by start time */
    assert_int_equal(got.sessions[0].group, 2);
    assert_int_equal(got.sessions[0].sequence, 2);
    assert_string_equal(got.sessions[1].id, f->t1);
    assert_int_equal(got.sessions[1].sequence, 1);
    store_schedule_release(&got);

    /* One person's part: Bob attends t2-2 in v1, and the plenary is everyone's. */
    assert_int_equal(store_schedule_get(f->s, f->eid, 1, f->p2, 0, &got, NULL), FORUM_OK);
    assert_int_equal(got.n_sessions, 3);
    store_schedule_release(&got);
    assert_int_equal(store_schedule_get(f->s, f->eid, 2, f->p2, 0, &got, NULL), FORUM_OK);
    assert_int_equal(got.n_sessions, 1);
    assert_string_equal(got.sessions[0].id, "bplenary");
    store_schedule_release(&got);
    forum_error_clear(&err);
    assert_int_equal(store_schedule_get(f->s, f->eid, 9, NULL, 0, &got, &err),
                     FORUM_ENOTFOUND);
}

/* Blocks: a slot in one block only, a plenary in a room, topics in allocated
 * blocks of their own event, a room in use by a block kept. */
static void test_entities_blocks(void **state)
{
    struct fixture *f = *state;
    struct store_block b, *list;
    struct store_topic t;
    char forum[STORE_ID_MAX + 1], plen[STORE_ID_MAX + 1], id[STORE_ID_MAX + 1];
    struct forum_error err;
    size_t n;

    memset(&b, 0, sizeof(b));
    b.name = S("Forum ouvert");
    b.kind = S("forum");
    b.proposals_open = true;
    store_strv_push(&b.slots, f->s2);
    assert_int_equal(store_block_create(f->s, f->eid, &b, forum, NULL), FORUM_OK);
    store_strv_release(&b.slots);

    b.name = S("Temps fort");
    b.kind = S("plenary");
    b.proposals_open = false;
    store_strv_push(&b.slots, f->s1);
    forum_error_clear(&err);
    assert_int_equal(store_block_create(f->s, f->eid, &b, id, &err), FORUM_EINVAL);
    b.room_id = f->r1;
    assert_int_equal(store_block_create(f->s, f->eid, &b, plen, NULL), FORUM_OK);
    /* s1 is the plenary's: no other block takes it. */
    b.name = S("Ateliers");
    b.kind = S("workshops");
    b.room_id = NULL;
    forum_error_clear(&err);
    assert_int_equal(store_block_create(f->s, f->eid, &b, id, &err), FORUM_ECONFLICT);
    assert_string_equal(err.field, "slots");
    store_strv_release(&b.slots);
    /* A slot of another event is refused. */
    store_strv_push(&b.slots, f->os1);
    forum_error_clear(&err);
    assert_int_equal(store_block_create(f->s, f->eid, &b, id, &err), FORUM_EINVAL);
    assert_string_equal(err.field, "slots");
    store_strv_release(&b.slots);

    assert_int_equal(store_block_list(f->s, f->eid, &list, &n, NULL), FORUM_OK);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].id, plen); /* the day's order: s1 before s2 */
    assert_string_equal(list[0].starts_at, "2025-09-18T07:00:00Z");
    assert_string_equal(list[1].id, forum);
    assert_true(list[1].proposals_open);
    store_blocks_free(list, n);

    /* Topics go in allocated blocks only. */
    assert_int_equal(store_topic_get(f->s, f->eid, f->t1, &t, NULL), FORUM_OK);
    free(t.block_id);
    t.block_id = strdup(plen);
    forum_error_clear(&err);
    assert_int_equal(store_topic_update(f->s, f->eid, &t, &err), FORUM_EINVAL);
    assert_string_equal(err.field, "block");
    free(t.block_id);
    t.block_id = strdup(forum);
    t.groups_max = 3;
    t.group_size_min = 6;
    t.group_size_max = 8;
    assert_int_equal(store_topic_update(f->s, f->eid, &t, NULL), FORUM_OK);
    store_topic_release(&t);
    assert_int_equal(store_topic_get(f->s, f->eid, f->t1, &t, NULL), FORUM_OK);
    assert_string_equal(t.block_id, forum);
    assert_int_equal(t.groups_max, 3);
    assert_int_equal(t.group_size_min, 6);
    assert_int_equal(t.group_size_max, 8);
    /* size_min above size_max is refused by the schema too. */
    t.group_size_min = 9;
    assert_int_equal(store_topic_update(f->s, f->eid, &t, NULL), FORUM_EINVAL);
    store_topic_release(&t);

    /* The plenary's room stays while the plenary is there. */
    forum_error_clear(&err);
    assert_int_equal(store_room_delete(f->s, f->eid, f->r1, &err), FORUM_ECONFLICT);
    assert_non_null(strstr(err.msg, "Temps fort"));
    /* A deleted block leaves its topics in none, and its slots. */
    assert_int_equal(store_block_delete(f->s, f->eid, forum, NULL), FORUM_OK);
    assert_int_equal(store_topic_get(f->s, f->eid, f->t1, &t, NULL), FORUM_OK);
    assert_null(t.block_id);
    store_topic_release(&t);
    assert_int_equal(store_block_delete(f->s, f->eid, forum, NULL), FORUM_ENOTFOUND);
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

/* Saves notes with key points kp as author (pid or NULL) at now over rev if_rev. */
static enum forum_status save_notes(struct fixture *f, const char *sid, long if_rev,
                                    const char *pid, const char *name, const char *now,
                                    const char *kp, struct store_notes *out)
{
    struct store_notes in;

    memset(&in, 0, sizeof(in));
    in.author_id = S(pid);
    in.author_name = S(name);
    in.attendance = 7;
    in.key_points = S(kp);
    return store_notes_put(f->s, f->eid, sid, if_rev, &in, now, out, NULL);
}

static void test_entities_notes(void **state)
{
    struct fixture *f = *state;
    struct store_notes got, *v;
    struct store_session x[1];
    char a1[STORE_ID_MAX + 1], a2[STORE_ID_MAX + 1];
    size_t n;
    long version;

    /* None yet: revision 0, empty. */
    assert_int_equal(store_notes_get(f->s, f->eid, f->t1, &got, NULL), FORUM_OK);
    assert_int_equal(got.rev, 0);
    assert_int_equal(got.attendance, -1);
    assert_string_equal(got.key_points, "");
    assert_null(got.saved_at);
    store_notes_release(&got);

    /* Saved over revision 0; a save over a stale revision writes nothing and
     * gives the notes that won. */
    assert_int_equal(
        save_notes(f, f->t1, 0, f->p1, "Ann", "2025-09-18T08:00:00Z", "first", &got),
        FORUM_OK);
    assert_int_equal(got.rev, 1);
    assert_string_equal(got.author_id, f->p1);
    assert_string_equal(got.author_name, "Ann");
    assert_int_equal(got.attendance, 7);
    store_notes_release(&got);
    assert_int_equal(
        save_notes(f, f->t1, 0, f->p2, "Bo", "2025-09-18T08:00:05Z", "second", &got),
        FORUM_ECONFLICT);
    assert_int_equal(got.rev, 1);
    assert_string_equal(got.key_points, "first");
    store_notes_release(&got);

    /* The same author within STORE_NOTES_JOIN_S: one revision, updated. */
    assert_int_equal(
        save_notes(f, f->t1, 1, f->p1, "Ann", "2025-09-18T08:05:00Z", "first+", &got),
        FORUM_OK);
    assert_int_equal(got.rev, 2);
    assert_string_equal(got.started_at, "2025-09-18T08:00:00Z");
    assert_string_equal(got.saved_at, "2025-09-18T08:05:00Z");
    store_notes_release(&got);
    assert_int_equal(store_notes_revisions(f->s, f->eid, f->t1, &v, &n, NULL), FORUM_OK);
    assert_int_equal((int)n, 1);
    store_notes_free(v, n);
    /* Another author, then the first one again: new revisions. */
    assert_int_equal(
        save_notes(f, f->t1, 2, f->p2, "Bo", "2025-09-18T08:06:00Z", "bo's", &got),
        FORUM_OK);
    store_notes_release(&got);
    assert_int_equal(
        save_notes(f, f->t1, 3, f->p1, "Ann", "2025-09-18T08:07:00Z", "ann's", &got),
        FORUM_OK);
    store_notes_release(&got);
    /* The facilitator (no participant id) is an author of their own. */
    assert_int_equal(
        save_notes(f, f->t1, 4, NULL, "", "2025-09-18T08:07:30Z", "fac's", &got),
        FORUM_OK);
    assert_null(got.author_id);
    store_notes_release(&got);
    assert_int_equal(store_notes_revisions(f->s, f->eid, f->t1, &v, &n, NULL), FORUM_OK);
    assert_int_equal((int)n, 4);
    assert_int_equal(v[0].rev, 5);
    assert_string_equal(v[0].key_points, "fac's");
    assert_int_equal(v[3].rev, 2);
    assert_string_equal(v[3].key_points, "first+");
    store_notes_free(v, n);
    assert_int_equal(store_notes_revision(f->s, f->eid, f->t1, 3, &got, NULL), FORUM_OK);
    assert_string_equal(got.key_points, "bo's");
    store_notes_release(&got);
    assert_int_equal(store_notes_revision(f->s, f->eid, f->t1, 1, &got, NULL),
                     FORUM_ENOTFOUND);
    store_notes_release(&got);
    /* Past the join window, the same author starts a new revision. */
    assert_int_equal(
        save_notes(f, f->t1, 5, NULL, "", "2025-09-18T08:30:00Z", "fac later", &got),
        FORUM_OK);
    store_notes_release(&got);
    assert_int_equal(store_notes_revisions(f->s, f->eid, f->t1, &v, &n, NULL), FORUM_OK);
    assert_int_equal((int)n, 5);
    store_notes_free(v, n);

    /* Only the last STORE_NOTES_KEEP revisions are kept. */
    for (long r = 6; r < 6 + STORE_NOTES_KEEP + 5; r++) {
        assert_int_equal(save_notes(f, f->t2, r - 6, r % 2 ? f->p1 : f->p2, "x",
                                    "2025-09-18T09:00:00Z", "t2", &got),
                         FORUM_OK);
        store_notes_release(&got);
    }
    assert_int_equal(store_notes_revisions(f->s, f->eid, f->t2, &v, &n, NULL), FORUM_OK);
    assert_int_equal((int)n, STORE_NOTES_KEEP);
    assert_int_equal(v[0].rev, STORE_NOTES_KEEP + 5);
    store_notes_free(v, n);

    /* Every session's notes as they are. */
    assert_int_equal(store_notes_list(f->s, f->eid, &v, &n, NULL), FORUM_OK);
    assert_int_equal((int)n, 2);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(v[i].key_points,
                            strcmp(v[i].session_id, f->t1) == 0 ? "fac later" : "t2");
    store_notes_free(v, n);
    assert_int_equal(store_notes_list(f->s, f->other, &v, &n, NULL), FORUM_OK);
    assert_int_equal((int)n, 0);
    store_notes_free(v, n);

    /* A session identity's last version. */
    assert_int_equal(store_session_last_version(f->s, f->eid, f->t1, &version, NULL),
                     FORUM_ENOTFOUND);
    new_draft(f, a1);
    new_draft(f, a2);
    x[0] = session_of(f->t1, f->t1, 1, f->r1, f->s1, "2025-09-18T07:00:00Z",
                      "2025-09-18T08:00:00Z", NULL);
    assert_int_equal(publish(f, 1, a1, x, 1), FORUM_OK);
    x[0] = session_of(f->t2, f->t2, 1, f->r1, f->s1, "2025-09-18T07:00:00Z",
                      "2025-09-18T08:00:00Z", NULL);
    assert_int_equal(publish(f, 2, a2, x, 1), FORUM_OK);
    assert_int_equal(store_session_last_version(f->s, f->eid, f->t1, &version, NULL),
                     FORUM_OK);
    assert_int_equal(version, 1);
    assert_int_equal(store_session_last_version(f->s, f->eid, f->t2, &version, NULL),
                     FORUM_OK);
    assert_int_equal(version, 2);
    assert_int_equal(store_session_last_version(f->s, f->other, f->t2, &version, NULL),
                     FORUM_ENOTFOUND);
}

static void test_entities_presence(void **state)
{
    struct fixture *f = *state;
    struct store_presence *v;
    size_t n;

    assert_int_equal(store_presence_set(f->s, f->eid, f->t1, f->p2, true, NULL),
                     FORUM_OK);
    assert_int_equal(store_presence_set(f->s, f->eid, f->t1, f->p1, true, NULL),
                     FORUM_OK);
    /* Saying it twice is saying it once. */
    assert_int_equal(store_presence_set(f->s, f->eid, f->t1, f->p1, true, NULL),
                     FORUM_OK);
    assert_int_equal(store_presence_set(f->s, f->eid, f->t2, f->p1, true, NULL),
                     FORUM_OK);
    /* Someone of another event cannot be there. */
    assert_int_not_equal(store_presence_set(f->s, f->eid, f->t1, f->op, true, NULL),
                         FORUM_OK);
    assert_int_equal(store_presence_list(f->s, f->eid, f->t1, &v, &n, NULL), FORUM_OK);
    assert_int_equal((int)n, 2);
    assert_string_equal(v[0].name, "Alice");
    assert_string_equal(v[1].name, "Bob");
    store_presences_free(v, n);
    assert_int_equal(store_presence_list(f->s, f->eid, NULL, &v, &n, NULL), FORUM_OK);
    assert_int_equal((int)n, 3);
    store_presences_free(v, n);
    assert_int_equal(store_presence_set(f->s, f->eid, f->t1, f->p1, false, NULL),
                     FORUM_OK);
    assert_int_equal(store_presence_list(f->s, f->eid, f->t1, &v, &n, NULL), FORUM_OK);
    assert_int_equal((int)n, 1);
    assert_string_equal(v[0].participant_id, f->p2);
    store_presences_free(v, n);
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
        T(test_entities_sessions_sequence_and_agenda),
        T(test_entities_blocks),
        T(test_entities_clashes),
        T(test_entities_join_code_unique),
        T(test_entities_notes),
        T(test_entities_presence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
