/* SPDX-License-Identifier: MIT */
/*
 * The http layer on a real socket (127.0.0.1, a free port) with libcurl as
 * the client and the api test double of fake_api.c: limits, routing, static
 * files, page routes, security headers, late answers, /metrics.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "fake_api.h"
#include "forum/http.h"
#include "forum/util/buf.h"

static const unsigned char index_html[] = "<!doctype html><title>index</title>";
static const unsigned char part_html[] = "<!doctype html><title>participant</title>";
static const unsigned char fac_html[] = "<!doctype html><title>facilitate</title>";
static const unsigned char wall_html[] = "<!doctype html><title>wall</title>";
static const unsigned char notes_html[] = "<!doctype html><title>notes</title>";
static const unsigned char proc_html[] = "<!doctype html><title>proceedings</title>";
static const unsigned char print_html[] = "<!doctype html><title>print</title>";
static const unsigned char admin_html[] = "<!doctype html><title>admin</title>";
static const unsigned char api_js[] = "export const x = 1;\n";
static const unsigned char sw_js[] = "self.addEventListener('fetch', () => {});\n";

static const struct http_file test_files[] = {
    {"/index.html", index_html, sizeof(index_html) - 1, "text/html; charset=utf-8",
     "\"i1\""},
    {"/participant.html", part_html, sizeof(part_html) - 1, "text/html; charset=utf-8",
     "\"p1\""},
    {"/facilitate.html", fac_html, sizeof(fac_html) - 1, "text/html; charset=utf-8",
     "\"f1\""},
    {"/wall.html", wall_html, sizeof(wall_html) - 1, "text/html; charset=utf-8",
     "\"w1\""},
    {"/notes.html", notes_html, sizeof(notes_html) - 1, "text/html; charset=utf-8",
     "\"n1\""},
    {"/proceedings.html", proc_html, sizeof(proc_html) - 1, "text/html; charset=utf-8",
     "\"pr1\""},
    {"/print.html", print_html, sizeof(print_html) - 1, "text/html; charset=utf-8",
     "\"pp1\""},
    {"/admin.html", admin_html, sizeof(admin_html) - 1, "text/html; charset=utf-8",
     "\"ad1\""},
    {"/js/api.js", api_js, sizeof(api_js) - 1, "text/javascript; charset=utf-8",
     "\"a1\""},
    {"/sw.js", sw_js, sizeof(sw_js) - 1, "text/javascript; charset=utf-8", "\"s1\""},
};

struct fixture {
    struct http_server *srv;
    uint16_t port;
    char dir[64]; /* a temporary web dir for the disk tests, or "" */
};

struct reply {
    long status;
    struct buf body;
    struct buf headers;
};

static size_t on_body(char *p, size_t size, size_t n, void *cls)
{
    struct buf *b = cls;

    buf_append(b, p, size * n);
    return size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *cls)
{
    struct buf *b = cls;

    buf_append(b, p, size * n);
    return size * n;
}

/* Sends one request; body may be NULL. extra: one more header line or NULL. */
static void fetch(struct fixture *f, const char *method, const char *target,
                  const char *body, size_t body_len, const char *extra, struct reply *r)
{
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    char url[16384];

    assert_non_null(c);
    buf_init(&r->body, 1 << 20);
    buf_init(&r->headers, 1 << 16);
    snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", (unsigned)f->port, target);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    if (body != NULL) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
        h = curl_slist_append(h, "Content-Type: application/json");
        h = curl_slist_append(h, "Expect:");
    }
    if (extra != NULL)
        h = curl_slist_append(h, extra);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r->body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &r->headers);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    r->status = 0;
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
}

static void reply_release(struct reply *r)
{
    buf_release(&r->body);
    buf_release(&r->headers);
}

static const char *body_of(struct reply *r)
{
    return r->body.ptr != NULL ? r->body.ptr : "";
}

static bool has_header(struct reply *r, const char *line)
{
    return r->headers.ptr != NULL && strstr(r->headers.ptr, line) != NULL;
}

static int start(void **state, const char *web_dir)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct http_config cfg;
    struct forum_error err;

    http_config_init(&cfg);
    cfg.port = 0;
    cfg.threads = 2;
    cfg.api = (struct api *)(uintptr_t)1; /* the fake ignores it */
    cfg.files = test_files;
    cfg.n_files = sizeof(test_files) / sizeof(test_files[0]);
    cfg.metrics = fake_api_metrics;
    cfg.access_log = false;
    cfg.drain_s = 10;
    cfg.web_dir = web_dir;
    forum_error_clear(&err);
    if (http_server_start(&cfg, &f->srv, &err) != FORUM_OK) {
        fprintf(stderr, "start: %s\n", err.msg);
        free(f);
        return -1;
    }
    f->port = http_server_port(f->srv);
    *state = f;
    return 0;
}

static int setup(void **state)
{
    return start(state, NULL);
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    http_server_stop(f->srv);
    free(f);
    return 0;
}

static void test_http_healthz_and_headers(void **state)
{
    struct reply r;

    fetch(*state, "GET", "/healthz", NULL, 0, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(body_of(&r), "{\"ok\":true}");
    assert_true(has_header(&r, "Content-Security-Policy: default-src 'self'; script-src "
                               "'self'; style-src 'self';"));
    assert_true(has_header(&r, "X-Content-Type-Options: nosniff"));
    assert_true(has_header(&r, "Referrer-Policy: no-referrer"));
    assert_null(strstr(r.headers.ptr, "unsafe-inline"));
    reply_release(&r);
}

static void test_http_echo_passes_request_fields(void **state)
{
    struct reply r;

    fetch(*state, "POST", "/api/v1/echo?a=1&b=%20x", "{\"k\":1}", 7,
          "Authorization: Bearer tok", &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(body_of(&r),
                        "POST|/api/v1/echo|a=1&b=%20x|Bearer tok|application/json|"
                        "127.0.0.1|1|{\"k\":1}");
    assert_true(has_header(&r, "X-Echo: yes"));
    reply_release(&r);
}

static void test_http_body_over_limit_is_413(void **state)
{
    size_t n = API_BODY_MAX + 1;
    char *big = malloc(n);
    struct reply r;

    memset(big, 'x', n);
    fetch(*state, "POST", "/api/v1/echo", big, n, NULL, &r);
    assert_int_equal(r.status, 413);
    assert_non_null(strstr(body_of(&r), "\"error\":{\"code\":\"too_large\""));
    reply_release(&r);

    /* Exactly the limit is accepted. */
    fetch(*state, "POST", "/api/v1/echo", big, API_BODY_MAX, NULL, &r);
    assert_int_equal(r.status, 200);
    reply_release(&r);

    /* Chunked (no Content-Length): refused at the end. */
    fetch(*state, "POST", "/api/v1/echo", big, n, "Transfer-Encoding: chunked", &r);
    assert_int_equal(r.status, 413);
    reply_release(&r);
    free(big);
}

static void test_http_announced_length_is_413(void **state)
{
    struct reply r;

    /* Announce a huge body and send none: refused before reading. */
    fetch(*state, "PUT", "/api/v1/echo", NULL, 0, "Content-Length: 100000000", &r);
    assert_int_equal(r.status, 413);
    assert_non_null(strstr(body_of(&r), "too_large"));
    reply_release(&r);
}

static void test_http_late_answers(void **state)
{
    struct reply r;

    fetch(*state, "POST", "/api/v1/late", "{}", 2, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(body_of(&r), "{\"late\":true}");
    reply_release(&r);
    fetch(*state, "GET", "/api/v1/now", NULL, 0, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(body_of(&r), "{\"late\":false}");
    reply_release(&r);
}

static void test_http_page_routes(void **state)
{
    static const struct {
        const char *target;
        const char *body;
    } cases[] = {
        {"/", "<!doctype html><title>index</title>"},
        {"/e/abc", "<!doctype html><title>participant</title>"},
        {"/e/abc/facilitate", "<!doctype html><title>facilitate</title>"},
        {"/e/abc/wall", "<!doctype html><title>wall</title>"},
        {"/e/abc/notes/t1-2", "<!doctype html><title>notes</title>"},
        {"/e/abc/proceedings", "<!doctype html><title>proceedings</title>"},
        {"/e/abc/print/doors", "<!doctype html><title>print</title>"},
        {"/e/abc/print/poster", "<!doctype html><title>print</title>"},
        {"/e/abc/print/flyer", "<!doctype html><title>print</title>"},
        {"/admin", "<!doctype html><title>admin</title>"},
        {"/admin/", "<!doctype html><title>admin</title>"},
        {"/js/api.js", "export const x = 1;\n"},
    };
    static const char *const missing[] = {"/e/abc/other", "/e/abc/notes/",
                                          "/e/abc/notes/t1/x", "/e/abc/print/other",
                                          "/e/abc/print"};
    struct reply r;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fetch(*state, "GET", cases[i].target, NULL, 0, NULL, &r);
        assert_int_equal(r.status, 200);
        assert_string_equal(body_of(&r), cases[i].body);
        assert_true(has_header(&r, "Content-Security-Policy: "));
        assert_true(has_header(&r, "ETag: \""));
        reply_release(&r);
    }
    fetch(*state, "GET", "/e/abc/wall", NULL, 0, "If-None-Match: \"w1\"", &r);
    assert_int_equal(r.status, 304);
    assert_int_equal(r.body.len, 0);
    reply_release(&r);
    for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
        fetch(*state, "GET", missing[i], NULL, 0, NULL, &r);
        assert_int_equal(r.status, 404);
        assert_non_null(strstr(body_of(&r), "\"code\":\"not_found\""));
        assert_null(strstr(body_of(&r), "no route"));
        reply_release(&r);
    }
    /* The proceedings' documents beside the page are the API's answers. */
    fetch(*state, "GET", "/e/abc/proceedings.md", NULL, 0, NULL, &r);
    assert_int_equal(r.status, 404);
    assert_non_null(strstr(body_of(&r), "no route"));
    reply_release(&r);
    fetch(*state, "GET", "/e/abc/proceedings.json", NULL, 0, NULL, &r);
    assert_non_null(strstr(body_of(&r), "no route"));
    reply_release(&r);
}

/* /sw.js: the release's list of files (all but sw.js) and page routes, then sw.js. */
static void test_http_service_worker(void **state)
{
    static const char want[] =
        "self.FORUMD_RELEASE = {\"files\":{\"/index.html\":\"\\\"i1\\\"\","
        "\"/participant.html\":\"\\\"p1\\\"\",\"/facilitate.html\":\"\\\"f1\\\"\","
        "\"/wall.html\":\"\\\"w1\\\"\",\"/notes.html\":\"\\\"n1\\\"\","
        "\"/proceedings.html\":\"\\\"pr1\\\"\",\"/print.html\":\"\\\"pp1\\\"\","
        "\"/admin.html\":\"\\\"ad1\\\"\","
        "\"/js/api.js\":\"\\\"a1\\\"\"},"
        "\"root\":\"/index.html\",\"pages\":{\"\":\"/participant.html\","
        "\"/\":\"/participant.html\",\"/facilitate\":\"/facilitate.html\","
        "\"/wall\":\"/wall.html\",\"/proceedings\":\"/proceedings.html\","
        "\"/print/doors\":\"/print.html\",\"/print/poster\":\"/print.html\","
        "\"/print/flyer\":\"/print.html\",\"/notes/*\":\"/notes.html\"}};\n"
        "self.addEventListener('fetch', () => {});\n";
    struct reply r;

    fetch(*state, "GET", "/sw.js", NULL, 0, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(body_of(&r), want);
    assert_true(has_header(&r, "Content-Type: text/javascript"));
    assert_true(has_header(&r, "Cache-Control: no-cache"));
    assert_true(has_header(&r, "Content-Security-Policy: "));
    reply_release(&r);
    fetch(*state, "POST", "/sw.js", "{}", 2, NULL, &r);
    assert_int_equal(r.status, 405);
    reply_release(&r);
}

static void test_http_static_methods(void **state)
{
    struct reply r;

    fetch(*state, "POST", "/js/api.js", "{}", 2, NULL, &r);
    assert_int_equal(r.status, 405);
    assert_true(has_header(&r, "Allow: GET, HEAD"));
    assert_non_null(strstr(body_of(&r), "method_not_allowed"));
    reply_release(&r);
    fetch(*state, "HEAD", "/js/api.js", NULL, 0, NULL, &r);
    assert_int_equal(r.status, 200);
    reply_release(&r);
}

static void test_http_traversal_refused(void **state)
{
    static const char *const targets[] = {
        "/../etc/passwd", "/js/../index.html",      "/%2e%2e/etc/passwd",
        "/%2E%2e/x",      "/%252e%252e/etc/passwd", "/js/%2fapi.js",
        "/js\\api.js",    "/./index.html",          "/api/v1/../healthz"};
    struct reply r;

    for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
        fetch(*state, "GET", targets[i], NULL, 0, NULL, &r);
        assert_int_equal(r.status, 400);
        assert_non_null(strstr(body_of(&r), "\"error\""));
        reply_release(&r);
    }
}

static void test_http_long_target_is_414(void **state)
{
    char target[HTTP_DEFAULT_URL_MAX + 64];
    struct reply r;

    memset(target, 'a', sizeof(target) - 1);
    target[0] = '/';
    target[sizeof(target) - 1] = '\0';
    fetch(*state, "GET", target, NULL, 0, NULL, &r);
    assert_int_equal(r.status, 414);
    assert_non_null(strstr(body_of(&r), "uri_too_long"));
    reply_release(&r);
}

static void test_http_metrics(void **state)
{
    struct reply r;

    fetch(*state, "GET", "/healthz", NULL, 0, NULL, &r);
    reply_release(&r);
    fetch(*state, "GET", "/metrics", NULL, 0, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(body_of(&r), "forumd_api_fake_total 7\n"));
    assert_non_null(strstr(body_of(&r), "forumd_http_requests_total{class=\"2xx\"}"));
    assert_non_null(strstr(body_of(&r), "forumd_http_request_duration_seconds_bucket"));
    assert_non_null(strstr(body_of(&r), "forumd_http_connections_open"));
    reply_release(&r);
    fetch(*state, "POST", "/metrics", "{}", 2, NULL, &r);
    assert_int_equal(r.status, 405);
    reply_release(&r);
}

/* --web DIR: files from disk, symlinks out of the directory refused. */
static int setup_disk(void **state)
{
    char dir[] = "/tmp/forum-http-web-XXXXXX";
    char path[256];
    FILE *fp;

    if (mkdtemp(dir) == NULL)
        return -1;
    snprintf(path, sizeof(path), "%s/index.html", dir);
    fp = fopen(path, "w");
    fputs("<p>disk</p>", fp);
    fclose(fp);
    snprintf(path, sizeof(path), "%s/css", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof(path), "%s/css/app.css", dir);
    fp = fopen(path, "w");
    fputs("body{}", fp);
    fclose(fp);
    snprintf(path, sizeof(path), "%s/sw.js", dir);
    fp = fopen(path, "w");
    fputs("// sw\n", fp);
    fclose(fp);
    snprintf(path, sizeof(path), "%s/.hidden", dir);
    fp = fopen(path, "w");
    fputs("x", fp);
    fclose(fp);
    snprintf(path, sizeof(path), "%s/escape.txt", dir);
    if (symlink("/etc/hostname", path) != 0)
        return -1;
    if (start(state, dir) != 0)
        return -1;
    snprintf(((struct fixture *)*state)->dir, sizeof(((struct fixture *)*state)->dir),
             "%s", dir);
    return 0;
}

static int teardown_disk(void **state)
{
    struct fixture *f = *state;
    char path[256];

    snprintf(path, sizeof(path), "%s/escape.txt", f->dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/sw.js", f->dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/.hidden", f->dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/css/app.css", f->dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/css", f->dir);
    rmdir(path);
    snprintf(path, sizeof(path), "%s/index.html", f->dir);
    unlink(path);
    rmdir(f->dir);
    return teardown(state);
}

static void test_http_disk_files(void **state)
{
    struct reply r;
    char inm[128];
    const char *etag;

    fetch(*state, "GET", "/", NULL, 0, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(body_of(&r), "<p>disk</p>");
    assert_true(has_header(&r, "Content-Type: text/html"));
    etag = strstr(r.headers.ptr, "ETag: ");
    assert_non_null(etag);
    snprintf(inm, sizeof(inm), "If-None-Match: %.*s", (int)strcspn(etag + 6, "\r\n"),
             etag + 6);
    reply_release(&r);
    fetch(*state, "GET", "/", NULL, 0, inm, &r);
    assert_int_equal(r.status, 304);
    reply_release(&r);
    fetch(*state, "GET", "/css/app.css", NULL, 0, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_true(has_header(&r, "Content-Type: text/css"));
    reply_release(&r);
    fetch(*state, "GET", "/escape.txt", NULL, 0, NULL, &r);
    assert_int_equal(r.status, 400);
    reply_release(&r);
    fetch(*state, "GET", "/%2e%2e/etc/passwd", NULL, 0, NULL, &r);
    assert_int_equal(r.status, 400);
    reply_release(&r);
    fetch(*state, "GET", "/missing.js", NULL, 0, NULL, &r);
    assert_int_equal(r.status, 404);
    reply_release(&r);
}

/* Reads GET /sw.js of the disk fixture into out (cap bytes). */
static void disk_sw(void **state, char *out, size_t cap)
{
    struct reply r;

    fetch(*state, "GET", "/sw.js", NULL, 0, NULL, &r);
    assert_int_equal(r.status, 200);
    snprintf(out, cap, "%s", body_of(&r));
    reply_release(&r);
}

/* From --web DIR, /sw.js lists the directory's files as they are now. */
static void test_http_disk_service_worker(void **state)
{
    struct fixture *f = *state;
    char before[4096], after[4096], path[256];
    FILE *fp;

    disk_sw(state, before, sizeof(before));
    assert_non_null(
        strstr(before, "self.FORUMD_RELEASE = {\"files\":{\"/css/app.css\":\"\\\""));
    assert_non_null(strstr(before, "\"/index.html\":\"\\\""));
    /* Not the worker itself, not a symbolic link, not a hidden file. */
    assert_null(strstr(before, "\"/sw.js\""));
    assert_null(strstr(before, "escape.txt"));
    assert_null(strstr(before, ".hidden"));
    assert_non_null(strstr(before, "}};\n// sw\n"));
    /* A changed file is a new release: the script's bytes change. */
    snprintf(path, sizeof(path), "%s/index.html", f->dir);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("<p>disk, release 2</p>", fp);
    fclose(fp);
    disk_sw(state, after, sizeof(after));
    assert_string_not_equal(before, after);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_http_healthz_and_headers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_http_echo_passes_request_fields, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_http_body_over_limit_is_413, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_http_announced_length_is_413, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_http_late_answers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_http_page_routes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_http_static_methods, setup, teardown),
        cmocka_unit_test_setup_teardown(test_http_traversal_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_http_long_target_is_414, setup, teardown),
        cmocka_unit_test_setup_teardown(test_http_metrics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_http_disk_files, setup_disk, teardown_disk),
        cmocka_unit_test_setup_teardown(test_http_service_worker, setup, teardown),
        cmocka_unit_test_setup_teardown(test_http_disk_service_worker, setup_disk,
                                        teardown_disk),
    };
    int failed;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
