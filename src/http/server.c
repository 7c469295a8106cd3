/* SPDX-License-Identifier: MIT */
/*
 * The libmicrohttpd daemon: options and limits, the request lifecycle
 * (context created with the request line, body drained into a bounded
 * buffer, answer, context freed on completion), routing between the api,
 * /metrics and the web pages, suspended connections for late answers, and
 * the graceful stop.
 */
#include "forum/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "forum/util/etag.h"
#include "forum/util/log.h"
#include "forum/util/mem.h"
#include "internal.h"

/* Headers on every response of ours (docs/operations.md). */
#define CSP_VALUE                                                                        \
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "    \
    "connect-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

#define JSON_TYPE "application/json"
#define SW_TYPE "text/javascript; charset=utf-8"

/* The largest service worker script (sw.js and the list of files). */
#define HTTP_RELEASE_SCRIPT_MAX (1024 * 1024)

/* How many locks late answers share. */
#define HTTP_LOCK_STRIPES 64

struct http_server {
    struct http_config config;
    char *root_real; /* owned: realpath of config.web_dir, or NULL */
    struct MHD_Daemon *daemon;
    uint16_t port;
    struct http_metrics metrics;

    pthread_mutex_t lock; /* with idle: wakes stop() when inflight drops to 0 */
    pthread_cond_t idle;
    atomic_long inflight; /* requests between their request line and completion */
    atomic_long awaiting; /* late answers whose ready() has not run yet */
    /* The embedded files' answers, built once: [i] 200, [n_files + i] 304. */
    struct MHD_Response **prepared;
    /* The service worker's script of the embedded release (release.c), or NULL. */
    char *sw_script; /* owned */
    size_t sw_script_len;
    /* The locks of late answers, shared by hashing (no lock per request). */
    pthread_mutex_t stripes[HTTP_LOCK_STRIPES];
    atomic_long suspended; /* connections suspended for a late answer */
    atomic_bool draining;  /* stop() began: answers carry Connection: close */
};

/* One request, from its request line to its completion. */
struct request {
    struct http_server *srv;
    struct MHD_Connection *conn;
    char *target; /* owned: the raw request target, query included */
    bool target_too_long;
    char remote_addr[INET6_ADDRSTRLEN];
    bool remote_loopback;
    struct timespec t0;
    const char *method; /* borrowed from libmicrohttpd, valid until completion */
    const char *path;   /* ditto: the decoded path */
    char alias[160];    /* the API path of a document served beside a page */

    bool started;    /* the first handler call happened */
    bool dispatched; /* the request was handed to its handler */
    bool answered;   /* a response was queued */
    int status;      /* what was queued */
    struct buf body;
    bool body_too_big;

    /* The api's answer, released at completion (its body is sent from it). */
    struct api_response resp;
    bool have_resp;

    /* Asynchronous answers: see api_request.ready. */
    pthread_mutex_t *async_lock; /* one of srv->stripes */
    bool async;                  /* the api answered "pending": ready() comes later */
    bool suspended;
    bool ready;
    bool orphaned; /* completed before its late answer: ready() frees it */
};

/* -- small helpers ------------------------------------------------------- */

static uint64_t elapsed_us(const struct timespec *t0)
{
    struct timespec now;
    int64_t us;

    clock_gettime(CLOCK_MONOTONIC, &now);
    us =
        (int64_t)(now.tv_sec - t0->tv_sec) * 1000000 + (now.tv_nsec - t0->tv_nsec) / 1000;
    return us < 0 ? 0 : (uint64_t)us;
}

static enum api_method map_method(const char *m)
{
    static const struct {
        const char *name;
        enum api_method method;
    } methods[] = {
        {MHD_HTTP_METHOD_GET, API_GET},         {MHD_HTTP_METHOD_HEAD, API_HEAD},
        {MHD_HTTP_METHOD_POST, API_POST},       {MHD_HTTP_METHOD_PUT, API_PUT},
        {MHD_HTTP_METHOD_PATCH, API_PATCH},     {MHD_HTTP_METHOD_DELETE, API_DELETE},
        {MHD_HTTP_METHOD_OPTIONS, API_OPTIONS},
    };

    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
        if (strcmp(m, methods[i].name) == 0)
            return methods[i].method;
    }
    return API_OTHER;
}

static void fill_remote(struct request *rq, struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci != NULL ? ci->client_addr : NULL;

    strcpy(rq->remote_addr, "unknown");
    rq->remote_loopback = false;
    if (sa == NULL)
        return;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;

        inet_ntop(AF_INET, &in->sin_addr, rq->remote_addr, sizeof(rq->remote_addr));
        rq->remote_loopback = (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        const uint8_t *b = in6->sin6_addr.s6_addr;

        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
            inet_ntop(AF_INET, b + 12, rq->remote_addr, sizeof(rq->remote_addr));
            rq->remote_loopback = b[12] == 127;
        } else {
            inet_ntop(AF_INET6, &in6->sin6_addr, rq->remote_addr,
                      sizeof(rq->remote_addr));
            rq->remote_loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
        }
    }
}

/* The X-Forwarded-For headers of a request, the last ones kept when there are many. */
#define XFF_KEEP 16
struct xff_values {
    const char *v[XFF_KEEP];
    size_t n; /* seen in all; the last min(n, XFF_KEEP) are in v, oldest first */
};

static enum MHD_Result add_xff(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    struct xff_values *x = cls;

    (void)kind;
    if (key != NULL && value != NULL && strcasecmp(key, "X-Forwarded-For") == 0) {
        if (x->n >= XFF_KEEP)
            memmove(x->v, x->v + 1, (XFF_KEEP - 1) * sizeof(x->v[0]));
        x->v[x->n < XFF_KEEP ? x->n : XFF_KEEP - 1] = value;
        x->n++;
    }
    return MHD_YES;
}

/* Behind a trusted proxy, the client is named by X-Forwarded-For. */
static void fill_forwarded(struct request *rq, struct MHD_Connection *conn)
{
    const struct http_config *cfg = &rq->srv->config;
    struct xff_values x;
    char client[INET6_ADDRSTRLEN];

    if (cfg->n_trusted_proxies == 0)
        return;
    memset(&x, 0, sizeof(x));
    MHD_get_connection_values(conn, MHD_HEADER_KIND, add_xff, &x);
    http_forwarded_client(cfg->trusted_proxies, cfg->n_trusted_proxies, rq->remote_addr,
                          x.v, x.n < XFF_KEEP ? x.n : XFF_KEEP, client,
                          &rq->remote_loopback);
    memcpy(rq->remote_addr, client, sizeof(client));
}

static void add_common_headers(struct http_server *srv, struct MHD_Response *r)
{
    MHD_add_response_header(r, "Content-Security-Policy", CSP_VALUE);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    if (atomic_load(&srv->draining))
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
}

/* Queues r (consumed) with status; records it on the request. */
static enum MHD_Result queue(struct request *rq, unsigned status, struct MHD_Response *r)
{
    enum MHD_Result ret;

    if (r == NULL)
        return MHD_NO;
    add_common_headers(rq->srv, r);
    ret = MHD_queue_response(rq->conn, status, r);
    MHD_destroy_response(r);
    if (ret == MHD_YES) {
        rq->answered = true;
        rq->status = (int)status;
    }
    return ret;
}

/* Queues a response built once at start (its headers are complete; it is not consumed).
 */
static enum MHD_Result queue_prepared(struct request *rq, unsigned status,
                                      struct MHD_Response *r)
{
    enum MHD_Result ret = MHD_queue_response(rq->conn, status, r);

    if (ret == MHD_YES) {
        rq->answered = true;
        rq->status = (int)status;
    }
    return ret;
}

static struct MHD_Response *static_response(const void *data, size_t len,
                                            const char *content_type)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)(uintptr_t)data,
                                                             MHD_RESPMEM_PERSISTENT);

    if (r != NULL && content_type != NULL)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    return r;
}

/*
 * The http layer's own errors, in the API's error shape. The bodies are
 * fixed strings: http/ has no JSON library.
 */
struct http_error {
    unsigned status;
    const char *body;
};

#define ERR_BODY(code, msg) "{\"error\":{\"code\":\"" code "\",\"message\":\"" msg "\"}}"

static const struct http_error err_bad_path = {
    400, ERR_BODY("bad_request", "The path is not allowed.")};
static const struct http_error err_forbidden = {
    403, ERR_BODY("forbidden", "This resource is only served on the loopback address.")};
static const struct http_error err_not_found = {
    404, ERR_BODY("not_found", "There is nothing at this address.")};
static const struct http_error err_method = {
    405, ERR_BODY("method_not_allowed", "This method is not allowed here.")};
static const struct http_error err_too_large = {
    413, ERR_BODY("too_large", "The request body is larger than 65536 bytes.")};
static const struct http_error err_uri_too_long = {
    414, ERR_BODY("uri_too_long", "The request target is too long.")};
static const struct http_error err_headers_too_large = {
    431, ERR_BODY("headers_too_large", "The request headers are too large.")};
static const struct http_error err_internal = {
    500, ERR_BODY("internal", "The server could not build the answer.")};

static enum MHD_Result send_error(struct request *rq, const struct http_error *e,
                                  const char *allow)
{
    struct MHD_Response *r = static_response(e->body, strlen(e->body), JSON_TYPE);

    if (r != NULL) {
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
        if (allow != NULL)
            MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
    }
    if (e->status != 405 && e->status != 404)
        atomic_fetch_add_explicit(&rq->srv->metrics.requests_rejected, 1,
                                  memory_order_relaxed);
    return queue(rq, e->status, r);
}

/* -- the api ------------------------------------------------------------ */

static void request_free(struct request *rq);

static void request_ready(void *cls)
{
    struct request *rq = cls;
    struct http_server *srv = rq->srv;

    pthread_mutex_lock(rq->async_lock);
    rq->ready = true;
    if (rq->orphaned) {
        /* The client is gone: nobody will send this answer. */
        pthread_mutex_unlock(rq->async_lock);
        api_response_release(&rq->resp);
        request_free(rq);
        atomic_fetch_sub(&srv->awaiting, 1);
        return;
    }
    if (rq->suspended) {
        rq->suspended = false;
        atomic_fetch_sub(&srv->suspended, 1);
        MHD_resume_connection(rq->conn);
    }
    pthread_mutex_unlock(rq->async_lock);
    atomic_fetch_sub(&srv->awaiting, 1); /* last: srv may be freed after this */
}

static enum MHD_Result send_api_response(struct request *rq)
{
    struct api_response *resp = &rq->resp;
    struct MHD_Response *r;
    int status = resp->status;

    if (status < 100 || status > 599)
        return send_error(rq, &err_internal, NULL);
    r = static_response(resp->body_len > 0 ? resp->body : "", resp->body_len,
                        resp->content_type);
    if (r == NULL)
        return MHD_NO;
    for (size_t i = 0; i < resp->n_headers && i < API_HEADERS_MAX; i++) {
        if (resp->headers[i].name != NULL && resp->headers[i].value != NULL)
            MHD_add_response_header(r, resp->headers[i].name, resp->headers[i].value);
    }
    return queue(rq, (unsigned)status, r);
}

static const char *header(struct MHD_Connection *conn, const char *name)
{
    return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

static enum MHD_Result dispatch_api(struct request *rq)
{
    struct api_request req;
    const char *q = strchr(rq->target, '?');

    memset(&req, 0, sizeof(req));
    req.method = map_method(rq->method);
    req.path = rq->path;
    req.query = q != NULL ? q + 1 : NULL;
    req.authorization = header(rq->conn, MHD_HTTP_HEADER_AUTHORIZATION);
    req.content_type = header(rq->conn, MHD_HTTP_HEADER_CONTENT_TYPE);
    req.if_none_match = header(rq->conn, MHD_HTTP_HEADER_IF_NONE_MATCH);
    req.if_match = header(rq->conn, MHD_HTTP_HEADER_IF_MATCH);
    req.body = rq->body.len > 0 ? rq->body.ptr : NULL;
    req.body_len = rq->body.len;
    req.remote_addr = rq->remote_addr;
    req.remote_loopback = rq->remote_loopback;
    req.ready = request_ready;
    req.ready_cls = rq;

    api_response_init(&rq->resp);
    rq->have_resp = true;
    api_handle(rq->srv->config.api, &req, &rq->resp);
    if (!rq->resp.pending)
        return send_api_response(rq);
    rq->async = true;
    atomic_fetch_add(&rq->srv->awaiting, 1);

    /* The answer comes later from another thread: suspend unless it is here already. */
    pthread_mutex_lock(rq->async_lock);
    if (rq->ready) {
        pthread_mutex_unlock(rq->async_lock);
        return send_api_response(rq);
    }
    rq->suspended = true;
    atomic_fetch_add(&rq->srv->suspended, 1);
    MHD_suspend_connection(rq->conn);
    pthread_mutex_unlock(rq->async_lock);
    return MHD_YES;
}

/* -- /metrics ----------------------------------------------------------- */

static void free_buf_body(void *cls)
{
    free(cls);
}

static enum MHD_Result dispatch_metrics(struct request *rq, enum api_method m)
{
    struct http_server *srv = rq->srv;
    struct MHD_Response *r;
    struct buf out;
    size_t len = 0;
    char *text;

    if (!rq->remote_loopback)
        return send_error(rq, &err_forbidden, NULL);
    if (m != API_GET && m != API_HEAD)
        return send_error(rq, &err_method, "GET, HEAD");
    buf_init(&out, 4 * 1024 * 1024);
    if (srv->config.metrics != NULL)
        srv->config.metrics(srv->config.metrics_cls, &out);
    http_server_metrics_write(srv, &out);
    text = buf_detach(&out, &len);
    r = MHD_create_response_from_buffer_with_free_callback_cls(len, text, free_buf_body,
                                                               text);
    if (r == NULL) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                            "text/plain; version=0.0.4; charset=utf-8");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    return queue(rq, MHD_HTTP_OK, r);
}

/* -- web pages ---------------------------------------------------------- */

static enum MHD_Result send_not_modified(struct request *rq, const char *etag)
{
    struct MHD_Response *r = static_response("", 0, NULL);

    if (r == NULL)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    return queue(rq, MHD_HTTP_NOT_MODIFIED, r);
}

/* Reads a whole file of the --web directory into out (its maximum applies). */
static enum forum_status read_disk_file(const char *root_real, const char *path,
                                        struct buf *out)
{
    struct http_disk_file f;
    enum forum_status rc = http_disk_open(root_real, path, &f);
    char chunk[16384];
    ssize_t got;

    if (rc != FORUM_OK)
        return rc;
    while (rc == FORUM_OK && (got = read(f.fd, chunk, sizeof(chunk))) > 0)
        rc = buf_append(out, chunk, (size_t)got);
    close(f.fd);
    return rc;
}

/*
 * The service worker's script: built once for the embedded files, and at
 * each request from the --web directory (which changes while developing).
 */
static enum MHD_Result dispatch_sw(struct request *rq, enum api_method m)
{
    struct http_server *srv = rq->srv;
    struct MHD_Response *r;
    char *text;
    size_t len;

    if (m != API_GET && m != API_HEAD)
        return send_error(rq, &err_method, "GET, HEAD");
    if (srv->root_real == NULL) {
        if (srv->sw_script == NULL)
            return send_error(rq, &err_not_found, NULL);
        r = static_response(srv->sw_script, srv->sw_script_len, SW_TYPE);
    } else {
        struct buf sw, out;
        enum forum_status rc;

        buf_init(&sw, HTTP_RELEASE_SCRIPT_MAX);
        buf_init(&out, HTTP_RELEASE_SCRIPT_MAX);
        rc = read_disk_file(srv->root_real, HTTP_SW_PATH, &sw);
        if (rc == FORUM_OK)
            rc = http_release_script(NULL, 0, srv->root_real, sw.ptr, sw.len, &out);
        buf_release(&sw);
        if (rc != FORUM_OK) {
            buf_release(&out);
            if (rc == FORUM_ENOTFOUND)
                return send_error(rq, &err_not_found, NULL);
            log_error("http: %s: %s", HTTP_SW_PATH, forum_status_str(rc));
            return send_error(rq, &err_internal, NULL);
        }
        text = buf_detach(&out, &len);
        r = MHD_create_response_from_buffer_with_free_callback_cls(len, text,
                                                                   free_buf_body, text);
        if (r == NULL) {
            free(text);
            return MHD_NO;
        }
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, SW_TYPE);
    }
    if (r == NULL)
        return MHD_NO;
    /* Revalidated at every update check, so that a new release is seen. */
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    return queue(rq, MHD_HTTP_OK, r);
}

static enum MHD_Result dispatch_static(struct request *rq, enum api_method m)
{
    struct http_server *srv = rq->srv;
    const char *file_path = http_page_route(rq->path);
    const char *inm = header(rq->conn, MHD_HTTP_HEADER_IF_NONE_MATCH);
    struct MHD_Response *r;

    if (strcmp(file_path, HTTP_SW_PATH) == 0)
        return dispatch_sw(rq, m);
    if (srv->root_real == NULL) {
        const struct http_file *f =
            http_files_find(srv->config.files, srv->config.n_files, file_path);

        if (f == NULL)
            return send_error(rq, &err_not_found, NULL);
        if (m != API_GET && m != API_HEAD)
            return send_error(rq, &err_method, "GET, HEAD");
        if (srv->prepared != NULL) {
            size_t i = (size_t)(f - srv->config.files);

            if (etag_matches(inm, f->etag))
                return queue_prepared(rq, MHD_HTTP_NOT_MODIFIED,
                                      srv->prepared[srv->config.n_files + i]);
            return queue_prepared(rq, MHD_HTTP_OK, srv->prepared[i]);
        }
        if (etag_matches(inm, f->etag))
            return send_not_modified(rq, f->etag);
        r = static_response(f->data, f->len, f->content_type);
        if (r == NULL)
            return MHD_NO;
        MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, f->etag);
    } else {
        struct http_disk_file f;
        enum forum_status rc = http_disk_open(srv->root_real, file_path, &f);

        if (rc == FORUM_EFORBIDDEN)
            return send_error(rq, &err_bad_path, NULL);
        if (rc != FORUM_OK)
            return send_error(rq, &err_not_found, NULL);
        if (m != API_GET && m != API_HEAD) {
            close(f.fd);
            return send_error(rq, &err_method, "GET, HEAD");
        }
        if (etag_matches(inm, f.etag)) {
            close(f.fd);
            return send_not_modified(rq, f.etag);
        }
        /* Takes ownership of the descriptor, even on failure. */
        r = MHD_create_response_from_fd64(f.size, f.fd);
        if (r == NULL)
            return MHD_NO;
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, f.content_type);
        MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, f.etag);
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    return queue(rq, MHD_HTTP_OK, r);
}

/* -- the request lifecycle ---------------------------------------------- */

static bool is_api_path(const char *path)
{
    return strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0 ||
           strcmp(path, "/healthz") == 0;
}

static enum MHD_Result dispatch(struct request *rq)
{
    enum api_method m = map_method(rq->method);

    rq->dispatched = true;
    if (rq->body_too_big)
        return send_error(rq, &err_too_large, NULL);
    if (is_api_path(rq->path))
        return dispatch_api(rq);
    /* The proceedings' documents beside the page: the API answers them. */
    if (http_api_alias(rq->path, rq->alias, sizeof(rq->alias))) {
        rq->path = rq->alias;
        return dispatch_api(rq);
    }
    if (strcmp(rq->path, "/metrics") == 0)
        return dispatch_metrics(rq, m);
    return dispatch_static(rq, m);
}

/* The size of the header block, as sent (name: value CRLF). */
static enum MHD_Result add_header_size(void *cls, enum MHD_ValueKind kind,
                                       const char *key, size_t key_size,
                                       const char *value, size_t value_size)
{
    size_t *total = cls;

    (void)kind;
    (void)key;
    (void)value;
    *total += key_size + value_size + 4;
    return MHD_YES;
}

/* Creates the request context when the request line arrives. */
static void *on_request_line(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct http_server *srv = cls;
    struct request *rq = forum_xcalloc(1, sizeof(*rq));
    size_t len = strlen(uri);

    rq->srv = srv;
    rq->conn = conn;
    clock_gettime(CLOCK_MONOTONIC, &rq->t0);
    if (len > srv->config.url_max) {
        rq->target_too_long = true;
        len = srv->config.url_max;
    }
    rq->target = forum_xstrndup(uri, len);
    fill_remote(rq, conn);
    buf_init(&rq->body, API_BODY_MAX);
    rq->async_lock = &srv->stripes[((uintptr_t)rq >> 6) % HTTP_LOCK_STRIPES];
    atomic_fetch_add_explicit(&srv->inflight, 1, memory_order_relaxed);
    return rq;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **req_cls)
{
    struct http_server *srv = cls;
    struct request *rq = *req_cls;
    const char *cl, *te;
    bool expect_body;

    (void)version;
    if (rq == NULL) {
        /* No request-line callback ran (should not happen): create it now. */
        rq = on_request_line(srv, url, conn);
        *req_cls = rq;
    }

    if (!rq->started) {
        size_t header_bytes = 0;

        rq->started = true;
        rq->method = method;
        rq->path = url;
        fill_forwarded(rq, conn);
        if (rq->target_too_long)
            return send_error(rq, &err_uri_too_long, NULL);
        MHD_get_connection_values_n(conn, MHD_HEADER_KIND, add_header_size,
                                    &header_bytes);
        if (header_bytes > srv->config.headers_max)
            return send_error(rq, &err_headers_too_large, NULL);
        if (!http_path_is_safe(rq->target, url))
            return send_error(rq, &err_bad_path, NULL);
        cl = header(conn, MHD_HTTP_HEADER_CONTENT_LENGTH);
        te = header(conn, MHD_HTTP_HEADER_TRANSFER_ENCODING);
        if (cl != NULL) {
            char *end = NULL;
            unsigned long long n;

            errno = 0;
            n = strtoull(cl, &end, 10);
            /* Announced too big: refuse before reading a byte of it. */
            if (errno != 0 || n > API_BODY_MAX)
                return send_error(rq, &err_too_large, NULL);
            expect_body = n > 0;
        } else {
            expect_body = te != NULL;
        }
        /* Answer once the whole request is in (answering earlier makes
         * libmicrohttpd close the connection instead of keeping it alive). */
        (void)expect_body;
        return MHD_YES;
    }

    if (*upload_data_size > 0) {
        size_t n = *upload_data_size;

        if (!rq->body_too_big && buf_append(&rq->body, upload_data, n) != FORUM_OK) {
            /* Past the cap (chunked bodies): drop the rest, answer 413 at the
             * end (libmicrohttpd takes no answer in the middle of a body). */
            rq->body_too_big = true;
            buf_release(&rq->body);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }

    if (!rq->dispatched)
        return dispatch(rq);
    if (!rq->answered && rq->async) {
        /* Resumed: the late answer is filled in. */
        bool ready;

        pthread_mutex_lock(rq->async_lock);
        ready = rq->ready;
        pthread_mutex_unlock(rq->async_lock);
        if (ready)
            return send_api_response(rq);
    }
    return rq->answered ? MHD_YES : MHD_NO;
}

static void request_free(struct request *rq)
{
    buf_release(&rq->body);
    free(rq->target);
    free(rq);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct http_server *srv = cls;
    struct request *rq = *req_cls;
    uint64_t us;
    size_t out_len = 0;
    bool orphan = false;

    (void)conn;
    if (rq == NULL)
        return;
    *req_cls = NULL;
    us = elapsed_us(&rq->t0);
    if (rq->have_resp && rq->answered)
        out_len = rq->resp.body_len;
    http_metrics_request(&srv->metrics, rq->answered ? rq->status : 0, us, rq->body.len,
                         out_len);
    if (srv->config.access_log) {
        log_info("%s \"%s %s\" %d %zu %.3fms%s", rq->remote_addr,
                 rq->method != NULL ? rq->method : "-", rq->target,
                 rq->answered ? rq->status : 0, out_len, (double)us / 1000.0,
                 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
    }
    if (rq->async) {
        /* A late answer may still be filled by the api thread: let it free rq. */
        pthread_mutex_lock(rq->async_lock);
        if (!rq->ready) {
            rq->orphaned = true;
            orphan = true;
        }
        pthread_mutex_unlock(rq->async_lock);
    }
    if (!orphan) {
        if (rq->have_resp)
            api_response_release(&rq->resp);
        request_free(rq);
    }

    if (atomic_fetch_sub(&srv->inflight, 1) == 1 && atomic_load(&srv->draining)) {
        /* Under the lock, so that stop() cannot miss it between check and wait. */
        pthread_mutex_lock(&srv->lock);
        pthread_cond_broadcast(&srv->idle);
        pthread_mutex_unlock(&srv->lock);
    }
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    struct http_server *srv = cls;

    (void)conn;
    (void)socket_context;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        atomic_fetch_add_explicit(&srv->metrics.connections_total, 1,
                                  memory_order_relaxed);
        atomic_fetch_add_explicit(&srv->metrics.connections_open, 1,
                                  memory_order_relaxed);
    } else {
        atomic_fetch_sub_explicit(&srv->metrics.connections_open, 1,
                                  memory_order_relaxed);
    }
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 0)))
#endif
static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    char line[512];
    size_t n;

    (void)cls;
    vsnprintf(line, sizeof(line), fmt, ap);
    n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    log_debug("libmicrohttpd: %s", line);
}

/* -- configuration and lifecycle ---------------------------------------- */

void http_config_init(struct http_config *config)
{
    memset(config, 0, sizeof(*config));
    config->listen_addr = "127.0.0.1";
    config->port = 8080;
    config->listen_fd = -1;
    config->threads = HTTP_DEFAULT_THREADS;
    config->conn_limit = HTTP_DEFAULT_CONN_LIMIT;
    config->per_ip_limit = HTTP_DEFAULT_PER_IP_LIMIT;
    config->timeout_s = HTTP_DEFAULT_TIMEOUT_S;
    config->conn_memory = HTTP_DEFAULT_CONN_MEMORY;
    config->url_max = HTTP_DEFAULT_URL_MAX;
    config->headers_max = HTTP_DEFAULT_HEADERS_MAX;
    config->drain_s = HTTP_DEFAULT_DRAIN_S;
    config->access_log = true;
}

enum forum_status http_parse_listen(const char *text, char *buffer,
                                    struct http_config *config, struct forum_error *err)
{
    const char *colon;
    char *end = NULL;
    unsigned long port;
    size_t host_len;

    if (text[0] == '[') {
        const char *close = strchr(text, ']');

        if (close == NULL || close[1] != ':')
            goto bad;
        host_len = (size_t)(close - text - 1);
        memcpy(buffer, text + 1, host_len);
        colon = close + 1;
    } else {
        colon = strrchr(text, ':');
        if (colon == NULL)
            goto bad;
        host_len = (size_t)(colon - text);
        memcpy(buffer, text, host_len);
    }
    buffer[host_len] = '\0';
    errno = 0;
    port = strtoul(colon + 1, &end, 10);
    if (errno != 0 || end == colon + 1 || *end != '\0' || port > 65535 || host_len == 0)
        goto bad;
    {
        struct in6_addr probe;

        if (inet_pton(AF_INET, buffer, &probe) != 1 &&
            inet_pton(AF_INET6, buffer, &probe) != 1)
            goto bad;
    }
    config->listen_addr = buffer;
    config->port = (uint16_t)port;
    return FORUM_OK;
bad:
    return forum_error_set(err, FORUM_EINVAL, "listen",
                           "'%s' is not ADDR:PORT with a numeric address (e.g. "
                           "127.0.0.1:8080, 0.0.0.0:8080 or [::]:8080)",
                           text);
}

/* Fills ss with listen_addr:port. OUT: len, is_v6. */
static enum forum_status resolve_listen(const struct http_config *config,
                                        struct sockaddr_storage *ss, socklen_t *len,
                                        bool *is_v6, struct forum_error *err)
{
    struct sockaddr_in *sin = (struct sockaddr_in *)(void *)ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)(void *)ss;

    memset(ss, 0, sizeof(*ss));
    if (inet_pton(AF_INET, config->listen_addr, &sin->sin_addr) == 1) {
        sin->sin_family = AF_INET;
        sin->sin_port = htons(config->port);
        *len = sizeof(*sin);
        *is_v6 = false;
        return FORUM_OK;
    }
    if (inet_pton(AF_INET6, config->listen_addr, &sin6->sin6_addr) == 1) {
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(config->port);
        *len = sizeof(*sin6);
        *is_v6 = true;
        return FORUM_OK;
    }
    return forum_error_set(err, FORUM_EINVAL, "listen",
                           "'%s' is not a numeric IPv4 or IPv6 address",
                           config->listen_addr);
}

enum forum_status http_config_bind(struct http_config *config, struct forum_error *err)
{
    struct sockaddr_storage ss;
    socklen_t len = 0;
    bool is_v6 = false;
    enum forum_status rc;
    int fd, one = 1;

    rc = resolve_listen(config, &ss, &len, &is_v6, err);
    if (rc != FORUM_OK)
        return rc;
    fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return forum_error_set(err, FORUM_EINTERNAL, "listen", "socket: %s",
                               strerror(errno));
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (is_v6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    if (bind(fd, (const struct sockaddr *)&ss, len) != 0 || listen(fd, 1024) != 0) {
        rc = forum_error_set(err, FORUM_EINTERNAL, "listen",
                             "could not listen on %s:%u: %s", config->listen_addr,
                             (unsigned)config->port, strerror(errno));
        close(fd);
        return rc;
    }
    len = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
        config->port = ntohs(ss.ss_family == AF_INET6
                                 ? ((struct sockaddr_in6 *)(void *)&ss)->sin6_port
                                 : ((struct sockaddr_in *)(void *)&ss)->sin_port);
    config->listen_fd = fd;
    return FORUM_OK;
}

/* Builds the answers of the embedded files once (200 and 304 for each). */
static void prepare_files(struct http_server *srv)
{
    size_t n = srv->config.n_files;

    if (srv->root_real != NULL || n == 0)
        return;
    srv->prepared = forum_xcalloc(2 * n, sizeof(*srv->prepared));
    for (size_t i = 0; i < n; i++) {
        const struct http_file *f = &srv->config.files[i];
        struct MHD_Response *ok = static_response(f->data, f->len, f->content_type);
        struct MHD_Response *nm = static_response("", 0, NULL);

        if (ok == NULL || nm == NULL) {
            /* Out of memory at start: serve unprepared. */
            if (ok != NULL)
                MHD_destroy_response(ok);
            if (nm != NULL)
                MHD_destroy_response(nm);
            for (size_t j = 0; j < i; j++) {
                MHD_destroy_response(srv->prepared[j]);
                MHD_destroy_response(srv->prepared[n + j]);
            }
            free(srv->prepared);
            srv->prepared = NULL;
            return;
        }
        MHD_add_response_header(ok, MHD_HTTP_HEADER_ETAG, f->etag);
        MHD_add_response_header(nm, MHD_HTTP_HEADER_ETAG, f->etag);
        MHD_add_response_header(ok, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
        MHD_add_response_header(nm, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
        add_common_headers(srv, ok);
        add_common_headers(srv, nm);
        srv->prepared[i] = ok;
        srv->prepared[n + i] = nm;
    }
}

/* Builds the embedded release's service worker script (none without web/sw.js). */
static enum forum_status prepare_sw(struct http_server *srv, struct forum_error *err)
{
    const struct http_file *sw;
    struct buf out;
    enum forum_status rc;

    if (srv->root_real != NULL)
        return FORUM_OK;
    sw = http_files_find(srv->config.files, srv->config.n_files, HTTP_SW_PATH);
    if (sw == NULL)
        return FORUM_OK;
    buf_init(&out, HTTP_RELEASE_SCRIPT_MAX);
    rc = http_release_script(srv->config.files, srv->config.n_files, NULL, sw->data,
                             sw->len, &out);
    if (rc != FORUM_OK) {
        buf_release(&out);
        return forum_error_set(err, rc, "web", "http: the service worker's list: %s",
                               forum_status_str(rc));
    }
    srv->sw_script = buf_detach(&out, &srv->sw_script_len);
    return FORUM_OK;
}

static void free_prepared(struct http_server *srv)
{
    free(srv->sw_script);
    srv->sw_script = NULL;
    if (srv->prepared == NULL)
        return;
    for (size_t i = 0; i < 2 * srv->config.n_files; i++)
        MHD_destroy_response(srv->prepared[i]);
    free(srv->prepared);
    srv->prepared = NULL;
}

/*
 * Once stopping, a new connection is closed as soon as it is accepted. Not
 * with MHD_quiesce_daemon(): on an epoll daemon with worker threads it races
 * with the workers' own removal of the listening socket, and libmicrohttpd
 * (0.9.75, an open defect) then aborts the process with "Failed to remove
 * listen FD from epoll set" (seen once in CI, on SIGTERM).
 */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t len)
{
    struct http_server *srv = cls;

    (void)addr;
    (void)len;
    return atomic_load(&srv->draining) ? MHD_NO : MHD_YES;
}

enum forum_status http_server_start(const struct http_config *config,
                                    struct http_server **out, struct forum_error *err)
{
    struct http_server *srv = NULL;
    unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
                         MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    const union MHD_DaemonInfo *info;
    enum forum_status rc = FORUM_OK;
    bool sync_ready = false;
    bool own_fd = false;

    *out = NULL;
    if (config->api == NULL || config->threads == 0 || config->conn_limit == 0 ||
        config->per_ip_limit == 0)
        return forum_error_set(
            err, FORUM_EINVAL, NULL,
            "http: the api, threads and connection limits must be set");
    if (config->n_trusted_proxies > HTTP_TRUSTED_PROXIES_MAX ||
        (config->n_trusted_proxies > 0 && config->trusted_proxies == NULL))
        return forum_error_set(err, FORUM_EINVAL, "trusted-proxy",
                               "http: at most %d trusted proxies",
                               HTTP_TRUSTED_PROXIES_MAX);
    srv = forum_xcalloc(1, sizeof(*srv));
    srv->config = *config;
    if (srv->config.listen_fd < 0) {
        /* Bind here; the socket is ours to close on failure. */
        rc = http_config_bind(&srv->config, err);
        if (rc != FORUM_OK)
            goto fail;
        own_fd = true;
    }
    http_metrics_init(&srv->metrics);
    atomic_init(&srv->draining, false);
    atomic_init(&srv->suspended, 0);
    atomic_init(&srv->inflight, 0);
    atomic_init(&srv->awaiting, 0);
    if (config->web_dir != NULL) {
        srv->root_real = realpath(config->web_dir, NULL);
        if (srv->root_real == NULL) {
            rc = forum_error_set(err, FORUM_EINVAL, "web", "--web %s: %s",
                                 config->web_dir, strerror(errno));
            goto fail;
        }
    }
    if (pthread_mutex_init(&srv->lock, NULL) != 0) {
        rc = forum_error_set(err, FORUM_EINTERNAL, NULL, "http: mutex init failed");
        goto fail;
    }
    if (pthread_cond_init(&srv->idle, NULL) != 0) {
        pthread_mutex_destroy(&srv->lock);
        rc = forum_error_set(err, FORUM_EINTERNAL, NULL, "http: condvar init failed");
        goto fail;
    }
    for (size_t i = 0; i < HTTP_LOCK_STRIPES; i++)
        pthread_mutex_init(&srv->stripes[i], NULL);
    sync_ready = true;
    prepare_files(srv);
    rc = prepare_sw(srv, err);
    if (rc != FORUM_OK)
        goto fail;

    srv->daemon = MHD_start_daemon(
        flags, srv->config.port, on_accept, srv, on_request, srv,
        MHD_OPTION_LISTEN_SOCKET, (MHD_socket)srv->config.listen_fd,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)config->threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)config->conn_limit,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)config->per_ip_limit,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)config->timeout_s,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)config->conn_memory,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)1024, MHD_OPTION_URI_LOG_CALLBACK,
        on_request_line, srv, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv, MHD_OPTION_EXTERNAL_LOGGER,
        on_mhd_log, srv, MHD_OPTION_END);
    if (srv->daemon == NULL) {
        rc = forum_error_set(err, FORUM_EINTERNAL, "listen",
                             "libmicrohttpd could not start on %s:%u (see the log)",
                             config->listen_addr, (unsigned)srv->config.port);
        goto fail;
    }
    info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = info != NULL && info->port != 0 ? info->port : srv->config.port;
    *out = srv;
    return FORUM_OK;
fail:
    free_prepared(srv);
    if (own_fd)
        close(srv->config.listen_fd);
    if (sync_ready) {
        pthread_cond_destroy(&srv->idle);
        pthread_mutex_destroy(&srv->lock);
        for (size_t i = 0; i < HTTP_LOCK_STRIPES; i++)
            pthread_mutex_destroy(&srv->stripes[i]);
    }
    free(srv->root_real);
    free(srv);
    return rc;
}

uint16_t http_server_port(const struct http_server *server)
{
    return server->port;
}

void http_server_stop(struct http_server *server)
{
    struct timespec deadline;
    long left;

    if (server == NULL)
        return;
    /* 1. Stop accepting: new connections are closed at once from now on
     * (on_accept; the listening socket closes with the daemon, step 3). */
    atomic_store(&server->draining, true);
    /* 2. Let requests in flight finish, for at most drain_s seconds. */
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += (time_t)server->config.drain_s;
    pthread_mutex_lock(&server->lock);
    while (atomic_load(&server->inflight) > 0) {
        if (pthread_cond_timedwait(&server->idle, &server->lock, &deadline) == ETIMEDOUT)
            break;
    }
    left = atomic_load(&server->inflight);
    pthread_mutex_unlock(&server->lock);
    if (left > 0)
        log_warn("http: stopping with %ld request(s) still in flight", left);
    if (atomic_load(&server->suspended) > 0 || atomic_load(&server->awaiting) > 0) {
        /* libmicrohttpd aborts when stopped with suspended connections, and the
         * api still holds their answers: leave the daemon to process exit. */
        log_error("http: %ld answer(s) still pending after %us; not closing the server",
                  (long)atomic_load(&server->awaiting), server->config.drain_s);
        return;
    }
    /* 3. Close every connection and join the threads. */
    MHD_stop_daemon(server->daemon);
    free_prepared(server);
    pthread_cond_destroy(&server->idle);
    pthread_mutex_destroy(&server->lock);
    for (size_t i = 0; i < HTTP_LOCK_STRIPES; i++)
        pthread_mutex_destroy(&server->stripes[i]);
    free(server->root_real);
    free(server);
}

void http_server_metrics_write(struct http_server *server, struct buf *out)
{
    http_metrics_format(&server->metrics, out);
}
