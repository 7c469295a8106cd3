/* SPDX-License-Identifier: MIT */
/*
 * The dispatcher: api_new/api_free, the per-thread database connections,
 * api_handle() (route lookup, failed-auth and write limits, auth, content
 * type, strict JSON, then the handler), the error table and the responses.
 */
#include "forum/api.h"

#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "forum/util/log.h"
#include "forum/util/mem.h"
#include "internal.h"

/* ---- responses ------------------------------------------------------------------ */

void api_response_init(struct api_response *resp)
{
    memset(resp, 0, sizeof(*resp));
    resp->status = 500;
}

void api_response_release(struct api_response *resp)
{
    if (!resp->body_static) {
        if (resp->body_free != NULL)
            resp->body_free(resp->body_cls);
        else
            free(resp->body);
    }
    for (size_t i = 0; i < resp->n_headers; i++) {
        free(resp->headers[i].name);
        free(resp->headers[i].value);
    }
    api_response_init(resp);
}

void api_response_add_header(struct api_response *resp, const char *name,
                             const char *value)
{
    if (resp->n_headers >= API_HEADERS_MAX)
        return;
    resp->headers[resp->n_headers].name = forum_xstrdup(name);
    resp->headers[resp->n_headers].value = forum_xstrdup(value);
    resp->n_headers++;
}

/* Drops a body already set (a handler that answered twice keeps the last). */
static void body_clear(struct api_response *resp)
{
    if (!resp->body_static) {
        if (resp->body_free != NULL)
            resp->body_free(resp->body_cls);
        else
            free(resp->body);
    }
    resp->body = NULL;
    resp->body_len = 0;
    resp->body_static = false;
    resp->body_free = NULL;
    resp->body_cls = NULL;
}

void api__text(struct api_ctx *c, int status, const char *content_type, char *body,
               size_t len)
{
    body_clear(c->resp);
    c->resp->status = status;
    c->resp->content_type = content_type;
    c->resp->body = body;
    c->resp->body_len = len;
    c->done = true;
}

void api__json(struct api_ctx *c, int status, json_t *doc)
{
    char *text = json_dumps(doc, JSON_COMPACT);

    json_decref(doc);
    if (text == NULL) {
        api__error(c, 500, "internal", NULL, "could not render the answer");
        return;
    }
    api__text(c, status, "application/json", text, strlen(text));
}

void api__no_content(struct api_ctx *c)
{
    body_clear(c->resp);
    c->resp->status = 204;
    c->resp->content_type = NULL;
    c->done = true;
}

/* Fills the error response; extra's members (stolen, may be NULL) go beside "error". */
static void error_doc(struct api_ctx *c, int status, const char *code, const char *field,
                      json_t *extra, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 0)))
#endif
    ;

static void error_doc(struct api_ctx *c, int status, const char *code, const char *field,
                      json_t *extra, const char *fmt, va_list ap)
{
    char msg[FORUM_ERROR_MSG_MAX];
    json_t *e, *doc, *m;

    vsnprintf(msg, sizeof(msg), fmt, ap);
    e = json_object();
    json_object_set_new(e, "code", json_string(code));
    /* Messages may quote input: keep only what is valid UTF-8. */
    m = json_string(msg);
    json_object_set_new(e, "message", m != NULL ? m : json_string("invalid input"));
    if (field != NULL && field[0] != '\0')
        json_object_set_new(e, "field",
                            json_string(field)); /* NULL if not UTF-8: skipped */
    doc = json_is_object(extra) ? extra : json_object();
    if (extra != NULL && doc != extra)
        json_decref(extra);
    json_object_set_new(doc, "error", e);
    api__json(c, status, doc);
}

void api__error(struct api_ctx *c, int status, const char *code, const char *field,
                const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_doc(c, status, code, field, NULL, fmt, ap);
    va_end(ap);
}

void api__error_with(struct api_ctx *c, int status, const char *code, const char *field,
                     json_t *extra, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_doc(c, status, code, field, extra, fmt, ap);
    va_end(ap);
}

/* The one status table: store statuses to HTTP. */
static const struct {
    enum forum_status rc;
    int status;
    const char *code;
} status_table[] = {
    {FORUM_EINVAL, 422, "invalid"},     {FORUM_ENOTFOUND, 404, "not_found"},
    {FORUM_ECONFLICT, 409, "conflict"}, {FORUM_EFORBIDDEN, 403, "forbidden"},
    {FORUM_ESTORE, 503, "unavailable"}, {FORUM_ENOMEM, 500, "internal"},
    {FORUM_EINTERNAL, 500, "internal"},
};

void api__fail(struct api_ctx *c, enum forum_status rc, const struct forum_error *err)
{
    const char *msg = err != NULL && err->msg[0] ? err->msg : forum_status_str(rc);
    const char *field = err != NULL ? err->field : NULL;

    for (size_t i = 0; i < sizeof(status_table) / sizeof(status_table[0]); i++) {
        if (status_table[i].rc == rc) {
            if (status_table[i].status >= 500)
                log_error("%s: %s", c->route ? c->route->name : "api", msg);
            api__error(c, status_table[i].status, status_table[i].code, field, "%s", msg);
            return;
        }
    }
    api__error(c, 500, "internal", NULL, "%s", msg);
}

bool api__failed(struct api_ctx *c, enum forum_status rc, const struct forum_error *err)
{
    if (rc == FORUM_OK)
        return false;
    api__fail(c, rc, err);
    return true;
}

const void *api__by_id(const void *v, size_t n, size_t size, const char *id)
{
    for (size_t i = 0; id != NULL && i < n; i++) {
        const void *x = (const char *)v + i * size;
        /* Every such struct starts with its id: a pointer to it converts to a
         * pointer to that first member. */
        const char *const *xid = x;
        if (*xid != NULL && strcmp(*xid, id) == 0)
            return x;
    }
    return NULL;
}

json_t *api__strv_json(const struct store_strv *sv)
{
    json_t *arr = json_array();

    for (size_t i = 0; i < sv->n; i++)
        json_array_append_new(arr, json_string(sv->v[i]));
    return arr;
}

bool api__phase_open(struct api_ctx *c, bool open, const char *code, const char *what)
{
    if (open || api__is_facilitator(c))
        return true;
    api__error(c, 409, code, NULL, "%s are closed for this event", what);
    return false;
}

/* ---- connections --------------------------------------------------------------------
 */

static void conn_destroy(void *p)
{
    struct api_conn *conn = p, **pp;
    struct api *api = conn->api;

    pthread_mutex_lock(&api->mu);
    for (pp = &api->conns; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == conn) {
            *pp = conn->next;
            break;
        }
    }
    pthread_mutex_unlock(&api->mu);
    store_close(conn->store);
    free(conn);
}

struct store *api__store(struct api *api, struct forum_error *err)
{
    struct api_conn *conn = pthread_getspecific(api->key);
    struct store *s;

    if (conn != NULL)
        return conn->store;
    if (store_open(api->db_path, &s, err) != FORUM_OK)
        return NULL;
    conn = forum_xcalloc(1, sizeof(*conn));
    conn->api = api;
    conn->store = s;
    pthread_mutex_lock(&api->mu);
    conn->next = api->conns;
    api->conns = conn;
    pthread_mutex_unlock(&api->mu);
    pthread_setspecific(api->key, conn);
    return s;
}

/* ---- lifecycle ------------------------------------------------------------------------
 */

enum forum_status api_new(const struct api_config *config, struct api **out,
                          struct forum_error *err)
{
    struct api *api = forum_xcalloc(1, sizeof(*api));
    struct store *s;
    enum forum_status rc;
    double minute = 60.0;

    *out = NULL;
    json_set_alloc_funcs(forum_xmalloc, free);
    api->db_path = forum_xstrdup(config->db_path ? config->db_path : "forumd.db");
    api->public_url =
        forum_xstrdup(config->public_url ? config->public_url : "http://127.0.0.1:8080");
    pthread_mutex_init(&api->mu, NULL);
    pthread_rwlock_init(&api->cache_mu, NULL);
    pthread_mutex_init(&api->job_mu, NULL);
    pthread_mutex_init(&api->write_mu, NULL);
    pthread_cond_init(&api->job_cv, NULL);
    api__limiter_init(&api->writes);
    api__limiter_init(&api->failures);
    api->write_burst = config->write_burst ? config->write_burst : 60;
    api->write_rate =
        (config->write_per_minute ? config->write_per_minute : 120) / minute;
    api->fail_burst =
        config->auth_failures_per_minute ? config->auth_failures_per_minute : 20;
    api->fail_rate = api->fail_burst / minute;
    if (pthread_key_create(&api->key, conn_destroy) != 0) {
        pthread_mutex_destroy(&api->mu);
        free(api->db_path);
        free(api->public_url);
        free(api);
        return forum_error_set(err, FORUM_EINTERNAL, NULL, "no thread-local key left");
    }
    s = api__store(api, err);
    if (s == NULL) {
        rc = err != NULL && err->code ? err->code : FORUM_ESTORE;
        goto fail;
    }
    rc = store_migrate(s, 0, err);
    if (rc == FORUM_OK)
        rc = store_admin_init(
            s, config->admin_token && config->admin_token[0] ? config->admin_token : NULL,
            api->generated_admin, err);
    if (rc == FORUM_OK)
        rc = api__worker_start(api, err);
    if (rc != FORUM_OK)
        goto fail;
    *out = api;
    return FORUM_OK;
fail:
    api_free(api);
    return rc;
}

void api_free(struct api *api)
{
    if (api == NULL)
        return;
    api__worker_stop(api);
    pthread_key_delete(api->key);
    while (api->conns != NULL) {
        struct api_conn *conn = api->conns;
        api->conns = conn->next;
        store_close(conn->store);
        free(conn);
    }
    api__cache_drop(api, NULL);
    api__limiter_release(&api->writes);
    api__limiter_release(&api->failures);
    pthread_cond_destroy(&api->job_cv);
    pthread_mutex_destroy(&api->job_mu);
    pthread_mutex_destroy(&api->write_mu);
    pthread_rwlock_destroy(&api->cache_mu);
    pthread_mutex_destroy(&api->mu);
    free(api->db_path);
    free(api->public_url);
    free(api);
}

const char *api_generated_admin_token(struct api *api)
{
    return api->generated_admin[0] ? api->generated_admin : NULL;
}

/* ---- roles ---------------------------------------------------------------------------
 */

bool api__is_facilitator(const struct api_ctx *c)
{
    if (!c->authed)
        return false;
    if (c->who.role == STORE_ROLE_ADMIN)
        return true;
    return c->who.role == STORE_ROLE_FACILITATOR &&
           strcmp(c->who.event_id, CTX_EID(c)) == 0;
}

bool api__is_participant(const struct api_ctx *c)
{
    return c->authed && c->who.role == STORE_ROLE_PARTICIPANT &&
           strcmp(c->who.event_id, CTX_EID(c)) == 0;
}

/* ---- routing
 * --------------------------------------------------------------------------- */

static const char *const method_names[] = {"GET",   "HEAD",   "POST",    "PUT",
                                           "PATCH", "DELETE", "OPTIONS", "OTHER"};

/*
 * Paths are matched segment by segment against the patterns, compiled once:
 * a route with another number of segments is skipped at once, and segments
 * are compared from the last, where the routes differ most. The schedule's
 * hot path does a handful of comparisons.
 */
#define SEGMENTS_MAX 10

struct segment {
    const char *s; /* NULL: a '*' parameter */
    size_t len;
};

static struct compiled {
    struct segment seg[SEGMENTS_MAX];
    size_t n;
} * compiled;
static pthread_once_t compiled_once = PTHREAD_ONCE_INIT;

/* Splits path into at most SEGMENTS_MAX segments. Returns the count, or -1. */
static int split(const char *path, struct segment *seg)
{
    int n = 0;

    if (path[0] != '/')
        return -1;
    for (const char *p = path + 1;;) {
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (n == SEGMENTS_MAX)
            return -1;
        seg[n].s = p;
        seg[n].len = len;
        n++;
        if (end == NULL)
            return n;
        p = end + 1;
    }
}

/* Compiles the route table once per process (it is static data). */
static void compile_routes(void)
{
    compiled = forum_xcalloc(api_routes_count, sizeof(*compiled));
    for (size_t i = 0; i < api_routes_count; i++) {
        int n = split(api_routes[i].pattern, compiled[i].seg);
        unsigned f = api_routes[i].flags;
        assert(n > 0);
        /* The table's own consistency: a token is checked in the database,
         * an event is loaded from it, the event is the first parameter. */
        assert(api_routes[i].role == API_ROLE_ANYONE || (f & API_STORE));
        assert(!(f & (API_EVENT | API_WRITES)) || (f & API_STORE));
        assert(!(f & API_EVENT) || strchr(api_routes[i].pattern, '*') != NULL);
        assert(!((f & API_WRITES) && (f & API_QUEUES)));
        /* The metrics keep one row per route and one for the unrouted. */
        assert(api_routes_count < 127);
        (void)f;
        compiled[i].n = (size_t)n;
        for (int k = 0; k < n; k++)
            if (compiled[i].seg[k].len == 1 && compiled[i].seg[k].s[0] == '*')
                compiled[i].seg[k].s = NULL;
    }
}

/* Matches the split path against route i, capturing the '*' segments. */
static bool match(size_t i, const struct segment *path, size_t n, struct api_ctx *c)
{
    const struct compiled *r = &compiled[i];
    size_t k, np = 0;

    if (r->n != n)
        return false;
    for (k = n; k-- > 0;) {
        if (r->seg[k].s == NULL) {
            if (path[k].len == 0 || path[k].len > API_PARAM_MAX)
                return false;
        } else if (r->seg[k].len != path[k].len ||
                   memcmp(r->seg[k].s, path[k].s, path[k].len) != 0) {
            return false;
        }
    }
    for (k = 0; k < n; k++) {
        if (r->seg[k].s == NULL && np < API_PARAMS) {
            memcpy(c->param[np], path[k].s, path[k].len);
            c->param[np][path[k].len] = '\0';
            np++;
        }
    }
    c->n_params = np;
    return true;
}

/* ---- auth
 * ------------------------------------------------------------------------------- */

/* OUT: token, the bearer token of the header (borrowed), or NULL when malformed. */
static const char *bearer(const char *header)
{
    const char *t;

    if (strncasecmp(header, "Bearer ", 7) != 0)
        return NULL;
    t = header + 7;
    while (*t == ' ')
        t++;
    if (*t == '\0' || strlen(t) > 256)
        return NULL;
    for (const char *q = t; *q; q++)
        if (!isgraph((unsigned char)*q))
            return NULL;
    return t;
}

static const char *addr_key(const struct api_request *req)
{
    return req->remote_addr != NULL ? req->remote_addr : "?";
}

void api__auth_failed(struct api_ctx *c)
{
    atomic_fetch_add(&c->api->metrics.auth_failures, 1);
    api__limiter_take(&c->api->failures, addr_key(c->req), c->api->fail_burst,
                      c->api->fail_rate);
}

static void too_many(struct api_ctx *c, unsigned wait, const char *code, const char *msg)
{
    char secs[32];

    atomic_fetch_add(&c->api->metrics.rate_limited, 1);
    api__error(c, 429, code, NULL, "%s", msg);
    snprintf(secs, sizeof(secs), "%u", wait ? wait : 1);
    api_response_add_header(c->resp, "Retry-After", secs);
}

bool api__failures_blocked(struct api_ctx *c)
{
    unsigned wait = api__limiter_peek(&c->api->failures, addr_key(c->req),
                                      c->api->fail_burst, c->api->fail_rate);

    if (wait == 0)
        return false;
    too_many(c, wait, "too_many_failures", "too many failed attempts from this address");
    return true;
}

/* Returns true when the request may go on; otherwise the response is filled. */
static bool authenticate(struct api_ctx *c)
{
    enum api_role role = c->route->role;
    const char *hdr = c->req->authorization, *token;
    struct forum_error err;
    enum forum_status rc;
    unsigned wait;

    if (role == API_ROLE_ANYONE)
        return true;
    if (hdr == NULL || hdr[0] == '\0') {
        if (role == API_ROLE_OPTIONAL)
            return true;
        api__error(c, 401, "unauthorized", NULL,
                   "this needs a token (Authorization: Bearer)");
        return false;
    }
    /*
     * An address over its failure limit gets 429 for every token that does
     * not authenticate, but a valid token is still served: a whole venue
     * may share one NAT address, and one phone with a stale token must not
     * lock everyone out. Guessing a 128-bit token stays hopeless either way.
     */
    wait = api__limiter_peek(&c->api->failures, addr_key(c->req), c->api->fail_burst,
                             c->api->fail_rate);
    token = bearer(hdr);
    rc = FORUM_ENOTFOUND;
    forum_error_clear(&err);
    if (token != NULL)
        rc = store_auth_lookup(c->store, token, &c->who, &err);
    if (rc == FORUM_ENOTFOUND || (rc == FORUM_OK && c->who.role == STORE_ROLE_FEED)) {
        if (wait > 0) {
            too_many(c, wait, "too_many_failures",
                     "too many failed authentications from this address");
            return false;
        }
        api__auth_failed(c);
        api__error(c, 401, "unauthorized", NULL,
                   token ? "unknown token" : "malformed Authorization header");
        return false;
    }
    if (rc != FORUM_OK) {
        api__fail(c, rc, &err);
        return false;
    }
    c->authed = true;
    switch (role) {
    case API_ROLE_ADMIN:
        if (c->who.role == STORE_ROLE_ADMIN)
            return true;
        break;
    case API_ROLE_FACILITATOR:
        if (api__is_facilitator(c))
            return true;
        break;
    case API_ROLE_PARTICIPANT:
        if (api__is_participant(c))
            return true;
        break;
    case API_ROLE_MEMBER:
        if (api__is_participant(c) || api__is_facilitator(c))
            return true;
        break;
    default:
        return true;
    }
    api__error(c, 403, "forbidden", NULL, "this token does not give that right");
    return false;
}

/* The write limit, per token holder. */
static bool write_allowed(struct api_ctx *c)
{
    char key[2 * STORE_ID_MAX + 8];
    double factor;
    unsigned wait;

    if (!c->authed || (c->route->flags & (API_WRITES | API_QUEUES)) == 0)
        return true;
    snprintf(key, sizeof(key), "%d/%s/%s", (int)c->who.role, c->who.event_id,
             c->who.participant_id);
    factor = c->who.role == STORE_ROLE_PARTICIPANT ? 1.0 : 10.0;
    wait = api__limiter_take(&c->api->writes, key, c->api->write_burst * factor,
                             c->api->write_rate * factor);
    if (wait == 0)
        return true;
    too_many(c, wait, "rate_limited", "too many writes with this token: slow down");
    return false;
}

void api__count(struct api *api, size_t route, int status)
{
    int cls = status / 100;

    if (cls < 1 || cls > 5)
        cls = 5;
    if (route > 127)
        route = 127;
    atomic_fetch_add(&api->metrics.requests[route][cls], 1);
}

void api_handle(struct api *api, const struct api_request *req, struct api_response *resp)
{
    struct api_ctx c;
    enum api_method method = req->method == API_HEAD ? API_GET : req->method;
    char allow[64] = "";
    bool path_known = false;
    struct forum_error err;
    struct segment seg[SEGMENTS_MAX];
    int n_seg;

    memset(&c, 0, sizeof(c));
    c.api = api;
    c.req = req;
    c.resp = resp;
    c.route_index = api_routes_count;
    pthread_once(&compiled_once, compile_routes);
    n_seg = split(req->path ? req->path : "", seg);
    for (size_t i = 0; n_seg > 0 && i < api_routes_count; i++) {
        if (!match(i, seg, (size_t)n_seg, &c))
            continue;
        path_known = true;
        if (api_routes[i].method == method) {
            c.route = &api_routes[i];
            c.route_index = i;
            break;
        }
        if (strstr(allow, method_names[api_routes[i].method]) == NULL) {
            if (allow[0])
                strcat(allow, ", ");
            strcat(allow, method_names[api_routes[i].method]);
            if (api_routes[i].method == API_GET)
                strcat(allow, ", HEAD");
        }
    }
    if (c.route == NULL) {
        if (path_known) {
            api__error(&c, 405, "method_not_allowed", NULL, "use %s on this path", allow);
            api_response_add_header(resp, "Allow", allow);
        } else {
            api__error(&c, 404, "not_found", NULL, "no such resource");
        }
        goto out;
    }
    if (c.route->flags & API_STORE) {
        forum_error_clear(&err);
        c.store = api__store(api, &err);
        if (c.store == NULL) {
            api__error(&c, 503, "unavailable", NULL, "the database cannot be opened");
            goto out;
        }
    }
    if (!authenticate(&c) || !write_allowed(&c))
        goto out;
    if (c.route->body_max > 0) {
        if (req->body_len > c.route->body_max) {
            api__error(&c, 413, "too_large", NULL, "the body is over %zu bytes",
                       c.route->body_max);
            goto out;
        }
        if (!api__parse_body(&c))
            goto out;
    }
    if (c.route->flags & API_EVENT) {
        enum forum_status rc;
        forum_error_clear(&err);
        rc = store_event_get(c.store, CTX_EID(&c), &c.event, &err);
        if (rc != FORUM_OK) {
            api__fail(&c, rc, &err);
            goto out;
        }
        c.has_event = true;
    }
    if (c.route->flags & API_WRITES) {
        pthread_mutex_lock(&api->write_mu);
        c.route->handler(&c);
        pthread_mutex_unlock(&api->write_mu);
    } else {
        c.route->handler(&c);
    }
    if (!c.done && !resp->pending)
        api__error(&c, 500, "internal", NULL, "no answer");
out:
    json_decref(c.body);
    store_event_release(&c.event);
    if (!resp->pending)
        api__count(api, c.route_index, resp->status);
}

/* ---- health and metrics
 * --------------------------------------------------------------------- */

void api__health(struct api_ctx *c)
{
    json_t *doc = json_object();

    if (c->store == NULL || store_ping(c->store) != FORUM_OK) {
        json_decref(doc);
        api__error(c, 503, "unavailable", NULL, "the database does not answer");
        return;
    }
    json_object_set_new(doc, "status", json_string("ok"));
    api__json(c, 200, doc);
}

void api_metrics_write(struct api *api, struct buf *out)
{
    struct api_metrics *m = &api->metrics;

    buf_append_str(out, "# HELP forumd_api_requests_total API requests by route and "
                        "status class.\n# TYPE forumd_api_requests_total counter\n");
    for (size_t r = 0; r <= api_routes_count && r < 128; r++) {
        for (int cls = 1; cls <= 5; cls++) {
            unsigned long n = atomic_load(&m->requests[r][cls]);
            if (n == 0)
                continue;
            buf_printf(out,
                       "forumd_api_requests_total{route=\"%s\",status=\"%dxx\"} %lu\n",
                       r < api_routes_count ? api_routes[r].name : "unrouted", cls, n);
        }
    }
#define COUNTER(name, field, help)                                                       \
    buf_printf(out, "# HELP " name " " help "\n# TYPE " name " counter\n" name " %lu\n", \
               (unsigned long)atomic_load(&m->field))
    COUNTER("forumd_votes_total", votes, "Votes cast or changed.");
    COUNTER("forumd_allocations_total", allocations, "Allocations computed and stored.");
    COUNTER("forumd_allocation_failures_total", allocation_failures,
            "Allocations that could not be computed or stored.");
    COUNTER("forumd_rate_limited_total", rate_limited, "Requests answered 429.");
    COUNTER("forumd_auth_failures_total", auth_failures, "Failed authentications.");
    COUNTER("forumd_schedule_cache_hits_total", cache_hits,
            "Schedule reads served from memory.");
    COUNTER("forumd_schedule_cache_misses_total", cache_misses,
            "Schedule reads that went to the database.");
    COUNTER("forumd_schedule_not_modified_total", not_modified,
            "Schedule reads answered 304.");
#undef COUNTER
    {
        int64_t used, highwater, cache;

        store_memory(&used, &highwater, &cache);
        buf_printf(out,
                   "# HELP forumd_sqlite_memory_bytes Memory SQLite holds, all "
                   "connections.\n# TYPE forumd_sqlite_memory_bytes gauge\n"
                   "forumd_sqlite_memory_bytes %lld\n"
                   "# HELP forumd_sqlite_memory_highwater_bytes The most SQLite has "
                   "held.\n# TYPE forumd_sqlite_memory_highwater_bytes gauge\n"
                   "forumd_sqlite_memory_highwater_bytes %lld\n"
                   "# HELP forumd_sqlite_page_cache_bytes The part of it in page "
                   "caches.\n# TYPE forumd_sqlite_page_cache_bytes gauge\n"
                   "forumd_sqlite_page_cache_bytes %lld\n",
                   (long long)used, (long long)highwater, (long long)cache);
    }
}
