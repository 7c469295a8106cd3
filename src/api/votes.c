/* SPDX-License-Identifier: MIT */
/* Votes, one's own votes, and the clash report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/util/mem.h"
#include "internal.h"

void api__me_votes(struct api_ctx *c)
{
    struct store_vote *v;
    size_t n;
    struct forum_error err;
    enum forum_status rc;
    json_t *arr;

    forum_error_clear(&err);
    rc = store_vote_list(c->store, CTX_EID(c), c->who.participant_id, &v, &n, &err);
    if (api__failed(c, rc, &err))
        return;
    arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "topic", json_string(v[i].topic_id));
        json_object_set_new(o, "weight", json_integer(v[i].weight));
        json_array_append_new(arr, o);
    }
    store_votes_free(v, n);
    api__json(c, 200, arr);
}

void api__vote_put(struct api_ctx *c)
{
    static const char *const keys[] = {"weight", NULL};
    struct forum_error err;
    enum forum_status rc;
    long weight = 0;
    json_t *doc;

    if (!api__only_keys(c, keys) ||
        !api__get_int(c, "weight", true, 1, c->event.max_weight, &weight, NULL) ||
        !api__phase_open(c, c->event.voting_open, "voting_closed", "votes"))
        return;
    forum_error_clear(&err);
    rc = store_vote_put(c->store, CTX_EID(c), c->who.participant_id, c->param[1], weight,
                        c->event.vote_budget, &err);
    if (rc == FORUM_ECONFLICT) {
        api__error(c, 409, "over_budget", "weight", "%s", err.msg);
        return;
    }
    if (api__failed(c, rc, &err))
        return;
    atomic_fetch_add(&c->api->metrics.votes, 1);
    doc = json_object();
    json_object_set_new(doc, "topic", json_string(c->param[1]));
    json_object_set_new(doc, "weight", json_integer(weight));
    api__json(c, 200, doc);
}

void api__vote_delete(struct api_ctx *c)
{
    struct forum_error err;
    enum forum_status rc;

    if (!api__phase_open(c, c->event.voting_open, "voting_closed", "votes"))
        return;
    forum_error_clear(&err);
    rc =
        store_vote_delete(c->store, CTX_EID(c), c->who.participant_id, c->param[1], &err);
    if (api__failed(c, rc, &err))
        return;
    atomic_fetch_add(&c->api->metrics.votes, 1);
    api__no_content(c);
}

void api__clashes(struct api_ctx *c)
{
    struct store_clash *v;
    size_t n;
    struct forum_error err;
    enum forum_status rc;
    long limit = 20;
    char text[24];
    json_t *arr;
    bool too_long = false;

    if (api__query_param(c->req->query, "limit", text, sizeof(text), &too_long)) {
        char *end;
        limit = strtol(text, &end, 10);
        if (too_long || *end != '\0' || end == text || limit < 1 || limit > 1000) {
            api__error(c, 422, "out_of_range", "limit", "limit is 1..1000");
            return;
        }
    }
    forum_error_clear(&err);
    rc = store_clash_list(c->store, CTX_EID(c), limit, &v, &n, &err);
    if (api__failed(c, rc, &err))
        return;
    arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "a", json_string(v[i].a));
        json_object_set_new(o, "b", json_string(v[i].b));
        json_object_set_new(o, "shared", json_integer(v[i].shared));
        json_array_append_new(arr, o);
    }
    store_clashes_free(v, n);
    api__json(c, 200, arr);
}
