/* SPDX-License-Identifier: MIT */
/*
 * A test double of the api/ interface, enough to drive the http layer:
 * echo, late answers from another thread, fixed errors. Linked only into
 * tests/http (never into forumd).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fake_api.h"
#include "forum/util/mem.h"

void api_response_init(struct api_response *resp)
{
    memset(resp, 0, sizeof(*resp));
    resp->status = 500;
    resp->content_type = "application/json";
}

void api_response_release(struct api_response *resp)
{
    if (resp->body != NULL && !resp->body_static) {
        if (resp->body_free != NULL)
            resp->body_free(resp->body_cls);
        else
            free(resp->body);
    }
    for (size_t i = 0; i < resp->n_headers; i++) {
        free(resp->headers[i].name);
        free(resp->headers[i].value);
    }
    memset(resp, 0, sizeof(*resp));
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

static void set_static(struct api_response *resp, int status, const char *body)
{
    resp->status = status;
    resp->body = (char *)(uintptr_t)body;
    resp->body_len = strlen(body);
    resp->body_static = true;
}

struct late {
    struct api_response *resp;
    void (*ready)(void *);
    void *ready_cls;
};

static void *late_thread(void *arg)
{
    struct late *l = arg;
    struct timespec ts = {0, 50 * 1000 * 1000};

    nanosleep(&ts, NULL);
    set_static(l->resp, 200, "{\"late\":true}");
    l->resp->pending = false;
    l->ready(l->ready_cls);
    free(l);
    return NULL;
}

static const char *method_name(enum api_method m)
{
    static const char *const names[] = {"GET",   "HEAD",   "POST",    "PUT",
                                        "PATCH", "DELETE", "OPTIONS", "OTHER"};
    return names[m];
}

void api_handle(struct api *api, const struct api_request *req, struct api_response *resp)
{
    (void)api;
    if (strcmp(req->path, "/healthz") == 0) {
        set_static(resp, 200, "{\"ok\":true}");
        return;
    }
    if (strcmp(req->path, "/api/v1/echo") == 0) {
        char *text = NULL;
        size_t cap = req->body_len + 512;
        int n;

        text = forum_xmalloc(cap);
        n = snprintf(text, cap, "%s|%s|%s|%s|%s|%s|%d|", method_name(req->method),
                     req->path, req->query ? req->query : "-",
                     req->authorization ? req->authorization : "-",
                     req->content_type ? req->content_type : "-", req->remote_addr,
                     req->remote_loopback ? 1 : 0);
        memcpy(text + n, req->body != NULL ? req->body : "", req->body_len);
        resp->status = 200;
        resp->content_type = "text/plain";
        resp->body = text;
        resp->body_len = (size_t)n + req->body_len;
        api_response_add_header(resp, "X-Echo", "yes");
        return;
    }
    if (strcmp(req->path, "/api/v1/late") == 0 || strcmp(req->path, "/api/v1/now") == 0) {
        struct late *l = forum_xcalloc(1, sizeof(*l));
        pthread_t t;

        resp->pending = true;
        l->resp = resp;
        l->ready = req->ready;
        l->ready_cls = req->ready_cls;
        if (strcmp(req->path, "/api/v1/now") == 0) {
            /* Ready before api_handle even returns. */
            set_static(resp, 200, "{\"late\":false}");
            resp->pending = false;
            l->ready(l->ready_cls);
            resp->pending = true; /* as the api leaves it: http checks ready() */
            free(l);
            return;
        }
        pthread_create(&t, NULL, late_thread, l);
        pthread_detach(t);
        return;
    }
    set_static(resp, 404,
               "{\"error\":{\"code\":\"not_found\",\"message\":\"no route\"}}");
}

void fake_api_metrics(void *cls, struct buf *out)
{
    (void)cls;
    buf_append_str(out, "forumd_api_fake_total 7\n");
}
