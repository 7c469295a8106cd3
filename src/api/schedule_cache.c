/* SPDX-License-Identifier: MIT */
/*
 * The published schedule: each event's current version rendered once from
 * its rows and kept in memory with its strong ETag, shared by reference
 * between the responses that send it; GET /schedule (200 or 304 without a
 * database round trip when warm).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/util/etag.h"
#include "forum/util/mem.h"
#include "internal.h"

void api__sched_unref(void *p)
{
    struct api_sched *e = p;

    if (e != NULL && atomic_fetch_sub(&e->refs, 1) == 1) {
        free(e->body);
        free(e);
    }
}

struct api_sched *api__sched_new(const char *eid, long version, char *body)
{
    struct api_sched *e = forum_xcalloc(1, sizeof(*e));

    snprintf(e->eid, sizeof(e->eid), "%s", eid);
    e->version = version;
    snprintf(e->etag, sizeof(e->etag), "\"%.32s-v%ld\"", eid, version);
    e->body = body;
    e->body_len = strlen(body);
    atomic_init(&e->refs, 1); /* the cache's own reference */
    return e;
}

void api__cache_put(struct api *api, struct api_sched *e)
{
    struct api_sched **pp, *old = NULL;

    pthread_rwlock_wrlock(&api->cache_mu);
    for (pp = &api->cache; *pp != NULL; pp = &(*pp)->next) {
        if (strcmp((*pp)->eid, e->eid) == 0)
            break;
    }
    if (*pp == NULL) {
        e->next = api->cache;
        api->cache = e;
        e = NULL;
    } else if ((*pp)->version < e->version) {
        old = *pp;
        e->next = old->next;
        *pp = e;
        e = NULL;
    }
    pthread_rwlock_unlock(&api->cache_mu);
    api__sched_unref(old);
    api__sched_unref(e);
}

/* Returns a new reference to eid's cached schedule, or NULL. */
static struct api_sched *cache_get(struct api *api, const char *eid)
{
    struct api_sched *e;

    pthread_rwlock_rdlock(&api->cache_mu);
    for (e = api->cache; e != NULL; e = e->next) {
        if (strcmp(e->eid, eid) == 0) {
            atomic_fetch_add(&e->refs, 1);
            break;
        }
    }
    pthread_rwlock_unlock(&api->cache_mu);
    return e;
}

void api__cache_drop(struct api *api, const char *eid)
{
    struct api_sched **pp = &api->cache;

    pthread_rwlock_wrlock(&api->cache_mu);
    while (*pp != NULL) {
        struct api_sched *e = *pp;
        if (eid == NULL || strcmp(e->eid, eid) == 0) {
            *pp = e->next;
            api__sched_unref(e);
        } else {
            pp = &e->next;
        }
    }
    pthread_rwlock_unlock(&api->cache_mu);
}

enum forum_status api__schedule_load(struct api *api, struct store *s, const char *eid,
                                     struct api_sched **out, struct forum_error *err)
{
    struct store_schedule sc;
    enum forum_status rc;
    struct api_sched *e;
    json_t *doc;
    char *body;

    *out = NULL;
    rc = store_schedule_get(s, eid, 0, NULL, STORE_SCHEDULE_GRID, &sc, err);
    if (rc != FORUM_OK)
        return rc;
    doc = api__schedule_json(&sc);
    body = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    if (body == NULL) {
        store_schedule_release(&sc);
        return forum_error_set(err, FORUM_ENOMEM, NULL, "out of memory");
    }
    e = api__sched_new(eid, sc.version, body);
    store_schedule_release(&sc);
    atomic_fetch_add(&e->refs, 1); /* the caller's, beside the cache's */
    api__cache_put(api, e);
    *out = e;
    return FORUM_OK;
}

void api__schedule_get(struct api_ctx *c)
{
    struct api_sched *e = cache_get(c->api, CTX_EID(c));
    struct forum_error err;
    enum forum_status rc;

    if (e != NULL) {
        atomic_fetch_add(&c->api->metrics.cache_hits, 1);
    } else {
        struct store_event ev;

        atomic_fetch_add(&c->api->metrics.cache_misses, 1);
        forum_error_clear(&err);
        if (c->store == NULL)
            c->store = api__store(c->api, &err);
        if (c->store == NULL) {
            api__error(c, 503, "unavailable", NULL, "the database cannot be opened");
            return;
        }
        rc = api__schedule_load(c->api, c->store, CTX_EID(c), &e, &err);
        if (rc == FORUM_ENOTFOUND) {
            rc = store_event_get(c->store, CTX_EID(c), &ev, &err);
            store_event_release(&ev);
            if (rc == FORUM_OK)
                api__error(c, 404, "not_published", NULL, "no schedule is published yet");
            else
                api__fail(c, rc, &err);
            return;
        }
        if (api__failed(c, rc, &err))
            return;
    }
    if (etag_matches(c->req->if_none_match, e->etag)) {
        atomic_fetch_add(&c->api->metrics.not_modified, 1);
        c->resp->status = 304;
        c->resp->content_type = NULL;
        c->done = true;
        api_response_add_header(c->resp, "ETag", e->etag);
        api_response_add_header(c->resp, "Cache-Control", "no-cache");
        api__sched_unref(e);
        return;
    }
    c->resp->status = 200;
    c->resp->content_type = "application/json";
    c->resp->body = e->body;
    c->resp->body_len = e->body_len;
    c->resp->body_free = api__sched_unref;
    c->resp->body_cls = e;
    c->done = true;
    api_response_add_header(c->resp, "ETag", e->etag);
    api_response_add_header(c->resp, "Cache-Control", "no-cache");
}
