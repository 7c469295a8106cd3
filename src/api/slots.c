/* SPDX-License-Identifier: MIT */
/* Slots: the time periods of an event. */
#include <string.h>

#include "forum/util/mem.h"
#include "internal.h"

static json_t *slot_json(const struct store_slot *sl)
{
    json_t *o = json_object();

    json_object_set_new(o, "id", json_string(sl->id));
    json_object_set_new(o, "label", json_string(sl->label));
    json_object_set_new(o, "starts_at", json_string(sl->starts_at));
    json_object_set_new(o, "ends_at", json_string(sl->ends_at));
    return o;
}

void api__slot_list(struct api_ctx *c)
{
    struct store_slot *v;
    size_t n;
    struct forum_error err;
    enum forum_status rc;
    json_t *arr;

    forum_error_clear(&err);
    rc = store_slot_list(c->store, CTX_EID(c), &v, &n, &err);
    if (api__failed(c, rc, &err))
        return;
    arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, slot_json(&v[i]));
    store_slots_free(v, n);
    api__json(c, 200, arr);
}

/* Reads label, starts_at and ends_at over sl. */
static bool slot_fields(struct api_ctx *c, struct store_slot *sl, bool creating)
{
    static const char *const keys[] = {"label", "starts_at", "ends_at", NULL};
    const char *label = NULL, *from = NULL, *to = NULL;
    bool has_label, has_from, has_to;
    char utc[21];

    if (!api__only_keys(c, keys) ||
        !api__get_string(c, "label", creating, API_LABEL_MAX, false, &label,
                         &has_label) ||
        !api__get_string(c, "starts_at", creating, 40, false, &from, &has_from) ||
        !api__get_string(c, "ends_at", creating, 40, false, &to, &has_to))
        return false;
    if (has_label) {
        if (label == NULL || label[0] == '\0') {
            api__error(c, 422, "empty", "label", "this field cannot be empty");
            return false;
        }
        free(sl->label);
        sl->label = forum_xstrdup(label);
    }
    if (has_from) {
        if (from == NULL || !api__time_parse(from, utc)) {
            api__error(c, 422, "invalid", "starts_at", "an RFC 3339 time is expected");
            return false;
        }
        free(sl->starts_at);
        sl->starts_at = forum_xstrdup(utc);
    }
    if (has_to) {
        if (to == NULL || !api__time_parse(to, utc)) {
            api__error(c, 422, "invalid", "ends_at", "an RFC 3339 time is expected");
            return false;
        }
        free(sl->ends_at);
        sl->ends_at = forum_xstrdup(utc);
    }
    if (strcmp(sl->ends_at, sl->starts_at) <= 0) {
        api__error(c, 422, "invalid", "ends_at", "a slot ends after it starts");
        return false;
    }
    return true;
}

bool api__slots_overlap(const struct store_slot *a, const struct store_slot *b)
{
    /* Normalised UTC times of one format compare as strings. */
    return strcmp(a->starts_at, b->ends_at) < 0 && strcmp(b->starts_at, a->ends_at) < 0;
}

/*
 * Refuses sl when it overlaps (or repeats) another slot of the event: the
 * allocator's model is disjoint slots, so two slots at one time would let
 * one person be seated twice (docs/decisions/0011). Returns false with the
 * 422 filled, naming the other slot.
 */
static bool slot_disjoint(struct api_ctx *c, const struct store_slot *sl)
{
    struct store_slot *v;
    size_t n;
    struct forum_error err;
    enum forum_status rc;
    bool ok = true;

    forum_error_clear(&err);
    rc = store_slot_list(c->store, CTX_EID(c), &v, &n, &err);
    if (api__failed(c, rc, &err))
        return false;
    for (size_t i = 0; i < n && ok; i++) {
        if (sl->id != NULL && strcmp(v[i].id, sl->id) == 0)
            continue;
        if (!api__slots_overlap(sl, &v[i]))
            continue;
        ok = false;
        api__error(c, 422, "overlap", "starts_at",
                   "%s slot %s (%s, %s to %s): slots of an event must not overlap",
                   strcmp(v[i].starts_at, sl->starts_at) == 0 &&
                           strcmp(v[i].ends_at, sl->ends_at) == 0
                       ? "the same times as"
                       : "overlaps",
                   v[i].id, v[i].label, v[i].starts_at, v[i].ends_at);
    }
    store_slots_free(v, n);
    return ok;
}

void api__slot_create(struct api_ctx *c)
{
    struct store_slot sl;
    char id[STORE_ID_MAX + 1];
    struct forum_error err;
    enum forum_status rc;

    memset(&sl, 0, sizeof(sl));
    if (!slot_fields(c, &sl, true) || !slot_disjoint(c, &sl))
        goto out;
    forum_error_clear(&err);
    rc = store_slot_create(c->store, CTX_EID(c), &sl, id, &err);
    if (api__failed(c, rc, &err))
        goto out;
    sl.id = forum_xstrdup(id);
    api__json(c, 201, slot_json(&sl));
out:
    store_slot_release(&sl);
}

void api__slot_patch(struct api_ctx *c)
{
    struct store_slot sl;
    struct forum_error err;
    enum forum_status rc;

    forum_error_clear(&err);
    rc = store_slot_get(c->store, CTX_EID(c), c->param[1], &sl, &err);
    if (api__failed(c, rc, &err))
        return;
    if (!slot_fields(c, &sl, false) || !slot_disjoint(c, &sl))
        goto out;
    rc = store_slot_update(c->store, CTX_EID(c), &sl, &err);
    if (api__failed(c, rc, &err))
        goto out;
    api__json(c, 200, slot_json(&sl));
out:
    store_slot_release(&sl);
}

void api__slot_delete(struct api_ctx *c)
{
    struct forum_error err;
    enum forum_status rc;

    forum_error_clear(&err);
    rc = store_slot_delete(c->store, CTX_EID(c), c->param[1], &err);
    if (api__failed(c, rc, &err))
        return;
    api__no_content(c);
}
