/* SPDX-License-Identifier: MIT */
/* The allocation drafts: list, read, drop (published ones are kept). */
#include "internal.h"

static json_t *allocation_summary(const struct store_allocation *a)
{
    json_t *o = json_object();

    json_object_set_new(o, "id", json_string(a->id));
    json_object_set_new(o, "created_at", json_string(a->created_at));
    json_object_set_new(o, "satisfied", json_integer(a->satisfied));
    json_object_set_new(o, "bound", a->bound >= 0 ? json_integer(a->bound) : json_null());
    json_object_set_new(o, "scheduled", json_integer(a->scheduled));
    json_object_set_new(o, "published",
                        a->published > 0 ? json_integer(a->published) : json_false());
    json_object_set_new(o, "version", json_integer(a->base_version));
    json_object_set_new(o, "kept_slots",
                        json_loads(a->kept_slots ? a->kept_slots : "[]", 0, NULL));
    return o;
}

void api__allocation_list(struct api_ctx *c)
{
    struct store_allocation *v;
    size_t n;
    struct forum_error err;
    enum forum_status rc;
    json_t *arr;

    forum_error_clear(&err);
    rc = store_allocation_list(c->store, CTX_EID(c), false, &v, &n, &err);
    if (api__failed(c, rc, &err))
        return;
    arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, allocation_summary(&v[i]));
    store_allocations_free(v, n);
    api__json(c, 200, arr);
}

void api__allocation_get(struct api_ctx *c)
{
    struct store_allocation a;
    struct forum_error err;
    enum forum_status rc;
    json_t *doc, *changes;

    forum_error_clear(&err);
    rc = store_allocation_get(c->store, CTX_EID(c), c->param[1], &a, &err);
    if (api__failed(c, rc, &err))
        return;
    doc = allocation_summary(&a);
    json_object_set_new(doc, "solution", json_loads(a.solution, 0, NULL));
    changes = api__draft_changes(c->store, CTX_EID(c), &a);
    json_object_set_new(doc, "changes", changes != NULL ? changes : json_null());
    store_allocation_release(&a);
    api__json(c, 200, doc);
}

void api__allocation_delete(struct api_ctx *c)
{
    struct forum_error err;
    enum forum_status rc;

    forum_error_clear(&err);
    rc = store_allocation_delete(c->store, CTX_EID(c), c->param[1], &err);
    if (rc == FORUM_ECONFLICT) {
        api__error(c, 409, "published", NULL, "a published allocation is kept");
        return;
    }
    if (api__failed(c, rc, &err))
        return;
    api__no_content(c);
}
