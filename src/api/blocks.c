/* SPDX-License-Identifier: MIT */
/*
 * Blocks: the parts of an event's day (forum, groups, workshops, plenary,
 * break), each with some of its slots. Every rule is checked before the
 * first write, and a refusal names the field: a slot in two blocks, blocks
 * that overlap in time, a plenary without a room large enough.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/util/mem.h"
#include "internal.h"

static const char *const kinds[] = {"forum",   "groups", "workshops",
                                    "plenary", "break",  NULL};

bool api__block_allocated(const char *kind)
{
    return kind != NULL && strcmp(kind, "plenary") != 0 && strcmp(kind, "break") != 0;
}

json_t *api__block_json(const struct store_block *b)
{
    json_t *o = json_object();

    json_object_set_new(o, "id", json_string(b->id));
    json_object_set_new(o, "name", json_string(b->name));
    json_object_set_new(o, "kind", json_string(b->kind));
    json_object_set_new(o, "slots", api__strv_json(&b->slots));
    json_object_set_new(o, "room", b->room_id ? json_string(b->room_id) : json_null());
    json_object_set_new(o, "title", json_string(b->title ? b->title : ""));
    json_object_set_new(o, "proposals_open", json_boolean(b->proposals_open));
    json_object_set_new(o, "starts_at",
                        b->starts_at ? json_string(b->starts_at) : json_null());
    json_object_set_new(o, "ends_at", b->ends_at ? json_string(b->ends_at) : json_null());
    return o;
}

void api__block_list(struct api_ctx *c)
{
    struct store_block *v;
    size_t n;
    struct forum_error err;
    enum forum_status rc;
    json_t *arr;

    forum_error_clear(&err);
    rc = store_block_list(c->store, CTX_EID(c), &v, &n, &err);
    if (api__failed(c, rc, &err))
        return;
    arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, api__block_json(&v[i]));
    store_blocks_free(v, n);
    api__json(c, 200, arr);
}

/* Reads the fields of the body over b. */
static bool block_fields(struct api_ctx *c, struct store_block *b, bool creating)
{
    static const char *const keys[] = {"name",  "kind",           "slots", "room",
                                       "title", "proposals_open", NULL};
    const char *name = NULL, *kind = NULL, *room = NULL, *title = NULL;
    bool has_name, has_kind, has_room, has_title, has_open, open = false;
    json_t *slots;

    if (!api__only_keys(c, keys) ||
        !api__get_string(c, "name", creating, API_LABEL_MAX, false, &name, &has_name) ||
        !api__get_string(c, "kind", creating, 16, false, &kind, &has_kind) ||
        !api__get_string(c, "room", false, STORE_ID_MAX, false, &room, &has_room) ||
        !api__get_string(c, "title", false, API_NAME_MAX, false, &title, &has_title) ||
        !api__get_bool(c, "proposals_open", &open, &has_open))
        return false;
    slots = json_object_get(c->body, "slots");
    if (slots != NULL) {
        store_strv_release(&b->slots);
        if (!api__get_strv(c, "slots", API_SLOTS_MAX, STORE_ID_MAX, &b->slots, NULL))
            return false;
    }
    if (has_name) {
        if (name == NULL || name[0] == '\0') {
            api__error(c, 422, "empty", "name", "this field cannot be empty");
            return false;
        }
        free(b->name);
        b->name = forum_xstrdup(name);
    }
    if (has_kind) {
        size_t k = 0;
        while (kinds[k] != NULL && (kind == NULL || strcmp(kinds[k], kind) != 0))
            k++;
        if (kinds[k] == NULL) {
            api__error(c, 422, "invalid", "kind",
                       "one of forum, groups, workshops, plenary, break");
            return false;
        }
        free(b->kind);
        b->kind = forum_xstrdup(kinds[k]);
    }
    if (has_room) {
        free(b->room_id);
        b->room_id = room != NULL && room[0] != '\0' ? forum_xstrdup(room) : NULL;
    }
    if (has_title) {
        free(b->title);
        b->title = forum_xstrdup(title ? title : "");
    }
    if (has_open)
        b->proposals_open = open;
    else if (creating)
        b->proposals_open = strcmp(b->kind, "forum") == 0;
    if (!api__block_allocated(b->kind)) {
        if (has_open && open) {
            api__error(c, 422, "invalid", "proposals_open",
                       "a plenary or a break takes no proposals");
            return false;
        }
        b->proposals_open = false;
    }
    return true;
}

/* Everything the rules of one block need, loaded once. */
struct block_world {
    struct store_slot *slots;
    size_t n_slots;
    struct store_block *blocks;
    size_t n_blocks;
    struct store_topic *topics;
    size_t n_topics;
    struct store_participant *people;
    size_t n_people;
};

static void world_release(struct block_world *w)
{
    store_slots_free(w->slots, w->n_slots);
    store_blocks_free(w->blocks, w->n_blocks);
    store_topics_free(w->topics, w->n_topics);
    store_participants_free(w->people, w->n_people);
    memset(w, 0, sizeof(*w));
}

static enum forum_status world_load(struct api_ctx *c, struct block_world *w,
                                    struct forum_error *err)
{
    enum forum_status rc =
        store_slot_list(c->store, CTX_EID(c), &w->slots, &w->n_slots, err);

    if (rc == FORUM_OK)
        rc = store_block_list(c->store, CTX_EID(c), &w->blocks, &w->n_blocks, err);
    if (rc == FORUM_OK)
        rc = store_topic_list(c->store, CTX_EID(c), &w->topics, &w->n_topics, err);
    if (rc == FORUM_OK)
        rc = store_participant_list(c->store, CTX_EID(c), &w->people, &w->n_people, err);
    return rc;
}

/* The people a plenary in room r must seat: everyone, but those who take part
 * online when the room has a link they follow it by. */
static long plenary_people(const struct block_world *w, const struct store_room *r)
{
    long n = 0;

    for (size_t i = 0; i < w->n_people; i++) {
        bool online = false;
        for (size_t k = 0; k < w->people[i].needs.n; k++)
            online = online || strcmp(w->people[i].needs.v[k], "online") == 0;
        if (!(online && r->url != NULL))
            n++;
    }
    return n;
}

/*
 * Checks b (self: its id, NULL when new) against the event: its room, its
 * slots, the other blocks and the topics. Returns false after answering 422
 * naming the field.
 */
static bool block_check(struct api_ctx *c, const struct store_block *b, const char *self)
{
    struct block_world w;
    struct store_room room;
    struct forum_error err;
    enum forum_status rc;
    const char *from = NULL, *to = NULL;
    bool ok = false;

    memset(&w, 0, sizeof(w));
    memset(&room, 0, sizeof(room));
    forum_error_clear(&err);
    rc = world_load(c, &w, &err);
    if (api__failed(c, rc, &err))
        goto out;
    if (self == NULL && w.n_blocks >= API_BLOCKS_MAX) {
        api__error(c, 422, "too_many", NULL, "at most %d blocks per event",
                   API_BLOCKS_MAX);
        goto out;
    }
    /* The room: a plenary's (required), a break's (optional), nobody else's. */
    if (b->room_id != NULL && api__block_allocated(b->kind)) {
        api__error(c, 422, "invalid", "room",
                   "only a plenary or a break takes place in one room; topics are placed "
                   "by the allocator");
        goto out;
    }
    if (b->room_id == NULL && strcmp(b->kind, "plenary") == 0) {
        api__error(c, 422, "missing", "room", "a plenary needs its room");
        goto out;
    }
    if (b->room_id != NULL) {
        rc = store_room_get(c->store, CTX_EID(c), b->room_id, &room, &err);
        if (rc == FORUM_ENOTFOUND) {
            api__error(c, 422, "invalid", "room", "no such room in this event");
            goto out;
        }
        if (api__failed(c, rc, &err))
            goto out;
        if (strcmp(b->kind, "plenary") == 0 &&
            room.capacity < plenary_people(&w, &room)) {
            api__error(c, 422, "too_small", "room",
                       "%s seats %ld, and the plenary is for %ld participants%s",
                       room.name, room.capacity, plenary_people(&w, &room),
                       room.url ? " (those who take part online excepted)" : "");
            goto out;
        }
    }
    /* The slots: the event's, each once, none in another block. */
    if (b->slots.n == 0 && !api__block_allocated(b->kind)) {
        api__error(c, 422, "missing", "slots", "a plenary or a break needs its slots");
        goto out;
    }
    for (size_t i = 0; i < b->slots.n; i++) {
        const struct store_slot *sl =
            api__by_id(w.slots, w.n_slots, sizeof(*w.slots), b->slots.v[i]);
        if (sl == NULL) {
            api__error(c, 422, "invalid", "slots", "no such slot in this event: %.40s",
                       b->slots.v[i]);
            goto out;
        }
        for (size_t k = 0; k < i; k++) {
            if (strcmp(b->slots.v[k], b->slots.v[i]) == 0) {
                api__error(c, 422, "invalid", "slots", "slot %.40s is listed twice",
                           b->slots.v[i]);
                goto out;
            }
        }
        if (from == NULL || strcmp(sl->starts_at, from) < 0)
            from = sl->starts_at;
        if (to == NULL || strcmp(sl->ends_at, to) > 0)
            to = sl->ends_at;
    }
    for (size_t k = 0; k < w.n_blocks; k++) {
        const struct store_block *o = &w.blocks[k];
        if (self != NULL && strcmp(o->id, self) == 0)
            continue;
        for (size_t i = 0; i < b->slots.n; i++) {
            for (size_t j = 0; j < o->slots.n; j++) {
                if (strcmp(b->slots.v[i], o->slots.v[j]) == 0) {
                    const struct store_slot *sl =
                        api__by_id(w.slots, w.n_slots, sizeof(*w.slots), b->slots.v[i]);
                    api__error(c, 422, "slot_taken", "slots",
                               "slot \"%s\" is in the block \"%s\" already",
                               sl ? sl->label : b->slots.v[i], o->name);
                    goto out;
                }
            }
        }
        /* Blocks follow each other: their spans never meet. */
        if (from != NULL && o->starts_at != NULL && strcmp(from, o->ends_at) < 0 &&
            strcmp(o->starts_at, to) < 0) {
            api__error(c, 422, "overlap", "slots",
                       "these slots overlap the block \"%s\" (%s to %s)", o->name,
                       o->starts_at, o->ends_at);
            goto out;
        }
    }
    /* The topics: none in a plenary or a break, none locked outside their block,
     * none locked in a plenary's or a break's slot. */
    for (size_t i = 0; i < w.n_topics; i++) {
        const struct store_topic *t = &w.topics[i];
        bool mine = self != NULL && t->block_id != NULL && strcmp(t->block_id, self) == 0;
        bool in = false;
        if (mine && !api__block_allocated(b->kind)) {
            api__error(c, 422, "invalid", "kind",
                       "the topic \"%s\" belongs to this block: move it before making "
                       "the block a plenary or a break",
                       t->title);
            goto out;
        }
        if (t->fixed_slot == NULL)
            continue;
        for (size_t k = 0; k < b->slots.n; k++)
            in = in || strcmp(b->slots.v[k], t->fixed_slot) == 0;
        if ((in && !api__block_allocated(b->kind)) || (mine && !in && b->slots.n > 0)) {
            const struct store_slot *sl =
                api__by_id(w.slots, w.n_slots, sizeof(*w.slots), t->fixed_slot);
            api__error(c, 422, "invalid", "slots",
                       "the topic \"%s\" is locked in slot \"%s\": unlock it first",
                       t->title, sl ? sl->label : t->fixed_slot);
            goto out;
        }
    }
    ok = true;
out:
    store_room_release(&room);
    world_release(&w);
    return ok;
}

static void block_answer(struct api_ctx *c, const char *bid, int status)
{
    struct store_block b;
    struct forum_error err;
    enum forum_status rc;

    forum_error_clear(&err);
    rc = store_block_get(c->store, CTX_EID(c), bid, &b, &err);
    if (api__failed(c, rc, &err))
        return;
    api__json(c, status, api__block_json(&b));
    store_block_release(&b);
}

void api__block_create(struct api_ctx *c)
{
    struct store_block b;
    char id[STORE_ID_MAX + 1];
    struct forum_error err;
    enum forum_status rc;

    memset(&b, 0, sizeof(b));
    if (!block_fields(c, &b, true) || !block_check(c, &b, NULL))
        goto out;
    forum_error_clear(&err);
    rc = store_block_create(c->store, CTX_EID(c), &b, id, &err);
    if (api__failed(c, rc, &err))
        goto out;
    block_answer(c, id, 201);
out:
    store_block_release(&b);
}

void api__block_get(struct api_ctx *c)
{
    block_answer(c, c->param[1], 200);
}

void api__block_patch(struct api_ctx *c)
{
    struct store_block b;
    struct forum_error err;
    enum forum_status rc;

    forum_error_clear(&err);
    rc = store_block_get(c->store, CTX_EID(c), c->param[1], &b, &err);
    if (api__failed(c, rc, &err))
        return;
    if (!block_fields(c, &b, false) || !block_check(c, &b, b.id))
        goto out;
    rc = store_block_update(c->store, CTX_EID(c), &b, &err);
    if (api__failed(c, rc, &err))
        goto out;
    block_answer(c, b.id, 200);
out:
    store_block_release(&b);
}

void api__block_delete(struct api_ctx *c)
{
    struct forum_error err;
    enum forum_status rc;

    forum_error_clear(&err);
    rc = store_block_delete(c->store, CTX_EID(c), c->param[1], &err);
    if (api__failed(c, rc, &err))
        return;
    api__no_content(c);
}
