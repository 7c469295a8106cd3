/* SPDX-License-Identifier: MIT */
/*
 * The allocation worker: POST /allocation reads the problem and queues a
 * job; one thread solves the jobs in turn, off the server threads, stores
 * each draft and answers late through api_request.ready. The solve call
 * itself is api__solve_and_store(), also used by the demo.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/alloc.h"
#include "forum/alloc_json.h"
#include "forum/util/log.h"
#include "forum/util/mem.h"
#include "internal.h"

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
        bool stopping;

        pthread_mutex_lock(&api->job_mu);
        while (api->jobs == NULL && !api->stopping)
            pthread_cond_wait(&api->job_cv, &api->job_mu);
        job = api->jobs;
        /* Read under job_mu, as it is written: api_free() sets it from another thread. */
        stopping = api->stopping;
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
        else if (stopping)
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
    if (rc == FORUM_EINVAL) {
        api__error(c, 422, "invalid_problem", err.field, "%s", err.msg);
        return;
    }
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
