/* SPDX-License-Identifier: MIT */
/* The bounded buffer: growth, the hard maximum, printf and detach. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "forum/util/buf.h"
#include "forum/util/mem.h"

static void test_buf_append_grows(void **state)
{
    struct buf b;
    (void)state;
    buf_init(&b, 1 << 20);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(buf_append_str(&b, "abc"), FORUM_OK);
    assert_int_equal(b.len, 3000);
    assert_int_equal(b.ptr[3000], '\0');
    assert_memory_equal(b.ptr + 2997, "abc", 3);
    buf_release(&b);
}

static void test_buf_max_refuses_and_keeps(void **state)
{
    struct buf b;
    (void)state;
    buf_init(&b, 5);
    assert_int_equal(buf_append_str(&b, "1234"), FORUM_OK);
    assert_int_equal(buf_append_str(&b, "56"), FORUM_EINVAL);
    assert_string_equal(b.ptr, "1234");
    assert_int_equal(buf_append_char(&b, '5'), FORUM_OK);
    assert_int_equal(buf_printf(&b, "%d", 7), FORUM_EINVAL);
    assert_string_equal(b.ptr, "12345");
    buf_release(&b);
}

static void test_buf_printf_and_detach(void **state)
{
    struct buf b;
    size_t len;
    char *s;
    (void)state;
    buf_init(&b, 100);
    assert_int_equal(buf_printf(&b, "%s=%d", "x", 42), FORUM_OK);
    s = buf_detach(&b, &len);
    assert_string_equal(s, "x=42");
    assert_int_equal(len, 4);
    assert_null(b.ptr);
    free(s);
    s = buf_detach(&b, NULL);
    assert_string_equal(s, "");
    free(s);
}

static void test_buf_enomem_leaves_contents(void **state)
{
    struct buf b;
    (void)state;
    buf_init(&b, 1 << 20);
    assert_int_equal(buf_append_str(&b, "keep"), FORUM_OK);
    forum_mem_fail_nth(1);
    assert_int_equal(buf_append(&b, "x", 200), FORUM_ENOMEM);
    forum_mem_fail_nth(0);
    assert_string_equal(b.ptr, "keep");
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_append_grows),
        cmocka_unit_test(test_buf_max_refuses_and_keeps),
        cmocka_unit_test(test_buf_printf_and_detach),
        cmocka_unit_test(test_buf_enomem_leaves_contents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
