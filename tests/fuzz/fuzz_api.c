/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: api_handle() with fuzzed method, path, query, headers
 * and body, on a database holding a fixture event.
 *
 * Input: up to four requests separated by "\n~~\n". Each request is four
 * selector bytes (method, authorization, content type, flags: the low three
 * bits of each, so '0'..'7' read well in the seeds), then the path up to
 * '\n', the query up to '\n' (empty: none), then the body. In the path, the
 * query and the body, {e} {s} {S} {r} {R} {p} {P} {t} {T} stand for the
 * fixture's ids (see fuzz_client.h).
 *
 * The database is put back to the fixture before an input when the one
 * before committed something (PRAGMA data_version), so that each input
 * replays the same way; the API's memory (schedule cache, rate-limit
 * buckets) every 4096 inputs.
 *
 * Valid allocation requests that would run the solver for more than
 * FC_SOLVER_MS_MAX (1) ms are skipped (fc_slow_allocation): the solver runs
 * to its time limit.
 *
 * Besides the sanitizers, every answer must keep fc_check_response() and
 * the role rules of docs/api.md: nothing that needs a role is done without
 * it (checked on the routes whose role is unambiguous).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_client.h"

#define PATH_MAX_LEN 2048
#define BODY_MAX_LEN (API_BODY_MAX + 1024)

static struct fc_api g_api;
static struct fc_fixture g_fix;
static struct fc_snapshot g_snap;
static unsigned long g_inputs;

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
        fprintf(stderr, "fuzz_api: fixture incomplete (%d steps); fuzzing anyway\n",
                g_fix.n_ready);
    if (fc_snapshot_take(&g_api, &g_snap) != 0 || fc_save(&g_api) != 0)
        abort();
    atexit(cleanup);
    return 0;
}

static void one_request(const uint8_t *data, size_t size)
{
    static char path[PATH_MAX_LEN], query[PATH_MAX_LEN], body[BODY_MAX_LEN];
    static char auth[512];
    static const char *const ctypes[8] = {NULL,
                                          "application/json",
                                          "application/json; charset=utf-8",
                                          "text/plain",
                                          "application/json; charset=latin1",
                                          "",
                                          "multipart/form-data; boundary=x",
                                          "APPLICATION/JSON"};
    struct api_response resp;
    const uint8_t *p, *nl;
    size_t left, body_len;
    enum api_method m;
    enum fc_auth ak;
    const char *ct, *bad;
    bool has_query;

    if (size < 4)
        return;
    m = (enum api_method)(data[0] & 7);
    ak = (enum fc_auth)(data[1] & 7);
    ct = ctypes[data[2] & 7];
    (void)data[3]; /* flags: reserved */
    p = data + 4;
    left = size - 4;

    nl = memchr(p, '\n', left);
    if (nl == NULL)
        nl = p + left;
    /* A decoded path never holds a NUL: http/ hands over a C string. */
    fc_expand(&g_fix, (const char *)p, strnlen((const char *)p, (size_t)(nl - p)),
              path + 1, sizeof(path) - 1);
    path[0] = '/';
    if (path[1] == '/')
        memmove(path, path + 1, strlen(path + 1) + 1);
    left -= (size_t)(nl - p) + (nl < p + left ? 1 : 0);
    p = nl < data + size ? nl + 1 : nl;

    nl = memchr(p, '\n', left);
    if (nl == NULL)
        nl = p + left;
    has_query = nl > p;
    fc_expand(&g_fix, (const char *)p, strnlen((const char *)p, (size_t)(nl - p)), query,
              sizeof(query));
    left -= (size_t)(nl - p) + (nl < p + left ? 1 : 0);
    p = nl < data + size ? nl + 1 : nl;

    body_len =
        left > 0 ? fc_expand(&g_fix, (const char *)p, left, body, sizeof(body)) : 0;
    /* fc_expand stops at NULs only through strnlen above: keep raw bytes here. */
    if (left > 0 && memchr(p, '\0', left) != NULL) {
        body_len = left < sizeof(body) ? left : sizeof(body);
        memcpy(body, p, body_len);
    }

    fc_auth_header(&g_fix, ak, auth, sizeof(auth));

    if (fc_slow_allocation(m, path, left > 0 ? body : NULL, body_len))
        return;
    fc_call(&g_api, m, path, has_query ? query : NULL, ak == FC_AUTH_NONE ? NULL : auth,
            ct, left > 0 ? body : NULL, body_len, &resp);
    bad = fc_check_response(&resp, false);
    if (bad == NULL)
        bad = fc_check_roles(&g_fix, m, ak, path, resp.status);
    if (bad != NULL) {
        fprintf(stderr, "fuzz_api: %s: method %d auth %d path '%s' -> %d %.*s\n", bad,
                (int)m, (int)ak, path, resp.status,
                (int)(resp.body_len > 500 ? 500 : resp.body_len),
                resp.body != NULL ? resp.body : "");
        abort();
    }
    api_response_release(&resp);
}

/* memmem(), which glibc declares only under _GNU_SOURCE. */
static const uint8_t *find(const uint8_t *hay, size_t n, const char *needle, size_t k)
{
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return hay + i;
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char sep[] = "\n~~\n";
    size_t start = 0;

    /*
     * Put the fixture back if the last input committed anything: the
     * database through SQLite's backup API, and every 4096 inputs the whole
     * API too (its schedule cache and rate-limit buckets).
     */
    if (++g_inputs % 4096 == 0) {
        if (fc_snapshot_restore(&g_api, &g_snap) != 0)
            abort();
    } else {
        int changed = fc_db_changed(&g_api);
        if (changed < 0 || (changed > 0 && fc_reset(&g_api) != 0))
            abort();
    }
    for (int i = 0; i < 4 && start <= size; i++) {
        const uint8_t *hit = NULL;
        if (size - start >= 4)
            hit = find(data + start, size - start, sep, 4);
        size_t end = hit != NULL ? (size_t)(hit - data) : size;
        one_request(data + start, end - start);
        if (hit == NULL)
            break;
        start = end + 4;
    }
    return 0;
}
