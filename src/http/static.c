/* SPDX-License-Identifier: MIT */
/*
 * The web pages: path checks, page routes, content types, the embedded
 * files and, while developing, files read from a directory (--web DIR).
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* True when c (any case) is one of the hex digits in set (upper case). */
static bool hex_in(char c, const char *set)
{
    char u = (c >= 'a' && c <= 'f') ? (char)(c - 'a' + 'A') : c;

    return u != '\0' && strchr(set, u) != NULL;
}

/*
 * True when the first n bytes of raw hold an encoding that only an attacker
 * sends: %2e (dot), %2f (slash), %5c (backslash), %00 (NUL) or %25 (an
 * encoded percent, i.e. double encoding such as %252e).
 */
static bool has_bad_escape(const char *raw, size_t n)
{
    const char *p = raw, *end = raw + n;

    while ((p = memchr(p, '%', (size_t)(end - p))) != NULL) {
        if (end - p < 3)
            return false;
        if ((p[1] == '2' && hex_in(p[2], "EF5")) || (p[1] == '5' && hex_in(p[2], "C")) ||
            (p[1] == '0' && p[2] == '0'))
            return true;
        p++;
    }
    return false;
}

bool http_path_is_safe(const char *raw, const char *path)
{
    size_t raw_len;

    if (raw == NULL || path == NULL || path[0] != '/')
        return false;
    raw_len = strcspn(raw, "?#");
    if (has_bad_escape(raw, raw_len))
        return false;
    if (memchr(raw, '\\', raw_len) != NULL || strchr(path, '\\') != NULL)
        return false;
    /* Every segment of the decoded path: no "." and no "..". */
    for (const char *seg = path + 1;; seg++) {
        size_t len = strcspn(seg, "/");

        if ((len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.'))
            return false;
        seg += len;
        if (*seg == '\0')
            break;
    }
    return true;
}

/* The pages under /e/{eid}: what follows the event id, and the file that serves it. */
static const struct http_page event_pages[] = {
    {"", "/participant.html"},
    {"/", "/participant.html"},
    {"/facilitate", "/facilitate.html"},
    {"/wall", "/wall.html"},
    {"/proceedings", "/proceedings.html"},
    {"/print/doors", "/print.html"},
    {"/print/poster", "/print.html"},
    {"/print/flyer", "/print.html"},
    /* "*": one more segment, not empty (a session's id). */
    {"/notes/*", "/notes.html"},
};

/* True when rest is suffix, or suffix ends with a '*' segment and rest is
 * what comes before it and one more segment, not empty. */
static bool page_matches(const char *rest, const char *suffix)
{
    size_t n = strlen(suffix);

    if (n >= 2 && strcmp(suffix + n - 2, "/*") == 0)
        return strncmp(rest, suffix, n - 1) == 0 && rest[n - 1] != '\0' &&
               strchr(rest + n - 1, '/') == NULL;
    return strcmp(rest, suffix) == 0;
}

const struct http_page *http_event_pages(size_t *n)
{
    *n = sizeof(event_pages) / sizeof(event_pages[0]);
    return event_pages;
}

const char *http_page_route(const char *path)
{
    const char *eid, *rest;
    size_t eid_len;

    if (strcmp(path, "/") == 0)
        return HTTP_ROOT_PAGE;
    if (strcmp(path, "/admin") == 0 || strcmp(path, "/admin/") == 0)
        return "/admin.html";
    if (strncmp(path, "/e/", 3) != 0)
        return path;
    eid = path + 3;
    eid_len = strcspn(eid, "/");
    if (eid_len == 0)
        return path;
    rest = eid + eid_len;
    for (size_t i = 0; i < sizeof(event_pages) / sizeof(event_pages[0]); i++) {
        if (page_matches(rest, event_pages[i].suffix))
            return event_pages[i].file;
    }
    return path;
}

bool http_api_alias(const char *path, char *out, size_t cap)
{
    static const char *const docs[] = {"/proceedings.md", "/proceedings.json"};
    const char *eid, *rest;
    size_t eid_len;
    int n;

    if (strncmp(path, "/e/", 3) != 0)
        return false;
    eid = path + 3;
    eid_len = strcspn(eid, "/");
    if (eid_len == 0)
        return false;
    rest = eid + eid_len;
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        if (strcmp(rest, docs[i]) != 0)
            continue;
        n = snprintf(out, cap, "/api/v1/events/%.*s%s", (int)eid_len, eid, docs[i]);
        return n > 0 && (size_t)n < cap;
    }
    return false;
}

const char *http_content_type(const char *path)
{
    static const struct {
        const char *ext;
        const char *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".webmanifest", "application/manifest+json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".gif", "image/gif"},
        {".webp", "image/webp"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".woff", "font/woff"},
        {".txt", "text/plain; charset=utf-8"},
        {".map", "application/json"},
    };
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash != NULL ? slash : path, '.');

    if (dot != NULL) {
        for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
            if (strcasecmp(dot, types[i].ext) == 0)
                return types[i].type;
        }
    }
    return "application/octet-stream";
}

const struct http_file *http_files_find(const struct http_file *files, size_t n,
                                        const char *path)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(files[i].path, path) == 0)
            return &files[i];
    }
    return NULL;
}

void http_disk_etag(const struct stat *st, char *out, size_t cap)
{
    snprintf(out, cap, "\"%llx-%llx-%llx\"", (unsigned long long)st->st_mtime,
             (unsigned long long)st->st_size, (unsigned long long)st->st_ino);
}

enum forum_status http_disk_open(const char *root_real, const char *path,
                                 struct http_disk_file *file)
{
    char joined[PATH_MAX];
    char real[PATH_MAX];
    size_t root_len = strlen(root_real);
    struct stat st;
    int fd = -1;
    int n;

    file->fd = -1;
    n = snprintf(joined, sizeof(joined), "%s%s", root_real, path);
    if (n < 0 || (size_t)n >= sizeof(joined))
        return FORUM_ENOTFOUND;
    if (realpath(joined, real) == NULL)
        return errno == EACCES ? FORUM_EFORBIDDEN : FORUM_ENOTFOUND;
    /* The resolved file must stay under the root: no symlink escapes. */
    if (strncmp(real, root_real, root_len) != 0 || real[root_len] != '/')
        return FORUM_EFORBIDDEN;
    fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return errno == EACCES ? FORUM_EFORBIDDEN : FORUM_ENOTFOUND;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return FORUM_ENOTFOUND;
    }
    file->fd = fd;
    file->size = (uint64_t)st.st_size;
    file->content_type = http_content_type(real);
    http_disk_etag(&st, file->etag, sizeof(file->etag));
    return FORUM_OK;
}
