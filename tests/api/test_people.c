/* SPDX-License-Identifier: MIT */
/*
 * Participants, their profile, topics and votes: a participant touches only
 * their own topics, votes and profile; tallies show only where allowed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client.h"

static json_t *find(json_t *arr, const char *id)
{
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x)
    {
        if (strcmp(json_string_value(json_object_get(x, "id")), id) == 0)
            return x;
    }
    return NULL;
}

static void test_people_participants_list_facilitator_only(void **state)
{
    struct tc *t = *state;
    json_t *doc;
    char p[256];

    snprintf(p, sizeof(p), "/api/v1/events/%s/participants", t->eid);
    assert_int_equal(tc_call(t, API_GET, p, t->fac, NULL, &doc), 200);
    assert_int_equal(json_array_size(doc), 2);
    assert_null(json_object_get(json_array_get(doc, 0), "token"));
    json_decref(doc);
    tc_expect_error(t, API_GET, p, NULL, NULL, 401, "unauthorized", NULL);
    tc_expect_error(t, API_GET, p, t->ptok[0], NULL, 403, "forbidden", NULL);
    tc_expect_error(t, API_GET, p, t->other_fac, NULL, 403, "forbidden", NULL);
    tc_expect_error(t, API_POST, p, NULL, "{\"name\":\"\"}", 422, "empty", "name");
    tc_expect_error(t, API_POST, p, NULL, "{}", 422, "missing", "name");
}

static void test_people_me(void **state)
{
    struct tc *t = *state;
    json_t *doc;
    char p[256], body[256], feed[200];

    snprintf(p, sizeof(p), "/api/v1/events/%s/me", t->eid);
    assert_int_equal(tc_call(t, API_GET, p, t->ptok[0], NULL, &doc), 200);
    assert_string_equal(json_string_value(json_object_get(doc, "id")), t->part[0]);
    snprintf(feed, sizeof(feed), "%s",
             json_string_value(json_object_get(doc, "calendar_url")));
    json_decref(doc);
    /* The feed link never carries the token. */
    assert_null(strstr(feed, t->ptok[0]));
    assert_non_null(strstr(feed, "/agenda/"));
    tc_expect_error(t, API_GET, p, t->fac, NULL, 403, "forbidden", NULL);
    tc_expect_error(t, API_GET, p, t->other_ptok, NULL, 403, "forbidden", NULL);
    tc_expect_error(t, API_GET, p, NULL, NULL, 401, "unauthorized", NULL);
    snprintf(body, sizeof(body),
             "{\"name\":\"Alice\",\"needs\":[\"accessible\"],\"unavailable\":[\"%s\"]}",
             t->slot[1]);
    assert_int_equal(tc_call(t, API_PATCH, p, t->ptok[0], body, &doc), 200);
    assert_string_equal(json_string_value(json_object_get(doc, "name")), "Alice");
    assert_int_equal(json_array_size(json_object_get(doc, "unavailable")), 1);
    json_decref(doc);
    tc_expect_error(t, API_PATCH, p, t->ptok[0], "{\"unavailable\":[\"nope\"]}", 422,
                    "invalid", "unavailable");
    tc_expect_error(t, API_PATCH, p, t->ptok[0], "{\"token\":\"x\"}", 422,
                    "unknown_field", "token");
    /* The other participant is unchanged. */
    assert_int_equal(tc_call(t, API_GET, p, t->ptok[1], NULL, &doc), 200);
    assert_string_equal(json_string_value(json_object_get(doc, "name")), "Person 1");
    json_decref(doc);
}

static void test_people_topics_hosts_and_tallies(void **state)
{
    struct tc *t = *state;
    json_t *doc, *x;
    char p[256];

    snprintf(p, sizeof(p), "/api/v1/events/%s/topics", t->eid);
    assert_int_equal(tc_call(t, API_GET, p, NULL, NULL, &doc), 200);
    assert_int_equal(json_array_size(doc), 2);
    x = find(doc, t->topic[1]);
    assert_null(json_object_get(x, "votes")); /* tallies hidden by default */
    assert_null(json_object_get(x, "mine"));
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(x, "hosts"), 0), "name")),
                        "Person 1");
    assert_true(json_is_null(json_object_get(x, "fixed")));
    json_decref(doc);
    assert_int_equal(tc_call(t, API_GET, p, t->ptok[1], NULL, &doc), 200);
    assert_true(json_is_true(json_object_get(find(doc, t->topic[1]), "mine")));
    assert_null(json_object_get(find(doc, t->topic[0]), "mine"));
    json_decref(doc);
    assert_int_equal(tc_call(t, API_GET, p, t->fac, NULL, &doc), 200);
    x = json_object_get(find(doc, t->topic[1]), "votes");
    assert_int_equal(json_integer_value(json_object_get(x, "count")), 1);
    assert_int_equal(json_integer_value(json_object_get(x, "weight")), 2);
    json_decref(doc);
    /* With show_tallies, anyone sees them. */
    assert_int_equal(tc_call(t, API_PATCH, tc_path("/api/v1/events/%s", t->eid), t->fac,
                             "{\"show_tallies\":true}", NULL),
                     200);
    assert_int_equal(tc_call(t, API_GET, p, NULL, NULL, &doc), 200);
    assert_non_null(json_object_get(find(doc, t->topic[1]), "votes"));
    json_decref(doc);
}

static void test_people_topic_changes_by_host_only(void **state)
{
    struct tc *t = *state;
    json_t *doc;
    char p[400], q[400], body[300];

    snprintf(p, sizeof(p), "/api/v1/events/%s/topics/%s", t->eid, t->topic[0]);
    snprintf(q, sizeof(q), "/api/v1/events/%s/topics/%s", t->eid, t->topic[1]);
    tc_expect_error(t, API_PATCH, q, t->ptok[0], "{\"title\":\"Mine now\"}", 403,
                    "forbidden", NULL);
    tc_expect_error(t, API_DELETE, q, t->ptok[0], NULL, 403, "forbidden", NULL);
    tc_expect_error(t, API_PATCH, p, t->other_ptok, "{\"title\":\"x\"}", 403, "forbidden",
                    NULL);
    tc_expect_error(t, API_PATCH, p, NULL, "{\"title\":\"x\"}", 401, "unauthorized",
                    NULL);
    assert_int_equal(
        tc_call(t, API_PATCH, p, t->ptok[0],
                "{\"title\":\"Nouveau titre\",\"description\":\"ligne 1\\nligne "
                "2\",\"max_size\":8,\"needs\":[\"projector\"]}",
                &doc),
        200);
    assert_string_equal(json_string_value(json_object_get(doc, "title")),
                        "Nouveau titre");
    assert_int_equal(json_integer_value(json_object_get(doc, "max_size")), 8);
    json_decref(doc);
    /* Only the facilitator locks a topic. */
    snprintf(body, sizeof(body), "{\"fixed\":{\"room\":\"%s\",\"slot\":\"%s\"}}",
             t->room[0], t->slot[0]);
    tc_expect_error(t, API_PATCH, p, t->ptok[0], body, 403, "forbidden", "fixed");
    assert_int_equal(tc_call(t, API_PATCH, p, t->fac, body, &doc), 200);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(doc, "fixed"), "room")),
        t->room[0]);
    json_decref(doc);
    /* One topic per locked cell; a placement must be in this event. */
    tc_expect_error(t, API_PATCH, q, t->fac, body, 409, "conflict", "fixed");
    tc_expect_error(t, API_PATCH, q, t->fac,
                    "{\"fixed\":{\"room\":\"x\",\"slot\":\"y\"}}", 422, "invalid",
                    "fixed");
    tc_expect_error(t, API_PATCH, q, t->fac, "{\"fixed\":[1]}", 422, "wrong_type",
                    "fixed");
    assert_int_equal(
        tc_call(t, API_PATCH, p, t->fac, "{\"fixed\":null,\"max_size\":null}", &doc),
        200);
    assert_true(json_is_null(json_object_get(doc, "fixed")));
    assert_true(json_is_null(json_object_get(doc, "max_size")));
    json_decref(doc);
    /* The topic of another event is not found through this one. */
    tc_expect_error(t, API_DELETE,
                    tc_path("/api/v1/events/%s/topics/%s", t->eid, t->other_topic),
                    t->fac, NULL, 404, "not_found", NULL);
    assert_int_equal(tc_call(t, API_DELETE, p, t->ptok[0], NULL, NULL), 204);
    assert_int_equal(tc_call(t, API_DELETE, q, t->fac, NULL, NULL), 204);
}

static void test_people_proposals_closed(void **state)
{
    struct tc *t = *state;
    char p[256];

    snprintf(p, sizeof(p), "/api/v1/events/%s/topics", t->eid);
    assert_int_equal(tc_call(t, API_PATCH, tc_path("/api/v1/events/%s", t->eid), t->fac,
                             "{\"proposals_open\":false}", NULL),
                     200);
    tc_expect_error(t, API_POST, p, t->ptok[0], "{\"title\":\"Late\"}", 409,
                    "proposals_closed", NULL);
    /* The facilitator still may. */
    assert_int_equal(tc_call(t, API_POST, p, t->fac, "{\"title\":\"Plénière\"}", NULL),
                     201);
    tc_expect_error(t, API_POST, p, NULL, "{\"title\":\"x\"}", 401, "unauthorized", NULL);
    tc_expect_error(t, API_POST, p, t->other_ptok, "{\"title\":\"x\"}", 403, "forbidden",
                    NULL);
}

static void test_people_votes(void **state)
{
    struct tc *t = *state;
    json_t *doc;
    char v0[400], v1[400], mine[256];

    snprintf(v0, sizeof(v0), "/api/v1/events/%s/topics/%s/vote", t->eid, t->topic[0]);
    snprintf(v1, sizeof(v1), "/api/v1/events/%s/topics/%s/vote", t->eid, t->topic[1]);
    snprintf(mine, sizeof(mine), "/api/v1/events/%s/me/votes", t->eid);
    tc_expect_error(t, API_PUT, v0, t->ptok[1], "{\"weight\":4}", 422, "out_of_range",
                    "weight");
    tc_expect_error(t, API_PUT, v0, t->ptok[1], "{\"weight\":0}", 422, "out_of_range",
                    "weight");
    tc_expect_error(t, API_PUT, v0, t->ptok[1], "{\"weight\":\"2\"}", 422, "wrong_type",
                    "weight");
    tc_expect_error(t, API_PUT, v0, t->ptok[1], "{}", 422, "missing", "weight");
    tc_expect_error(t, API_PUT, v0, t->fac, "{\"weight\":1}", 403, "forbidden", NULL);
    tc_expect_error(t, API_PUT, v0, t->other_ptok, "{\"weight\":1}", 403, "forbidden",
                    NULL);
    tc_expect_error(t, API_PUT,
                    tc_path("/api/v1/events/%s/topics/%s/vote", t->eid, t->other_topic),
                    t->ptok[0], "{\"weight\":1}", 404, "not_found", NULL);
    assert_int_equal(tc_call(t, API_PUT, v0, t->ptok[1], "{\"weight\":3}", &doc), 200);
    assert_int_equal(json_integer_value(json_object_get(doc, "weight")), 3);
    json_decref(doc);
    assert_int_equal(tc_call(t, API_GET, mine, t->ptok[1], NULL, &doc), 200);
    assert_int_equal(json_array_size(doc), 1);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(doc, 0), "topic")), t->topic[0]);
    json_decref(doc);
    /* The budget. */
    assert_int_equal(tc_call(t, API_PATCH, tc_path("/api/v1/events/%s", t->eid), t->fac,
                             "{\"vote_budget\":4}", NULL),
                     200);
    tc_expect_error(t, API_PUT, v1, t->ptok[1], "{\"weight\":2}", 409, "over_budget",
                    "weight");
    assert_int_equal(tc_call(t, API_PUT, v1, t->ptok[1], "{\"weight\":1}", NULL), 200);
    /* Voting closed. */
    assert_int_equal(tc_call(t, API_PATCH, tc_path("/api/v1/events/%s", t->eid), t->fac,
                             "{\"voting_open\":false}", NULL),
                     200);
    tc_expect_error(t, API_PUT, v0, t->ptok[1], "{\"weight\":1}", 409, "voting_closed",
                    NULL);
    tc_expect_error(t, API_DELETE, v0, t->ptok[1], NULL, 409, "voting_closed", NULL);
    assert_int_equal(tc_call(t, API_PATCH, tc_path("/api/v1/events/%s", t->eid), t->fac,
                             "{\"voting_open\":true}", NULL),
                     200);
    assert_int_equal(tc_call(t, API_DELETE, v0, t->ptok[1], NULL, NULL), 204);
    tc_expect_error(t, API_DELETE, v0, t->ptok[1], NULL, 404, "not_found", NULL);
    assert_int_equal(tc_call(t, API_GET, mine, t->ptok[1], NULL, &doc), 200);
    assert_int_equal(json_array_size(doc), 1);
    json_decref(doc);
}

static void test_people_clashes(void **state)
{
    struct tc *t = *state;
    json_t *doc;
    char p[256];

    assert_int_equal(
        tc_call(t, API_PUT,
                tc_path("/api/v1/events/%s/topics/%s/vote", t->eid, t->topic[0]),
                t->ptok[0], "{\"weight\":1}", NULL),
        200);
    snprintf(p, sizeof(p), "/api/v1/events/%s/clashes", t->eid);
    assert_int_equal(tc_call(t, API_GET, p, t->fac, NULL, &doc), 200);
    assert_int_equal(json_array_size(doc), 1);
    assert_int_equal(
        json_integer_value(json_object_get(json_array_get(doc, 0), "shared")), 1);
    json_decref(doc);
    tc_expect_error(t, API_GET, p, t->ptok[0], NULL, 403, "forbidden", NULL);
    {
        struct api_response resp;
        char auth[100];
        snprintf(auth, sizeof(auth), "Bearer %s", t->fac);
        tc_raw(t, API_GET, p, "limit=0", auth, NULL, NULL, NULL, NULL, &resp);
        assert_int_equal(resp.status, 422);
        api_response_release(&resp);
        tc_raw(t, API_GET, p, "limit=1", auth, NULL, NULL, NULL, NULL, &resp);
        assert_int_equal(resp.status, 200);
        api_response_release(&resp);
    }
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, tc_setup, tc_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_people_participants_list_facilitator_only),
        T(test_people_me),
        T(test_people_topics_hosts_and_tallies),
        T(test_people_topic_changes_by_host_only),
        T(test_people_proposals_closed),
        T(test_people_votes),
        T(test_people_clashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
