/* SPDX-License-Identifier: MIT */
/*
 * The solve policy shared by `forumd solve` and the daemon
 * (alloc_json_policy_make()): which seed and time limit win, and the reserve
 * kept for the final seating.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "forum/alloc_json.h"

static void test_policy_defaults(void **state)
{
    struct alloc_json_policy pol;
    (void)state;
    alloc_json_policy_make(NULL, NULL, 0, &pol);
    assert_int_equal(pol.seed, 1);
    assert_int_equal(pol.time_limit_ms, 1000);
    assert_int_equal(pol.search_ms, 900); /* a tenth kept */
    assert_int_equal(pol.max_iterations, 0);
}

static void test_policy_document_then_caller(void **state)
{
    struct alloc_json_options doc = {true, 3000, true, 42, false};
    struct alloc_json_request req = {0};
    struct alloc_json_policy pol;
    (void)state;
    alloc_json_policy_make(&doc, &req, 10, &pol);
    assert_int_equal(pol.seed, 42);
    assert_int_equal(pol.time_limit_ms, 3000);
    assert_int_equal(pol.search_ms, 2700);
    /* The caller's values win over the document's. */
    req = (struct alloc_json_request){true, 7, true, 2000, 5000};
    alloc_json_policy_make(&doc, &req, 10, &pol);
    assert_int_equal(pol.seed, 7);
    assert_int_equal(pol.time_limit_ms, 2000);
    assert_int_equal(pol.search_ms, 1800);
    assert_int_equal(pol.max_iterations, 5000);
}

static void test_policy_reserve(void **state)
{
    struct alloc_json_request req = {false, 0, true, 1000, 0};
    struct alloc_json_policy pol;
    (void)state;
    /* Parsing took longer than a tenth: the reserve is the parse time. */
    alloc_json_policy_make(NULL, &req, 300, &pol);
    assert_int_equal(pol.search_ms, 700);
    /* More than the whole budget: the search gets nothing (the construction still
     * runs to its end). */
    alloc_json_policy_make(NULL, &req, 1500, &pol);
    assert_int_equal(pol.search_ms, 0);
    /* No time limit at all. */
    req.time_limit_ms = 0;
    alloc_json_policy_make(NULL, &req, 50, &pol);
    assert_int_equal(pol.time_limit_ms, 0);
    assert_int_equal(pol.search_ms, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy_defaults),
        cmocka_unit_test(test_policy_document_then_caller),
        cmocka_unit_test(test_policy_reserve),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
