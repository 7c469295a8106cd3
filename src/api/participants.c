/* SPDX-License-Identifier: MIT */
/* Participants: joining, the list, one's own profile. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/util/mem.h"
#include "internal.h"

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

/* Folds an ASCII letter to upper case (join codes are ASCII). */
static unsigned char upper(char ch)
{
    return (unsigned char)(ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch);
}

/* Compares in any case, without an early exit, so the time says nothing of
 * the prefix. Join codes are case-insensitive everywhere (GET /join too). */
static bool same_code(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    unsigned char d = na != nb;

    for (size_t i = 0; i < na; i++)
        d |= (unsigned char)(upper(a[i]) ^ upper(b[i % (nb ? nb : 1)]));
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
    struct store_participant *v = NULL;
    struct store_vote *votes = NULL;
    struct store_topic *topics = NULL;
    size_t n = 0, n_votes = 0, n_topics = 0;
    struct forum_error err;
    enum forum_status rc;
    json_t *arr;

    forum_error_clear(&err);
    rc = store_read_begin(c->store, &err);
    if (rc == FORUM_OK) {
        rc = store_participant_list(c->store, CTX_EID(c), &v, &n, &err);
        if (rc == FORUM_OK)
            rc = store_vote_list(c->store, CTX_EID(c), NULL, &votes, &n_votes, &err);
        if (rc == FORUM_OK)
            rc = store_topic_list(c->store, CTX_EID(c), &topics, &n_topics, &err);
        store_read_end(c->store);
    }
    if (api__failed(c, rc, &err))
        goto out;
    arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = participant_json(&v[i]);
        long cast = 0, hosts = 0;
        for (size_t k = 0; k < n_votes; k++)
            cast += strcmp(votes[k].participant_id, v[i].id) == 0;
        for (size_t k = 0; k < n_topics; k++)
            for (size_t h = 0; h < topics[k].host_ids.n; h++)
                hosts += strcmp(topics[k].host_ids.v[h], v[i].id) == 0;
        json_object_set_new(o, "votes", json_integer(cast));
        json_object_set_new(o, "hosts", json_integer(hosts));
        json_array_append_new(arr, o);
    }
    api__json(c, 200, arr);
out:
    store_participants_free(v, n);
    store_votes_free(votes, n_votes);
    store_topics_free(topics, n_topics);
}

void api__participant_delete(struct api_ctx *c)
{
    struct store_strv gone = {NULL, 0};
    struct forum_error err;
    enum forum_status rc;
    long votes = 0;
    json_t *doc;

    forum_error_clear(&err);
    rc = store_participant_delete(c->store, CTX_EID(c), c->param[1], &gone, &votes, &err);
    if (api__failed(c, rc, &err))
        return;
    doc = json_object();
    json_object_set_new(doc, "id", json_string(c->param[1]));
    json_object_set_new(doc, "votes_deleted", json_integer(votes));
    json_object_set_new(doc, "topics_deleted", api__strv_json(&gone));
    store_strv_release(&gone);
    api__json(c, 200, doc);
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
