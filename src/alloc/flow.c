/* SPDX-License-Identifier: MIT */
/*
 * The exact seating of one slot: a transportation problem (people to
 * sessions, one seat each, seats as capacities) solved as a min-cost flow.
 * A greedy assignment by weight gives a feasible start; then negative
 * cycles are cancelled on the small residual graph whose nodes are the
 * sessions, "unseated" and a hub (K + 2 nodes, K the sessions of the slot).
 * When no negative cycle is left the assignment is optimal (the min-cost
 * circulation optimality condition), whatever the start.
 */
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "forum/util/mem.h"

struct triple {
    int64_t w;
    int32_t i, k;
};

static int cmp_triple(const void *a, const void *b)
{
    const struct triple *x = a, *y = b;
    if (x->w != y->w)
        return x->w > y->w ? -1 : 1;
    if (x->i != y->i)
        return x->i < y->i ? -1 : 1;
    return (x->k > y->k) - (x->k < y->k);
}

/* The weight of person i's option for session k, or 0. */
static int64_t option_w(const struct alloc__tp *tp, int32_t i, int32_t k)
{
    for (int32_t j = tp->opt_start[i]; j < tp->opt_start[i + 1]; j++)
        if (tp->opt_k[j] == k)
            return tp->opt_w[j];
    return 0;
}

/* The work of a seating in annealing steps (calibrated by instruction counts:
 * 4-5 steps on the small instances, 12 on large). */
#ifndef SEAT_DIV_OPT
#define SEAT_DIV_OPT 64
#endif
#ifndef SEAT_DIV_BF
#define SEAT_DIV_BF 4096
#endif

/* Weights up to this are sorted by counting. */
#define TP_COUNTING_MAX 4096

/* Carves n bytes (aligned to 8) from *at. */
static void *carve(char **at, size_t n)
{
    void *p = *at;
    *at += (n + 7) & ~(size_t)7;
    return p;
}

enum forum_status alloc__tp_solve(const struct alloc__tp *tp, int32_t *assign,
                                  int64_t *total, struct alloc__tp_work *work)
{
    int32_t K = tp->K, V = K + 2, N = K, Z = K + 1;
    size_t nopt = tp->n > 0 ? (size_t)tp->opt_start[tp->n] : 0;
    size_t VV = (size_t)V * (size_t)V, nv = (size_t)V + 1;
    size_t nn = (size_t)(tp->n > 0 ? tp->n : 1);
    size_t need =
        (nopt + 1) * sizeof(struct triple) + nv * 6 * 8 + nn * 4 + VV * 12 + 2 * nv + 96;
    size_t want = need + nn * 4 + (TP_COUNTING_MAX + 2) * 4 +
                  (nopt + 1) * sizeof(struct triple) + 128;
    struct alloc__tp_work local = {NULL, 0, 0};
    enum forum_status rc = FORUM_ENOMEM;

    if (work == NULL)
        work = &local;
    if (work->cap < want) {
        void *mem = forum_try_realloc(work->mem, want);
        if (mem == NULL)
            goto out;
        work->mem = mem;
        work->cap = want;
    }
    char *at = work->mem;
    struct triple *tri = carve(&at, (nopt + 1) * sizeof *tri);
    int64_t *gain = carve(&at, VV * sizeof *gain);
    int32_t *arg = carve(&at, VV * sizeof *arg);
    int64_t *dist = carve(&at, nv * sizeof *dist);
    int32_t *spare = carve(&at, nv * sizeof *spare);
    int32_t *pred = carve(&at, nv * sizeof *pred);
    int32_t *cyc = carve(&at, nv * sizeof *cyc);
    int32_t *mv_i = carve(&at, nv * sizeof *mv_i);
    int32_t *mv_k = carve(&at, nv * sizeof *mv_k);
    int64_t *cur_w = carve(&at, nn * sizeof *cur_w);
    uint8_t *act = carve(&at, nv);
    uint8_t *nxt = carve(&at, nv);
    int64_t sum = 0;

    if (!tri || !spare || !cur_w || !gain || !arg || !dist || !pred || !cyc || !mv_i ||
        !mv_k)
        goto out;

    /* Greedy start: heaviest options first. */
    size_t n3 = 0;
    for (int32_t i = 0; i < tp->n; i++) {
        assign[i] = -1;
        cur_w[i] = 0;
        for (int32_t j = tp->opt_start[i]; j < tp->opt_start[i + 1]; j++)
            tri[n3++] = (struct triple){tp->opt_w[j], i, tp->opt_k[j]};
    }
    /* Small weights (the usual 1..3): a counting sort, stable, so ties stay in
     * (person, option) order; glibc's qsort would allocate on every call. */
    int64_t wmax = 0;
    for (size_t x = 0; x < n3; x++)
        wmax = tri[x].w > wmax ? tri[x].w : wmax;
    size_t used = (size_t)(at - (char *)work->mem);
    size_t room = wmax <= TP_COUNTING_MAX
                      ? ((((size_t)wmax + 2) * sizeof(int32_t) + 7) & ~(size_t)7) +
                            (nopt + 1) * sizeof(struct triple) + 8
                      : SIZE_MAX / 2;
    if (work->cap >= used + room) {
        int32_t *bucket = carve(&at, ((size_t)wmax + 2) * sizeof *bucket);
        struct triple *sorted = carve(&at, (nopt + 1) * sizeof *sorted);
        memset(bucket, 0, ((size_t)wmax + 2) * sizeof *bucket);
        for (size_t x = 0; x < n3; x++)
            bucket[wmax - tri[x].w + 1]++;
        for (int32_t b = 1; b <= wmax + 1; b++)
            bucket[b] += bucket[b - 1];
        for (size_t x = 0; x < n3; x++)
            sorted[bucket[wmax - tri[x].w]++] = tri[x];
        tri = sorted;
    } else {
        qsort(tri, n3, sizeof *tri, cmp_triple);
    }
    for (int32_t k = 0; k < K; k++)
        spare[k] = tp->seats[k];
    for (size_t x = 0; x < n3; x++) {
        const struct triple *e = &tri[x];
        if (assign[e->i] < 0 && spare[e->k] > 0) {
            assign[e->i] = e->k;
            cur_w[e->i] = e->w;
            spare[e->k]--;
            sum += e->w;
        }
    }

    /* Cancel negative cycles (in cost = -gain) until none is left. */
    work->passes = 0;
    for (;;) {
        work->passes++;
        for (size_t x = 0; x < VV; x++) {
            gain[x] = INT64_MIN;
            arg[x] = -1;
        }
        for (int32_t i = 0; i < tp->n; i++) {
            int32_t x = assign[i] >= 0 ? assign[i] : N;
            for (int32_t j = tp->opt_start[i]; j < tp->opt_start[i + 1]; j++) {
                int32_t y = tp->opt_k[j];
                int64_t g = tp->opt_w[j] - cur_w[i];
                size_t e = (size_t)x * (size_t)V + (size_t)y;
                if (y != x && g > gain[e]) {
                    gain[e] = g;
                    arg[e] = i;
                }
            }
            if (x != N) {
                size_t e = (size_t)x * (size_t)V + (size_t)N;
                if (-cur_w[i] > gain[e]) {
                    gain[e] = -cur_w[i];
                    arg[e] = i;
                }
            }
        }
        for (int32_t x = 0; x <= N; x++) {
            gain[(size_t)Z * (size_t)V + (size_t)x] = 0;
            if (x == N || spare[x] > 0)
                gain[(size_t)x * (size_t)V + (size_t)Z] = 0;
        }
        for (int32_t v = 0; v < V; v++) {
            dist[v] = 0;
            pred[v] = -1;
        }
        /* Bellman-Ford from every node at once; a round only scans the nodes
         * whose distance fell in the previous one (a relaxation in round V
         * still proves a negative cycle). */
        int32_t last = -1;
        memset(act, 1, (size_t)V);
        for (int32_t round = 0; round < V; round++) {
            last = -1;
            memset(nxt, 0, (size_t)V);
            for (int32_t x = 0; x < V; x++) {
                if (!act[x])
                    continue;
                const int64_t *row = gain + (size_t)x * (size_t)V;
                for (int32_t y = 0; y < V; y++) {
                    int64_t g = row[y];
                    if (g == INT64_MIN)
                        continue;
                    if (dist[x] - g < dist[y]) {
                        dist[y] = dist[x] - g;
                        pred[y] = x;
                        last = y;
                        nxt[y] = 1;
                    }
                }
            }
            if (last < 0)
                break;
            uint8_t *swap = act;
            act = nxt;
            nxt = swap;
        }
        if (last < 0)
            break; /* no negative cycle: optimal */
        /* Walk back V steps to land on the cycle, then collect it. */
        int32_t v = last;
        for (int32_t s = 0; s < V; s++)
            v = pred[v];
        int32_t len = 0, u = v;
        do {
            cyc[len++] = u;
            u = pred[u];
        } while (u != v && len <= V);
        if (u != v) {
            rc = FORUM_EINTERNAL;
            goto out;
        }
        /* cyc lists the cycle backwards: edge pred[y] -> y is cyc[j+1] -> cyc[j]. */
        int32_t nm = 0;
        int64_t g_cycle = 0;
        for (int32_t j = 0; j < len; j++) {
            int32_t y = cyc[j], x = cyc[(j + 1) % len];
            g_cycle += gain[(size_t)x * (size_t)V + (size_t)y];
            if (x == Z || y == Z)
                continue;
            mv_i[nm] = arg[(size_t)x * (size_t)V + (size_t)y];
            mv_k[nm] = y;
            nm++;
        }
        if (g_cycle <= 0) {
            rc = FORUM_EINTERNAL;
            goto out;
        }
        for (int32_t j = 0; j < nm; j++) {
            int32_t i = mv_i[j], y = mv_k[j];
            if (assign[i] >= 0)
                spare[assign[i]]++;
            sum -= cur_w[i];
            if (y == N) {
                assign[i] = -1;
                cur_w[i] = 0;
            } else {
                assign[i] = y;
                cur_w[i] = option_w(tp, i, y);
                spare[y]--;
                sum += cur_w[i];
            }
        }
    }
    *total = sum;
    rc = FORUM_OK;
out:
    free(local.mem);
    return rc;
}

enum forum_status alloc__seat_work_init(struct alloc__seat_work *w,
                                        const struct alloc__model *m)
{
    size_t P = (size_t)m->P + 1, T = (size_t)m->T + 1, U = (size_t)m->U + 1,
           N = 3 * (size_t)m->R + 1;

    memset(w, 0, sizeof *w);
    w->mark = forum_try_calloc(P, sizeof *w->mark);
    w->tmark = forum_try_calloc(T, sizeof *w->tmark);
    w->umark = forum_try_calloc(U, sizeof *w->umark);
    w->unode = forum_try_calloc(U, sizeof *w->unode);
    w->uroom = forum_try_calloc(U, sizeof *w->uroom);
    w->stopics = forum_try_calloc(N, sizeof *w->stopics);
    w->node_unit = forum_try_calloc(N, sizeof *w->node_unit);
    w->seats = forum_try_calloc(N, sizeof *w->seats);
    w->topics = forum_try_calloc(N, sizeof *w->topics);
    w->people = forum_try_calloc(P, sizeof *w->people);
    w->opt_start = forum_try_calloc(P, sizeof *w->opt_start);
    w->assign = forum_try_calloc(P, sizeof *w->assign);
    w->opt_cap = 1024;
    w->opt_k = forum_try_malloc(w->opt_cap * sizeof *w->opt_k);
    w->opt_w = forum_try_malloc(w->opt_cap * sizeof *w->opt_w);
    w->opt_plain = forum_try_malloc(w->opt_cap * sizeof *w->opt_plain);
    w->opt_tier = forum_try_malloc(w->opt_cap * sizeof *w->opt_tier);
    if (!w->mark || !w->tmark || !w->umark || !w->unode || !w->uroom || !w->stopics ||
        !w->node_unit || !w->seats || !w->topics || !w->people || !w->opt_start ||
        !w->assign || !w->opt_k || !w->opt_w || !w->opt_plain || !w->opt_tier) {
        alloc__seat_work_release(w);
        return FORUM_ENOMEM;
    }
    return FORUM_OK;
}

void alloc__seat_work_release(struct alloc__seat_work *w)
{
    free(w->mark);
    free(w->tmark);
    free(w->umark);
    free(w->unode);
    free(w->uroom);
    free(w->stopics);
    free(w->node_unit);
    free(w->seats);
    free(w->topics);
    free(w->people);
    free(w->opt_start);
    free(w->opt_k);
    free(w->opt_w);
    free(w->opt_plain);
    free(w->opt_tier);
    free(w->assign);
    free(w->tp.mem);
    memset(w, 0, sizeof *w);
}

static enum forum_status grow_options(struct alloc__seat_work *w, size_t need)
{
    if (need <= w->opt_cap)
        return FORUM_OK;
    size_t cap = w->opt_cap * 2;
    while (cap < need)
        cap *= 2;
    int32_t *k = forum_try_realloc(w->opt_k, cap * sizeof *k);
    if (k == NULL)
        return FORUM_ENOMEM;
    w->opt_k = k;
    int64_t *x = forum_try_realloc(w->opt_w, cap * sizeof *x);
    if (x == NULL)
        return FORUM_ENOMEM;
    w->opt_w = x;
    int32_t *y = forum_try_realloc(w->opt_plain, cap * sizeof *y);
    if (y == NULL)
        return FORUM_ENOMEM;
    w->opt_plain = y;
    uint8_t *z = forum_try_realloc(w->opt_tier, cap * sizeof *z);
    if (z == NULL)
        return FORUM_ENOMEM;
    w->opt_tier = z;
    w->opt_cap = cap;
    return FORUM_OK;
}

/* Appends the option (node k, plain weight, tier) to the current row. */
static enum forum_status add_option(struct alloc__seat_work *w, size_t *nopt, int32_t k,
                                    int32_t plain, uint8_t tier)
{
    enum forum_status rc = grow_options(w, *nopt + 1);
    if (rc != FORUM_OK)
        return rc;
    w->opt_k[*nopt] = k;
    w->opt_plain[*nopt] = plain;
    w->opt_tier[*nopt] = tier;
    (*nopt)++;
    return FORUM_OK;
}

/*
 * Lays out the sessions of slot s as nodes: an ordinary session is one node
 * (its seats after its pinned hosts); a group is three, A (one seat, for a
 * host of the topic, none without hosts), B (the rest of size_min) and C (up
 * to its limit). OUT: *K nodes, *required: the seats that must be filled
 * (every host of a group topic seated, every A and B seat).
 */
static void lay_out(const struct alloc__model *m, const int32_t *cell_unit, int32_t s,
                    struct alloc__seat_work *w, int32_t *seat, int32_t *K,
                    int64_t *required)
{
    *K = 0;
    *required = 0;
    w->n_stopics = 0;
    for (int32_t r = 0; r < m->R; r++) {
        int32_t u = cell_unit[s * m->R + r];
        if (u < 0)
            continue;
        int32_t t = m->unit_topic[u], lim = alloc__limit(m, t, r),
                nh = alloc__n_hosts(m, t);
        w->umark[u] = w->gen;
        w->unode[u] = *K;
        w->uroom[u] = r;
        if (!m->is_group[t]) {
            w->stopics[w->n_stopics++] = t;
            w->node_unit[*K] = u;
            w->topics[*K] = t;
            w->seats[(*K)++] = lim - nh > 0 ? lim - nh : 0;
            for (int32_t h = m->host_start[t]; h < m->host_start[t + 1]; h++) {
                w->mark[m->host_p[h]] = w->gen;
                if (seat != NULL)
                    seat[m->host_p[h]] = u;
            }
            continue;
        }
        int32_t a = nh > 0 ? 1 : 0, gmin = m->gmin[t];
        int32_t caps[3] = {a, gmin - a, lim - gmin};
        for (int j = 0; j < 3; j++) {
            w->node_unit[*K] = u;
            w->topics[*K] = t;
            w->seats[(*K)++] = caps[j] > 0 ? caps[j] : 0;
        }
        *required += gmin;
        if (w->tmark[t] != w->gen) {
            w->tmark[t] = w->gen;
            w->stopics[w->n_stopics++] = t;
            *required += nh;
            for (int32_t h = m->host_start[t]; h < m->host_start[t + 1]; h++)
                w->mark[m->host_p[h]] = w->gen;
        }
    }
}

enum forum_status alloc__seat_slot(const struct alloc__model *m, const int32_t *cell_unit,
                                   int32_t s, struct alloc__seating *out, int32_t *seat,
                                   struct alloc__seat_work *w)
{
    int32_t K, n = 0;
    int64_t required, plain_max = 0;
    size_t nopt = 0;
    bool groups = false;
    enum forum_status rc;

    w->gen++;
    if (seat != NULL)
        for (int32_t q = 0; q < m->P; q++)
            seat[q] = -1;
    lay_out(m, cell_unit, s, w, seat, &K, &required);
    w->opt_start[0] = 0;
    /* The hosts of the slot's group topics first: any seat of their own groups. */
    for (int32_t i = 0; i < w->n_stopics; i++) {
        int32_t t = w->stopics[i];
        if (!m->is_group[t])
            continue;
        groups = true;
        for (int32_t h = m->host_start[t]; h < m->host_start[t + 1]; h++) {
            for (int32_t u = m->unit_start[t]; u < m->unit_start[t + 1]; u++) {
                if (w->umark[u] != w->gen)
                    continue;
                if ((rc = add_option(w, &nopt, w->unode[u], 0, 2)) != FORUM_OK ||
                    (rc = add_option(w, &nopt, w->unode[u] + 1, 0, 2)) != FORUM_OK ||
                    (rc = add_option(w, &nopt, w->unode[u] + 2, 0, 1)) != FORUM_OK)
                    return rc;
            }
            w->people[n++] = m->host_p[h];
            w->opt_start[n] = (int32_t)nopt;
        }
    }
    /* The people to seat: voters of the slot's topics, not hosting, available.
     * Marking them with the generation also skips duplicates and the hosts. */
    for (int32_t i = 0; i < w->n_stopics; i++) {
        int32_t tk = w->stopics[i];
        for (int32_t v = m->voter_start[tk]; v < m->voter_start[tk + 1]; v++) {
            int32_t q = m->voter_p[v];
            if (w->mark[q] == w->gen ||
                m->p_unavail[(size_t)q * (size_t)m->S + (size_t)s])
                continue;
            w->mark[q] = w->gen;
            size_t start = nopt;
            int32_t best = 0;
            for (int32_t x = m->vote_start[q]; x < m->vote_start[q + 1]; x++) {
                int32_t t = m->vote_t[x], wt = m->vote_w[x];
                for (int32_t u = m->unit_start[t]; u < m->unit_start[t + 1]; u++) {
                    if (w->umark[u] != w->gen)
                        continue;
                    int32_t node = w->unode[u];
                    if (!alloc__p_room_ok(m, q, w->uroom[u]))
                        continue;
                    if (!m->is_group[t]) {
                        rc = add_option(w, &nopt, node, wt, 0);
                    } else if ((rc = add_option(w, &nopt, node + 1, wt, 1)) == FORUM_OK) {
                        rc = add_option(w, &nopt, node + 2, wt, 0);
                    }
                    if (rc != FORUM_OK)
                        return rc;
                    best = wt > best ? wt : best;
                }
            }
            if (nopt > start) {
                w->people[n++] = q;
                w->opt_start[n] = (int32_t)nopt;
                plain_max += best;
            }
        }
    }
    /* Weights: with groups, every required seat filled is worth more than all
     * the plain weights of the slot together, so the best seating fills them all
     * whenever that is possible (and then maximises the plain weight). */
    int64_t bonus = groups ? plain_max + 1 : 0;
    for (size_t j = 0; j < nopt; j++)
        w->opt_w[j] = w->opt_plain[j] + (int64_t)w->opt_tier[j] * bonus;
    struct alloc__tp tp = {K, w->seats, n, w->opt_start, w->opt_k, w->opt_w};
    int64_t total;
    rc = alloc__tp_solve(&tp, w->assign, &total, &w->tp);
    if (rc != FORUM_OK)
        return rc;
    int64_t sat = 0, achieved = 0;
    for (int32_t i = 0; i < n; i++) {
        int32_t k = w->assign[i];
        if (k < 0)
            continue;
        for (int32_t j = w->opt_start[i]; j < w->opt_start[i + 1]; j++)
            if (w->opt_k[j] == k) {
                sat += w->opt_plain[j];
                achieved += w->opt_tier[j];
                break;
            }
        if (seat != NULL)
            seat[w->people[i]] = w->node_unit[k];
    }
    out->sat = sat;
    out->missing = required - achieved;
    uint64_t v = (uint64_t)K + 2;
    out->work =
        1 + ((uint64_t)n + nopt) / SEAT_DIV_OPT + v * v * v * w->tp.passes / SEAT_DIV_BF;
    return FORUM_OK;
}
