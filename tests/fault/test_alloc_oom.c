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

/*
 * Parses, solves and dumps. Returns the status of the first step that
 * failed; OUT: doc (owned) on success.
 */
static enum forum_status run_once(char **doc)
{
    struct alloc_problem *p = NULL;
    struct alloc_result *r = NULL;
    struct alloc_options opt = {.seed = 7, .max_iterations = 4000};
    struct forum_error err;
    enum forum_status rc;

    *doc = NULL;
    forum_error_clear(&err);
    rc = alloc_json_parse_problem(problem_json, strlen(problem_json), &p, NULL, &err);
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

static void test_alloc_oom_every_allocation(void **state)
{
    char *reference = NULL, *doc = NULL;
    unsigned long n, failures = 0;

    (void)state;
    forum_mem_fail_nth(0);
    assert_int_equal(run_once(&reference), FORUM_OK);
    assert_non_null(reference);

    for (n = 1; n < 1000000; n++) {
        enum forum_status rc;
        forum_mem_fail_nth(n);
        rc = run_once(&doc);
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
        cmocka_unit_test(test_alloc_oom_refused_id_list_frees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
