/* SPDX-License-Identifier: MIT */
/*
 * Behind a reverse proxy: the trusted networks of --trusted-proxy and the
 * client's address taken from X-Forwarded-For, rightmost untrusted first
 * (docs/operations.md, Behind a reverse proxy).
 */
#include "forum/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads a numeric IPv4 or IPv6 address as 16 bytes (IPv4 mapped). OUT: is_v4. */
static bool addr_parse(const char *text, uint8_t *out, bool *is_v4)
{
    struct in_addr v4;

    if (inet_pton(AF_INET, text, &v4) == 1) {
        memset(out, 0, 10);
        out[10] = 0xff;
        out[11] = 0xff;
        memcpy(out + 12, &v4, 4);
        *is_v4 = true;
        return true;
    }
    *is_v4 = false;
    if (inet_pton(AF_INET6, text, out) != 1)
        return false;
    /* An IPv4-mapped IPv6 address is the IPv4 address. */
    *is_v4 = IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)(const void *)out);
    return true;
}

static bool net_match(const struct http_net *net, const uint8_t *a)
{
    unsigned full = net->bits / 8, rest = net->bits % 8;

    if (memcmp(net->addr, a, full) != 0)
        return false;
    if (rest == 0)
        return true;
    return ((net->addr[full] ^ a[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

static bool nets_contain(const struct http_net *nets, size_t n, const uint8_t *a)
{
    for (size_t i = 0; i < n; i++) {
        if (net_match(&nets[i], a))
            return true;
    }
    return false;
}

enum forum_status http_net_parse(const char *text, struct http_net *out,
                                 struct forum_error *err)
{
    char addr[INET6_ADDRSTRLEN];
    const char *slash = strchr(text, '/');
    size_t len = slash != NULL ? (size_t)(slash - text) : strlen(text);
    bool v4_syntax, is_v4;
    unsigned long bits, max;

    memset(out, 0, sizeof(*out));
    if (len == 0 || len >= sizeof(addr))
        goto bad;
    memcpy(addr, text, len);
    addr[len] = '\0';
    if (!addr_parse(addr, out->addr, &is_v4))
        goto bad;
    /* The prefix counts over the address as written: 32 bits for IPv4. */
    v4_syntax = strchr(addr, ':') == NULL;
    max = v4_syntax ? 32 : 128;
    bits = max;
    if (slash != NULL) {
        char *end = NULL;

        errno = 0;
        bits = strtoul(slash + 1, &end, 10);
        if (errno != 0 || end == slash + 1 || *end != '\0' || bits > max)
            goto bad;
    }
    out->bits = (unsigned)bits + (v4_syntax ? 96 : 0);
    for (unsigned i = out->bits; i < 128; i++) {
        if (out->addr[i / 8] & (0x80 >> (i % 8)))
            return forum_error_set(err, FORUM_EINVAL, "trusted-proxy",
                                   "'%s' has bits set beyond its /%lu prefix "
                                   "(write the network address)",
                                   text, bits);
    }
    return FORUM_OK;
bad:
    return forum_error_set(err, FORUM_EINVAL, "trusted-proxy",
                           "'%s' is not a numeric address with an optional /BITS "
                           "(e.g. 127.0.0.1, 10.0.0.0/8 or ::1)",
                           text);
}

bool http_net_contains(const struct http_net *nets, size_t n, const char *text)
{
    uint8_t a[16];
    bool is_v4;

    return addr_parse(text, a, &is_v4) && nets_contain(nets, n, a);
}

/* Writes a (16 bytes) as text into out (INET6_ADDRSTRLEN). OUT: loopback. */
static void addr_format(const uint8_t *a, char *out, bool *loopback)
{
    const struct in6_addr *in6 = (const struct in6_addr *)(const void *)a;

    if (IN6_IS_ADDR_V4MAPPED(in6)) {
        inet_ntop(AF_INET, a + 12, out, INET6_ADDRSTRLEN);
        *loopback = a[12] == 127;
    } else {
        inet_ntop(AF_INET6, a, out, INET6_ADDRSTRLEN);
        *loopback = IN6_IS_ADDR_LOOPBACK(in6);
    }
}

/*
 * Walks one X-Forwarded-For value from its rightmost entry leftwards,
 * moving cur to each address while it is trusted. Returns true when the
 * walk is over: an untrusted address (now in cur) or an entry that is not
 * an address (cur unchanged); false to go on with the header left of it.
 */
static bool walk_value(const struct http_net *trusted, size_t n_trusted,
                       const char *value, uint8_t *cur)
{
    size_t e = strlen(value);

    for (;;) {
        size_t s = e, ts, te;

        while (s > 0 && value[s - 1] != ',')
            s--;
        ts = s;
        te = e;
        while (ts < te && (value[ts] == ' ' || value[ts] == '\t'))
            ts++;
        while (te > ts && (value[te - 1] == ' ' || value[te - 1] == '\t'))
            te--;
        if (te > ts) { /* empty entries ("a, , b", a trailing comma) are skipped */
            char text[INET6_ADDRSTRLEN];
            uint8_t next[16];
            bool is_v4;

            if (te - ts >= sizeof(text))
                return true;
            memcpy(text, value + ts, te - ts);
            text[te - ts] = '\0';
            if (!addr_parse(text, next, &is_v4))
                return true; /* not an address: believe nothing further left */
            memcpy(cur, next, 16);
            if (!nets_contain(trusted, n_trusted, cur))
                return true; /* the first untrusted address: the client */
        }
        if (s == 0)
            return false;
        e = s - 1; /* before the comma */
    }
}

void http_forwarded_client(const struct http_net *trusted, size_t n_trusted,
                           const char *peer, const char *const *xff, size_t n_xff,
                           char *out, bool *loopback)
{
    uint8_t cur[16];
    bool is_v4;

    if (!addr_parse(peer, cur, &is_v4)) {
        snprintf(out, INET6_ADDRSTRLEN, "%s", peer);
        *loopback = false;
        return;
    }
    if (nets_contain(trusted, n_trusted, cur)) {
        for (size_t h = n_xff; h-- > 0;) {
            if (walk_value(trusted, n_trusted, xff[h], cur))
                break;
        }
    }
    addr_format(cur, out, loopback);
}
