/* SPDX-License-Identifier: MIT */
/*
 * The JSON boundary: requests in, responses out, with no socket in sight.
 *
 * http/ turns each libmicrohttpd request into a struct api_request and
 * sends back the struct api_response that api_handle() fills. Handlers are
 * data (a route table: method, path pattern, handler, body limit), so every
 * endpoint can be tested by calling api_handle() with a JSON string.
 *
 * api/ is the only module that sees both alloc/ and store/, and the only
 * one that includes jansson.h.
 */
#ifndef FORUM_API_H
#define FORUM_API_H

#include <stdbool.h>
#include <stddef.h>

#include "forum/status.h"

/* The largest request body any route accepts (64 KiB): larger ones get 413. */
#define API_BODY_MAX (64 * 1024)

enum api_method {
    API_GET,
    API_HEAD,
    API_POST,
    API_PUT,
    API_PATCH,
    API_DELETE,
    API_OPTIONS,
    API_OTHER
};

/*
 * One request, as http/ hands it over. Every pointer is borrowed and valid
 * for the duration of api_handle() only.
 */
struct api_request {
    enum api_method method;
    const char *path;          /* percent-decoded path, starts with "/", no query */
    const char *query;         /* the raw query string without '?', or NULL */
    const char *authorization; /* the Authorization header, or NULL */
    const char *content_type;  /* the Content-Type header, or NULL */
    const char *if_none_match; /* the If-None-Match header, or NULL */
    const char *body;          /* the body (not NUL-terminated), or NULL */
    size_t body_len;
    const char *remote_addr; /* the peer's address as text ("127.0.0.1") */
    bool remote_loopback;    /* the peer is on a loopback address */

    /*
     * For asynchronous answers (an allocation runs off the server
     * threads): when a handler sets resp->pending, api/ keeps the response
     * pointer, fills it later from another thread and then calls
     * ready(ready_cls) exactly once. http/ must keep the response alive
     * until then, and send it after ready() has been called.
     */
    void (*ready)(void *ready_cls);
    void *ready_cls;
};

/* One extra header of a response; both strings owned by the response. */
struct api_header {
    char *name;
    char *value;
};

#define API_HEADERS_MAX 6

/*
 * One response. api_response_init() before use, api_response_release()
 * after sending. The body is either owned (freed with body_free(body_cls),
 * or with free(body) when body_free is NULL) or static (body_static set).
 */
struct api_response {
    int status;               /* HTTP status code */
    bool pending;             /* set by api: the answer comes later, see ready() */
    const char *content_type; /* static string, e.g. "application/json" */
    char *body;
    size_t body_len;
    bool body_static;          /* body points to memory that outlives the response */
    void (*body_free)(void *); /* frees body_cls, or NULL */
    void *body_cls;
    struct api_header headers[API_HEADERS_MAX]; /* extra headers, e.g. ETag */
    size_t n_headers;
};

void api_response_init(struct api_response *resp);
void api_response_release(struct api_response *resp);
/* Adds a header (both strings copied). Silently drops past API_HEADERS_MAX. */
void api_response_add_header(struct api_response *resp, const char *name,
                             const char *value);

/* The API's configuration, filled by main from the command line. */
struct api_config {
    const char *db_path;     /* the SQLite database file */
    const char *admin_token; /* the administrator's token (plain text) */
    const char
        *public_url; /* base URL used in printed links, e.g. "http://127.0.0.1:8080" */
};

/* The API's shared state: opaque. Thread-safe once created. */
struct api;

/*
 * Creates the API over config->db_path: opens the database, runs the
 * migrations, starts the allocation worker. OUT: out (owned: free with
 * api_free()). Returns FORUM_OK, or a status with detail in err.
 */
enum forum_status api_new(const struct api_config *config, struct api **out,
                          struct forum_error *err);

/* Stops the worker (waiting for a running allocation), closes every connection. */
void api_free(struct api *api);

/*
 * Answers one request: fills resp (initialised by the caller). Safe to call
 * from many threads at once; each thread gets its own database connection.
 * Every 4xx/5xx has the JSON error body of docs/api.md.
 */
void api_handle(struct api *api, const struct api_request *req,
                struct api_response *resp);

#endif /* FORUM_API_H */
