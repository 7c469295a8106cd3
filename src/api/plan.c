/* SPDX-License-Identifier: MIT */
/*
 * The plan of the day: the published version, the changes made since (each
 * undoable, the newest first, until the next publication) and the drafts
 * made from them. Its ETag, "{eid}-v{version}-r{revision}", guards every
 * change: a request with If-Match naming an older state (or the schedule's
 * own ETag, "{eid}-v{version}", of an older version) gets 412 with the
 * current one and the changes made since, and is not applied.
 * GET /changes, POST /changes/{seq}/undo.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/util/clock.h"
#include "forum/util/etag.h"
#include "forum/util/mem.h"
#include "internal.h"

enum forum_status api__plan_read(struct store *s, const char *eid, struct api_plan *p,
                                 struct forum_error *err)
{
    enum forum_status rc;

    memset(p, 0, sizeof(*p));
    p->now = forum_clock_now();
    rc = store_schedule_latest_version(s, eid, &p->version, err);
    if (rc == FORUM_OK)
        rc = store_change_state(s, eid, &p->revision, &p->head, err);
    return rc;
}

void api__plan_etag(const char *eid, const struct api_plan *p, char *out, size_t cap)
{
    snprintf(out, cap, "\"%.32s-v%ld-r%ld\"", eid, p->version, p->revision);
}

json_t *api__plan_json(const char *eid, const struct api_plan *p)
{
    json_t *o = json_object();
    char etag[96];

    api__plan_etag(eid, p, etag, sizeof(etag));
    json_object_set_new(o, "version", json_integer(p->version));
    json_object_set_new(o, "revision", json_integer(p->revision));
    json_object_set_new(o, "etag", json_string(etag));
    return o;
}

bool api__slot_started(const char *starts_at, time_t now)
{
    return starts_at != NULL && api__time_epoch(starts_at) <= (long long)now;
}

json_t *api__change_json(const struct store_change *x)
{
    json_t *o = json_object(), *summary = json_loads(x->summary, 0, NULL);

    json_object_set_new(o, "seq", json_integer(x->seq));
    json_object_set_new(o, "kind", json_string(x->kind));
    json_object_set_new(o, "state", json_string(x->state));
    json_object_set_new(o, "at", json_string(x->created_at));
    json_object_set_new(o, "version", json_integer(x->base_version));
    json_object_set_new(o, "summary", summary != NULL ? summary : json_object());
    return o;
}

/* The changes of eid after seq `after` (after < 0: the open ones), as JSON. */
static json_t *changes_json(struct store *s, const char *eid, long after)
{
    struct store_change *v = NULL;
    size_t n = 0;
    json_t *arr = json_array();
    enum forum_status rc = after < 0
                               ? store_change_list_open(s, eid, &v, &n, NULL)
                               : store_change_list_after(s, eid, after, &v, &n, NULL);

    for (size_t i = 0; rc == FORUM_OK && i < n; i++)
        json_array_append_new(arr, api__change_json(&v[i]));
    store_changes_free(v, n);
    return arr;
}

void api__plan_refuse(struct api_ctx *c, int status, const char *code, const char *field,
                      long after, const char *msg)
{
    struct api_plan p;
    json_t *extra = json_object();

    if (api__plan_read(c->store, CTX_EID(c), &p, NULL) == FORUM_OK)
        json_object_set_new(extra, "current", api__plan_json(CTX_EID(c), &p));
    json_object_set_new(extra, "changes", changes_json(c->store, CTX_EID(c), after));
    api__error_with(c, status, code, field, extra, "%s", msg);
}

/* The revision an If-Match value names for eid ("{eid}-v{N}-r{R}"), or -1. */
static long tag_revision(const char *if_match, const char *eid)
{
    const char *p = if_match;
    size_t n = strlen(eid);

    while ((p = strstr(p, eid)) != NULL) {
        long v, r;
        char tail;
        if (sscanf(p + n, "-v%ld-r%ld%c", &v, &r, &tail) == 3 && tail == '"' && r >= 0)
            return r;
        p += n;
    }
    return -1;
}

bool api__plan_check(struct api_ctx *c, const struct api_plan *p)
{
    const char *if_match = c->req->if_match;
    char etag[96], sched[96], msg[160];

    if (if_match == NULL)
        return true;
    api__plan_etag(CTX_EID(c), p, etag, sizeof(etag));
    snprintf(sched, sizeof(sched), "\"%.32s-v%ld\"", CTX_EID(c), p->version);
    if (etag_matches(if_match, etag) || (p->version > 0 && etag_matches(if_match, sched)))
        return true;
    snprintf(msg, sizeof(msg),
             "the schedule or its changes moved on since you read them (now version "
             "%ld, change %ld): nothing was done",
             p->version, p->revision);
    api__plan_refuse(c, 412, "stale", "If-Match", tag_revision(if_match, CTX_EID(c)),
                     msg);
    return false;
}

void api__plan_answer(struct api_ctx *c, int status, json_t *doc)
{
    struct api_plan p;
    char etag[96];

    if (api__plan_read(c->store, CTX_EID(c), &p, NULL) != FORUM_OK) {
        api__json(c, status, doc);
        return;
    }
    json_object_set_new(doc, "plan", api__plan_json(CTX_EID(c), &p));
    api__json(c, status, doc);
    api__plan_etag(CTX_EID(c), &p, etag, sizeof(etag));
    api_response_add_header(c->resp, "ETag", etag);
}

/* ---- GET /changes ------------------------------------------------------------------ */

/* The newest draft made against the current version, or NULL: {id, fresh}. */
static json_t *draft_json(struct store *s, const char *eid, const struct api_plan *p)
{
    struct store_allocation *v = NULL;
    size_t n = 0;
    json_t *o = NULL;

    if (store_allocation_list(s, eid, false, &v, &n, NULL) != FORUM_OK)
        return json_null();
    for (size_t i = 0; i < n && o == NULL; i++) {
        if (v[i].published > 0)
            break; /* newest first: anything older was made before that publication */
        if (v[i].base_version != p->version)
            continue;
        o = json_object();
        json_object_set_new(o, "id", json_string(v[i].id));
        json_object_set_new(o, "created_at", json_string(v[i].created_at));
        /* Publishable: made on the state of the day as it is. */
        json_object_set_new(o, "fresh", json_boolean(v[i].plan_seq == p->head));
    }
    store_allocations_free(v, n);
    return o != NULL ? o : json_null();
}

void api__changes_get(struct api_ctx *c)
{
    struct api_plan p;
    struct forum_error err;
    enum forum_status rc;
    json_t *doc;

    forum_error_clear(&err);
    rc = store_read_begin(c->store, &err);
    if (api__failed(c, rc, &err))
        return;
    rc = api__plan_read(c->store, CTX_EID(c), &p, &err);
    if (rc != FORUM_OK) {
        store_read_end(c->store);
        api__fail(c, rc, &err);
        return;
    }
    doc = json_object();
    json_object_set_new(doc, "head", json_integer(p.head));
    json_object_set_new(doc, "draft", draft_json(c->store, CTX_EID(c), &p));
    json_object_set_new(doc, "changes", changes_json(c->store, CTX_EID(c), -1));
    store_read_end(c->store);
    api__plan_answer(c, 200, doc);
}

/* ---- POST /changes/{seq}/undo ---------------------------------------------------------
 */

void api__change_undo(struct api_ctx *c)
{
    struct api_plan p;
    struct store_change x;
    struct forum_error err;
    enum forum_status rc;
    json_t *summary = NULL, *doc;
    char *text = NULL, *end;
    long seq = strtol(c->param[1], &end, 10), undo_seq = 0;
    char msg[200];

    memset(&x, 0, sizeof(x));
    forum_error_clear(&err);
    if (*end != '\0' || end == c->param[1] || seq < 1) {
        api__error(c, 404, "not_found", NULL, "no such change");
        return;
    }
    rc = api__plan_read(c->store, CTX_EID(c), &p, &err);
    if (api__failed(c, rc, &err) || !api__plan_check(c, &p))
        return;
    rc = store_change_get(c->store, CTX_EID(c), seq, &x, &err);
    if (api__failed(c, rc, &err))
        return;
    if (strcmp(x.state, "published") == 0) {
        snprintf(
            msg, sizeof(msg),
            "change %ld was published with version %ld: it stays (make a new change)",
            seq, x.published_in);
        api__plan_refuse(c, 409, "published", NULL, seq, msg);
        goto out;
    }
    if (strcmp(x.kind, "undo") == 0) {
        api__error(c, 422, "invalid", NULL,
                   "change %ld is an undo: make the change again instead", seq);
        goto out;
    }
    if (strcmp(x.state, "undone") == 0 || x.published_in > 0) {
        snprintf(msg, sizeof(msg), "change %ld is undone already", seq);
        api__plan_refuse(c, 409, "conflict", NULL, seq, msg);
        goto out;
    }
    if (seq != p.head) {
        snprintf(msg, sizeof(msg),
                 "change %ld came after change %ld: undo the newer changes first", p.head,
                 seq);
        api__plan_refuse(c, 409, "conflict", NULL, seq, msg);
        goto out;
    }
    forum_error_clear(&err);
    rc = store_write_begin(c->store, &err);
    if (rc == FORUM_OK)
        rc = api__operation_undo(c, &x, &summary, &err);
    if (rc == FORUM_OK)
        rc = store_change_undone(c->store, CTX_EID(c), seq, &err);
    if (rc == FORUM_OK) {
        json_object_set_new(summary, "undid", json_integer(seq));
        json_object_set_new(summary, "kind", json_string(x.kind));
        text = json_dumps(summary, JSON_COMPACT);
        rc = store_change_add(c->store, CTX_EID(c), "undo", text, "{}", p.version,
                              &undo_seq, &err);
    }
    rc = store_write_end(c->store, rc, &err);
    if (api__failed(c, rc, &err))
        goto out;
    doc = json_object();
    store_change_release(&x);
    if (store_change_get(c->store, CTX_EID(c), undo_seq, &x, NULL) == FORUM_OK)
        json_object_set_new(doc, "change", api__change_json(&x));
    api__plan_answer(c, 200, doc);
out:
    free(text);
    json_decref(summary);
    store_change_release(&x);
}
