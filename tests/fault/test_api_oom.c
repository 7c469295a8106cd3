/* SPDX-License-Identifier: MIT */
/*
 * Fault injection on the store/API path: the Nth allocation fails, for
 * N = 1, 2, ... until a request completes without reaching N, for each of
 * a few requests (propose a topic, vote, join, allocate, read the iCalendar
 * export, save a session's notes, read the proceedings' Markdown). One
 * scenario per ctest (fault.api_oom.<name>: argv[1] filters the tests).
 *
 * The daemon's policy (docs/reliability.md): the x-alloc wrappers, which
 * jansson also uses, abort the process on out-of-memory; the allocator core
 * and its JSON edge propagate FORUM_ENOMEM, which the API answers with a
 * JSON 500. So each run happens in a forked child (that opens the API after
 * the fork: no thread crosses it), and its outcome must be one of:
 *
 *   - an answer that keeps fc_check_response() (a 5xx allowed), then a clean
 *     exit with nothing leaked (LeakSanitizer runs at the child's exit);
 *   - an abort announced by "out of memory" on stderr (the policy).
 *
 * Anything else (another signal, a sanitizer report, a broken answer)
 * fails. After every run the parent reopens the database and checks the
 * request was all or nothing, and SQLite's integrity check.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "forum/util/mem.h"
#include "fuzz_client.h"

/* Stop a scenario after this many N (a bound on the test's time). */
#define MAX_N 20000

static struct fc_api g_api;
static struct fc_fixture g_fix;
static struct fc_snapshot g_snap;

struct scenario {
    const char *name;
    enum api_method method;
    char path[256];
    const char *token;    /* borrowed from g_fix, or NULL */
    const char *body;     /* or NULL */
    const char *if_match; /* or NULL */
    /* Checks the state after a run (API open); returns NULL or what is wrong. */
    const char *(*check)(void);
};

/* GETs /api/v1/events/{event}{suffix} as token; returns the owned answer or NULL. */
static json_t *get_json(const char *suffix, const char *token)
{
    char path[256];
    json_t *doc = NULL;

    snprintf(path, sizeof(path), "/api/v1/events/%s%s", g_fix.event, suffix);
    if (fc_json(&g_api, API_GET, path, token, NULL, &doc) != 200) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

static json_t *list_of(json_t *doc, const char *key)
{
    return json_is_array(doc) ? doc : json_object_get(doc, key);
}

/* The topic "OOM topic" is absent, or present once with both its needs. */
static const char *check_topic(void)
{
    json_t *doc = get_json("/topics", NULL), *t;
    const char *bad = NULL;
    size_t i, seen = 0;

    if (doc == NULL)
        return "GET topics failed";
    json_array_foreach(list_of(doc, "topics"), i, t)
    {
        const char *title = json_string_value(json_object_get(t, "title"));
        if (title == NULL || strcmp(title, "OOM topic") != 0)
            continue;
        seen++;
        if (json_array_size(json_object_get(t, "needs")) != 2)
            bad = "the topic was stored without its needs";
        if (json_integer_value(json_object_get(t, "max_size")) != 5)
            bad = "the topic was stored without its max_size";
    }
    if (seen > 1)
        bad = "the topic was stored twice";
    json_decref(doc);
    return bad;
}

/* Participant 0's vote for topic 1 is 2 (before) or 3 (after), nothing else. */
static const char *check_vote(void)
{
    json_t *doc = get_json("/me/votes", g_fix.part_token[0]), *v;
    const char *bad = "the vote is gone";
    size_t i;

    if (doc == NULL)
        return "GET me/votes failed";
    json_array_foreach(list_of(doc, "votes"), i, v)
    {
        char id[FC_ID_MAX];
        json_int_t w = json_integer_value(json_object_get(v, "weight"));
        if (fc_id(v, "topic", id) == 0 && strcmp(id, g_fix.topic[1]) == 0)
            bad = (w == 2 || w == 3) ? NULL : "the vote has a weight never sent";
    }
    json_decref(doc);
    return bad;
}

/* Two participants before; three after, the new one with its need. */
static const char *check_join(void)
{
    json_t *doc = get_json("/participants", g_fix.fac_token), *p;
    const char *bad = NULL;
    size_t i, n;

    if (doc == NULL)
        return "GET participants failed";
    n = json_array_size(list_of(doc, "participants"));
    if (n != 2 && n != 3)
        bad = "the participant count is neither before nor after";
    json_array_foreach(list_of(doc, "participants"), i, p)
    {
        const char *name = json_string_value(json_object_get(p, "name"));
        if (name != NULL && strcmp(name, "OOM person") == 0 &&
            json_array_size(json_object_get(p, "needs")) != 1)
            bad = "the participant was stored without their need";
    }
    json_decref(doc);
    return bad;
}

/* Allocations in the fixture (the published one). */
static size_t g_allocations;

/* The allocation list is readable and holds at most one new draft. */
static const char *check_allocations(void)
{
    json_t *doc = get_json("/allocations", g_fix.fac_token);
    const char *bad = NULL;
    size_t n;

    if (doc == NULL)
        return "GET allocations failed";
    n = json_array_size(list_of(doc, "allocations"));
    if (n != g_allocations && n != g_allocations + 1)
        bad = "the allocations are neither as before nor one more";
    json_decref(doc);
    return bad;
}

static const char *check_nothing(void)
{
    return NULL;
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

/* The child: open the API, fail the Nth allocation of one request, report. */
static void child(const struct scenario *sc, unsigned long n, int report_fd)
{
    struct api_response resp;
    char auth[256], line[128];
    const char *bad;
    unsigned long count;
    int status, len;

    if (fc_reopen(&g_api) != 0)
        _exit(3);
    if (sc->token != NULL)
        snprintf(auth, sizeof(auth), "Bearer %s", sc->token);
    forum_mem_fail_nth(n);
    fc_call_if(&g_api, sc->method, sc->path, sc->token != NULL ? auth : NULL,
               sc->body != NULL ? "application/json" : NULL, sc->body,
               sc->body != NULL ? strlen(sc->body) : 0, sc->if_match, &resp);
    count = forum_mem_count();
    forum_mem_fail_nth(0);
    bad = fc_check_response(&resp, true);
    status = resp.status;
    api_response_release(&resp);
    fc_close_api(&g_api);
    len = snprintf(line, sizeof(line), "%lu %d %s\n", count, status,
                   bad != NULL ? "bad" : "ok");
    if (write(report_fd, line, (size_t)len) != len)
        _exit(4);
    if (bad != NULL) {
        fprintf(stderr, "broken answer: %s\n", bad);
        _exit(5);
    }
    exit(0); /* not _exit: LeakSanitizer checks at exit */
}

/* Reads everything from fd into buf (NUL-terminated, truncated). */
static void drain(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    ssize_t k;

    while ((k = read(fd, buf + n, cap - 1 - n)) > 0 && n + 1 < cap)
        n += (size_t)k;
    buf[n] = '\0';
}

static void run_scenario(const struct scenario *sc)
{
    static char err_text[1 << 16];
    char report[128];
    unsigned long n, answered = 0, aborted = 0, completed_at = 0;
    struct timespec t0, t1;

    clock_gettime(CLOCK_MONOTONIC, &t0);

    for (n = 1; n <= MAX_N; n++) {
        int rep[2], errp[2], wstatus;
        unsigned long count = 0;
        int status = 0;
        char verdict[8] = "";
        pid_t pid;
        const char *bad;

        assert_int_equal(fc_snapshot_write(&g_api, &g_snap), 0);
        assert_int_equal(pipe(rep), 0);
        assert_int_equal(pipe(errp), 0);
        fflush(NULL);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(rep[0]);
            close(errp[0]);
            dup2(errp[1], 2);
            child(sc, n, rep[1]);
        }
        close(rep[1]);
        close(errp[1]);
        drain(errp[0], err_text, sizeof(err_text));
        drain(rep[0], report, sizeof(report));
        close(rep[0]);
        close(errp[0]);
        assert_int_equal(waitpid(pid, &wstatus, 0), pid);

        if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0 &&
            sscanf(report, "%lu %d %7s", &count, &status, verdict) == 3) {
            if (count < n) {
                completed_at = n;
                /* The complete run must have succeeded. */
                if (status >= 400)
                    fail_msg("%s: the request fails without any fault: %d", sc->name,
                             status);
            } else {
                answered++;
            }
        } else if (WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGABRT &&
                   strstr(err_text, "out of memory") != NULL &&
                   strstr(err_text, "Sanitizer") == NULL) {
            aborted++;
        } else {
            fail_msg("%s: N=%lu: the child %s %d\n%s", sc->name, n,
                     WIFSIGNALED(wstatus) ? "died of signal" : "exited with",
                     WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : WEXITSTATUS(wstatus),
                     err_text);
        }
        /* All or nothing, and a sound database. */
        assert_int_equal(fc_reopen(&g_api), 0);
        bad = sc->check();
        fc_close_api(&g_api);
        if (bad != NULL)
            fail_msg("%s: N=%lu: %s", sc->name, n, bad);
        assert_integrity(g_api.db_path);
        if (completed_at != 0)
            break;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    print_message(
        "%s: %lu allocations; %lu failures answered, %lu aborted (policy); %.1f s\n",
        sc->name, completed_at - 1, answered, aborted,
        (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    assert_true(completed_at > 1);
}

static void test_api_oom_topic(void **state)
{
    struct scenario sc = {
        "POST topic",
        API_POST,
        "",
        NULL,
        "{\"title\":\"OOM topic\",\"needs\":[\"accessible\",\"projector\"],"
        "\"max_size\":5}",
        NULL,
        check_topic};
    (void)state;
    snprintf(sc.path, sizeof(sc.path), "/api/v1/events/%s/topics", g_fix.event);
    sc.token = g_fix.part_token[1];
    run_scenario(&sc);
}

static void test_api_oom_vote(void **state)
{
    struct scenario sc = {"PUT vote",       API_PUT, "",        NULL,
                          "{\"weight\":3}", NULL,    check_vote};
    (void)state;
    snprintf(sc.path, sizeof(sc.path), "/api/v1/events/%s/topics/%s/vote", g_fix.event,
             g_fix.topic[1]);
    sc.token = g_fix.part_token[0];
    run_scenario(&sc);
}

static void test_api_oom_join(void **state)
{
    struct scenario sc = {"POST participant",
                          API_POST,
                          "",
                          NULL,
                          "{\"name\":\"OOM person\",\"needs\":[\"accessible\"]}",
                          NULL,
                          check_join};
    (void)state;
    snprintf(sc.path, sizeof(sc.path), "/api/v1/events/%s/participants", g_fix.event);
    run_scenario(&sc);
}

static void test_api_oom_allocate(void **state)
{
    struct scenario sc = {
        "POST allocation", API_POST, "", NULL, "{\"time_limit_ms\":1}", NULL,
        check_allocations};
    (void)state;
    snprintf(sc.path, sizeof(sc.path), "/api/v1/events/%s/allocation", g_fix.event);
    sc.token = g_fix.fac_token;
    run_scenario(&sc);
}

static void test_api_oom_ics(void **state)
{
    struct scenario sc = {"GET schedule.ics", API_GET, "", NULL, NULL, NULL,
                          check_nothing};
    (void)state;
    snprintf(sc.path, sizeof(sc.path), "/api/v1/events/%s/schedule.ics", g_fix.event);
    run_scenario(&sc);
}

/* A session of the published schedule (setup), whose notes the scenario writes. */
static char g_session[FC_ID_MAX];

#define OOM_NOTES                                                                        \
    "{\"attendance\":4,\"names\":\"Ann\",\"key_points\":\"# Big\\n\\n<b>x</b> "          \
    "[l](javascript:y)\",\"proposals\":\"- a\",\"follow_up\":\"ok\"}"

/* The notes are as they were (none) or as written, whole. */
static const char *check_notes(void)
{
    char suffix[128];
    json_t *doc, *n;
    const char *bad = NULL;

    snprintf(suffix, sizeof(suffix), "/sessions/%s/notes", g_session);
    doc = get_json(suffix, g_fix.fac_token);
    n = json_object_get(doc, "notes");
    if (n == NULL)
        bad = "the notes cannot be read";
    else if (json_integer_value(json_object_get(n, "rev")) == 0)
        bad = json_string_length(json_object_get(n, "key_points")) == 0
                  ? NULL
                  : "text without a revision";
    else if (json_integer_value(json_object_get(n, "rev")) != 1 ||
             json_integer_value(json_object_get(n, "attendance")) != 4 ||
             strcmp(json_string_value(json_object_get(n, "names")), "Ann") != 0 ||
             strcmp(json_string_value(json_object_get(n, "follow_up")), "ok") != 0)
        bad = "notes half-written";
    json_decref(doc);
    return bad;
}

static void test_api_oom_notes(void **state)
{
    struct scenario sc = {"PUT notes", API_PUT,  "",         NULL,
                          OOM_NOTES,   "\"n0\"", check_notes};
    (void)state;
    snprintf(sc.path, sizeof(sc.path), "/api/v1/events/%s/sessions/%s/notes", g_fix.event,
             g_session);
    sc.token = g_fix.part_token[0];
    run_scenario(&sc);
}

static void test_api_oom_proceedings(void **state)
{
    struct scenario sc = {"GET proceedings.md", API_GET, "", NULL, NULL, NULL,
                          check_nothing};
    (void)state;
    snprintf(sc.path, sizeof(sc.path), "/api/v1/events/%s/proceedings.md", g_fix.event);
    sc.token = g_fix.part_token[1];
    run_scenario(&sc);
}

/* The fixture, with a published schedule, then no API open (no thread) when forking. */
static int setup(void **state)
{
    char path[256], body[256];
    json_t *doc = NULL;
    char aid[FC_ID_MAX];

    (void)state;
    if (fc_open(&g_api) != 0 || fc_fixture_setup(&g_api, &g_fix) != 0)
        return -1;
    snprintf(path, sizeof(path), "/api/v1/events/%s/allocation", g_fix.event);
    if (fc_json(&g_api, API_POST, path, g_fix.fac_token, "{\"time_limit_ms\":1}", &doc) !=
            200 ||
        fc_id(doc, "id", aid) != 0)
        return -1;
    json_decref(doc);
    snprintf(path, sizeof(path), "/api/v1/events/%s/schedule/publish", g_fix.event);
    snprintf(body, sizeof(body), "{\"allocation\":\"%s\"}", aid);
    if (fc_json(&g_api, API_POST, path, g_fix.fac_token, body, NULL) / 100 != 2)
        return -1;
    doc = get_json("/allocations", g_fix.fac_token);
    g_allocations = json_array_size(list_of(doc, "allocations"));
    json_decref(doc);
    doc = get_json("/schedule", NULL);
    if (fc_id(json_array_get(json_object_get(doc, "sessions"), 0), "id", g_session) != 0)
        return -1;
    json_decref(doc);
    if (g_allocations == 0)
        return -1;
    if (fc_snapshot_take(&g_api, &g_snap) != 0)
        return -1;
    fc_close_api(&g_api);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fc_snapshot_release(&g_snap);
    fc_close(&g_api);
    return 0;
}

/* usage: test_fault_api_oom [PATTERN]: only the scenarios whose test name
 * matches PATTERN (cmocka's glob), so that ctest runs them side by side. */
int main(int argc, char **argv)
{
    if (argc > 1)
        cmocka_set_test_filter(argv[1]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_oom_topic),
        cmocka_unit_test(test_api_oom_vote),
        cmocka_unit_test(test_api_oom_join),
        cmocka_unit_test(test_api_oom_allocate),
        cmocka_unit_test(test_api_oom_ics),
        cmocka_unit_test(test_api_oom_notes),
        cmocka_unit_test(test_api_oom_proceedings),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
