/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: api_handle() with fuzzed method, path, query, headers
 * and body, on a database holding a fixture event. The database is put back
 * to the fixture before every input, so each input replays the same way.
 *
 * Input: up to four requests separated by "\n~~\n". Each request is four
 * selector bytes (method, authorization, content type, flags: the low three
 * bits of each, so '0'..'7' read well in the seeds), then the path up to
 * '\n', the query up to '\n' (empty: none), then the body. In the path, the
 * query and the body, {e} {s} {S} {r} {R} {p} {P} {t} {T} stand for the
 * fixture's ids (see fuzz_client.h).
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
static unsigned char *g_template; /* the fixture database, as bytes */
static size_t g_template_len;

enum auth_kind {
    AUTH_NONE,
    AUTH_ADMIN,
    AUTH_FAC,
    AUTH_P0,
    AUTH_P1,
    AUTH_BAD,
    AUTH_BASIC,
    AUTH_EMPTY
};

static int read_file(const char *path, unsigned char **out, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    long n;

    if (fp == NULL)
        return -1;
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    *out = malloc(n > 0 ? (size_t)n : 1);
    *len = fread(*out, 1, n > 0 ? (size_t)n : 0, fp);
    fclose(fp);
    return 0;
}

static void restore_template(void)
{
    char side[400];
    FILE *fp;

    fc_close_api(&g_api);
    snprintf(side, sizeof(side), "%s-wal", g_api.db_path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", g_api.db_path);
    unlink(side);
    fp = fopen(g_api.db_path, "wb");
    if (fp == NULL || fwrite(g_template, 1, g_template_len, fp) != g_template_len) {
        fprintf(stderr, "fuzz_api: cannot restore the fixture database\n");
        abort();
    }
    fclose(fp);
    if (fc_reopen(&g_api) != 0)
        abort();
}

static void cleanup(void)
{
    fc_close(&g_api);
    free(g_template);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (fc_open(&g_api) != 0)
        abort();
    if (fc_fixture_setup(&g_api, &g_fix) != 0)
        fprintf(stderr, "fuzz_api: fixture incomplete (%d steps); fuzzing anyway\n",
                g_fix.n_ready);
    fc_close_api(&g_api); /* checkpoints the WAL into the main file */
    if (read_file(g_api.db_path, &g_template, &g_template_len) != 0)
        abort();
    if (fc_reopen(&g_api) != 0)
        abort();
    atexit(cleanup);
    return 0;
}

/* The path's non-empty segments, at most n, into seg (pointers into copy). */
static size_t segments(char *copy, const char **seg, size_t n)
{
    size_t k = 0;
    for (char *s = strtok(copy, "/"); s != NULL && k < n; s = strtok(NULL, "/"))
        seg[k++] = s;
    return k;
}

/* Returns a description of a broken role rule, or NULL. */
static const char *check_roles(enum api_method m, enum auth_kind auth, const char *path,
                               int status)
{
    char copy[PATH_MAX_LEN];
    const char *seg[8];
    size_t n;
    bool write = m == API_POST || m == API_PUT || m == API_PATCH || m == API_DELETE;
    bool anonymous =
        auth == AUTH_NONE || auth == AUTH_BAD || auth == AUTH_BASIC || auth == AUTH_EMPTY;
    bool participant = auth == AUTH_P0 || auth == AUTH_P1;

    if (status < 200 || status > 299)
        return NULL;
    snprintf(copy, sizeof(copy), "%s", path);
    n = segments(copy, seg, 8);
    if (n < 3 || strcmp(seg[0], "api") != 0 || strcmp(seg[1], "v1") != 0 ||
        strcmp(seg[2], "events") != 0)
        return NULL;
    if (n == 3 && m == API_POST && auth != AUTH_ADMIN)
        return "POST /events succeeded without the admin token";
    if (n < 5)
        return NULL;
    if (anonymous) {
        if (write && !(n == 5 && m == API_POST && strcmp(seg[4], "participants") == 0))
            return "a write succeeded without a token";
        if (strcmp(seg[4], "me") == 0 || strcmp(seg[4], "allocation") == 0 ||
            (strcmp(seg[4], "participants") == 0 && m == API_GET))
            return "a private read succeeded without a token";
    }
    if (participant) {
        if (write &&
            (strcmp(seg[4], "slots") == 0 || strcmp(seg[4], "rooms") == 0 ||
             strcmp(seg[4], "allocation") == 0 || strcmp(seg[4], "schedule") == 0))
            return "a participant wrote a facilitator resource";
        if (strcmp(seg[4], "allocation") == 0 ||
            (strcmp(seg[4], "participants") == 0 && m == API_GET && n == 5))
            return "a participant read a facilitator resource";
        /* A participant changes only the topics they host. */
        if ((m == API_PATCH || m == API_DELETE) && n == 6 &&
            strcmp(seg[4], "topics") == 0) {
            const char *own = g_fix.topic[auth == AUTH_P0 ? 0 : 1];
            if (own[0] != '\0' && strcmp(seg[5], own) != 0)
                return "a participant changed a topic they do not host";
        }
    }
    return NULL;
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
    enum auth_kind ak;
    const char *ct, *bad;
    bool has_query;

    if (size < 4)
        return;
    m = (enum api_method)(data[0] & 7);
    ak = (enum auth_kind)(data[1] & 7);
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

    switch (ak) {
    case AUTH_ADMIN:
        snprintf(auth, sizeof(auth), "Bearer %s", FC_ADMIN_TOKEN);
        break;
    case AUTH_FAC:
        snprintf(auth, sizeof(auth), "Bearer %s", g_fix.fac_token);
        break;
    case AUTH_P0:
        snprintf(auth, sizeof(auth), "Bearer %s", g_fix.part_token[0]);
        break;
    case AUTH_P1:
        snprintf(auth, sizeof(auth), "Bearer %s", g_fix.part_token[1]);
        break;
    case AUTH_BAD:
        snprintf(auth, sizeof(auth), "Bearer %s", "not-a-token");
        break;
    case AUTH_BASIC:
        snprintf(auth, sizeof(auth), "Basic YWRtaW46YWRtaW4=");
        break;
    case AUTH_EMPTY:
        snprintf(auth, sizeof(auth), "Bearer ");
        break;
    case AUTH_NONE:
        break;
    }

    fc_call(&g_api, m, path, has_query ? query : NULL, ak == AUTH_NONE ? NULL : auth, ct,
            left > 0 ? body : NULL, body_len, &resp);
    bad = fc_check_response(&resp, false);
    if (bad == NULL)
        bad = check_roles(m, ak, path, resp.status);
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

    restore_template();
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
