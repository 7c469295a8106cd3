/* SPDX-License-Identifier: MIT */
/* Participants and their own profile, topics, votes and the clash report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/util/mem.h"
#include "internal.h"

/* ---- participants -------------------------------------------------------------------
 */

/* The token of the request's Authorization header (borrowed), or NULL. */
static const char *request_token(const struct api_ctx *c)
{
    const char *h = c->req->authorization;

    if (h == NULL || strlen(h) < 8)
        return NULL;
    h += 7;
    while (*h == ' ')
        h++;
    return h;
}

static void calendar_url(const struct api_ctx *c, const char *token, char *out,
                         size_t cap)
{
    char feed[STORE_TOKEN_LEN + 1];

    store_feed_secret(token, feed);
    snprintf(out, cap, "/api/v1/events/%s/agenda/%s.ics", CTX_EID(c), feed);
}

static json_t *participant_json(const struct store_participant *p)
{
    json_t *o = json_object();

    json_object_set_new(o, "id", json_string(p->id));
    json_object_set_new(o, "name", json_string(p->name));
    json_object_set_new(o, "needs", api__strv_json(&p->needs));
    json_object_set_new(o, "unavailable", api__strv_json(&p->unavailable));
    return o;
}

static bool participant_fields(struct api_ctx *c, struct store_participant *p,
                               bool creating)
{
    static const char *const create_keys[] = {"name", "join_code", "needs", "unavailable",
                                              NULL};
    static const char *const patch_keys[] = {"name", "needs", "unavailable", NULL};
    const char *name = NULL;
    bool has_name;

    if (!api__only_keys(c, creating ? create_keys : patch_keys) ||
        !api__get_string(c, "name", creating, API_LABEL_MAX, false, &name, &has_name) ||
        !api__get_strv(c, "needs", API_FEATURES_MAX, API_FEATURE_MAX, &p->needs, NULL) ||
        !api__get_strv(c, "unavailable", API_UNAVAILABLE_MAX, STORE_ID_MAX,
                       &p->unavailable, NULL))
        return false;
    if (has_name) {
        if (name == NULL || name[0] == '\0') {
            api__error(c, 422, "empty", "name", "this field cannot be empty");
            return false;
        }
        free(p->name);
        p->name = forum_xstrdup(name);
    }
    return true;
}

/* Compares without an early exit, so the time says nothing of the prefix. */
static bool same_code(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    unsigned char d = na != nb;

    for (size_t i = 0; i < na; i++)
        d |= (unsigned char)(a[i] ^ b[i % (nb ? nb : 1)]);
    return d == 0;
}

void api__participant_create(struct api_ctx *c)
{
    struct store_participant p;
    char id[STORE_ID_MAX + 1], token[STORE_TOKEN_LEN + 1], url[160];
    const char *code = NULL;
    struct forum_error err;
    enum forum_status rc;
    json_t *doc;

    memset(&p, 0, sizeof(p));
    if (!participant_fields(c, &p, true) ||
        !api__get_string(c, "join_code", false, API_CODE_MAX, false, &code, NULL))
        goto out;
    if (c->event.join_code != NULL && !api__is_facilitator(c)) {
        if (api__failures_blocked(c))
            goto out;
        if (code == NULL || !same_code(code, c->event.join_code)) {
            api__auth_failed(c);
            api__error(c, 403, "bad_join_code", "join_code",
                       "this event needs its join code");
            goto out;
        }
    }
    forum_error_clear(&err);
    rc = store_participant_create(c->store, CTX_EID(c), &p, id, token, &err);
    if (api__failed(c, rc, &err))
        goto out;
    p.id = forum_xstrdup(id);
    doc = participant_json(&p);
    json_object_set_new(doc, "token", json_string(token));
    calendar_url(c, token, url, sizeof(url));
    json_object_set_new(doc, "calendar_url", json_string(url));
    api__json(c, 201, doc);
out:
    store_participant_release(&p);
}

void api__participant_list(struct api_ctx *c)
{
    struct store_participant *v;
    size_t n;
    struct forum_error err;
    enum forum_status rc;
    json_t *arr;

    forum_error_clear(&err);
    rc = store_participant_list(c->store, CTX_EID(c), &v, &n, &err);
    if (api__failed(c, rc, &err))
        return;
    arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, participant_json(&v[i]));
    store_participants_free(v, n);
    api__json(c, 200, arr);
}

static void me_answer(struct api_ctx *c)
{
    struct store_participant p;
    struct forum_error err;
    enum forum_status rc;
    char url[160];
    json_t *doc;

    forum_error_clear(&err);
    rc = store_participant_get(c->store, CTX_EID(c), c->who.participant_id, &p, &err);
    if (api__failed(c, rc, &err))
        return;
    doc = participant_json(&p);
    calendar_url(c, request_token(c), url, sizeof(url));
    json_object_set_new(doc, "calendar_url", json_string(url));
    store_participant_release(&p);
    api__json(c, 200, doc);
}

void api__me_get(struct api_ctx *c)
{
    me_answer(c);
}

void api__me_patch(struct api_ctx *c)
{
    struct store_participant p;
    struct forum_error err;
    enum forum_status rc;

    forum_error_clear(&err);
    rc = store_participant_get(c->store, CTX_EID(c), c->who.participant_id, &p, &err);
    if (api__failed(c, rc, &err))
        return;
    if (!participant_fields(c, &p, false))
        goto out;
    rc = store_participant_update(c->store, CTX_EID(c), &p, &err);
    if (api__failed(c, rc, &err))
        goto out;
    me_answer(c);
out:
    store_participant_release(&p);
}

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

/* ---- topics ---------------------------------------------------------------------------
 */

json_t *api__topic_json(const struct api_ctx *c, const struct store_topic *t,
                        const struct store_event *e)
{
    json_t *o = json_object(), *hosts = json_array();
    bool mine = false;

    json_object_set_new(o, "id", json_string(t->id));
    json_object_set_new(o, "title", json_string(t->title));
    json_object_set_new(o, "description", json_string(t->description));
    json_object_set_new(o, "theme", json_string(t->theme));
    json_object_set_new(o, "needs", api__strv_json(&t->needs));
    json_object_set_new(o, "max_size",
                        t->max_size > 0 ? json_integer(t->max_size) : json_null());
    for (size_t i = 0; i < t->host_ids.n; i++) {
        json_t *h = json_object();
        json_object_set_new(h, "id", json_string(t->host_ids.v[i]));
        json_object_set_new(h, "name", json_string(t->host_names.v[i]));
        json_array_append_new(hosts, h);
        if (api__is_participant(c) &&
            strcmp(t->host_ids.v[i], c->who.participant_id) == 0)
            mine = true;
    }
    json_object_set_new(o, "hosts", hosts);
    if (t->fixed_room != NULL && t->fixed_slot != NULL) {
        json_t *f = json_object();
        json_object_set_new(f, "room", json_string(t->fixed_room));
        json_object_set_new(f, "slot", json_string(t->fixed_slot));
        json_object_set_new(o, "fixed", f);
    } else {
        json_object_set_new(o, "fixed", json_null());
    }
    if (api__is_facilitator(c) || e->show_tallies) {
        json_t *v = json_object();
        json_object_set_new(v, "count", json_integer(t->vote_count));
        json_object_set_new(v, "weight", json_integer(t->vote_weight));
        json_object_set_new(o, "votes", v);
    }
    if (mine)
        json_object_set_new(o, "mine", json_true());
    return o;
}

void api__topic_list(struct api_ctx *c)
{
    struct store_topic *v;
    size_t n;
    struct forum_error err;
    enum forum_status rc;
    json_t *arr;

    forum_error_clear(&err);
    rc = store_topic_list(c->store, CTX_EID(c), &v, &n, &err);
    if (api__failed(c, rc, &err))
        return;
    arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, api__topic_json(c, &v[i], &c->event));
    store_topics_free(v, n);
    api__json(c, 200, arr);
}

/* Reads the topic fields over t; fixed only when allowed. */
static bool topic_fields(struct api_ctx *c, struct store_topic *t, bool creating)
{
    static const char *const keys[] = {"title",    "description", "theme", "needs",
                                       "max_size", "fixed",       NULL};
    const char *title = NULL, *desc = NULL, *theme = NULL;
    bool has_title, has_desc, has_theme, has_max;
    json_t *max, *fixed;

    if (!api__only_keys(c, keys) ||
        !api__get_string(c, "title", creating, API_NAME_MAX, false, &title, &has_title) ||
        !api__get_string(c, "description", false, API_DESCRIPTION_MAX, true, &desc,
                         &has_desc) ||
        !api__get_string(c, "theme", false, API_LABEL_MAX, false, &theme, &has_theme) ||
        !api__get_strv(c, "needs", API_FEATURES_MAX, API_FEATURE_MAX, &t->needs, NULL))
        return false;
    max = json_object_get(c->body, "max_size");
    has_max = max != NULL && !json_is_null(max);
    if (max != NULL && json_is_null(max))
        t->max_size = 0;
    if (has_max && !api__get_int(c, "max_size", false, 1, 100000, &t->max_size, NULL))
        return false;
    if (has_title) {
        if (title == NULL || title[0] == '\0') {
            api__error(c, 422, "empty", "title", "this field cannot be empty");
            return false;
        }
        free(t->title);
        t->title = forum_xstrdup(title);
    }
    if (has_desc) {
        free(t->description);
        t->description = forum_xstrdup(desc ? desc : "");
    }
    if (has_theme) {
        free(t->theme);
        t->theme = forum_xstrdup(theme ? theme : "");
    }
    fixed = json_object_get(c->body, "fixed");
    if (fixed != NULL) {
        json_t *room = json_object_get(fixed, "room"),
               *slot = json_object_get(fixed, "slot");
        if (!api__is_facilitator(c)) {
            api__error(c, 403, "forbidden", "fixed", "only the facilitator locks topics");
            return false;
        }
        if (json_is_null(fixed)) {
            free(t->fixed_room);
            free(t->fixed_slot);
            t->fixed_room = t->fixed_slot = NULL;
        } else if (json_is_object(fixed) && json_object_size(fixed) == 2 &&
                   json_is_string(room) && json_is_string(slot) &&
                   json_string_length(room) <= STORE_ID_MAX &&
                   json_string_length(slot) <= STORE_ID_MAX) {
            free(t->fixed_room);
            free(t->fixed_slot);
            t->fixed_room = forum_xstrdup(json_string_value(room));
            t->fixed_slot = forum_xstrdup(json_string_value(slot));
        } else {
            api__error(c, 422, "wrong_type", "fixed", "{room, slot} or null");
            return false;
        }
    }
    return true;
}

static bool phase_open(struct api_ctx *c, bool open, const char *code, const char *what)
{
    if (open || api__is_facilitator(c))
        return true;
    api__error(c, 409, code, NULL, "%s are closed for this event", what);
    return false;
}

static void topic_answer(struct api_ctx *c, const char *tid, int status)
{
    struct store_topic t;
    struct forum_error err;
    enum forum_status rc;

    forum_error_clear(&err);
    rc = store_topic_get(c->store, CTX_EID(c), tid, &t, &err);
    if (api__failed(c, rc, &err))
        return;
    api__json(c, status, api__topic_json(c, &t, &c->event));
    store_topic_release(&t);
}

void api__topic_create(struct api_ctx *c)
{
    struct store_topic t;
    char id[STORE_ID_MAX + 1];
    struct forum_error err;
    enum forum_status rc;

    memset(&t, 0, sizeof(t));
    if (!phase_open(c, c->event.proposals_open, "proposals_closed", "proposals") ||
        !topic_fields(c, &t, true))
        goto out;
    if (t.fixed_room != NULL) {
        api__error(c, 422, "invalid", "fixed", "lock a topic once it exists (PATCH)");
        goto out;
    }
    if (api__is_participant(c))
        store_strv_push(&t.host_ids, c->who.participant_id);
    forum_error_clear(&err);
    rc = store_topic_create(c->store, CTX_EID(c), &t, id, &err);
    if (api__failed(c, rc, &err))
        goto out;
    topic_answer(c, id, 201);
out:
    store_topic_release(&t);
}

void api__topic_get(struct api_ctx *c)
{
    topic_answer(c, c->param[1], 200);
}

/* Loads the path's topic and checks the caller may change it. */
static bool topic_for_change(struct api_ctx *c, struct store_topic *t)
{
    struct forum_error err;
    enum forum_status rc;
    bool host = false;

    forum_error_clear(&err);
    rc = store_topic_get(c->store, CTX_EID(c), c->param[1], t, &err);
    if (rc != FORUM_OK) {
        api__fail(c, rc, &err);
        return false;
    }
    if (api__is_facilitator(c))
        return true;
    for (size_t i = 0; i < t->host_ids.n; i++)
        host = host || strcmp(t->host_ids.v[i], c->who.participant_id) == 0;
    if (!host) {
        api__error(c, 403, "forbidden", NULL,
                   "only its hosts and the facilitator change it");
        store_topic_release(t);
        return false;
    }
    return true;
}

void api__topic_patch(struct api_ctx *c)
{
    struct store_topic t;
    struct forum_error err;
    enum forum_status rc;

    if (!topic_for_change(c, &t))
        return;
    if (!topic_fields(c, &t, false))
        goto out;
    forum_error_clear(&err);
    rc = store_topic_update(c->store, CTX_EID(c), &t, &err);
    if (api__failed(c, rc, &err))
        goto out;
    topic_answer(c, t.id, 200);
out:
    store_topic_release(&t);
}

void api__topic_delete(struct api_ctx *c)
{
    struct store_topic t;
    struct forum_error err;
    enum forum_status rc;

    if (!topic_for_change(c, &t))
        return;
    forum_error_clear(&err);
    rc = store_topic_delete(c->store, CTX_EID(c), t.id, &err);
    store_topic_release(&t);
    if (api__failed(c, rc, &err))
        return;
    api__no_content(c);
}

/* ---- votes
 * ------------------------------------------------------------------------------ */

void api__vote_put(struct api_ctx *c)
{
    static const char *const keys[] = {"weight", NULL};
    struct forum_error err;
    enum forum_status rc;
    long weight = 0;
    json_t *doc;

    if (!api__only_keys(c, keys) ||
        !api__get_int(c, "weight", true, 1, c->event.max_weight, &weight, NULL) ||
        !phase_open(c, c->event.voting_open, "voting_closed", "votes"))
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

    if (!phase_open(c, c->event.voting_open, "voting_closed", "votes"))
        return;
    forum_error_clear(&err);
    rc =
        store_vote_delete(c->store, CTX_EID(c), c->who.participant_id, c->param[1], &err);
    if (api__failed(c, rc, &err))
        return;
    atomic_fetch_add(&c->api->metrics.votes, 1);
    api__no_content(c);
}

/* ---- clashes
 * ------------------------------------------------------------------------------ */

/* OUT: value of the query parameter name (copied, at most cap - 1 bytes); false if
 * absent. */
static bool query_param(const char *query, const char *name, char *out, size_t cap)
{
    size_t n = strlen(name);

    for (const char *p = query; p != NULL && *p;
         p = strchr(p, '&') ? strchr(p, '&') + 1 : NULL) {
        if (strncmp(p, name, n) == 0 && p[n] == '=') {
            const char *v = p + n + 1, *end = strchr(v, '&');
            size_t len = end ? (size_t)(end - v) : strlen(v);
            if (len >= cap)
                len = cap - 1;
            memcpy(out, v, len);
            out[len] = '\0';
            return true;
        }
    }
    return false;
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

    if (query_param(c->req->query, "limit", text, sizeof(text))) {
        char *end;
        limit = strtol(text, &end, 10);
        if (*end != '\0' || end == text || limit < 1 || limit > 1000) {
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
