/* SPDX-License-Identifier: MIT */
/* Rooms: capacity, features, unavailable slots. */
#include <string.h>

#include "forum/util/mem.h"
#include "internal.h"

static json_t *room_json(const struct store_room *r)
{
    json_t *o = json_object();

    json_object_set_new(o, "id", json_string(r->id));
    json_object_set_new(o, "name", json_string(r->name));
    json_object_set_new(o, "capacity", json_integer(r->capacity));
    json_object_set_new(o, "features", api__strv_json(&r->features));
    json_object_set_new(o, "unavailable", api__strv_json(&r->unavailable));
    json_object_set_new(o, "url", r->url ? json_string(r->url) : json_null());
    return o;
}

void api__room_list(struct api_ctx *c)
{
    struct store_room *v;
    size_t n;
    struct forum_error err;
    enum forum_status rc;
    json_t *arr;

    forum_error_clear(&err);
    rc = store_room_list(c->store, CTX_EID(c), &v, &n, &err);
    if (api__failed(c, rc, &err))
        return;
    arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, room_json(&v[i]));
    store_rooms_free(v, n);
    api__json(c, 200, arr);
}

static bool room_fields(struct api_ctx *c, struct store_room *r, bool creating)
{
    static const char *const keys[] = {"name",        "capacity", "features",
                                       "unavailable", "url",      NULL};
    const char *name = NULL, *url = NULL;
    bool has_name, has_url;

    if (!api__only_keys(c, keys) ||
        !api__get_string(c, "name", creating, API_LABEL_MAX, false, &name, &has_name) ||
        !api__get_int(c, "capacity", creating, API_CAPACITY_MIN, API_CAPACITY_MAX,
                      &r->capacity, NULL) ||
        !api__get_strv(c, "features", API_FEATURES_MAX, API_FEATURE_MAX, &r->features,
                       NULL) ||
        !api__get_strv(c, "unavailable", API_UNAVAILABLE_MAX, STORE_ID_MAX,
                       &r->unavailable, NULL) ||
        !api__get_string(c, "url", false, API_URL_MAX, false, &url, &has_url))
        return false;
    if (has_url) {
        if (url != NULL && url[0] != '\0' && !api__url_ok(url)) {
            api__error(c, 422, "invalid", "url",
                       "an http:// or https:// link (printable, no spaces), or null");
            return false;
        }
        free(r->url);
        r->url = url != NULL && url[0] != '\0' ? forum_xstrdup(url) : NULL;
    }
    if (has_name) {
        if (name == NULL || name[0] == '\0') {
            api__error(c, 422, "empty", "name", "this field cannot be empty");
            return false;
        }
        free(r->name);
        r->name = forum_xstrdup(name);
    }
    return true;
}

void api__room_create(struct api_ctx *c)
{
    struct store_room r;
    char id[STORE_ID_MAX + 1];
    struct forum_error err;
    enum forum_status rc;

    memset(&r, 0, sizeof(r));
    if (!room_fields(c, &r, true))
        goto out;
    forum_error_clear(&err);
    rc = store_room_create(c->store, CTX_EID(c), &r, id, &err);
    if (api__failed(c, rc, &err))
        goto out;
    r.id = forum_xstrdup(id);
    api__json(c, 201, room_json(&r));
out:
    store_room_release(&r);
}

void api__room_patch(struct api_ctx *c)
{
    struct store_room r;
    struct forum_error err;
    enum forum_status rc;

    forum_error_clear(&err);
    rc = store_room_get(c->store, CTX_EID(c), c->param[1], &r, &err);
    if (api__failed(c, rc, &err))
        return;
    if (!room_fields(c, &r, false))
        goto out;
    rc = store_room_update(c->store, CTX_EID(c), &r, &err);
    if (api__failed(c, rc, &err))
        goto out;
    /* Read back: the store orders and deduplicates the lists. */
    store_room_release(&r);
    rc = store_room_get(c->store, CTX_EID(c), c->param[1], &r, &err);
    if (api__failed(c, rc, &err))
        return;
    api__json(c, 200, room_json(&r));
out:
    store_room_release(&r);
}

void api__room_delete(struct api_ctx *c)
{
    struct forum_error err;
    enum forum_status rc;

    forum_error_clear(&err);
    rc = store_room_delete(c->store, CTX_EID(c), c->param[1], &err);
    if (api__failed(c, rc, &err))
        return;
    api__no_content(c);
}
