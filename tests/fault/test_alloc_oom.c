/* SPDX-License-Identifier: MIT */
/*
 * Fault injection on the parser and the solver: the Nth allocation fails,
 * for N = 1, 2, ... until a run no longer reaches N (jansson's chaos test).
 * Every failing run must answer FORUM_ENOMEM with nothing returned, and
 * every run that still succeeds must give exactly the reference solution.
 * Leaks are caught by LeakSanitizer in the sanitizer build.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "forum/alloc.h"
#include "forum/alloc_json.h"
#include "forum/util/mem.h"

static const char problem_json[] =
    "{\"slots\":[{\"id\":\"S1\",\"label\":\"Tue "
    "14:00\"},{\"id\":\"S2\"},{\"id\":\"S3\"}],"
    "\"rooms\":[{\"id\":\"R1\",\"capacity\":30,\"features\":[\"accessible\"],"
    "\"unavailable\":[\"S3\"]},{\"id\":\"R2\",\"capacity\":3,\"features\":[\"projector\","
    "\"accessible\"]}],"
    "\"topics\":[{\"id\":\"T1\",\"hosts\":[\"P1\"],\"needs\":[\"projector\"],\"max_"
    "size\":8,"
    "\"fixed\":{\"room\":\"R2\",\"slot\":\"S1\"}},{\"id\":\"T7\"},{\"id\":\"T9\","
    "\"hosts\":[\"P2\"]},{\"id\":\"T4\",\"hosts\":[\"P3\"],\"needs\":[\"accessible\"]}],"
    "\"participants\":[{\"id\":\"P1\",\"votes\":{\"T1\":2,\"T7\":1}},"
    "{\"id\":\"P2\",\"needs\":[\"accessible\"],\"unavailable\":[\"S2\"],"
    "\"votes\":{\"T1\":3,\"T9\":1,\"T4\":2}},{\"id\":\"P3\",\"votes\":{\"T7\":1,\"T9\":2,"
    "\"T1\":1}},{\"id\":\"P4\",\"votes\":{\"T4\":3,\"T7\":2}}],"
    "\"options\":{\"time_limit_ms\":1000,\"seed\":7}}";

/* Contract v2: a group topic with hosts, blocks of slots, a previous schedule
 * with an entry that cannot be kept, a fixed group topic, votes_first. */
static const char problem_v2_json[] =
    "{\"slots\":[{\"id\":\"S1\"},{\"id\":\"S2\"},{\"id\":\"S3\"}],"
    "\"rooms\":[{\"id\":\"R1\",\"capacity\":4},{\"id\":\"R2\",\"capacity\":4,"
    "\"unavailable\":[\"S2\"]},{\"id\":\"R3\",\"capacity\":6,\"features\":[\"online\"]}],"
    "\"topics\":[{\"id\":\"G\",\"hosts\":[\"P1\",\"P2\"],\"slots\":[\"S1\",\"S2\"],"
    "\"groups\":{\"max\":2,\"size_min\":2,\"size_max\":3}},"
    "{\"id\":\"F\",\"groups\":{\"max\":3,\"size_min\":1,\"size_max\":4},"
    "\"fixed\":{\"room\":\"R1\",\"slot\":\"S3\"}},"
    "{\"id\":\"T1\",\"hosts\":[\"P3\"],\"slots\":[\"S2\",\"S3\"]},{\"id\":\"T2\"},"
    "{\"id\":\"T3\",\"hosts\":[\"P4\"],\"needs\":[\"online\"]}],"
    "\"participants\":[{\"id\":\"P1\",\"votes\":{\"T1\":1}},{\"id\":\"P2\"},"
    "{\"id\":\"P3\",\"votes\":{\"G\":2,\"F\":1}},"
    "{\"id\":\"P4\",\"needs\":[\"online\"],\"votes\":{\"G\":3,\"T2\":1}},"
    "{\"id\":\"P5\",\"votes\":{\"G\":1,\"T1\":2,\"F\":2,\"T3\":1}},"
    "{\"id\":\"P6\",\"unavailable\":[\"S1\"],\"votes\":{\"G\":2,\"T2\":2,\"F\":1}},"
    "{\"id\":\"P7\",\"votes\":{\"G\":1,\"T3\":3,\"T2\":1}}],"
    "\"previous\":[{\"topic\":\"G\",\"group\":1,\"room\":\"R1\",\"slot\":\"S1\"},"
    "{\"topic\":\"G\",\"group\":2,\"room\":\"R2\",\"slot\":\"S1\"},"
    "{\"topic\":\"T1\",\"room\":\"R2\",\"slot\":\"S2\"},"
    "{\"topic\":\"T2\",\"group\":2,\"room\":\"R3\",\"slot\":\"S2\"}],"
    "\"options\":{\"objective\":\"votes_first\"}}";

/*
 * Parses, solves and dumps. Returns the status of the first step that
 * failed; OUT: doc (owned) on success.
 */
static enum forum_status run_once(const char *text, char **doc)
{
    struct alloc_problem *p = NULL;
    struct alloc_result *r = NULL;
    struct alloc_options opt = {.seed = 7, .max_iterations = 4000};
    struct forum_error err;
    enum forum_status rc;

    *doc = NULL;
    forum_error_clear(&err);
    rc = alloc_json_parse_problem(text, strlen(text), &p, NULL, &err);
    if (rc != FORUM_OK) {
        assert_null(p);
        assert_int_equal(err.code, rc);
        return rc;
    }
    forum_error_clear(&err);
    rc = alloc_solve(p, &opt, &r, &err);
    if (rc != FORUM_OK) {
        assert_null(r);
        assert_int_equal(err.code, rc);
        goto out;
    }
    *doc = alloc_json_dump_solution(p, r, NULL);
    if (*doc == NULL)
        rc = FORUM_ENOMEM;
out:
    alloc_result_free(r);
    alloc_problem_free(p);
    return rc;
}

/* Fails every allocation of parse + solve + dump of one document in turn. */
static void every_allocation(const char *text)
{
    char *reference = NULL, *doc = NULL;
    unsigned long n, failures = 0;

    forum_mem_fail_nth(0);
    assert_int_equal(run_once(text, &reference), FORUM_OK);
    assert_non_null(reference);

    for (n = 1; n < 1000000; n++) {
        enum forum_status rc;
        forum_mem_fail_nth(n);
        rc = run_once(text, &doc);
        if (forum_mem_count() < n) {
            /* The hook never fired: the run is complete. */
            assert_int_equal(rc, FORUM_OK);
            assert_string_equal(doc, reference);
            free(doc);
            break;
        }
        if (rc == FORUM_OK) {
            /* A fallback path absorbed the failure: the answer must not change. */
            assert_string_equal(doc, reference);
            free(doc);
            continue;
        }
        failures++;
        assert_int_equal(rc, FORUM_ENOMEM);
        assert_null(doc);
    }
    forum_mem_fail_nth(0);
    print_message("alloc_oom: %lu allocation sites tried, %lu failed cleanly\n", n - 1,
                  failures);
    assert_true(n > 1);
    free(reference);
}

static void test_alloc_oom_every_allocation(void **state)
{
    (void)state;
    every_allocation(problem_json);
}

/* The same through every contract v2 field (groups, slots, previous, objective). */
static void test_alloc_oom_every_allocation_v2(void **state)
{
    (void)state;
    every_allocation(problem_v2_json);
}

/*
 * Regression (found by fuzz_problem, docs/reliability.md): a list of ids
 * refused after an earlier one was counted left the problem with a count
 * and no array, and freeing it dereferenced NULL. Every list refused in
 * turn must free cleanly.
 */
static void test_alloc_oom_refused_id_list_frees(void **state)
{
    static const char *const docs[] = {
        "{\"slots\":[{\"id\":\"S\"}],\"rooms\":[{\"name\":\"R\",\"capacity\":1}]}",
        "{\"slots\":[{\"id\":\"S\"}],\"rooms\":[{\"id\":\"R\",\"capacity\":1}],"
        "\"topics\":[{\"id\":1}]}",
        "{\"slots\":[{\"id\":\"S\"}],\"rooms\":[{\"id\":\"R\",\"capacity\":1}],"
        "\"topics\":[{\"id\":\"T\"}],\"participants\":[{\"id\":\"P\"},{\"id\":\"P\"}]}",
    };
    (void)state;
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        struct alloc_problem *p = NULL;
        struct forum_error err;
        forum_error_clear(&err);
        assert_int_equal(
            alloc_json_parse_problem(docs[i], strlen(docs[i]), &p, NULL, &err),
            FORUM_EINVAL);
        assert_null(p);
        assert_true(err.field[0] != '\0');
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_oom_every_allocation),
        cmocka_unit_test(test_alloc_oom_every_allocation_v2),
        cmocka_unit_test(test_alloc_oom_refused_id_list_frees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
