/* SPDX-License-Identifier: MIT */
/*
 * Allocation, drafts, publishing, the schedule with its ETag, and the
 * exports: iCalendar (CRLF, folding, escaping), CSV (quoting, formula
 * injection defused), a participant's agenda and calendar feed.
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
#include "forum/store.h"

static int setup(void **state)
{
    struct tc *t;
    char p[400];

    tc_setup(state);
    t = *state;
    /* Titles that exercise the exports. */
    snprintf(p, sizeof(p), "/api/v1/events/%s/topics/%s", t->eid, t->topic[0]);
    assert_int_equal(
        tc_call(t, API_PATCH, p, t->fac,
                "{\"title\":\"=HYPERLINK(\\\"http://x\\\"), \\\"quoted\\\"; a "
                "very long title that needs folding in iCalendar: éééééééééé\"}",
                NULL),
        200);
    snprintf(p, sizeof(p), "/api/v1/events/%s/topics/%s/vote", t->eid, t->topic[0]);
    assert_int_equal(tc_call(t, API_PUT, p, t->ptok[1], "{\"weight\":1}", NULL), 200);
    return 0;
}

/* Allocates and returns the draft id (static buffer). */
static const char *allocate(struct tc *t)
{
    static char id[64];
    json_t *doc, *sol;
    char p[256];

    snprintf(p, sizeof(p), "/api/v1/events/%s/allocation", t->eid);
    assert_int_equal(tc_call(t, API_POST, p, t->fac, "{\"time_limit_ms\":200}", &doc),
                     200);
    snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(doc, "id")));
    sol = json_object_get(doc, "solution");
    assert_true(json_is_array(json_object_get(sol, "sessions")));
    /* Both topics fit: two rooms, two slots, no conflicts. */
    assert_int_equal(json_array_size(json_object_get(sol, "sessions")), 2);
    json_decref(doc);
    return id;
}

static char *get_text(struct tc *t, const char *path, const char *token, int *status,
                      const char **ctype)
{
    struct api_response resp;
    char auth[100], *text;

    snprintf(auth, sizeof(auth), "Bearer %s", token ? token : "");
    tc_raw(t, API_GET, path, NULL, token ? auth : NULL, NULL, NULL, NULL, NULL, &resp);
    *status = resp.status;
    if (ctype != NULL)
        *ctype = resp.content_type;
    text = strndup(resp.body ? resp.body : "", resp.body_len);
    api_response_release(&resp);
    return text;
}

static void test_schedule_problem_facilitator_only(void **state)
{
    struct tc *t = *state;
    json_t *doc, *p0;
    char p[256];

    snprintf(p, sizeof(p), "/api/v1/events/%s/allocation/problem", t->eid);
    assert_int_equal(tc_call(t, API_GET, p, t->fac, NULL, &doc), 200);
    assert_int_equal(json_array_size(json_object_get(doc, "slots")), 2);
    assert_int_equal(json_array_size(json_object_get(doc, "rooms")), 2);
    assert_int_equal(json_array_size(json_object_get(doc, "topics")), 2);
    p0 = json_array_get(json_object_get(doc, "participants"), 0);
    assert_string_equal(json_string_value(json_object_get(p0, "id")), t->part[0]);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(p0, "votes"), t->topic[1])),
        2);
    json_decref(doc);
    tc_expect_error(t, API_GET, p, t->ptok[0], NULL, 403, "forbidden", NULL);
    tc_expect_error(t, API_GET, p, NULL, NULL, 401, "unauthorized", NULL);
    tc_expect_error(t, API_GET, p, t->other_fac, NULL, 403, "forbidden", NULL);
}

static void test_schedule_allocate_publish_etag(void **state)
{
    struct tc *t = *state;
    json_t *doc;
    char p[256], pub[256], body[200], etag[64], aid[64];
    struct api_response resp;

    snprintf(p, sizeof(p), "/api/v1/events/%s/schedule", t->eid);
    snprintf(pub, sizeof(pub), "/api/v1/events/%s/schedule/publish", t->eid);
    tc_expect_error(t, API_GET, p, NULL, NULL, 404, "not_published", NULL);
    tc_expect_error(t, API_GET, "/api/v1/events/nosuch/schedule", NULL, NULL, 404,
                    "not_found", NULL);
    tc_expect_error(t, API_POST, tc_path("/api/v1/events/%s/allocation", t->eid),
                    t->ptok[0], "{}", 403, "forbidden", NULL);
    tc_expect_error(t, API_POST, tc_path("/api/v1/events/%s/allocation", t->eid), t->fac,
                    "{\"time_limit_ms\":0}", 422, "out_of_range", "time_limit_ms");
    tc_expect_error(t, API_POST, tc_path("/api/v1/events/%s/allocation", t->eid), t->fac,
                    "{\"time_limit_ms\":30001}", 422, "out_of_range", "time_limit_ms");
    snprintf(aid, sizeof(aid), "%s", allocate(t));
    /* A draft is not public. */
    tc_expect_error(t, API_GET, p, NULL, NULL, 404, "not_published", NULL);
    snprintf(body, sizeof(body), "{\"allocation\":\"%s\"}", aid);
    tc_expect_error(t, API_POST, pub, t->ptok[0], body, 403, "forbidden", NULL);
    tc_expect_error(t, API_POST, pub, t->other_fac, body, 403, "forbidden", NULL);
    tc_expect_error(t, API_POST, pub, t->fac, "{\"allocation\":\"anope\"}", 404,
                    "not_found", "allocation");
    assert_int_equal(tc_call(t, API_POST, pub, t->fac, body, &doc), 200);
    assert_int_equal(json_integer_value(json_object_get(doc, "version")), 1);
    json_decref(doc);
    tc_expect_error(t, API_POST, pub, t->fac, body, 409, "conflict", "allocation");

    tc_raw(t, API_GET, p, NULL, NULL, NULL, NULL, NULL, NULL, &resp);
    assert_int_equal(resp.status, 200);
    doc = json_loadb(resp.body, resp.body_len, 0, NULL);
    assert_int_equal(json_integer_value(json_object_get(doc, "version")), 1);
    assert_string_equal(json_string_value(json_object_get(doc, "timezone")),
                        "Europe/Paris");
    assert_int_equal(json_array_size(json_object_get(doc, "sessions")), 2);
    assert_non_null(
        json_object_get(json_array_get(json_object_get(doc, "sessions"), 0), "seated"));
    assert_null(json_object_get(json_array_get(json_object_get(doc, "sessions"), 0),
                                "attendees"));
    json_decref(doc);
    assert_string_equal(resp.headers[0].name, "ETag");
    snprintf(etag, sizeof(etag), "%s", resp.headers[0].value);
    assert_int_equal(etag[0], '"');
    api_response_release(&resp);
    tc_raw(t, API_GET, p, NULL, NULL, NULL, NULL, etag, NULL, &resp);
    assert_int_equal(resp.status, 304);
    assert_int_equal(resp.body_len, 0);
    api_response_release(&resp);
    tc_raw(t, API_GET, p, NULL, NULL, NULL, NULL, "\"other\"", NULL, &resp);
    assert_int_equal(resp.status, 200);
    api_response_release(&resp);

    /* A second publication is a new version with a new tag. */
    snprintf(aid, sizeof(aid), "%s", allocate(t));
    snprintf(body, sizeof(body), "{\"allocation\":\"%s\"}", aid);
    assert_int_equal(tc_call(t, API_POST, pub, t->fac, body, NULL), 200);
    tc_raw(t, API_GET, p, NULL, NULL, NULL, NULL, etag, NULL, &resp);
    assert_int_equal(resp.status, 200);
    assert_string_not_equal(resp.headers[0].value, etag);
    api_response_release(&resp);
}

static void test_schedule_drafts(void **state)
{
    struct tc *t = *state;
    json_t *doc;
    char a1[64], a2[64], p[400], body[200];

    snprintf(a1, sizeof(a1), "%s", allocate(t));
    snprintf(a2, sizeof(a2), "%s", allocate(t));
    snprintf(p, sizeof(p), "/api/v1/events/%s/allocations", t->eid);
    assert_int_equal(tc_call(t, API_GET, p, t->fac, NULL, &doc), 200);
    assert_int_equal(json_array_size(doc), 2);
    assert_true(json_is_false(json_object_get(json_array_get(doc, 0), "published")));
    assert_true(
        json_integer_value(json_object_get(json_array_get(doc, 0), "satisfied")) >= 0);
    json_decref(doc);
    tc_expect_error(t, API_GET, p, t->ptok[0], NULL, 403, "forbidden", NULL);
    snprintf(p, sizeof(p), "/api/v1/events/%s/allocations/%s", t->eid, a1);
    assert_int_equal(tc_call(t, API_GET, p, t->fac, NULL, &doc), 200);
    assert_true(json_is_object(json_object_get(doc, "solution")));
    json_decref(doc);
    snprintf(body, sizeof(body), "{\"allocation\":\"%s\"}", a1);
    assert_int_equal(tc_call(t, API_POST,
                             tc_path("/api/v1/events/%s/schedule/publish", t->eid),
                             t->fac, body, NULL),
                     200);
    /* A published draft is kept; another one may be dropped. */
    tc_expect_error(t, API_DELETE, p, t->fac, NULL, 409, "published", NULL);
    tc_expect_error(t, API_DELETE,
                    tc_path("/api/v1/events/%s/allocations/%s", t->eid, a2), t->ptok[0],
                    NULL, 403, "forbidden", NULL);
    assert_int_equal(tc_call(t, API_DELETE,
                             tc_path("/api/v1/events/%s/allocations/%s", t->eid, a2),
                             t->fac, NULL, NULL),
                     204);
    tc_expect_error(t, API_GET, tc_path("/api/v1/events/%s/allocations/%s", t->eid, a2),
                    t->fac, NULL, 404, "not_found", NULL);
}

static void publish_one(struct tc *t)
{
    char body[200];

    snprintf(body, sizeof(body), "{\"allocation\":\"%s\"}", allocate(t));
    assert_int_equal(tc_call(t, API_POST,
                             tc_path("/api/v1/events/%s/schedule/publish", t->eid),
                             t->fac, body, NULL),
                     200);
}

static void test_schedule_ics(void **state)
{
    struct tc *t = *state;
    int status;
    const char *ct;
    char *text, *line;

    text = get_text(t, tc_path("/api/v1/events/%s/schedule.ics", t->eid), NULL, &status,
                    NULL);
    assert_int_equal(status, 404);
    free(text);
    publish_one(t);
    text = get_text(t, tc_path("/api/v1/events/%s/schedule.ics", t->eid), NULL, &status,
                    &ct);
    assert_int_equal(status, 200);
    assert_non_null(strstr(ct, "text/calendar"));
    assert_int_equal(strncmp(text, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30), 0);
    assert_non_null(strstr(text, "END:VCALENDAR\r\n"));
    assert_non_null(strstr(text, "UID:"));
    assert_non_null(strstr(text, "DTSTAMP:"));
    assert_non_null(strstr(text, "DTSTART:20250918T120000Z\r\n"));
    /* TEXT escaping: commas, semicolons, backslashes. */
    assert_non_null(strstr(text, "\\, \"quoted\"\\;"));
    /* Every line ends with CRLF and holds at most 75 octets; folds start with a space. */
    for (line = text; *line;) {
        char *end = strstr(line, "\r\n");
        assert_non_null(end);
        assert_true(end - line <= 75);
        /* A fold never cuts a UTF-8 sequence: the next line does not start with one. */
        if (end[2] == ' ')
            assert_true(((unsigned char)end[3] & 0xC0) != 0x80);
        line = end + 2;
    }
    free(text);
}

/* Stores a draft whose solution is the JSON text sol, as the worker would
 * (the allocator's groups need the v2 solver; the publication does not).
 * OUT: id. */
static void store_draft(struct tc *t, const char *sol, char *id)
{
    struct store *s;
    struct store_allocation a;

    assert_int_equal(store_open(t->db, &s, NULL), FORUM_OK);
    memset(&a, 0, sizeof(a));
    a.solution = (char *)(uintptr_t)sol;
    a.bound = -1;
    /* Made against the version published now, on the day as it is. */
    assert_int_equal(store_schedule_latest_version(s, t->eid, &a.base_version, NULL),
                     FORUM_OK);
    a.plan_seq = 0;
    assert_int_equal(store_allocation_create(s, t->eid, &a, id, NULL), FORUM_OK);
    store_close(s);
}

static void publish_draft(struct tc *t, const char *aid)
{
    char body[200];

    snprintf(body, sizeof(body), "{\"allocation\":\"%s\"}", aid);
    assert_int_equal(tc_call(t, API_POST,
                             tc_path("/api/v1/events/%s/schedule/publish", t->eid),
                             t->fac, body, NULL),
                     200);
}

/* The number of times needle occurs in hay. */
static int count(const char *hay, const char *needle)
{
    int n = 0;

    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* The VEVENT of uid in ics (owned), or NULL. */
static char *vevent_of(const char *ics, const char *uid)
{
    char key[200];
    const char *at, *from, *to;

    snprintf(key, sizeof(key), "UID:%s\r\n", uid);
    at = strstr(ics, key);
    if (at == NULL)
        return NULL;
    for (from = at; from > ics && strncmp(from, "BEGIN:VEVENT", 12) != 0; from--)
        ;
    to = strstr(at, "END:VEVENT\r\n");
    assert_non_null(to);
    return strndup(from, (size_t)(to - from) + 12);
}

/*
 * A day with a forum block, a plenary and a topic run as two groups; two
 * publications in a row: the plenary is one session for everyone (in the
 * document, every agenda and the calendars), group sessions are known by
 * (topic, group), and the calendar follows the second version: a moved
 * session keeps its UID with a higher SEQUENCE, an unchanged one keeps
 * both, a dropped one is sent once as CANCELLED.
 */
static void test_schedule_plenary_groups_sequence(void **state)
{
    struct tc *t = *state;
    char body[1024], forum[64], plen[64], a1[STORE_ID_MAX + 1], a2[STORE_ID_MAX + 1];
    char uid0[200], uid1[200], uid1g2[200], uidp[200], *ics, *ev, sol[1024];
    json_t *doc, *sessions, *x, *agenda;
    size_t i;
    int status, plenaries = 0, groups = 0;

    json_t *created;
    snprintf(body, sizeof(body),
             "{\"name\":\"Forum\",\"kind\":\"forum\",\"slots\":[\"%s\"]}", t->slot[0]);
    assert_int_equal(tc_call(t, API_POST, tc_path("/api/v1/events/%s/blocks", t->eid),
                             t->fac, body, &created),
                     201);
    snprintf(forum, sizeof(forum), "%s",
             json_string_value(json_object_get(created, "id")));
    json_decref(created);
    assert_int_equal(
        tc_call(t, API_PATCH, tc_path("/api/v1/events/%s/rooms/%s", t->eid, t->room[1]),
                t->fac, "{\"url\":\"https://visio.example.org/bigre\"}", NULL),
        200);
    snprintf(body, sizeof(body),
             "{\"name\":\"Temps fort\",\"kind\":\"plenary\",\"room\":\"%s\","
             "\"slots\":[\"%s\"],\"title\":\"La radicalité joyeuse\"}",
             t->room[1], t->slot[1]);
    assert_int_equal(tc_call(t, API_POST, tc_path("/api/v1/events/%s/blocks", t->eid),
                             t->fac, body, &created),
                     201);
    snprintf(plen, sizeof(plen), "%s", json_string_value(json_object_get(created, "id")));
    json_decref(created);
    snprintf(body, sizeof(body),
             "{\"block\":\"%s\",\"hosts\":[\"%s\",\"%s\"],"
             "\"groups\":{\"max\":2,\"size_min\":1,\"size_max\":4}}",
             forum, t->part[0], t->part[1]);
    assert_int_equal(tc_call(t, API_PATCH,
                             tc_path("/api/v1/events/%s/topics/%s", t->eid, t->topic[1]),
                             t->fac, body, NULL),
                     200);
    snprintf(body, sizeof(body), "{\"block\":\"%s\"}", forum);
    assert_int_equal(tc_call(t, API_PATCH,
                             tc_path("/api/v1/events/%s/topics/%s", t->eid, t->topic[0]),
                             t->fac, body, NULL),
                     200);

    /* A draft that puts group 1 and group 2 of topic 1 in one cell. */
    snprintf(
        sol, sizeof(sol),
        "{\"sessions\":[{\"topic\":\"%s\",\"group\":1,\"room\":\"%s\",\"slot\":\"%s\","
        "\"attendees\":[]},"
        "{\"topic\":\"%s\",\"group\":1,\"room\":\"%s\",\"slot\":\"%s\","
        "\"attendees\":[\"%s\"]},"
        "{\"topic\":\"%s\",\"group\":2,\"room\":\"%s\",\"slot\":\"%s\","
        "\"attendees\":[\"%s\"]}],\"unscheduled\":[]}",
        t->topic[0], t->room[0], t->slot[0], t->topic[1], t->room[1], t->slot[0],
        t->part[0], t->topic[1], t->room[1], t->slot[0], t->part[1]);
    /* Two sessions in one cell: refused, nothing published. */
    store_draft(t, sol, a1);
    snprintf(body, sizeof(body), "{\"allocation\":\"%s\"}", a1);
    tc_expect_error(t, API_POST, tc_path("/api/v1/events/%s/schedule/publish", t->eid),
                    t->fac, body, 409, "conflict", "allocation");
    /* A draft placing a topic in the plenary's slot is stale too. */
    snprintf(sol, sizeof(sol),
             "{\"sessions\":[{\"topic\":\"%s\",\"room\":\"%s\",\"slot\":\"%s\","
             "\"attendees\":[]}]}",
             t->topic[0], t->room[0], t->slot[1]);
    store_draft(t, sol, a1);
    snprintf(body, sizeof(body), "{\"allocation\":\"%s\"}", a1);
    tc_expect_error(t, API_POST, tc_path("/api/v1/events/%s/schedule/publish", t->eid),
                    t->fac, body, 409, "conflict", "allocation");

    /* A second slot in the forum block makes room for the groups. */
    {
        char s2[64];
        json_t *sl;
        assert_int_equal(
            tc_call(t, API_POST, tc_path("/api/v1/events/%s/slots", t->eid), t->fac,
                    "{\"label\":\"Matin\",\"starts_at\":\"2025-09-18T09:00:00+02:00\","
                    "\"ends_at\":\"2025-09-18T10:00:00+02:00\"}",
                    &sl),
            201);
        snprintf(s2, sizeof(s2), "%s", json_string_value(json_object_get(sl, "id")));
        json_decref(sl);
        snprintf(body, sizeof(body), "{\"slots\":[\"%s\",\"%s\"]}", s2, t->slot[0]);
        assert_int_equal(tc_call(t, API_PATCH,
                                 tc_path("/api/v1/events/%s/blocks/%s", t->eid, forum),
                                 t->fac, body, NULL),
                         200);
        snprintf(sol, sizeof(sol),
                 "{\"sessions\":[{\"topic\":\"%s\",\"group\":1,\"room\":\"%s\","
                 "\"slot\":\"%s\",\"attendees\":[]},"
                 "{\"topic\":\"%s\",\"group\":1,\"room\":\"%s\",\"slot\":\"%s\","
                 "\"attendees\":[\"%s\"]},"
                 "{\"topic\":\"%s\",\"group\":2,\"room\":\"%s\",\"slot\":\"%s\","
                 "\"attendees\":[\"%s\"]}],\"unscheduled\":[]}",
                 t->topic[0], t->room[0], s2, t->topic[1], t->room[0], t->slot[0],
                 t->part[0], t->topic[1], t->room[1], t->slot[0], t->part[1]);
        store_draft(t, sol, a1);
        publish_draft(t, a1);
        /* v2: group 2 of topic 1 is dropped, topic 0 moves from room 0 to room 1
         * in the same slot, group 1 of topic 1 stays where it was. */
        snprintf(sol, sizeof(sol),
                 "{\"sessions\":[{\"topic\":\"%s\",\"group\":1,\"room\":\"%s\","
                 "\"slot\":\"%s\",\"attendees\":[]},"
                 "{\"topic\":\"%s\",\"group\":1,\"room\":\"%s\",\"slot\":\"%s\","
                 "\"attendees\":[\"%s\",\"%s\"]}],\"unscheduled\":[]}",
                 t->topic[0], t->room[1], s2, t->topic[1], t->room[0], t->slot[0],
                 t->part[0], t->part[1]);
        store_draft(t, sol, a2);
    }

    /* Version 1 as the wall reads it. */
    assert_int_equal(tc_call(t, API_GET, tc_path("/api/v1/events/%s/schedule", t->eid),
                             NULL, NULL, &doc),
                     200);
    assert_int_equal(json_array_size(json_object_get(doc, "blocks")), 2);
    sessions = json_object_get(doc, "sessions");
    assert_int_equal(json_array_size(sessions), 4);
    json_array_foreach(sessions, i, x)
    {
        const char *kind = json_string_value(json_object_get(x, "kind"));
        if (strcmp(kind, "plenary") == 0) {
            plenaries++;
            assert_true(json_is_null(json_object_get(x, "topic")));
            assert_true(json_is_true(json_object_get(x, "everyone")));
            assert_string_equal(json_string_value(json_object_get(x, "id")), plen);
            assert_string_equal(json_string_value(json_object_get(x, "title")),
                                "La radicalité joyeuse");
            assert_string_equal(json_string_value(json_object_get(x, "room")),
                                t->room[1]);
            assert_string_equal(json_string_value(json_object_get(x, "url")),
                                "https://visio.example.org/bigre");
            assert_int_equal(json_integer_value(json_object_get(x, "seated")), 2);
        } else if (strcmp(json_string_value(json_object_get(x, "topic")), t->topic[1]) ==
                   0) {
            groups++;
            assert_int_equal(json_integer_value(json_object_get(x, "groups")), 2);
            /* Each group's hosts are the topic's hosts seated in it. */
            assert_int_equal(json_array_size(json_object_get(x, "hosts")), 1);
            if (json_integer_value(json_object_get(x, "group")) == 2)
                assert_string_equal(json_string_value(json_object_get(x, "id")),
                                    tc_path("%s-2", t->topic[1]));
        } else {
            assert_string_equal(json_string_value(json_object_get(x, "kind")), "forum");
            assert_string_equal(json_string_value(json_object_get(x, "block")), forum);
        }
    }
    assert_int_equal(plenaries, 1);
    assert_int_equal(groups, 2);
    json_decref(doc);
    /* Every agenda holds the plenary; a group says which one, and how many
     * there are, though the person sits in one only. */
    for (int p = 0; p < 2; p++) {
        int found = 0;
        assert_int_equal(tc_call(t, API_GET,
                                 tc_path("/api/v1/events/%s/me/agenda", t->eid),
                                 t->ptok[p], NULL, &agenda),
                         200);
        assert_int_equal(json_array_size(agenda), 2); /* a group, and the plenary */
        json_array_foreach(agenda, i, x)
        {
            if (strcmp(json_string_value(json_object_get(x, "kind")), "plenary") == 0) {
                found++;
                continue;
            }
            assert_int_equal(json_integer_value(json_object_get(x, "group")), p + 1);
            assert_int_equal(json_integer_value(json_object_get(x, "groups")), 2);
        }
        assert_int_equal(found, 1);
        json_decref(agenda);
    }
    /* The same in the second person's calendar feed. */
    {
        json_t *me;
        char feed[300];
        assert_int_equal(tc_call(t, API_GET, tc_path("/api/v1/events/%s/me", t->eid),
                                 t->ptok[1], NULL, &me),
                         200);
        snprintf(feed, sizeof(feed), "%s",
                 json_string_value(json_object_get(me, "calendar_url")));
        json_decref(me);
        ics = get_text(t, feed, NULL, &status, NULL);
        assert_int_equal(status, 200);
        assert_int_equal(count(ics, "BEGIN:VEVENT\r\n"), 2);
        assert_non_null(strstr(ics, "SUMMARY:Topic 1 — groupe 2\r\n"));
        free(ics);
    }

    snprintf(uid0, sizeof(uid0), "%s-%s@forumd", t->eid, t->topic[0]);
    snprintf(uid1, sizeof(uid1), "%s-%s@forumd", t->eid, t->topic[1]);
    snprintf(uid1g2, sizeof(uid1g2), "%s-%s-2@forumd", t->eid, t->topic[1]);
    snprintf(uidp, sizeof(uidp), "%s-%s@forumd", t->eid, plen);
    ics = get_text(t, tc_path("/api/v1/events/%s/schedule.ics", t->eid), NULL, &status,
                   NULL);
    assert_int_equal(status, 200);
    assert_int_equal(count(ics, "BEGIN:VEVENT\r\n"), 4);
    assert_int_equal(count(ics, "SEQUENCE:0\r\n"), 4);
    assert_int_equal(count(ics, "STATUS:CANCELLED"), 0);
    ev = vevent_of(ics, uid1g2);
    assert_non_null(ev);
    assert_non_null(strstr(ev, "SUMMARY:Topic 1 — groupe 2\r\n"));
    free(ev);
    ev = vevent_of(ics, uidp);
    assert_non_null(strstr(ev, "URL:https://visio.example.org/bigre\r\n"));
    free(ev);
    free(ics);

    /* Version 2. */
    publish_draft(t, a2);
    ics = get_text(t, tc_path("/api/v1/events/%s/schedule.ics", t->eid), NULL, &status,
                   NULL);
    assert_int_equal(count(ics, "BEGIN:VEVENT\r\n"), 4); /* 3 sessions + 1 cancelled */
    ev = vevent_of(ics, uid0); /* moved to another room: same UID, SEQUENCE up */
    assert_non_null(strstr(ev, "SEQUENCE:1\r\n"));
    assert_null(strstr(ev, "STATUS:"));
    free(ev);
    ev = vevent_of(ics, uid1); /* unchanged, and now alone: no group suffix */
    assert_non_null(strstr(ev, "SEQUENCE:0\r\n"));
    assert_non_null(strstr(ev, "SUMMARY:Topic 1\r\n"));
    free(ev);
    ev = vevent_of(ics, uidp); /* unchanged */
    assert_non_null(strstr(ev, "SEQUENCE:0\r\n"));
    free(ev);
    ev = vevent_of(ics, uid1g2); /* dropped: sent as cancelled, SEQUENCE up */
    assert_non_null(ev);
    assert_non_null(strstr(ev, "STATUS:CANCELLED\r\n"));
    assert_non_null(strstr(ev, "SEQUENCE:1\r\n"));
    free(ev);
    assert_int_equal(count(ics, "STATUS:CANCELLED"), 1);
    free(ics);
    /* The CSV is the schedule: no cancelled rows. */
    ics = get_text(t, tc_path("/api/v1/events/%s/schedule.csv", t->eid), NULL, &status,
                   NULL);
    assert_int_equal(count(ics, "\r\n"), 1 + 3);
    assert_non_null(strstr(ics, ",plenary,"));
    free(ics);
}

static void test_schedule_csv(void **state)
{
    struct tc *t = *state;
    int status;
    const char *ct;
    char *text;

    publish_one(t);
    text = get_text(t, tc_path("/api/v1/events/%s/schedule.csv", t->eid), NULL, &status,
                    &ct);
    assert_int_equal(status, 200);
    assert_non_null(strstr(ct, "text/csv"));
    /* A byte-order mark for spreadsheets, times in the event's zone (named in
     * the header), the UTC times last. */
    {
        static const char head[] =
            "\xEF\xBB\xBFslot,starts_at (Europe/Paris),ends_at (Europe/Paris),room,topic,"
            "title,theme,hosts,seated,session,group,block,kind,starts_at_utc,ends_at_"
            "utc\r\n";
        assert_int_equal(strncmp(text, head, strlen(head)), 0);
    }
    assert_non_null(strstr(text, ",2025-09-18 14:00,2025-09-18 15:00,"));
    assert_non_null(strstr(text, ",2025-09-18T12:00:00Z,2025-09-18T13:00:00Z\r\n"));
    /* The formula is defused and the field quoted, quotes doubled. */
    assert_non_null(strstr(text, ",\"'=HYPERLINK(\"\"http://x\"\"), \"\"quoted\"\";"));
    assert_null(strstr(text, ",=HYPERLINK"));
    free(text);
}

static void test_schedule_agenda_and_feed(void **state)
{
    struct tc *t = *state;
    json_t *doc;
    char p[256], feed[300];
    int status;
    char *text;

    snprintf(p, sizeof(p), "/api/v1/events/%s/me/agenda", t->eid);
    assert_int_equal(tc_call(t, API_GET, p, t->ptok[0], NULL, &doc), 200);
    assert_int_equal(json_array_size(doc), 0); /* nothing published yet */
    json_decref(doc);
    tc_expect_error(t, API_GET, p, t->fac, NULL, 403, "forbidden", NULL);
    publish_one(t);
    /* Person 0 hosts topic 0 and voted for topic 1 (different slots fit both). */
    assert_int_equal(tc_call(t, API_GET, p, t->ptok[0], NULL, &doc), 200);
    assert_true(json_array_size(doc) >= 1);
    assert_non_null(json_object_get(json_array_get(doc, 0), "room_name"));
    assert_non_null(json_object_get(json_array_get(doc, 0), "starts_at"));
    json_decref(doc);
    assert_int_equal(tc_call(t, API_GET, tc_path("/api/v1/events/%s/me", t->eid),
                             t->ptok[0], NULL, &doc),
                     200);
    snprintf(feed, sizeof(feed), "%s",
             json_string_value(json_object_get(doc, "calendar_url")));
    json_decref(doc);
    text = get_text(t, feed, NULL, &status, NULL);
    assert_int_equal(status, 200);
    assert_non_null(strstr(text, "BEGIN:VEVENT\r\n"));
    free(text);
    /* The participant's token is not a feed secret, nor is a made-up one. */
    text = get_text(t, tc_path("/api/v1/events/%s/agenda/%s.ics", t->eid, t->ptok[0]),
                    NULL, &status, NULL);
    assert_int_equal(status, 404);
    free(text);
    /* Another event's path does not open this feed. */
    text = get_text(
        t, tc_path("/api/v1/events/%s/agenda/%s", t->other_eid, strrchr(feed, '/') + 1),
        NULL, &status, NULL);
    assert_int_equal(status, 404);
    free(text);
}

static void test_schedule_invalid_problem(void **state)
{
    struct tc *t = *state;
    char body[300], *before, *after;

    /* Person 0 cannot be there in slot 0, yet their topic is locked there. */
    snprintf(body, sizeof(body), "{\"unavailable\":[\"%s\"]}", t->slot[0]);
    assert_int_equal(tc_call(t, API_PATCH, tc_path("/api/v1/events/%s/me", t->eid),
                             t->ptok[0], body, NULL),
                     200);
    snprintf(body, sizeof(body), "{\"fixed\":{\"room\":\"%s\",\"slot\":\"%s\"}}",
             t->room[0], t->slot[0]);
    assert_int_equal(tc_call(t, API_PATCH,
                             tc_path("/api/v1/events/%s/topics/%s", t->eid, t->topic[0]),
                             t->fac, body, NULL),
                     200);
    before = tc_snapshot(t, t->eid, t->fac);
    tc_expect_error(t, API_POST, tc_path("/api/v1/events/%s/allocation", t->eid), t->fac,
                    "{\"time_limit_ms\":50}", 422, "invalid_problem", NULL);
    after = tc_snapshot(t, t->eid, t->fac);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, tc_teardown)

int main(void)
{
    /* The daemon's clock before the day the fixtures describe (18 September
     * 2025): re-runs after a publication keep what has started, and here
     * nothing has. */
    tc_clock_at("2025-09-01T08:00:00Z");
    const struct CMUnitTest tests[] = {
        T(test_schedule_problem_facilitator_only),
        T(test_schedule_allocate_publish_etag),
        T(test_schedule_drafts),
        T(test_schedule_ics),
        T(test_schedule_csv),
        T(test_schedule_plenary_groups_sequence),
        T(test_schedule_agenda_and_feed),
        T(test_schedule_invalid_problem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
