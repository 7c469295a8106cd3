/* SPDX-License-Identifier: MIT */
/*
 * The marketplace ("place du marché"): while a block of the day is open for
 * proposals at the opening circle, the wall shows the topics as they arrive,
 * the join link and how many people joined; the facilitator closes it,
 * optionally with a short vote window that ends by the clock (votes for its
 * topics are refused after it), and allocates. GET and PUT /marketplace, and
 * the vote window's rule (api__marketplace_vote_open()).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/util/clock.h"
#include "forum/util/mem.h"
#include "internal.h"

#define VOTE_MINUTES_DEFAULT 5

static json_t *str_or_null(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

/* The marketplace of the path's event as the wall reads it, owned. */
static enum forum_status marketplace_json(struct api_ctx *c, json_t **out,
                                          struct forum_error *err)
{
    struct store_marketplace m;
    struct store_block b;
    struct store_topic *v = NULL;
    size_t n = 0;
    long people = 0;
    char now[21];
    bool has_block = false;
    json_t *doc, *topics;
    enum forum_status rc = store_marketplace_get(c->store, CTX_EID(c), &m, err);

    *out = NULL;
    memset(&b, 0, sizeof(b));
    if (rc == FORUM_ENOTFOUND) {
        rc = FORUM_OK;
        memset(&m, 0, sizeof(m));
        if (err != NULL)
            forum_error_clear(err);
    }
    if (rc == FORUM_OK && m.block_id != NULL) {
        rc = store_block_get(c->store, CTX_EID(c), m.block_id, &b, err);
        has_block = rc == FORUM_OK;
    }
    if (rc == FORUM_OK)
        rc = store_participant_count(c->store, CTX_EID(c), &people, err);
    if (rc == FORUM_OK && has_block)
        rc = store_topic_list(c->store, CTX_EID(c), &v, &n, err);
    if (rc != FORUM_OK)
        goto out;
    forum_clock_format(forum_clock_now(), now);
    doc = json_object();
    json_object_set_new(doc, "phase", json_string(m.phase != NULL ? m.phase : "closed"));
    json_object_set_new(doc, "block", has_block ? api__block_json(&b) : json_null());
    json_object_set_new(doc, "vote_ends_at", str_or_null(m.vote_ends_at));
    json_object_set_new(doc, "vote_open",
                        json_boolean(m.phase != NULL && strcmp(m.phase, "vote") == 0 &&
                                     m.vote_ends_at != NULL &&
                                     strcmp(now, m.vote_ends_at) < 0));
    json_object_set_new(doc, "changed_at", str_or_null(m.changed_at));
    json_object_set_new(doc, "now", json_string(now));
    json_object_set_new(doc, "participants", json_integer(people));
    /* The block's topics, the newest first: what the wall shows arriving. */
    topics = json_array();
    for (size_t i = n; i-- > 0;) {
        const struct store_topic *t = &v[i];
        json_t *o, *hosts;
        if (t->cancelled || t->block_id == NULL || strcmp(t->block_id, b.id) != 0)
            continue;
        o = json_object();
        hosts = json_array();
        for (size_t h = 0; h < t->host_names.n; h++)
            json_array_append_new(hosts, json_string(t->host_names.v[h]));
        json_object_set_new(o, "id", json_string(t->id));
        json_object_set_new(o, "title", json_string(t->title));
        json_object_set_new(o, "theme", json_string(t->theme));
        json_object_set_new(o, "hosts", hosts);
        json_object_set_new(o, "block", json_string(t->block_id));
        json_array_append_new(topics, o);
    }
    json_object_set_new(doc, "topics", topics);
    *out = doc;
out:
    store_topics_free(v, n);
    store_block_release(&b);
    store_marketplace_release(&m);
    return rc;
}

void api__marketplace_get(struct api_ctx *c)
{
    struct forum_error err;
    enum forum_status rc;
    json_t *doc;

    forum_error_clear(&err);
    rc = marketplace_json(c, &doc, &err);
    if (api__failed(c, rc, &err))
        return;
    api__json(c, 200, doc);
    /* The wall polls it every few seconds: always ask again. */
    api_response_add_header(c->resp, "Cache-Control", "no-cache");
}

void api__marketplace_put(struct api_ctx *c)
{
    static const char *const keys[] = {"phase", "block", "vote_minutes", NULL};
    const char *phase = NULL, *bid = NULL;
    long minutes = VOTE_MINUTES_DEFAULT;
    bool has_block = false, has_minutes = false;
    struct store_marketplace m, cur;
    struct store_block b;
    struct store_event e;
    struct forum_error err;
    enum forum_status rc;
    char now[21], ends[21];
    json_t *doc;

    if (!api__only_keys(c, keys) ||
        !api__get_string(c, "phase", true, 16, false, &phase, NULL) ||
        !api__get_string(c, "block", false, STORE_ID_MAX, false, &bid, &has_block) ||
        !api__get_int(c, "vote_minutes", false, 1, API_VOTE_MINUTES_MAX, &minutes,
                      &has_minutes))
        return;
    if (strcmp(phase, "proposals") != 0 && strcmp(phase, "vote") != 0 &&
        strcmp(phase, "closed") != 0) {
        api__error(c, 422, "invalid", "phase", "one of proposals, vote, closed");
        return;
    }
    if (has_minutes && strcmp(phase, "vote") != 0) {
        api__error(c, 422, "invalid", "vote_minutes", "only for the vote phase");
        return;
    }
    memset(&m, 0, sizeof(m));
    memset(&b, 0, sizeof(b));
    memset(&e, 0, sizeof(e));
    forum_error_clear(&err);
    rc = store_marketplace_get(c->store, CTX_EID(c), &cur, &err);
    if (rc == FORUM_ENOTFOUND) {
        memset(&cur, 0, sizeof(cur));
        rc = FORUM_OK;
    }
    if (api__failed(c, rc, &err))
        return;
    if (!has_block || bid == NULL)
        bid = cur.block_id;
    if (bid == NULL) {
        api__error(c, 422, "missing", "block", "say which block of the day it is for");
        goto out;
    }
    rc = store_block_get(c->store, CTX_EID(c), bid, &b, &err);
    if (rc == FORUM_ENOTFOUND) {
        api__error(c, 422, "invalid", "block", "no such block in this event");
        goto out;
    }
    if (api__failed(c, rc, &err))
        goto out;
    if (!api__block_allocated(b.kind)) {
        api__error(
            c, 422, "invalid", "block",
            "a plenary or a break takes no proposals: it is one item for everyone");
        goto out;
    }
    forum_clock_format(forum_clock_now(), now);
    m.block_id = b.id;
    m.phase = (char *)(uintptr_t)phase;
    if (strcmp(phase, "vote") == 0) {
        forum_clock_format(forum_clock_now() + minutes * 60, ends);
        m.vote_ends_at = ends;
    } else if (strcmp(phase, "closed") == 0 && cur.vote_ends_at != NULL &&
               cur.block_id != NULL && strcmp(cur.block_id, b.id) == 0) {
        /* Closing during the vote ends it now. */
        m.vote_ends_at = strcmp(cur.vote_ends_at, now) > 0 ? now : cur.vote_ends_at;
    }
    /* Proposals open while the marketplace takes them; votes open for its
     * window. One transaction. */
    b.proposals_open = strcmp(phase, "proposals") == 0;
    rc = store_write_begin(c->store, &err);
    if (rc == FORUM_OK)
        rc = store_marketplace_put(c->store, CTX_EID(c), &m, &err);
    if (rc == FORUM_OK)
        rc = store_block_update(c->store, CTX_EID(c), &b, &err);
    if (rc == FORUM_OK && strcmp(phase, "closed") != 0)
        rc = store_event_get(c->store, CTX_EID(c), &e, &err);
    if (rc == FORUM_OK && strcmp(phase, "closed") != 0) {
        if (strcmp(phase, "proposals") == 0)
            e.proposals_open = true;
        else
            e.voting_open = true;
        rc = store_event_update(c->store, &e, &err);
    }
    rc = store_write_end(c->store, rc, &err);
    if (api__failed(c, rc, &err))
        goto out;
    rc = marketplace_json(c, &doc, &err);
    if (!api__failed(c, rc, &err))
        api__json(c, 200, doc);
out:
    store_event_release(&e);
    store_block_release(&b);
    store_marketplace_release(&cur);
}

bool api__marketplace_vote_open(struct api_ctx *c, const char *tid)
{
    struct store_marketplace m;
    struct store_topic t;
    char now[21];
    bool open = true;

    if (api__is_facilitator(c) ||
        store_marketplace_get(c->store, CTX_EID(c), &m, NULL) != FORUM_OK)
        return true;
    forum_clock_format(forum_clock_now(), now);
    if (m.vote_ends_at != NULL && m.block_id != NULL &&
        strcmp(now, m.vote_ends_at) >= 0 &&
        store_topic_get(c->store, CTX_EID(c), tid, &t, NULL) == FORUM_OK) {
        open = t.block_id == NULL || strcmp(t.block_id, m.block_id) != 0;
        store_topic_release(&t);
    }
    if (!open)
        api__error(c, 409, "voting_closed", NULL,
                   "the vote of the marketplace ended at %s (UTC)", m.vote_ends_at);
    store_marketplace_release(&m);
    return open;
}
