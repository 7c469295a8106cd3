/* SPDX-License-Identifier: MIT */
/* Events, join codes, slots and rooms: what each role may and may not do. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client.h"
#include "forum/store.h"

static void test_events_create_only_admin(void **state)
{
    struct tc *t = *state;
    json_t *doc;
    const char *body = "{\"name\":\"Nouvel événement\",\"join_code\":\"CODE-1\","
                       "\"vote_budget\":5,\"locale\":\"en\"}";

    tc_expect_error(t, API_POST, "/api/v1/events", NULL, body, 401, "unauthorized", NULL);
    tc_expect_error(t, API_POST, "/api/v1/events", t->fac, body, 403, "forbidden", NULL);
    tc_expect_error(t, API_POST, "/api/v1/events", t->ptok[0], body, 403, "forbidden",
                    NULL);
    assert_int_equal(tc_call(t, API_POST, "/api/v1/events", TC_ADMIN, body, &doc), 201);
    assert_string_equal(json_string_value(json_object_get(doc, "name")),
                        "Nouvel événement");
    assert_string_equal(json_string_value(json_object_get(doc, "join_code")), "CODE-1");
    assert_int_equal(json_integer_value(json_object_get(doc, "max_weight")), 3);
    assert_int_equal(json_integer_value(json_object_get(doc, "vote_budget")), 5);
    assert_true(json_is_true(json_object_get(doc, "join_code_required")));
    assert_int_equal(strlen(json_string_value(json_object_get(doc, "facilitator_token"))),
                     32);
    json_decref(doc);
    /* The join code is unique. */
    tc_expect_error(t, API_POST, "/api/v1/events", TC_ADMIN, body, 409, "conflict",
                    "join_code");
}

static void test_events_get_public_code_private(void **state)
{
    struct tc *t = *state;
    json_t *doc;
    const char *path = tc_path("/api/v1/events/%s", t->eid);
    char p[256];

    snprintf(p, sizeof(p), "%s", path);
    assert_int_equal(tc_call(t, API_PATCH, p, t->fac, "{\"join_code\":\"SECRET\"}", &doc),
                     200);
    json_decref(doc);
    assert_int_equal(tc_call(t, API_GET, p, NULL, NULL, &doc), 200);
    assert_string_equal(json_string_value(json_object_get(doc, "timezone")),
                        "Europe/Paris");
    assert_true(json_is_true(json_object_get(doc, "join_code_required")));
    assert_null(json_object_get(doc, "join_code"));
    json_decref(doc);
    assert_int_equal(tc_call(t, API_GET, p, t->ptok[0], NULL, &doc), 200);
    assert_null(json_object_get(doc, "join_code"));
    json_decref(doc);
    assert_int_equal(tc_call(t, API_GET, p, t->fac, NULL, &doc), 200);
    assert_string_equal(json_string_value(json_object_get(doc, "join_code")), "SECRET");
    json_decref(doc);
    /* An unknown token is refused even where none is needed. */
    tc_expect_error(t, API_GET, p, "0123456789abcdef0123456789abcdef", NULL, 401,
                    "unauthorized", NULL);
    tc_expect_error(t, API_GET, "/api/v1/events/nosuchevent", NULL, NULL, 404,
                    "not_found", NULL);
}

static void test_events_patch_roles_and_fields(void **state)
{
    struct tc *t = *state;
    json_t *doc;
    char p[256];

    snprintf(p, sizeof(p), "/api/v1/events/%s", t->eid);
    tc_expect_error(t, API_PATCH, p, NULL, "{\"name\":\"x\"}", 401, "unauthorized", NULL);
    tc_expect_error(t, API_PATCH, p, t->ptok[0], "{\"name\":\"x\"}", 403, "forbidden",
                    NULL);
    tc_expect_error(t, API_PATCH, p, t->other_fac, "{\"name\":\"x\"}", 403, "forbidden",
                    NULL);
    tc_expect_error(t, API_PATCH, p, t->fac, "{\"timezone\":\"Mars/Olympus\"}", 422,
                    "invalid", "timezone");
    tc_expect_error(t, API_PATCH, p, t->fac, "{\"max_weight\":0}", 422, "out_of_range",
                    "max_weight");
    tc_expect_error(t, API_PATCH, p, t->fac, "{\"voting_open\":\"no\"}", 422,
                    "wrong_type", "voting_open");
    tc_expect_error(t, API_PATCH, p, t->fac, "{\"colour\":\"blue\"}", 422,
                    "unknown_field", "colour");
    assert_int_equal(
        tc_call(t, API_PATCH, p, t->fac,
                "{\"name\":\"Renamed\",\"voting_open\":false,\"show_tallies\":true,"
                "\"locale\":\"en\",\"join_code\":null}",
                &doc),
        200);
    assert_string_equal(json_string_value(json_object_get(doc, "name")), "Renamed");
    assert_true(json_is_false(json_object_get(doc, "voting_open")));
    assert_true(json_is_true(json_object_get(doc, "show_tallies")));
    assert_true(json_is_null(json_object_get(doc, "join_code")));
    json_decref(doc);
    /* The admin acts as any facilitator. */
    assert_int_equal(tc_call(t, API_PATCH, p, TC_ADMIN, "{\"max_weight\":5}", NULL), 200);
}

static void test_events_join_code_lookup(void **state)
{
    struct tc *t = *state;
    json_t *doc;
    char p[256];

    snprintf(p, sizeof(p), "/api/v1/events/%s", t->eid);
    assert_int_equal(tc_call(t, API_PATCH, p, t->fac, "{\"join_code\":\"BIGRE\"}", NULL),
                     200);
    assert_int_equal(tc_call(t, API_GET, "/api/v1/join/BIGRE", NULL, NULL, &doc), 200);
    assert_string_equal(json_string_value(json_object_get(doc, "event")), t->eid);
    json_decref(doc);
    tc_expect_error(t, API_GET, "/api/v1/join/NOPE", NULL, NULL, 404, "not_found", NULL);
    /* Joining needs the code now; a facilitator may add people without it. */
    snprintf(p, sizeof(p), "/api/v1/events/%s/participants", t->eid);
    tc_expect_error(t, API_POST, p, NULL, "{\"name\":\"Sans code\"}", 403,
                    "bad_join_code", "join_code");
    tc_expect_error(t, API_POST, p, NULL, "{\"name\":\"Faux\",\"join_code\":\"BIGRF\"}",
                    403, "bad_join_code", "join_code");
    assert_int_equal(tc_call(t, API_POST, p, NULL,
                             "{\"name\":\"Avec\",\"join_code\":\"BIGRE\"}", NULL),
                     201);
    assert_int_equal(tc_call(t, API_POST, p, t->fac, "{\"name\":\"Ajouté\"}", NULL), 201);
}

static void test_events_slots(void **state)
{
    struct tc *t = *state;
    json_t *doc;
    char p[256], q[400];

    snprintf(p, sizeof(p), "/api/v1/events/%s/slots", t->eid);
    assert_int_equal(tc_call(t, API_GET, p, NULL, NULL, &doc), 200);
    assert_int_equal(json_array_size(doc), 2);
    /* Times come back normalised to UTC. */
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(doc, 0), "starts_at")),
        "2025-09-18T12:00:00Z");
    json_decref(doc);
    tc_expect_error(t, API_POST, p, t->ptok[0],
                    "{\"label\":\"x\",\"starts_at\":\"2025-09-18T10:00:00Z\","
                    "\"ends_at\":\"2025-09-18T11:00:00Z\"}",
                    403, "forbidden", NULL);
    tc_expect_error(t, API_POST, p, t->fac,
                    "{\"label\":\"x\",\"starts_at\":\"yesterday\","
                    "\"ends_at\":\"2025-09-18T11:00:00Z\"}",
                    422, "invalid", "starts_at");
    tc_expect_error(t, API_POST, p, t->fac,
                    "{\"label\":\"x\",\"starts_at\":\"2025-02-30T10:00:00Z\","
                    "\"ends_at\":\"2025-09-18T11:00:00Z\"}",
                    422, "invalid", "starts_at");
    tc_expect_error(t, API_POST, p, t->fac,
                    "{\"label\":\"x\",\"starts_at\":\"2025-09-18T12:00:00Z\","
                    "\"ends_at\":\"2025-09-18T11:00:00Z\"}",
                    422, "invalid", "ends_at");
    tc_expect_error(t, API_POST, p, t->fac, "{\"label\":\"x\"}", 422, "missing",
                    "starts_at");
    snprintf(q, sizeof(q), "%s/%s", p, t->slot[0]);
    assert_int_equal(tc_call(t, API_PATCH, q, t->fac, "{\"label\":\"Matin\"}", &doc),
                     200);
    assert_string_equal(json_string_value(json_object_get(doc, "label")), "Matin");
    json_decref(doc);
    tc_expect_error(t, API_PATCH, q, t->other_fac, "{\"label\":\"x\"}", 403, "forbidden",
                    NULL);
    tc_expect_error(t, API_DELETE, q, t->ptok[1], NULL, 403, "forbidden", NULL);
    assert_int_equal(tc_call(t, API_DELETE, q, t->fac, NULL, NULL), 204);
    tc_expect_error(t, API_DELETE, q, t->fac, NULL, 404, "not_found", NULL);
    tc_expect_error(t, API_PATCH, q, t->fac, "{\"label\":\"x\"}", 404, "not_found", NULL);
}

static void test_events_rooms(void **state)
{
    struct tc *t = *state;
    json_t *doc;
    char p[256], q[400], body[256];

    snprintf(p, sizeof(p), "/api/v1/events/%s/rooms", t->eid);
    assert_int_equal(tc_call(t, API_GET, p, NULL, NULL, &doc), 200);
    assert_int_equal(json_array_size(doc), 2);
    json_decref(doc);
    snprintf(body, sizeof(body),
             "{\"name\":\"Visio\",\"capacity\":30,\"features\":[\"online\"],"
             "\"unavailable\":[\"%s\"]}",
             t->slot[1]);
    assert_int_equal(tc_call(t, API_POST, p, t->fac, body, &doc), 201);
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(doc, "unavailable"), 0)),
        t->slot[1]);
    json_decref(doc);
    tc_expect_error(t, API_POST, p, t->fac, "{\"name\":\"x\",\"capacity\":-1}", 422,
                    "out_of_range", "capacity");
    tc_expect_error(t, API_POST, p, t->fac, "{\"name\":\"x\",\"capacity\":1.5}", 422,
                    "wrong_type", "capacity");
    tc_expect_error(t, API_POST, p, t->fac,
                    "{\"name\":\"x\",\"capacity\":3,\"unavailable\":[\"nosuchslot\"]}",
                    422, "invalid", "unavailable");
    tc_expect_error(t, API_POST, p, t->fac,
                    "{\"name\":\"x\",\"capacity\":3,\"features\":[\"\"]}", 422,
                    "wrong_type", "features");
    tc_expect_error(t, API_POST, p, NULL, "{\"name\":\"x\",\"capacity\":3}", 401,
                    "unauthorized", NULL);
    snprintf(q, sizeof(q), "%s/%s", p, t->room[0]);
    assert_int_equal(tc_call(t, API_PATCH, q, t->fac,
                             "{\"capacity\":12,\"features\":[\"projector\"]}", &doc),
                     200);
    assert_int_equal(json_integer_value(json_object_get(doc, "capacity")), 12);
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(doc, "features"), 0)),
        "projector");
    assert_string_equal(json_string_value(json_object_get(doc, "name")), "Room 0");
    json_decref(doc);
    tc_expect_error(t, API_DELETE, q, t->ptok[0], NULL, 403, "forbidden", NULL);
    assert_int_equal(tc_call(t, API_DELETE, q, t->fac, NULL, NULL), 204);
    assert_int_equal(tc_call(t, API_GET, p, NULL, NULL, &doc), 200);
    assert_int_equal(json_array_size(doc), 2);
    json_decref(doc);
}

/*
 * A database from before overlapping slots were refused may hold some: the
 * event is not allocated until they are fixed (docs/decisions/0011).
 */
static void test_events_legacy_overlap_not_allocated(void **state)
{
    struct tc *t = *state;
    struct store *s;
    char label[] = "Doublon", from[] = "2025-09-18T12:30:00Z",
         to[] = "2025-09-18T13:30:00Z";
    struct store_slot sl = {NULL, label, from, to};
    char id[STORE_ID_MAX + 1], p[256];

    assert_int_equal(store_open(t->db, &s, NULL), FORUM_OK);
    assert_int_equal(store_slot_create(s, t->eid, &sl, id, NULL), FORUM_OK);
    store_close(s);
    snprintf(p, sizeof(p), "/api/v1/events/%s/allocation/problem", t->eid);
    tc_expect_error(t, API_GET, p, t->fac, NULL, 422, "invalid_problem", "slots");
    snprintf(p, sizeof(p), "/api/v1/events/%s/allocation", t->eid);
    tc_expect_error(t, API_POST, p, t->fac, "{\"time_limit_ms\":10}", 422,
                    "invalid_problem", "slots");
    /* Moving the slot away fixes it. */
    snprintf(p, sizeof(p), "/api/v1/events/%s/slots/%s", t->eid, id);
    assert_int_equal(tc_call(t, API_PATCH, p, t->fac,
                             "{\"starts_at\":\"2025-09-19T12:30:00Z\","
                             "\"ends_at\":\"2025-09-19T13:30:00Z\"}",
                             NULL),
                     200);
    snprintf(p, sizeof(p), "/api/v1/events/%s/allocation/problem", t->eid);
    assert_int_equal(tc_call(t, API_GET, p, t->fac, NULL, NULL), 200);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, tc_setup, tc_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_events_create_only_admin),
        T(test_events_get_public_code_private),
        T(test_events_patch_roles_and_fields),
        T(test_events_join_code_lookup),
        T(test_events_slots),
        T(test_events_rooms),
        T(test_events_legacy_overlap_not_allocated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
