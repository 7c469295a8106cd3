/* SPDX-License-Identifier: MIT */
/* The socket-less API test client (see client.h). */
#include "client.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "forum/util/clock.h"

#include "api_sync.h"

void tc_open(struct tc *t, unsigned write_burst, unsigned write_per_minute)
{
    struct api_config cfg;
    struct forum_error err;

    memset(t, 0, sizeof(*t));
    snprintf(t->dir, sizeof(t->dir), "/tmp/forum-api-test-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->db, sizeof(t->db), "%s/forumd.db", t->dir);
    memset(&cfg, 0, sizeof(cfg));
    cfg.db_path = t->db;
    cfg.admin_token = TC_ADMIN;
    cfg.public_url = "http://forum.test";
    cfg.write_burst = write_burst ? write_burst : 100000;
    cfg.write_per_minute = write_per_minute ? write_per_minute : 100000;
    forum_error_clear(&err);
    if (api_new(&cfg, &t->api, &err) != FORUM_OK)
        fail_msg("api_new: %s", err.msg);
}

void tc_close(struct tc *t)
{
    DIR *d;
    struct dirent *de;
    char path[600];

    api_free(t->api);
    t->api = NULL;
    d = opendir(t->dir);
    if (d != NULL) {
        while ((de = readdir(d)) != NULL) {
            if (de->d_name[0] == '.')
                continue;
            snprintf(path, sizeof(path), "%s/%s", t->dir, de->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(t->dir);
}

void tc_raw(struct tc *t, enum api_method m, const char *path, const char *query,
            const char *authorization, const char *content_type, const char *body,
            const char *if_none_match, const char *addr, struct api_response *resp)
{
    struct api_request req;

    memset(&req, 0, sizeof(req));
    req.method = m;
    req.path = path;
    req.query = query;
    req.authorization = authorization;
    req.content_type = content_type ? content_type : (body ? "application/json" : NULL);
    req.body = body;
    req.body_len = body ? strlen(body) : 0;
    req.if_none_match = if_none_match;
    req.remote_addr = addr ? addr : "192.0.2.1";
    api_response_init(resp);
    ts_api_call(t->api, &req, resp);
}

int tc_call(struct tc *t, enum api_method m, const char *path, const char *token,
            const char *body, json_t **out)
{
    struct api_response resp;
    char auth[300];
    int status;

    if (token != NULL)
        snprintf(auth, sizeof(auth), "Bearer %s", token);
    tc_raw(t, m, path, NULL, token ? auth : NULL, NULL, body, NULL, NULL, &resp);
    status = resp.status;
    if (out != NULL) {
        *out = NULL;
        if (resp.body_len > 0)
            *out = json_loadb(resp.body, resp.body_len, 0, NULL);
    }
    if (status >= 400) {
        /* Every error has the one body shape. */
        json_t *doc = json_loadb(resp.body, resp.body_len, 0, NULL);
        json_t *e = json_object_get(doc, "error");
        assert_string_equal(resp.content_type, "application/json");
        assert_true(json_is_string(json_object_get(e, "code")));
        assert_true(json_is_string(json_object_get(e, "message")));
        json_decref(doc);
    }
    api_response_release(&resp);
    return status;
}

int tc_call_if(struct tc *t, enum api_method m, const char *path, const char *token,
               const char *body, const char *if_match, json_t **out, char *etag)
{
    struct api_request req;
    struct api_response resp;
    char auth[300];
    int status;

    memset(&req, 0, sizeof(req));
    req.method = m;
    req.path = path;
    if (token != NULL) {
        snprintf(auth, sizeof(auth), "Bearer %s", token);
        req.authorization = auth;
    }
    req.content_type = body ? "application/json" : NULL;
    req.body = body;
    req.body_len = body ? strlen(body) : 0;
    req.if_match = if_match;
    req.remote_addr = "192.0.2.1";
    api_response_init(&resp);
    ts_api_call(t->api, &req, &resp);
    status = resp.status;
    if (out != NULL)
        *out = resp.body_len > 0 ? json_loadb(resp.body, resp.body_len, 0, NULL) : NULL;
    if (etag != NULL) {
        etag[0] = '\0';
        for (size_t i = 0; i < resp.n_headers; i++)
            if (strcmp(resp.headers[i].name, "ETag") == 0)
                snprintf(etag, 64, "%s", resp.headers[i].value);
    }
    api_response_release(&resp);
    return status;
}

const char *tc_path(const char *fmt, ...)
{
    static char buf[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    return buf;
}

void tc_clock_at(const char *when)
{
    time_t at;

    assert_true(forum_clock_parse(when, &at));
    forum_clock_set_offset((long long)(at - time(NULL)));
}

const char *tc_event_path(const struct tc *t, const char *fmt, ...)
{
    static char buf[512];
    va_list ap;
    int n = snprintf(buf, sizeof(buf), "/api/v1/events/%s", t->eid);

    va_start(ap, fmt);
    vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
    va_end(ap);
    return buf;
}

static void copy_str(json_t *doc, const char *key, char *out)
{
    const char *s = json_string_value(json_object_get(doc, key));

    assert_non_null(s);
    assert_true(strlen(s) < 64);
    strcpy(out, s);
}

static void create(struct tc *t, const char *path, const char *token, const char *body,
                   char *id, const char *token_key, char *tok)
{
    json_t *doc;
    char p[512];

    snprintf(p, sizeof(p), "%s", path);
    assert_int_equal(tc_call(t, API_POST, p, token, body, &doc), 201);
    copy_str(doc, "id", id);
    if (token_key != NULL)
        copy_str(doc, token_key, tok);
    json_decref(doc);
}

void tc_fixture(struct tc *t)
{
    char body[512];

    create(t, "/api/v1/events", TC_ADMIN,
           "{\"name\":\"Rencontre\",\"timezone\":\"Europe/Paris\",\"max_weight\":3}",
           t->eid, "facilitator_token", t->fac);
    create(t, "/api/v1/events", TC_ADMIN, "{\"name\":\"Ailleurs\"}", t->other_eid,
           "facilitator_token", t->other_fac);
    for (int i = 0; i < 2; i++) {
        snprintf(body, sizeof(body),
                 "{\"label\":\"Slot %d\",\"starts_at\":\"2025-09-18T1%d:00:00+02:00\","
                 "\"ends_at\":\"2025-09-18T1%d:00:00+02:00\"}",
                 i, 4 + i, 5 + i);
        create(t, tc_path("/api/v1/events/%s/slots", t->eid), t->fac, body, t->slot[i],
               NULL, NULL);
        snprintf(body, sizeof(body),
                 "{\"name\":\"Room %d\",\"capacity\":%d,\"features\":[\"accessible\"]}",
                 i, 10 * (i + 1));
        create(t, tc_path("/api/v1/events/%s/rooms", t->eid), t->fac, body, t->room[i],
               NULL, NULL);
        snprintf(body, sizeof(body), "{\"name\":\"Person %d\"}", i);
        create(t, tc_path("/api/v1/events/%s/participants", t->eid), NULL, body,
               t->part[i], "token", t->ptok[i]);
        snprintf(body, sizeof(body), "{\"title\":\"Topic %d\",\"theme\":\"Coopération\"}",
                 i);
        create(t, tc_path("/api/v1/events/%s/topics", t->eid), t->ptok[i], body,
               t->topic[i], NULL, NULL);
    }
    create(t, tc_path("/api/v1/events/%s/participants", t->other_eid), NULL,
           "{\"name\":\"Eve\"}", t->other_part, "token", t->other_ptok);
    create(t, tc_path("/api/v1/events/%s/topics", t->other_eid), t->other_ptok,
           "{\"title\":\"Elsewhere\"}", t->other_topic, NULL, NULL);
    assert_int_equal(
        tc_call(t, API_PUT,
                tc_path("/api/v1/events/%s/topics/%s/vote", t->eid, t->topic[1]),
                t->ptok[0], "{\"weight\":2}", NULL),
        200);
}

int tc_setup(void **state)
{
    struct tc *t = calloc(1, sizeof(*t));
    tc_open(t, 0, 0);
    tc_fixture(t);
    *state = t;
    return 0;
}

int tc_teardown(void **state)
{
    struct tc *t = *state;
    tc_close(t);
    free(t);
    return 0;
}

static void append_get(struct tc *t, char **acc, const char *path, const char *token)
{
    json_t *doc = NULL;
    int status = tc_call(t, API_GET, path, token, NULL, &doc);
    char *text = doc ? json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    size_t old = *acc ? strlen(*acc) : 0;
    size_t add = strlen(path) + (text ? strlen(text) : 0) + 32;

    *acc = realloc(*acc, old + add);
    snprintf(*acc + old, add, "%s %d %s\n", path, status, text ? text : "-");
    free(text);
    json_decref(doc);
}

char *tc_snapshot(struct tc *t, const char *eid, const char *fac)
{
    char *acc = NULL;
    static const char *const parts[] = {"",
                                        "/slots",
                                        "/rooms",
                                        "/blocks",
                                        "/topics",
                                        "/participants",
                                        "/allocations",
                                        "/schedule",
                                        "/allocation/problem",
                                        "/changes"};
    char path[300];

    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        snprintf(path, sizeof(path), "/api/v1/events/%s%s", eid, parts[i]);
        append_get(t, &acc, path, fac);
    }
    return acc;
}

void tc_expect_error(struct tc *t, enum api_method m, const char *path, const char *token,
                     const char *body, int status, const char *code, const char *field)
{
    json_t *doc = NULL, *e;
    char p[1024];
    int got;

    snprintf(p, sizeof(p), "%s", path);
    got = tc_call(t, m, p, token, body, &doc);
    if (got != status)
        fail_msg(
            "%s: expected %d, got %d (%s)", p, status, got,
            json_string_value(json_object_get(json_object_get(doc, "error"), "message")));
    e = json_object_get(doc, "error");
    assert_string_equal(json_string_value(json_object_get(e, "code")), code);
    if (field != NULL)
        assert_string_equal(json_string_value(json_object_get(e, "field")), field);
    json_decref(doc);
}
