/* SPDX-License-Identifier: MIT */
/*
 * Blocks of the day and what hangs on them: the block rules (a slot in one
 * block, blocks that never overlap, a plenary in a room large enough, no
 * topic in a plenary or a break), each refusal a 422 naming the field that
 * changes nothing; proposals into the blocks open for them; a room's link;
 * topics run as groups and their hosts; the allocation problem (a topic's
 * block's slots, groups, plenary slots left out).
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

/* "/api/v1/events/<eid>" followed by fmt (a static buffer, one at a time). */
static const char *EV(const struct tc *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static const char *EV(const struct tc *t, const char *fmt, ...)
{
    static char buf[512];
    va_list ap;
    int n = snprintf(buf, sizeof(buf), "/api/v1/events/%s", t->eid);

    va_start(ap, fmt);
    vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
    va_end(ap);
    return buf;
}

/* Creates something and copies the "id" of the answer into out. */
static void create(struct tc *t, const char *path, const char *token, const char *body,
                   char *out)
{
    json_t *doc = NULL;
    char p[512];
    int status;

    snprintf(p, sizeof(p), "%s", path);
    status = tc_call(t, API_POST, p, token, body, &doc);
    if (status != 201)
        fail_msg(
            "%s %s: %d %s", p, body, status,
            json_string_value(json_object_get(json_object_get(doc, "error"), "message")));
    snprintf(out, 64, "%s", json_string_value(json_object_get(doc, "id")));
    json_decref(doc);
}

/* Expects the error, and that nothing in the event changed. */
static void refused(struct tc *t, enum api_method m, const char *path, const char *token,
                    const char *body, int status, const char *code, const char *field)
{
    char *before = tc_snapshot(t, t->eid, t->fac), *after, p[512];

    snprintf(p, sizeof(p), "%s", path);
    tc_expect_error(t, m, p, token, body, status, code, field);
    after = tc_snapshot(t, t->eid, t->fac);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

static void test_blocks_rules(void **state)
{
    struct tc *t = *state;
    char forum[64], plen[64], s3[64], body[512];
    json_t *doc;

    snprintf(body, sizeof(body),
             "{\"name\":\"Forum ouvert\",\"kind\":\"forum\",\"slots\":[\"%s\"]}",
             t->slot[0]);
    create(t, EV(t, "/blocks"), t->fac, body, forum);
    assert_int_equal(tc_call(t, API_GET, EV(t, "/blocks/%s", forum), NULL, NULL, &doc),
                     200);
    assert_string_equal(json_string_value(json_object_get(doc, "kind")), "forum");
    assert_true(json_is_true(json_object_get(doc, "proposals_open")));
    assert_string_equal(json_string_value(json_object_get(doc, "starts_at")),
                        "2025-09-18T12:00:00Z");
    json_decref(doc);

    /* A slot in two blocks. */
    refused(t, API_POST, EV(t, "/blocks"), t->fac, body, 422, "slot_taken", "slots");
    /* Blocks that overlap: slots never do (docs/decisions/0011), but blocks
     * overlap by their spans. With a slot of 16:00-17:00 the forum spans
     * 14:00-17:00, and a block of the 15:00-16:00 slot falls inside it. */
    create(t, EV(t, "/slots"), t->fac,
           "{\"label\":\"Later\",\"starts_at\":\"2025-09-18T16:00:00+02:00\","
           "\"ends_at\":\"2025-09-18T17:00:00+02:00\"}",
           s3);
    snprintf(body, sizeof(body), "{\"slots\":[\"%s\",\"%s\"]}", t->slot[0], s3);
    assert_int_equal(
        tc_call(t, API_PATCH, EV(t, "/blocks/%s", forum), t->fac, body, NULL), 200);
    snprintf(body, sizeof(body),
             "{\"name\":\"Ateliers\",\"kind\":\"workshops\",\"slots\":[\"%s\"]}",
             t->slot[1]);
    refused(t, API_POST, EV(t, "/blocks"), t->fac, body, 422, "overlap", "slots");
    snprintf(body, sizeof(body), "{\"slots\":[\"%s\"]}", t->slot[0]);
    assert_int_equal(
        tc_call(t, API_PATCH, EV(t, "/blocks/%s", forum), t->fac, body, NULL), 200);
    assert_int_equal(tc_call(t, API_DELETE, EV(t, "/slots/%s", s3), t->fac, NULL, NULL),
                     204);
    /* The rest of the fields. */
    refused(t, API_POST, EV(t, "/blocks"), t->fac, "{\"name\":\"X\",\"kind\":\"party\"}",
            422, "invalid", "kind");
    refused(t, API_POST, EV(t, "/blocks"), t->fac,
            "{\"name\":\"X\",\"kind\":\"forum\",\"slots\":[\"snope\"]}", 422, "invalid",
            "slots");
    refused(t, API_POST, EV(t, "/blocks"), t->fac, "{\"kind\":\"forum\"}", 422, "missing",
            "name");
    snprintf(body, sizeof(body),
             "{\"name\":\"X\",\"kind\":\"forum\",\"room\":\"%s\",\"slots\":[\"%s\"]}",
             t->room[0], t->slot[1]);
    refused(t, API_POST, EV(t, "/blocks"), t->fac, body, 422, "invalid", "room");
    refused(t, API_POST, EV(t, "/blocks"), t->ptok[0],
            "{\"name\":\"X\",\"kind\":\"forum\"}", 403, "forbidden", NULL);

    /* A plenary: a room, large enough for everyone, and its slots. */
    snprintf(body, sizeof(body),
             "{\"name\":\"Temps fort\",\"kind\":\"plenary\",\"slots\":[\"%s\"]}",
             t->slot[1]);
    refused(t, API_POST, EV(t, "/blocks"), t->fac, body, 422, "missing", "room");
    assert_int_equal(tc_call(t, API_PATCH, EV(t, "/rooms/%s", t->room[0]), t->fac,
                             "{\"capacity\":1}", NULL),
                     200);
    snprintf(body, sizeof(body),
             "{\"name\":\"Temps "
             "fort\",\"kind\":\"plenary\",\"room\":\"%s\",\"slots\":[\"%s\"]}",
             t->room[0], t->slot[1]);
    refused(t, API_POST, EV(t, "/blocks"), t->fac, body, 422, "too_small", "room");
    snprintf(
        body, sizeof(body),
        "{\"name\":\"Temps fort\",\"kind\":\"plenary\",\"room\":\"%s\",\"slots\":[]}",
        t->room[1]);
    refused(t, API_POST, EV(t, "/blocks"), t->fac, body, 422, "missing", "slots");
    snprintf(body, sizeof(body),
             "{\"name\":\"Temps "
             "fort\",\"kind\":\"plenary\",\"room\":\"%s\",\"slots\":[\"%s\"],"
             "\"proposals_open\":true}",
             t->room[1], t->slot[1]);
    refused(t, API_POST, EV(t, "/blocks"), t->fac, body, 422, "invalid",
            "proposals_open");
    snprintf(body, sizeof(body),
             "{\"name\":\"Temps "
             "fort\",\"kind\":\"plenary\",\"room\":\"%s\",\"slots\":[\"%s\"],"
             "\"title\":\"La radicalité joyeuse\"}",
             t->room[1], t->slot[1]);
    create(t, EV(t, "/blocks"), t->fac, body, plen);
    assert_int_equal(tc_call(t, API_GET, EV(t, "/blocks"), NULL, NULL, &doc), 200);
    assert_int_equal(json_array_size(doc), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(doc, 1), "id")),
                        plen);
    json_decref(doc);

    /* The plenary's room stays; no topic goes in a plenary; a block with topics
     * stays allocated. */
    refused(t, API_DELETE, EV(t, "/rooms/%s", t->room[1]), t->fac, NULL, 409, "conflict",
            NULL);
    snprintf(body, sizeof(body), "{\"block\":\"%s\"}", plen);
    refused(t, API_PATCH, EV(t, "/topics/%s", t->topic[0]), t->fac, body, 422, "invalid",
            "block");
    snprintf(body, sizeof(body), "{\"block\":\"%s\"}", forum);
    assert_int_equal(
        tc_call(t, API_PATCH, EV(t, "/topics/%s", t->topic[0]), t->fac, body, NULL), 200);
    snprintf(body, sizeof(body), "{\"kind\":\"break\",\"slots\":[\"%s\"]}", t->slot[0]);
    refused(t, API_PATCH, EV(t, "/blocks/%s", forum), t->fac, body, 422, "invalid",
            "kind");
    /* A topic locked in a slot that a plenary would take. */
    snprintf(body, sizeof(body), "{\"fixed\":{\"room\":\"%s\",\"slot\":\"%s\"}}",
             t->room[0], t->slot[0]);
    assert_int_equal(
        tc_call(t, API_PATCH, EV(t, "/topics/%s", t->topic[1]), t->fac, body, NULL), 200);
    snprintf(body, sizeof(body), "{\"slots\":[\"%s\",\"%s\"]}", t->slot[1], t->slot[0]);
    refused(t, API_PATCH, EV(t, "/blocks/%s", plen), t->fac, body, 422, "slot_taken",
            "slots");

    /* No topic is locked in the plenary's slot, whatever its block. */
    snprintf(body, sizeof(body), "{\"fixed\":{\"room\":\"%s\",\"slot\":\"%s\"}}",
             t->room[0], t->slot[1]);
    refused(t, API_PATCH, EV(t, "/topics/%s", t->topic[1]), t->fac, body, 422, "invalid",
            "fixed");
    /* A deleted block leaves its topics in no block. */
    assert_int_equal(
        tc_call(t, API_DELETE, EV(t, "/blocks/%s", forum), t->fac, NULL, NULL), 204);
    assert_int_equal(
        tc_call(t, API_GET, EV(t, "/topics/%s", t->topic[0]), NULL, NULL, &doc), 200);
    assert_true(json_is_null(json_object_get(doc, "block")));
    json_decref(doc);
    tc_expect_error(t, API_DELETE, EV(t, "/blocks/%s", forum), t->fac, NULL, 404,
                    "not_found", NULL);
    /* Its slot is free now, but a topic is locked in it: no plenary there. */
    snprintf(body, sizeof(body), "{\"slots\":[\"%s\",\"%s\"]}", t->slot[1], t->slot[0]);
    refused(t, API_PATCH, EV(t, "/blocks/%s", plen), t->fac, body, 422, "invalid",
            "slots");
}

static void test_blocks_proposals(void **state)
{
    struct tc *t = *state;
    char open1[64], open2[64], shut[64], body[512], tid[64];
    json_t *doc;

    /* Without blocks, topics go in none, as before. */
    create(t, EV(t, "/topics"), t->ptok[0], "{\"title\":\"Sans bloc\"}", tid);
    snprintf(body, sizeof(body),
             "{\"name\":\"Forum\",\"kind\":\"forum\",\"slots\":[\"%s\"]}", t->slot[0]);
    create(t, EV(t, "/blocks"), t->fac, body, open1);
    snprintf(body, sizeof(body),
             "{\"name\":\"Co-accompagnement\",\"kind\":\"groups\",\"slots\":[\"%s\"]}",
             t->slot[1]);
    create(t, EV(t, "/blocks"), t->fac, body, shut);
    /* One block open: a participant's topic goes there. */
    create(t, EV(t, "/topics"), t->ptok[0], "{\"title\":\"Au forum\"}", tid);
    assert_int_equal(tc_call(t, API_GET, EV(t, "/topics/%s", tid), NULL, NULL, &doc),
                     200);
    assert_string_equal(json_string_value(json_object_get(doc, "block")), open1);
    json_decref(doc);
    /* Not into a block closed to proposals; the facilitator may. */
    snprintf(body, sizeof(body), "{\"title\":\"Codev\",\"block\":\"%s\"}", shut);
    refused(t, API_POST, EV(t, "/topics"), t->ptok[0], body, 409, "proposals_closed",
            "block");
    create(t, EV(t, "/topics"), t->fac, body, tid);
    /* Two blocks open: the participant chooses. */
    assert_int_equal(tc_call(t, API_PATCH, EV(t, "/blocks/%s", shut), t->fac,
                             "{\"proposals_open\":true}", NULL),
                     200);
    snprintf(open2, sizeof(open2), "%s", shut);
    refused(t, API_POST, EV(t, "/topics"), t->ptok[0], "{\"title\":\"Lequel ?\"}", 422,
            "missing", "block");
    snprintf(body, sizeof(body), "{\"title\":\"Celui-là\",\"block\":\"%s\"}", open2);
    create(t, EV(t, "/topics"), t->ptok[0], body, tid);
    refused(t, API_POST, EV(t, "/topics"), t->ptok[0],
            "{\"title\":\"Nulle part\",\"block\":\"bnope\"}", 422, "invalid", "block");
    /* None open: closed. */
    assert_int_equal(tc_call(t, API_PATCH, EV(t, "/blocks/%s", open1), t->fac,
                             "{\"proposals_open\":false}", NULL),
                     200);
    assert_int_equal(tc_call(t, API_PATCH, EV(t, "/blocks/%s", open2), t->fac,
                             "{\"proposals_open\":false}", NULL),
                     200);
    refused(t, API_POST, EV(t, "/topics"), t->ptok[0], "{\"title\":\"Trop tard\"}", 409,
            "proposals_closed", "block");
}

static void test_blocks_room_url_groups_hosts(void **state)
{
    struct tc *t = *state;
    char body[512];
    json_t *doc, *g;

    refused(t, API_PATCH, EV(t, "/rooms/%s", t->room[0]), t->fac,
            "{\"url\":\"javascript:alert(1)\"}", 422, "invalid", "url");
    refused(t, API_PATCH, EV(t, "/rooms/%s", t->room[0]), t->fac,
            "{\"url\":\"https://visio example\"}", 422, "invalid", "url");
    refused(t, API_PATCH, EV(t, "/rooms/%s", t->room[0]), t->fac,
            "{\"url\":\"https://\"}", 422, "invalid", "url");
    assert_int_equal(tc_call(t, API_PATCH, EV(t, "/rooms/%s", t->room[0]), t->fac,
                             "{\"url\":\"https://visio.example.org/bigre\"}", &doc),
                     200);
    assert_string_equal(json_string_value(json_object_get(doc, "url")),
                        "https://visio.example.org/bigre");
    json_decref(doc);
    assert_int_equal(tc_call(t, API_PATCH, EV(t, "/rooms/%s", t->room[0]), t->fac,
                             "{\"url\":null}", &doc),
                     200);
    assert_true(json_is_null(json_object_get(doc, "url")));
    json_decref(doc);

    /* Groups: the facilitator's, three positive integers, min <= max. */
    refused(t, API_PATCH, EV(t, "/topics/%s", t->topic[0]), t->ptok[0],
            "{\"groups\":{\"max\":2,\"size_min\":6,\"size_max\":8}}", 403, "forbidden",
            "groups");
    refused(t, API_PATCH, EV(t, "/topics/%s", t->topic[0]), t->fac,
            "{\"groups\":{\"max\":0,\"size_min\":6,\"size_max\":8}}", 422, "out_of_range",
            "groups");
    refused(t, API_PATCH, EV(t, "/topics/%s", t->topic[0]), t->fac,
            "{\"groups\":{\"max\":2,\"size_min\":9,\"size_max\":8}}", 422, "out_of_range",
            "groups");
    refused(t, API_PATCH, EV(t, "/topics/%s", t->topic[0]), t->fac,
            "{\"groups\":{\"max\":2,\"size_min\":6}}", 422, "wrong_type", "groups");
    refused(t, API_PATCH, EV(t, "/topics/%s", t->topic[0]), t->fac,
            "{\"groups\":{\"max\":2,\"size_min\":6,\"size_max\":\"8\"}}", 422,
            "wrong_type", "groups");
    /* Hosts: the facilitator's, participants of the event. */
    snprintf(body, sizeof(body), "{\"hosts\":[\"%s\",\"%s\"]}", t->part[0],
             t->other_part);
    refused(t, API_PATCH, EV(t, "/topics/%s", t->topic[0]), t->fac, body, 422, "invalid",
            "hosts");
    snprintf(body, sizeof(body), "{\"hosts\":[\"%s\"]}", t->part[1]);
    refused(t, API_PATCH, EV(t, "/topics/%s", t->topic[0]), t->ptok[0], body, 403,
            "forbidden", "hosts");
    snprintf(body, sizeof(body),
             "{\"hosts\":[\"%s\",\"%s\"],\"groups\":{\"max\":2,\"size_min\":1,"
             "\"size_max\":8}}",
             t->part[0], t->part[1]);
    assert_int_equal(
        tc_call(t, API_PATCH, EV(t, "/topics/%s", t->topic[0]), t->fac, body, &doc), 200);
    assert_int_equal(json_array_size(json_object_get(doc, "hosts")), 2);
    g = json_object_get(doc, "groups");
    assert_int_equal(json_integer_value(json_object_get(g, "max")), 2);
    assert_int_equal(json_integer_value(json_object_get(g, "size_min")), 1);
    assert_int_equal(json_integer_value(json_object_get(g, "size_max")), 8);
    json_decref(doc);
    assert_int_equal(tc_call(t, API_PATCH, EV(t, "/topics/%s", t->topic[0]), t->fac,
                             "{\"groups\":null}", &doc),
                     200);
    assert_true(json_is_null(json_object_get(doc, "groups")));
    json_decref(doc);
}

/* The allocation problem: a topic gets its block's slots and groups; a topic
 * in no block every slot but the plenary's; the plenary is not in it. */
static void test_blocks_problem(void **state)
{
    struct tc *t = *state;
    char forum[64], plen[64], extra[64], body[512];
    json_t *doc, *topics, *x;
    size_t i;

    create(t, EV(t, "/slots"), t->fac,
           "{\"label\":\"Soir\",\"starts_at\":\"2025-09-18T18:00:00+02:00\","
           "\"ends_at\":\"2025-09-18T19:00:00+02:00\"}",
           extra);
    snprintf(body, sizeof(body),
             "{\"name\":\"Forum\",\"kind\":\"forum\",\"slots\":[\"%s\"]}", t->slot[0]);
    create(t, EV(t, "/blocks"), t->fac, body, forum);
    snprintf(
        body, sizeof(body),
        "{\"name\":\"Plénière\",\"kind\":\"plenary\",\"room\":\"%s\",\"slots\":[\"%s\"]}",
        t->room[1], t->slot[1]);
    create(t, EV(t, "/blocks"), t->fac, body, plen);
    snprintf(body, sizeof(body),
             "{\"block\":\"%s\",\"groups\":{\"max\":3,\"size_min\":2,\"size_max\":4}}",
             forum);
    assert_int_equal(
        tc_call(t, API_PATCH, EV(t, "/topics/%s", t->topic[0]), t->fac, body, NULL), 200);
    assert_int_equal(
        tc_call(t, API_GET, EV(t, "/allocation/problem"), t->fac, NULL, &doc), 200);
    topics = json_object_get(doc, "topics");
    assert_int_equal(json_array_size(topics), 2);
    json_array_foreach(topics, i, x)
    {
        json_t *slots = json_object_get(x, "slots");
        const char *id = json_string_value(json_object_get(x, "id"));
        if (strcmp(id, t->topic[0]) == 0) {
            assert_int_equal(json_array_size(slots), 1);
            assert_string_equal(json_string_value(json_array_get(slots, 0)), t->slot[0]);
            assert_int_equal(
                json_integer_value(json_object_get(json_object_get(x, "groups"), "max")),
                3);
        } else {
            /* In no block: every slot but the plenary's. */
            assert_int_equal(json_array_size(slots), 2);
            assert_string_equal(json_string_value(json_array_get(slots, 0)), t->slot[0]);
            assert_string_equal(json_string_value(json_array_get(slots, 1)), extra);
            assert_null(json_object_get(x, "groups"));
        }
    }
    json_decref(doc);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, tc_setup, tc_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_blocks_rules),
        T(test_blocks_proposals),
        T(test_blocks_room_url_groups_hosts),
        T(test_blocks_problem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
