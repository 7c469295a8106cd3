/* SPDX-License-Identifier: MIT */
/*
 * The allocator's JSON edge: a strict parser from the problem document to
 * struct alloc_problem, and the solution document writer
 * (design/ALLOCATOR.md). Safe on hostile input: sizes are bounded before
 * anything is allocated, every type is checked, and nothing is trusted.
 */
#include "forum/alloc_json.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "forum/util/mem.h"
#include "internal.h"

/* The longest id, feature or label accepted, in bytes. */
#define ID_MAX 256

struct parser {
    struct alloc_problem *p;
    json_t *slot_ids, *room_ids, *topic_ids, *person_ids, *feature_ids; /* id -> index */
    struct forum_error *err;
};

/* Copies s into out (cap bytes), truncated, control characters replaced. */
static void printable(char *out, size_t cap, const char *s)
{
    size_t i = 0;
    for (; s[i] != '\0' && i + 4 < cap; i++)
        out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
    if (s[i] != '\0' && i + 4 >= cap) {
        memcpy(out + i, "...", 3);
        i += 3;
    }
    out[i] = '\0';
}

static enum forum_status fail(struct parser *ps, const char *field, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static enum forum_status fail(struct parser *ps, const char *field, const char *fmt, ...)
{
    char msg[FORUM_ERROR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return forum_error_set(ps->err, FORUM_EINVAL, field, "%s", msg);
}

static enum forum_status nomem(struct parser *ps)
{
    return forum_error_set(ps->err, FORUM_ENOMEM, "", "out of memory");
}

/* Field name helpers: "topics[3]", "topics[3].hosts", "topics[3].hosts[0]". */
static void field1(char *out, const char *list, size_t i)
{
    snprintf(out, FORUM_ERROR_FIELD_MAX, "%s[%zu]", list, i);
}
static void field2(char *out, const char *list, size_t i, const char *key)
{
    snprintf(out, FORUM_ERROR_FIELD_MAX, "%s[%zu].%s", list, i, key);
}
static void field3(char *out, const char *list, size_t i, const char *key, size_t j)
{
    snprintf(out, FORUM_ERROR_FIELD_MAX, "%s[%zu].%s[%zu]", list, i, key, j);
}

/* Returns the array at key of obj (may be absent: empty) or fails. */
static enum forum_status get_array(struct parser *ps, json_t *obj, const char *key,
                                   const char *field, size_t max, json_t **out)
{
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (v == NULL || json_is_null(v))
        return FORUM_OK;
    if (!json_is_array(v))
        return fail(ps, field, "must be an array");
    if (json_array_size(v) > max)
        return fail(ps, field, "too many entries (at most %zu)", max);
    *out = v;
    return FORUM_OK;
}

/* Reads a non-empty id string (or a reference to one). */
static enum forum_status get_string(struct parser *ps, json_t *v, const char *field,
                                    const char **out)
{
    if (!json_is_string(v))
        return fail(ps, field, "must be a string");
    if (json_string_length(v) == 0)
        return fail(ps, field, "must not be empty");
    if (json_string_length(v) > ID_MAX)
        return fail(ps, field, "too long (at most %d bytes)", ID_MAX);
    *out = json_string_value(v);
    return FORUM_OK;
}

/* Reads a non-negative integer up to max. */
static enum forum_status get_count(struct parser *ps, json_t *v, const char *field,
                                   json_int_t max, json_int_t *out)
{
    if (!json_is_integer(v))
        return fail(ps, field, "must be a non-negative integer");
    json_int_t x = json_integer_value(v);
    if (x < 0)
        return fail(ps, field,
                    "must be a non-negative integer, not %" JSON_INTEGER_FORMAT, x);
    if (x > max)
        return fail(ps, field, "too large (at most %" JSON_INTEGER_FORMAT ")", max);
    *out = x;
    return FORUM_OK;
}

/* Reads a positive integer up to max. */
static enum forum_status get_positive(struct parser *ps, json_t *v, const char *field,
                                      json_int_t max, json_int_t *out)
{
    if (!json_is_integer(v))
        return fail(ps, field, "must be a positive integer");
    json_int_t x = json_integer_value(v);
    if (x < 1)
        return fail(ps, field, "must be a positive integer, not %" JSON_INTEGER_FORMAT,
                    x);
    if (x > max)
        return fail(ps, field, "too large (at most %" JSON_INTEGER_FORMAT ")", max);
    *out = x;
    return FORUM_OK;
}

/* Looks up a reference in map. */
static enum forum_status lookup(struct parser *ps, json_t *map, json_t *v,
                                const char *field, const char *what, size_t *out)
{
    const char *id = NULL;
    enum forum_status rc = get_string(ps, v, field, &id);
    if (rc != FORUM_OK)
        return rc;
    json_t *ix = json_object_get(map, id);
    if (ix == NULL) {
        char safe[64];
        printable(safe, sizeof safe, id);
        return fail(ps, field, "unknown %s \"%s\"", what, safe);
    }
    *out = (size_t)json_integer_value(ix);
    return FORUM_OK;
}

/*
 * Collects the ids of one list into map (id -> index). OUT: the array and its
 * size. Each element must be an object with a unique "id".
 */
static enum forum_status collect_ids(struct parser *ps, json_t *root, const char *list,
                                     size_t max, json_t *map, json_t **arr, size_t *n)
{
    char field[FORUM_ERROR_FIELD_MAX];
    enum forum_status rc = get_array(ps, root, list, list, max, arr);
    size_t i;
    json_t *el;

    *n = 0;
    if (rc != FORUM_OK || *arr == NULL)
        return rc;
    json_array_foreach(*arr, i, el)
    {
        const char *id = NULL;
        if (!json_is_object(el)) {
            field1(field, list, i);
            return fail(ps, field, "must be an object");
        }
        field2(field, list, i, "id");
        json_t *v = json_object_get(el, "id");
        if (v == NULL)
            return fail(ps, field, "is missing");
        if ((rc = get_string(ps, v, field, &id)) != FORUM_OK)
            return rc;
        if (json_object_get(map, id) != NULL) {
            char safe[64];
            printable(safe, sizeof safe, id);
            return fail(ps, field, "duplicate id \"%s\"", safe);
        }
        if (json_object_set_new(map, id, json_integer((json_int_t)i)) != 0)
            return nomem(ps);
    }
    *n = json_array_size(*arr);
    return FORUM_OK;
}

/*
 * Starts reading the array key of obj (at most max elements) into an index
 * list: names field list[i].key, sets *n = 0 and allocates *out (owned) for
 * every element. OUT: arr, NULL when the array is absent or empty.
 */
static enum forum_status index_list(struct parser *ps, json_t *obj, const char *list,
                                    size_t i, const char *key, size_t max, char *field,
                                    json_t **arr, size_t **out, size_t *n)
{
    enum forum_status rc;

    field2(field, list, i, key);
    if ((rc = get_array(ps, obj, key, field, max, arr)) != FORUM_OK)
        return rc;
    *n = 0;
    if (*arr == NULL || json_array_size(*arr) == 0) {
        *arr = NULL;
        return FORUM_OK;
    }
    *out = forum_try_calloc(json_array_size(*arr), sizeof **out);
    if (*out == NULL)
        return nomem(ps);
    return FORUM_OK;
}

/* Reads an array of references into an owned index array. */
static enum forum_status ref_list(struct parser *ps, json_t *obj, const char *list,
                                  size_t i, const char *key, json_t *map,
                                  const char *what, size_t max, size_t **out, size_t *n)
{
    char field[FORUM_ERROR_FIELD_MAX];
    json_t *arr, *el;
    size_t j;
    enum forum_status rc = index_list(ps, obj, list, i, key, max, field, &arr, out, n);

    if (rc != FORUM_OK || arr == NULL)
        return rc;
    json_array_foreach(arr, j, el)
    {
        size_t ix = 0;
        field3(field, list, i, key, j);
        if ((rc = lookup(ps, map, el, field, what, &ix)) != FORUM_OK)
            return rc;
        (*out)[(*n)++] = ix;
    }
    return FORUM_OK;
}

/* Reads an array of feature names, adding new names to the feature table. */
static enum forum_status feature_list(struct parser *ps, json_t *obj, const char *list,
                                      size_t i, const char *key, size_t **out, size_t *n)
{
    char field[FORUM_ERROR_FIELD_MAX];
    struct alloc_problem *p = ps->p;
    json_t *arr, *el;
    size_t j;
    enum forum_status rc =
        index_list(ps, obj, list, i, key, ALLOC_MAX_FEATURES, field, &arr, out, n);

    if (rc != FORUM_OK || arr == NULL)
        return rc;
    json_array_foreach(arr, j, el)
    {
        const char *name = NULL;
        field3(field, list, i, key, j);
        if ((rc = get_string(ps, el, field, &name)) != FORUM_OK)
            return rc;
        json_t *ix = json_object_get(ps->feature_ids, name);
        size_t k;
        if (ix != NULL) {
            k = (size_t)json_integer_value(ix);
        } else {
            if (p->n_features >= ALLOC_MAX_FEATURES)
                return fail(ps, field, "too many distinct features (at most %d)",
                            ALLOC_MAX_FEATURES);
            char *copy = forum_try_strdup(name);
            if (copy == NULL)
                return nomem(ps);
            k = p->n_features;
            p->features[p->n_features++] = copy;
            if (json_object_set_new(ps->feature_ids, name, json_integer((json_int_t)k)) !=
                0)
                return nomem(ps);
        }
        bool dup = false;
        for (size_t u = 0; u < *n; u++)
            dup |= (*out)[u] == k;
        if (!dup)
            (*out)[(*n)++] = k;
    }
    return FORUM_OK;
}

static enum forum_status parse_slots(struct parser *ps, json_t *arr)
{
    struct alloc_problem *p = ps->p;
    char field[FORUM_ERROR_FIELD_MAX];
    size_t i;
    json_t *el;

    json_array_foreach(arr, i, el)
    {
        struct alloc_slot *s = &p->slots[i];
        s->id = forum_try_strdup(json_string_value(json_object_get(el, "id")));
        if (s->id == NULL)
            return nomem(ps);
        json_t *label = json_object_get(el, "label");
        if (label != NULL && !json_is_null(label)) {
            const char *text = NULL;
            field2(field, "slots", i, "label");
            enum forum_status rc = get_string(ps, label, field, &text);
            if (rc != FORUM_OK)
                return rc;
            if ((s->label = forum_try_strdup(text)) == NULL)
                return nomem(ps);
        }
    }
    return FORUM_OK;
}

static enum forum_status parse_rooms(struct parser *ps, json_t *arr)
{
    struct alloc_problem *p = ps->p;
    char field[FORUM_ERROR_FIELD_MAX];
    enum forum_status rc;
    size_t i;
    json_t *el;

    json_array_foreach(arr, i, el)
    {
        struct alloc_room *r = &p->rooms[i];
        json_int_t cap = 0;
        r->id = forum_try_strdup(json_string_value(json_object_get(el, "id")));
        if (r->id == NULL)
            return nomem(ps);
        field2(field, "rooms", i, "capacity");
        json_t *v = json_object_get(el, "capacity");
        if (v == NULL)
            return fail(ps, field, "is missing");
        if ((rc = get_count(ps, v, field, ALLOC_MAX_CAPACITY, &cap)) != FORUM_OK)
            return rc;
        r->capacity = (uint32_t)cap;
        if ((rc = feature_list(ps, el, "rooms", i, "features", &r->features,
                               &r->n_features)) != FORUM_OK ||
            (rc = ref_list(ps, el, "rooms", i, "unavailable", ps->slot_ids, "slot",
                           ALLOC_MAX_SLOTS, &r->unavailable, &r->n_unavailable)) !=
                FORUM_OK)
            return rc;
    }
    return FORUM_OK;
}

static int cmp_index(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static bool allowed(const size_t *slots, size_t n, size_t s)
{
    for (size_t k = 0; k < n; k++)
        if (slots[k] == s)
            return true;
    return false;
}

/* Reads a topic's "slots" (its block of the day): sorted, duplicates dropped. */
static enum forum_status parse_allowed_slots(struct parser *ps, json_t *el, size_t i,
                                             struct alloc_topic *t)
{
    json_t *v = json_object_get(el, "slots");
    enum forum_status rc;

    if (v == NULL || json_is_null(v))
        return FORUM_OK;
    if ((rc = ref_list(ps, el, "topics", i, "slots", ps->slot_ids, "slot",
                       ALLOC_MAX_SLOTS, &t->slots, &t->n_slots)) != FORUM_OK)
        return rc;
    t->has_slots = true;
    if (t->n_slots > 1) {
        qsort(t->slots, t->n_slots, sizeof *t->slots, cmp_index);
        size_t n = 1;
        for (size_t k = 1; k < t->n_slots; k++)
            if (t->slots[k] != t->slots[n - 1])
                t->slots[n++] = t->slots[k];
        t->n_slots = n;
    }
    return FORUM_OK;
}

/* Reads a topic's "groups": {max, size_min, size_max}, all required, all >= 1. */
static enum forum_status parse_groups(struct parser *ps, json_t *el, size_t i,
                                      struct alloc_topic *t)
{
    static const char *const keys[3] = {"max", "size_min", "size_max"};
    static const char *const names[3] = {"groups.max", "groups.size_min",
                                         "groups.size_max"};
    char field[FORUM_ERROR_FIELD_MAX];
    json_t *g = json_object_get(el, "groups");
    json_int_t val[3] = {0, 0, 0};
    enum forum_status rc;

    if (g == NULL || json_is_null(g))
        return FORUM_OK;
    field2(field, "topics", i, "groups");
    if (!json_is_object(g))
        return fail(ps, field,
                    "must be an object {\"max\": ..., \"size_min\": ..., "
                    "\"size_max\": ...}");
    for (int k = 0; k < 3; k++) {
        field2(field, "topics", i, names[k]);
        json_t *v = json_object_get(g, keys[k]);
        if (v == NULL)
            return fail(ps, field, "is missing");
        if ((rc = get_positive(ps, v, field, ALLOC_MAX_CAPACITY, &val[k])) != FORUM_OK)
            return rc;
    }
    if (val[1] > val[2]) {
        field2(field, "topics", i, "groups.size_min");
        return fail(ps, field,
                    "%" JSON_INTEGER_FORMAT
                    " is above groups.size_max %" JSON_INTEGER_FORMAT,
                    val[1], val[2]);
    }
    t->has_groups = true;
    t->groups.max = (uint32_t)val[0];
    t->groups.size_min = (uint32_t)val[1];
    t->groups.size_max = (uint32_t)val[2];
    return FORUM_OK;
}

static enum forum_status parse_topics(struct parser *ps, json_t *arr)
{
    struct alloc_problem *p = ps->p;
    char field[FORUM_ERROR_FIELD_MAX];
    enum forum_status rc;
    size_t i;
    json_t *el;

    json_array_foreach(arr, i, el)
    {
        struct alloc_topic *t = &p->topics[i];
        t->fixed_room = t->fixed_slot = ALLOC_NONE;
        t->id = forum_try_strdup(json_string_value(json_object_get(el, "id")));
        if (t->id == NULL)
            return nomem(ps);
        if ((rc = ref_list(ps, el, "topics", i, "hosts", ps->person_ids, "participant",
                           1000, &t->hosts, &t->n_hosts)) != FORUM_OK ||
            (rc = feature_list(ps, el, "topics", i, "needs", &t->needs, &t->n_needs)) !=
                FORUM_OK)
            return rc;
        for (size_t h = 1; h < t->n_hosts; h++)
            for (size_t g = 0; g < h; g++)
                if (t->hosts[g] == t->hosts[h]) {
                    field3(field, "topics", i, "hosts", h);
                    return fail(ps, field, "participant \"%.60s\" is listed twice",
                                p->participants[t->hosts[h]].id);
                }
        json_t *v = json_object_get(el, "max_size");
        if (v != NULL && !json_is_null(v)) {
            json_int_t size = 0;
            field2(field, "topics", i, "max_size");
            if ((rc = get_count(ps, v, field, ALLOC_MAX_CAPACITY, &size)) != FORUM_OK)
                return rc;
            t->has_max_size = true;
            t->max_size = (uint32_t)size;
        }
        v = json_object_get(el, "fixed");
        if (v != NULL && !json_is_null(v)) {
            field2(field, "topics", i, "fixed");
            if (!json_is_object(v))
                return fail(ps, field,
                            "must be an object {\"room\": ..., \"slot\": ...}");
            json_t *room = json_object_get(v, "room"), *slot = json_object_get(v, "slot");
            field2(field, "topics", i, "fixed.room");
            if (room == NULL)
                return fail(ps, field, "is missing");
            if ((rc = lookup(ps, ps->room_ids, room, field, "room", &t->fixed_room)) !=
                FORUM_OK)
                return rc;
            field2(field, "topics", i, "fixed.slot");
            if (slot == NULL)
                return fail(ps, field, "is missing");
            if ((rc = lookup(ps, ps->slot_ids, slot, field, "slot", &t->fixed_slot)) !=
                FORUM_OK)
                return rc;
        }
        if ((rc = parse_allowed_slots(ps, el, i, t)) != FORUM_OK ||
            (rc = parse_groups(ps, el, i, t)) != FORUM_OK)
            return rc;
        if (t->fixed_slot != ALLOC_NONE && t->has_slots &&
            !allowed(t->slots, t->n_slots, t->fixed_slot)) {
            field2(field, "topics", i, "fixed.slot");
            return fail(ps, field, "slot \"%.60s\" is outside the topic's slots",
                        p->slots[t->fixed_slot].id);
        }
    }
    return FORUM_OK;
}

static enum forum_status parse_participants(struct parser *ps, json_t *arr,
                                            size_t *n_votes)
{
    struct alloc_problem *p = ps->p;
    char field[FORUM_ERROR_FIELD_MAX];
    enum forum_status rc;
    size_t i;
    json_t *el;

    json_array_foreach(arr, i, el)
    {
        struct alloc_participant *q = &p->participants[i];
        q->id = forum_try_strdup(json_string_value(json_object_get(el, "id")));
        if (q->id == NULL)
            return nomem(ps);
        if ((rc = feature_list(ps, el, "participants", i, "needs", &q->needs,
                               &q->n_needs)) != FORUM_OK ||
            (rc = ref_list(ps, el, "participants", i, "unavailable", ps->slot_ids, "slot",
                           ALLOC_MAX_SLOTS, &q->unavailable, &q->n_unavailable)) !=
                FORUM_OK)
            return rc;
        json_t *votes = json_object_get(el, "votes");
        if (votes == NULL || json_is_null(votes))
            continue;
        field2(field, "participants", i, "votes");
        if (!json_is_object(votes))
            return fail(ps, field, "must be an object mapping topic ids to weights");
        size_t nv = json_object_size(votes);
        *n_votes += nv;
        if (*n_votes > ALLOC_MAX_VOTES)
            return fail(ps, field, "too many votes in all (at most %d)", ALLOC_MAX_VOTES);
        if (nv == 0)
            continue;
        q->votes = forum_try_calloc(nv, sizeof *q->votes);
        if (q->votes == NULL)
            return nomem(ps);
        const char *key;
        json_t *w;
        json_object_foreach(votes, key, w)
        {
            char safe[40];
            printable(safe, sizeof safe, key);
            /* Long topic ids are cut short in the field name; the message keeps more. */
            if (snprintf(field, sizeof field, "participants[%zu].votes.%s", i, safe) < 0)
                field[0] = '\0';
            json_t *ix = json_object_get(ps->topic_ids, key);
            if (ix == NULL)
                return fail(ps, field, "unknown topic \"%s\"", safe);
            json_int_t weight = 0;
            if ((rc = get_count(ps, w, field, ALLOC_MAX_WEIGHT, &weight)) != FORUM_OK)
                return rc;
            q->votes[q->n_votes].topic = (size_t)json_integer_value(ix);
            q->votes[q->n_votes].weight = (uint32_t)weight;
            q->n_votes++;
        }
    }
    return FORUM_OK;
}

/* Reads "previous": the published sessions, at most one per (topic, group) and
 * per cell. */
static enum forum_status read_previous(struct parser *ps, json_t *root, json_t *seen,
                                       uint8_t *cell_used)
{
    struct alloc_problem *p = ps->p;
    char field[FORUM_ERROR_FIELD_MAX];
    json_t *arr, *el;
    enum forum_status rc;
    size_t i;

    if ((rc = get_array(ps, root, "previous", "previous", ALLOC_MAX_CELLS, &arr)) !=
            FORUM_OK ||
        arr == NULL || json_array_size(arr) == 0)
        return rc;
    p->previous = forum_try_calloc(json_array_size(arr), sizeof *p->previous);
    if (p->previous == NULL)
        return nomem(ps);
    json_array_foreach(arr, i, el)
    {
        struct alloc_previous *e = &p->previous[i];
        json_int_t g = 1;
        if (!json_is_object(el)) {
            field1(field, "previous", i);
            return fail(ps, field, "must be an object");
        }
        static const char *const keys[3] = {"topic", "room", "slot"};
        static const char *const what[3] = {"topic", "room", "slot"};
        json_t *maps[3] = {ps->topic_ids, ps->room_ids, ps->slot_ids};
        size_t *dst[3] = {&e->topic, &e->room, &e->slot};
        for (int k = 0; k < 3; k++) {
            field2(field, "previous", i, keys[k]);
            json_t *v = json_object_get(el, keys[k]);
            if (v == NULL)
                return fail(ps, field, "is missing");
            if ((rc = lookup(ps, maps[k], v, field, what[k], dst[k])) != FORUM_OK)
                return rc;
        }
        json_t *v = json_object_get(el, "group");
        if (v != NULL && !json_is_null(v)) {
            field2(field, "previous", i, "group");
            if ((rc = get_positive(ps, v, field, ALLOC_MAX_CAPACITY, &g)) != FORUM_OK)
                return rc;
        }
        e->group = (uint32_t)g;
        p->n_previous = i + 1;
        /* Duplicates: one entry per (topic, group), keyed in a map, and one per cell. */
        char key[48];
        snprintf(key, sizeof key, "%zu/%u", e->topic, (unsigned)e->group);
        field1(field, "previous", i);
        if (json_object_get(seen, key) != NULL)
            return fail(ps, field, "a second entry for topic \"%.60s\", group %u",
                        p->topics[e->topic].id, (unsigned)e->group);
        if (json_object_set_new(seen, key, json_true()) != 0)
            return nomem(ps);
        size_t c = e->slot * p->n_rooms + e->room;
        if (cell_used[c])
            return fail(ps, field, "a second entry for room \"%.60s\", slot \"%.60s\"",
                        p->rooms[e->room].id, p->slots[e->slot].id);
        cell_used[c] = 1;
    }
    return FORUM_OK;
}

static enum forum_status parse_previous(struct parser *ps, json_t *root)
{
    struct alloc_problem *p = ps->p;
    json_t *seen = json_object();
    uint8_t *cell_used = forum_try_calloc(p->n_slots * p->n_rooms + 1, 1);
    enum forum_status rc = seen != NULL && cell_used != NULL
                               ? read_previous(ps, root, seen, cell_used)
                               : nomem(ps);

    json_decref(seen);
    free(cell_used);
    return rc;
}

static enum forum_status parse_options(struct parser *ps, json_t *root,
                                       struct alloc_json_options *opts)
{
    json_t *o = json_object_get(root, "options"), *v;
    enum forum_status rc;
    json_int_t x;

    if (o == NULL || json_is_null(o))
        return FORUM_OK;
    if (!json_is_object(o))
        return fail(ps, "options", "must be an object");
    if ((v = json_object_get(o, "time_limit_ms")) != NULL && !json_is_null(v)) {
        if ((rc = get_count(ps, v, "options.time_limit_ms", 86400000, &x)) != FORUM_OK)
            return rc;
        opts->has_time_limit_ms = true;
        opts->time_limit_ms = (uint64_t)x;
    }
    if ((v = json_object_get(o, "seed")) != NULL && !json_is_null(v)) {
        if ((rc = get_count(ps, v, "options.seed", INT64_MAX, &x)) != FORUM_OK)
            return rc;
        opts->has_seed = true;
        opts->seed = (uint64_t)x;
    }
    if ((v = json_object_get(o, "objective")) != NULL && !json_is_null(v)) {
        const char *name = json_is_string(v) ? json_string_value(v) : "";
        if (strcmp(name, "topics_first") == 0)
            ps->p->objective = ALLOC_TOPICS_FIRST;
        else if (strcmp(name, "votes_first") == 0)
            ps->p->objective = ALLOC_VOTES_FIRST;
        else
            return fail(ps, "options.objective",
                        "must be \"topics_first\" or \"votes_first\"");
        opts->has_objective = true;
    }
    return FORUM_OK;
}

enum forum_status alloc_json_parse_problem(const char *text, size_t len,
                                           struct alloc_problem **out,
                                           struct alloc_json_options *opts,
                                           struct forum_error *err)
{
    struct parser ps = {0};
    struct alloc_json_options o = {0};
    json_t *root = NULL, *slots, *rooms, *topics, *people;
    enum forum_status rc = FORUM_ENOMEM;
    size_t n_votes = 0;

    if (out == NULL)
        return forum_error_set(err, FORUM_EINVAL, "", "no output pointer");
    *out = NULL;
    ps.err = err;
    if ((root = alloc_json__load_object(text, len, "the document", err)) == NULL) {
        rc = FORUM_EINVAL;
        goto out;
    }
    ps.p = forum_try_calloc(1, sizeof *ps.p);
    ps.slot_ids = json_object();
    ps.room_ids = json_object();
    ps.topic_ids = json_object();
    ps.person_ids = json_object();
    ps.feature_ids = json_object();
    if (!ps.p || !ps.slot_ids || !ps.room_ids || !ps.topic_ids || !ps.person_ids ||
        !ps.feature_ids) {
        rc = nomem(&ps);
        goto out;
    }
    struct alloc_problem *p = ps.p;
    /* Arrays are sized before the details are read; the problem's counts stay 0
     * until then so that alloc_problem_free() only sees initialised entries
     * (also when a later list of ids is refused). */
    size_t ns = 0, nr = 0, nt = 0, np = 0;
    if ((rc = collect_ids(&ps, root, "slots", ALLOC_MAX_SLOTS, ps.slot_ids, &slots,
                          &ns)) != FORUM_OK ||
        (rc = collect_ids(&ps, root, "rooms", ALLOC_MAX_ROOMS, ps.room_ids, &rooms,
                          &nr)) != FORUM_OK ||
        (rc = collect_ids(&ps, root, "topics", ALLOC_MAX_TOPICS, ps.topic_ids, &topics,
                          &nt)) != FORUM_OK ||
        (rc = collect_ids(&ps, root, "participants", ALLOC_MAX_PARTICIPANTS,
                          ps.person_ids, &people, &np)) != FORUM_OK)
        goto out;
    if (ns > 0 && nr > ALLOC_MAX_CELLS / ns) {
        rc = forum_error_set(err, FORUM_EINVAL, "rooms",
                             "too many rooms x slots (at most %d)", ALLOC_MAX_CELLS);
        goto out;
    }
    if (ns > 0 && np > ALLOC_MAX_PARTICIPANT_SLOTS / ns) {
        rc = forum_error_set(err, FORUM_EINVAL, "participants",
                             "too many participants x slots (at most %d)",
                             ALLOC_MAX_PARTICIPANT_SLOTS);
        goto out;
    }
    p->slots = forum_try_calloc(ns + 1, sizeof *p->slots);
    p->rooms = forum_try_calloc(nr + 1, sizeof *p->rooms);
    p->topics = forum_try_calloc(nt + 1, sizeof *p->topics);
    p->participants = forum_try_calloc(np + 1, sizeof *p->participants);
    p->features = forum_try_calloc(ALLOC_MAX_FEATURES, sizeof *p->features);
    if (!p->slots || !p->rooms || !p->topics || !p->participants || !p->features) {
        rc = nomem(&ps);
        goto out;
    }
    p->n_slots = ns;
    p->n_rooms = nr;
    p->n_topics = nt;
    p->n_participants = np;
    for (size_t i = 0; i < nt; i++)
        p->topics[i].fixed_room = p->topics[i].fixed_slot = ALLOC_NONE;
    if ((ns && (rc = parse_slots(&ps, slots)) != FORUM_OK) ||
        (nr && (rc = parse_rooms(&ps, rooms)) != FORUM_OK) ||
        (np && (rc = parse_participants(&ps, people, &n_votes)) != FORUM_OK) ||
        (nt && (rc = parse_topics(&ps, topics)) != FORUM_OK) ||
        (rc = parse_previous(&ps, root)) != FORUM_OK ||
        (rc = parse_options(&ps, root, &o)) != FORUM_OK)
        goto out;
    rc = alloc_problem_validate(p, err);
    if (rc != FORUM_OK)
        goto out;
    *out = p;
    ps.p = NULL;
    if (opts != NULL)
        *opts = o;
out:
    alloc_problem_free(ps.p);
    json_decref(ps.slot_ids);
    json_decref(ps.room_ids);
    json_decref(ps.topic_ids);
    json_decref(ps.person_ids);
    json_decref(ps.feature_ids);
    json_decref(root);
    return rc;
}

json_t *alloc_json__load_object(const char *text, size_t len, const char *what,
                                struct forum_error *err)
{
    json_error_t jerr;
    json_t *root;

    if (text == NULL || len > ALLOC_JSON_MAX_BYTES) {
        forum_error_set(err, FORUM_EINVAL, "", "%s is missing or larger than %u bytes",
                        what, ALLOC_JSON_MAX_BYTES);
        return NULL;
    }
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        forum_error_set(err, FORUM_EINVAL, "", "malformed JSON at line %d, column %d: %s",
                        jerr.line, jerr.column, jerr.text);
        return NULL;
    }
    if (!json_is_object(root)) {
        forum_error_set(err, FORUM_EINVAL, "", "%s must be a JSON object", what);
        json_decref(root);
        return NULL;
    }
    return root;
}

/* ---- the solution document ---- */

/* Appends v to arr; true on success. Steals v. */
static bool push(json_t *arr, json_t *v)
{
    return v != NULL && json_array_append_new(arr, v) == 0;
}

static bool put(json_t *obj, const char *key, json_t *v)
{
    return v != NULL && json_object_set_new(obj, key, v) == 0;
}

char *alloc_json_dump_solution(const struct alloc_problem *p,
                               const struct alloc_result *r, size_t *len)
{
    json_t *doc = json_object(), *sessions = json_array(), *unsched = json_array();
    json_t *why = json_object(), *codes = json_object(), *score = json_object();
    char *text = NULL;
    bool ok = doc && sessions && unsched && why && codes && score;

    for (size_t i = 0; ok && i < r->n_sessions; i++) {
        const struct alloc_session *s = &r->sessions[i];
        json_t *o = json_object(), *att = json_array();
        ok = o && att;
        for (size_t k = 0; ok && k < s->n_attendees; k++)
            ok = push(att, json_string(p->participants[s->attendees[k]].id));
        ok = ok && put(o, "topic", json_string(p->topics[s->topic].id)) &&
             put(o, "group", json_integer((json_int_t)s->group)) &&
             put(o, "room", json_string(p->rooms[s->room].id)) &&
             put(o, "slot", json_string(p->slots[s->slot].id));
        if (ok) {
            ok = put(o, "attendees", att);
            att = NULL;
        }
        json_decref(att);
        if (ok) {
            ok = push(sessions, o);
            o = NULL;
        }
        json_decref(o);
    }
    for (size_t i = 0; ok && i < r->n_unscheduled; i++) {
        const char *id = p->topics[r->unscheduled[i]].id;
        ok = push(unsched, json_string(id)) &&
             put(why, id, json_string(alloc_why_str(r->why[i]))) &&
             put(codes, id, json_string(alloc_why_name(r->why[i])));
    }
    ok = ok && put(score, "scheduled", json_integer(r->score.scheduled)) &&
         put(score, "moved", json_integer(r->score.moved)) &&
         put(score, "satisfied", json_integer(r->score.satisfied)) &&
         put(score, "demand", json_integer(r->score.demand)) &&
         put(score, "bound", json_integer(r->score.bound)) &&
         put(score, "unserved", json_integer(r->score.unserved));
    if (ok) {
        ok = put(doc, "sessions", sessions) && put(doc, "unscheduled", unsched) &&
             put(doc, "why", why) && put(doc, "why_code", codes) &&
             put(doc, "score", score);
        sessions = unsched = why = codes = score = NULL;
    }
    if (ok)
        text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(doc);
    json_decref(sessions);
    json_decref(unsched);
    json_decref(why);
    json_decref(codes);
    json_decref(score);
    if (text != NULL && len != NULL)
        *len = strlen(text);
    return text;
}
