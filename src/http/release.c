/* SPDX-License-Identifier: MIT */
/*
 * The service worker's script for this release: web/sw.js after one line
 * that lists the web files with their ETags and the page routes, so that
 * the worker caches exactly the files of the release it belongs to, and a
 * new release (another ETag) changes the script's bytes.
 */
#include "internal.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "forum/util/mem.h"

/* How deep the --web directory is walked (web/ has two levels). */
#define RELEASE_DEPTH_MAX 8

/* One file of the list: its path from the web root and its ETag. */
struct release_file {
    char *path; /* owned */
    char etag[64];
};

struct release_list {
    struct release_file *v; /* owned */
    size_t n, cap;
};

static void list_release(struct release_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].path);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

/* The names the build embeds: [A-Za-z0-9._/-], no hidden file (embed_web.cmake). */
static bool name_ok(const char *name)
{
    if (name[0] == '.' || name[0] == '\0')
        return false;
    for (const char *p = name; *p != '\0'; p++) {
        char c = *p;

        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    }
    return name[strlen(name) - 1] != '~';
}

static enum forum_status list_add(struct release_list *l, const char *path,
                                  const char *etag)
{
    if (l->n == HTTP_RELEASE_FILES_MAX)
        return FORUM_EINVAL;
    if (l->n == l->cap) {
        l->cap = l->cap == 0 ? 64 : 2 * l->cap;
        l->v = forum_xrealloc(l->v, l->cap * sizeof(*l->v));
    }
    l->v[l->n].path = forum_xstrdup(path);
    snprintf(l->v[l->n].etag, sizeof(l->v[l->n].etag), "%s", etag);
    l->n++;
    return FORUM_OK;
}

/* Adds the regular files under dir (rel: its path from the root, "" or "/js"). */
static enum forum_status walk(struct release_list *l, const char *dir, const char *rel,
                              int depth)
{
    enum forum_status rc = FORUM_OK;
    struct dirent *e;
    DIR *d;

    if (depth > RELEASE_DEPTH_MAX)
        return FORUM_OK;
    d = opendir(dir);
    if (d == NULL)
        return FORUM_EINTERNAL;
    while (rc == FORUM_OK && (e = readdir(d)) != NULL) {
        char child[PATH_MAX], child_rel[PATH_MAX];
        struct stat st;

        if (!name_ok(e->d_name))
            continue;
        if ((size_t)snprintf(child, sizeof(child), "%s/%s", dir, e->d_name) >=
                sizeof(child) ||
            (size_t)snprintf(child_rel, sizeof(child_rel), "%s/%s", rel, e->d_name) >=
                sizeof(child_rel))
            continue;
        /* Symbolic links are not followed: http_disk_open() refuses escapes anyway. */
        if (lstat(child, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            rc = walk(l, child, child_rel, depth + 1);
        } else if (S_ISREG(st.st_mode) && strcmp(child_rel, HTTP_SW_PATH) != 0) {
            char etag[64];

            http_disk_etag(&st, etag, sizeof(etag));
            rc = list_add(l, child_rel, etag);
        }
    }
    closedir(d);
    return rc;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const struct release_file *)a)->path,
                  ((const struct release_file *)b)->path);
}

/* Appends s as a JSON string; s is printable ASCII (paths and ETags are). */
static enum forum_status append_json_string(struct buf *out, const char *s)
{
    enum forum_status rc = buf_append_char(out, '"');

    for (const char *p = s; rc == FORUM_OK && *p != '\0'; p++) {
        if (*p < 0x20 || *p > 0x7e)
            return FORUM_EINVAL;
        if (*p == '"' || *p == '\\')
            rc = buf_append_char(out, '\\');
        if (rc == FORUM_OK)
            rc = buf_append_char(out, *p);
    }
    if (rc == FORUM_OK)
        rc = buf_append_char(out, '"');
    return rc;
}

/* Appends "key":"value". */
static enum forum_status append_pair(struct buf *out, const char *key, const char *value)
{
    enum forum_status rc = append_json_string(out, key);

    if (rc == FORUM_OK)
        rc = buf_append_char(out, ':');
    if (rc == FORUM_OK)
        rc = append_json_string(out, value);
    return rc;
}

static enum forum_status append_release(const struct release_list *l, struct buf *out)
{
    const struct http_page *pages;
    size_t n_pages;
    enum forum_status rc;

    rc = buf_append_str(out, "self.FORUMD_RELEASE = {\"files\":{");
    for (size_t i = 0; rc == FORUM_OK && i < l->n; i++) {
        if (i > 0)
            rc = buf_append_char(out, ',');
        if (rc == FORUM_OK)
            rc = append_pair(out, l->v[i].path, l->v[i].etag);
    }
    if (rc == FORUM_OK)
        rc = buf_append_str(out, "},");
    if (rc == FORUM_OK)
        rc = append_pair(out, "root", HTTP_ROOT_PAGE);
    if (rc == FORUM_OK)
        rc = buf_append_str(out, ",\"pages\":{");
    pages = http_event_pages(&n_pages);
    for (size_t i = 0; rc == FORUM_OK && i < n_pages; i++) {
        if (i > 0)
            rc = buf_append_char(out, ',');
        if (rc == FORUM_OK)
            rc = append_pair(out, pages[i].suffix, pages[i].file);
    }
    if (rc == FORUM_OK)
        rc = buf_append_str(out, "}};\n");
    return rc;
}

enum forum_status http_release_script(const struct http_file *files, size_t n,
                                      const char *root_real, const void *sw,
                                      size_t sw_len, struct buf *out)
{
    struct release_list l = {NULL, 0, 0};
    enum forum_status rc = FORUM_OK;

    if (root_real != NULL) {
        rc = walk(&l, root_real, "", 0);
        if (rc == FORUM_OK)
            qsort(l.v, l.n, sizeof(*l.v), by_path);
    } else {
        for (size_t i = 0; rc == FORUM_OK && i < n; i++) {
            if (strcmp(files[i].path, HTTP_SW_PATH) != 0)
                rc = list_add(&l, files[i].path, files[i].etag);
        }
    }
    if (rc == FORUM_OK)
        rc = append_release(&l, out);
    if (rc == FORUM_OK)
        rc = buf_append(out, sw, sw_len);
    list_release(&l);
    return rc;
}
