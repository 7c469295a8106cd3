/* SPDX-License-Identifier: MIT */
/* The demo event, the generated admin token, one topic by id. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client.h"

/* Copies the text after marker up to the next whitespace or '#'. */
static void after(const char *text, const char *marker, char *out, size_t cap)
{
    const char *p = strstr(text, marker);
    size_t n = 0;

    assert_non_null(p);
    p += strlen(marker);
    while (p[n] && p[n] != '\n' && p[n] != ' ' && p[n] != '#' && n + 1 < cap)
        n++;
    memcpy(out, p, n);
    out[n] = '\0';
}

static void test_demo_creates_then_links(void **state)
{
    struct tc t;
    struct forum_error err;
    char *links = NULL, eid[64], fac[80];
    json_t *doc, *sessions;
    size_t i;
    json_t *x;
    (void)state;

    tc_open(&t, 0, 0);
    forum_error_clear(&err);
    assert_int_equal(api_demo(t.api, &links, &err), FORUM_OK);
    assert_non_null(strstr(links, "http://forum.test/e/"));
    assert_non_null(strstr(links, "/wall#code=BIGRE2025"));
    assert_non_null(strstr(links, "/proceedings"));
    assert_non_null(strstr(links, "BIGRE2025"));
    after(links, "http://forum.test/e/", eid, sizeof(eid));
    after(links, "#token=", fac, sizeof(fac));
    free(links);

    assert_int_equal(
        tc_call(&t, API_GET, tc_path("/api/v1/events/%s", eid), fac, NULL, &doc), 200);
    assert_string_equal(json_string_value(json_object_get(doc, "timezone")),
                        "Europe/Paris");
    assert_string_equal(json_string_value(json_object_get(doc, "join_code")),
                        "BIGRE2025");
    json_decref(doc);
    assert_int_equal(tc_call(&t, API_GET, tc_path("/api/v1/events/%s/participants", eid),
                             fac, NULL, &doc),
                     200);
    assert_int_equal(json_array_size(doc), 60);
    json_decref(doc);
    /* The seed's day: three half-days, a plenary and a break, in the day's order. */
    assert_int_equal(
        tc_call(&t, API_GET, tc_path("/api/v1/events/%s/blocks", eid), NULL, NULL, &doc),
        200);
    {
        static const char *const kinds[] = {"groups", "plenary", "forum", "break",
                                            "workshops"};
        assert_int_equal(json_array_size(doc), 5);
        for (i = 0; i < 5; i++)
            assert_string_equal(
                json_string_value(json_object_get(json_array_get(doc, i), "kind")),
                kinds[i]);
    }
    json_decref(doc);
    assert_int_equal(
        tc_call(&t, API_GET, tc_path("/api/v1/events/%s/topics", eid), NULL, NULL, &doc),
        200);
    assert_true(json_array_size(doc) >= 20);
    {
        int groups = 0, in_block = 0;
        json_array_foreach(doc, i, x)
        {
            groups += json_is_object(json_object_get(x, "groups"));
            in_block += json_is_string(json_object_get(x, "block"));
        }
        assert_int_equal(groups, 3); /* co-développement and two other methods */
        assert_int_equal(in_block, (int)json_array_size(doc));
    }
    json_decref(doc);
    /* One online room and one that is not step-free. */
    assert_int_equal(
        tc_call(&t, API_GET, tc_path("/api/v1/events/%s/rooms", eid), NULL, NULL, &doc),
        200);
    {
        int online = 0, stairs = 0;
        json_array_foreach(doc, i, x)
        {
            char *f = json_dumps(json_object_get(x, "features"), 0);
            online += strstr(f, "\"online\"") != NULL &&
                      json_is_string(json_object_get(x, "url"));
            stairs += strstr(f, "\"accessible\"") == NULL;
            free(f);
        }
        assert_int_equal(online, 1);
        assert_true(stairs >= 1);
    }
    json_decref(doc);
    /* A first schedule is published, the plenary one session for everyone. */
    assert_int_equal(tc_call(&t, API_GET, tc_path("/api/v1/events/%s/schedule", eid),
                             NULL, NULL, &doc),
                     200);
    assert_int_equal(json_integer_value(json_object_get(doc, "version")), 1);
    sessions = json_object_get(doc, "sessions");
    assert_true(json_array_size(sessions) >= 10);
    {
        int plenary = 0;
        json_array_foreach(sessions, i, x)
        {
            if (strstr(json_string_value(json_object_get(x, "title")),
                       "radicalité joyeuse") == NULL)
                continue;
            plenary++;
            assert_string_equal(json_string_value(json_object_get(x, "kind")), "plenary");
            assert_true(json_is_true(json_object_get(x, "everyone")));
            assert_int_equal(json_integer_value(json_object_get(x, "seated")), 60);
            assert_true(json_is_string(json_object_get(x, "url")));
        }
        assert_int_equal(plenary, 1);
    }
    json_decref(doc);

    /* Notes of a few sessions, the plenary's among them, in public proceedings. */
    assert_int_equal(tc_call(&t, API_GET,
                             tc_path("/api/v1/events/%s/proceedings.json", eid), NULL,
                             NULL, &doc),
                     200);
    assert_true(json_is_true(json_object_get(doc, "public")));
    {
        int with_notes = 0, plenary = 0;
        json_t *blocks = json_object_get(doc, "blocks"), *b;
        size_t k;
        json_array_foreach(blocks, i, b)
        {
            json_array_foreach(json_object_get(b, "sessions"), k, x)
            {
                json_t *n = json_object_get(x, "notes");
                if (!json_is_object(n))
                    continue;
                with_notes++;
                plenary +=
                    strcmp(json_string_value(json_object_get(x, "kind")), "plenary") == 0;
                assert_true(json_array_size(json_object_get(
                                json_object_get(n, "rendered"), "key_points")) > 0);
                assert_int_equal(json_array_size(json_object_get(x, "present")), 2);
            }
        }
        assert_true(with_notes >= 4);
        assert_int_equal(plenary, 1);
    }
    json_decref(doc);

    /* A second call finds the event and cannot show the token again. */
    assert_int_equal(api_demo(t.api, &links, &err), FORUM_OK);
    assert_non_null(strstr(links, eid));
    assert_null(strstr(links, "#token="));
    free(links);
    assert_int_equal(tc_call(&t, API_GET, tc_path("/api/v1/events/%s/allocations", eid),
                             fac, NULL, &doc),
                     200);
    assert_int_equal(json_array_size(doc), 1);
    json_decref(doc);
    tc_close(&t);
}

static void test_demo_generated_admin_token(void **state)
{
    struct api_config cfg;
    struct api *api;
    struct forum_error err;
    char dir[] = "/tmp/forum-api-admin-XXXXXX", db[200], token[64];
    struct api_request req;
    struct api_response resp;
    char auth[100];
    (void)state;

    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof(db), "%s/forumd.db", dir);
    memset(&cfg, 0, sizeof(cfg));
    cfg.db_path = db;
    forum_error_clear(&err);
    assert_int_equal(api_new(&cfg, &api, &err), FORUM_OK);
    assert_non_null(api_generated_admin_token(api));
    snprintf(token, sizeof(token), "%s", api_generated_admin_token(api));
    assert_int_equal(strlen(token), 32);
    memset(&req, 0, sizeof(req));
    req.method = API_POST;
    req.path = "/api/v1/events";
    snprintf(auth, sizeof(auth), "Bearer %s", token);
    req.authorization = auth;
    req.content_type = "application/json";
    req.body = "{\"name\":\"Admin works\"}";
    req.body_len = strlen(req.body);
    req.remote_addr = "192.0.2.9";
    api_response_init(&resp);
    api_handle(api, &req, &resp);
    assert_int_equal(resp.status, 201);
    api_response_release(&resp);
    api_free(api);
    /* Printed once: the next start keeps the stored hash and shows nothing. */
    assert_int_equal(api_new(&cfg, &api, &err), FORUM_OK);
    assert_null(api_generated_admin_token(api));
    api_response_init(&resp);
    api_handle(api, &req, &resp);
    assert_int_equal(resp.status, 201);
    api_response_release(&resp);
    api_free(api);
    snprintf(auth, sizeof(auth), "rm -rf '%s'", dir);
    assert_int_equal(system(auth), 0);
}

static void test_demo_topic_by_id(void **state)
{
    struct tc t;
    json_t *doc;
    (void)state;

    tc_open(&t, 0, 0);
    tc_fixture(&t);
    assert_int_equal(tc_call(&t, API_GET,
                             tc_path("/api/v1/events/%s/topics/%s", t.eid, t.topic[0]),
                             NULL, NULL, &doc),
                     200);
    assert_string_equal(json_string_value(json_object_get(doc, "title")), "Topic 0");
    json_decref(doc);
    tc_expect_error(&t, API_GET,
                    tc_path("/api/v1/events/%s/topics/%s", t.eid, t.other_topic), NULL,
                    NULL, 404, "not_found", NULL);
    tc_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_creates_then_links),
        cmocka_unit_test(test_demo_generated_admin_token),
        cmocka_unit_test(test_demo_topic_by_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
