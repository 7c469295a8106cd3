/* SPDX-License-Identifier: MIT */
/* --trusted-proxy networks and the client named by X-Forwarded-For. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "forum/http.h"

static struct http_net nets[HTTP_TRUSTED_PROXIES_MAX];
static size_t n_nets;

static void trust(const char *text)
{
    struct forum_error err;

    forum_error_clear(&err);
    assert_int_equal(http_net_parse(text, &nets[n_nets], &err), FORUM_OK);
    n_nets++;
}

/* The client of a request from peer with these X-Forwarded-For headers (NULL-ended). */
static const char *client(const char *peer, const char *xff0, const char *xff1,
                          bool *loopback)
{
    static char out[INET6_ADDRSTRLEN];
    const char *xff[2] = {xff0, xff1};
    size_t n = xff1 != NULL ? 2 : xff0 != NULL ? 1 : 0;
    bool lb = true;

    memset(out, 'x', sizeof(out));
    http_forwarded_client(nets, n_nets, peer, xff, n, out, &lb);
    if (loopback != NULL)
        *loopback = lb;
    return out;
}

static int reset(void **state)
{
    (void)state;
    n_nets = 0;
    memset(nets, 0, sizeof(nets));
    return 0;
}

static void test_proxy_parse_refuses(void **state)
{
    static const char *bad[] = {"",           "foo",         "127.0.0.1/", "127.0.0.1/33",
                                "10.0.0.1/8", "::1/129",     "1.2.3.4/-1", "/8",
                                "1.2.3",      "::1/64",      "1.2.3.4/8x", "[::1]",
                                "1.2.3.4 ",   "127.0.0.1:80"};
    struct http_net net;
    struct forum_error err;

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        forum_error_clear(&err);
        assert_int_equal(http_net_parse(bad[i], &net, &err), FORUM_EINVAL);
        assert_string_equal(err.field, "trusted-proxy");
        assert_non_null(strstr(err.msg, bad[i]));
    }
}

static void test_proxy_nets_match(void **state)
{
    (void)state;
    trust("127.0.0.1");
    trust("10.0.0.0/8");
    trust("2001:db8::/32");
    trust("192.168.1.0/25");
    assert_true(http_net_contains(nets, n_nets, "127.0.0.1"));
    assert_false(http_net_contains(nets, n_nets, "127.0.0.2"));
    assert_true(http_net_contains(nets, n_nets, "10.255.1.2"));
    assert_false(http_net_contains(nets, n_nets, "11.0.0.1"));
    assert_true(http_net_contains(nets, n_nets, "192.168.1.127"));
    assert_false(http_net_contains(nets, n_nets, "192.168.1.128"));
    assert_true(http_net_contains(nets, n_nets, "2001:db8:ffff::1"));
    assert_false(http_net_contains(nets, n_nets, "2001:db9::1"));
    /* IPv4 seen through an IPv6 socket is the same address. */
    assert_true(http_net_contains(nets, n_nets, "::ffff:10.1.1.1"));
    assert_false(http_net_contains(nets, n_nets, "::1"));
    assert_false(http_net_contains(nets, n_nets, "unknown"));
}

static void test_proxy_untrusted_peer_is_the_client(void **state)
{
    bool lb;

    (void)state;
    assert_string_equal(client("192.0.2.1", "127.0.0.1", NULL, &lb), "192.0.2.1");
    assert_false(lb);
    assert_string_equal(client("127.0.0.1", "192.0.2.1", NULL, &lb), "127.0.0.1");
    assert_true(lb); /* no trusted proxy at all: the header means nothing */
    trust("127.0.0.1");
    assert_string_equal(client("127.0.0.2", "192.0.2.1", NULL, &lb), "127.0.0.2");
}

static void test_proxy_rightmost_untrusted(void **state)
{
    bool lb;

    (void)state;
    trust("127.0.0.1");
    trust("10.0.0.0/8");
    assert_string_equal(client("127.0.0.1", "192.0.2.7", NULL, &lb), "192.0.2.7");
    assert_false(lb);
    /* What the client wrote itself (left) is not believed. */
    assert_string_equal(client("127.0.0.1", "127.0.0.1, 192.0.2.8", NULL, &lb),
                        "192.0.2.8");
    assert_string_equal(client("127.0.0.1", "6.6.6.6,192.0.2.8", NULL, &lb), "192.0.2.8");
    /* Our own proxies in the chain are skipped. */
    assert_string_equal(client("127.0.0.1", "192.0.2.9, 10.1.2.3", NULL, &lb),
                        "192.0.2.9");
    assert_string_equal(
        client("127.0.0.1", " 192.0.2.9 ,\t10.1.2.3 , 10.0.0.1 ", NULL, &lb),
        "192.0.2.9");
    /* Every address trusted: the leftmost one. */
    assert_string_equal(client("127.0.0.1", "10.9.9.9, 10.1.1.1", NULL, &lb), "10.9.9.9");
    /* A loopback client through the proxy may see /metrics. */
    assert_string_equal(client("127.0.0.1", "127.0.0.5", NULL, &lb), "127.0.0.5");
    assert_true(lb);
    assert_string_equal(client("127.0.0.1", "::1", NULL, &lb), "::1");
    assert_true(lb);
    assert_string_equal(client("127.0.0.1", "2001:db8::1", NULL, &lb), "2001:db8::1");
    assert_false(lb);
    assert_string_equal(client("127.0.0.1", "::ffff:192.0.2.3", NULL, &lb), "192.0.2.3");
}

static void test_proxy_several_headers(void **state)
{
    bool lb;

    (void)state;
    trust("127.0.0.1");
    trust("10.0.0.0/8");
    /* The last header is the rightmost part of the list. */
    assert_string_equal(client("127.0.0.1", "192.0.2.50", "192.0.2.51", &lb),
                        "192.0.2.51");
    assert_string_equal(client("127.0.0.1", "192.0.2.50", "10.0.0.2", &lb), "192.0.2.50");
    assert_string_equal(client("127.0.0.1", "192.0.2.50", "", &lb), "192.0.2.50");
}

static void test_proxy_garbage_stops_the_walk(void **state)
{
    bool lb;

    (void)state;
    trust("127.0.0.1");
    trust("10.0.0.0/8");
    /* Not an address: believe nothing further; the client is the last proxy reached. */
    assert_string_equal(client("127.0.0.1", "nonsense", NULL, &lb), "127.0.0.1");
    assert_string_equal(client("127.0.0.1", "192.0.2.1, nonsense, 10.0.0.3", NULL, &lb),
                        "10.0.0.3");
    assert_string_equal(client("127.0.0.1", "192.0.2.1:443", NULL, &lb), "127.0.0.1");
    assert_string_equal(client("127.0.0.1", "", NULL, &lb), "127.0.0.1");
    assert_string_equal(client("127.0.0.1", ",,, ,", NULL, &lb), "127.0.0.1");
    assert_string_equal(
        client("127.0.0.1", "1111:2222:3333:4444:5555:6666:7777:8888:9999", NULL, &lb),
        "127.0.0.1");
    assert_string_equal(client("unknown", "192.0.2.1", NULL, &lb), "unknown");
    assert_false(lb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_proxy_parse_refuses, reset),
        cmocka_unit_test_setup(test_proxy_nets_match, reset),
        cmocka_unit_test_setup(test_proxy_untrusted_peer_is_the_client, reset),
        cmocka_unit_test_setup(test_proxy_rightmost_untrusted, reset),
        cmocka_unit_test_setup(test_proxy_several_headers, reset),
        cmocka_unit_test_setup(test_proxy_garbage_stops_the_walk, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
