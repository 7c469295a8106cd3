/* SPDX-License-Identifier: MIT */
/*
 * Every error code with its body, from the one status table, and the
 * promise that a rejected request changes nothing; the limits; health and
 * metrics.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client.h"
#include "forum/util/buf.h"

/* Sends a raw request and checks status and error code. */
static void expect_raw(struct tc *t, enum api_method m, const char *path,
                       const char *auth, const char *ctype, const char *body, int status,
                       const char *code)
{
    struct api_response resp;
    json_t *doc;

    tc_raw(t, m, path, NULL, auth, ctype, body, NULL, NULL, &resp);
    if (resp.status != status)
        fail_msg("%s: expected %d, got %d: %.*s", path, status, resp.status,
                 (int)resp.body_len, resp.body);
    doc = json_loadb(resp.body, resp.body_len, 0, NULL);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(doc, "error"), "code")), code);
    json_decref(doc);
    api_response_release(&resp);
}

static void test_errors_routing(void **state)
{
    struct tc *t = *state;
    struct api_response resp;
    char p[256];

    expect_raw(t, API_GET, "/api/v1/nothing", NULL, NULL, NULL, 404, "not_found");
    expect_raw(t, API_GET, "/api/v1/events/", NULL, NULL, NULL, 404, "not_found");
    snprintf(p, sizeof(p), "/api/v1/events/%s/topics", t->eid);
    tc_raw(t, API_PUT, p, NULL, NULL, "application/json", "{}", NULL, NULL, &resp);
    assert_int_equal(resp.status, 405);
    assert_string_equal(resp.headers[0].name, "Allow");
    assert_string_equal(resp.headers[0].value, "GET, HEAD, POST");
    api_response_release(&resp);
    expect_raw(t, API_OTHER, "/healthz", NULL, NULL, NULL, 405, "method_not_allowed");
    /* HEAD is served like GET. */
    tc_raw(t, API_HEAD, "/healthz", NULL, NULL, NULL, NULL, NULL, NULL, &resp);
    assert_int_equal(resp.status, 200);
    api_response_release(&resp);
}

static void test_errors_body_checks_change_nothing(void **state)
{
    struct tc *t = *state;
    char p[256], auth[100], big[70000], *before, *after;
    static const struct {
        const char *ctype, *body;
        int status;
        const char *code;
    } cases[] = {
        {"text/plain", "{\"title\":\"x\"}", 415, "unsupported_media_type"},
        {"application/x-www-form-urlencoded", "title=x", 415, "unsupported_media_type"},
        {NULL, "{\"title\":\"x\"", 400, "malformed_json"},
        {NULL, "{\"title\":\"x\",\"title\":\"y\"}", 400, "duplicate_key"},
        {NULL, "{\"title\":\"x\",\"needs\":[[[[[\"deep\"]]]]]}", 400, "too_deep"},
        {NULL, "{\"title\":\"a\\u0000b\"}", 400, "malformed_json"},
        {NULL, "{\"title\":\"\xff\xfe\"}", 400, "malformed_json"},
        {NULL, "[\"title\"]", 422, "wrong_type"},
        {NULL, "{\"title\":\"x\",\"max_size\":9223372036854775808}", 422, "out_of_range"},
        {NULL, "{\"title\":\"x\",\"max_size\":100001}", 422, "out_of_range"},
        {NULL, "{\"title\":\"x\",\"max_size\":2.5}", 422, "wrong_type"},
        {NULL, "{\"title\":42}", 422, "wrong_type"},
        {NULL, "{\"title\":\"line\\nbreak\"}", 422, "invalid"},
        {NULL, "{\"title\":\"x\",\"unknown\":1}", 422, "unknown_field"},
        {NULL, "{\"description\":\"no title\"}", 422, "missing"},
    };

    snprintf(p, sizeof(p), "/api/v1/events/%s/topics", t->eid);
    snprintf(auth, sizeof(auth), "Bearer %s", t->ptok[0]);
    before = tc_snapshot(t, t->eid, t->fac);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        expect_raw(t, API_POST, p, auth,
                   cases[i].ctype ? cases[i].ctype : "application/json", cases[i].body,
                   cases[i].status, cases[i].code);
    /* Too long a title, too many needs, too big a body. */
    memset(big, 'a', sizeof(big));
    memcpy(big, "{\"title\":\"", 10);
    strcpy(big + 10 + 201, "\"}");
    expect_raw(t, API_POST, p, auth, "application/json", big, 422, "too_long");
    strcpy(big, "{\"title\":\"x\",\"needs\":[\"a\"");
    for (int i = 0; i < 25; i++)
        strcat(big, ",\"a\"");
    strcat(big, "]}");
    expect_raw(t, API_POST, p, auth, "application/json", big, 422, "too_many");
    memset(big, ' ', sizeof(big));
    big[0] = '{';
    strcpy(big + sizeof(big) - 2, "}");
    expect_raw(t, API_POST, p, auth, "application/json", big, 413, "too_large");
    after = tc_snapshot(t, t->eid, t->fac);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

static void test_errors_auth_and_roles_change_nothing(void **state)
{
    struct tc *t = *state;
    char *before, *after, body[200];

    before = tc_snapshot(t, t->eid, t->fac);
    expect_raw(t, API_POST, tc_path("/api/v1/events/%s/rooms", t->eid),
               "Basic YWRtaW46YWRtaW4=", "application/json",
               "{\"name\":\"x\",\"capacity\":3}", 401, "unauthorized");
    expect_raw(t, API_POST, tc_path("/api/v1/events/%s/rooms", t->eid), "Bearer ",
               "application/json", "{\"name\":\"x\",\"capacity\":3}", 401,
               "unauthorized");
    tc_expect_error(t, API_POST, tc_path("/api/v1/events/%s/rooms", t->eid), t->ptok[0],
                    "{\"name\":\"x\",\"capacity\":3}", 403, "forbidden", NULL);
    tc_expect_error(t, API_POST, tc_path("/api/v1/events/%s/slots", t->eid), t->other_fac,
                    "{\"label\":\"x\",\"starts_at\":\"2025-01-01T00:00:00Z\",\"ends_at\":"
                    "\"2025-01-01T01:00:00Z\"}",
                    403, "forbidden", NULL);
    tc_expect_error(t, API_PATCH,
                    tc_path("/api/v1/events/%s/topics/%s", t->eid, t->topic[1]),
                    t->ptok[0], "{\"title\":\"stolen\"}", 403, "forbidden", NULL);
    tc_expect_error(t, API_DELETE,
                    tc_path("/api/v1/events/%s/topics/%s/vote", t->eid, t->topic[1]),
                    t->other_ptok, NULL, 403, "forbidden", NULL);
    tc_expect_error(t, API_PUT,
                    tc_path("/api/v1/events/%s/topics/%s/vote", t->eid, t->topic[1]),
                    t->ptok[0], "{\"weight\":9}", 422, "out_of_range", "weight");
    snprintf(body, sizeof(body), "{\"allocation\":\"%s\"}", "nope");
    tc_expect_error(t, API_POST, tc_path("/api/v1/events/%s/schedule/publish", t->eid),
                    t->ptok[1], body, 403, "forbidden", NULL);
    tc_expect_error(t, API_GET, tc_path("/api/v1/events/%s/allocation/problem", t->eid),
                    t->ptok[1], NULL, 403, "forbidden", NULL);
    after = tc_snapshot(t, t->eid, t->fac);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

static void test_errors_failed_auth_limited_per_address(void **state)
{
    struct tc *t = *state;
    struct api_response resp;
    char p[256];
    int last = 0, n401 = 0;

    snprintf(p, sizeof(p), "/api/v1/events/%s/me", t->eid);
    for (int i = 0; i < 40; i++) {
        tc_raw(t, API_GET, p, NULL, "Bearer guess-0123456789abcdef", NULL, NULL, NULL,
               "198.51.100.7", &resp);
        last = resp.status;
        n401 += resp.status == 401;
        if (resp.status == 429) {
            assert_string_equal(resp.headers[0].name, "Retry-After");
            assert_true(atoi(resp.headers[0].value) >= 1);
        }
        api_response_release(&resp);
    }
    assert_int_equal(last, 429);
    assert_int_equal(n401, 20);
    /* A valid token from that address is still served (a venue shares one address). */
    {
        char auth[100];
        snprintf(auth, sizeof(auth), "Bearer %s", t->ptok[0]);
        tc_raw(t, API_GET, p, NULL, auth, NULL, NULL, NULL, "198.51.100.7", &resp);
        assert_int_equal(resp.status, 200);
        api_response_release(&resp);
        tc_raw(t, API_GET, p, NULL, "Bearer guess-again", NULL, NULL, NULL,
               "198.51.100.7", &resp);
        assert_int_equal(resp.status, 429);
        api_response_release(&resp);
        tc_raw(t, API_GET, p, NULL, auth, NULL, NULL, NULL, "198.51.100.8", &resp);
        assert_int_equal(resp.status, 200);
        api_response_release(&resp);
    }
    /* Reads without a token and /healthz are never limited. */
    tc_raw(t, API_GET, tc_path("/api/v1/events/%s/topics", t->eid), NULL, NULL, NULL,
           NULL, NULL, "198.51.100.7", &resp);
    assert_int_equal(resp.status, 200);
    api_response_release(&resp);
    tc_raw(t, API_GET, "/healthz", NULL, NULL, NULL, NULL, NULL, "198.51.100.7", &resp);
    assert_int_equal(resp.status, 200);
    api_response_release(&resp);
}

static void test_errors_write_rate_per_token(void **state)
{
    struct tc t;
    char p[256];
    int status = 0, ok = 0;
    json_t *doc;
    (void)state;

    tc_open(&t, 3, 1); /* three writes, then one a minute */
    tc_fixture(&t);    /* the fixture's participants write twice at most */
    snprintf(p, sizeof(p), "/api/v1/events/%s/topics/%s/vote", t.eid, t.topic[0]);
    for (int i = 0; i < 5; i++) {
        status = tc_call(&t, API_PUT, p, t.ptok[1], "{\"weight\":1}", NULL);
        ok += status == 200;
    }
    assert_int_equal(status, 429);
    assert_true(ok >= 1 && ok <= 3);
    /* Another participant is not slowed down, and reads go on. */
    assert_int_equal(tc_call(&t, API_PUT, p, t.ptok[0], "{\"weight\":1}", NULL), 200);
    assert_int_equal(tc_call(&t, API_GET, tc_path("/api/v1/events/%s/me/votes", t.eid),
                             t.ptok[1], NULL, &doc),
                     200);
    json_decref(doc);
    tc_close(&t);
}

static void test_errors_health_and_metrics(void **state)
{
    struct tc *t = *state;
    json_t *doc;
    struct buf b;

    assert_int_equal(tc_call(t, API_GET, "/healthz", NULL, NULL, &doc), 200);
    assert_string_equal(json_string_value(json_object_get(doc, "status")), "ok");
    json_decref(doc);
    buf_init(&b, 1 << 20);
    api_metrics_write(t->api, &b);
    assert_non_null(
        strstr(b.ptr, "forumd_api_requests_total{route=\"healthz\",status=\"2xx\"}"));
    assert_non_null(strstr(b.ptr, "forumd_votes_total 1\n"));
    assert_non_null(strstr(b.ptr, "# TYPE forumd_rate_limited_total counter"));
    buf_release(&b);
}

struct thread_call {
    struct tc *t;
    int status;
    char code[64];
};

static void *healthz_from_new_thread(void *arg)
{
    struct thread_call *tcall = arg;
    struct api_response resp;
    json_t *doc;

    tc_raw(tcall->t, API_GET, "/healthz", NULL, NULL, NULL, NULL, NULL, NULL, &resp);
    tcall->status = resp.status;
    doc = json_loadb(resp.body, resp.body_len, 0, NULL);
    snprintf(
        tcall->code, sizeof(tcall->code), "%s",
        json_string_value(json_object_get(json_object_get(doc, "error"), "code"))
            ? json_string_value(json_object_get(json_object_get(doc, "error"), "code"))
            : "");
    json_decref(doc);
    api_response_release(&resp);
    return NULL;
}

static void test_errors_database_unavailable(void **state)
{
    struct tc *t = *state;
    struct thread_call tcall = {t, 0, ""};
    char moved[300];
    pthread_t th;

    /* A server thread that cannot open its connection answers 503. */
    snprintf(moved, sizeof(moved), "%s.moved", t->dir);
    assert_int_equal(rename(t->dir, moved), 0);
    assert_int_equal(pthread_create(&th, NULL, healthz_from_new_thread, &tcall), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(rename(moved, t->dir), 0);
    assert_int_equal(tcall.status, 503);
    assert_string_equal(tcall.code, "unavailable");
    /* With the file back, a new thread is served again. */
    assert_int_equal(pthread_create(&th, NULL, healthz_from_new_thread, &tcall), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(tcall.status, 200);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, tc_setup, tc_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_errors_routing),
        T(test_errors_body_checks_change_nothing),
        T(test_errors_auth_and_roles_change_nothing),
        T(test_errors_failed_auth_limited_per_address),
        cmocka_unit_test(test_errors_write_rate_per_token),
        T(test_errors_health_and_metrics),
        T(test_errors_database_unavailable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
