/* SPDX-License-Identifier: MIT */
/*
 * The HTTP server: libmicrohttpd in front of api_handle() and the web pages.
 *
 * http/ is the only module that includes microhttpd.h. It turns requests
 * into struct api_request, serves the files of web/ (embedded at build time,
 * or from a directory while developing), /metrics on loopback, and enforces
 * the connection, size and time limits of docs/operations.md. It knows no
 * JSON and no SQL: its own error bodies are fixed strings of the API's shape.
 *
 * The request lifecycle (src/http/server.c): a context is created when the
 * request line arrives (so that the raw target, with its query and its
 * encoded forms, can be checked before libmicrohttpd decodes it), the body
 * is drained into a buffer capped at API_BODY_MAX, api_handle() runs once
 * the whole request is in, and the context is freed in libmicrohttpd's
 * completion callback. A response that api/ marks pending suspends the
 * connection until its ready() callback; http/ reads resp->pending once,
 * right after api_handle() returns, so api/ must leave it set for a late
 * answer.
 */
#ifndef FORUM_HTTP_H
#define FORUM_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "forum/api.h"
#include "forum/status.h"
#include "forum/util/buf.h"

/* One file of web/, as the build embeds it (see src/http/embed_web.cmake). */
struct http_file {
    const char *path;          /* "/js/api.js": always starts with "/" */
    const unsigned char *data; /* the bytes */
    size_t len;
    const char *content_type; /* e.g. "text/javascript; charset=utf-8" */
    const char *etag;         /* strong ETag with its quotes: "\"sha256-prefix\"" */
};

/* The files of web/ embedded in the binary (generated, do not edit). */
extern const struct http_file http_web_files[];
extern const size_t http_web_files_count;

/*
 * Appends Prometheus text lines to out (the api's own counters). Called on
 * a server thread for each GET /metrics; must be thread-safe.
 */
typedef void (*http_metrics_fn)(void *cls, struct buf *out);

/* Defaults (http_config_init). Each is documented in docs/operations.md. */
#define HTTP_DEFAULT_THREADS 4
#define HTTP_DEFAULT_CONN_LIMIT 4096
#define HTTP_DEFAULT_PER_IP_LIMIT 512
#define HTTP_DEFAULT_TIMEOUT_S 30
#define HTTP_DEFAULT_CONN_MEMORY (32 * 1024)
#define HTTP_DEFAULT_URL_MAX (8 * 1024)
#define HTTP_DEFAULT_HEADERS_MAX (16 * 1024)
#define HTTP_DEFAULT_DRAIN_S 60

/* At most this many --trusted-proxy networks. */
#define HTTP_TRUSTED_PROXIES_MAX 16

/*
 * An address or a network that is trusted as a reverse proxy: its
 * X-Forwarded-For header is believed (see http_forwarded_client()).
 */
struct http_net {
    uint8_t addr[16]; /* IPv6, or IPv4 as mapped (::ffff:a.b.c.d); host bits zero */
    unsigned bits;    /* prefix length over the 128 bits (an IPv4 /n is 96 + n) */
};

struct http_config {
    const char *listen_addr; /* numeric IPv4 or IPv6 address, e.g. "127.0.0.1", "::" */
    uint16_t port;           /* 0 = any free port (see http_server_port()) */
    int listen_fd;           /* a bound, listening socket to use, or -1 (the default) */
    unsigned threads;        /* server threads (epoll each), >= 1 */
    unsigned conn_limit;     /* open connections in all */
    unsigned per_ip_limit;   /* open connections from one address (>= 256: a NAT) */
    unsigned timeout_s;  /* idle connection timeout in seconds (slow clients dropped) */
    size_t conn_memory;  /* per-connection memory for the request line and headers */
    size_t url_max;      /* longest request target (path + query): 414 beyond */
    size_t headers_max;  /* largest header block: 431 beyond */
    unsigned drain_s;    /* at stop, how long requests in flight may still take */
    const char *web_dir; /* serve web/ from this directory, or NULL: embedded files */
    const struct http_file *files; /* the embedded files when web_dir is NULL */
    size_t n_files;
    struct api *api;         /* borrowed: must outlive the server */
    http_metrics_fn metrics; /* optional: extra /metrics lines (api_metrics_write) */
    void *metrics_cls;
    bool access_log; /* one info line per request */
    /* Peers whose X-Forwarded-For names the client (none: the header is ignored).
     * Borrowed: must outlive the server. At most HTTP_TRUSTED_PROXIES_MAX. */
    const struct http_net *trusted_proxies;
    size_t n_trusted_proxies;
};

/*
 * Fills config with the defaults above, no api and no files (forumd sets
 * files = http_web_files, n_files = http_web_files_count).
 */
void http_config_init(struct http_config *config);

/*
 * Parses "ADDR" or "ADDR/BITS" (numeric IPv4 or IPv6, BITS up to 32 or 128)
 * into out; host bits set in ADDR are an error, so that "10.0.0.1/8" is not
 * silently read as 10.0.0.0/8. Returns FORUM_OK or FORUM_EINVAL with detail
 * in err (field "trusted-proxy").
 */
enum forum_status http_net_parse(const char *text, struct http_net *out,
                                 struct forum_error *err);

/* True when the numeric address text (IPv4 or IPv6) lies in one of the n nets. */
bool http_net_contains(const struct http_net *nets, size_t n, const char *text);

/*
 * The client of a request that reached us from peer (numeric address text)
 * with the X-Forwarded-For header values xff[0..n_xff-1], in the order they
 * were received. When peer is not in trusted, the client is peer and the
 * header is ignored. Otherwise the addresses of the header are walked from
 * the right: each one in trusted is another proxy of ours, and the first one
 * that is not is the client (the one our proxies saw; addresses further left
 * were written by the client itself and are not believed). An entry that is
 * not a numeric address stops the walk, and so does the end of the list: the
 * client is then the last trusted address reached. OUT: out (at least
 * INET6_ADDRSTRLEN bytes, IPv4-mapped addresses written as IPv4), loopback
 * (the client is on 127.0.0.0/8 or ::1).
 */
void http_forwarded_client(const struct http_net *trusted, size_t n_trusted,
                           const char *peer, const char *const *xff, size_t n_xff,
                           char *out, bool *loopback);

/* The running server: opaque. */
struct http_server;

/*
 * Parses "ADDR:PORT" or "[IPv6]:PORT" into config->listen_addr (pointing into
 * buffer, which must hold at least strlen(text)+1 bytes and outlive config)
 * and config->port. Returns FORUM_OK or FORUM_EINVAL with detail in err.
 */
enum forum_status http_parse_listen(const char *text, char *buffer,
                                    struct http_config *config, struct forum_error *err);

/*
 * Opens the listening socket now (so that the port is known before the
 * server starts, e.g. for printed links when port is 0): sets
 * config->listen_fd (owned by the server once started; close it yourself if
 * http_server_start() is never called or fails) and config->port to the
 * port actually bound. Returns FORUM_OK, FORUM_EINVAL (bad address) or
 * FORUM_EINTERNAL (bind failed: in use, not permitted) with detail in err.
 */
enum forum_status http_config_bind(struct http_config *config, struct forum_error *err);

/*
 * Binds (unless config->listen_fd is set) and starts serving on config (copied; its
 * strings and files are borrowed and must outlive the server). OUT: out (owned: stop with
 * http_server_stop()). Returns FORUM_OK, FORUM_EINVAL (bad config, e.g. a
 * web_dir that is not a directory) or FORUM_EINTERNAL (bind failed).
 */
enum forum_status http_server_start(const struct http_config *config,
                                    struct http_server **out, struct forum_error *err);

/* The port actually bound (useful with port 0). */
uint16_t http_server_port(const struct http_server *server);

/*
 * Graceful stop: stops accepting connections, lets requests in flight finish
 * (up to config->drain_s seconds), closes every connection and frees server.
 * NULL does nothing. The api may be freed after this returns.
 */
void http_server_stop(struct http_server *server);

/*
 * Writes this layer's Prometheus lines (requests, connections, bytes,
 * latency histogram) to out. Thread-safe.
 */
void http_server_metrics_write(struct http_server *server, struct buf *out);

#endif /* FORUM_HTTP_H */
