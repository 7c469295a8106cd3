/* SPDX-License-Identifier: MIT */
/* Time zones from TZif files: offsets around the switches, wall clock to UTC. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <unistd.h>

#include <cmocka.h>

#include "forum/util/tz.h"

/* 2025-03-30T01:00:00Z: Paris goes from +1 to +2. */
#define SPRING 1743296400LL
/* 2025-10-26T01:00:00Z: Paris goes back from +2 to +1. */
#define AUTUMN 1761440400LL

static bool have_paris(void)
{
    return access(TZ_DIR "/Europe/Paris", R_OK) == 0;
}

static void test_tz_utc(void **state)
{
    struct tz *z;

    (void)state;
    assert_int_equal(tz_load("UTC", &z, NULL), FORUM_OK);
    assert_int_equal(tz_offset(z, SPRING), 0);
    assert_int_equal(tz_from_local(z, 1000), 1000);
    tz_free(z);
    tz_free(NULL);
}

static void test_tz_paris_offsets(void **state)
{
    struct tz *z;

    (void)state;
    if (!have_paris())
        skip();
    assert_int_equal(tz_load("Europe/Paris", &z, NULL), FORUM_OK);
    assert_int_equal(tz_offset(z, SPRING - 1), 3600);
    assert_int_equal(tz_offset(z, SPRING), 7200);
    assert_int_equal(tz_offset(z, AUTUMN - 1), 7200);
    assert_int_equal(tz_offset(z, AUTUMN), 3600);
    /* 1900 (before the first transition: local mean time) and 2030. */
    assert_int_equal(tz_offset(z, 1909000000LL), 7200); /* 2030-06-30 */
    tz_free(z);
}

static void test_tz_wall_clock(void **state)
{
    struct tz *z;
    long long summer = 1758200400LL; /* 2025-09-18T13:00:00Z = 15:00 in Paris */

    (void)state;
    if (!have_paris())
        skip();
    assert_int_equal(tz_load("Europe/Paris", &z, NULL), FORUM_OK);
    assert_int_equal(tz_from_local(z, summer + 7200), summer);
    /* 02:30 on the spring day does not exist: 03:30 summer time. */
    assert_int_equal(tz_from_local(z, SPRING + 3600 + 1800), SPRING + 1800);
    /* 02:30 on the autumn day happens twice: the first, in summer time. */
    assert_int_equal(tz_from_local(z, AUTUMN + 3600 + 1800), AUTUMN - 3600 + 1800);
    tz_free(z);
}

static void test_tz_bad_names(void **state)
{
    struct tz *z = (struct tz *)1;
    struct forum_error err;

    (void)state;
    forum_error_clear(&err);
    assert_int_equal(tz_load("../etc/passwd", &z, &err), FORUM_EINVAL);
    assert_null(z);
    assert_string_equal(err.field, "timezone");
    assert_int_equal(tz_load("/etc/passwd", &z, NULL), FORUM_EINVAL);
    assert_int_equal(tz_load("Nowhere/Atlantis", &z, NULL), FORUM_EINVAL);
    if (access(TZ_DIR "/zone.tab", R_OK) == 0)
        assert_int_equal(tz_load("zone.tab", &z, NULL), FORUM_EINVAL); /* not TZif */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tz_utc),
        cmocka_unit_test(test_tz_paris_offsets),
        cmocka_unit_test(test_tz_wall_clock),
        cmocka_unit_test(test_tz_bad_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
