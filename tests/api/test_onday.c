/* SPDX-License-Identifier: MIT */
/*
 * On the day: the changes of the day (cancel, merge, move with its cost,
 * close a room from a slot on, a topic on the spot), their undo, If-Match
 * on the plan, the marketplace and its vote window, the agenda since a
 * version. Every bad input gets its 4xx with the error body naming the
 * field, and changes nothing (the whole event is compared before and
 * after). The daemon's clock is set by the test (forum_clock_set_offset),
 * never read from the day it runs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "client.h"
#include "forum/util/clock.h"

#define clock_at tc_clock_at

#define EV tc_event_path

/* A refused request: its status, code and field, with If-Match when given. */
static void refused(struct tc *t, enum api_method m, const char *path, const char *token,
                    const char *body, const char *if_match, int status, const char *code,
                    const char *field)
{
    json_t *doc = NULL, *e;
    char p[512];
    int got;

    snprintf(p, sizeof(p), "%s", path);
    got = tc_call_if(t, m, p, token, body, if_match, &doc, NULL);
    e = json_object_get(doc, "error");
    if (got != status || !json_is_object(e))
        fail_msg("%s %s: expected %d %s, got %d (%s)", p, body ? body : "", status, code,
                 got, json_string_value(json_object_get(e, "message")));
    assert_string_equal(json_string_value(json_object_get(e, "code")), code);
    assert_non_null(json_string_value(json_object_get(e, "message")));
    if (field != NULL)
        assert_string_equal(json_string_value(json_object_get(e, "field")), field);
    json_decref(doc);
}

/* Sends a request that must succeed with status; OUT: doc (may be NULL). */
static void ok(struct tc *t, enum api_method m, const char *path, const char *token,
               const char *body, int status, json_t **doc)
{
    json_t *d = NULL;
    char p[512];
    int got;

    snprintf(p, sizeof(p), "%s", path);
    got = tc_call(t, m, p, token, body, &d);
    if (got != status)
        fail_msg(
            "%s %s: expected %d, got %d (%s)", p, body ? body : "", status, got,
            json_string_value(json_object_get(json_object_get(d, "error"), "message")));
    if (doc != NULL)
        *doc = d;
    else
        json_decref(d);
}

/* Allocates and publishes; returns the version. */
static long publish(struct tc *t)
{
    json_t *doc;
    char body[128];
    long v;

    ok(t, API_POST, EV(t, "/allocation"), t->fac, "{\"time_limit_ms\":100}", 200, &doc);
    snprintf(body, sizeof(body), "{\"allocation\":\"%s\"}",
             json_string_value(json_object_get(doc, "id")));
    json_decref(doc);
    ok(t, API_POST, EV(t, "/schedule/publish"), t->fac, body, 200, &doc);
    v = (long)json_integer_value(json_object_get(doc, "version"));
    json_decref(doc);
    return v;
}

/* The plan's ETag now (64 bytes). */
static void plan_etag(struct tc *t, char *etag)
{
    char p[256];

    snprintf(p, sizeof(p), "%s", EV(t, "/changes"));
    assert_int_equal(tc_call_if(t, API_GET, p, t->fac, NULL, NULL, NULL, etag), 200);
    assert_true(etag[0] == '"');
}

static int setup(void **state)
{
    clock_at("2025-09-18T08:00:00+02:00"); /* the morning before the slots */
    return tc_setup(state);
}

static int teardown(void **state)
{
    forum_clock_set_offset(0);
    return tc_teardown(state);
}

static void test_onday_roles(void **state)
{
    struct tc *t = *state;
    char *before = tc_snapshot(t, t->eid, t->fac), *after;

    refused(t, API_GET, EV(t, "/changes"), NULL, NULL, NULL, 401, "unauthorized", NULL);
    refused(t, API_GET, EV(t, "/changes"), t->ptok[0], NULL, NULL, 403, "forbidden",
            NULL);
    refused(t, API_GET, EV(t, "/changes"), t->other_fac, NULL, NULL, 403, "forbidden",
            NULL);
    refused(t, API_POST, EV(t, "/changes/cancel"), t->ptok[0], "{\"session\":\"x\"}",
            NULL, 403, "forbidden", NULL);
    refused(t, API_POST, EV(t, "/changes/merge"), t->other_fac, "{}", NULL, 403,
            "forbidden", NULL);
    refused(t, API_POST, EV(t, "/changes/move"), NULL, "{}", NULL, 401, "unauthorized",
            NULL);
    refused(t, API_POST, EV(t, "/changes/close_room"), t->ptok[1], "{}", NULL, 403,
            "forbidden", NULL);
    refused(t, API_POST, EV(t, "/changes/topic"), t->ptok[1], "{\"title\":\"x\"}", NULL,
            403, "forbidden", NULL);
    refused(t, API_POST, EV(t, "/changes/1/undo"), t->ptok[1], NULL, NULL, 403,
            "forbidden", NULL);
    refused(t, API_PUT, EV(t, "/marketplace"), t->ptok[0], "{\"phase\":\"closed\"}", NULL,
            403, "forbidden", NULL);
    refused(t, API_GET, EV(t, "/changes/cancel"), t->fac, NULL, NULL, 405,
            "method_not_allowed", NULL);
    refused(t, API_GET, "/api/v1/events/nope/marketplace", NULL, NULL, NULL, 404,
            "not_found", NULL);
    ok(t, API_GET, EV(t, "/marketplace"), NULL, NULL, 200, NULL);
    after = tc_snapshot(t, t->eid, t->fac);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

static void test_onday_bad_inputs_change_nothing(void **state)
{
    struct tc *t = *state;
    char body[512], *before, *after;

    publish(t);
    before = tc_snapshot(t, t->eid, t->fac);
    /* Every operation: malformed, missing, wrong type, unknown field, unknown id. */
    static const char *const ops[] = {"/changes/cancel", "/changes/merge",
                                      "/changes/move", "/changes/close_room",
                                      "/changes/topic"};
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        refused(t, API_POST, EV(t, "%s", ops[i]), t->fac, "{\"x\":", NULL, 400,
                "malformed_json", NULL);
        refused(t, API_POST, EV(t, "%s", ops[i]), t->fac, "{\"x\":1,\"x\":2}", NULL, 400,
                "duplicate_key", NULL);
        refused(t, API_POST, EV(t, "%s", ops[i]), t->fac, "[]", NULL, 422, "wrong_type",
                NULL);
        refused(t, API_POST, EV(t, "%s", ops[i]), t->fac, "{\"nope\":1}", NULL, 422,
                "unknown_field", "nope");
    }
    refused(t, API_POST, EV(t, "/changes/cancel"), t->fac, "{}", NULL, 422, "missing",
            "session");
    refused(t, API_POST, EV(t, "/changes/cancel"), t->fac, "{\"session\":7}", NULL, 422,
            "wrong_type", "session");
    refused(t, API_POST, EV(t, "/changes/cancel"), t->fac, "{\"session\":\"tNOPE000\"}",
            NULL, 422, "invalid", "session");
    snprintf(body, sizeof(body), "{\"session\":\"%s\"}", t->other_topic);
    refused(t, API_POST, EV(t, "/changes/cancel"), t->fac, body, NULL, 422, "invalid",
            "session");
    snprintf(body, sizeof(body), "{\"session\":\"%s-7\"}", t->topic[0]);
    refused(t, API_POST, EV(t, "/changes/cancel"), t->fac, body, NULL, 422, "invalid",
            "session");
    snprintf(body, sizeof(body), "{\"into\":\"%s\"}", t->topic[0]);
    refused(t, API_POST, EV(t, "/changes/merge"), t->fac, body, NULL, 422, "missing",
            "topic");
    snprintf(body, sizeof(body), "{\"into\":\"%s\",\"topic\":\"%s\"}", t->topic[0],
             t->topic[0]);
    refused(t, API_POST, EV(t, "/changes/merge"), t->fac, body, NULL, 422, "invalid",
            "topic");
    snprintf(body, sizeof(body), "{\"into\":\"%s\",\"topic\":\"%s\"}", t->topic[0],
             t->other_topic);
    refused(t, API_POST, EV(t, "/changes/merge"), t->fac, body, NULL, 422, "invalid",
            "topic");
    snprintf(body, sizeof(body),
             "{\"session\":\"%s\",\"room\":\"rNOPE000\",\"slot\":\"%s\"}", t->topic[0],
             t->slot[1]);
    refused(t, API_POST, EV(t, "/changes/move"), t->fac, body, NULL, 422, "invalid",
            "room");
    snprintf(body, sizeof(body),
             "{\"session\":\"%s\",\"room\":\"%s\",\"slot\":\"sNOPE000\"}", t->topic[0],
             t->room[0]);
    refused(t, API_POST, EV(t, "/changes/move"), t->fac, body, NULL, 422, "invalid",
            "slot");
    snprintf(body, sizeof(body),
             "{\"session\":\"%s\",\"room\":\"%s\",\"slot\":\"%s\",\"confirm\":1}",
             t->topic[0], t->room[0], t->slot[1]);
    refused(t, API_POST, EV(t, "/changes/move"), t->fac, body, NULL, 422, "wrong_type",
            "confirm");
    snprintf(body, sizeof(body), "{\"room\":\"%s\"}", t->room[0]);
    refused(t, API_POST, EV(t, "/changes/close_room"), t->fac, body, NULL, 422, "missing",
            "from");
    snprintf(body, sizeof(body), "{\"room\":\"%s\",\"from\":\"sNOPE000\"}", t->room[0]);
    refused(t, API_POST, EV(t, "/changes/close_room"), t->fac, body, NULL, 422, "invalid",
            "from");
    snprintf(body, sizeof(body), "{\"room\":\"rNOPE000\",\"from\":\"%s\"}", t->slot[0]);
    refused(t, API_POST, EV(t, "/changes/close_room"), t->fac, body, NULL, 422, "invalid",
            "room");
    refused(t, API_POST, EV(t, "/changes/topic"), t->fac, "{}", NULL, 422, "missing",
            "title");
    refused(t, API_POST, EV(t, "/changes/topic"), t->fac,
            "{\"title\":\"x\",\"host_name\":\"  \"}", NULL, 422, "empty", "host_name");
    refused(t, API_POST, EV(t, "/changes/topic"), t->fac,
            "{\"title\":\"x\",\"host_name\":\"a\\nb\"}", NULL, 422, "invalid",
            "host_name");
    snprintf(body, sizeof(body),
             "{\"title\":\"x\",\"host_name\":\"A\",\"hosts\":[\"%s\"]}", t->part[0]);
    refused(t, API_POST, EV(t, "/changes/topic"), t->fac, body, NULL, 422, "invalid",
            "host_name");
    refused(t, API_POST, EV(t, "/topics"), t->ptok[0],
            "{\"title\":\"x\",\"host_name\":\"A\"}", NULL, 403, "forbidden", "host_name");
    /* Undo: no such change. */
    refused(t, API_POST, EV(t, "/changes/abc/undo"), t->fac, NULL, NULL, 404, "not_found",
            NULL);
    refused(t, API_POST, EV(t, "/changes/0/undo"), t->fac, NULL, NULL, 404, "not_found",
            NULL);
    refused(t, API_POST, EV(t, "/changes/99/undo"), t->fac, NULL, NULL, 404, "not_found",
            NULL);
    /* The marketplace. */
    refused(t, API_PUT, EV(t, "/marketplace"), t->fac, "{}", NULL, 422, "missing",
            "phase");
    refused(t, API_PUT, EV(t, "/marketplace"), t->fac, "{\"phase\":\"open\"}", NULL, 422,
            "invalid", "phase");
    refused(t, API_PUT, EV(t, "/marketplace"), t->fac, "{\"phase\":\"proposals\"}", NULL,
            422, "missing", "block");
    refused(t, API_PUT, EV(t, "/marketplace"), t->fac,
            "{\"phase\":\"proposals\",\"block\":\"bNOPE000\"}", NULL, 422, "invalid",
            "block");
    refused(t, API_PUT, EV(t, "/marketplace"), t->fac,
            "{\"phase\":\"proposals\",\"vote_minutes\":3}", NULL, 422, "invalid",
            "vote_minutes");
    refused(t, API_PUT, EV(t, "/marketplace"), t->fac,
            "{\"phase\":\"vote\",\"vote_minutes\":0}", NULL, 422, "out_of_range",
            "vote_minutes");
    refused(t, API_PUT, EV(t, "/marketplace"), t->fac,
            "{\"phase\":\"vote\",\"vote_minutes\":61}", NULL, 422, "out_of_range",
            "vote_minutes");
    after = tc_snapshot(t, t->eid, t->fac);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

/* The session of topic tid in the published schedule: OUT room, slot (64 bytes). */
static void placed(struct tc *t, const char *tid, char *room, char *slot)
{
    json_t *doc, *x;
    size_t i;

    ok(t, API_GET, EV(t, "/schedule"), NULL, NULL, 200, &doc);
    room[0] = slot[0] = '\0';
    json_array_foreach(json_object_get(doc, "sessions"), i, x)
    {
        if (json_is_string(json_object_get(x, "topic")) &&
            strcmp(json_string_value(json_object_get(x, "topic")), tid) == 0) {
            snprintf(room, 64, "%s", json_string_value(json_object_get(x, "room")));
            snprintf(slot, 64, "%s", json_string_value(json_object_get(x, "slot")));
        }
    }
    json_decref(doc);
    assert_true(room[0] != '\0');
}

static void test_onday_if_match(void **state)
{
    struct tc *t = *state;
    char etag[64], stale[96], sched[96], body[256], next[64], *before, *after;
    json_t *doc;

    publish(t);
    plan_etag(t, etag);
    snprintf(stale, sizeof(stale), "\"%s-v0-r0\"", t->eid);
    snprintf(sched, sizeof(sched), "\"%s-v1\"", t->eid);
    before = tc_snapshot(t, t->eid, t->fac);
    snprintf(body, sizeof(body), "{\"session\":\"%s\"}", t->topic[0]);
    refused(t, API_POST, EV(t, "/changes/cancel"), t->fac, body, stale, 412, "stale",
            "If-Match");
    snprintf(body, sizeof(body), "{\"room\":\"%s\",\"from\":\"%s\"}", t->room[0],
             t->slot[0]);
    refused(t, API_POST, EV(t, "/changes/close_room"), t->fac, body, stale, 412, "stale",
            "If-Match");
    refused(t, API_POST, EV(t, "/changes/topic"), t->fac, "{\"title\":\"x\"}", stale, 412,
            "stale", "If-Match");
    refused(t, API_POST, EV(t, "/schedule/publish"), t->fac, "{\"allocation\":\"a\"}",
            "\"other\"", 412, "stale", "If-Match");
    /* 412 says where things are now. */
    assert_int_equal(tc_call_if(t, API_POST, EV(t, "/changes/topic"), t->fac,
                                "{\"title\":\"x\"}", stale, &doc, NULL),
                     412);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(doc, "current"), "etag")),
        etag);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(doc, "current"), "version")),
        1);
    assert_true(json_is_array(json_object_get(doc, "changes")));
    json_decref(doc);
    after = tc_snapshot(t, t->eid, t->fac);
    assert_string_equal(before, after);
    free(before);
    free(after);

    /* The schedule's ETag names the version: enough while nothing is published. */
    snprintf(body, sizeof(body), "{\"room\":\"%s\",\"from\":\"%s\"}", t->room[0],
             t->slot[0]);
    assert_int_equal(tc_call_if(t, API_POST, EV(t, "/changes/close_room"), t->fac, body,
                                sched, NULL, next),
                     201);
    assert_string_not_equal(next, etag);
    /* The plan's old ETag is stale now (checked first); the new one is not; "*"
     * always matches. */
    refused(t, API_POST, EV(t, "/changes/2/undo"), t->fac, NULL, etag, 412, "stale",
            "If-Match");
    refused(t, API_POST, EV(t, "/changes/2/undo"), t->fac, NULL, next, 404, "not_found",
            NULL);
    refused(t, API_POST, EV(t, "/changes/1/undo"), t->fac, NULL, etag, 412, "stale",
            "If-Match");
    assert_int_equal(
        tc_call_if(t, API_POST, EV(t, "/changes/1/undo"), t->fac, NULL, next, NULL, NULL),
        200);
    assert_int_equal(tc_call_if(t, API_POST, EV(t, "/changes/topic"), t->fac,
                                "{\"title\":\"Sur place\"}", "*", NULL, NULL),
                     201);
}

static void test_onday_cancel_and_undo(void **state)
{
    struct tc *t = *state;
    char body[256], *before, *after;
    json_t *doc;

    publish(t);
    before = tc_snapshot(t, t->eid, t->fac);
    snprintf(body, sizeof(body), "{\"session\":\"%s\"}", t->topic[0]);
    ok(t, API_POST, EV(t, "/changes/cancel"), t->fac, body, 201, &doc);
    assert_string_equal(
        json_string_value(json_object_get(
            json_object_get(json_object_get(doc, "change"), "summary"), "topic")),
        t->topic[0]);
    json_decref(doc);
    ok(t, API_GET, EV(t, "/topics/%s", t->topic[0]), t->fac, NULL, 200, &doc);
    assert_true(json_is_true(json_object_get(doc, "cancelled")));
    json_decref(doc);
    ok(t, API_GET, EV(t, "/allocation/problem"), t->fac, NULL, 200, &doc);
    assert_int_equal(json_array_size(json_object_get(doc, "topics")), 1);
    assert_int_equal(json_array_size(json_object_get(doc, "previous")), 1);
    json_decref(doc);
    /* Cancelling it again: 409 with the change that did. */
    refused(t, API_POST, EV(t, "/changes/cancel"), t->fac, body, NULL, 409, "conflict",
            "session");
    ok(t, API_POST, EV(t, "/changes/1/undo"), t->fac, NULL, 200, NULL);
    refused(t, API_POST, EV(t, "/changes/1/undo"), t->fac, NULL, NULL, 409, "conflict",
            NULL);
    refused(t, API_POST, EV(t, "/changes/2/undo"), t->fac, NULL, NULL, 422, "invalid",
            NULL);
    /* Back as it was (the changes list aside). */
    ok(t, API_GET, EV(t, "/topics/%s", t->topic[0]), t->fac, NULL, 200, &doc);
    assert_null(json_object_get(doc, "cancelled"));
    json_decref(doc);
    after = tc_snapshot(t, t->eid, t->fac);
    assert_string_not_equal(before, after); /* the changes: a change and its undo */
    free(before);
    free(after);
}

static void test_onday_move(void **state)
{
    struct tc *t = *state;
    char room[64], slot[64], other_room[64], other_slot[64], free_room[64], free_slot[64];
    char body[400], *before, *after;
    json_t *doc, *cost;

    publish(t);
    placed(t, t->topic[0], room, slot);
    placed(t, t->topic[1], other_room, other_slot);
    /* Since then, topic 1 needs a projector, which no room has. */
    ok(t, API_PATCH, EV(t, "/topics/%s", t->topic[1]), t->fac,
       "{\"needs\":[\"projector\"]}", 200, NULL);
    /* A free cell for topic 1: the slot of topic 0, the other room (or vice versa). */
    snprintf(free_slot, sizeof(free_slot), "%s", slot);
    snprintf(free_room, sizeof(free_room), "%s",
             strcmp(room, t->room[0]) == 0 ? t->room[1] : t->room[0]);
    if (strcmp(free_slot, other_slot) == 0 && strcmp(free_room, other_room) == 0)
        snprintf(free_slot, sizeof(free_slot), "%s",
                 strcmp(slot, t->slot[0]) == 0 ? t->slot[1] : t->slot[0]);
    before = tc_snapshot(t, t->eid, t->fac);
    /* Into topic 0's cell: taken. */
    snprintf(body, sizeof(body), "{\"session\":\"%s\",\"room\":\"%s\",\"slot\":\"%s\"}",
             t->topic[1], room, slot);
    refused(t, API_POST, EV(t, "/changes/move"), t->fac, body, NULL, 409, "conflict",
            "slot");
    /* Where it is already. */
    snprintf(body, sizeof(body), "{\"session\":\"%s\",\"room\":\"%s\",\"slot\":\"%s\"}",
             t->topic[1], other_room, other_slot);
    refused(t, API_POST, EV(t, "/changes/move"), t->fac, body, NULL, 422, "invalid",
            "slot");
    /* The cost first: nothing changes. */
    snprintf(body, sizeof(body), "{\"session\":\"%s\",\"room\":\"%s\",\"slot\":\"%s\"}",
             t->topic[1], free_room, free_slot);
    ok(t, API_POST, EV(t, "/changes/move"), t->fac, body, 200, &doc);
    cost = json_object_get(doc, "cost");
    assert_non_null(cost);
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(cost, "feature_missing"), 0)),
        "projector");
    assert_true(json_is_integer(json_object_get(cost, "clash")));
    assert_true(json_is_integer(json_object_get(cost, "too_small")));
    assert_true(json_is_array(json_object_get(cost, "host_busy")));
    assert_true(json_is_null(json_object_get(doc, "refused")));
    json_decref(doc);
    after = tc_snapshot(t, t->eid, t->fac);
    assert_string_equal(before, after);
    free(after);
    /* Confirmed: locked there, and it runs without the projector. */
    snprintf(body, sizeof(body),
             "{\"session\":\"%s\",\"room\":\"%s\",\"slot\":\"%s\",\"confirm\":true}",
             t->topic[1], free_room, free_slot);
    ok(t, API_POST, EV(t, "/changes/move"), t->fac, body, 201, NULL);
    ok(t, API_GET, EV(t, "/topics/%s", t->topic[1]), t->fac, NULL, 200, &doc);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(doc, "fixed"), "room")),
        free_room);
    assert_int_equal(json_array_size(json_object_get(doc, "needs")), 0);
    json_decref(doc);
    /* A re-run places it there. */
    ok(t, API_POST, EV(t, "/allocation"), t->fac, "{\"time_limit_ms\":100}", 200, &doc);
    {
        json_t *x;
        size_t i;
        bool there = false;
        json_array_foreach(json_object_get(json_object_get(doc, "solution"), "sessions"),
                           i, x)
        {
            there =
                there ||
                (strcmp(json_string_value(json_object_get(x, "topic")), t->topic[1]) ==
                     0 &&
                 strcmp(json_string_value(json_object_get(x, "room")), free_room) == 0 &&
                 strcmp(json_string_value(json_object_get(x, "slot")), free_slot) == 0);
        }
        assert_true(there);
    }
    json_decref(doc);
    /* Undo: no lock, the need back. */
    ok(t, API_POST, EV(t, "/changes/1/undo"), t->fac, NULL, 200, NULL);
    ok(t, API_GET, EV(t, "/topics/%s", t->topic[1]), t->fac, NULL, 200, &doc);
    assert_true(json_is_null(json_object_get(doc, "fixed")));
    assert_int_equal(json_array_size(json_object_get(doc, "needs")), 1);
    json_decref(doc);
    /* Once the slot has started, nothing moves into it or out of it. */
    clock_at("2025-09-18T15:30:00+02:00");
    snprintf(body, sizeof(body), "{\"session\":\"%s\",\"room\":\"%s\",\"slot\":\"%s\"}",
             t->topic[1], free_room, t->slot[0]);
    refused(t, API_POST, EV(t, "/changes/move"), t->fac, body, NULL, 409, "started",
            "slot");
    free(before);
}

static void test_onday_close_room(void **state)
{
    struct tc *t = *state;
    char body[256];
    json_t *doc;

    publish(t);
    snprintf(body, sizeof(body), "{\"room\":\"%s\",\"from\":\"%s\"}", t->room[1],
             t->slot[0]);
    ok(t, API_POST, EV(t, "/changes/close_room"), t->fac, body, 201, &doc);
    assert_int_equal(
        json_array_size(json_object_get(
            json_object_get(json_object_get(doc, "change"), "summary"), "slots")),
        2);
    json_decref(doc);
    ok(t, API_GET, EV(t, "/rooms"), NULL, NULL, 200, &doc);
    assert_int_equal(
        json_array_size(json_object_get(json_array_get(doc, 1), "unavailable")), 2);
    json_decref(doc);
    refused(t, API_POST, EV(t, "/changes/close_room"), t->fac, body, NULL, 422, "invalid",
            "from");
    ok(t, API_POST, EV(t, "/changes/1/undo"), t->fac, NULL, 200, NULL);
    ok(t, API_GET, EV(t, "/rooms"), NULL, NULL, 200, &doc);
    assert_int_equal(
        json_array_size(json_object_get(json_array_get(doc, 1), "unavailable")), 0);
    json_decref(doc);
    /* From a slot that has started: refused; from the next one: closed. */
    clock_at("2025-09-18T14:10:00+02:00");
    refused(t, API_POST, EV(t, "/changes/close_room"), t->fac, body, NULL, 409, "started",
            "from");
    snprintf(body, sizeof(body), "{\"room\":\"%s\",\"from\":\"%s\"}", t->room[1],
             t->slot[1]);
    ok(t, API_POST, EV(t, "/changes/close_room"), t->fac, body, 201, NULL);
    /* The problem now: the slot to come only, the room closed in it. */
    ok(t, API_GET, EV(t, "/allocation/problem"), t->fac, NULL, 200, &doc);
    assert_int_equal(json_array_size(json_object_get(doc, "slots")), 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(doc, "slots"), 0), "id")),
                        t->slot[1]);
    json_decref(doc);
}

static void test_onday_marketplace(void **state)
{
    struct tc *t = *state;
    char body[256], bid[64], tid[64], *before, *after;
    json_t *doc;

    snprintf(body, sizeof(body),
             "{\"name\":\"Forum ouvert\",\"kind\":\"forum\",\"slots\":[\"%s\",\"%s\"],"
             "\"proposals_open\":false}",
             t->slot[0], t->slot[1]);
    ok(t, API_POST, EV(t, "/blocks"), t->fac, body, 201, &doc);
    snprintf(bid, sizeof(bid), "%s", json_string_value(json_object_get(doc, "id")));
    json_decref(doc);
    ok(t, API_GET, EV(t, "/marketplace"), NULL, NULL, 200, &doc);
    assert_string_equal(json_string_value(json_object_get(doc, "phase")), "closed");
    assert_true(json_is_null(json_object_get(doc, "block")));
    json_decref(doc);
    /* Open: proposals come into the block. */
    snprintf(body, sizeof(body), "{\"phase\":\"proposals\",\"block\":\"%s\"}", bid);
    ok(t, API_PUT, EV(t, "/marketplace"), t->fac, body, 200, &doc);
    assert_string_equal(json_string_value(json_object_get(doc, "phase")), "proposals");
    assert_int_equal(json_integer_value(json_object_get(doc, "participants")), 2);
    json_decref(doc);
    ok(t, API_POST, EV(t, "/topics"), t->ptok[0], "{\"title\":\"Au marché\"}", 201, &doc);
    snprintf(tid, sizeof(tid), "%s", json_string_value(json_object_get(doc, "id")));
    json_decref(doc);
    /* The quick entry: a host without a phone, named; the same name again is
     * the same person (case aside). */
    snprintf(body, sizeof(body),
             "{\"title\":\"Sans téléphone\",\"host_name\":\"Nora\",\"block\":\"%s\"}",
             bid);
    ok(t, API_POST, EV(t, "/topics"), t->fac, body, 201, NULL);
    snprintf(body, sizeof(body),
             "{\"title\":\"Encore\",\"host_name\":\" nora \",\"block\":\"%s\"}", bid);
    ok(t, API_POST, EV(t, "/topics"), t->fac, body, 201, &doc);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(doc, "hosts"), 0), "name")),
                        "Nora");
    json_decref(doc);
    ok(t, API_GET, EV(t, "/marketplace"), NULL, NULL, 200, &doc);
    assert_int_equal(json_integer_value(json_object_get(doc, "participants")), 3);
    assert_int_equal(json_array_size(json_object_get(doc, "topics")), 3);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(doc, "topics"), 2), "title")),
                        "Au marché");
    json_decref(doc);
    /* Two people of one name: the quick entry asks which. */
    ok(t, API_POST, EV(t, "/participants"), NULL, "{\"name\":\"NORA\"}", 201, NULL);
    before = tc_snapshot(t, t->eid, t->fac);
    refused(t, API_POST, EV(t, "/topics"), t->fac,
            "{\"title\":\"x\",\"host_name\":\"Nora\"}", NULL, 422, "invalid",
            "host_name");
    after = tc_snapshot(t, t->eid, t->fac);
    assert_string_equal(before, after);
    free(before);
    free(after);
    /* A vote window of one minute: votes in it count, after it they do not. */
    ok(t, API_PUT, EV(t, "/marketplace"), t->fac,
       "{\"phase\":\"vote\",\"vote_minutes\":1}", 200, &doc);
    assert_true(json_is_true(json_object_get(doc, "vote_open")));
    assert_non_null(json_string_value(json_object_get(doc, "vote_ends_at")));
    json_decref(doc);
    refused(t, API_POST, EV(t, "/topics"), t->ptok[1], "{\"title\":\"Trop tard\"}", NULL,
            409, "proposals_closed", "block");
    ok(t, API_PUT, EV(t, "/topics/%s/vote", tid), t->ptok[1], "{\"weight\":2}", 200,
       NULL);
    clock_at("2025-09-18T08:02:00+02:00");
    refused(t, API_PUT, EV(t, "/topics/%s/vote", tid), t->ptok[1], "{\"weight\":1}", NULL,
            409, "voting_closed", NULL);
    /* Topics of other blocks (or none) are not bound by it. */
    ok(t, API_PUT, EV(t, "/topics/%s/vote", t->topic[0]), t->ptok[1], "{\"weight\":1}",
       200, NULL);
    ok(t, API_PUT, EV(t, "/marketplace"), t->fac, "{\"phase\":\"closed\"}", 200, &doc);
    assert_false(json_is_true(json_object_get(doc, "vote_open")));
    json_decref(doc);
    ok(t, API_GET, EV(t, "/blocks/%s", bid), NULL, NULL, 200, &doc);
    assert_false(json_is_true(json_object_get(doc, "proposals_open")));
    json_decref(doc);
    /* A plenary takes no marketplace. */
    ok(t, API_POST, EV(t, "/rooms"), t->fac, "{\"name\":\"Grande\",\"capacity\":100}",
       201, &doc);
    snprintf(body, sizeof(body),
             "{\"name\":\"Plénière\",\"kind\":\"plenary\",\"room\":\"%s\",\"slots\":[]}",
             json_string_value(json_object_get(doc, "id")));
    json_decref(doc);
    refused(t, API_POST, EV(t, "/blocks"), t->fac, body, NULL, 422, "missing", "slots");
}

/* GET /me/agenda?since= with a participant's token: the status, OUT doc. */
static int agenda(struct tc *t, const char *token, const char *query, json_t **doc)
{
    struct api_response resp;
    char auth[100], p[256];
    int status;

    snprintf(auth, sizeof(auth), "Bearer %s", token);
    snprintf(p, sizeof(p), "%s", EV(t, "/me/agenda"));
    tc_raw(t, API_GET, p, query, auth, NULL, NULL, NULL, NULL, &resp);
    status = resp.status;
    *doc = json_loadb(resp.body, resp.body_len, 0, NULL);
    api_response_release(&resp);
    return status;
}

static void test_onday_agenda_since(void **state)
{
    struct tc *t = *state;
    static const char *const bad[] = {"since=abc", "since=-1", "since=", "since=1x"};
    char body[256];
    json_t *doc, *x;
    size_t i;
    bool cancelled = false;

    assert_int_equal(agenda(t, t->ptok[0], "since=1", &doc), 422);
    json_decref(doc);
    assert_int_equal(agenda(t, t->ptok[0], "since=0", &doc), 200);
    json_decref(doc);
    publish(t);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(agenda(t, t->ptok[0], bad[i], &doc), 422);
        assert_string_equal(
            json_string_value(json_object_get(json_object_get(doc, "error"), "field")),
            "since");
        json_decref(doc);
    }
    assert_int_equal(agenda(t, t->ptok[0], "since=2", &doc), 422);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(doc, "error"), "code")),
        "out_of_range");
    json_decref(doc);
    assert_int_equal(agenda(t, t->ptok[0], "since=1", &doc), 200);
    json_array_foreach(doc, i, x) assert_null(json_object_get(x, "change"));
    json_decref(doc);
    /* Topic 0 (person 0 hosts it) is cancelled; the next version says so. */
    snprintf(body, sizeof(body), "{\"session\":\"%s\"}", t->topic[0]);
    ok(t, API_POST, EV(t, "/changes/cancel"), t->fac, body, 201, NULL);
    assert_int_equal(publish(t), 2);
    assert_int_equal(agenda(t, t->ptok[0], "since=1", &doc), 200);
    json_array_foreach(doc, i, x)
    {
        if (strcmp(json_string_value(json_object_get(x, "id")), t->topic[0]) == 0) {
            assert_string_equal(json_string_value(json_object_get(x, "change")),
                                "cancelled");
            assert_non_null(json_object_get(x, "was"));
            cancelled = true;
        }
    }
    assert_true(cancelled);
    json_decref(doc);
    /* Since version 0 (nothing seen): everything is new. */
    assert_int_equal(agenda(t, t->ptok[1], "since=0", &doc), 200);
    json_array_foreach(doc, i, x)
        assert_string_equal(json_string_value(json_object_get(x, "change")), "new");
    json_decref(doc);
    /* The schedule says what version 2 changed. */
    ok(t, API_GET, EV(t, "/schedule"), NULL, NULL, 200, &doc);
    x = json_object_get(doc, "changes");
    assert_int_equal(json_integer_value(json_object_get(x, "since")), 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(x, "sessions"), 0), "change")),
                        "cancelled");
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_onday_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_onday_bad_inputs_change_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_onday_if_match, setup, teardown),
        cmocka_unit_test_setup_teardown(test_onday_cancel_and_undo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_onday_move, setup, teardown),
        cmocka_unit_test_setup_teardown(test_onday_close_room, setup, teardown),
        cmocka_unit_test_setup_teardown(test_onday_marketplace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_onday_agenda_since, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
