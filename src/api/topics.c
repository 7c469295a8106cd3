/* SPDX-License-Identifier: MIT */
/* Topics: proposals, changes by their hosts or the facilitator, locks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/util/mem.h"
#include "internal.h"

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
    json_object_set_new(o, "block", t->block_id ? json_string(t->block_id) : json_null());
    if (t->groups_max > 0) {
        json_t *g = json_object();
        json_object_set_new(g, "max", json_integer(t->groups_max));
        json_object_set_new(g, "size_min", json_integer(t->group_size_min));
        json_object_set_new(g, "size_max", json_integer(t->group_size_max));
        json_object_set_new(o, "groups", g);
    } else {
        json_object_set_new(o, "groups", json_null());
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

/* Reads groups (null, or {max, size_min, size_max}: the facilitator's) over t. */
static bool topic_groups(struct api_ctx *c, struct store_topic *t, json_t *g)
{
    static const char *const names[] = {"max", "size_min", "size_max"};
    json_int_t v[3];

    if (!api__is_facilitator(c)) {
        api__error(c, 403, "forbidden", "groups",
                   "only the facilitator runs a topic as groups");
        return false;
    }
    if (json_is_null(g)) {
        t->groups_max = t->group_size_min = t->group_size_max = 0;
        return true;
    }
    if (!json_is_object(g) || json_object_size(g) != 3) {
        api__error(c, 422, "wrong_type", "groups", "{max, size_min, size_max} or null");
        return false;
    }
    for (int i = 0; i < 3; i++) {
        json_t *x = json_object_get(g, names[i]);
        if (!json_is_integer(x)) {
            api__error(c, 422, x == NULL ? "missing" : "wrong_type", "groups",
                       "groups.%s: an integer is expected", names[i]);
            return false;
        }
        v[i] = json_integer_value(x);
    }
    if (v[0] < 1 || v[0] > API_GROUPS_MAX) {
        api__error(c, 422, "out_of_range", "groups", "groups.max is 1..%d",
                   API_GROUPS_MAX);
        return false;
    }
    if (v[1] < 1 || v[2] > 100000 || v[1] > v[2]) {
        api__error(c, 422, "out_of_range", "groups",
                   "groups.size_min is 1..size_max, and size_max at most 100000");
        return false;
    }
    t->groups_max = (long)v[0];
    t->group_size_min = (long)v[1];
    t->group_size_max = (long)v[2];
    return true;
}

/* Reads hosts (participant ids of the event: the facilitator's) over t. */
static bool topic_hosts(struct api_ctx *c, struct store_topic *t)
{
    struct store_strv ids = {NULL, 0};
    struct store_participant p;
    struct forum_error err;
    enum forum_status rc;

    if (!api__is_facilitator(c)) {
        api__error(c, 403, "forbidden", "hosts", "only the facilitator sets the hosts");
        return false;
    }
    if (!api__get_strv(c, "hosts", API_HOSTS_MAX, STORE_ID_MAX, &ids, NULL))
        return false;
    for (size_t i = 0; i < ids.n; i++) {
        forum_error_clear(&err);
        rc = store_participant_get(c->store, CTX_EID(c), ids.v[i], &p, &err);
        if (rc == FORUM_ENOTFOUND) {
            api__error(c, 422, "invalid", "hosts",
                       "no such participant in this event: %.40s", ids.v[i]);
            store_strv_release(&ids);
            return false;
        }
        if (api__failed(c, rc, &err)) {
            store_strv_release(&ids);
            return false;
        }
        store_participant_release(&p);
    }
    store_strv_release(&t->host_ids);
    store_strv_release(&t->host_names);
    t->host_ids = ids;
    t->hosts_set = true;
    return true;
}

/*
 * Checks t's block against the event's blocks (prev: its block before this
 * request, NULL when new or in none): an allocated block of the event; for a
 * participant, a block open for proposals, chosen for them when only one is.
 * A locked slot must lie in the block. Returns false after answering.
 */
static bool topic_block(struct api_ctx *c, struct store_topic *t, const char *prev,
                        bool creating)
{
    struct store_block *v = NULL;
    size_t n = 0, open = 0;
    const struct store_block *b = NULL, *only = NULL;
    struct forum_error err;
    enum forum_status rc;
    bool ok = false, participant = !api__is_facilitator(c);

    forum_error_clear(&err);
    rc = store_block_list(c->store, CTX_EID(c), &v, &n, &err);
    if (api__failed(c, rc, &err))
        return false;
    for (size_t i = 0; i < n; i++) {
        /* A plenary's or a break's slot holds no topic, locked or not. */
        for (size_t k = 0; t->fixed_slot != NULL && !api__block_allocated(v[i].kind) &&
                           k < v[i].slots.n;
             k++) {
            if (strcmp(v[i].slots.v[k], t->fixed_slot) == 0) {
                api__error(c, 422, "invalid", "fixed",
                           "this slot is the \"%s\" block's: one item for everyone",
                           v[i].name);
                goto out;
            }
        }
        if (v[i].proposals_open) {
            open++;
            only = &v[i];
        }
        if (t->block_id != NULL && strcmp(v[i].id, t->block_id) == 0)
            b = &v[i];
    }
    if (t->block_id == NULL && participant && n > 0) {
        /* A participant's topic always has a block once the day has blocks. */
        if (!creating && prev == NULL) {
            ok = true; /* proposed before the blocks existed: left where it is */
            goto out;
        }
        if (open == 0) {
            api__error(c, 409, "proposals_closed", "block",
                       "no block of the day takes proposals now");
            goto out;
        }
        if (open > 1) {
            api__error(c, 422, "missing", "block",
                       "choose the block of the day this topic belongs to");
            goto out;
        }
        t->block_id = forum_xstrdup(only->id);
        b = only;
    }
    if (t->block_id != NULL) {
        if (b == NULL) {
            api__error(c, 422, "invalid", "block", "no such block in this event");
            goto out;
        }
        if (!api__block_allocated(b->kind)) {
            api__error(
                c, 422, "invalid", "block",
                "a plenary or a break holds no topics: it is one item for everyone");
            goto out;
        }
        if (participant && !b->proposals_open &&
            (prev == NULL || strcmp(prev, b->id) != 0)) {
            api__error(c, 409, "proposals_closed", "block",
                       "the block \"%s\" takes no proposals", b->name);
            goto out;
        }
        if (t->fixed_slot != NULL && b->slots.n > 0) {
            bool in = false;
            for (size_t k = 0; k < b->slots.n; k++)
                in = in || strcmp(b->slots.v[k], t->fixed_slot) == 0;
            if (!in) {
                api__error(c, 422, "invalid", "fixed",
                           "the locked slot is not in the block \"%s\"", b->name);
                goto out;
            }
        }
    }
    ok = true;
out:
    store_blocks_free(v, n);
    return ok;
}

/* Reads the topic fields over t; fixed only when allowed. */
static bool topic_fields(struct api_ctx *c, struct store_topic *t, bool creating)
{
    static const char *const keys[] = {"title",    "description", "theme", "needs",
                                       "max_size", "fixed",       "block", "groups",
                                       "hosts",    NULL};
    const char *title = NULL, *desc = NULL, *theme = NULL, *block = NULL;
    bool has_title, has_desc, has_theme, has_max, has_block;
    json_t *max, *fixed, *groups;

    if (!api__only_keys(c, keys) ||
        !api__get_string(c, "title", creating, API_NAME_MAX, false, &title, &has_title) ||
        !api__get_string(c, "description", false, API_DESCRIPTION_MAX, true, &desc,
                         &has_desc) ||
        !api__get_string(c, "theme", false, API_LABEL_MAX, false, &theme, &has_theme) ||
        !api__get_strv(c, "needs", API_FEATURES_MAX, API_FEATURE_MAX, &t->needs, NULL) ||
        !api__get_string(c, "block", false, STORE_ID_MAX, false, &block, &has_block))
        return false;
    if (has_block) {
        free(t->block_id);
        t->block_id = block != NULL && block[0] != '\0' ? forum_xstrdup(block) : NULL;
    }
    groups = json_object_get(c->body, "groups");
    if (groups != NULL && !topic_groups(c, t, groups))
        return false;
    if (json_object_get(c->body, "hosts") != NULL && !topic_hosts(c, t))
        return false;
    max = json_object_get(c->body, "max_size");
    has_max = max != NULL && !json_is_null(max);
    if (max != NULL && json_is_null(max))
        t->max_size = 0;
    if (has_max && !api__get_int(c, "max_size", false, API_MAX_SIZE_MIN, API_CAPACITY_MAX,
                                 &t->max_size, NULL))
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
    if (!api__phase_open(c, c->event.proposals_open, "proposals_closed", "proposals") ||
        !topic_fields(c, &t, true))
        goto out;
    if (t.fixed_room != NULL) {
        api__error(c, 422, "invalid", "fixed", "lock a topic once it exists (PATCH)");
        goto out;
    }
    if (!topic_block(c, &t, NULL, true))
        goto out;
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
    char *prev = NULL;

    if (!topic_for_change(c, &t))
        return;
    prev = t.block_id ? forum_xstrdup(t.block_id) : NULL;
    if (!topic_fields(c, &t, false) || !topic_block(c, &t, prev, false))
        goto out;
    forum_error_clear(&err);
    rc = store_topic_update(c->store, CTX_EID(c), &t, &err);
    if (api__failed(c, rc, &err))
        goto out;
    topic_answer(c, t.id, 200);
out:
    free(prev);
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
