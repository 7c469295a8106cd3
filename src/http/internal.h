/* SPDX-License-Identifier: MIT */
/*
 * Declarations shared inside src/http/: static files and page routes
 * (static.c), counters (metrics.c). Nothing here is seen outside http/.
 */
#ifndef FORUM_HTTP_INTERNAL_H
#define FORUM_HTTP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "forum/http.h"
#include "forum/util/buf.h"

/*
 * Checks a request target before any routing or file access. raw is the
 * target as received (percent-encoded, query included); path is the
 * decoded path. Refuses "." and ".." segments (plain, %2e-encoded or
 * double-encoded as %252e), encoded slashes and backslashes, NUL bytes and
 * backslashes. Returns true when the path is safe to route.
 */
bool http_path_is_safe(const char *raw, const char *path);

/*
 * Maps a page route to the file that serves it: "/" to "/index.html",
 * "/e/{eid}" to "/participant.html", "/e/{eid}/facilitate" to
 * "/facilitate.html", "/e/{eid}/wall" to "/wall.html",
 * "/e/{eid}/notes/{session}" to "/notes.html", "/e/{eid}/proceedings" to
 * "/proceedings.html", "/e/{eid}/print/{doors,poster,flyer}" to
 * "/print.html". Any other path is returned as it is. Returns a borrowed
 * pointer (static or path itself).
 */
const char *http_page_route(const char *path);

/*
 * The documents an event's pages link to beside them: "/e/{eid}/proceedings.md"
 * and "/e/{eid}/proceedings.json" are served by the API at
 * "/api/v1/events/{eid}/proceedings.md" (.json). Writes that path into out
 * (cap bytes) and returns true for those; false for any other path.
 */
bool http_api_alias(const char *path, char *out, size_t cap);

/* Returns the content type for a file name, from its extension (static string). */
const char *http_content_type(const char *path);

/* Finds path among the embedded files. Returns a borrowed entry or NULL. */
const struct http_file *http_files_find(const struct http_file *files, size_t n,
                                        const char *path);

/* A file found on disk under the web directory. */
struct http_disk_file {
    int fd; /* owned: open for reading */
    uint64_t size;
    const char *content_type; /* static */
    char etag[64];            /* "\"<mtime>-<size>-<ino>\"" */
};

/*
 * Opens root_real + path (root_real: a realpath() without trailing slash;
 * path: safe and starting with "/"), refusing anything whose real path leaves
 * root_real (symlink escapes) and anything but regular files. OUT: file.
 * Returns FORUM_OK, FORUM_ENOTFOUND or FORUM_EFORBIDDEN.
 */
enum forum_status http_disk_open(const char *root_real, const char *path,
                                 struct http_disk_file *file);

/* Latency histogram bucket bounds in microseconds (the last is +Inf). */
#define HTTP_LATENCY_BUCKETS 14

/* Counters of the http layer: all updated with relaxed atomics. */
struct http_metrics {
    _Atomic uint64_t requests[6]; /* by status class: [0] none/aborted, [1..5] 1xx..5xx */
    _Atomic uint64_t connections_total;
    _Atomic int64_t connections_open;
    _Atomic uint64_t bytes_in;  /* request body bytes received */
    _Atomic uint64_t bytes_out; /* response body bytes queued */
    _Atomic uint64_t latency_bucket[HTTP_LATENCY_BUCKETS];
    _Atomic uint64_t latency_sum_us;
    _Atomic uint64_t
        requests_rejected; /* answered by http itself with 4xx before the api */
};

void http_metrics_init(struct http_metrics *m);
/* Records one finished request: status 0 when none was sent. */
void http_metrics_request(struct http_metrics *m, int status, uint64_t micros,
                          uint64_t bytes_in, uint64_t bytes_out);
/* Appends the Prometheus text of m to out. */
void http_metrics_format(const struct http_metrics *m, struct buf *out);

#endif /* FORUM_HTTP_INTERNAL_H */
