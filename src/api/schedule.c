/* SPDX-License-Identifier: MIT */
/*
 * The allocation problem, the allocation worker (solves off the server
 * threads and answers late through api_request.ready), drafts, publishing
 * and the published schedule with its in-memory cache and strong ETag.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/alloc.h"
#include "forum/alloc_json.h"
#include "forum/util/log.h"
#include "forum/util/mem.h"
#include "internal.h"

/* ---- the problem ---------------------------------------------------------------------
 */

enum forum_status api__problem_build(struct store *s, const char *eid, json_t **out,
                                     struct forum_error *err)
{
    struct store_slot *slots = NULL;
    struct store_room *rooms = NULL;
    struct store_topic *topics = NULL;
    struct store_participant *people = NULL;
    struct store_vote *votes = NULL;
    size_t n_slots = 0, n_rooms = 0, n_topics = 0, n_people = 0, n_votes = 0;
    enum forum_status rc;
    json_t *doc = NULL, *arr;

    *out = NULL;
    rc = store_slot_list(s, eid, &slots, &n_slots, err);
    if (rc == FORUM_OK)
        rc = store_room_list(s, eid, &rooms, &n_rooms, err);
    if (rc == FORUM_OK)
        rc = store_topic_list(s, eid, &topics, &n_topics, err);
    if (rc == FORUM_OK)
        rc = store_participant_list(s, eid, &people, &n_people, err);
    if (rc == FORUM_OK)
        rc = store_vote_list(s, eid, NULL, &votes, &n_votes, err);
    if (rc != FORUM_OK)
        goto out;
    doc = json_object();
    arr = json_array();
    for (size_t i = 0; i < n_slots; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(slots[i].id));
        json_object_set_new(o, "label", json_string(slots[i].label));
        json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "slots", arr);
    arr = json_array();
    for (size_t i = 0; i < n_rooms; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(rooms[i].id));
        json_object_set_new(o, "capacity", json_integer(rooms[i].capacity));
        json_object_set_new(o, "features", api__strv_json(&rooms[i].features));
        json_object_set_new(o, "unavailable", api__strv_json(&rooms[i].unavailable));
        json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "rooms", arr);
    arr = json_array();
    for (size_t i = 0; i < n_topics; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(topics[i].id));
        json_object_set_new(o, "hosts", api__strv_json(&topics[i].host_ids));
        json_object_set_new(o, "needs", api__strv_json(&topics[i].needs));
        if (topics[i].max_size > 0)
            json_object_set_new(o, "max_size", json_integer(topics[i].max_size));
        if (topics[i].fixed_room != NULL) {
            json_t *f = json_object();
            json_object_set_new(f, "room", json_string(topics[i].fixed_room));
            json_object_set_new(f, "slot", json_string(topics[i].fixed_slot));
            json_object_set_new(o, "fixed", f);
        }
        json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "topics", arr);
    arr = json_array();
    for (size_t i = 0, v = 0; i < n_people; i++) {
        json_t *o = json_object(), *w = json_object();
        json_object_set_new(o, "id", json_string(people[i].id));
        json_object_set_new(o, "needs", api__strv_json(&people[i].needs));
        json_object_set_new(o, "unavailable", api__strv_json(&people[i].unavailable));
        /* The votes come sorted by participant id (people by creation): find
         * this person's first vote by bisection, then take the run. */
        size_t lo = 0, hi = n_votes;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp(votes[mid].participant_id, people[i].id) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (v = lo; v < n_votes && strcmp(votes[v].participant_id, people[i].id) == 0;
             v++)
            json_object_set_new(w, votes[v].topic_id, json_integer(votes[v].weight));
        json_object_set_new(o, "votes", w);
        json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "participants", arr);
    *out = doc;
out:
    store_slots_free(slots, n_slots);
    store_rooms_free(rooms, n_rooms);
    store_topics_free(topics, n_topics);
    store_participants_free(people, n_people);
    store_votes_free(votes, n_votes);
    return rc;
}

void api__problem_get(struct api_ctx *c)
{
    struct forum_error err;
    enum forum_status rc;
    json_t *doc;

    forum_error_clear(&err);
    rc = api__problem_build(c->store, CTX_EID(c), &doc, &err);
    if (api__failed(c, rc, &err))
        return;
    api__json(c, 200, doc);
}

/* ---- solving
 * ------------------------------------------------------------------------------ */

struct stop_state {
    double deadline;
    atomic_bool *stop;
};

static bool should_stop(void *cls)
{
    struct stop_state *st = cls;

    return api__now() >= st->deadline || (st->stop != NULL && atomic_load(st->stop));
}

enum forum_status api__solve_and_store(struct store *s, const char *eid,
                                       const char *problem, size_t len,
                                       long time_limit_ms, atomic_bool *stop,
                                       pthread_mutex_t *write_mu, char *aid,
                                       char **solution, struct forum_error *err)
{
    struct alloc_problem *p = NULL;
    struct alloc_result *r = NULL;
    struct alloc_options opt;
    struct stop_state st;
    struct store_allocation a;
    enum forum_status rc;
    char *text = NULL;

    *solution = NULL;
    aid[0] = '\0';
    double start = api__now();
    struct alloc_json_options jo;
    rc = alloc_json_parse_problem(problem, len, &p, &jo, err);
    if (rc != FORUM_OK)
        goto out;
    /* The solve policy of `forumd solve` (seed, options, the reserve for the
     * final seating), with the request's time limit. */
    struct alloc_json_request req = {.has_time_limit_ms = true,
                                     .time_limit_ms = (uint64_t)time_limit_ms};
    struct alloc_json_policy pol;
    alloc_json_policy_make(&jo, &req, (uint64_t)((api__now() - start) * 1000.0), &pol);
    memset(&opt, 0, sizeof(opt));
    opt.seed = pol.seed;
    st.deadline = start + (double)pol.search_ms / 1000.0;
    st.stop = stop;
    opt.should_stop = should_stop;
    opt.stop_cls = &st;
    rc = alloc_solve(p, &opt, &r, err);
    if (rc != FORUM_OK)
        goto out;
    text = alloc_json_dump_solution(p, r, NULL);
    if (text == NULL) {
        rc = forum_error_set(err, FORUM_ENOMEM, NULL, "out of memory");
        goto out;
    }
    memset(&a, 0, sizeof(a));
    a.solution = text;
    a.satisfied = (long)r->score.satisfied;
    a.bound = r->score.bound >= 0 ? (long)r->score.bound : -1;
    a.scheduled = (long)r->score.scheduled;
    if (write_mu != NULL)
        pthread_mutex_lock(write_mu);
    rc = store_allocation_create(s, eid, &a, aid, err);
    if (write_mu != NULL)
        pthread_mutex_unlock(write_mu);
    if (rc != FORUM_OK)
        goto out;
    *solution = text;
    text = NULL;
out:
    free(text);
    alloc_result_free(r);
    alloc_problem_free(p);
    return rc;
}

struct api_job {
    char eid[API_PARAM_MAX + 1];
    char *problem;
    size_t len;
    long time_limit_ms;
    size_t route_index;
    struct api_response *resp;
    void (*ready)(void *);
    void *ready_cls;
    struct api_job *next;
};

/* Fills the job's response with {id, solution} or the error. */
static void job_answer(struct api *api, struct api_job *job, enum forum_status rc,
                       const char *aid, const char *solution,
                       const struct forum_error *err)
{
    struct api_ctx c;

    memset(&c, 0, sizeof(c));
    c.api = api;
    c.resp = job->resp;
    if (rc == FORUM_OK) {
        json_t *doc = json_object(), *sol = json_loads(solution, 0, NULL);
        json_object_set_new(doc, "id", json_string(aid));
        json_object_set_new(doc, "solution", sol ? sol : json_null());
        api__json(&c, 200, doc);
        atomic_fetch_add(&api->metrics.allocations, 1);
    } else {
        atomic_fetch_add(&api->metrics.allocation_failures, 1);
        if (rc == FORUM_EINVAL)
            api__error(&c, 422, "invalid_problem", err->field, "%s", err->msg);
        else
            api__fail(&c, rc, err);
    }
    api__count(api, job->route_index, job->resp->status);
}

static void job_free(struct api_job *job)
{
    free(job->problem);
    free(job);
}

static void *worker_main(void *arg)
{
    struct api *api = arg;

    for (;;) {
        struct api_job *job;
        struct forum_error err;
        enum forum_status rc;
        struct store *s;
        char aid[STORE_ID_MAX + 1] = "";
        char *solution = NULL;
        void (*ready)(void *);
        void *ready_cls;

        pthread_mutex_lock(&api->job_mu);
        while (api->jobs == NULL && !api->stopping)
            pthread_cond_wait(&api->job_cv, &api->job_mu);
        job = api->jobs;
        if (job == NULL) {
            pthread_mutex_unlock(&api->job_mu);
            break;
        }
        api->jobs = job->next;
        api->running = job;
        pthread_mutex_unlock(&api->job_mu);

        forum_error_clear(&err);
        s = api__store(api, &err);
        if (s == NULL)
            rc = err.code ? err.code : FORUM_ESTORE;
        else if (api->stopping)
            rc = forum_error_set(&err, FORUM_ESTORE, NULL, "the server is stopping");
        else
            rc = api__solve_and_store(s, job->eid, job->problem, job->len,
                                      job->time_limit_ms, &api->stop_now, &api->write_mu,
                                      aid, &solution, &err);
        if (rc != FORUM_OK && rc != FORUM_EINVAL)
            log_error("allocation for event %s: %s", job->eid, err.msg);
        job_answer(api, job, rc, aid, solution, &err);
        free(solution);
        ready = job->ready;
        ready_cls = job->ready_cls;
        pthread_mutex_lock(&api->job_mu);
        api->running = NULL;
        pthread_mutex_unlock(&api->job_mu);
        job_free(job);
        /* After this call http/ may send and release the response: touch it no more. */
        if (ready != NULL)
            ready(ready_cls);
        /* The solver's scratch memory is free now, and this connection's page
         * cache (the draft just written) is not needed until the next job: hand
         * both back rather than let each allocation leave the heap larger. */
        if (s != NULL)
            store_release_memory(s);
        forum_mem_release();
    }
    return NULL;
}

enum forum_status api__worker_start(struct api *api, struct forum_error *err)
{
    if (pthread_create(&api->worker, NULL, worker_main, api) != 0)
        return forum_error_set(err, FORUM_EINTERNAL, NULL, "cannot start the worker");
    api->worker_started = true;
    return FORUM_OK;
}

void api__worker_stop(struct api *api)
{
    if (!api->worker_started)
        return;
    pthread_mutex_lock(&api->job_mu);
    api->stopping = true;
    atomic_store(&api->stop_now, true);
    pthread_cond_broadcast(&api->job_cv);
    pthread_mutex_unlock(&api->job_mu);
    pthread_join(api->worker, NULL);
    api->worker_started = false;
}

void api__allocation_post(struct api_ctx *c)
{
    static const char *const keys[] = {"time_limit_ms", NULL};
    long limit = API_TIME_LIMIT_DEFAULT;
    struct forum_error err;
    enum forum_status rc;
    struct api_job *job, **tail;
    json_t *problem;
    bool busy;

    if (!api__only_keys(c, keys) ||
        !api__get_int(c, "time_limit_ms", false, 1, API_TIME_LIMIT_MAX, &limit, NULL))
        return;
    if (c->req->ready == NULL) {
        api__error(c, 500, "internal", NULL, "this server cannot answer late");
        return;
    }
    pthread_mutex_lock(&c->api->job_mu);
    busy = c->api->running != NULL && strcmp(c->api->running->eid, CTX_EID(c)) == 0;
    for (job = c->api->jobs; job != NULL && !busy; job = job->next)
        busy = strcmp(job->eid, CTX_EID(c)) == 0;
    pthread_mutex_unlock(&c->api->job_mu);
    if (busy) {
        api__error(c, 409, "allocation_running", NULL,
                   "an allocation of this event is already running");
        return;
    }
    forum_error_clear(&err);
    rc = api__problem_build(c->store, CTX_EID(c), &problem, &err);
    if (api__failed(c, rc, &err))
        return;
    job = forum_xcalloc(1, sizeof(*job));
    snprintf(job->eid, sizeof(job->eid), "%s", CTX_EID(c));
    job->problem = json_dumps(problem, JSON_COMPACT);
    json_decref(problem);
    job->len = strlen(job->problem);
    job->time_limit_ms = limit;
    job->route_index = c->route_index;
    job->resp = c->resp;
    job->ready = c->req->ready;
    job->ready_cls = c->req->ready_cls;

    pthread_mutex_lock(&c->api->job_mu);
    busy = c->api->running != NULL && strcmp(c->api->running->eid, CTX_EID(c)) == 0;
    for (struct api_job *j = c->api->jobs; j != NULL && !busy; j = j->next)
        busy = strcmp(j->eid, CTX_EID(c)) == 0;
    if (!busy && !c->api->stopping) {
        for (tail = &c->api->jobs; *tail != NULL; tail = &(*tail)->next)
            ;
        *tail = job;
        c->resp->pending = true;
        c->done = true;
        pthread_cond_signal(&c->api->job_cv);
    }
    pthread_mutex_unlock(&c->api->job_mu);
    if (!c->resp->pending) {
        job_free(job);
        api__error(c, 409, "allocation_running", NULL,
                   "an allocation of this event is already running");
    }
}

/* ---- drafts
 * --------------------------------------------------------------------------------- */

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
    json_t *doc;

    forum_error_clear(&err);
    rc = store_allocation_get(c->store, CTX_EID(c), c->param[1], &a, &err);
    if (api__failed(c, rc, &err))
        return;
    doc = allocation_summary(&a);
    json_object_set_new(doc, "solution", json_loads(a.solution, 0, NULL));
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

/* ---- the schedule cache
 * ------------------------------------------------------------------ */

static void sched_unref(void *p)
{
    struct api_sched *e = p;

    if (e != NULL && atomic_fetch_sub(&e->refs, 1) == 1) {
        free(e->body);
        free(e);
    }
}

static struct api_sched *sched_new(const char *eid, long version, char *body)
{
    struct api_sched *e = forum_xcalloc(1, sizeof(*e));

    snprintf(e->eid, sizeof(e->eid), "%s", eid);
    e->version = version;
    snprintf(e->etag, sizeof(e->etag), "\"%.32s-v%ld\"", eid, version);
    e->body = body;
    e->body_len = strlen(body);
    atomic_init(&e->refs, 1); /* the cache's own reference */
    return e;
}

/* Puts e in the cache unless a newer version is there. Takes e's reference. */
static void cache_put(struct api *api, struct api_sched *e)
{
    struct api_sched **pp, *old = NULL;

    pthread_rwlock_wrlock(&api->cache_mu);
    for (pp = &api->cache; *pp != NULL; pp = &(*pp)->next) {
        if (strcmp((*pp)->eid, e->eid) == 0)
            break;
    }
    if (*pp == NULL) {
        e->next = api->cache;
        api->cache = e;
        e = NULL;
    } else if ((*pp)->version < e->version) {
        old = *pp;
        e->next = old->next;
        *pp = e;
        e = NULL;
    }
    pthread_rwlock_unlock(&api->cache_mu);
    sched_unref(old);
    sched_unref(e);
}

/* Returns a new reference to eid's cached schedule, or NULL. */
static struct api_sched *cache_get(struct api *api, const char *eid)
{
    struct api_sched *e;

    pthread_rwlock_rdlock(&api->cache_mu);
    for (e = api->cache; e != NULL; e = e->next) {
        if (strcmp(e->eid, eid) == 0) {
            atomic_fetch_add(&e->refs, 1);
            break;
        }
    }
    pthread_rwlock_unlock(&api->cache_mu);
    return e;
}

void api__cache_drop(struct api *api, const char *eid)
{
    struct api_sched **pp = &api->cache;

    pthread_rwlock_wrlock(&api->cache_mu);
    while (*pp != NULL) {
        struct api_sched *e = *pp;
        if (eid == NULL || strcmp(e->eid, eid) == 0) {
            *pp = e->next;
            sched_unref(e);
        } else {
            pp = &e->next;
        }
    }
    pthread_rwlock_unlock(&api->cache_mu);
}

/* True when the If-None-Match header names etag (or is "*"). */
static bool etag_matches(const char *inm, const char *etag)
{
    size_t n = strlen(etag);

    if (inm == NULL)
        return false;
    for (const char *p = inm; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        if (*p == '*')
            return true;
        if (strncmp(p, "W/", 2) == 0)
            p += 2; /* weak comparison, as RFC 9110 asks for If-None-Match */
        if (strncmp(p, etag, n) == 0 && (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
            return true;
        while (*p && *p != ',')
            p++;
    }
    return false;
}

void api__schedule_get(struct api_ctx *c)
{
    struct api_sched *e = cache_get(c->api, CTX_EID(c));
    struct forum_error err;
    enum forum_status rc;

    if (e != NULL) {
        atomic_fetch_add(&c->api->metrics.cache_hits, 1);
    } else {
        struct store_schedule sc;
        struct store_event ev;

        atomic_fetch_add(&c->api->metrics.cache_misses, 1);
        forum_error_clear(&err);
        if (c->store == NULL)
            c->store = api__store(c->api, &err);
        if (c->store == NULL) {
            api__error(c, 503, "unavailable", NULL, "the database cannot be opened");
            return;
        }
        rc = store_schedule_latest(c->store, CTX_EID(c), &sc, &err);
        if (rc == FORUM_ENOTFOUND) {
            rc = store_event_get(c->store, CTX_EID(c), &ev, &err);
            store_event_release(&ev);
            if (rc == FORUM_OK)
                api__error(c, 404, "not_published", NULL, "no schedule is published yet");
            else
                api__fail(c, rc, &err);
            return;
        }
        if (api__failed(c, rc, &err))
            return;
        e = sched_new(CTX_EID(c), sc.version, sc.body);
        sc.body = NULL;
        store_schedule_release(&sc);
        atomic_fetch_add(&e->refs, 1); /* ours, beside the cache's */
        cache_put(c->api, e);
    }
    if (etag_matches(c->req->if_none_match, e->etag)) {
        atomic_fetch_add(&c->api->metrics.not_modified, 1);
        c->resp->status = 304;
        c->resp->content_type = NULL;
        c->done = true;
        api_response_add_header(c->resp, "ETag", e->etag);
        api_response_add_header(c->resp, "Cache-Control", "no-cache");
        sched_unref(e);
        return;
    }
    c->resp->status = 200;
    c->resp->content_type = "application/json";
    c->resp->body = e->body;
    c->resp->body_len = e->body_len;
    c->resp->body_free = sched_unref;
    c->resp->body_cls = e;
    c->done = true;
    api_response_add_header(c->resp, "ETag", e->etag);
    api_response_add_header(c->resp, "Cache-Control", "no-cache");
}

/* ---- publishing
 * -------------------------------------------------------------------------- */

static const struct store_slot *find_slot(const struct store_slot *v, size_t n,
                                          const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].id, id) == 0)
            return &v[i];
    return NULL;
}

static const struct store_room *find_room(const struct store_room *v, size_t n,
                                          const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].id, id) == 0)
            return &v[i];
    return NULL;
}

static const struct store_topic *find_topic(const struct store_topic *v, size_t n,
                                            const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].id, id) == 0)
            return &v[i];
    return NULL;
}

enum forum_status api__publish_allocation(struct api *api, struct store *s,
                                          const char *eid, const char *aid, long *version,
                                          struct forum_error *err)
{
    struct store_allocation a;
    struct store_event ev;
    struct store_schedule latest, sc;
    struct store_slot *slots = NULL;
    struct store_room *rooms = NULL;
    struct store_topic *topics = NULL;
    size_t n_slots = 0, n_rooms = 0, n_topics = 0, i;
    json_t *sol = NULL, *doc = NULL, *arr, *x;
    enum forum_status rc;
    char now[21];
    char *body = NULL;

    memset(&a, 0, sizeof(a));
    memset(&ev, 0, sizeof(ev));
    memset(&latest, 0, sizeof(latest));
    rc = store_allocation_get(s, eid, aid, &a, err);
    if (rc != FORUM_OK)
        goto out;
    if (a.published > 0) {
        rc = forum_error_set(err, FORUM_ECONFLICT, "allocation",
                             "this allocation is published already (version %ld)",
                             a.published);
        goto out;
    }
    rc = store_event_get(s, eid, &ev, err);
    if (rc == FORUM_OK)
        rc = store_slot_list(s, eid, &slots, &n_slots, err);
    if (rc == FORUM_OK)
        rc = store_room_list(s, eid, &rooms, &n_rooms, err);
    if (rc == FORUM_OK)
        rc = store_topic_list(s, eid, &topics, &n_topics, err);
    if (rc != FORUM_OK)
        goto out;
    rc = store_schedule_latest(s, eid, &latest, err);
    if (rc == FORUM_ENOTFOUND) {
        forum_error_clear(err);
        rc = FORUM_OK;
    }
    if (rc != FORUM_OK)
        goto out;
    sol = json_loads(a.solution, 0, NULL);
    store_now(now);
    doc = json_object();
    json_object_set_new(doc, "version", json_integer(latest.version + 1));
    json_object_set_new(doc, "published_at", json_string(now));
    json_object_set_new(doc, "timezone", json_string(ev.timezone));
    arr = json_array();
    for (i = 0; i < n_slots; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(slots[i].id));
        json_object_set_new(o, "label", json_string(slots[i].label));
        json_object_set_new(o, "starts_at", json_string(slots[i].starts_at));
        json_object_set_new(o, "ends_at", json_string(slots[i].ends_at));
        json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "slots", arr);
    arr = json_array();
    for (i = 0; i < n_rooms; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(rooms[i].id));
        json_object_set_new(o, "name", json_string(rooms[i].name));
        json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "rooms", arr);
    arr = json_array();
    json_array_foreach(json_object_get(sol, "sessions"), i, x)
    {
        const char *tid = json_string_value(json_object_get(x, "topic"));
        const char *rid = json_string_value(json_object_get(x, "room"));
        const char *sid = json_string_value(json_object_get(x, "slot"));
        const struct store_topic *t = tid ? find_topic(topics, n_topics, tid) : NULL;
        json_t *o, *hosts;

        if (t == NULL || rid == NULL || sid == NULL || !find_room(rooms, n_rooms, rid) ||
            !find_slot(slots, n_slots, sid)) {
            rc = forum_error_set(err, FORUM_ECONFLICT, "allocation",
                                 "this draft names topics, rooms or slots that are gone: "
                                 "allocate again");
            goto out;
        }
        o = json_object();
        json_object_set_new(o, "topic", json_string(tid));
        json_object_set_new(o, "title", json_string(t->title));
        json_object_set_new(o, "theme", json_string(t->theme));
        hosts = json_array();
        for (size_t h = 0; h < t->host_names.n; h++)
            json_array_append_new(hosts, json_string(t->host_names.v[h]));
        json_object_set_new(o, "hosts", hosts);
        json_object_set_new(o, "room", json_string(rid));
        json_object_set_new(o, "slot", json_string(sid));
        json_object_set_new(
            o, "seated",
            json_integer((json_int_t)json_array_size(json_object_get(x, "attendees"))));
        json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "sessions", arr);
    body = json_dumps(doc, JSON_COMPACT);
    memset(&sc, 0, sizeof(sc));
    sc.version = latest.version + 1;
    sc.allocation_id = a.id;
    sc.published_at = now;
    sc.body = body;
    rc = store_schedule_insert(s, eid, &sc, err);
    if (rc != FORUM_OK)
        goto out;
    *version = sc.version;
    cache_put(api, sched_new(eid, sc.version, body));
    body = NULL;
out:
    free(body);
    json_decref(doc);
    json_decref(sol);
    store_allocation_release(&a);
    store_event_release(&ev);
    store_schedule_release(&latest);
    store_slots_free(slots, n_slots);
    store_rooms_free(rooms, n_rooms);
    store_topics_free(topics, n_topics);
    return rc;
}

void api__publish(struct api_ctx *c)
{
    static const char *const keys[] = {"allocation", NULL};
    const char *aid = NULL;
    struct forum_error err;
    enum forum_status rc;
    long version = 0;
    json_t *doc;

    if (!api__only_keys(c, keys) ||
        !api__get_string(c, "allocation", true, STORE_ID_MAX, false, &aid, NULL))
        return;
    forum_error_clear(&err);
    rc = api__publish_allocation(c->api, c->store, CTX_EID(c), aid, &version, &err);
    if (rc == FORUM_ENOTFOUND) {
        api__error(c, 404, "not_found", "allocation", "no such allocation");
        return;
    }
    if (api__failed(c, rc, &err))
        return;
    doc = json_object();
    json_object_set_new(doc, "version", json_integer(version));
    json_object_set_new(doc, "allocation", json_string(aid));
    api__json(c, 200, doc);
}

enum forum_status api__schedule_doc(struct api_ctx *c, json_t **doc, long *version,
                                    char **published_at, struct forum_error *err)
{
    struct store_schedule sc;
    enum forum_status rc = store_schedule_latest(c->store, CTX_EID(c), &sc, err);

    *doc = NULL;
    if (rc != FORUM_OK)
        return rc;
    *doc = json_loads(sc.body, 0, NULL);
    *version = sc.version;
    if (published_at != NULL) {
        *published_at = sc.published_at;
        sc.published_at = NULL;
    }
    store_schedule_release(&sc);
    return *doc != NULL ? FORUM_OK : FORUM_EINTERNAL;
}
