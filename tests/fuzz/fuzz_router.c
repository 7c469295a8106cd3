/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the route table, through api_handle() (the API exposes
 * no separate matcher). Input: one selector byte (low 3 bits: method; next
 * 3 bits: who is asking, see enum fc_auth; top bit: percent-decode the path
 * here first, as http/ does, so that %2F, %00 and %2e%2e reach the router
 * decoded), then a request target "path?query". {e} {t} ... stand for the
 * fixture's ids (fuzz_client.h). No body: this target is about matching.
 *
 * The state is put back before every input, as in fuzz_api. Besides the
 * sanitizers, answers keep fc_check_response() and fc_check_roles().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "forum/util/etag.h"
#include "fuzz_client.h"

#ifdef FUZZ_WITH_HTTP
/* http/'s path checks, the first thing a request target meets (internal.h). */
#include "internal.h"
#endif

#define TARGET_MAX 4096

static struct fc_api g_api;
static struct fc_fixture g_fix;
static struct fc_snapshot g_snap;

static void cleanup(void)
{
    fc_snapshot_release(&g_snap);
    fc_close(&g_api);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fc_set_limits(1000000, 60000000, 60000000);
    if (fc_open(&g_api) != 0)
        abort();
    if (fc_fixture_setup(&g_api, &g_fix) != 0)
        fprintf(stderr, "fuzz_router: fixture incomplete (%d steps); fuzzing anyway\n",
                g_fix.n_ready);
    if (fc_snapshot_take(&g_api, &g_snap) != 0 || fc_save(&g_api) != 0)
        abort();
    atexit(cleanup);
    return 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decodes s in place, as libmicrohttpd does (a %00 ends the string). */
static void unescape(char *s)
{
    char *o = s;
    for (char *i = s; *i != '\0'; i++) {
        int hi, lo;
        if (*i == '%' && (hi = hexval((unsigned char)i[1])) >= 0 &&
            (lo = hexval((unsigned char)i[2])) >= 0) {
            *o++ = (char)(hi * 16 + lo);
            i += 2;
        } else {
            *o++ = *i;
        }
    }
    *o = '\0';
}

#ifdef FUZZ_WITH_HTTP
/* True when s[0..n) holds a %XX escape of one of the bytes in bytes. */
static bool has_escape_of(const char *s, size_t n, const char *bytes)
{
    for (size_t i = 0; i + 2 < n; i++) {
        int hi, lo;
        if (s[i] == '%' && (hi = hexval((unsigned char)s[i + 1])) >= 0 &&
            (lo = hexval((unsigned char)s[i + 2])) >= 0 &&
            strchr(bytes, hi * 16 + lo) != NULL)
            return true;
    }
    return false;
}

/*
 * http/'s contract for a target it calls safe: the decoded path starts with
 * "/", has no "." or ".." segment and no backslash, and the raw path holds
 * no escaped '.', '/', '%', '\' or NUL (internal.h).
 */
static void check_http_path(const char *raw)
{
    static char decoded[TARGET_MAX];
    size_t raw_path_len = strcspn(raw, "?#");
    const char *route;

    snprintf(decoded, sizeof(decoded), "%.*s", (int)raw_path_len, raw);
    unescape(decoded);
    route = http_page_route(decoded);
    if (route == NULL || http_content_type(route) == NULL)
        abort();
    (void)etag_matches(raw, "\"abc\"");
    if (!http_path_is_safe(raw, decoded))
        return;
    if (decoded[0] != '/' || strchr(decoded, '\\') != NULL ||
        has_escape_of(raw, raw_path_len, ".\\/%")) /* strchr() also finds NUL */
        goto bad;
    for (const char *seg = decoded + 1;; seg++) {
        size_t len = strcspn(seg, "/");
        if ((len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.'))
            goto bad;
        seg += len;
        if (*seg == '\0')
            break;
    }
    return;
bad:
    fprintf(stderr, "fuzz_router: http_path_is_safe accepted '%s' (decoded '%s')\n", raw,
            decoded);
    abort();
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char target[TARGET_MAX], auth[512];
    struct api_response resp;
    enum api_method m;
    enum fc_auth ak;
    char *path, *query;
    const char *bad;

    if (size < 1)
        return 0;
    m = (enum api_method)(data[0] & 7);
    ak = (enum fc_auth)((data[0] >> 3) & 7);
    target[0] = '/';
    fc_expand(&g_fix, (const char *)data + 1, strnlen((const char *)data + 1, size - 1),
              target + 1, sizeof(target) - 1);
    path = target[1] == '/' ? target + 1 : target;
#ifdef FUZZ_WITH_HTTP
    check_http_path(path);
#endif
    query = strchr(path, '?');
    if (query != NULL)
        *query++ = '\0';
    if (data[0] & 0x80)
        unescape(path);
    if (path[0] != '/') /* a decoded %00 right after the slash */
        path = target;

    fc_auth_header(&g_fix, ak, auth, sizeof(auth));
    if (fc_slow_allocation(m, path, NULL, 0))
        return 0;
    fc_call(&g_api, m, path, query, ak == FC_AUTH_NONE ? NULL : auth, NULL, NULL, 0,
            &resp);
    bad = fc_check_response(&resp, false);
    if (bad == NULL)
        bad = fc_check_roles(&g_fix, m, ak, path, resp.status);
    if (bad != NULL) {
        fprintf(stderr, "fuzz_router: %s: method %d auth %d path '%s' query '%s' -> %d\n",
                bad, (int)m, (int)ak, path, query != NULL ? query : "", resp.status);
        abort();
    }
    api_response_release(&resp);
    /* Bodiless requests may still write (DELETE), failed authentications are
     * counted: put the fixture back then. */
    if (m == API_DELETE || m == API_POST || m == API_PUT || m == API_PATCH ||
        ak >= FC_AUTH_BAD) {
        if (fc_reset(&g_api) != 0)
            abort();
    }
    return 0;
}
