/* SPDX-License-Identifier: MIT */
/*
 * The sessions of a published version, read from their rows and rendered:
 * the public schedule document (cached by schedule_cache.c) and a
 * participant's agenda. Plenaries and breaks are one item for everyone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/util/mem.h"
#include "internal.h"

char *api__group_title(const char *title, long group, const char *locale)
{
    const char *word =
        locale != NULL && strncmp(locale, "fr", 2) == 0 ? "groupe" : "group";
    size_t n = strlen(title) + strlen(word) + 32;
    char *out = forum_xmalloc(n);

    snprintf(out, n, "%s \xE2\x80\x94 %s %ld", title, word, group);
    return out;
}

static json_t *str_or_null(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

/* The members every rendering of a session shares. */
static void session_common(json_t *o, const struct store_schedule *sc,
                           const struct store_session *x)
{
    const struct store_version_room *room =
        api__by_id(sc->rooms, sc->n_rooms, sizeof(*sc->rooms), x->room_id);

    json_object_set_new(o, "id", json_string(x->id));
    json_object_set_new(o, "topic", str_or_null(x->topic_id));
    json_object_set_new(o, "group", json_integer(x->group));
    json_object_set_new(o, "groups", json_integer(x->groups));
    json_object_set_new(o, "block", str_or_null(x->block_id));
    json_object_set_new(o, "kind", json_string(x->kind));
    json_object_set_new(o, "title", json_string(x->title));
    json_object_set_new(o, "room", str_or_null(x->room_id));
    json_object_set_new(o, "slot", json_string(x->slot_id));
    json_object_set_new(o, "starts_at", json_string(x->starts_at));
    json_object_set_new(o, "ends_at", json_string(x->ends_at));
    if (x->everyone)
        json_object_set_new(o, "everyone", json_true());
    if (room != NULL && room->url != NULL)
        json_object_set_new(o, "url", json_string(room->url));
}

json_t *api__schedule_json(const struct store_schedule *sc)
{
    json_t *doc = json_object(), *arr;

    json_object_set_new(doc, "version", json_integer(sc->version));
    json_object_set_new(doc, "published_at", json_string(sc->published_at));
    json_object_set_new(doc, "timezone", json_string(sc->timezone));
    arr = json_array();
    for (size_t i = 0; i < sc->n_slots; i++) {
        const struct store_version_slot *x = &sc->slots[i];
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(x->id));
        json_object_set_new(o, "label", json_string(x->label));
        json_object_set_new(o, "starts_at", json_string(x->starts_at));
        json_object_set_new(o, "ends_at", json_string(x->ends_at));
        json_object_set_new(o, "block", str_or_null(x->block_id));
        json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "slots", arr);
    arr = json_array();
    for (size_t i = 0; i < sc->n_rooms; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(sc->rooms[i].id));
        json_object_set_new(o, "name", json_string(sc->rooms[i].name));
        if (sc->rooms[i].url != NULL)
            json_object_set_new(o, "url", json_string(sc->rooms[i].url));
        json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "rooms", arr);
    arr = json_array();
    for (size_t i = 0; i < sc->n_blocks; i++) {
        const struct store_version_block *b = &sc->blocks[i];
        json_t *o = json_object(), *slots = json_array();
        const char *from = NULL, *to = NULL;
        json_object_set_new(o, "id", json_string(b->id));
        json_object_set_new(o, "name", json_string(b->name));
        json_object_set_new(o, "kind", json_string(b->kind));
        json_object_set_new(o, "title", json_string(b->title));
        json_object_set_new(o, "room", str_or_null(b->room_id));
        for (size_t k = 0; k < sc->n_slots; k++) {
            const struct store_version_slot *x = &sc->slots[k];
            if (x->block_id == NULL || strcmp(x->block_id, b->id) != 0)
                continue;
            json_array_append_new(slots, json_string(x->id));
            if (from == NULL)
                from = x->starts_at; /* the slots come in time order */
            if (to == NULL || strcmp(x->ends_at, to) > 0)
                to = x->ends_at;
        }
        json_object_set_new(o, "slots", slots);
        json_object_set_new(o, "starts_at", str_or_null(from));
        json_object_set_new(o, "ends_at", str_or_null(to));
        json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "blocks", arr);
    arr = json_array();
    for (size_t i = 0; i < sc->n_sessions; i++) {
        const struct store_session *x = &sc->sessions[i];
        json_t *o = json_object();
        session_common(o, sc, x);
        json_object_set_new(o, "theme", json_string(x->theme));
        json_object_set_new(o, "hosts", api__strv_json(&x->hosts));
        json_object_set_new(o, "seated", json_integer(x->seats));
        json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "sessions", arr);
    return doc;
}

json_t *api__session_json(const struct store_schedule *sc, const struct store_session *x)
{
    json_t *o = json_object();
    const struct store_version_room *room =
        api__by_id(sc->rooms, sc->n_rooms, sizeof(*sc->rooms), x->room_id);
    const struct store_version_slot *slot =
        api__by_id(sc->slots, sc->n_slots, sizeof(*sc->slots), x->slot_id);
    const struct store_version_block *block =
        api__by_id(sc->blocks, sc->n_blocks, sizeof(*sc->blocks), x->block_id);

    session_common(o, sc, x);
    json_object_set_new(o, "theme", json_string(x->theme ? x->theme : ""));
    json_object_set_new(o, "hosts", api__strv_json(&x->hosts));
    json_object_set_new(o, "seated", json_integer(x->seats));
    json_object_set_new(o, "room_name", json_string(room ? room->name : ""));
    json_object_set_new(o, "slot_label", json_string(slot ? slot->label : ""));
    json_object_set_new(o, "block_name", json_string(block ? block->name : ""));
    return o;
}

void api__me_agenda(struct api_ctx *c)
{
    struct store_schedule sc;
    struct forum_error err;
    enum forum_status rc;
    json_t *arr;
    char text[24];
    bool too_long = false;
    long since = -1;

    if (api__query_param(c->req->query, "since", text, sizeof(text), &too_long)) {
        char *end;
        since = strtol(text, &end, 10);
        if (too_long || *end != '\0' || end == text || since < 0) {
            api__error(c, 422, "invalid", "since",
                       "since is the number of a published version (0: none seen)");
            return;
        }
    }
    forum_error_clear(&err);
    rc = store_schedule_get(c->store, CTX_EID(c), 0, c->who.participant_id,
                            STORE_SCHEDULE_GRID, &sc, &err);
    if (rc == FORUM_ENOTFOUND) {
        if (since > 0) {
            api__error(c, 422, "out_of_range", "since", "nothing is published yet");
            return;
        }
        api__json(c, 200, json_array()); /* nothing published yet: an empty agenda */
        return;
    }
    if (api__failed(c, rc, &err))
        return;
    if (since > sc.version) {
        api__error(c, 422, "out_of_range", "since", "the latest version is %ld",
                   sc.version);
        store_schedule_release(&sc);
        return;
    }
    arr = json_array();
    for (size_t i = 0; i < sc.n_sessions; i++)
        json_array_append_new(arr, api__session_json(&sc, &sc.sessions[i]));
    /* With since, what changed for this person since that version is marked. */
    if (since >= 0 && since < sc.version)
        api__agenda_mark(c->store, CTX_EID(c), c->who.participant_id, since, &sc, arr,
                         api__session_json);
    store_schedule_release(&sc);
    api__json(c, 200, arr);
}
