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

/* The file that serves "/". */
#define HTTP_ROOT_PAGE "/index.html"

/* A page under /e/{eid}: what follows the event id ("", "/wall"; a suffix
 * ending in "/" then "*", such as the notes', takes one more segment, not
 * empty), and its file. */
struct http_page {
    const char *suffix;
    const char *file;
};

/*
 * The pages under /e/{eid}, one table for http_page_route() and for the
 * service worker's list (release.c). Returns a static array. OUT: n.
 */
const struct http_page *http_event_pages(size_t *n);

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

struct stat;

/* Writes the ETag of a file on disk ("\"<mtime>-<size>-<ino>\"") into out (cap bytes). */
void http_disk_etag(const struct stat *st, char *out, size_t cap);

/*
 * Opens root_real + path (root_real: a realpath() without trailing slash;
 * path: safe and starting with "/"), refusing anything whose real path leaves
 * root_real (symlink escapes) and anything but regular files. OUT: file.
 * Returns FORUM_OK, FORUM_ENOTFOUND or FORUM_EFORBIDDEN.
 */
enum forum_status http_disk_open(const char *root_real, const char *path,
                                 struct http_disk_file *file);

/* The service worker's script: web/sw.js, served at this path. */
#define HTTP_SW_PATH "/sw.js"
/* The most files the service worker's list holds (more: FORUM_EINVAL). */
#define HTTP_RELEASE_FILES_MAX 1024

/*
 * Appends to out the service worker's script for this release: one line
 *
 *     self.FORUMD_RELEASE = {"files":{"/css/app.css":"\"<etag>\"",...},
 *                            "root":"/index.html","pages":{"":"/participant.html",...}};
 *
 * then the bytes of sw, the file web/sw.js. The list holds every web file
 * but sw.js with the ETag it is served with: the embedded files (files, n)
 * when root_real is NULL, else the regular files under root_real (a
 * realpath(), as for http_disk_open(); hidden files and names outside
 * [A-Za-z0-9._/-] are left out, as the build leaves them out). A new
 * release changes an ETag, hence the script's bytes, which is how
 * browsers find out that there is a new release. Returns FORUM_OK,
 * FORUM_EINVAL (out's maximum reached, or more than HTTP_RELEASE_FILES_MAX
 * files), FORUM_ENOMEM or FORUM_EINTERNAL (the directory could not be
 * read).
 */
enum forum_status http_release_script(const struct http_file *files, size_t n,
                                      const char *root_real, const void *sw,
                                      size_t sw_len, struct buf *out);

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
