/* SPDX-License-Identifier: MIT */
/*
 * Token buckets in a fixed table: the write limit per token holder and the
 * failed-authentication limit per address. Bounded memory: when the table
 * is crowded, the least recently used bucket in the probe window is reused.
 */
#include <string.h>
#include <time.h>

#include "internal.h"

#define PROBE 8

double api__now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void api__limiter_init(struct api_limiter *l)
{
    pthread_mutex_init(&l->mu, NULL);
    memset(l->slots, 0, sizeof(l->slots));
}

void api__limiter_release(struct api_limiter *l)
{
    pthread_mutex_destroy(&l->mu);
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;

    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h ? h : 1;
}

/* Returns key's bucket, refilled up to now (locked by the caller). */
static struct api_limit_slot *bucket(struct api_limiter *l, const char *key, double burst,
                                     double rate, double now)
{
    uint64_t h = fnv1a(key);
    size_t n = sizeof(l->slots) / sizeof(l->slots[0]);
    struct api_limit_slot *victim = NULL, *s;

    for (size_t i = 0; i < PROBE; i++) {
        s = &l->slots[(h + i) % n];
        if (s->key == h)
            goto found;
        if (victim == NULL || s->key == 0 || (victim->key != 0 && s->last < victim->last))
            victim = s;
    }
    s = victim;
    s->key = h;
    s->tokens = burst;
    s->last = now;
found:
    s->tokens += (now - s->last) * rate;
    if (s->tokens > burst)
        s->tokens = burst;
    s->last = now;
    return s;
}

static unsigned wait_for(const struct api_limit_slot *s, double rate)
{
    double w = (1.0 - s->tokens) / rate;

    unsigned whole;

    if (w < 1.0)
        return 1u;
    whole = (unsigned)w;
    return (double)whole < w ? whole + 1 : whole;
}

unsigned api__limiter_take(struct api_limiter *l, const char *key, double burst,
                           double rate)
{
    struct api_limit_slot *s;
    unsigned wait = 0;

    pthread_mutex_lock(&l->mu);
    s = bucket(l, key, burst, rate, api__now());
    if (s->tokens >= 1.0)
        s->tokens -= 1.0;
    else
        wait = wait_for(s, rate);
    pthread_mutex_unlock(&l->mu);
    return wait;
}

unsigned api__limiter_peek(struct api_limiter *l, const char *key, double burst,
                           double rate)
{
    struct api_limit_slot *s;
    unsigned wait = 0;

    pthread_mutex_lock(&l->mu);
    s = bucket(l, key, burst, rate, api__now());
    if (s->tokens < 1.0)
        wait = wait_for(s, rate);
    pthread_mutex_unlock(&l->mu);
    return wait;
}
