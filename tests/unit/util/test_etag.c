/* SPDX-License-Identifier: MIT */
/* The one If-None-Match parser: lists, spaces, weak tags, "*", prefixes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <cmocka.h>

#include "forum/util/etag.h"

#define TAG "\"e1-v3\""

static void test_etag_exact_and_lists(void **state)
{
    (void)state;
    assert_true(etag_matches(TAG, TAG));
    assert_true(etag_matches("\"x\", " TAG, TAG));
    assert_true(etag_matches(TAG ",\"x\"", TAG));
    assert_true(etag_matches(" \t" TAG " \t, \"y\"", TAG));
    assert_true(etag_matches("\"a\",\"b\",\t" TAG, TAG));
    assert_false(etag_matches("\"x\", \"y\"", TAG));
    assert_false(etag_matches("", TAG));
    assert_false(etag_matches(" , ,", TAG));
}

static void test_etag_weak_and_star(void **state)
{
    (void)state;
    assert_true(etag_matches("W/" TAG, TAG));
    assert_true(etag_matches("\"x\", W/" TAG, TAG));
    assert_true(etag_matches("*", TAG));
    assert_true(etag_matches(" * ", TAG));
    assert_false(etag_matches("w/" TAG, TAG));
    assert_false(etag_matches("**", TAG));
}

static void test_etag_no_prefix_or_suffix_match(void **state)
{
    (void)state;
    /* A longer or shorter tag that shares a prefix is another tag. */
    assert_false(etag_matches("\"e1-v3\"x", TAG));
    assert_false(etag_matches("\"e1-v31\"", TAG));
    assert_false(etag_matches("\"e1-v", TAG));
    assert_false(etag_matches("e1-v3", TAG));
    assert_false(etag_matches("W/\"e1-v31\"", TAG));
}

static void test_etag_null(void **state)
{
    (void)state;
    assert_false(etag_matches(NULL, TAG));
    assert_false(etag_matches(TAG, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_etag_exact_and_lists),
        cmocka_unit_test(test_etag_weak_and_star),
        cmocka_unit_test(test_etag_no_prefix_or_suffix_match),
        cmocka_unit_test(test_etag_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
