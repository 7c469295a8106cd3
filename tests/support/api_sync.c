/* SPDX-License-Identifier: MIT */
/* api_handle() made synchronous for tests: wait for a late answer. */
#include "api_sync.h"

#include <pthread.h>
#include <stdbool.h>

/* The rendezvous for an answer that comes later from the allocation worker. */
struct waiter {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool done;
};

static void waiter_ready(void *cls)
{
    struct waiter *w = cls;

    pthread_mutex_lock(&w->mu);
    w->done = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

void ts_api_call(struct api *api, struct api_request *req, struct api_response *resp)
{
    struct waiter w;

    pthread_mutex_init(&w.mu, NULL);
    pthread_cond_init(&w.cv, NULL);
    w.done = false;
    req->ready = waiter_ready;
    req->ready_cls = &w;
    api_handle(api, req, resp);
    if (resp->pending) {
        pthread_mutex_lock(&w.mu);
        while (!w.done)
            pthread_cond_wait(&w.cv, &w.mu);
        pthread_mutex_unlock(&w.mu);
        /* The answer is complete once ready() was called (api.h). */
        resp->pending = false;
    }
    pthread_cond_destroy(&w.cv);
    pthread_mutex_destroy(&w.mu);
}
