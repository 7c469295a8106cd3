/* SPDX-License-Identifier: MIT */
/*
 * The compact model: the problem turned into index arrays and feasibility
 * masks (topic x room, topic x slot, participant class x room), counted
 * votes sorted by weight, the random generator and the upper bound.
 */
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "forum/util/mem.h"

/* ---- random numbers ---- */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void alloc__rng_seed(struct alloc__rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t alloc__rng_next(struct alloc__rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint32_t alloc__rng_below(struct alloc__rng *r, uint32_t n)
{
    /* Lemire's multiply-shift; the tiny bias is irrelevant here. */
    uint64_t x = alloc__rng_next(r) >> 32;
    return (uint32_t)((x * n) >> 32);
}

double alloc__rng_unit(struct alloc__rng *r)
{
    return (double)(alloc__rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* ---- the model ---- */

void alloc__model_release(struct alloc__model *m)
{
    if (m == NULL)
        return;
    free(m->room_avail);
    free(m->cap);
    free(m->topic_size);
    free(m->host_start);
    free(m->host_p);
    free(m->topic_room_ok);
    free(m->topic_slot_ok);
    free(m->ok_room_start);
    free(m->ok_room);
    free(m->ok_slot_start);
    free(m->ok_slot);
    free(m->fixed_cell);
    free(m->movable);
    free(m->pclass);
    free(m->class_room);
    free(m->p_unavail);
    free(m->vote_start);
    free(m->vote_t);
    free(m->vote_w);
    free(m->voter_start);
    free(m->voter_p);
    free(m->voter_w);
    free(m->unit_start);
    free(m->unit_topic);
    free(m->is_group);
    free(m->gmax);
    free(m->gmin);
    free(m->prev_start);
    free(m->prev_cell);
    free(m->prev_group);
    free(m->slot_part);
    free(m->topic_part);
    memset(m, 0, sizeof *m);
}

static void *alloc_array(size_t n, size_t size)
{
    return forum_try_calloc(n ? n : 1, size);
}

static void set_bits(uint64_t *bits, const size_t *idx, size_t n)
{
    for (size_t i = 0; i < n; i++)
        bits[idx[i] >> 6] |= (uint64_t)1 << (idx[i] & 63);
}

static bool subset(const uint64_t *a, const uint64_t *b, size_t words)
{
    for (size_t i = 0; i < words; i++)
        if (a[i] & ~b[i])
            return false;
    return true;
}

struct need_key {
    const size_t *needs; /* sorted */
    size_t n;
    int32_t idx;
};

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static int cmp_need_key(const void *a, const void *b)
{
    const struct need_key *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    for (size_t i = 0; i < n; i++)
        if (x->needs[i] != y->needs[i])
            return x->needs[i] < y->needs[i] ? -1 : 1;
    if (x->n != y->n)
        return x->n < y->n ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static bool same_needs(const struct need_key *x, const struct need_key *y)
{
    return x->n == y->n &&
           (x->n == 0 || memcmp(x->needs, y->needs, x->n * sizeof *x->needs) == 0);
}

/* Groups participants by their needs; fills pclass, n_classes and class_room. */
static enum forum_status build_classes(struct alloc__model *m, const uint64_t *room_feat,
                                       size_t fwords)
{
    const struct alloc_problem *p = m->p;
    size_t P = (size_t)m->P, total = 0;
    enum forum_status rc = FORUM_ENOMEM;
    struct need_key *keys = alloc_array(P, sizeof *keys);
    size_t *sorted = NULL;
    uint64_t *need_bits = NULL;
    int32_t *rep = NULL;

    for (size_t i = 0; i < P; i++)
        total += p->participants[i].n_needs;
    sorted = alloc_array(total, sizeof *sorted);
    rep = alloc_array(P, sizeof *rep);
    need_bits = alloc_array(fwords, sizeof *need_bits);
    if (keys == NULL || sorted == NULL || rep == NULL || need_bits == NULL)
        goto out;
    total = 0;
    for (size_t i = 0; i < P; i++) {
        const struct alloc_participant *q = &p->participants[i];
        if (q->n_needs > 0)
            memcpy(sorted + total, q->needs, q->n_needs * sizeof *q->needs);
        qsort(sorted + total, q->n_needs, sizeof *sorted, cmp_size);
        keys[i] = (struct need_key){sorted + total, q->n_needs, (int32_t)i};
        total += q->n_needs;
    }
    qsort(keys, P, sizeof *keys, cmp_need_key);
    m->n_classes = 0;
    for (size_t i = 0; i < P; i++) {
        if (i == 0 || !same_needs(&keys[i - 1], &keys[i]))
            rep[m->n_classes++] = keys[i].idx;
        m->pclass[keys[i].idx] = m->n_classes - 1;
    }
    m->class_words = (m->R + 63) / 64;
    if (m->class_words == 0)
        m->class_words = 1;
    m->class_room =
        alloc_array((size_t)(m->n_classes ? m->n_classes : 1) * (size_t)m->class_words,
                    sizeof *m->class_room);
    if (m->class_room == NULL)
        goto out;
    for (int32_t k = 0; k < m->n_classes; k++) {
        const struct alloc_participant *q = &p->participants[rep[k]];
        memset(need_bits, 0, fwords * sizeof *need_bits);
        set_bits(need_bits, q->needs, q->n_needs);
        uint64_t *row = m->class_room + (size_t)k * (size_t)m->class_words;
        for (int32_t r = 0; r < m->R; r++)
            if (subset(need_bits, room_feat + (size_t)r * fwords, fwords))
                row[r >> 6] |= (uint64_t)1 << (r & 63);
    }
    rc = FORUM_OK;
out:
    free(keys);
    free(sorted);
    free(rep);
    free(need_bits);
    return rc;
}

/* Sorts parallel arrays (key, weight) by weight desc, then key asc. Short lists:
 * insertion. */
static void sort_by_weight(int32_t *key, int32_t *w, int32_t n)
{
    for (int32_t i = 1; i < n; i++) {
        int32_t k = key[i], x = w[i], j = i - 1;
        while (j >= 0 && (w[j] < x || (w[j] == x && key[j] > k))) {
            key[j + 1] = key[j];
            w[j + 1] = w[j];
            j--;
        }
        key[j + 1] = k;
        w[j + 1] = x;
    }
}

static bool is_host(const struct alloc_topic *t, size_t q)
{
    for (size_t h = 0; h < t->n_hosts; h++)
        if (t->hosts[h] == q)
            return true;
    return false;
}

/* Builds the counted votes, per participant and per topic. */
static enum forum_status build_votes(struct alloc__model *m)
{
    const struct alloc_problem *p = m->p;
    size_t n = 0;

    m->vote_start = alloc_array((size_t)m->P + 1, sizeof *m->vote_start);
    m->voter_start = alloc_array((size_t)m->T + 1, sizeof *m->voter_start);
    if (m->vote_start == NULL || m->voter_start == NULL)
        return FORUM_ENOMEM;
    for (size_t i = 0; i < (size_t)m->P; i++) {
        const struct alloc_participant *q = &p->participants[i];
        for (size_t v = 0; v < q->n_votes; v++)
            if (q->votes[v].weight > 0 && !is_host(&p->topics[q->votes[v].topic], i)) {
                n++;
                m->voter_start[q->votes[v].topic + 1]++;
            }
        m->vote_start[i + 1] = (int32_t)n;
    }
    m->vote_t = alloc_array(n, sizeof *m->vote_t);
    m->vote_w = alloc_array(n, sizeof *m->vote_w);
    m->voter_p = alloc_array(n, sizeof *m->voter_p);
    m->voter_w = alloc_array(n, sizeof *m->voter_w);
    int32_t *fill = alloc_array((size_t)m->T, sizeof *fill);
    if (m->vote_t == NULL || m->vote_w == NULL || m->voter_p == NULL ||
        m->voter_w == NULL || fill == NULL) {
        free(fill);
        return FORUM_ENOMEM;
    }
    for (int32_t t = 0; t < m->T; t++)
        m->voter_start[t + 1] += m->voter_start[t];
    n = 0;
    m->demand = 0;
    for (size_t i = 0; i < (size_t)m->P; i++) {
        const struct alloc_participant *q = &p->participants[i];
        for (size_t v = 0; v < q->n_votes; v++) {
            size_t t = q->votes[v].topic;
            if (q->votes[v].weight == 0 || is_host(&p->topics[t], i))
                continue;
            int32_t w = (int32_t)q->votes[v].weight;
            m->vote_t[n] = (int32_t)t;
            m->vote_w[n] = w;
            n++;
            int32_t at = m->voter_start[t] + fill[t]++;
            m->voter_p[at] = (int32_t)i;
            m->voter_w[at] = w;
            m->demand += w;
        }
        sort_by_weight(m->vote_t + m->vote_start[i], m->vote_w + m->vote_start[i],
                       m->vote_start[i + 1] - m->vote_start[i]);
    }
    for (int32_t t = 0; t < m->T; t++)
        sort_by_weight(m->voter_p + m->voter_start[t], m->voter_w + m->voter_start[t],
                       m->voter_start[t + 1] - m->voter_start[t]);
    free(fill);
    return FORUM_OK;
}

static bool in_list(const size_t *list, size_t n, size_t x)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == x)
            return true;
    return false;
}

/* True when some solution can keep previous entry e (see struct alloc__model). */
static bool keepable(const struct alloc__model *m, const struct alloc_previous *e)
{
    int32_t t = (int32_t)e->topic, c = (int32_t)e->slot * m->R + (int32_t)e->room;

    if (e->group > (uint32_t)m->gmax[t] || !alloc__cell_allowed(m, t, c))
        return false;
    /* A fixed topic's group 1 is its fixed cell, and only it. */
    return m->fixed_cell[t] < 0 || (e->group == 1) == (c == m->fixed_cell[t]);
}

/* Lists, per topic, the previous entries some solution can keep. */
static enum forum_status build_previous(struct alloc__model *m)
{
    const struct alloc_problem *p = m->p;
    size_t n = 0;

    m->n_prev = (int32_t)p->n_previous;
    m->prev_start = alloc_array((size_t)m->T + 2, sizeof *m->prev_start);
    if (m->prev_start == NULL)
        return FORUM_ENOMEM;
    for (size_t i = 0; i < p->n_previous; i++)
        if (keepable(m, &p->previous[i])) {
            m->prev_start[p->previous[i].topic + 1]++;
            n++;
        }
    m->prev_lost = m->n_prev - (int32_t)n;
    for (int32_t t = 0; t < m->T; t++)
        m->prev_start[t + 1] += m->prev_start[t];
    m->prev_cell = alloc_array(n, sizeof *m->prev_cell);
    m->prev_group = alloc_array(n, sizeof *m->prev_group);
    int32_t *fill = alloc_array((size_t)m->T, sizeof *fill);
    if (m->prev_cell == NULL || m->prev_group == NULL || fill == NULL) {
        free(fill);
        return FORUM_ENOMEM;
    }
    for (size_t i = 0; i < p->n_previous; i++) {
        const struct alloc_previous *e = &p->previous[i];
        if (!keepable(m, e))
            continue;
        int32_t at = m->prev_start[e->topic] + fill[e->topic]++;
        m->prev_cell[at] = (int32_t)e->slot * m->R + (int32_t)e->room;
        m->prev_group[at] = (int32_t)e->group;
    }
    free(fill);
    return FORUM_OK;
}

static int32_t find(int32_t *parent, int32_t s)
{
    while (parent[s] != s) {
        parent[s] = parent[parent[s]];
        s = parent[s];
    }
    return s;
}

/* Splits the slots into independent parts (union-find over each topic's slots). */
static enum forum_status build_parts(struct alloc__model *m)
{
    int32_t *parent = alloc_array((size_t)m->S, sizeof *parent);
    m->slot_part = alloc_array((size_t)m->S, sizeof *m->slot_part);
    m->topic_part = alloc_array((size_t)m->T, sizeof *m->topic_part);
    if (parent == NULL || m->slot_part == NULL || m->topic_part == NULL) {
        free(parent);
        return FORUM_ENOMEM;
    }
    for (int32_t s = 0; s < m->S; s++)
        parent[s] = s;
    for (int32_t t = 0; t < m->T; t++)
        for (int32_t j = m->ok_slot_start[t] + 1; j < m->ok_slot_start[t + 1]; j++)
            parent[find(parent, m->ok_slot[j])] = find(parent, m->ok_slot[j - 1]);
    m->n_parts = 0;
    for (int32_t s = 0; s < m->S; s++)
        m->slot_part[s] = -1;
    for (int32_t s = 0; s < m->S; s++) {
        int32_t root = find(parent, s);
        if (m->slot_part[root] < 0)
            m->slot_part[root] = m->n_parts++;
        m->slot_part[s] = m->slot_part[root];
    }
    for (int32_t t = 0; t < m->T; t++)
        m->topic_part[t] = m->ok_slot_start[t + 1] > m->ok_slot_start[t]
                               ? m->slot_part[m->ok_slot[m->ok_slot_start[t]]]
                               : -1;
    free(parent);
    return FORUM_OK;
}

int32_t alloc__kept(const struct alloc__model *m, int32_t t, int32_t s, int32_t k,
                    const int32_t *rooms)
{
    int32_t n = 0;

    for (int32_t i = m->prev_start[t]; i < m->prev_start[t + 1]; i++) {
        int32_t c = m->prev_cell[i];
        if (m->prev_group[i] > k || c / m->R != s)
            continue;
        for (int32_t j = 0; j < k; j++)
            if (rooms[j] == c % m->R) {
                n++;
                break;
            }
    }
    return n;
}

enum forum_status alloc__model_init(struct alloc__model *m, const struct alloc_problem *p)
{
    enum forum_status rc = FORUM_ENOMEM;
    size_t fwords = (p->n_features + 63) / 64 + 1;
    uint64_t *room_feat = NULL, *need = NULL;

    memset(m, 0, sizeof *m);
    m->p = p;
    m->T = (int32_t)p->n_topics;
    m->R = (int32_t)p->n_rooms;
    m->S = (int32_t)p->n_slots;
    m->P = (int32_t)p->n_participants;
    m->C = m->R * m->S;
    size_t T = (size_t)m->T, R = (size_t)m->R, S = (size_t)m->S, P = (size_t)m->P;

    m->room_avail = alloc_array((size_t)m->C, 1);
    m->cap = alloc_array(R, sizeof *m->cap);
    m->topic_size = alloc_array(T, sizeof *m->topic_size);
    m->host_start = alloc_array(T + 1, sizeof *m->host_start);
    m->topic_room_ok = alloc_array(T * R, 1);
    m->topic_slot_ok = alloc_array(T * S, 1);
    m->ok_room_start = alloc_array(T + 1, sizeof *m->ok_room_start);
    m->ok_slot_start = alloc_array(T + 1, sizeof *m->ok_slot_start);
    m->fixed_cell = alloc_array(T, sizeof *m->fixed_cell);
    m->unit_start = alloc_array(T + 1, sizeof *m->unit_start);
    m->is_group = alloc_array(T, 1);
    m->gmax = alloc_array(T, sizeof *m->gmax);
    m->gmin = alloc_array(T, sizeof *m->gmin);
    m->movable = alloc_array(T, 1);
    m->pclass = alloc_array(P, sizeof *m->pclass);
    m->p_unavail = alloc_array(P * S, 1);
    room_feat = alloc_array(R * fwords, sizeof *room_feat);
    need = alloc_array(fwords, sizeof *need);
    if (!m->room_avail || !m->cap || !m->topic_size || !m->host_start ||
        !m->topic_room_ok || !m->topic_slot_ok || !m->ok_room_start ||
        !m->ok_slot_start || !m->fixed_cell || !m->movable || !m->pclass ||
        !m->unit_start || !m->is_group || !m->gmax || !m->gmin || !m->p_unavail ||
        !room_feat || !need)
        goto fail;

    memset(m->room_avail, 1, (size_t)m->C);
    for (size_t r = 0; r < R; r++) {
        const struct alloc_room *room = &p->rooms[r];
        m->cap[r] = (int32_t)room->capacity;
        set_bits(room_feat + r * fwords, room->features, room->n_features);
        for (size_t k = 0; k < room->n_unavailable; k++)
            m->room_avail[room->unavailable[k] * R + r] = 0;
    }
    for (size_t i = 0; i < P; i++) {
        const struct alloc_participant *q = &p->participants[i];
        for (size_t k = 0; k < q->n_unavailable; k++)
            m->p_unavail[i * S + q->unavailable[k]] = 1;
    }
    size_t n_hosts = 0;
    for (size_t t = 0; t < T; t++) {
        n_hosts += p->topics[t].n_hosts;
        m->host_start[t + 1] = (int32_t)n_hosts;
    }
    m->host_p = alloc_array(n_hosts, sizeof *m->host_p);
    if (m->host_p == NULL)
        goto fail;
    size_t n_ok_rooms = 0, n_ok_slots = 0, n_units = 0;
    for (size_t t = 0; t < T; t++) {
        const struct alloc_topic *tp = &p->topics[t];
        for (size_t h = 0; h < tp->n_hosts; h++)
            m->host_p[(size_t)m->host_start[t] + h] = (int32_t)tp->hosts[h];
        m->topic_size[t] = tp->has_max_size ? (int32_t)tp->max_size : (int32_t)INT32_MAX;
        m->is_group[t] = tp->has_groups;
        m->gmin[t] = tp->has_groups ? (int32_t)tp->groups.size_min : 0;
        if (tp->has_groups && (int32_t)tp->groups.size_max < m->topic_size[t])
            m->topic_size[t] = (int32_t)tp->groups.size_max;
        m->n_groups += tp->has_groups;
        memset(need, 0, fwords * sizeof *need);
        set_bits(need, tp->needs, tp->n_needs);
        for (size_t h = 0; h < tp->n_hosts; h++) {
            const struct alloc_participant *q = &p->participants[tp->hosts[h]];
            set_bits(need, q->needs, q->n_needs);
        }
        bool fixed = tp->fixed_room != ALLOC_NONE;
        m->fixed_cell[t] = fixed ? (int32_t)(tp->fixed_slot * R + tp->fixed_room) : -1;
        size_t room_ok = 0;
        for (size_t r = 0; r < R; r++) {
            int32_t size = alloc__limit(m, (int32_t)t, (int32_t)r);
            /* A group topic's other groups may use any suitable room of its slot. */
            bool ok = subset(need, room_feat + r * fwords, fwords) &&
                      (tp->has_groups ? size >= m->gmin[t]
                                      : (size_t)size >= tp->n_hosts &&
                                            (!fixed || r == tp->fixed_room));
            m->topic_room_ok[t * R + r] = ok;
            room_ok += ok;
        }
        n_ok_rooms += room_ok;
        /* A group topic: at most one group per host (each group has one) and per
         * suitable room. */
        int32_t g = 1;
        if (tp->has_groups) {
            size_t k = tp->groups.max;
            if (tp->n_hosts > 0 && tp->n_hosts < k)
                k = tp->n_hosts;
            if (room_ok < k)
                k = room_ok;
            g = k > 1 ? (int32_t)k : 1;
        }
        m->gmax[t] = g;
        n_units += (size_t)g;
        m->unit_start[t + 1] = (int32_t)n_units;
        for (size_t s = 0; s < S; s++) {
            bool ok = (!fixed || s == tp->fixed_slot) &&
                      (!tp->has_slots || in_list(tp->slots, tp->n_slots, s));
            for (size_t h = 0; ok && h < tp->n_hosts; h++)
                if (m->p_unavail[tp->hosts[h] * S + s])
                    ok = false;
            m->topic_slot_ok[t * S + s] = ok;
            n_ok_slots += ok;
        }
        m->ok_room_start[t + 1] = (int32_t)n_ok_rooms;
        m->ok_slot_start[t + 1] = (int32_t)n_ok_slots;
    }
    m->U = (int32_t)n_units;
    m->ok_room = alloc_array(n_ok_rooms, sizeof *m->ok_room);
    m->ok_slot = alloc_array(n_ok_slots, sizeof *m->ok_slot);
    m->unit_topic = alloc_array(n_units, sizeof *m->unit_topic);
    if (m->ok_room == NULL || m->ok_slot == NULL || m->unit_topic == NULL)
        goto fail;
    for (int32_t t = 0; t < m->T; t++)
        for (int32_t u = m->unit_start[t]; u < m->unit_start[t + 1]; u++)
            m->unit_topic[u] = t;
    n_ok_rooms = n_ok_slots = 0;
    for (size_t t = 0; t < T; t++) {
        for (size_t r = 0; r < R; r++)
            if (m->topic_room_ok[t * R + r])
                m->ok_room[n_ok_rooms++] = (int32_t)r;
        for (size_t s = 0; s < S; s++)
            if (m->topic_slot_ok[t * S + s])
                m->ok_slot[n_ok_slots++] = (int32_t)s;
        bool any = false;
        for (int32_t i = m->ok_room_start[t]; !any && i < m->ok_room_start[t + 1]; i++)
            for (int32_t j = m->ok_slot_start[t]; !any && j < m->ok_slot_start[t + 1];
                 j++)
                any =
                    m->room_avail[(size_t)m->ok_slot[j] * R + (size_t)m->ok_room[i]] != 0;
        m->movable[t] = any && m->fixed_cell[t] < 0;
    }
    rc = build_classes(m, room_feat, fwords);
    if (rc != FORUM_OK)
        goto fail;
    rc = build_votes(m);
    if (rc != FORUM_OK)
        goto fail;
    rc = build_previous(m);
    if (rc != FORUM_OK)
        goto fail;
    rc = build_parts(m);
    if (rc != FORUM_OK)
        goto fail;
    free(room_feat);
    free(need);
    return FORUM_OK;
fail:
    free(room_feat);
    free(need);
    alloc__model_release(m);
    return FORUM_ENOMEM;
}

/* ---- the bound ---- */

static int cmp_i32_desc(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x < y) - (x > y);
}

static int cmp_i64_desc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x < y) - (x > y);
}

/* True when topic t has at least one allowed cell. */
static bool placeable(const struct alloc__model *m, int32_t t)
{
    if (m->fixed_cell[t] >= 0)
        return true;
    return m->movable[t] != 0;
}

/*
 * Two relaxations, each an upper bound; the smaller is returned.
 * (a) Each participant attends at most one session per slot they are
 *     available in: the sum of their k largest weights (k = those slots)
 *     over topics that can be placed at all.
 * (b) Each topic seats at most its largest room's seats: the sum of its
 *     largest voter weights up to that number; and at most as many topics
 *     as usable cells are scheduled: the largest such per-topic values, one
 *     per usable cell.
 */
enum forum_status alloc__bound(const struct alloc__model *m, int64_t *bound)
{
    int64_t a = 0, b = 0;

    for (int32_t q = 0; q < m->P; q++) {
        int32_t k = 0;
        for (int32_t s = 0; s < m->S; s++)
            k += !m->p_unavail[(size_t)q * (size_t)m->S + (size_t)s];
        for (int32_t i = m->vote_start[q]; i < m->vote_start[q + 1] && k > 0; i++)
            if (placeable(m, m->vote_t[i])) {
                a += m->vote_w[i];
                k--;
            }
    }
    int64_t *val = alloc_array((size_t)m->T, sizeof *val);
    int32_t *lim = alloc_array((size_t)m->R, sizeof *lim);
    if (val == NULL || lim == NULL) {
        free(val);
        free(lim);
        return FORUM_ENOMEM;
    }
    for (int32_t t = 0; t < m->T; t++) {
        if (!placeable(m, t))
            continue;
        int64_t seats = 0;
        if (m->is_group[t]) {
            /* Its groups fill at most its gmax largest suitable rooms. */
            int32_t n = 0;
            for (int32_t i = m->ok_room_start[t]; i < m->ok_room_start[t + 1]; i++)
                lim[n++] = alloc__limit(m, t, m->ok_room[i]);
            qsort(lim, (size_t)n, sizeof *lim, cmp_i32_desc);
            for (int32_t i = 0; i < n && i < m->gmax[t]; i++)
                seats += lim[i];
            seats -= alloc__n_hosts(m, t);
        } else {
            for (int32_t i = m->ok_room_start[t]; i < m->ok_room_start[t + 1]; i++) {
                int32_t n = alloc__seats(m, t, m->ok_room[i]);
                if (n > seats)
                    seats = n;
            }
        }
        for (int32_t i = m->voter_start[t]; i < m->voter_start[t + 1] && seats > 0; i++) {
            val[t] += m->voter_w[i];
            seats--;
        }
    }
    int32_t cells = 0;
    for (int32_t c = 0; c < m->C; c++)
        cells += m->room_avail[c];
    qsort(val, (size_t)m->T, sizeof *val, cmp_i64_desc);
    for (int32_t t = 0; t < m->T && t < cells; t++)
        b += val[t];
    free(val);
    free(lim);
    *bound = a < b ? a : b;
    return FORUM_OK;
}
