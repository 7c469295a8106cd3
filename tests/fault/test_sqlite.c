/* SPDX-License-Identifier: MIT */
/*
 * SQLite failures through api_handle(): a full disk (every connection the
 * process opens gets a PRAGMA max_page_count at the current size, through
 * sqlite3_auto_extension) and a locked database (another connection holds
 * an exclusive lock past the busy timeout). Each refused write must answer
 * 503 with the JSON error body, change nothing (checked through the API and
 * with PRAGMA integrity_check), and the API must work again once the disk
 * has room or the lock is gone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "fuzz_client.h"

/* The page cap the auto-extension applies to each new connection (0: none). */
static unsigned long g_max_pages;

static int cap_pages(sqlite3 *db, const char **errmsg, const void *api)
{
    char sql[64];

    (void)errmsg;
    (void)api;
    if (g_max_pages != 0) {
        snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %lu", g_max_pages);
        sqlite3_exec(db, sql, NULL, NULL, NULL);
    }
    return SQLITE_OK;
}

static unsigned long page_count(const char *db_path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    unsigned long n = 0;

    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &st, NULL),
                     SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = (unsigned long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static void assert_integrity(const char *db_path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;

    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* The number of topics of the fixture's event, read anonymously. */
static size_t topic_count(struct fc_api *fc, const struct fc_fixture *f)
{
    char path[256];
    json_t *doc = NULL;
    size_t n;

    snprintf(path, sizeof(path), "/api/v1/events/%s/topics", f->event);
    assert_int_equal(fc_json(fc, API_GET, path, NULL, NULL, &doc), 200);
    n = json_array_size(json_is_array(doc) ? doc : json_object_get(doc, "topics"));
    json_decref(doc);
    return n;
}

/* The weight participant 0 gave topic 1 (0 when no vote), through the API. */
static json_int_t vote_of_p0(struct fc_api *fc, const struct fc_fixture *f)
{
    char path[256];
    json_t *doc = NULL, *v, *list;
    size_t i;
    json_int_t w = 0;

    snprintf(path, sizeof(path), "/api/v1/events/%s/me/votes", f->event);
    assert_int_equal(fc_json(fc, API_GET, path, f->part_token[0], NULL, &doc), 200);
    list = json_is_array(doc) ? doc : json_object_get(doc, "votes");
    json_array_foreach(list, i, v)
    {
        char id[FC_ID_MAX];
        if (fc_id(v, "topic", id) == 0 && strcmp(id, f->topic[1]) == 0)
            w = json_integer_value(json_object_get(v, "weight"));
    }
    json_decref(doc);
    return w;
}

/* A refused write: 503 and the JSON error body. */
static void assert_unavailable(struct fc_api *fc, enum api_method m, const char *path,
                               const char *token, const char *body)
{
    struct api_response resp;
    char auth[256];

    snprintf(auth, sizeof(auth), "Bearer %s", token);
    fc_call(fc, m, path, NULL, auth, "application/json", body, strlen(body), &resp);
    assert_int_equal(resp.status, 503);
    assert_null(fc_check_response(&resp, true));
    api_response_release(&resp);
}

static void test_sqlite_full_disk(void **state)
{
    struct fc_api fc;
    struct fc_fixture f;
    char path[256], *body;
    size_t before, created = 0, len = 3900; /* under the description limit */
    int status = 0;

    (void)state;
    assert_int_equal(sqlite3_auto_extension((void (*)(void))cap_pages), SQLITE_OK);
    assert_int_equal(fc_open(&fc), 0);
    assert_int_equal(fc_fixture_setup(&fc, &f), 0);
    fc_close_api(&fc);
    g_max_pages = page_count(fc.db_path);
    assert_true(g_max_pages > 0);
    assert_int_equal(fc_reopen(&fc), 0);
    before = topic_count(&fc, &f);

    /* Topics with a 3.9 kB description until the disk is full. */
    body = malloc(len + 64);
    assert_non_null(body);
    snprintf(path, sizeof(path), "/api/v1/events/%s/topics", f.event);
    for (int i = 0; i < 2000; i++) {
        int n =
            snprintf(body, len + 64, "{\"title\":\"Filler %d\",\"description\":\"", i);
        memset(body + n, 'x', len - (size_t)n - 2);
        memcpy(body + len - 2, "\"}", 3);
        status = fc_json(&fc, API_POST, path, f.fac_token, body, NULL);
        if (status != 201)
            break;
        created++;
    }
    assert_int_equal(status, 503);
    print_message("full disk: %zu topics fitted in %lu pages, then 503\n", created,
                  g_max_pages);
    /* Refused writes of every kind answer 503 and change nothing. */
    {
        int n = snprintf(body, len + 64, "{\"title\":\"Filler last\",\"description\":\"");
        memset(body + n, 'y', len - (size_t)n - 2);
        memcpy(body + len - 2, "\"}", 3);
    }
    assert_unavailable(&fc, API_POST, path, f.fac_token, body);
    assert_int_equal(topic_count(&fc, &f), before + created);
    snprintf(path, sizeof(path), "/api/v1/events/%s/participants", f.event);
    {
        /* Joining writes a token: refused or accepted, never half. */
        json_t *doc = NULL;
        int s = fc_json(&fc, API_POST, path, NULL, "{\"name\":\"Late\"}", &doc);
        assert_true(s == 201 || s == 503);
        json_decref(doc);
    }
    /* Reads still work on a full disk. */
    assert_int_equal(topic_count(&fc, &f), before + created);
    fc_close_api(&fc);
    assert_integrity(fc.db_path);

    /* Room again: writes work again. */
    g_max_pages = 0;
    assert_int_equal(fc_reopen(&fc), 0);
    snprintf(path, sizeof(path), "/api/v1/events/%s/topics", f.event);
    assert_int_equal(
        fc_json(&fc, API_POST, path, f.fac_token, "{\"title\":\"After\"}", NULL), 201);
    assert_int_equal(topic_count(&fc, &f), before + created + 1);
    free(body);
    fc_close(&fc);
    sqlite3_reset_auto_extension();
}

static void test_sqlite_locked(void **state)
{
    struct fc_api fc;
    struct fc_fixture f;
    char path[256];
    sqlite3 *locker = NULL;
    size_t before;
    json_int_t vote_before;

    (void)state;
    assert_int_equal(fc_open(&fc), 0);
    assert_int_equal(fc_fixture_setup(&fc, &f), 0);
    before = topic_count(&fc, &f);
    vote_before = vote_of_p0(&fc, &f);
    assert_true(vote_before > 0);

    assert_int_equal(sqlite3_open_v2(fc.db_path, &locker, SQLITE_OPEN_READWRITE, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_exec(locker, "BEGIN EXCLUSIVE", NULL, NULL, NULL),
                     SQLITE_OK);

    /* Writes wait the busy timeout, then answer 503 and change nothing. */
    snprintf(path, sizeof(path), "/api/v1/events/%s/topics", f.event);
    assert_unavailable(&fc, API_POST, path, f.part_token[1], "{\"title\":\"Blocked\"}");
    snprintf(path, sizeof(path), "/api/v1/events/%s/topics/%s/vote", f.event, f.topic[1]);
    assert_unavailable(&fc, API_PUT, path, f.part_token[0], "{\"weight\":3}");
    /* Reads go on beside the writer's lock (WAL). */
    assert_int_equal(topic_count(&fc, &f), before);

    assert_int_equal(sqlite3_exec(locker, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(locker);
    assert_int_equal(topic_count(&fc, &f), before);
    assert_int_equal(vote_of_p0(&fc, &f), vote_before);
    /* The lock gone, the same writes succeed. */
    assert_int_equal(
        fc_json(&fc, API_PUT, path, f.part_token[0], "{\"weight\":3}", NULL) / 100, 2);
    assert_int_equal(vote_of_p0(&fc, &f), 3);
    fc_close_api(&fc);
    assert_integrity(fc.db_path);
    fc_close(&fc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqlite_full_disk),
        cmocka_unit_test(test_sqlite_locked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
