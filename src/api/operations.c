/* SPDX-License-Identifier: MIT */
/*
 * The one-step operations of the day, from the facilitator's console:
 * cancel a session, merge two topics, move a session by hand (its cost shown
 * first), close a room from a slot on, add a topic on the spot. Each checks
 * everything before it writes, then changes the event (what the next
 * allocation reads) and records itself with what undoes it, in one
 * transaction; none touches a published version: publishing a draft made
 * after them makes them public in one step. POST /changes/{op}, and their
 * undo (plan.c calls api__operation_undo()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/util/mem.h"
#include "internal.h"

#define OP_NAMES_MAX 20 /* names listed in a cost (the count is always whole) */

/* What an operation reads before it decides: the event, its published
 * version, its draft. */
struct op_state {
    struct api_plan plan;
    struct api_world w;
    struct store_schedule pub;   /* the latest version (grid, attendees); empty before */
    struct store_session *draft; /* the sessions of the newest draft made on this day */
    size_t n_draft;
    bool has_draft;
    struct store_change *open; /* the changes no publication closed yet */
    size_t n_open;
};

static void op_release(struct op_state *st)
{
    api__world_release(&st->w);
    store_schedule_release(&st->pub);
    for (size_t i = 0; i < st->n_draft; i++)
        store_session_release(&st->draft[i]);
    free(st->draft);
    store_changes_free(st->open, st->n_open);
    memset(st, 0, sizeof(*st));
}

/* Loads the newest draft made against the current version on the day as it
 * is (the one publishing would take), as rows. */
static enum forum_status draft_load(struct store *s, const char *eid, struct op_state *st,
                                    struct forum_error *err)
{
    struct store_allocation *v = NULL, a;
    size_t n = 0;
    enum forum_status rc = store_allocation_list(s, eid, false, &v, &n, err);
    char aid[STORE_ID_MAX + 1] = "";
    json_t *sol, *x;
    size_t i;

    for (i = 0; rc == FORUM_OK && i < n && v[i].published == 0; i++) {
        if (v[i].base_version == st->plan.version && v[i].plan_seq == st->plan.head) {
            snprintf(aid, sizeof(aid), "%s", v[i].id);
            break;
        }
    }
    store_allocations_free(v, n);
    if (rc != FORUM_OK || aid[0] == '\0')
        return rc;
    rc = store_allocation_get(s, eid, aid, &a, err);
    if (rc != FORUM_OK)
        return rc;
    sol = json_loads(a.solution, 0, NULL);
    st->draft = forum_xcalloc(json_array_size(json_object_get(sol, "sessions")) + 1,
                              sizeof(*st->draft));
    json_array_foreach(json_object_get(sol, "sessions"), i, x)
    {
        if (api__draft_session(&st->w, x, &st->draft[st->n_draft], NULL) == FORUM_OK)
            st->n_draft++;
        else
            store_session_release(&st->draft[st->n_draft]);
    }
    st->has_draft = true;
    json_decref(sol);
    store_allocation_release(&a);
    return FORUM_OK;
}

/* Reads the state, checks If-Match. Returns false after answering. */
static bool op_begin(struct api_ctx *c, struct op_state *st)
{
    struct forum_error err;
    enum forum_status rc;

    memset(st, 0, sizeof(*st));
    forum_error_clear(&err);
    rc = api__plan_read(c->store, CTX_EID(c), &st->plan, &err);
    if (api__failed(c, rc, &err) || !api__plan_check(c, &st->plan))
        return false;
    rc = api__world_load(c->store, CTX_EID(c), &st->w, &err);
    if (rc == FORUM_OK && st->plan.version > 0)
        rc = store_schedule_get(c->store, CTX_EID(c), st->plan.version, NULL,
                                STORE_SCHEDULE_GRID | STORE_SCHEDULE_ATTENDEES, &st->pub,
                                &err);
    if (rc == FORUM_OK)
        rc = draft_load(c->store, CTX_EID(c), st, &err);
    if (rc == FORUM_OK)
        rc = store_change_list_open(c->store, CTX_EID(c), &st->open, &st->n_open, &err);
    return !api__failed(c, rc, &err);
}

/* The sessions as they stand now for the slots to come: the draft's when
 * there is one, else the published ones. */
static const struct store_session *current(const struct op_state *st, size_t *n)
{
    if (st->has_draft) {
        *n = st->n_draft;
        return st->draft;
    }
    *n = st->pub.n_sessions;
    return st->pub.sessions;
}

static const struct store_session *session_in(const struct store_session *v, size_t n,
                                              const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].id, id) == 0)
            return &v[i];
    return NULL;
}

/* The pending change of kind whose summary says key = value (the newest), or NULL. */
static const struct store_change *change_about(const struct op_state *st,
                                               const char *kind, const char *key,
                                               const char *value)
{
    const struct store_change *found = NULL;

    for (size_t i = 0; i < st->n_open; i++) {
        const struct store_change *x = &st->open[i];
        json_t *sum;
        if (strcmp(x->state, "pending") != 0 || strcmp(x->kind, kind) != 0)
            continue;
        sum = json_loads(x->summary, 0, NULL);
        if (json_is_string(json_object_get(sum, key)) &&
            strcmp(json_string_value(json_object_get(sum, key)), value) == 0)
            found = x;
        json_decref(sum);
    }
    return found;
}

/* A topic by id in the event as it is, or NULL. */
static const struct store_topic *topic_of(const struct op_state *st, const char *tid)
{
    return api__by_id(st->w.topics, st->w.n_topics, sizeof(*st->w.topics), tid);
}

static bool slot_started(const struct op_state *st, const char *sid)
{
    const struct store_slot *sl =
        api__by_id(st->w.slots, st->w.n_slots, sizeof(*st->w.slots), sid);

    return sl != NULL && api__slot_started(sl->starts_at, st->plan.now);
}

/* True when one of topic tid's published sessions is in a slot that has started. */
static bool topic_started(const struct op_state *st, const char *tid)
{
    for (size_t i = 0; i < st->pub.n_sessions; i++) {
        const struct store_session *x = &st->pub.sessions[i];
        if (x->topic_id != NULL && strcmp(x->topic_id, tid) == 0 &&
            slot_started(st, x->slot_id))
            return true;
    }
    return false;
}

/* Splits a session id ("t123abcd" or "t123abcd-2") into its topic and group. */
static bool session_parse(const char *id, char *tid, long *group)
{
    const char *dash = strrchr(id, '-');
    size_t n = strlen(id);

    *group = 1;
    if (dash != NULL && dash[1] != '\0' &&
        strspn(dash + 1, "0123456789") == strlen(dash + 1)) {
        *group = strtol(dash + 1, NULL, 10);
        n = (size_t)(dash - id);
    }
    if (n == 0 || n > STORE_ID_MAX || *group < 1 || *group > API_GROUPS_MAX)
        return false;
    memcpy(tid, id, n);
    tid[n] = '\0';
    return true;
}

/* Names of the people of ids (at most OP_NAMES_MAX) as a JSON array. */
static json_t *names_json(const struct op_state *st, const struct store_strv *ids)
{
    json_t *arr = json_array();

    for (size_t i = 0; i < ids->n && i < OP_NAMES_MAX; i++) {
        const struct store_participant *p =
            api__by_id(st->w.people, st->w.n_people, sizeof(*st->w.people), ids->v[i]);
        json_array_append_new(arr, json_string(p ? p->name : ids->v[i]));
    }
    return arr;
}

static json_t *place_json(const struct op_state *st, const char *rid, const char *sid)
{
    const struct store_room *r =
        api__by_id(st->w.rooms, st->w.n_rooms, sizeof(*st->w.rooms), rid);
    const struct store_slot *sl =
        api__by_id(st->w.slots, st->w.n_slots, sizeof(*st->w.slots), sid);
    json_t *o = json_object();

    json_object_set_new(o, "room", rid ? json_string(rid) : json_null());
    json_object_set_new(o, "room_name", json_string(r ? r->name : ""));
    json_object_set_new(o, "slot", json_string(sid));
    json_object_set_new(o, "slot_label", json_string(sl ? sl->label : ""));
    json_object_set_new(o, "starts_at", json_string(sl ? sl->starts_at : ""));
    return o;
}

/* Records the change (summary and undo stolen) inside the caller's write. */
static enum forum_status record(struct api_ctx *c, const struct op_state *st,
                                const char *kind, json_t *summary, json_t *undo,
                                long *seq, struct forum_error *err)
{
    char *sum = json_dumps(summary, JSON_COMPACT), *und = json_dumps(undo, JSON_COMPACT);
    enum forum_status rc = store_change_add(c->store, CTX_EID(c), kind, sum, und,
                                            st->plan.version, seq, err);

    free(sum);
    free(und);
    json_decref(summary);
    json_decref(undo);
    return rc;
}

/* Ends the operation's write and answers 201 {change, plan}, or the failure. */
static void finish(struct api_ctx *c, enum forum_status rc, long seq,
                   struct forum_error *err)
{
    struct store_change x;
    json_t *doc;

    rc = store_write_end(c->store, rc, err);
    if (api__failed(c, rc, err))
        return;
    doc = json_object();
    if (store_change_get(c->store, CTX_EID(c), seq, &x, NULL) == FORUM_OK) {
        json_object_set_new(doc, "change", api__change_json(&x));
        store_change_release(&x);
    }
    api__plan_answer(c, 201, doc);
}

static void conflict(struct api_ctx *c, const char *code, const char *field,
                     const struct store_change *by, const char *what)
{
    char msg[400];

    if (by != NULL)
        snprintf(msg, sizeof(msg), "%.300s (change %ld)", what, by->seq);
    else
        snprintf(msg, sizeof(msg), "%s", what);
    api__plan_refuse(c, 409, code, field, -1, msg);
}

/* A strv of the JSON array of strings a (copies). */
static void strv_of(json_t *a, struct store_strv *out)
{
    size_t i;
    json_t *x;

    json_array_foreach(a, i, x)
    {
        if (json_is_string(x))
            store_strv_push(out, json_string_value(x));
    }
}

/* The ids of hosts that are still participants of the event. */
static void hosts_still_there(const struct op_state *st, json_t *ids,
                              struct store_strv *out)
{
    size_t i;
    json_t *x;

    json_array_foreach(ids, i, x)
    {
        if (json_is_string(x) && api__by_id(st->w.people, st->w.n_people,
                                            sizeof(*st->w.people), json_string_value(x)))
            store_strv_push(out, json_string_value(x));
    }
}

/* ---- cancel a session ------------------------------------------------------------- */

void api__op_cancel(struct api_ctx *c)
{
    static const char *const keys[] = {"session", NULL};
    struct op_state st;
    const char *sid = NULL;
    char tid[STORE_ID_MAX + 1];
    long group, seq = 0;
    const struct store_topic *t;
    const struct store_session *x, *v;
    struct store_topic nt;
    struct forum_error err;
    enum forum_status rc;
    size_t n, count = 0;
    bool whole;
    json_t *summary, *undo;

    if (!api__only_keys(c, keys) ||
        !api__get_string(c, "session", true, STORE_ID_MAX + 8, false, &sid, NULL) ||
        !op_begin(c, &st))
        return;
    memset(&nt, 0, sizeof(nt));
    if (!session_parse(sid, tid, &group)) {
        api__error(c, 422, "invalid", "session", "no such session in this event");
        goto out;
    }
    t = topic_of(&st, tid);
    if (t == NULL) {
        const struct store_change *by = change_about(&st, "merge", "topic", tid);
        if (by != NULL)
            conflict(c, "conflict", "session", by, "this topic was merged into another");
        else
            api__error(c, 422, "invalid", "session", "no such session in this event");
        goto out;
    }
    if (t->cancelled) {
        conflict(c, "conflict", "session", change_about(&st, "cancel", "topic", tid),
                 "this topic is cancelled already");
        goto out;
    }
    v = current(&st, &n);
    x = session_in(v, n, sid);
    if (x == NULL)
        x = session_in(st.pub.sessions, st.pub.n_sessions, sid);
    if ((x != NULL && slot_started(&st, x->slot_id)) || topic_started(&st, tid)) {
        api__error(c, 409, "started", "session",
                   "this session has started: what has started stays as published");
        goto out;
    }
    if (x == NULL && group > 1) {
        api__error(c, 422, "invalid", "session", "no such session in this event");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        count += v[i].topic_id != NULL && strcmp(v[i].topic_id, tid) == 0;
    /* One group of several: the others run, with one group fewer and without
     * the absent host. Otherwise the topic is cancelled. */
    whole = !(t->groups_max > 0 && count > 1 && x != NULL);
    summary = json_object();
    undo = json_object();
    json_object_set_new(summary, "session", json_string(sid));
    json_object_set_new(summary, "topic", json_string(tid));
    json_object_set_new(summary, "group", json_integer(group));
    json_object_set_new(summary, "title", json_string(t->title));
    json_object_set_new(summary, "whole_topic", json_boolean(whole));
    json_object_set_new(summary, "place",
                        x != NULL ? place_json(&st, x->room_id, x->slot_id)
                                  : json_null());
    json_object_set_new(summary, "people",
                        json_integer(x ? (json_int_t)x->attendees.n : 0));
    json_object_set_new(undo, "topic", json_string(tid));
    forum_error_clear(&err);
    rc = store_write_begin(c->store, &err);
    if (rc == FORUM_OK && whole) {
        rc = store_topic_set_cancelled(c->store, CTX_EID(c), tid, true, &err);
    } else if (rc == FORUM_OK) {
        json_t *hosts = json_array();
        rc = store_topic_get(c->store, CTX_EID(c), tid, &nt, &err);
        for (size_t h = 0; rc == FORUM_OK && h < t->host_ids.n; h++)
            json_array_append_new(hosts, json_string(t->host_ids.v[h]));
        json_object_set_new(undo, "groups_max", json_integer(t->groups_max));
        json_object_set_new(undo, "hosts", hosts);
        if (rc == FORUM_OK) {
            /* The hosts seated in the cancelled group leave the topic (one stays). */
            store_strv_release(&nt.host_ids);
            for (size_t h = 0; h < t->host_ids.n; h++) {
                bool absent = false;
                for (size_t a = 0; a < x->attendees.n && !absent; a++)
                    absent = strcmp(x->attendees.v[a], t->host_ids.v[h]) == 0;
                if (!absent)
                    store_strv_push(&nt.host_ids, t->host_ids.v[h]);
            }
            if (nt.host_ids.n == 0 && t->host_ids.n > 0)
                store_strv_push(&nt.host_ids, t->host_ids.v[0]);
            nt.hosts_set = true;
            nt.groups_max = (long)count - 1;
            if (nt.groups_max > t->groups_max)
                nt.groups_max = t->groups_max;
            if (nt.groups_max < 1)
                nt.groups_max = 1;
            json_object_set_new(summary, "groups", json_integer(nt.groups_max));
            rc = store_topic_update(c->store, CTX_EID(c), &nt, &err);
        }
    }
    if (rc == FORUM_OK)
        rc = record(c, &st, "cancel", summary, undo, &seq, &err);
    else {
        json_decref(summary);
        json_decref(undo);
    }
    finish(c, rc, seq, &err);
out:
    store_topic_release(&nt);
    op_release(&st);
}

static enum forum_status undo_cancel(struct api_ctx *c, json_t *undo, json_t *summary,
                                     struct forum_error *err)
{
    const char *tid = json_string_value(json_object_get(undo, "topic"));
    struct store_topic t;
    enum forum_status rc;
    struct op_state st;

    json_object_set_new(summary, "topic", json_string(tid ? tid : ""));
    if (json_object_get(undo, "groups_max") == NULL)
        return store_topic_set_cancelled(c->store, CTX_EID(c), tid, false, err);
    /* One group cancelled: its groups and hosts as they were (hosts gone
     * since stay gone). */
    rc = store_topic_get(c->store, CTX_EID(c), tid, &t, err);
    if (rc != FORUM_OK)
        return rc;
    memset(&st, 0, sizeof(st));
    rc = api__world_load(c->store, CTX_EID(c), &st.w, err);
    if (rc == FORUM_OK) {
        store_strv_release(&t.host_ids);
        hosts_still_there(&st, json_object_get(undo, "hosts"), &t.host_ids);
        t.hosts_set = true;
        t.groups_max = (long)json_integer_value(json_object_get(undo, "groups_max"));
        rc = store_topic_update(c->store, CTX_EID(c), &t, err);
    }
    api__world_release(&st.w);
    store_topic_release(&t);
    return rc;
}

/* ---- merge two topics ------------------------------------------------------------- */

/* The weight of pid's vote for tid in v (n votes), 0 when none. */
static long weight_of(const struct store_vote *v, size_t n, const char *pid,
                      const char *tid)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].participant_id, pid) == 0 && strcmp(v[i].topic_id, tid) == 0)
            return v[i].weight;
    return 0;
}

/* The topic t as JSON, everything store_topic_restore() needs. */
static json_t *topic_image(const struct store_topic *t)
{
    json_t *o = json_object();

    json_object_set_new(o, "id", json_string(t->id));
    json_object_set_new(o, "title", json_string(t->title));
    json_object_set_new(o, "description", json_string(t->description));
    json_object_set_new(o, "theme", json_string(t->theme));
    json_object_set_new(o, "needs", api__strv_json(&t->needs));
    json_object_set_new(o, "max_size", json_integer(t->max_size));
    json_object_set_new(o, "fixed_room",
                        t->fixed_room ? json_string(t->fixed_room) : json_null());
    json_object_set_new(o, "fixed_slot",
                        t->fixed_slot ? json_string(t->fixed_slot) : json_null());
    json_object_set_new(o, "hosts", api__strv_json(&t->host_ids));
    json_object_set_new(o, "block", t->block_id ? json_string(t->block_id) : json_null());
    json_object_set_new(o, "groups_max", json_integer(t->groups_max));
    json_object_set_new(o, "group_size_min", json_integer(t->group_size_min));
    json_object_set_new(o, "group_size_max", json_integer(t->group_size_max));
    json_object_set_new(o, "cancelled", json_boolean(t->cancelled));
    json_object_set_new(o, "position", json_integer(t->position));
    return o;
}

static char *str_of(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));

    return s != NULL ? forum_xstrdup(s) : NULL;
}

void api__op_merge(struct api_ctx *c)
{
    static const char *const keys[] = {"into", "topic", "title", "description", NULL};
    struct op_state st;
    const char *into = NULL, *from = NULL, *title = NULL, *desc = NULL;
    bool has_title = false, has_desc = false;
    const struct store_topic *a, *b;
    struct store_topic na;
    struct store_vote *votes = NULL;
    size_t n_votes = 0;
    struct forum_error err;
    enum forum_status rc;
    long seq = 0, total = 0, people = 0, changed = 0;
    json_t *summary = NULL, *undo = NULL, *vimage;

    if (!api__only_keys(c, keys) ||
        !api__get_string(c, "into", true, STORE_ID_MAX, false, &into, NULL) ||
        !api__get_string(c, "topic", true, STORE_ID_MAX, false, &from, NULL) ||
        !api__get_string(c, "title", false, API_NAME_MAX, false, &title, &has_title) ||
        !api__get_string(c, "description", false, API_DESCRIPTION_MAX, true, &desc,
                         &has_desc))
        return;
    if (has_title && (title == NULL || title[0] == '\0')) {
        api__error(c, 422, "empty", "title", "this field cannot be empty");
        return;
    }
    if (strcmp(into, from) == 0) {
        api__error(c, 422, "invalid", "topic", "a topic cannot be merged into itself");
        return;
    }
    if (!op_begin(c, &st))
        return;
    memset(&na, 0, sizeof(na));
    a = topic_of(&st, into);
    b = topic_of(&st, from);
    if (a == NULL || b == NULL) {
        const char *field = a == NULL ? "into" : "topic";
        const struct store_change *by =
            change_about(&st, "merge", "topic", a == NULL ? into : from);
        if (by != NULL)
            conflict(c, "conflict", field, by, "this topic was merged into another");
        else
            api__error(c, 422, "invalid", field, "no such topic in this event");
        goto out;
    }
    if (a->cancelled) {
        api__error(c, 422, "invalid", "into", "this topic is cancelled");
        goto out;
    }
    if (topic_started(&st, into) || topic_started(&st, from)) {
        api__error(c, 409, "started", topic_started(&st, into) ? "into" : "topic",
                   "a session of this topic has started: what has started stays as "
                   "published");
        goto out;
    }
    forum_error_clear(&err);
    rc = store_topic_get(c->store, CTX_EID(c), into, &na, &err);
    if (rc == FORUM_OK)
        rc = store_vote_list(c->store, CTX_EID(c), NULL, &votes, &n_votes, &err);
    if (api__failed(c, rc, &err))
        goto out;
    /* One topic keeps both hosts (its own first). */
    for (size_t h = 0; h < b->host_ids.n; h++) {
        bool dup = false;
        for (size_t k = 0; k < na.host_ids.n && !dup; k++)
            dup = strcmp(na.host_ids.v[k], b->host_ids.v[h]) == 0;
        if (!dup)
            store_strv_push(&na.host_ids, b->host_ids.v[h]);
    }
    if (na.host_ids.n > API_HOSTS_MAX) {
        api__error(c, 422, "too_many", "topic",
                   "together they would have %zu hosts, at most %d", na.host_ids.n,
                   API_HOSTS_MAX);
        goto out;
    }
    na.hosts_set = true;
    summary = json_object();
    undo = json_object();
    json_object_set_new(undo, "into", topic_image(a));
    json_object_set_new(undo, "topic", topic_image(b));
    if (has_title) {
        free(na.title);
        na.title = forum_xstrdup(title);
    }
    if (has_desc) {
        free(na.description);
        na.description = forum_xstrdup(desc ? desc : "");
    }
    rc = store_write_begin(c->store, &err);
    if (rc == FORUM_OK)
        rc = store_topic_update(c->store, CTX_EID(c), &na, &err);
    /* Each person keeps one vote: the larger of their two. */
    vimage = json_array();
    for (size_t i = 0; rc == FORUM_OK && i < n_votes; i++) {
        const char *pid = votes[i].participant_id;
        long wa, wb, w;
        json_t *row;
        if (strcmp(votes[i].topic_id, from) != 0)
            continue;
        wa = weight_of(votes, n_votes, pid, into);
        wb = votes[i].weight;
        w = wa > wb ? wa : wb;
        row = json_array();
        json_array_append_new(row, json_string(pid));
        json_array_append_new(row, json_integer(wa));
        json_array_append_new(row, json_integer(wb));
        json_array_append_new(row, json_integer(w));
        json_array_append_new(vimage, row);
        if (w != wa) {
            rc = store_vote_put(c->store, CTX_EID(c), pid, into, w, 0, &err);
            changed++;
        }
    }
    json_object_set_new(undo, "votes", vimage);
    if (rc == FORUM_OK)
        rc = store_topic_delete(c->store, CTX_EID(c), from, &err);
    /* The merged topic's tally: one vote per person. */
    for (size_t i = 0; i < n_votes; i++) {
        long w;
        if (strcmp(votes[i].topic_id, into) == 0) {
            w = weight_of(votes, n_votes, votes[i].participant_id, from);
            total += w > votes[i].weight ? w : votes[i].weight;
            people++;
        } else if (strcmp(votes[i].topic_id, from) == 0 &&
                   weight_of(votes, n_votes, votes[i].participant_id, into) == 0) {
            total += votes[i].weight;
            people++;
        }
    }
    json_object_set_new(summary, "into", json_string(into));
    json_object_set_new(summary, "topic", json_string(from));
    json_object_set_new(summary, "title", json_string(na.title));
    json_object_set_new(summary, "topic_title", json_string(b->title));
    json_object_set_new(summary, "hosts", names_json(&st, &na.host_ids));
    json_object_set_new(summary, "voters", json_integer(people));
    json_object_set_new(summary, "weight", json_integer(total));
    json_object_set_new(summary, "votes_raised", json_integer(changed));
    if (rc == FORUM_OK)
        rc = record(c, &st, "merge", summary, undo, &seq, &err);
    else {
        json_decref(summary);
        json_decref(undo);
    }
    finish(c, rc, seq, &err);
out:
    store_votes_free(votes, n_votes);
    store_topic_release(&na);
    op_release(&st);
}

/* Fills t from a topic_image(), hosts limited to those still in the event. */
static void topic_from_image(const struct op_state *st, json_t *o, struct store_topic *t)
{
    memset(t, 0, sizeof(*t));
    t->id = str_of(o, "id");
    t->title = str_of(o, "title");
    t->description = str_of(o, "description");
    t->theme = str_of(o, "theme");
    strv_of(json_object_get(o, "needs"), &t->needs);
    t->max_size = (long)json_integer_value(json_object_get(o, "max_size"));
    t->fixed_room = str_of(o, "fixed_room");
    t->fixed_slot = str_of(o, "fixed_slot");
    hosts_still_there(st, json_object_get(o, "hosts"), &t->host_ids);
    t->hosts_set = true;
    t->block_id = str_of(o, "block");
    if (t->block_id != NULL &&
        !api__by_id(st->w.blocks, st->w.n_blocks, sizeof(*st->w.blocks), t->block_id)) {
        free(t->block_id);
        t->block_id = NULL;
    }
    t->groups_max = (long)json_integer_value(json_object_get(o, "groups_max"));
    t->group_size_min = (long)json_integer_value(json_object_get(o, "group_size_min"));
    t->group_size_max = (long)json_integer_value(json_object_get(o, "group_size_max"));
    t->cancelled = json_is_true(json_object_get(o, "cancelled"));
    t->position = (long)json_integer_value(json_object_get(o, "position"));
}

static enum forum_status undo_merge(struct api_ctx *c, json_t *undo, json_t *summary,
                                    struct forum_error *err)
{
    struct op_state st;
    struct store_topic a, b, cur;
    struct store_vote *votes = NULL;
    size_t n_votes = 0, i;
    json_t *row;
    enum forum_status rc;

    memset(&st, 0, sizeof(st));
    memset(&cur, 0, sizeof(cur));
    rc = api__world_load(c->store, CTX_EID(c), &st.w, err);
    topic_from_image(&st, json_object_get(undo, "into"), &a);
    topic_from_image(&st, json_object_get(undo, "topic"), &b);
    /* A lock whose cell another topic took since is not put back. */
    for (i = 0; rc == FORUM_OK && b.fixed_room != NULL && i < st.w.n_topics; i++) {
        const struct store_topic *o = &st.w.topics[i];
        if (o->fixed_room != NULL && strcmp(o->fixed_room, b.fixed_room) == 0 &&
            strcmp(o->fixed_slot, b.fixed_slot) == 0) {
            free(b.fixed_room);
            free(b.fixed_slot);
            b.fixed_room = b.fixed_slot = NULL;
        }
    }
    if (rc == FORUM_OK)
        rc = store_topic_restore(c->store, CTX_EID(c), &b, err);
    /* The kept topic: its title, description and hosts as they were; its
     * other fields as they are now. */
    if (rc == FORUM_OK)
        rc = store_topic_get(c->store, CTX_EID(c), a.id, &cur, err);
    if (rc == FORUM_OK) {
        free(cur.title);
        cur.title = forum_xstrdup(a.title);
        free(cur.description);
        cur.description = forum_xstrdup(a.description ? a.description : "");
        store_strv_release(&cur.host_ids);
        for (size_t h = 0; h < a.host_ids.n; h++)
            store_strv_push(&cur.host_ids, a.host_ids.v[h]);
        cur.hosts_set = true;
        rc = store_topic_update(c->store, CTX_EID(c), &cur, err);
    }
    if (rc == FORUM_OK)
        rc = store_vote_list(c->store, CTX_EID(c), NULL, &votes, &n_votes, err);
    /* The votes: each one for the other topic back; for the kept one, the
     * weight from before, unless the person changed it since. People who
     * left since are skipped. */
    json_array_foreach(json_object_get(undo, "votes"), i, row)
    {
        const char *pid = json_string_value(json_array_get(row, 0));
        long wa = (long)json_integer_value(json_array_get(row, 1));
        long wb = (long)json_integer_value(json_array_get(row, 2));
        long w = (long)json_integer_value(json_array_get(row, 3));
        if (rc != FORUM_OK)
            break;
        if (pid == NULL ||
            !api__by_id(st.w.people, st.w.n_people, sizeof(*st.w.people), pid))
            continue;
        rc = store_vote_put(c->store, CTX_EID(c), pid, b.id, wb, 0, err);
        if (rc == FORUM_OK && weight_of(votes, n_votes, pid, a.id) == w && w != wa)
            rc = wa > 0 ? store_vote_put(c->store, CTX_EID(c), pid, a.id, wa, 0, err)
                        : store_vote_delete(c->store, CTX_EID(c), pid, a.id, err);
    }
    json_object_set_new(summary, "into", json_string(a.id ? a.id : ""));
    json_object_set_new(summary, "topic", json_string(b.id ? b.id : ""));
    json_object_set_new(summary, "title", json_string(b.title ? b.title : ""));
    store_votes_free(votes, n_votes);
    store_topic_release(&a);
    store_topic_release(&b);
    store_topic_release(&cur);
    api__world_release(&st.w);
    return rc;
}

/* ---- move a session by hand ------------------------------------------------------- */

static bool has_feature(const struct store_strv *features, const char *f)
{
    for (size_t i = 0; i < features->n; i++)
        if (strcmp(features->v[i], f) == 0)
            return true;
    return false;
}

/* True when pid hosts a session of v (n) in slot sid other than topic tid's. */
static const struct store_session *hosting_in(const struct op_state *st,
                                              const struct store_session *v, size_t n,
                                              const char *pid, const char *sid,
                                              const char *tid)
{
    for (size_t i = 0; i < n; i++) {
        const struct store_topic *t;
        if (v[i].topic_id == NULL || strcmp(v[i].slot_id, sid) != 0 ||
            strcmp(v[i].topic_id, tid) == 0)
            continue;
        t = topic_of(st, v[i].topic_id);
        for (size_t h = 0; t != NULL && h < t->host_ids.n; h++)
            if (strcmp(t->host_ids.v[h], pid) == 0)
                return &v[i];
    }
    return NULL;
}

struct move_check {
    int status; /* 0: the move can be made; else why not (with code, field) */
    const char *code;
    const char *field;
    char msg[200];
    json_t *cost;                 /* owned */
    struct store_strv drop_needs; /* the topic's needs the room lacks (dropped) */
};

static void refuse(struct move_check *m, int status, const char *code, const char *field,
                   const char *msg)
{
    if (m->status != 0)
        return; /* the first reason wins */
    m->status = status;
    m->code = code;
    m->field = field;
    snprintf(m->msg, sizeof(m->msg), "%s", msg);
}

/*
 * What moving topic t's session x (NULL: not placed) to (room r, slot sid)
 * would cost, against the sessions v (n) as they stand: people with a clash,
 * seats short, features missing, hosts busy; and whether the lock it sets
 * can be made at all.
 */
static void move_cost(const struct op_state *st, const struct store_topic *t,
                      const struct store_session *x, const struct store_room *r,
                      const char *sid, const struct store_session *v, size_t n,
                      struct move_check *m)
{
    struct store_strv clash = {NULL, 0}, busy = {NULL, 0}, excluded = {NULL, 0};
    json_t *missing = json_array();
    long seats = r->capacity, people = x != NULL ? (long)x->attendees.n : 0;

    if (t->max_size > 0 && t->max_size < seats)
        seats = t->max_size;
    /* The topic's needs and its hosts' that the room lacks. */
    for (size_t i = 0; i < t->needs.n; i++) {
        if (!has_feature(&r->features, t->needs.v[i])) {
            json_array_append_new(missing, json_string(t->needs.v[i]));
            store_strv_push(&m->drop_needs, t->needs.v[i]);
        }
    }
    for (size_t h = 0; h < t->host_ids.n; h++) {
        const struct store_participant *p = api__by_id(
            st->w.people, st->w.n_people, sizeof(*st->w.people), t->host_ids.v[h]);
        bool off = false;
        char msg[200];
        for (size_t k = 0; p != NULL && k < p->needs.n; k++) {
            if (!has_feature(&r->features, p->needs.v[k])) {
                json_array_append_new(missing, json_string(p->needs.v[k]));
                snprintf(msg, sizeof(msg),
                         "its host %.80s needs %.40s, which this room lacks: choose "
                         "another room",
                         p->name, p->needs.v[k]);
                refuse(m, 422, "invalid", "room", msg);
            }
        }
        for (size_t k = 0; p != NULL && k < p->unavailable.n; k++)
            off = off || strcmp(p->unavailable.v[k], sid) == 0;
        if (off) {
            store_strv_push(&busy, t->host_ids.v[h]);
            snprintf(msg, sizeof(msg),
                     "its host %.80s is not there then: choose another slot", p->name);
            refuse(m, 422, "invalid", "slot", msg);
        } else if (hosting_in(st, v, n, t->host_ids.v[h], sid, t->id) != NULL) {
            store_strv_push(&busy, t->host_ids.v[h]);
        }
    }
    if ((long)t->host_ids.n > seats)
        refuse(m, 422, "too_small", "room", "the room cannot seat its hosts");
    /* Its people: who attends another session then, who cannot enter the room. */
    for (size_t a = 0; x != NULL && a < x->attendees.n; a++) {
        const char *pid = x->attendees.v[a];
        const struct store_participant *p =
            api__by_id(st->w.people, st->w.n_people, sizeof(*st->w.people), pid);
        bool host = false, clashes = false, out = false;
        for (size_t h = 0; h < t->host_ids.n; h++)
            host = host || strcmp(t->host_ids.v[h], pid) == 0;
        for (size_t i = 0; i < n && !clashes; i++) {
            if (&v[i] == x || strcmp(v[i].slot_id, sid) != 0)
                continue;
            for (size_t k = 0; k < v[i].attendees.n && !clashes; k++)
                clashes = strcmp(v[i].attendees.v[k], pid) == 0;
        }
        if (clashes && !host)
            store_strv_push(&clash, pid);
        for (size_t k = 0; !host && p != NULL && k < p->needs.n; k++)
            out = out || !has_feature(&r->features, p->needs.v[k]);
        if (out)
            store_strv_push(&excluded, pid);
    }
    m->cost = json_object();
    json_object_set_new(m->cost, "people", json_integer(people));
    json_object_set_new(m->cost, "clash", json_integer((json_int_t)clash.n));
    json_object_set_new(m->cost, "clash_names", names_json(st, &clash));
    json_object_set_new(m->cost, "too_small",
                        json_integer(people > seats ? people - seats : 0));
    json_object_set_new(m->cost, "seats", json_integer(seats));
    json_object_set_new(m->cost, "feature_missing", missing);
    json_object_set_new(m->cost, "cannot_enter", json_integer((json_int_t)excluded.n));
    json_object_set_new(m->cost, "host_busy", names_json(st, &busy));
    store_strv_release(&clash);
    store_strv_release(&busy);
    store_strv_release(&excluded);
}

void api__op_move(struct api_ctx *c)
{
    static const char *const keys[] = {"session", "room", "slot", "confirm", NULL};
    struct op_state st;
    const char *sid = NULL, *rid = NULL, *slot = NULL;
    bool confirm = false;
    char tid[STORE_ID_MAX + 1];
    long group, seq = 0;
    const struct store_topic *t;
    const struct store_room *r;
    const struct store_slot *sl;
    const struct store_session *x, *v;
    struct store_topic nt;
    struct move_check m;
    struct forum_error err;
    enum forum_status rc;
    size_t n;
    json_t *doc, *undo;

    if (!api__only_keys(c, keys) ||
        !api__get_string(c, "session", true, STORE_ID_MAX + 8, false, &sid, NULL) ||
        !api__get_string(c, "room", true, STORE_ID_MAX, false, &rid, NULL) ||
        !api__get_string(c, "slot", true, STORE_ID_MAX, false, &slot, NULL) ||
        !api__get_bool(c, "confirm", &confirm, NULL) || !op_begin(c, &st))
        return;
    memset(&nt, 0, sizeof(nt));
    memset(&m, 0, sizeof(m));
    if (!session_parse(sid, tid, &group) || (t = topic_of(&st, tid)) == NULL) {
        api__error(c, 422, "invalid", "session", "no such session in this event");
        goto out;
    }
    if (t->cancelled) {
        api__error(c, 422, "invalid", "session", "this topic is cancelled");
        goto out;
    }
    if (group > 1) {
        api__error(
            c, 422, "invalid", "session",
            "the groups of a topic share the slot of its first group: move that one");
        goto out;
    }
    r = api__by_id(st.w.rooms, st.w.n_rooms, sizeof(*st.w.rooms), rid);
    sl = api__by_id(st.w.slots, st.w.n_slots, sizeof(*st.w.slots), slot);
    if (r == NULL || sl == NULL) {
        api__error(c, 422, "invalid", r == NULL ? "room" : "slot",
                   "no such %s in this event", r == NULL ? "room" : "slot");
        goto out;
    }
    if (slot_started(&st, slot)) {
        api__error(c, 409, "started", "slot",
                   "this slot has started: choose one to come");
        goto out;
    }
    v = current(&st, &n);
    x = session_in(v, n, sid);
    if ((x != NULL && slot_started(&st, x->slot_id)) || topic_started(&st, tid)) {
        api__error(c, 409, "started", "session",
                   "this session has started: what has started stays as published");
        goto out;
    }
    for (size_t b = 0; b < st.w.n_blocks; b++) {
        const struct store_block *bl = &st.w.blocks[b];
        bool has = false;
        for (size_t k = 0; k < bl->slots.n; k++)
            has = has || strcmp(bl->slots.v[k], slot) == 0;
        if (has && !api__block_allocated(bl->kind)) {
            api__error(c, 422, "invalid", "slot",
                       "a plenary or a break takes that slot: it is for everyone");
            goto out;
        }
        if (t->block_id != NULL && strcmp(bl->id, t->block_id) == 0 && !has &&
            bl->slots.n > 0) {
            api__error(c, 422, "invalid", "slot", "this slot is not in the block \"%s\"",
                       bl->name);
            goto out;
        }
    }
    for (size_t k = 0; k < r->unavailable.n; k++) {
        if (strcmp(r->unavailable.v[k], slot) == 0) {
            api__error(c, 422, "invalid", "room", "this room is closed then");
            goto out;
        }
    }
    if (x != NULL && strcmp(x->room_id, rid) == 0 && strcmp(x->slot_id, slot) == 0) {
        api__error(c, 422, "invalid", "slot", "the session is there already");
        goto out;
    }
    /* A free cell: no session there, no other topic locked there. */
    for (size_t i = 0; i < n; i++) {
        if (v[i].room_id != NULL && strcmp(v[i].room_id, rid) == 0 &&
            strcmp(v[i].slot_id, slot) == 0 &&
            (v[i].topic_id == NULL || strcmp(v[i].topic_id, tid) != 0)) {
            char what[300];
            snprintf(what, sizeof(what), "\"%.200s\" takes that room then", v[i].title);
            conflict(c, "conflict", "slot", NULL, what);
            goto out;
        }
    }
    for (size_t i = 0; i < st.w.n_topics; i++) {
        const struct store_topic *o = &st.w.topics[i];
        if (strcmp(o->id, tid) != 0 && o->fixed_room != NULL &&
            strcmp(o->fixed_room, rid) == 0 && strcmp(o->fixed_slot, slot) == 0) {
            char what[300];
            snprintf(what, sizeof(what), "\"%.200s\" is locked in that room then",
                     o->title);
            conflict(c, "conflict", "slot", NULL, what);
            goto out;
        }
    }
    move_cost(&st, t, x, r, slot, v, n, &m);
    if (!confirm) {
        /* The cost, before anything is done. */
        doc = json_object();
        json_object_set_new(doc, "session", json_string(sid));
        json_object_set_new(doc, "from",
                            x != NULL ? place_json(&st, x->room_id, x->slot_id)
                                      : json_null());
        json_object_set_new(doc, "to", place_json(&st, rid, slot));
        json_object_set_new(doc, "cost", m.cost);
        m.cost = NULL;
        if (m.status != 0) {
            json_t *e = json_object();
            json_object_set_new(e, "code", json_string(m.code));
            json_object_set_new(e, "field", json_string(m.field));
            json_object_set_new(e, "message", json_string(m.msg));
            json_object_set_new(doc, "refused", e);
        } else {
            json_object_set_new(doc, "refused", json_null());
        }
        api__plan_answer(c, 200, doc);
        goto out;
    }
    if (m.status != 0) {
        api__error(c, m.status, m.code, m.field, "%s", m.msg);
        goto out;
    }
    /* Confirmed: the topic is locked there (a re-run keeps it), and runs
     * without what the room lacks. */
    forum_error_clear(&err);
    rc = store_topic_get(c->store, CTX_EID(c), tid, &nt, &err);
    if (api__failed(c, rc, &err))
        goto out;
    undo = json_object();
    json_object_set_new(undo, "topic", json_string(tid));
    json_object_set_new(undo, "fixed_room",
                        nt.fixed_room ? json_string(nt.fixed_room) : json_null());
    json_object_set_new(undo, "fixed_slot",
                        nt.fixed_slot ? json_string(nt.fixed_slot) : json_null());
    json_object_set_new(undo, "needs", api__strv_json(&nt.needs));
    free(nt.fixed_room);
    free(nt.fixed_slot);
    nt.fixed_room = forum_xstrdup(rid);
    nt.fixed_slot = forum_xstrdup(slot);
    if (m.drop_needs.n > 0) {
        struct store_strv keep = {NULL, 0};
        for (size_t i = 0; i < nt.needs.n; i++)
            if (!has_feature(&m.drop_needs, nt.needs.v[i]))
                store_strv_push(&keep, nt.needs.v[i]);
        store_strv_release(&nt.needs);
        nt.needs = keep;
    }
    doc = json_object();
    json_object_set_new(doc, "session", json_string(sid));
    json_object_set_new(doc, "topic", json_string(tid));
    json_object_set_new(doc, "title", json_string(t->title));
    json_object_set_new(
        doc, "from", x != NULL ? place_json(&st, x->room_id, x->slot_id) : json_null());
    json_object_set_new(doc, "to", place_json(&st, rid, slot));
    json_object_set_new(doc, "cost", m.cost);
    m.cost = NULL;
    rc = store_write_begin(c->store, &err);
    if (rc == FORUM_OK)
        rc = store_topic_update(c->store, CTX_EID(c), &nt, &err);
    if (rc == FORUM_OK)
        rc = record(c, &st, "move", doc, undo, &seq, &err);
    else {
        json_decref(doc);
        json_decref(undo);
    }
    finish(c, rc, seq, &err);
out:
    json_decref(m.cost);
    store_strv_release(&m.drop_needs);
    store_topic_release(&nt);
    op_release(&st);
}

static enum forum_status undo_move(struct api_ctx *c, json_t *undo, json_t *summary,
                                   struct forum_error *err)
{
    const char *tid = json_string_value(json_object_get(undo, "topic"));
    struct store_topic t;
    enum forum_status rc = store_topic_get(c->store, CTX_EID(c), tid, &t, err);

    if (rc != FORUM_OK)
        return rc;
    free(t.fixed_room);
    free(t.fixed_slot);
    t.fixed_room = str_of(undo, "fixed_room");
    t.fixed_slot = str_of(undo, "fixed_slot");
    store_strv_release(&t.needs);
    strv_of(json_object_get(undo, "needs"), &t.needs);
    rc = store_topic_update(c->store, CTX_EID(c), &t, err);
    /* The lock it had may have gone to another topic since: then it has none. */
    if (rc == FORUM_ECONFLICT && t.fixed_room != NULL) {
        free(t.fixed_room);
        free(t.fixed_slot);
        t.fixed_room = t.fixed_slot = NULL;
        if (err != NULL)
            forum_error_clear(err);
        rc = store_topic_update(c->store, CTX_EID(c), &t, err);
    }
    json_object_set_new(summary, "topic", json_string(tid));
    store_topic_release(&t);
    return rc;
}

/* ---- close a room from a slot on ------------------------------------------------------
 */

void api__op_close_room(struct api_ctx *c)
{
    static const char *const keys[] = {"room", "from", NULL};
    struct op_state st;
    const char *rid = NULL, *from = NULL;
    const struct store_room *r;
    const struct store_slot *sl;
    struct store_room nr;
    struct store_strv added = {NULL, 0};
    struct forum_error err;
    enum forum_status rc;
    long seq = 0;
    size_t n;
    const struct store_session *v;
    json_t *summary, *undo, *slots, *sessions, *unlocked;

    if (!api__only_keys(c, keys) ||
        !api__get_string(c, "room", true, STORE_ID_MAX, false, &rid, NULL) ||
        !api__get_string(c, "from", true, STORE_ID_MAX, false, &from, NULL) ||
        !op_begin(c, &st))
        return;
    memset(&nr, 0, sizeof(nr));
    r = api__by_id(st.w.rooms, st.w.n_rooms, sizeof(*st.w.rooms), rid);
    sl = api__by_id(st.w.slots, st.w.n_slots, sizeof(*st.w.slots), from);
    if (r == NULL || sl == NULL) {
        api__error(c, 422, "invalid", r == NULL ? "room" : "from",
                   "no such %s in this event", r == NULL ? "room" : "slot");
        goto out;
    }
    if (api__slot_started(sl->starts_at, st.plan.now)) {
        api__error(c, 409, "started", "from",
                   "this slot has started: close the room from a slot to come");
        goto out;
    }
    /* Every slot from that one on (by time) not closed already. */
    slots = json_array();
    for (size_t i = 0; i < st.w.n_slots; i++) {
        bool off = false;
        if (strcmp(st.w.slots[i].starts_at, sl->starts_at) < 0)
            continue;
        for (size_t k = 0; k < r->unavailable.n; k++)
            off = off || strcmp(r->unavailable.v[k], st.w.slots[i].id) == 0;
        if (!off) {
            store_strv_push(&added, st.w.slots[i].id);
            json_array_append_new(slots, json_string(st.w.slots[i].id));
        }
    }
    if (added.n == 0) {
        json_decref(slots);
        api__error(c, 422, "invalid", "from", "the room is closed from then on already");
        goto out;
    }
    /* A plenary or a break held there then must move first. */
    for (size_t b = 0; b < st.w.n_blocks; b++) {
        const struct store_block *bl = &st.w.blocks[b];
        bool hit = false;
        if (bl->room_id == NULL || strcmp(bl->room_id, rid) != 0)
            continue;
        for (size_t k = 0; k < bl->slots.n; k++)
            for (size_t a = 0; a < added.n; a++)
                hit = hit || strcmp(bl->slots.v[k], added.v[a]) == 0;
        if (hit) {
            char what[300];
            json_decref(slots);
            snprintf(what, sizeof(what),
                     "\"%.200s\" takes place in this room then: give it another room "
                     "first",
                     bl->title && bl->title[0] ? bl->title : bl->name);
            conflict(c, "conflict", "room", NULL, what);
            goto out;
        }
    }
    summary = json_object();
    undo = json_object();
    json_object_set_new(summary, "room", json_string(rid));
    json_object_set_new(summary, "room_name", json_string(r->name));
    json_object_set_new(summary, "from", place_json(&st, NULL, from));
    json_object_set_new(summary, "slots", slots);
    /* What stood there: the next re-run moves it (and only it). */
    sessions = json_array();
    v = current(&st, &n);
    for (size_t i = 0; i < n; i++) {
        for (size_t a = 0; a < added.n; a++) {
            if (v[i].room_id != NULL && strcmp(v[i].room_id, rid) == 0 &&
                strcmp(v[i].slot_id, added.v[a]) == 0) {
                json_t *o = json_object();
                json_object_set_new(o, "id", json_string(v[i].id));
                json_object_set_new(o, "title", json_string(v[i].title));
                json_object_set_new(o, "slot", json_string(v[i].slot_id));
                json_object_set_new(o, "people",
                                    json_integer((json_int_t)v[i].attendees.n));
                json_array_append_new(sessions, o);
            }
        }
    }
    json_object_set_new(summary, "sessions", sessions);
    json_object_set_new(undo, "room", json_string(rid));
    json_object_set_new(undo, "added", api__strv_json(&added));
    unlocked = json_array();
    forum_error_clear(&err);
    rc = store_write_begin(c->store, &err);
    if (rc == FORUM_OK)
        rc = store_room_get(c->store, CTX_EID(c), rid, &nr, &err);
    for (size_t a = 0; rc == FORUM_OK && a < added.n; a++)
        store_strv_push(&nr.unavailable, added.v[a]);
    if (rc == FORUM_OK)
        rc = store_room_update(c->store, CTX_EID(c), &nr, &err);
    /* Topics locked there lose their lock (a lock in a closed cell cannot hold). */
    for (size_t i = 0; rc == FORUM_OK && i < st.w.n_topics; i++) {
        const struct store_topic *o = &st.w.topics[i];
        struct store_topic t;
        if (o->fixed_room == NULL || strcmp(o->fixed_room, rid) != 0 ||
            !has_feature(&added, o->fixed_slot))
            continue;
        rc = store_topic_get(c->store, CTX_EID(c), o->id, &t, &err);
        if (rc == FORUM_OK) {
            json_t *u = json_object();
            json_object_set_new(u, "topic", json_string(o->id));
            json_object_set_new(u, "slot", json_string(o->fixed_slot));
            json_array_append_new(unlocked, u);
            free(t.fixed_room);
            free(t.fixed_slot);
            t.fixed_room = t.fixed_slot = NULL;
            rc = store_topic_update(c->store, CTX_EID(c), &t, &err);
            store_topic_release(&t);
        }
    }
    json_object_set_new(summary, "unlocked", json_deep_copy(unlocked));
    json_object_set_new(undo, "unlocked", unlocked);
    if (rc == FORUM_OK)
        rc = record(c, &st, "close_room", summary, undo, &seq, &err);
    else {
        json_decref(summary);
        json_decref(undo);
    }
    finish(c, rc, seq, &err);
out:
    store_strv_release(&added);
    store_room_release(&nr);
    op_release(&st);
}

static enum forum_status undo_close_room(struct api_ctx *c, json_t *undo, json_t *summary,
                                         struct forum_error *err)
{
    const char *rid = json_string_value(json_object_get(undo, "room"));
    struct store_strv added = {NULL, 0}, keep = {NULL, 0};
    struct store_room r;
    enum forum_status rc;
    size_t i;
    json_t *u;

    strv_of(json_object_get(undo, "added"), &added);
    rc = store_room_get(c->store, CTX_EID(c), rid, &r, err);
    if (rc == FORUM_OK) {
        for (i = 0; i < r.unavailable.n; i++)
            if (!has_feature(&added, r.unavailable.v[i]))
                store_strv_push(&keep, r.unavailable.v[i]);
        store_strv_release(&r.unavailable);
        r.unavailable = keep;
        rc = store_room_update(c->store, CTX_EID(c), &r, err);
    }
    /* The locks it took off, where their cell is still free and the topic unlocked. */
    json_array_foreach(json_object_get(undo, "unlocked"), i, u)
    {
        struct store_topic t;
        const char *tid = json_string_value(json_object_get(u, "topic"));
        if (rc != FORUM_OK)
            break;
        if (store_topic_get(c->store, CTX_EID(c), tid, &t, NULL) != FORUM_OK)
            continue;
        if (t.fixed_room == NULL) {
            t.fixed_room = forum_xstrdup(rid);
            t.fixed_slot = str_of(u, "slot");
            rc = store_topic_update(c->store, CTX_EID(c), &t, err);
            if (rc == FORUM_ECONFLICT) {
                rc = FORUM_OK; /* another topic is locked there since: no lock back */
                if (err != NULL)
                    forum_error_clear(err);
            }
        }
        store_topic_release(&t);
    }
    json_object_set_new(summary, "room", json_string(rid ? rid : ""));
    store_strv_release(&added);
    store_room_release(&r);
    return rc;
}

/* ---- add a topic on the spot ----------------------------------------------------------
 */

/* The block under way by the clock (or the next to start), or NULL. */
static const struct store_block *current_block(const struct op_state *st)
{
    const struct store_block *next = NULL;

    for (size_t i = 0; i < st->w.n_blocks; i++) {
        const struct store_block *b = &st->w.blocks[i];
        if (!api__block_allocated(b->kind) || b->starts_at == NULL)
            continue;
        if (api__slot_started(b->starts_at, st->plan.now) &&
            !api__slot_started(b->ends_at, st->plan.now))
            return b;
        if (!api__slot_started(b->starts_at, st->plan.now) &&
            (next == NULL || strcmp(b->starts_at, next->starts_at) < 0))
            next = b;
    }
    return next;
}

void api__op_topic(struct api_ctx *c)
{
    struct op_state st;
    struct store_topic t;
    const struct store_block *b;
    const char *host_name = NULL;
    char id[STORE_ID_MAX + 1] = "", host[STORE_ID_MAX + 1] = "";
    struct forum_error err;
    enum forum_status rc;
    long seq = 0;
    json_t *summary, *undo;

    if (!op_begin(c, &st))
        return;
    memset(&t, 0, sizeof(t));
    b = current_block(&st);
    if (!api__topic_read_new(c, &t, b != NULL ? b->id : NULL, &host_name))
        goto out;
    if (t.block_id == NULL && st.w.n_blocks > 0) {
        api__error(c, 422, "missing", "block",
                   "no block of the day is under way or to come: say which (block)");
        goto out;
    }
    forum_error_clear(&err);
    rc = store_write_begin(c->store, &err);
    if (rc == FORUM_OK)
        rc = api__topic_insert(c, &t, host_name, id, host, &err);
    summary = json_object();
    undo = json_object();
    json_object_set_new(summary, "topic", json_string(id));
    json_object_set_new(summary, "title", json_string(t.title));
    json_object_set_new(summary, "block",
                        t.block_id ? json_string(t.block_id) : json_null());
    json_object_set_new(summary, "host", host[0] ? json_string(host) : json_null());
    json_object_set_new(undo, "topic", json_string(id));
    if (rc == FORUM_OK)
        rc = record(c, &st, "add_topic", summary, undo, &seq, &err);
    else {
        json_decref(summary);
        json_decref(undo);
    }
    finish(c, rc, seq, &err);
out:
    store_topic_release(&t);
    op_release(&st);
}

static enum forum_status undo_topic(struct api_ctx *c, json_t *undo, json_t *summary,
                                    struct forum_error *err)
{
    const char *tid = json_string_value(json_object_get(undo, "topic"));
    struct store_topic t;
    enum forum_status rc = store_topic_get(c->store, CTX_EID(c), tid, &t, err);

    /* The topic goes, with the votes it got meanwhile (they are counted). */
    if (rc == FORUM_OK) {
        json_object_set_new(summary, "title", json_string(t.title));
        json_object_set_new(summary, "votes", json_integer(t.vote_count));
        rc = store_topic_delete(c->store, CTX_EID(c), tid, err);
    }
    json_object_set_new(summary, "topic", json_string(tid ? tid : ""));
    store_topic_release(&t);
    return rc;
}

/* ---- undo -------------------------------------------------------------------------- */

enum forum_status api__operation_undo(struct api_ctx *c, const struct store_change *x,
                                      json_t **summary, struct forum_error *err)
{
    json_t *undo = json_loads(x->undo, 0, NULL);
    enum forum_status rc;

    *summary = json_object();
    if (!json_is_object(undo))
        rc = forum_error_set(err, FORUM_EINTERNAL, NULL, "change %ld cannot be read",
                             x->seq);
    else if (strcmp(x->kind, "cancel") == 0)
        rc = undo_cancel(c, undo, *summary, err);
    else if (strcmp(x->kind, "merge") == 0)
        rc = undo_merge(c, undo, *summary, err);
    else if (strcmp(x->kind, "move") == 0)
        rc = undo_move(c, undo, *summary, err);
    else if (strcmp(x->kind, "close_room") == 0)
        rc = undo_close_room(c, undo, *summary, err);
    else if (strcmp(x->kind, "add_topic") == 0)
        rc = undo_topic(c, undo, *summary, err);
    else
        rc = forum_error_set(err, FORUM_EINTERNAL, NULL, "no undo for %s", x->kind);
    json_decref(undo);
    return rc;
}
